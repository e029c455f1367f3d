"""Checkpoints: exact resume (bitwise), every file fault, nothing changed by a failed load."""
import json

import numpy as np
import pytest

import chainrule as cr
from chainrule.data import spirals
from chainrule.train import (BackupAndRestore, EarlyStopping, ModelFileError, fit,
                             load_checkpoint)
from chainrule.train.checkpoint import _decode, _encode

pytest.importorskip("safetensors")

X, Y = spirals(96, noise=0.05, seed=3)
X = ((X - X.mean(0)) / X.std(0)).astype(np.float32)


def weights(model):
    return {k: np.array(v._data) for k, v in model.state_dict().items()}


def setup(opt_name):
    cr.manual_seed(11)
    model = cr.nn.MLP(2, [16, 16], 2, dropout=0.2)
    if opt_name == "sgd":
        opt = cr.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    else:
        opt = cr.optim.Adam(model.parameters(), lr=0.01)
    sched = cr.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.7)
    return model, opt, sched


def train(opt_name, epochs, callbacks=(), resume=None):
    model, opt, sched = setup(opt_name)
    h = fit(model, (X, Y), loss=cr.nn.CrossEntropyLoss(), optimizer=opt, scheduler=sched,
            epochs=epochs, batch_size=16, val_split=0.25, metrics=["accuracy"],
            callbacks=list(callbacks), verbose=0, seed=5, resume=resume)
    return model, opt, h


@pytest.mark.parametrize("opt_name", ["sgd", "adam"])
def test_resume_is_bitwise_exact(tmp_path, opt_name):
    straight, opt_a, h_a = train(opt_name, 6)
    train(opt_name, 3, callbacks=[BackupAndRestore(tmp_path)])
    meta = json.loads((tmp_path / "checkpoint.json").read_text())
    assert meta["epoch"] == 3 and meta["step"] == 3 * 5
    resumed, opt_b, h_b = train(opt_name, 6, resume=tmp_path)
    for k, v in weights(straight).items():
        assert v.tobytes() == weights(resumed)[k].tobytes(), k
    assert h_a.epoch == h_b.epoch == list(range(6))
    for key in ("loss", "accuracy", "val_loss", "lr"):
        assert h_a[key] == h_b[key]
    sa, sb = opt_a.state_dict()["state"], opt_b.state_dict()["state"]
    for i in sa:
        for name, v in sa[i].items():
            np.testing.assert_array_equal(np.asarray(v._data if hasattr(v, "data") else v),
                                          np.asarray(sb[i][name]._data
                                                     if hasattr(sb[i][name], "data")
                                                     else sb[i][name]))


def test_backup_and_restore_resumes_automatically_and_keeps_early_stopping(tmp_path):
    es = EarlyStopping(monitor="val_loss", patience=100, restore_best_weights=True)
    train("adam", 3, callbacks=[es, BackupAndRestore(tmp_path)])
    best_epoch, best = es.best_epoch, es.best
    es2 = EarlyStopping(monitor="val_loss", patience=100, restore_best_weights=True)
    model, _, h = train("adam", 5, callbacks=[es2, BackupAndRestore(tmp_path)])
    assert len(h) == 5 and h.epoch == [0, 1, 2, 3, 4]
    assert es2.best <= best and (es2.best_epoch >= best_epoch)
    straight_es = EarlyStopping(monitor="val_loss", patience=100, restore_best_weights=True)
    straight, _, _ = train("adam", 5, callbacks=[straight_es])
    for k, v in weights(straight).items():  # same best weights restored at the end
        assert v.tobytes() == weights(model)[k].tobytes()


def test_encode_decode_round_trip():
    state = {"a": (1, 2.5, float("inf")), 3: {"x": np.arange(3)}, "t": cr.ones(2),
             "n": None, "s": "text", "l": [np.float64(1.5), -float("inf")], "__odd": 1}
    arrays = {}
    enc = _encode(state, "", arrays)
    text = json.dumps(enc, allow_nan=False)
    dec = _decode(json.loads(text), arrays, "f")
    assert dec["a"] == (1, 2.5, float("inf")) and dec["l"] == [1.5, -float("inf")]
    np.testing.assert_array_equal(dec[3]["x"], np.arange(3))
    assert isinstance(dec["t"], cr.Tensor) and dec["t"].tolist() == [1.0, 1.0]
    assert dec["n"] is None and dec["s"] == "text" and dec["__odd"] == 1
    with pytest.raises(TypeError, match="plain data"):
        _encode({"f": lambda: 0}, "", {})


@pytest.fixture
def saved(tmp_path):
    train("sgd", 2, callbacks=[BackupAndRestore(tmp_path)])
    return tmp_path


def _resume_fails(folder, match):
    model, opt, sched = setup("sgd")
    before, opt_before = weights(model), json.dumps(opt.state_dict()["param_groups"])
    rng_before = cr.random.default_generator.get_state()
    with pytest.raises(ModelFileError, match=match):
        fit(model, (X, Y), loss=cr.nn.CrossEntropyLoss(), optimizer=opt, scheduler=sched,
            epochs=6, batch_size=16, verbose=0, seed=5, resume=folder)
    for k, v in weights(model).items():
        np.testing.assert_array_equal(v, before[k])
    assert json.dumps(opt.state_dict()["param_groups"]) == opt_before and not opt.state
    assert cr.random.default_generator.get_state() != rng_before  # fit(seed=5) reseeded first


@pytest.mark.parametrize("fault", ["truncated json", "empty json", "random arrays",
                                   "truncated arrays", "swapped arrays", "missing arrays",
                                   "wrong format", "bad tag", "missing key"])
def test_damaged_checkpoint_raises_and_changes_nothing(saved, tmp_path_factory, fault):
    meta_path, arr_path = saved / "checkpoint.json", saved / "checkpoint.safetensors"
    text, raw = meta_path.read_text(), arr_path.read_bytes()
    meta = json.loads(text)
    if fault == "truncated json":
        meta_path.write_text(text[: len(text) // 2])
    elif fault == "empty json":
        meta_path.write_text("")
    elif fault == "random arrays":
        arr_path.write_bytes(np.random.default_rng(0).bytes(len(raw)))
    elif fault == "truncated arrays":
        arr_path.write_bytes(raw[:-100])
    elif fault == "swapped arrays":
        other = tmp_path_factory.mktemp("other")
        train("sgd", 1, callbacks=[BackupAndRestore(other)])
        arr_path.write_bytes((other / "checkpoint.safetensors").read_bytes())
    elif fault == "missing arrays":
        arr_path.unlink()
    elif fault == "wrong format":
        meta_path.write_text(json.dumps({**meta, "format": "something"}))
    elif fault == "bad tag":
        meta["step"] = {"__code__": "import os"}
        meta_path.write_text(json.dumps(meta))
    elif fault == "missing key":
        del meta["optimizer"]
        meta_path.write_text(json.dumps(meta))
    _resume_fails(saved, "checkpoint")


def test_checkpoint_of_another_model_names_keys_and_shapes(saved):
    cr.manual_seed(0)
    model = cr.nn.MLP(2, [8], 2)
    before = weights(model)
    opt = cr.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    with pytest.raises(ModelFileError) as info:
        fit(model, (X, Y), loss=cr.nn.CrossEntropyLoss(), optimizer=opt, epochs=4, verbose=0,
            resume=saved)
    msg = str(info.value)
    assert "checkpoint.safetensors" in msg and "unexpected keys ['hidden1.bias'" in msg
    assert "hidden0.weight: expected shape (8, 2), got (16, 2)" in msg
    for k, v in weights(model).items():
        np.testing.assert_array_equal(v, before[k])


def test_optimizer_mismatch_rolls_back_everything(saved):
    model, _, _ = setup("sgd")
    opt = cr.optim.SGD(list(model.parameters())[:2], lr=0.05, momentum=0.9)  # 2 params, not 6
    sched = cr.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.7)
    before = weights(model)
    with pytest.raises(ModelFileError, match="does not fit"):
        fit(model, (X, Y), loss=cr.nn.CrossEntropyLoss(), optimizer=opt, scheduler=sched,
            epochs=4, verbose=0, seed=5, resume=saved)
    assert not opt.state and opt.param_groups[0]["lr"] == 0.05
    for k, v in weights(model).items():
        np.testing.assert_array_equal(v, before[k])


def test_resume_past_the_requested_epochs_and_scheduler_mismatch(saved):
    model, opt, sched = setup("sgd")
    with pytest.raises(ModelFileError, match="past the 1 epochs"):
        fit(model, (X, Y), loss=cr.nn.CrossEntropyLoss(), optimizer=opt, scheduler=sched,
            epochs=1, verbose=0, resume=saved)
    with pytest.raises(ModelFileError, match="scheduler"):
        fit(model, (X, Y), loss=cr.nn.CrossEntropyLoss(), optimizer=opt, epochs=4, verbose=0,
            resume=saved)


def test_load_checkpoint_missing_folder(tmp_path):
    with pytest.raises(ModelFileError, match="no such file"):
        load_checkpoint(tmp_path / "nope", None)
