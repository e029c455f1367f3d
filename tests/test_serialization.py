"""chainrule.save / chainrule.load: round trips of what tutorials save, never pickle."""
from __future__ import annotations

import io
from collections import OrderedDict
from pathlib import Path

import numpy as np
import pytest

import chainrule as cr


def test_state_dict_and_checkpoint_round_trip(tmp_path: Path) -> None:
    model = cr.nn.Sequential(cr.nn.Linear(3, 4), cr.nn.BatchNorm1d(4), cr.nn.Linear(4, 2))
    opt = cr.optim.Adam(model.parameters(), lr=0.01)
    model(cr.randn(8, 3)).sum().backward()
    opt.step()
    path = tmp_path / "ckpt.pt"
    cr.save({"epoch": 3, "loss": 0.25, "name": "run", "none": None, "flag": True,
             "model": model.state_dict(), "optimizer": opt.state_dict(),
             "shape": (2, 3)}, path)
    back = cr.load(path, weights_only=True, map_location="cpu")
    assert back["epoch"] == 3 and back["loss"] == 0.25 and back["name"] == "run"
    assert back["none"] is None and back["flag"] is True and back["shape"] == (2, 3)
    assert isinstance(back["model"], OrderedDict) and list(back["model"]) == \
        list(model.state_dict())
    for k, v in model.state_dict().items():
        got = back["model"][k]
        assert got.dtype == v.dtype and got.shape == v.shape
        np.testing.assert_array_equal(got.numpy(), v.numpy())
    assert back["model"]["1.num_batches_tracked"].shape == ()
    model2 = cr.nn.Sequential(cr.nn.Linear(3, 4), cr.nn.BatchNorm1d(4), cr.nn.Linear(4, 2))
    model2.load_state_dict(back["model"])
    opt2 = cr.optim.Adam(model2.parameters(), lr=0.01)
    opt2.load_state_dict(back["optimizer"])
    assert list(back["optimizer"]["state"]) == [0, 1, 2, 3, 4, 5]
    assert [f.name for f in tmp_path.iterdir()] == ["ckpt.pt"]  # no temporary file left


def test_tensors_parameters_and_file_objects() -> None:
    buf = io.BytesIO()
    p = cr.nn.Parameter(cr.ones(2))
    cr.save([cr.arange(3), p, np.eye(2), float("nan")], buf)
    buf.seek(0)
    t, q, arr, nan = cr.load(buf)
    assert t.tolist() == [0, 1, 2] and t.dtype == np.int64
    assert isinstance(q, cr.nn.Parameter) and q.requires_grad
    assert isinstance(arr, np.ndarray) and arr.tolist() == [[1.0, 0.0], [0.0, 1.0]]
    assert nan != nan


def test_never_pickles(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="never pickles"):
        cr.save(cr.nn.Linear(2, 2), tmp_path / "model.pt")
    assert not (tmp_path / "model.pt").exists()
    torch = pytest.importorskip("torch")
    path = tmp_path / "from_torch.pt"
    torch.save({"w": torch.ones(2)}, path)
    with pytest.raises(ValueError, match="never loads"):
        cr.load(path)
    with pytest.raises(ValueError, match="map_location"):
        cr.load(path, map_location="cuda")
