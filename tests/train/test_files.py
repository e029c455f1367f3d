"""Model files: safetensors round trip, every fault raises ModelFileError, atomic writes."""
import os

import numpy as np
import pytest

import chainrule as cr
from chainrule.train import ModelFileError, files, load_weights, save_weights

pytest.importorskip("safetensors")


def make_model(in_features=3, hidden=4, seed=0):
    cr.manual_seed(seed)
    return cr.nn.Sequential(cr.nn.Linear(in_features, hidden), cr.nn.ReLU(),
                            cr.nn.Linear(hidden, 2))


def weights(model):
    return {k: np.array(v._data) for k, v in model.state_dict().items()}


def assert_unchanged(model, before):
    after = weights(model)
    assert after.keys() == before.keys()
    for k in before:
        np.testing.assert_array_equal(after[k], before[k])


@pytest.fixture
def saved(tmp_path):
    model = make_model(seed=1)
    path = save_weights(model, tmp_path / "model.safetensors")
    return model, path


def test_round_trip_uses_pytorch_key_names(saved):
    model, path = saved
    other = make_model(seed=2)
    load_weights(other, path)
    assert_unchanged(other, weights(model))
    assert set(files.load_arrays(path)) == {"0.weight", "0.bias", "2.weight", "2.bias"}


def test_file_is_readable_by_torch(saved):
    torch = pytest.importorskip("torch")
    st_torch = pytest.importorskip("safetensors.torch")
    model, path = saved
    net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    net.load_state_dict(st_torch.load_file(str(path)))
    x = np.ones((2, 3), np.float32)
    np.testing.assert_allclose(net(torch.from_numpy(x)).detach().numpy(),
                               model(cr.tensor(x)).detach().numpy(), rtol=1e-6)


def _corrupt_cases(raw):
    header_len = int.from_bytes(raw[:8], "little")
    flipped = bytearray(raw)
    flipped[8 + header_len + 5] ^= 0xFF  # one bit in the data section
    return {"truncated": raw[:-7], "empty": b"", "random": os.urandom(300),
            "header only": raw[:8 + header_len], "bit flip in data": bytes(flipped),
            "garbage header": raw[:8] + b"{" * header_len + raw[8 + header_len:]}


@pytest.mark.parametrize("case", ["truncated", "empty", "random", "header only",
                                  "bit flip in data", "garbage header"])
def test_damaged_file_raises_and_model_unchanged(saved, tmp_path, case):
    _, path = saved
    bad = tmp_path / "bad.safetensors"
    bad.write_bytes(_corrupt_cases(path.read_bytes())[case])
    model = make_model(seed=5)
    before = weights(model)
    with pytest.raises(ModelFileError, match="bad.safetensors"):
        load_weights(model, bad)
    assert_unchanged(model, before)


def test_missing_file(tmp_path):
    with pytest.raises(ModelFileError, match="no such file"):
        load_weights(make_model(), tmp_path / "nope.safetensors")


def test_missing_unexpected_keys_and_shapes_are_named(tmp_path):
    model = make_model()
    before = weights(model)
    arrays = dict(before)
    del arrays["2.bias"]
    arrays["extra.weight"] = np.zeros(3, np.float32)
    arrays["0.weight"] = np.zeros((5, 3), np.float32)
    path = files.save_arrays(tmp_path / "m.safetensors", arrays)
    with pytest.raises(ModelFileError) as info:
        load_weights(model, path)
    msg = str(info.value)
    assert "m.safetensors" in msg and "missing keys ['2.bias']" in msg
    assert "unexpected keys ['extra.weight']" in msg
    assert "0.weight: expected shape (4, 3), got (5, 3)" in msg
    assert_unchanged(model, before)
    files.save_arrays(path, {**before, "0.weight": np.zeros((4, 3), np.int64)})
    with pytest.raises(ModelFileError, match="expected dtype float32, got int64"):
        load_weights(model, path)


def test_failed_write_leaves_previous_file_intact(saved, monkeypatch):
    model, path = saved
    good = path.read_bytes()
    calls = []

    def failing(f, data):
        f.write(data[:10])
        calls.append(1)
        raise OSError("disk full")

    monkeypatch.setattr(files, "_write_chunks", failing)
    with pytest.raises(OSError, match="disk full"):
        save_weights(make_model(seed=9), path)
    assert calls and path.read_bytes() == good
    assert sorted(p.name for p in path.parent.iterdir()) == ["model.safetensors"]  # no temp left


def test_failed_fsync_leaves_previous_file_intact(saved, monkeypatch):
    _, path = saved
    good = path.read_bytes()

    def boom(fd):
        raise OSError("I/O error")

    monkeypatch.setattr(files.os, "fsync", boom)
    with pytest.raises(OSError, match="I/O error"):
        files.atomic_write_text(path, "new contents")
    assert path.read_bytes() == good


def test_read_json_faults(tmp_path):
    p = tmp_path / "c.json"
    for text, match in [("", "empty file"), ("{\"a\": ", "truncated or corrupted"),
                        ("\xff\xfe", "truncated or corrupted")]:
        p.write_bytes(text.encode("latin-1"))
        with pytest.raises(ModelFileError, match=match):
            files.read_json(p)
    files.write_json(p, {"a": [1, 2]})
    assert files.read_json(p) == {"a": [1, 2]}
    with pytest.raises(ValueError):
        files.write_json(p, {"a": float("nan")})  # strict JSON
    assert files.read_json(p) == {"a": [1, 2]}
