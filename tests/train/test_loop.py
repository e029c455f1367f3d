"""fit / evaluate / predict: accuracy on generated data, reproducibility, schedules, faults."""
import math

import numpy as np
import pytest

import chainrule as cr
from chainrule.data import DataLoader, TensorDataset, spirals
from chainrule.train import (Callback, LambdaCallback, NonFiniteLossError, TerminateOnNaN,
                             evaluate, fit, predict)
from chainrule.train.loop import FitLoop


def spiral_data(n=400, seed=0):
    X, y = spirals(n, noise=0.03, seed=seed)
    return ((X - X.mean(0)) / X.std(0)).astype(np.float32), y


def mlp(seed=0, hidden=(32, 32), out=2, dropout=0.0, in_features=2):
    cr.manual_seed(seed)
    return cr.nn.MLP(in_features, list(hidden), out, dropout=dropout)


def weights(model):
    return {k: np.array(v._data) for k, v in model.state_dict().items()}


def test_spirals_reach_99_percent_train_accuracy():
    X, y = spiral_data()
    model = mlp()
    opt = cr.optim.Adam(model.parameters(), lr=0.01)
    h = fit(model, (X, y), loss=cr.nn.CrossEntropyLoss(), optimizer=opt, epochs=80,
            batch_size=32, metrics=["accuracy"], verbose=0, seed=0)
    acc = (predict(model, X).argmax(1) == y).mean()
    assert acc >= 0.99
    assert h["accuracy"][-1] >= 0.98 and h["loss"][-1] < h["loss"][0] / 10
    assert set(h.keys()) == {"loss", "accuracy", "lr", "time"} and len(h) == 80


def test_digits_default_configuration_reaches_97_percent_held_out():
    pytest.importorskip("sklearn")
    from chainrule.tabular.job import make_settings, prepare
    job = prepare(make_settings(dataset="digits", epochs=30))
    h = fit(job.model, (job.X_train, job.y_train), loss=job.loss, optimizer=job.optimizer,
            epochs=30, batch_size=32, val_data=(job.X_val, job.y_val), metrics=["accuracy"],
            verbose=0, seed=0)
    assert len(job.X_val) == 360
    assert evaluate(job.model, (job.X_val, job.y_val), metrics=["accuracy"])["accuracy"] >= 0.97
    assert h["val_accuracy"][-1] >= 0.97


def _run(seed, epochs=3, dropout=0.3):
    X, y = spiral_data(200)
    model = mlp(seed, dropout=dropout)
    opt = cr.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    h = fit(model, (X, y), loss=cr.nn.CrossEntropyLoss(), optimizer=opt, epochs=epochs,
            batch_size=16, val_split=0.25, metrics=["accuracy", "f1"], verbose=0, seed=seed)
    return weights(model), {k: v for k, v in h.history.items() if k != "time"}


def test_same_seed_gives_bitwise_identical_weights_and_history():
    w1, h1 = _run(7)
    w2, h2 = _run(7)
    w3, _ = _run(8)
    assert h1 == h2 and set(h1) == {"loss", "accuracy", "f1", "val_loss", "val_accuracy",
                                    "val_f1", "lr"}
    for k in w1:
        assert w1[k].tobytes() == w2[k].tobytes()
    assert any(w1[k].tobytes() != w3[k].tobytes() for k in w1)


def test_dataset_and_dataloader_inputs_and_evaluate_predict():
    X, y = spiral_data(120)
    model = mlp()
    opt = cr.optim.Adam(model.parameters(), lr=0.01)
    loader = DataLoader(TensorDataset(X, y), batch_size=40, shuffle=True,
                        generator=cr.Generator().manual_seed(0))
    h = fit(model, loader, loss=cr.nn.CrossEntropyLoss(), optimizer=opt, epochs=2, verbose=0,
            val_data=TensorDataset(X, y))
    assert len(h) == 2 and "val_loss" in h
    fit(model, TensorDataset(X, y), loss=cr.nn.CrossEntropyLoss(), optimizer=opt, epochs=1,
        verbose=0)
    h = fit(model, (cr.tensor(X), cr.tensor(y)), loss=cr.nn.CrossEntropyLoss(), optimizer=opt,
            epochs=1, verbose=0, val_data=(X[:, ::-1][:, ::-1], y))  # Tensors, strided arrays
    assert np.isfinite(h["val_loss"][0])
    out = predict(model, X, batch_size=7)
    assert out.shape == (120, 2) and isinstance(out, np.ndarray)
    np.testing.assert_allclose(out, model(cr.tensor(X)).detach().numpy(), rtol=1e-5, atol=1e-6)
    logs = evaluate(model, (X, y), loss=cr.nn.CrossEntropyLoss(), metrics=["accuracy"])
    assert logs["accuracy"] == pytest.approx((out.argmax(1) == y).mean())
    assert model.training  # predict/evaluate restore the mode
    # float64 inputs are cast to the model's dtype
    assert predict(model, X.astype(np.float64)).dtype == np.float32


def test_regression_metrics_and_binary_logits():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(256, 3)).astype(np.float32)
    y = (X @ np.array([1.0, -2.0, 0.5], np.float32) + 0.3)[:, None]
    model = cr.nn.Linear(3, 1)
    h = fit(model, (X, y), loss=cr.nn.MSELoss(), epochs=40, batch_size=32, verbose=0,
            optimizer=cr.optim.SGD(model.parameters(), lr=0.05), metrics=["mae", "r2"], seed=0)
    assert h["r2"][-1] > 0.999 and h["mae"][-1] < 0.02
    yb = (X[:, :1] > 0).astype(np.float32)
    clf = cr.nn.Linear(3, 1)
    hb = fit(clf, (X, yb), loss=cr.nn.BCEWithLogitsLoss(), epochs=20, verbose=0, seed=0,
             optimizer=cr.optim.Adam(clf.parameters(), lr=0.05), metrics=["accuracy"])
    assert hb["accuracy"][-1] > 0.97  # threshold at logit 0


def test_callbacks_hooks_order_and_stop_training():
    events = []

    class Recorder(Callback):
        def on_train_begin(self, logs=None): events.append("train_begin")
        def on_epoch_begin(self, epoch, logs=None): events.append(f"epoch_begin{epoch}")
        def on_batch_begin(self, batch, logs=None): events.append("b")
        def on_batch_end(self, batch, logs=None): events.append(round(logs["size"]))
        def on_epoch_end(self, epoch, logs=None):
            events.append(f"epoch_end{epoch}")
            if epoch == 1:
                self.loop.stop_training = True
        def on_train_end(self, logs=None): events.append("train_end")

    X, y = spiral_data(10)
    model = mlp()
    h = fit(model, (X, y), loss=cr.nn.CrossEntropyLoss(), epochs=5, batch_size=6, verbose=0,
            optimizer=cr.optim.SGD(model.parameters(), lr=0.1), callbacks=[Recorder()])
    assert events == ["train_begin", "epoch_begin0", "b", 6, "b", 4, "epoch_end0",
                      "epoch_begin1", "b", 6, "b", 4, "epoch_end1", "train_end"]
    assert len(h) == 2
    seen = []
    fit(model, (X, y), loss=cr.nn.CrossEntropyLoss(), epochs=2, verbose=0,
        optimizer=cr.optim.SGD(model.parameters(), lr=0.1),
        callbacks=[LambdaCallback(on_epoch_end=lambda e, logs: seen.append(e))])
    assert seen == [0, 1]
    with pytest.raises(TypeError, match="Callback"):
        fit(model, (X, y), loss=cr.nn.CrossEntropyLoss(), epochs=1, verbose=0,
            optimizer=cr.optim.SGD(model.parameters(), lr=0.1), callbacks=[object()])


def test_nan_loss_raises_with_epoch_batch_and_last_finite_loss():
    X, y = spiral_data(64)
    X[40] = np.nan  # the third batch of 16 is poisoned
    model = mlp()
    opt = cr.optim.SGD(model.parameters(), lr=0.1)
    before = {}

    class Snapshot(Callback):
        def on_batch_begin(self, batch, logs=None):
            before.update(weights(self.model))

    with pytest.raises(NonFiniteLossError) as info:
        fit(model, (X, y), loss=cr.nn.CrossEntropyLoss(), optimizer=opt, epochs=3,
            batch_size=16, shuffle=False, verbose=0, callbacks=[Snapshot()])
    err = info.value
    assert isinstance(err, ValueError) and (err.epoch, err.batch) == (1, 3)  # from 1
    msg = str(err)
    assert "epoch 1, batch 3" in msg and "non-finite input in batch 3: row 8 of the batch" in msg
    assert "column 0 = nan" in msg and "lower learning rate" not in msg  # not a divergence
    assert f"{err.last_finite:.6g}" in msg and math.isfinite(err.last_finite)
    for k, v in weights(model).items():  # the bad step was not applied
        np.testing.assert_array_equal(v, before[k])


class _LogLayer(cr.nn.Module):
    """A layer that takes the log of its input: NaN for negative values."""

    def forward(self, x):
        return x.log()


def test_nan_made_by_an_op_names_the_op_the_layer_and_the_line():
    X, y = spiral_data(64)
    cr.manual_seed(0)
    model = cr.nn.Sequential(cr.nn.Linear(2, 8), _LogLayer(), cr.nn.Linear(8, 2))
    opt = cr.optim.SGD(model.parameters(), lr=0.1)
    with np.errstate(all="ignore"), pytest.raises(NonFiniteLossError) as info:
        fit(model, (X, y), loss=cr.nn.CrossEntropyLoss(), optimizer=opt, epochs=1,
            batch_size=16, verbose=0)
    msg = str(info.value)
    assert "epoch 1, batch 1" in msg and "an op produced it" in msg
    assert "model.1 (_LogLayer): Log: forward produced non-finite values" in msg
    assert "return x.log()" in msg and "lower learning rate" not in msg
    assert not info.value.diverged and not cr.autograd.is_anomaly_enabled()


def test_diverging_loss_and_only_then_the_learning_rate_hint():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((64, 4)).astype(np.float32) * 3
    y = X @ np.ones((4, 1), np.float32)
    cr.manual_seed(0)
    model = cr.nn.Linear(4, 1)
    with np.errstate(all="ignore"), pytest.raises(NonFiniteLossError) as info, \
            pytest.warns(cr.LintWarning, match="rose for 3 epochs"):
        fit(model, (X, y), loss=cr.nn.MSELoss(), epochs=60, batch_size=64, verbose=0,
            optimizer=cr.optim.SGD(model.parameters(), lr=0.2))
    msg = str(info.value)
    assert "the loss diverged: it rose from" in msg and "lower learning rate" in msg
    assert info.value.diverged and info.value.batch == 1


def test_fit_in_anomaly_mode_runs_the_eager_step():
    X, y = spiral_data(32)
    model = mlp()
    with cr.autograd.detect_anomaly():
        h = fit(model, (X, y), loss=cr.nn.CrossEntropyLoss(), epochs=1, batch_size=16,
                verbose=0, optimizer=cr.optim.SGD(model.parameters(), lr=0.1))
    assert len(h) == 1 and math.isfinite(h["loss"][0])


def test_terminate_on_nan_stops_quietly(capsys):
    X, y = spiral_data(64)
    model = mlp()
    opt = cr.optim.SGD(model.parameters(), lr=1e9)  # diverges (overflow warnings silenced)
    h = fit(model, (X, y), loss=cr.nn.CrossEntropyLoss(), optimizer=opt, epochs=50,
            batch_size=16, verbose=0, callbacks=[cb := TerminateOnNaN()])
    assert len(h) < 50
    assert all(np.isfinite(v).all() for v in weights(model).values())
    err = capsys.readouterr().err
    assert "invalid loss" in err
    epoch, batch = cb.terminated_at
    assert epoch >= 1 and batch >= 1 and f"Epoch {epoch}, batch {batch}:" in err


def test_schedulers_per_epoch_per_batch_and_plateau():
    X, y = spiral_data(64)
    model = mlp()
    opt = cr.optim.SGD(model.parameters(), lr=0.1)
    step = cr.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    h = fit(model, (X, y), loss=cr.nn.CrossEntropyLoss(), optimizer=opt, epochs=5,
            scheduler=step, verbose=0)
    assert h["lr"] == pytest.approx([0.1, 0.1, 0.05, 0.05, 0.025])
    opt = cr.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    one = cr.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=4 * 4)
    fit(model, (X, y), loss=cr.nn.CrossEntropyLoss(), optimizer=opt, epochs=4, batch_size=16,
        scheduler=one, verbose=0)
    assert one.last_epoch == 16  # stepped per batch
    opt = cr.optim.SGD(model.parameters(), lr=0.1)
    plateau = cr.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="max", factor=0.5, patience=0)
    h = fit(model, (X, y), loss=cr.nn.CrossEntropyLoss(), optimizer=opt, epochs=4,
            scheduler=plateau, verbose=0, val_split=0.25)  # val_loss never "increases" much
    assert opt.param_groups[0]["lr"] < 0.1


def test_fit_argument_errors_leave_model_unchanged():
    X, y = spiral_data(20)
    model = mlp()
    before = weights(model)
    opt = cr.optim.SGD(model.parameters(), lr=0.1)
    kw = dict(loss=cr.nn.CrossEntropyLoss(), optimizer=opt, verbose=0)
    cases = [(dict(epochs=-1), ValueError, "epochs"), (dict(epochs=1, batch_size=0), ValueError,
             "batch_size"), (dict(epochs=1, verbose=3), ValueError, "verbose"),
             (dict(epochs=1, val_split=1.5), ValueError, "val_split"),
             (dict(epochs=1, val_split=0.2, val_data=(X, y)), ValueError, "both"),
             (dict(epochs=1, metrics=["acuracy"]), ValueError, "metric"),
             (dict(epochs=1, metrics=["accuracy", "acc"]), ValueError, "distinct")]
    for extra, exc, match in cases:
        with pytest.raises(exc, match=match):
            fit(model, (X, y), **{**kw, **extra})
    with pytest.raises(ValueError, match="same number of samples"):
        fit(model, (X, y[:5]), epochs=1, **kw)
    with pytest.raises(TypeError, match="expected data"):
        fit(model, 42, epochs=1, **kw)
    for k, v in weights(model).items():
        np.testing.assert_array_equal(v, before[k])


def test_fitloop_running_logs():
    loop = FitLoop.__new__(FitLoop)
    loop._total, loop._count, loop.metrics = 3.0, 2, []
    assert loop.running_logs() == {"loss": 1.5}


def test_command_line_reports_a_diverging_loss_in_one_line(tmp_path, capsys):
    from chainrule.cli import main
    with np.errstate(all="ignore"):
        rc = main(["train", "--dataset", "moons", "--samples", "200", "--optimizer", "sgd",
                   "--lr", "1e6", "--epochs", "3", "--out", str(tmp_path / "run")])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1
    assert err[0].startswith("chainrule: error: fit: expected a finite loss, got nan at epoch 1")
    assert "the loss diverged" in err[0] and "lower learning rate" in err[0]
    assert "<frozen" not in err[0]
