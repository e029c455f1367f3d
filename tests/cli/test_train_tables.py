"""Real tables through the command line: text columns, missing cells, any target scale, formats."""
import gzip
import json
import os
import stat

import numpy as np
import pytest

pytest.importorskip("safetensors")

QUICK = ["--epochs", "40", "--hidden", "32", "--no-figures"]


def houses(path, n=240, seed=0, scale=1.0, shift=0.0, missing=0.05, extra=""):
    rng = np.random.default_rng(seed)
    lines = ["age,city,garden,income,price" + extra]
    for _ in range(n):
        age = rng.integers(18, 80)
        city = rng.choice(["Paris", "Rome", "Oslo"])
        garden = rng.choice(["yes", "no"])
        income = rng.normal(50, 10)
        price = (age / 10 + 3 * (city == "Paris") + 2 * (garden == "yes") + income / 10
                 + rng.normal(0, 0.3))
        cells = [str(age), city, garden, f"{income:.3f}", f"{price * scale + shift:.4f}"]
        if rng.random() < missing * 4:
            cells[rng.integers(0, 4)] = rng.choice(["", "NA", "?", "null", "NaN"])
        lines.append(",".join(cells))
    path.write_text("\n".join(lines) + "\n")
    return path


def test_text_columns_and_missing_cells_train_evaluate_predict(cli, tmp_path):
    data = houses(tmp_path / "houses.csv")
    run = tmp_path / "run"
    code, out, err = cli("train", "--data", data, *QUICK, "--out", run, "--verbose", "1")
    assert code == 0, err
    assert "preprocessing: 2 numeric, 1 category, 1 boolean" in out and "target standardised" in out
    pre = json.loads((run / "preprocess.json").read_text())
    assert [c["kind"] for c in pre["columns"]] == ["numeric", "category", "boolean", "numeric"]
    meta = json.loads((run / "model.json").read_text())
    assert "city=Paris" in meta["feature_names"] and "preprocess.json" in meta["files"]
    r2 = float(next(ln.split()[2] for ln in out.splitlines() if ln.startswith("r2")))
    assert r2 > 0.8  # validation R² in the target's units
    code, out, err = cli("evaluate", run, "--data", data)
    assert code == 0 and float(next(ln.split()[1] for ln in out.splitlines()
                                    if ln.startswith("r2"))) > 0.8
    new = tmp_path / "new.csv"
    new.write_text("income,city,age,garden\n50,Tokyo,40,maybe\n,,,\n55,Paris,30,yes\n")
    code, out, err = cli("predict", run, "--data", new)
    assert code == 0, err
    values = [float(v) for v in out.splitlines()[1:]]
    assert len(values) == 3 and all(np.isfinite(values)) and values[2] > values[0]


def test_target_units_do_not_change_the_model(cli, tmp_path):
    outs = []
    for name, scale, shift in [("a", 1.0, 0.0), ("b", 3000.0, 2e5)]:
        data = houses(tmp_path / f"{name}.csv", scale=scale, shift=shift)
        run = tmp_path / f"run{name}"
        code, out, err = cli("train", "--data", data, *QUICK, "--out", run, "--verbose", "1")
        assert code == 0, err
        outs.append(out)
        assert "Run saved to" in out
    r2 = [float(next(ln.split()[2] for ln in o.splitlines() if ln.startswith("r2")))
          for o in outs]
    assert r2[0] == pytest.approx(r2[1], abs=2e-3) and r2[0] > 0.8
    mse = next(ln for ln in outs[1].splitlines() if ln.startswith("mse"))
    assert "e+0" in mse  # large values in scientific notation, columns apart


def test_multi_output_regression(cli, tmp_path):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(200, 3))
    rows = [f"{a:.4f},{b:.4f},{c:.4f},{a + b:.4f},{1000 * (b - c):.4f}" for a, b, c in X]
    data = tmp_path / "two.csv"
    data.write_text("a,b,c,s,d\n" + "\n".join(rows) + "\n")
    run = tmp_path / "run"
    code, out, err = cli("train", "--data", data, "--target", "s,d", *QUICK, "--out", run,
                         "--verbose", "1")
    assert code == 0, err
    assert "MLP 3-32-2" in out and "r2_mean" in out
    code, out, err = cli("predict", run, "--data", data)
    assert out.splitlines()[0] == "prediction_s,prediction_d"


def test_formats_delimiters_and_target_index(cli, tmp_path):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    src = houses(tmp_path / "h.csv", n=120)
    df = pd.read_csv(src, keep_default_na=True, na_values=["?"])
    gz = tmp_path / "h.csv.gz"
    gz.write_bytes(gzip.compress(src.read_text().replace(",", ";").encode()))
    df.to_parquet(tmp_path / "h.parquet")
    for data, extra in [(gz, ["--target", "4"]), (tmp_path / "h.parquet", ["--target", "price"])]:
        run = tmp_path / f"run-{data.suffix}"
        code, out, err = cli("train", "--data", data, *extra, "--epochs", "3", "--hidden", "8",
                             "--no-figures", "--verbose", "0", "--out", run)
        assert code == 0, err
        assert out.strip() == f"Run saved to {run}"  # --verbose 0 still says where


def test_table_mistakes_exit_2(cli, cli_error, tmp_path):
    one = tmp_path / "one.csv"
    one.write_text("a,b,label\n1,2,x\n3,4,x\n5,6,x\n")
    cli_error("train", "--data", one, match="at least 2 classes to learn, got only 'x'")
    holes = houses(tmp_path / "holes.csv", n=60, missing=0.1)
    cli_error("train", "--data", holes, "--missing", "error", match="--missing error")
    cli_error("train", "--data", "/dev/null", match="character device")
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    cli_error("train", "--data", fifo, match="FIFO")
    dup = tmp_path / "dup.csv"
    dup.write_text("a,a,y\n1,2,0\n3,4,1\n")
    cli_error("train", "--data", dup, match="'a' twice")
    cli_error("train", "--data", holes, "--metrics", "auc", match="--metrics")


@pytest.mark.slow
def test_figures_for_a_table_run(cli, tmp_path):
    pytest.importorskip("matplotlib")
    data = houses(tmp_path / "houses.csv", n=120)
    run = tmp_path / "run"
    code, out, err = cli("train", "--data", data, "--epochs", "5", "--hidden", "8", "--out", run,
                         "--verbose", "0")
    assert code == 0, err
    names = {p.name for p in run.glob("*.png")}
    assert {"predicted_vs_true.png", "residuals.png", "training_curves.png"} <= names
    umask = os.umask(0)
    os.umask(umask)
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o666 & ~umask for p in run.glob("*.png"))
