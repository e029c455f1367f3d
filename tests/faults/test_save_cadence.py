"""The default checkpoint cadence (on time, not every epoch) keeps the crash-safety rule.

Without ``--save-every`` a short run writes one checkpoint, after its last epoch; a signal
midway through an epoch still commits the last completed epoch (from the in-memory copy of
its state) and the resumed run ends with the weights of a straight one; a crash loses at
most the training since the last checkpoint, and the folder recovers.
"""
import os
import signal

import pytest
from fault_harness import (count_points, crash_at, in_child, one_line_error, record, recover,
                           run_cli, sha256, train_args)

from chainrule.cli import main
from chainrule.tabular.run import load_run
from chainrule.train.checkpoint import read_checkpoint

pytest.importorskip("safetensors")
EPOCHS = 6


@pytest.fixture(scope="module")
def straight(tmp_path_factory):
    d = tmp_path_factory.mktemp("cadence") / "run"
    code, _, err = run_cli(train_args(d, EPOCHS))
    assert code == 0, err
    return sha256(d / "model.safetensors")


def test_default_writes_one_checkpoint_and_0s_writes_every_epoch(tmp_path):
    points = count_points(train_args(tmp_path / "a", EPOCHS))
    every = count_points(train_args(tmp_path / "b", EPOCHS, "--save-every", "0s"))
    epochs = count_points(train_args(tmp_path / "c", EPOCHS, "--save-every", "2"))
    assert read_checkpoint(tmp_path / "a")["epoch"] == EPOCHS
    assert len(every) - len(points) == 3 * (EPOCHS - 1)  # 3 write points per extra write
    assert len(epochs) - len(points) == 3 * (EPOCHS // 2 - 1)
    assert sha256(tmp_path / "a" / "model.safetensors") == \
        sha256(tmp_path / "b" / "model.safetensors")


@pytest.mark.parametrize("value", ["0", "-1", "x", "1.5", "-2s", "s", "infs"])
def test_bad_save_every_is_one_line(tmp_path, value):
    line = one_line_error(*run_cli(train_args(tmp_path / "r", 2, f"--save-every={value}"))[::2])
    assert "--save-every" in line and repr(value) in line
    assert not (tmp_path / "r").exists()


def test_signal_midway_through_an_epoch_commits_the_last_completed_one(tmp_path, straight):
    """SIGTERM from inside the first batch of epoch 4, default cadence: nothing was written
    before, yet the checkpoint and model files of epoch 3 are, and resuming is exact."""
    from chainrule.cli import _safety

    d = tmp_path / "r"

    def fn():
        real = _safety.SafeStop.on_batch_end

        def on_batch_end(self, batch, logs=None):
            if self.loop.epoch == 3 and batch == 0:
                os.kill(os.getpid(), signal.SIGTERM)
            return real(self, batch, logs)
        _safety.SafeStop.on_batch_end = on_batch_end
        return main(train_args(d, EPOCHS))
    status = in_child(fn, tmp_path / "log")
    text = (tmp_path / "log").read_text()
    assert os.WEXITSTATUS(status) == 143, text
    assert f"stopped after epoch 3 of {EPOCHS}" in text
    assert read_checkpoint(d)["epoch"] == 3 and load_run(d).epochs == 3
    code, _, err = run_cli(["train", "--resume", d, "--epochs", EPOCHS, "--verbose", "0"])
    assert code == 0, err
    assert sha256(d / "model.safetensors") == straight
    record(signals=1, failures=0)


def test_crash_at_every_write_point_recovers(tmp_path, straight):
    """With the default cadence: a crash at any write point leaves a folder that finishes
    (resume, or afresh when no checkpoint was committed) with the straight run's weights."""
    args = train_args(tmp_path / "probe", EPOCHS)
    n = len(count_points(args))
    for k in range(1, n + 1):
        d = tmp_path / f"k{k}"
        status = crash_at(train_args(d, EPOCHS), k, tmp_path / f"k{k}.log")
        assert os.WEXITSTATUS(status) == 77, (tmp_path / f"k{k}.log").read_text()[-2000:]
        recover(d, EPOCHS, straight)
    record(write_points=n, failures=0)
