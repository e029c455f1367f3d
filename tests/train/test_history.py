"""History: per-epoch logs, JSON/CSV files."""
import json
import math

import pytest

from chainrule.train import History, ModelFileError


def test_append_pads_new_keys_and_round_trips(tmp_path):
    h = History()
    h.append(0, {"loss": 1.0})
    h.append(1, {"loss": 0.5, "val_loss": 0.7})
    assert h["loss"] == [1.0, 0.5]
    assert math.isnan(h["val_loss"][0]) and h["val_loss"][1] == 0.7
    assert h.last() == {"loss": 0.5, "val_loss": 0.7}
    assert h.rows()[1] == {"epoch": 1, "loss": 0.5, "val_loss": 0.7}
    paths = h.save(tmp_path)
    assert [p.name for p in paths] == ["history.json", "history.csv"]
    data = json.loads((tmp_path / "history.json").read_text())  # strict JSON: NaN -> null
    assert data["history"]["val_loss"][0] is None
    back = History.load(tmp_path / "history.json")
    assert back.epoch == [0, 1] and back["loss"] == [1.0, 0.5]
    assert math.isnan(back["val_loss"][0])
    lines = (tmp_path / "history.csv").read_text().splitlines()
    assert lines == ["epoch,loss,val_loss", "1,1.0,nan", "2,0.5,0.7"]  # counted from 1


def test_malformed_history_raises(tmp_path):
    p = tmp_path / "history.json"
    p.write_text('{"epoch": [0, 1], "history": {"loss": [1.0]}}')
    with pytest.raises(ModelFileError, match="one value per epoch"):
        History.load(p)
    p.write_text('{"epochs": []}')
    with pytest.raises(ModelFileError, match="history.json"):
        History.load(p)
    p.write_text('{"epoch": [0')
    with pytest.raises(ModelFileError, match="truncated or corrupted"):
        History.load(p)
