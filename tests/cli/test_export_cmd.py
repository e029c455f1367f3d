"""`chainrule export`: ONNX Runtime on raw CSV rows equals `chainrule predict`; the torch format
rebuilds in PyTorch with the documented script."""
from __future__ import annotations

import csv
import io
import json
from contextlib import redirect_stdout

import numpy as np
import pytest

from chainrule.cli import main

ort = pytest.importorskip("onnxruntime")
pytest.importorskip("chainrule.onnx")


def _table(path, task: str, seed: int = 0, n: int = 240) -> None:
    rng = np.random.default_rng(seed)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["age", "city", "member", "income", "y", "y2"])
        for _ in range(n):
            age = rng.normal(40, 10)
            city = str(rng.choice(["Paris", "Rome", "Oslo", "NA", " Rome ", "Bern", "São Paulo"]))
            member = str(rng.choice(["yes", "no", "", "Yes"]))
            income = rng.normal(5e4, 1e4)
            score = (age - 40) / 10 + (city.strip() == "Rome") - (member.lower() == "yes")
            y = {"multiclass": "abc"[int(np.clip(score + 1.5, 0, 2))],
                 "binary": "pos" if score > 0 else "neg",
                 "regression": f"{3000 * score + 2e5:.3f}"}[task]
            w.writerow(["" if rng.random() < 0.05 else f"{age:.1f}", city, member,
                        "" if rng.random() < 0.05 else f"{income:.0f}", y,
                        f"{income / 1000 - age:.3f}"])


def _columns(path, names: list[str], kinds: dict[str, str]) -> dict[str, np.ndarray]:
    """Raw CSV cells as ONNX inputs: numbers (NaN when empty) or strings, shape (N, 1)."""
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    out = {}
    for name in names:
        cells = [r[name] for r in rows]
        if kinds[name] == "numeric":
            out[name] = np.array([[float(c) if c.strip() else np.nan] for c in cells], np.float32)
        else:
            out[name] = np.array([[c] for c in cells], dtype=object)
    return out


def _predict_csv(run_dir, data) -> list[list[str]]:
    buf = io.StringIO()
    with redirect_stdout(buf):
        assert main(["predict", str(run_dir), "--data", str(data)]) == 0
    return list(csv.reader(io.StringIO(buf.getvalue())))


@pytest.mark.slow
@pytest.mark.parametrize("task,target", [("multiclass", "y"), ("binary", "y"),
                                         ("regression", "y"), ("regression", "y,y2")])
def test_onnx_on_raw_rows_equals_predict(tmp_path, task, target):
    data = tmp_path / "t.csv"
    _table(data, task)
    run = tmp_path / "run"
    drop = [c for c in ("y", "y2") if c not in target.split(",")]
    if drop:  # keep only the target columns of this case
        with open(data, newline="") as f:
            rows = [{k: v for k, v in r.items() if k not in drop} for r in csv.DictReader(f)]
        with open(data, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
    args = ["train", "--data", str(data), "--target", target, "--epochs", "3", "--out",
            str(run), "--verbose", "0"]
    if task == "regression":
        args += ["--task", "regression"]
    with redirect_stdout(io.StringIO()):
        assert main(args) == 0
        assert main(["export", str(run), "--out", str(tmp_path / "m.onnx")]) == 0
    pre = json.loads((run / "preprocess.json").read_text())
    kinds = {c["name"]: c["kind"] for c in pre["columns"]}
    sess = ort.InferenceSession(str(tmp_path / "m.onnx"))
    names = [i.name for i in sess.get_inputs()]
    assert names == [c["name"] for c in pre["columns"]]
    got = sess.run(None, _columns(data, names, kinds))[0]
    rows = _predict_csv(run, data)
    if task == "regression":
        want = np.array([[float(v) for v in r] for r in rows[1:]])
        np.testing.assert_allclose(got.reshape(want.shape), want, rtol=1e-5, atol=1e-3)
        assert np.abs(want).max() > 1e4  # in the target's units, not standardised
    else:
        want = np.array([[float(v) for v in r[1:]] for r in rows[1:]])
        np.testing.assert_allclose(got, want, atol=1e-5)
        classes = [h[len("prob_"):] for h in rows[0][1:]]
        assert [classes[i] for i in got.argmax(axis=1)] == [r[0] for r in rows[1:]]


@pytest.mark.slow
def test_generated_data_run_and_the_torch_format(tmp_path):
    torch = pytest.importorskip("torch")
    st = pytest.importorskip("safetensors.torch")
    run = tmp_path / "run"
    with redirect_stdout(io.StringIO()):
        assert main(["train", "--dataset", "moons", "--epochs", "3", "--out", str(run),
                     "--hidden", "8,8", "--verbose", "0"]) == 0
        assert main(["export", str(run), "--out", str(tmp_path / "m.onnx")]) == 0
        assert main(["export", str(run), "--out", str(tmp_path / "net"), "--format",
                     "torch"]) == 0
        assert main(["export", str(run), "--out", str(tmp_path / "w.safetensors")]) == 0
    from chainrule.tabular.run import load_run
    r = load_run(run)
    x = np.random.default_rng(0).normal(size=(50, 2)).astype(np.float32)
    _, proba = r.predict(x)
    sess = ort.InferenceSession(str(tmp_path / "m.onnx"))
    feed = {i.name: x[:, [k]] for k, i in enumerate(sess.get_inputs())}  # columns x1, x2
    assert list(feed) == r.input_names
    np.testing.assert_allclose(sess.run(None, feed)[0], proba, atol=1e-5)
    # the documented script, verbatim in spirit
    import collections
    arch = json.loads((tmp_path / "net.torch.json").read_text())
    model = torch.nn.Sequential(collections.OrderedDict(
        (layer["name"], getattr(torch.nn, layer["type"])(*layer["args"], **layer["kwargs"]))
        for layer in arch["layers"]))
    model.load_state_dict(st.load_file(str(tmp_path / "net.safetensors")))
    model.eval()
    ours = r.model(__import__("chainrule").tensor(r.transform(x))).detach().numpy()
    np.testing.assert_allclose(model(torch.from_numpy(r.transform(x))).detach().numpy(), ours,
                               rtol=1e-5, atol=1e-6)
    assert set(st.load_file(str(tmp_path / "w.safetensors"))) == set(arch_keys(arch))


def arch_keys(arch):
    keys = []
    for layer in arch["layers"]:
        if layer["type"] == "Linear":
            keys += [f"{layer['name']}.weight", f"{layer['name']}.bias"]
    return keys


def test_errors_are_one_line_exit_2(tmp_path, capsys):
    assert main(["export", str(tmp_path / "nope"), "--out", str(tmp_path / "m.onnx")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("chainrule: error:") and len(err.strip().splitlines()) == 1
    assert main(["export", str(tmp_path), "--out", str(tmp_path / "x" / "m.onnx")]) == 2
    assert "no such folder" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.onnx"))


def test_run_without_preprocessing_file_takes_one_features_input(tmp_path):
    import chainrule as cr
    from chainrule.data import StandardScaler
    from chainrule.onnx import export_run
    from chainrule.tabular.run import load_run, save_run
    cr.manual_seed(0)
    x = np.random.default_rng(1).normal(3, 2, size=(40, 3)).astype(np.float32)
    config = {"type": "MLP", "args": {"in_features": 3, "hidden_sizes": [5],
                                      "out_features": 1}}
    from chainrule.tabular.run import build_model
    save_run(tmp_path, model=build_model(config), model_config=config, task="regression",
             feature_names=["a", "b", "c"], target="t", scaler=StandardScaler().fit(x))
    proto = export_run(tmp_path, None)
    sess = ort.InferenceSession(proto.SerializeToString())
    want, _ = load_run(tmp_path).predict(x)
    np.testing.assert_allclose(sess.run(None, {"features": x})[0], want, rtol=1e-5, atol=1e-6)
