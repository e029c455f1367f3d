"""A crash at every write point of a small training run, fresh and resumed, leaves a folder that
resumes to byte-identical weights or is refused with one line and trains afresh."""
import collections
import os

import pytest
from fault_harness import (CRASH, count_points, crash_at, record, recover, run_cli, sha256,
                           train_args)

pytest.importorskip("safetensors")
pytestmark = pytest.mark.slow
EPOCHS, EVERY = 3, ["--save-every", "2"]  # checkpoints at epochs 2 and 3


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    d = tmp_path_factory.mktemp("straight") / "run"
    code, _, err = run_cli(train_args(d, EPOCHS, *EVERY))
    assert code == 0, err
    return sha256(d / "model.safetensors")


def _crash_everywhere(tmp_path, reference, prepare):
    """Crash a run at each of its write points; recover each folder; return the outcomes."""
    probe = tmp_path / "probe"
    args = prepare(probe)
    points = count_points(args)
    assert points.count("write") >= 8, points  # train.json, 2 checkpoints, 5 model files
    outcomes = collections.Counter()
    for k, kind in enumerate(points, start=1):
        d = tmp_path / f"k{k}"
        log = tmp_path / f"k{k}.log"
        status = crash_at(prepare(d), k, log)
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == CRASH, \
            (k, kind, status, log.read_text()[-2000:])
        outcomes[f"{kind}:{recover(d, EPOCHS, reference)}"] += 1
    return points, outcomes


def test_crash_at_every_write_point_of_a_fresh_run(tmp_path, reference):
    points, outcomes = _crash_everywhere(tmp_path, reference,
                                         lambda d: train_args(d, EPOCHS, *EVERY))
    assert outcomes["write:afresh"] >= 1 and outcomes["renamed:complete"] >= 1
    assert sum(v for k, v in outcomes.items() if k.endswith(":resumed")) >= 10
    record(write_points=len(points), failures=0)
    print(dict(outcomes))


def test_crash_at_every_write_point_of_a_resumed_run(tmp_path, reference):
    def prepare(d):
        code, _, err = run_cli(train_args(d, 1, *EVERY))  # one epoch, finished
        assert code == 0, err
        return ["train", "--resume", str(d), "--epochs", str(EPOCHS), "--verbose", "0",
                "--no-figures", *EVERY]
    points, outcomes = _crash_everywhere(tmp_path, reference, prepare)
    assert "afresh" not in " ".join(outcomes)  # a finished run is never lost
    record(write_points=len(points), failures=0)
    print(dict(outcomes))
