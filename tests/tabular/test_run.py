"""Run folders: save/load round trip, the allow-list of models, faults named by file."""
import json

import numpy as np
import pytest

import chainrule as cr
from chainrule.data import StandardScaler
from chainrule.train import History, ModelFileError
from chainrule.tabular.run import build_model, load_run, outputs_to_predictions, save_run

pytest.importorskip("safetensors")

CONFIG = {"type": "MLP", "args": {"in_features": 3, "hidden_sizes": [5], "out_features": 3}}


@pytest.fixture
def run_dir(tmp_path):
    cr.manual_seed(0)
    model = build_model(CONFIG)
    X = np.random.default_rng(0).normal(5, 2, size=(20, 3)).astype(np.float32)
    h = History()
    h.append(0, {"loss": 1.0})
    save_run(tmp_path, model=model, model_config=CONFIG, task="multiclass",
             class_names=["a", "b", "c"], feature_names=["f1", "f2", "f3"], target="label",
             scaler=StandardScaler().fit(X), history=h)
    return tmp_path, model, X


def test_round_trip(run_dir):
    d, model, X = run_dir
    assert {p.name for p in d.iterdir()} == {"model.safetensors", "model.json", "scaler.json",
                                             "history.json", "history.csv"}
    run = load_run(d)
    assert (run.task, run.class_names, run.feature_names, run.target) == \
        ("multiclass", ["a", "b", "c"], ["f1", "f2", "f3"], "label")
    assert not run.model.training and run.history["loss"] == [1.0]
    scaled = (X - X.mean(0)) / X.std(0)
    expected = model(cr.tensor(scaled.astype(np.float32))).detach().numpy()
    np.testing.assert_allclose(run.outputs(X), expected, rtol=1e-5, atol=1e-5)
    pred, proba = run.predict(X)
    np.testing.assert_array_equal(pred, expected.argmax(1))
    np.testing.assert_allclose(proba.sum(1), 1.0)


def test_outputs_to_predictions():
    pred, proba = outputs_to_predictions(np.array([[-800.0], [0.1], [800.0]]), "binary")
    assert pred.tolist() == [0, 1, 1] and proba.shape == (3, 2)
    np.testing.assert_allclose(proba[:, 1], [0.0, 1 / (1 + np.exp(-0.1)), 1.0])
    pred, proba = outputs_to_predictions(np.array([[1.0, 2.0, 0.0]]), "multiclass")
    assert pred.tolist() == [1] and proba.argmax() == 1
    values, none = outputs_to_predictions(np.array([[1.5], [2.5]]), "regression")
    assert values.tolist() == [1.5, 2.5] and none is None


def test_build_model_allow_list():
    assert isinstance(build_model({"type": "Linear", "args": {"in_features": 2,
                                                              "out_features": 1}}), cr.nn.Linear)
    with pytest.raises(ModelFileError, match="model type among"):
        build_model({"type": "os.system", "args": {}})
    with pytest.raises(ModelFileError, match="expected MLP arguments among"):
        build_model({"type": "MLP", "args": {"in_features": 2, "bogus": 1}})
    with pytest.raises(ModelFileError, match="cannot build MLP"):
        build_model({"type": "MLP", "args": {"in_features": 2, "hidden_sizes": [2],
                                             "out_features": 1, "activation": "nope"}})
    with pytest.raises(ModelFileError, match="expected a model config"):
        build_model(["MLP"])


@pytest.mark.parametrize("fault, match", [
    ("no model.json", "model.json: no such file"),
    ("bad json", "model.json: expected valid JSON"),
    ("wrong format", "model.json: expected a chainrule-model"),
    ("bad task", "expected task in"),
    ("no classes", "expected 3 class names"),
    ("bad classes", "expected 'class_names' a list of strings"),
    ("bigger architecture", "model.json: expected a model the size of model.safetensors"),
    ("other architecture", "model.safetensors: does not fit the model"),
    ("truncated weights", "model.safetensors: expected a safetensors file"),
    ("bad scaler", "scaler.json"),
    ("bad history", "history.json"),
    ("not a folder", "expected a run folder"),
])
def test_faults_name_the_file(run_dir, fault, match):
    d = run_dir[0]
    meta = json.loads((d / "model.json").read_text())
    if fault == "no model.json":
        (d / "model.json").unlink()
    elif fault == "bad json":
        (d / "model.json").write_text("{\"format\": ")
    elif fault == "wrong format":
        (d / "model.json").write_text(json.dumps({**meta, "format": "x"}))
    elif fault == "bad task":
        (d / "model.json").write_text(json.dumps({**meta, "task": "ranking"}))
    elif fault == "no classes":
        (d / "model.json").write_text(json.dumps({**meta, "class_names": None}))
    elif fault == "bad classes":
        (d / "model.json").write_text(json.dumps({**meta, "class_names": [1, 2, 3]}))
    elif fault in ("other architecture", "bigger architecture"):
        meta["model"]["args"]["hidden_sizes"] = [400_000 if fault.startswith("bigger") else 4]
        (d / "model.json").write_text(json.dumps(meta))
    elif fault == "truncated weights":
        raw = (d / "model.safetensors").read_bytes()
        (d / "model.safetensors").write_bytes(raw[:50])
    elif fault == "bad scaler":
        (d / "scaler.json").write_text(json.dumps({"type": "StandardScaler", "n_features_in": 3,
                                                   "mean": [1.0]}))
    elif fault == "bad history":
        (d / "history.json").write_text("[]")
    elif fault == "not a folder":
        d = d / "model.json"
    with pytest.raises(ModelFileError, match=match):
        load_run(d)


def test_save_run_rejects_bad_task(tmp_path):
    with pytest.raises(ValueError, match="task"):
        save_run(tmp_path, model=build_model(CONFIG), model_config=CONFIG, task="ranking")
    assert not any(tmp_path.iterdir())
