"""BackupAndRestore on a time cadence, and the in-memory copy of the last completed epoch."""
import numpy as np
import pytest

import chainrule as cr
from chainrule.data import spirals
from chainrule.train import BackupAndRestore, Callback, EarlyStopping, fit
from chainrule.train import checkpoint as ck
from chainrule.train.checkpoint import read_checkpoint

pytest.importorskip("safetensors")

X, Y = spirals(64, noise=0.05, seed=3)
X = ((X - X.mean(0)) / X.std(0)).astype(np.float32)


class StopError(Exception):
    pass


class StopInEpoch(Callback):
    """Raises in the first batch of epoch ``at`` (0-based), as a signal midway would."""

    def __init__(self, at):
        self.at = at

    def on_batch_end(self, batch, logs=None):
        if self.loop.epoch == self.at:
            raise StopError


def train(epochs, callbacks, resume=None):
    cr.manual_seed(11)
    model = cr.nn.MLP(2, [16], 2, dropout=0.2)
    opt = cr.optim.Adam(model.parameters(), lr=0.01)
    sched = cr.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.7)
    return fit(model, (X, Y), loss=cr.nn.CrossEntropyLoss(), optimizer=opt, scheduler=sched,
               epochs=epochs, batch_size=16, val_split=0.25, metrics=["accuracy"],
               callbacks=list(callbacks), verbose=0, seed=5, resume=resume)


def saved_epochs(monkeypatch):
    """The epochs at which BackupAndRestore writes a checkpoint, as a list that grows."""
    seen = []
    real = ck.save_checkpoint

    def save(directory, loop, data=None):
        seen.append(loop.epoch)
        return real(directory, loop, data)
    monkeypatch.setattr(ck, "save_checkpoint", save)
    return seen


def test_save_seconds_on_a_fake_clock(tmp_path, monkeypatch):
    clock = [0.0]
    monkeypatch.setattr(ck.time, "monotonic", lambda: clock[0])

    class Tick(Callback):
        def on_epoch_end(self, epoch, logs=None):
            clock[0] += 4.0  # each epoch "takes" 4 s

    seen = saved_epochs(monkeypatch)
    train(7, [Tick(), BackupAndRestore(tmp_path, save_freq=None, save_seconds=10)])
    assert seen == [3, 6, 7]  # 12 s after the start, 12 s after that, and the last
    assert read_checkpoint(tmp_path)["epoch"] == 7


def test_defaults_and_only_at_the_end(tmp_path, monkeypatch):
    seen = saved_epochs(monkeypatch)
    train(4, [BackupAndRestore(tmp_path)])  # Keras's default: every epoch
    assert seen == [1, 2, 3, 4]
    seen.clear()
    train(4, [BackupAndRestore(tmp_path / "b", save_freq=None, restore=False)])
    assert seen == [4]


@pytest.mark.parametrize("kwargs", [{"save_freq": 0}, {"save_freq": True},
                                    {"save_seconds": -1}, {"save_seconds": float("inf")},
                                    {"save_seconds": "10"}])
def test_bad_arguments(tmp_path, kwargs):
    with pytest.raises(ValueError, match="BackupAndRestore: expected save_"):
        BackupAndRestore(tmp_path, **kwargs)


def test_save_last_commits_the_copy_of_the_last_completed_epoch(tmp_path):
    """A stop midway through epoch 4 (only the final checkpoint is due): save_last writes
    the state after epoch 3, the same as a run that saved every epoch, and resumes exactly."""
    every = tmp_path / "every"
    train(3, [EarlyStopping("val_loss", patience=5, restore_best_weights=True),
              BackupAndRestore(every)])
    backup = BackupAndRestore(tmp_path / "late", save_freq=None, keep_last=True)
    with pytest.raises(StopError):
        train(6, [EarlyStopping("val_loss", patience=5, restore_best_weights=True), backup,
                  StopInEpoch(3)])
    assert not (tmp_path / "late" / "checkpoint.safetensors").exists()
    assert backup.save_last() == 3 and backup.save_last() == 3
    a, b = read_checkpoint(every), read_checkpoint(tmp_path / "late")
    assert a["epoch"] == b["epoch"] == 3 and a["step"] == b["step"]
    for k, v in a["model"].items():
        assert v.numpy().tobytes() == b["model"][k].numpy().tobytes(), k
    best = a["callbacks"]["EarlyStopping#0"], b["callbacks"]["EarlyStopping#0"]
    assert best[0]["best_epoch"] == best[1]["best_epoch"]
    for k, v in best[0]["best_weights"].items():
        np.testing.assert_array_equal(v, best[1]["best_weights"][k])
    assert a["history"].epoch == b["history"].epoch
    assert a["history"]["loss"] == b["history"]["loss"]
    assert a["rng"] == b["rng"] and a["scheduler"] == b["scheduler"]
    straight = train(6, [])
    resumed = train(6, [], resume=tmp_path / "late")
    assert straight["loss"] == resumed["loss"]
