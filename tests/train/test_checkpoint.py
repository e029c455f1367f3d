"""Checkpoints: exact resume (bitwise), every file fault, nothing changed by a failed load."""
import json

import numpy as np
import pytest

import chainrule as cr
from chainrule.data import spirals
from chainrule.train import (BackupAndRestore, EarlyStopping, ModelFileError, fit,
                             load_checkpoint)
from chainrule.train.checkpoint import _decode, _encode, read_checkpoint

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
    meta = read_checkpoint(tmp_path)
    assert meta["epoch"] == 3 and meta["step"] == 3 * 5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["checkpoint.safetensors"]
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


def _rewrite(path, state=None, arrays=None, fix_sha=True):
    """Rewrite a checkpoint file with a changed state/arrays (checksums recomputed)."""
    import hashlib

    import safetensors.numpy as stn

    from chainrule.train.files import _checksum
    raw = path.read_bytes()
    n = int.from_bytes(raw[:8], "little")
    meta = json.loads(raw[8:8 + n])["__metadata__"]
    old = json.loads(meta["chainrule.checkpoint"])
    new_arrays = stn.load(raw)
    if arrays is not None:
        arrays(new_arrays)
    if state is not None:
        state(old)
    text = meta["chainrule.checkpoint"] if state is None else json.dumps(old)
    meta = {"chainrule.checkpoint": text, "chainrule.sha256": _checksum(new_arrays),
            "chainrule.checkpoint.sha256": hashlib.sha256(text.encode()).hexdigest()
            if fix_sha else "0" * 64}
    path.write_bytes(stn.save(new_arrays, metadata=meta))


def _set(key, value):
    return lambda s: s.__setitem__(key, value)


def _deep(s):
    node = s["callbacks"] = {}
    for _ in range(200):
        node["x"] = {}
        node = node["x"]


def _opt_state(s, i):
    return s["optimizer"]["state"]["__items__"][i][1]


def _momentum(fn):
    def change(arrays):
        key = next(k for k in arrays if "momentum_buffer" in k)
        arrays[key] = fn(arrays[key])
    return change


def _weight(fn):
    def change(arrays):
        arrays["/model/hidden0.weight"] = fn(arrays["/model/hidden0.weight"])
    return change


CHECKPOINT_FAULTS = {
    "truncated": ("bytes", lambda raw: raw[: len(raw) // 2], "truncated"),
    "empty": ("bytes", lambda raw: b"", "empty file"),
    "random bytes": ("bytes", lambda raw: np.random.default_rng(0).bytes(len(raw)), "safetensors"),
    "header length huge": ("bytes", lambda raw: (2**62).to_bytes(8, "little") + raw[8:],
                           "header length"),
    "one flipped data byte": ("bytes", lambda raw: raw[:-5] + bytes([raw[-5] ^ 1]) + raw[-4:],
                              "checksum"),
    "state edited, sha stale": ("state", _set("epoch", 1), "checksum"),
    "wrong format": ("state+", _set("format", "something"), "expected a chainrule-checkpoint"),
    "unknown version": ("state+", _set("version", 99), "version"),
    "bad tag": ("state+", _set("callbacks", {"__code__": "import os"}), "tag"),
    "step is a dict": ("state+", _set("step", {"__code__": "import os"}), "non-negative"),
    "missing key": ("state+", lambda s: s.pop("optimizer"), "missing key 'optimizer'"),
    "negative epoch": ("state+", _set("epoch", -1), "non-negative integer"),
    "float step": ("state+", _set("step", 2.5), "non-negative integer"),
    "bool epoch": ("state+", _set("epoch", True), "non-negative integer"),
    "step past the epochs": ("state+", _set("step", 99), "steps per epoch"),
    "history too short": ("state+", lambda s: s.__setitem__(
        "history", {"epoch": [0], "history": {"loss": [1.0]}}), "history"),
    "optimizer kind": ("state+", _set("optimizer_type", "Adam"), "Adam"),
    "optimizer state key": ("state+", lambda s: _opt_state(s, 0).__setitem__("extra", 1),
                            "optimizer state"),
    "optimizer state index": ("state+", lambda s: s["optimizer"]["state"]["__items__"][0]
                              .__setitem__(0, 17), "optimizer state"),
    "optimizer lr string": ("state+", lambda s: s["optimizer"]["param_groups"][0]
                            .__setitem__("lr", "fast"), "optimizer state"),
    "optimizer negative momentum": ("state+", lambda s: s["optimizer"]["param_groups"][0]
                                    .__setitem__("momentum", -1), "optimizer state"),
    "optimizer group key": ("state+", lambda s: s["optimizer"]["param_groups"][0]
                            .pop("nesterov"), "optimizer state"),
    "scheduler keys": ("state+", lambda s: s["scheduler"].pop("gamma"), "scheduler state"),
    "rng malformed": ("state+", _set("rng", {"default": 3}), "random generator"),
    "deep nesting": ("state+", _deep, "nested"),
    "momentum wrong shape": ("arrays", _momentum(lambda a: np.zeros((3, 3), a.dtype)),
                             "optimizer state"),
    "momentum NaN": ("arrays", _momentum(lambda a: np.full_like(a, np.nan)), "finite"),
    "weight NaN": ("arrays", _weight(lambda a: np.full_like(a, np.nan)), "finite"),
    "weight inf": ("arrays", _weight(lambda a: np.full_like(a, np.inf)), "finite"),
    "weight float64": ("arrays", _weight(lambda a: a.astype(np.float64)), "dtype"),
    "weight int": ("arrays", _weight(lambda a: a.astype(np.int64)), "dtype"),
    "weight missing": ("arrays", lambda arrs: arrs.pop("/model/hidden0.weight"),
                       "missing array"),
}


@pytest.mark.parametrize("fault", sorted(CHECKPOINT_FAULTS))
def test_damaged_checkpoint_raises_and_changes_nothing(saved, fault):
    kind, change, match = CHECKPOINT_FAULTS[fault]
    path = saved / "checkpoint.safetensors"
    if kind == "bytes":
        path.write_bytes(change(path.read_bytes()))
    elif kind == "arrays":
        _rewrite(path, arrays=change)
    else:
        _rewrite(path, state=change, fix_sha=kind == "state+")
    _resume_fails(saved, match)


def test_missing_and_old_checkpoints(saved):
    (saved / "checkpoint.safetensors").unlink()
    _resume_fails(saved, "no such file")
    (saved / "checkpoint.json").write_text("{}")
    _resume_fails(saved, "version 1")


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
    with pytest.raises(ModelFileError, match="optimizer state"):
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
