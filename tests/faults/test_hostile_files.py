"""A table of hostile run-folder files: each is refused by every command that reads it with one
line (exit 2, no traceback, at most a few hundred characters) naming the file and the fault,
and nothing in the folder changes. Cases marked *recommitted* update the SHA-256 digests that
model.json records, so that the deeper validation (not only the digest) is what refuses them."""
import os
import shutil

import numpy as np
import pytest
from fault_harness import folder_digest, one_line_error, record, run_cli, train_args
from hostile_cases import CASES, EPOCHS, _digest

pytest.importorskip("safetensors")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile") / "run"
    code, _, err = run_cli(train_args(d, EPOCHS))
    assert code == 0, err
    csv = d.parent / "x.csv"
    np.savetxt(csv, np.random.default_rng(0).normal(size=(4, 2)), delimiter=",",
               header="x1,x2", comments="")
    return d, csv


def _command(name, d, csv):
    if name == "predict":
        return ["predict", d, "--data", csv]
    if name == "evaluate":
        return ["evaluate", d, "--dataset", "blobs"]
    return ["train", "--resume", d, "--epochs", EPOCHS + 2, "--verbose", "0", "--no-figures"]


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_file_is_refused_in_one_line(trained, tmp_path, case):
    src, csv = trained
    d = tmp_path / "run"
    shutil.copytree(src, d, symlinks=True)
    name, damage, commands, words = CASES[case]
    damage(d)
    before = folder_digest(d)
    for command in commands:
        line = one_line_error(*run_cli(_command(command, d, csv))[::2])
        assert name in line and words in line, (command, line)
        assert folder_digest(d) == before, command  # nothing written, nothing removed
    record(hostile_files=1, failures=0)


def test_table_covers_every_file_of_a_run(trained):
    src, _ = trained
    named = {name for name, *_ in CASES.values()}
    assert {p.name for p in src.iterdir() if p.name != ".lock"} - {"history.csv"} <= named
    assert len(CASES) >= 80


def test_predict_out_must_not_overwrite_its_input_or_the_run(trained, tmp_path):
    src, csv = trained
    before = csv.read_bytes()
    line = one_line_error(*run_cli(["predict", src, "--data", csv, "--out", csv])[::2])
    assert "--data" in line and csv.read_bytes() == before
    link = tmp_path / "same.csv"
    os.symlink(csv, link)
    one_line_error(*run_cli(["predict", src, "--data", link, "--out", csv])[::2])
    weights = src / "model.safetensors"
    digest = _digest(weights)
    line = one_line_error(*run_cli(["predict", src, "--data", csv, "--out", weights])[::2])
    assert "a file of the run" in line and _digest(weights) == digest
    record(hostile_files=3, failures=0)


def test_bounded_options(trained):
    src, _ = trained
    line = one_line_error(*run_cli(["plot", "optimizers", "--steps", 10**9, "--out",
                                    src.parent / "o.png"])[::2])
    assert "at most 5000" in line
    line = one_line_error(*run_cli(["explain", "log(w)", "--values", "w=-1"])[::2])
    assert "invalid value encountered in log" in line


def test_a_huge_input_gives_a_short_line(tmp_path):
    line = one_line_error(*run_cli(["train", "--hidden", "x" * 2**21, "--out", tmp_path])[::2])
    assert "--hidden" in line and len(line) < 450
    big = tmp_path / "big.csv"
    big.write_text("a,b,y\n" + "1," + "z" * 2**21 + ",0\n" + "2,3,1\n" * 5)
    line = one_line_error(*run_cli(["train", "--data", big, "--out", tmp_path / "r"])[::2])
    assert "big.csv" in line and len(line) < 450


DATA = {  # name: (file contents or a special path, words in the message); read by the table job
    "duplicate column names": (b"a,a,y\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n", "distinct column names"),
    "header that is data": (b"1,2,0\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n", "header"),
    "single-class target": (b"a,b,y\n1,2,0\n3,4,0\n5,6,0\n7,8,0\n", "2 classes"),
    "not UTF-8": (b"a,b,y\n1,2,0\n3,\xff,1\n5,6,0\n", "row 3"),
    "ragged row": (b"a,b,y\n1,2,0\n3,4\n5,6,0\n", "row 3"),
    "empty file": (b"", "empty"),
    "header only": (b"a,b,y\n", "data rows"),
    "a FIFO": ("fifo", "FIFO"),
    "/dev/null": ("/dev/null", "character device"),
    "/dev/zero": ("/dev/zero", "character device"),
    "a folder": ("folder", "folder"),
    "missing": ("missing", "no such file"),
}


@pytest.mark.parametrize("case", sorted(DATA))
def test_hostile_data_is_refused_in_one_line(trained, tmp_path, case):
    src, _ = trained
    content, words = DATA[case]
    path = tmp_path / "data.csv"
    if content == "fifo":
        os.mkfifo(path)
    elif content == "folder":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    elif content != "missing":
        path = content
    commands = [["train", "--data", path, "--epochs", 1, "--out", tmp_path / "r", "--verbose",
                 0, "--no-figures"], ["predict", src, "--data", path],
                ["evaluate", src, "--data", path]]
    if case in ("single-class target", "header only"):  # train's checks; predict may accept
        commands = commands[:1]
    before = folder_digest(src)
    for args in commands:
        line = one_line_error(*run_cli(args)[::2])
        assert words in line, (args[0], line)
    assert folder_digest(src) == before and not (tmp_path / "r").exists()
    record(hostile_files=1, failures=0)
