"""A run with an embedded text column (EmbeddingMLP, preprocess.json with codes) crashed at every
write point resumes to byte-identical weights, or is refused with one line and trains afresh."""
import collections
import os

import pytest
from fault_harness import (CRASH, count_points, crash_at, one_line_error, record, resume_args,
                           run_cli, sha256, temporaries)

pytest.importorskip("safetensors")
pytestmark = pytest.mark.slow
EPOCHS = 3


def _table(path):
    lines = ["x,shop,label"]
    for i in range(48):
        lines.append(f"{(i * 37 % 11) / 5 - 1:.2f},{'' if i % 13 == 0 else f's{i * 7 % 17}'},"
                     f"{'yes' if (i * 7 % 17) % 3 else 'no'}")
    path.write_text("\n".join(lines) + "\n")


def _args(data, d):
    return ["train", "--data", str(data), "--target", "label", "--categorical", "embed", "--hidden",
            "4", "--batch-size", "12", "--epochs", str(EPOCHS), "--save-every", "2",
            "--verbose", "0", "--no-figures", "--out", str(d)]


def test_crash_at_every_write_point_of_an_embedding_run(tmp_path):
    from chainrule.tabular.run import load_run
    from chainrule.train.checkpoint import has_checkpoint
    data = tmp_path / "t.csv"
    _table(data)
    ref = tmp_path / "ref"
    code, _, err = run_cli(_args(data, ref))
    assert code == 0, err
    assert type(load_run(ref).model).__name__ == "EmbeddingMLP"
    reference = sha256(ref / "model.safetensors")
    points = count_points(_args(data, tmp_path / "probe"))
    outcomes = collections.Counter()
    for k, kind in enumerate(points, start=1):
        d = tmp_path / f"k{k}"
        status = crash_at(_args(data, d), k, tmp_path / f"k{k}.log")
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == CRASH, (k, kind, status)
        if has_checkpoint(d):
            code, _, err = run_cli(resume_args(d, EPOCHS))
            how = "complete" if code == 2 and "more than the" in err else "resumed"
            assert code == 0 or how == "complete", err
        else:
            one_line_error(*run_cli(resume_args(d, EPOCHS))[::2])
            code, _, err = run_cli(_args(data, d))
            assert code == 0, err
            how = "afresh"
        assert sha256(d / "model.safetensors") == reference, (k, kind, how)
        assert not temporaries(d)
        assert load_run(d).epochs == EPOCHS
        outcomes[f"{kind}:{how}"] += 1
    assert outcomes["write:afresh"] >= 1 and sum(
        v for k, v in outcomes.items() if k.endswith(":resumed")) >= 5, outcomes
    record(write_points=len(points), failures=0)
