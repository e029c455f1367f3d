"""`chainrule train --categorical`: an embedded text column through train, evaluate, predict,
resume and export (ONNX Runtime on raw rows equals `chainrule predict`)."""
from __future__ import annotations

import csv
import io
import json
from contextlib import redirect_stderr, redirect_stdout

import numpy as np
import pytest

from chainrule.cli import main

pytestmark = pytest.mark.slow
TRAIN = ["--target", "label", "--hidden", "8", "--batch-size", "32", "--verbose", "0",
         "--no-figures", "--early-stopping", "0", "--max-categories", "10"]


def _table(path, n=300, seed=0):
    rng = np.random.default_rng(seed)
    effect = np.random.default_rng(99).normal(0, 2, 60)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["x", "shop", "color", "label"])
        for i in range(n):
            s, x = int(rng.integers(0, 60)), rng.normal()
            shop = "" if i % 25 == 0 else f"shop {s:02d}"
            y = "yes" if effect[s] + x + rng.normal(0, 0.3) > 0 else "no"
            w.writerow([f"{x:.3f}", shop, rng.choice(["red", "blue", "NA"]), y])


def _cli(*args):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    d = tmp_path_factory.mktemp("embed")
    _table(d / "t.csv")
    code, out, err = _cli("train", "--data", d / "t.csv", *TRAIN, "--epochs", "20", "--lr", "0.01",
                          "--out", d / "run", "--verbose", "1")
    assert code == 0, err
    return d, out + err


def test_train_writes_an_embedding_model_and_says_so(trained):
    d, printed = trained
    meta = json.loads((d / "run" / "model.json").read_text())
    assert meta["model"]["type"] == "EmbeddingMLP"
    n_codes = meta["model"]["args"]["embeddings"][0][1]
    assert meta["model"]["args"]["embeddings"] == [[1, n_codes, round(1.6 * n_codes ** 0.56)]]
    assert meta["feature_names"] == ["x", "shop@code", "color=blue", "color=red",
                                     "color=other", "color=missing"]
    pre = json.loads((d / "run" / "preprocess.json").read_text())
    shop = pre["columns"][1]
    assert shop["encoding"] == "embed" and shop["indicator"] and len(shop["categories"]) > 40
    assert n_codes == len(shop["categories"]) + 2
    assert f"embeddings shop {n_codes}x" in printed and "embedded: 'shop'" in printed


def test_evaluate_and_predict_with_unseen_and_missing_values(trained):
    d, _ = trained
    code, out, err = _cli("evaluate", d / "run", "--data", d / "t.csv")
    assert code == 0, err
    assert float(out.split("accuracy")[1].split()[0]) > 0.75
    new = d / "new.csv"
    new.write_text("x,shop,color\n0.5,shop 03,red\n0.5,never seen,red\n0.5,,red\n0.5,shop 03,\n")
    code, out, err = _cli("predict", d / "run", "--data", new)
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["prediction", "prob_no", "prob_yes"] and len(rows) == 5
    assert all(abs(float(r[1]) + float(r[2]) - 1) < 1e-5 for r in rows[1:])


def test_resume_is_bit_for_bit(tmp_path):
    _table(tmp_path / "t.csv", n=120)
    base = ["train", "--data", tmp_path / "t.csv", *TRAIN]
    assert _cli(*base, "--epochs", "3", "--out", tmp_path / "straight")[0] == 0
    assert _cli(*base, "--epochs", "1", "--out", tmp_path / "split")[0] == 0
    code, _, err = _cli("train", "--resume", tmp_path / "split", "--epochs", "3", "--verbose", "0")
    assert code == 0, err
    a, b = ((tmp_path / r / "model.safetensors").read_bytes() for r in ("straight", "split"))
    assert a == b


def test_a_run_from_before_the_option_resumes_one_hot(tmp_path):
    _table(tmp_path / "t.csv", n=120)
    run = tmp_path / "run"
    code, _, err = _cli("train", "--data", tmp_path / "t.csv", *TRAIN, "--epochs", "1",
                        "--categorical", "onehot", "--out", run)
    assert code == 0, err
    meta = json.loads((run / "train.json").read_text())
    assert meta["settings"].pop("categorical") == "onehot"
    (run / "train.json").write_text(json.dumps(meta))
    code, _, err = _cli("train", "--resume", run, "--epochs", "2", "--verbose", "0")
    assert code == 0, err
    assert json.loads((run / "model.json").read_text())["model"]["type"] == "MLP"


def test_bad_options_are_one_line(tmp_path):
    for opt, msg in ((["--categorical", "hash"], "invalid choice"),
                     (["--embed-dim", "0"], "--embed-dim: expected an integer >= 1")):
        code, _, err = _cli("train", "--data", tmp_path / "none.csv", *opt)
        assert code == 2 and msg in err, err


def test_onnx_export_equals_predict_and_torch_format_is_refused(trained):
    ort = pytest.importorskip("onnxruntime")
    pytest.importorskip("onnx")
    d, _ = trained
    assert _cli("export", d / "run", "--out", d / "m.onnx")[0] == 0
    code, _, err = _cli("export", d / "run", "--out", d / "m.safetensors", "--format", "torch")
    assert code == 2 and "EmbeddingMLP" in err and "--format onnx" in err
    raw = d / "raw.csv"
    raw.write_text((d / "t.csv").read_text().split("\n", 1)[0].rsplit(",", 1)[0] + "\n" +
                   "".join(line.rsplit(",", 1)[0] + "\n" for line in
                           (d / "t.csv").read_text().splitlines()[1:]) +
                   "0.1,never seen,red\n0.2, shop 07 ,blue\n-0.3,,NA\n")
    with open(raw, newline="") as f:
        rows = list(csv.DictReader(f))
    sess = ort.InferenceSession(str(d / "m.onnx"))
    assert [i.name for i in sess.get_inputs()] == ["x", "shop", "color"]
    feed = {"x": np.array([[float(r["x"])] for r in rows], np.float32),
            "shop": np.array([[r["shop"]] for r in rows], dtype=object),
            "color": np.array([[r["color"]] for r in rows], dtype=object)}
    got = sess.run(None, feed)[0]
    code, out, err = _cli("predict", d / "run", "--data", raw)
    assert code == 0, err
    want = np.array([[float(v) for v in r[1:]] for r in list(csv.reader(io.StringIO(out)))[1:]])
    assert got.shape == want.shape == (303, 2)
    np.testing.assert_allclose(got, want, atol=1e-5)


def test_a_model_file_that_does_not_fit_is_refused(trained, tmp_path):
    import shutil
    d, _ = trained
    run = tmp_path / "run"
    shutil.copytree(d / "run", run)
    meta = json.loads((run / "model.json").read_text())
    meta["model"]["args"]["embeddings"][0][1] = 1 << 24
    (run / "model.json").write_text(json.dumps(meta))
    code, _, err = _cli("predict", run, "--data", d / "t.csv")
    assert code == 2 and "embedding parameters" in err and len(err.strip().splitlines()) == 1
