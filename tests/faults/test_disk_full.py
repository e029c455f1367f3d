"""A full disk (the writer raising ENOSPC) at every write of a small run: one line naming the
file (never a temporary file, never a raw [Errno ...]), no temporary file left, the previous
state intact, and the folder resumes or trains afresh to byte-identical weights."""
import pytest
from fault_harness import (count_points, disk_full_at, one_line_error, record, recover, run_cli,
                           sha256, temporaries, train_args)

from chainrule.train.checkpoint import has_checkpoint, read_checkpoint

pytest.importorskip("safetensors")
pytestmark = pytest.mark.slow
EPOCHS, EVERY = 3, ["--save-every", "2"]
NAMES = ("train.json", "checkpoint.safetensors", "model.safetensors", "model.json",
         "preprocess.json", "history.json", "history.csv")


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    d = tmp_path_factory.mktemp("straight") / "run"
    code, _, err = run_cli(train_args(d, EPOCHS, *EVERY))
    assert code == 0, err
    return sha256(d / "model.safetensors")


@pytest.mark.parametrize("resumed", [False, True], ids=["fresh", "resumed"])
def test_disk_full_at_every_write(tmp_path, reference, resumed):
    def args(d):
        if not resumed:
            return train_args(d, EPOCHS, *EVERY)
        assert run_cli(train_args(d, 1, *EVERY))[0] == 0
        return ["train", "--resume", str(d), "--epochs", str(EPOCHS), "--verbose", "0",
                "--no-figures", *EVERY]
    writes = count_points(args(tmp_path / "probe")).count("write")
    for k in range(1, writes + 1):
        d = tmp_path / f"k{k}"
        a = args(d)
        before = read_checkpoint(d)["epoch"] if has_checkpoint(d) else None
        with disk_full_at(k):
            code, _, err = run_cli(a)
        line = one_line_error(code, err)
        assert "no space left on device" in line and any(n in line for n in NAMES), line
        assert str(d) in line, line
        if d.exists():
            assert not temporaries(d)
            if before is not None:  # the previous checkpoint survives, whole
                assert read_checkpoint(d)["epoch"] >= before
        recover(d, EPOCHS, reference)
    record(disk_full=writes, failures=0)


def test_predict_out_on_a_full_disk_names_the_file(tmp_path, reference):
    import numpy as np
    d = tmp_path / "run"
    assert run_cli(train_args(d, 1))[0] == 0
    csv = tmp_path / "x.csv"
    np.savetxt(csv, np.ones((3, 2)), delimiter=",", header="x1,x2", comments="")
    (tmp_path / "pred.csv").write_text("previous\n")
    with disk_full_at(1):
        line = one_line_error(*run_cli(["predict", d, "--data", csv, "--out",
                                        tmp_path / "pred.csv"])[::2])
    assert f"{tmp_path / 'pred.csv'}: cannot be written (no space left on device)" in line
    assert (tmp_path / "pred.csv").read_text() == "previous\n" and not temporaries(tmp_path)
    record(disk_full=1, failures=0)
