"""EarlyStopping (best weights restored, fired or not), ModelCheckpoint, CSVLogger, schedulers."""
import csv

import numpy as np
import pytest

import chainrule as cr
from chainrule.data import moons
from chainrule.train import (Callback, CSVLogger, EarlyStopping, LearningRateScheduler,
                             ModelCheckpoint, fit, load_weights)

X, Y = moons(80, noise=0.2, seed=0)
X = X.astype(np.float32)


def weights(model):
    return {k: np.array(v._data) for k, v in model.state_dict().items()}


class ScriptedLoss(Callback):
    """Overwrite logs['val_loss'] with a script, and record the weights after each epoch."""

    def __init__(self, values):
        self.values, self.snapshots = values, []

    def on_epoch_end(self, epoch, logs=None):
        logs["val_loss"] = self.values[epoch]
        self.snapshots.append(weights(self.model))


def run(values, epochs, **es_kwargs):
    cr.manual_seed(0)
    model = cr.nn.MLP(2, [8], 2)
    script = ScriptedLoss(values)
    es = EarlyStopping(monitor="val_loss", **es_kwargs)
    h = fit(model, (X, Y), loss=cr.nn.CrossEntropyLoss(), epochs=epochs, verbose=0, seed=0,
            optimizer=cr.optim.SGD(model.parameters(), lr=0.1), callbacks=[script, es])
    return model, script, es, h


def assert_weights(model, expected):
    for k, v in weights(model).items():
        np.testing.assert_array_equal(v, expected[k])


def test_early_stopping_fires_and_restores_best_weights():
    model, script, es, h = run([1.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0], 7, patience=2,
                               restore_best_weights=True)
    assert len(h) == 4 and es.stopped_epoch == 3 and es.best_epoch == 1
    assert h["val_loss"] == [1.0, 0.5, 0.6, 0.7]  # values added by a callback are kept
    assert_weights(model, script.snapshots[1])


def test_early_stopping_restores_best_weights_even_when_it_did_not_fire():
    model, script, es, h = run([1.0, 0.4, 0.6, 0.5, 0.45], 5, patience=10,
                               restore_best_weights=True)
    assert len(h) == 5 and es.stopped_epoch == -1 and es.best_epoch == 1
    assert_weights(model, script.snapshots[1])  # Keras would keep the last epoch's weights


def test_early_stopping_without_restore_keeps_last_weights_and_min_delta():
    model, script, es, h = run([1.0, 0.95, 0.94, 0.93], 4, patience=1, min_delta=0.1)
    assert len(h) == 2 and es.best_epoch == 0  # patience 1: stop at the first non-improvement
    assert_weights(model, script.snapshots[-1])


def test_early_stopping_mode_and_missing_monitor():
    assert EarlyStopping(monitor="val_accuracy").mode == "max"
    assert EarlyStopping(monitor="loss").mode == "min"
    assert EarlyStopping(monitor="top3_accuracy").mode == "max"
    with pytest.raises(ValueError, match="mode"):
        EarlyStopping(mode="up")
    with pytest.raises(ValueError, match="patience"):
        EarlyStopping(patience=-1)
    cr.manual_seed(0)
    model = cr.nn.MLP(2, [8], 2)
    with pytest.raises(ValueError, match="'val_loss' in the logs.*val_split"):
        fit(model, (X, Y), loss=cr.nn.CrossEntropyLoss(), epochs=2, verbose=0,
            optimizer=cr.optim.SGD(model.parameters(), lr=0.1), callbacks=[EarlyStopping()])


def test_model_checkpoint_and_csv_logger(tmp_path):
    cr.manual_seed(0)
    model = cr.nn.MLP(2, [8], 2)
    ckpt = ModelCheckpoint(tmp_path / "w-{epoch:02d}.safetensors")
    best = ModelCheckpoint(tmp_path / "best.safetensors", monitor="val_accuracy",
                           save_best_only=True)
    log = CSVLogger(tmp_path / "log.csv")
    h = fit(model, (X, Y), loss=cr.nn.CrossEntropyLoss(), epochs=3, verbose=0, seed=0,
            val_split=0.25, metrics=["accuracy"], callbacks=[ckpt, best, log],
            optimizer=cr.optim.SGD(model.parameters(), lr=0.1))
    assert sorted(p.name for p in tmp_path.glob("w-*")) == ["w-01.safetensors",
                                                            "w-02.safetensors",
                                                            "w-03.safetensors"]
    other = cr.nn.MLP(2, [8], 2)
    load_weights(other, tmp_path / "w-03.safetensors")
    assert_weights(other, weights(model))
    assert best.best == max(h["val_accuracy"])
    rows = list(csv.DictReader((tmp_path / "log.csv").open()))
    assert [int(r["epoch"]) for r in rows] == [1, 2, 3]  # counted from 1
    assert [float(r["loss"]) for r in rows] == h["loss"]
    CSVLogger(tmp_path / "log.csv", append=True)  # appending keeps the old rows
    fit(model, (X, Y), loss=cr.nn.CrossEntropyLoss(), epochs=1, verbose=0,
        callbacks=[CSVLogger(tmp_path / "log.csv", append=True)],
        optimizer=cr.optim.SGD(model.parameters(), lr=0.1))
    lines = (tmp_path / "log.csv").read_text().splitlines()
    assert len(lines) == 5 and lines[0].startswith("epoch,")


def test_learning_rate_scheduler_validation():
    opt = cr.optim.SGD([cr.nn.Parameter(cr.zeros(1))], lr=0.1)
    with pytest.raises(ValueError, match="interval"):
        LearningRateScheduler(cr.optim.lr_scheduler.StepLR(opt, 1), interval="week")
    with pytest.raises(TypeError, match="step"):
        LearningRateScheduler(object())
    plateau = cr.optim.lr_scheduler.ReduceLROnPlateau(opt)
    with pytest.raises(ValueError, match="once per epoch"):
        LearningRateScheduler(plateau, interval="batch")
    assert LearningRateScheduler(cr.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=0.1, total_steps=10)).interval == "batch"
