"""`chainrule predict RUN_DIR --data FILE.csv --out PRED.csv`."""
import csv

import numpy as np
import pytest

import chainrule as cr
from chainrule.data import moons, plane

pytest.importorskip("safetensors")

TRAIN = ["--epochs", "60", "--hidden", "16", "--lr", "0.01", "--verbose", "0", "--no-figures"]


def test_predict_classifier_writes_names_and_probabilities(cli, tmp_path):
    data = tmp_path / "train.csv"
    X, y = moons(120, noise=0.1, seed=0)
    names = np.array(["left", "right"])[y]
    data.write_text("u,v,side\n" + "".join(f"{a},{b},{s}\n" for (a, b), s in zip(X, names)))
    run = tmp_path / "run"
    assert cli("train", "--data", data, *TRAIN, "--out", run)[0] == 0
    new = tmp_path / "new.csv"
    new.write_text("v,u\n" + "".join(f"{b},{a}\n" for a, b in X[:20]))  # no target column
    code, out, err = cli("predict", run, "--data", new, "--out", tmp_path / "pred.csv")
    assert code == 0, err and "Wrote 20 predictions" in out
    rows = list(csv.DictReader((tmp_path / "pred.csv").open()))
    assert list(rows[0]) == ["prediction", "prob_left", "prob_right"] and len(rows) == 20
    for r in rows:
        p = float(r["prob_right"])
        assert abs(float(r["prob_left"]) + p - 1) < 1e-5
        assert r["prediction"] == ("right" if p > 0.5 else "left")
    assert np.mean([r["prediction"] == s for r, s in zip(rows, names[:20])]) > 0.8
    # the same numbers as the model itself
    from chainrule.tabular.run import load_run
    loaded = load_run(run)
    logits = loaded.model(cr.tensor(loaded.transform(X[:20]))).detach().numpy()[:, 0]
    np.testing.assert_allclose([float(r["prob_right"]) for r in rows], 1 / (1 + np.exp(-logits)),
                               rtol=1e-5)


def test_predict_regression_to_stdout(cli, tmp_path):
    run = tmp_path / "plane"
    assert cli("train", "--dataset", "plane", "--samples", "100", *TRAIN, "--out", run)[0] == 0
    X, _ = plane(5, seed=3)
    data = tmp_path / "p.csv"
    data.write_text("x1,x2\n" + "".join(f"{a},{b}\n" for a, b in X))
    code, out, err = cli("predict", run, "--data", data)
    lines = out.splitlines()
    assert code == 0 and lines[0] == "prediction" and len(lines) == 6
    assert all(np.isfinite(float(v)) for v in lines[1:])


def test_predict_mistakes_exit_2(cli, cli_error, tmp_path):
    run = tmp_path / "run"
    assert cli("train", "--dataset", "xor", "--samples", "60", *TRAIN, "--out", run)[0] == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("x1,x2\n1,abc\n")
    cli_error("predict", run, "--data", bad, match="bad.csv, row 2, column 'x2'")
    cli_error("predict", run, "--data", tmp_path / "none.csv", match="none.csv")
    cli_error("predict", run, match="--data")
    cli_error("predict", tmp_path, "--data", bad, match="model.json: no such file")
    (run / "model.json").write_text('{"format": "chainrule-model", "version": 1, "task": "binary",'
                                    ' "class_names": ["0", "1"], "model": {"type": "eval"}}')
    cli_error("predict", run, "--data", bad, match="model.json")
