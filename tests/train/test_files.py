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


# ---- reading only regular files, bounded -------------------------------------------------
def _fifo(tmp_path):
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("kind, match", [
    ("fifo", "FIFO"), ("dev zero", "character device"), ("folder", "directory"),
    ("loop", "symbolic link loop"), ("dangling", "broken symbolic link"),
    ("missing", "no such file"), ("too big", "at most 100 bytes")])
def test_read_bytes_refuses_what_is_not_a_regular_file(tmp_path, kind, match):
    path = {"fifo": lambda: _fifo(tmp_path), "dev zero": lambda: "/dev/zero",
            "folder": lambda: tmp_path, "missing": lambda: tmp_path / "nope"}.get(kind)
    if kind in ("loop", "dangling"):
        path = tmp_path / "link"
        os.symlink(path if kind == "loop" else tmp_path / "gone", path)
    elif kind == "too big":
        path = tmp_path / "big"
        path.write_bytes(b"x" * 101)
    else:
        path = path()
    with pytest.raises(ModelFileError, match=match):  # never blocks, never reads forever
        files.read_bytes(path, limit=100)
    link = tmp_path / "ok-link"
    (tmp_path / "ok").write_bytes(b"fine")
    os.symlink(tmp_path / "ok", link)
    assert files.read_bytes(link) == b"fine"  # a link to a regular file is fine


def test_parse_json_depth_nan_and_message_length(tmp_path):
    with pytest.raises(ModelFileError, match="nested at most 64"):
        files.parse_json("[" * 100_000 + "]" * 100_000, "f.json")
    with pytest.raises(ModelFileError, match="nested at most 64"):
        files.parse_json("[" * 65 + "]" * 65, "f.json")
    assert files.parse_json("[" * 64 + "]" * 64, "f.json") is not None
    with pytest.raises(ModelFileError, match="NaN is not valid"):
        files.parse_json('{"a": NaN}', "f.json")
    err = ModelFileError("x" * 5000, "y\n" * 10**6)
    assert len(str(err)) < 450 and "\n" not in str(err) and err.problem.startswith("y")


def _header(entries, data=b"\0" * 8):
    import json
    text = json.dumps(entries).encode()
    return len(text).to_bytes(8, "little") + text + data


@pytest.mark.parametrize("entries, data, match", [
    ({"a": {"dtype": "F99", "shape": [2], "data_offsets": [0, 8]}}, None, "dtype"),
    ({"a": {"dtype": "F32", "shape": [-2], "data_offsets": [0, 8]}}, None, "shape"),
    ({"a": {"dtype": "F32", "shape": [2**40, 2**40], "data_offsets": [0, 8]}}, None, "bytes"),
    ({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 80]}}, None, "outside"),
    ({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
      "b": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}, None, "overlapping"),
    ({"a": {"dtype": "F32", "shape": [2]}}, None, "malformed"),
    ({"__metadata__": {"k": 1}}, None, "metadata"),
    ([1, 2], None, "header of type list"),
])
def test_read_header_refuses_inconsistent_headers(entries, data, match):
    with pytest.raises(ModelFileError, match=match):
        files.read_header(_header(entries), "w.safetensors")


def test_read_header_bounds_its_length():
    with pytest.raises(ModelFileError, match="header length"):
        files.read_header((2**60).to_bytes(8, "little") + b"{}", "w.safetensors")
    with pytest.raises(ModelFileError, match="truncated"):
        files.read_header(b"\x01\x02", "w.safetensors")


def test_non_finite_weights_are_refused(saved, tmp_path):
    model, _ = saved
    arrays = weights(model)
    arrays["0.weight"][0, 0] = np.nan
    path = files.save_arrays(tmp_path / "nan.safetensors", arrays)
    before = weights(model)
    with pytest.raises(ModelFileError, match="0.weight: expected finite values, got 1 NaN"):
        load_weights(model, path)
    assert_unchanged(model, before)


# ---- writing: a full disk names the file, temporaries of dead writers are swept -----------
def test_disk_full_names_the_destination_not_the_temporary(saved, monkeypatch):
    import errno
    _, path = saved
    good = path.read_bytes()

    def full(f, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(files, "_write_chunks", full)
    with pytest.raises(OSError) as info:
        files.atomic_write_text(path, "new")
    msg = str(info.value)
    assert msg.startswith(f"{path}: cannot be written (no space left on device)"), msg
    assert ".tmp" not in msg and "[Errno" not in msg and info.value.errno == errno.ENOSPC
    assert path.read_bytes() == good and [p.name for p in path.parent.iterdir()] == [path.name]


def test_temporaries_of_dead_writers_are_swept_by_the_next_write(tmp_path):
    import subprocess
    import sys
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    stale = tmp_path / f".model.json.{dead}.abc123.tmp"
    alive = tmp_path / f".other.json.{os.getppid()}.def456.tmp"  # a live writer's: kept
    stale.write_text("half")
    alive.write_text("in progress")
    files.write_json(tmp_path / "x.json", {"a": 1})
    assert not stale.exists() and alive.exists()


def test_write_json_refuses_nan_naming_the_file(tmp_path):
    with pytest.raises(ValueError, match="x.json: expected finite numbers"):
        files.write_json(tmp_path / "x.json", {"a": float("inf")})
    assert not (tmp_path / "x.json").exists()
