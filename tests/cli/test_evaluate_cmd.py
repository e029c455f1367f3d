"""`chainrule evaluate RUN_DIR --data FILE.csv`: metrics, confusion matrix, user mistakes."""
import numpy as np
import pytest

from chainrule.data import blobs, sine

pytest.importorskip("safetensors")

TRAIN = ["--epochs", "20", "--hidden", "16", "--lr", "0.01", "--verbose", "0", "--no-figures"]


def write_csv(path, features, y, names=("x1", "x2"), target="target", reverse=False):
    cols = list(names)[::-1] if reverse else list(names)
    idx = [list(names).index(c) for c in cols]
    lines = [",".join([*cols, target])]
    lines += [",".join([*(repr(float(row[i])) for i in idx), str(t)])
              for row, t in zip(features, y)]
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture(scope="module")
def blob_run(tmp_path_factory):
    from chainrule.cli import main
    d = tmp_path_factory.mktemp("runs") / "blobs"
    assert main(["train", "--dataset", "blobs", "--samples", "150", *TRAIN, "--out", str(d)]) == 0
    return d


def test_evaluate_classifier_prints_metrics_and_confusion_matrix(cli, blob_run, tmp_path):
    X, y = blobs(150, seed=0)  # the training data (centres depend on the seed)
    csv = write_csv(tmp_path / "b.csv", X, y, reverse=True)  # columns matched by name
    code, out, err = cli("evaluate", blob_run, "--data", csv)
    assert code == 0, err
    values = {line.split()[0]: float(line.split()[1]) for line in out.splitlines()
              if line.split() and line.split()[0] in ("loss", "accuracy", "f1_macro")}
    assert values["accuracy"] > 0.8 and set(values) == {"loss", "accuracy", "f1_macro"}
    assert "_macro: unweighted mean over the classes" in out
    assert "confusion matrix" in out
    rows = out.split("predicted)")[1].strip().splitlines()
    assert len(rows) == 4 and sum(int(v) for r in rows[1:] for v in r.split()[1:]) == 150
    code, out, err = cli("evaluate", blob_run, "--dataset", "blobs")
    assert code == 0 and "150 samples" in out
    assert "fresh samples (seed 1; the run trained on seed 0)" in out
    acc = float(next(ln.split()[1] for ln in out.splitlines() if ln.startswith("accuracy")))
    assert acc > 0.8  # same centres, new samples
    code, out, err = cli("evaluate", blob_run, "--data", csv, "--metrics", "accuracy")
    assert code == 0 and "accuracy" in out and "f1" not in out.split("confusion")[0]


def test_evaluate_regression(cli, tmp_path):
    run = tmp_path / "sine"
    assert cli("train", "--dataset", "sine", "--samples", "100", *TRAIN, "--out", run)[0] == 0
    X, y = sine(50, seed=4)
    csv = write_csv(tmp_path / "s.csv", X, y, names=("x1",))
    code, out, err = cli("evaluate", run, "--data", csv)
    assert code == 0, err
    assert "r2" in out and "mae" in out and "confusion" not in out


def test_evaluate_mistakes_exit_2(cli_error, blob_run, tmp_path):
    X, y = blobs(10, seed=1)
    good = write_csv(tmp_path / "g.csv", X, y)
    unknown = write_csv(tmp_path / "u.csv", X, np.full(10, 7))
    no_target = write_csv(tmp_path / "n.csv", X, y, target="label")
    missing_col = write_csv(tmp_path / "m.csv", X[:, :1], y, names=("x1",))
    cli_error("evaluate", tmp_path / "nowhere", "--data", good, match="expected a run folder")
    cli_error("evaluate", blob_run, "--data", tmp_path / "none.csv", match="none.csv")
    cli_error("evaluate", blob_run, "--data", unknown, match="expected a class among")
    cli_error("evaluate", blob_run, "--data", no_target, match="target column 'target'")
    cli_error("evaluate", blob_run, "--data", missing_col, match="missing ['x2']")
    cli_error("evaluate", blob_run, match="one of the arguments --data --dataset is required")
    cli_error("evaluate", blob_run, "--dataset", "sine", match="expected data for a multiclass")
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    for f in blob_run.iterdir():
        (damaged / f.name).write_bytes(f.read_bytes())
    raw = (damaged / "model.safetensors").read_bytes()
    (damaged / "model.safetensors").write_bytes(raw[: len(raw) // 2])
    cli_error("evaluate", damaged, "--data", good, match="model.safetensors")
