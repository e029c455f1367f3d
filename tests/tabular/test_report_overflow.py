"""The final metric table and ``chainrule evaluate`` stay finite for targets beyond float32."""
import math

import numpy as np
import pytest

from chainrule.cli import main
from chainrule.tabular.report import compute_metrics
from chainrule.tabular.table import encode_labels


def test_compute_metrics_far_beyond_float32():
    t = np.array([1e39, 3e39, -2e39, 5e39])
    p = t * 1.1
    out = compute_metrics("regression", t, p, None)
    assert out["mae"] == pytest.approx(np.mean(np.abs(t)) * 0.1, rel=1e-12)
    assert out["rmse"] == pytest.approx(math.sqrt(np.mean((t * 0.1) ** 2)), rel=1e-12)
    assert out["mse"] == pytest.approx(np.mean((t * 0.1) ** 2), rel=1e-12)
    assert out["r2"] == pytest.approx(1 - np.sum((t * 0.1) ** 2) / np.sum((t - t.mean()) ** 2))
    big = compute_metrics("regression", t * 1e260, p * 1e260, None)  # squares beyond float64
    assert big["mse"] == math.inf and math.isfinite(big["rmse"]) and math.isfinite(big["mae"])
    assert big["r2"] == pytest.approx(out["r2"], rel=1e-12)


def test_encode_labels_keeps_float64_targets():
    y = encode_labels(np.array([1e39, -2.5]), None, "regression", None, "f")
    assert y.dtype == np.float64 and y.tolist() == [1e39, -2.5]


def _csv(path, scale, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(120, 2))
    y = (x @ [1.0, -2.0] + 4.0) * scale
    lines = ["a,b,y", *(f"{a:.6g},{b:.6g},{v:.9e}" for (a, b), v in zip(x, y))]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_evaluate_prints_finite_metrics_for_targets_beyond_float32(tmp_path, capsys):
    run = tmp_path / "run"
    code = main(["train", "--data", str(_csv(tmp_path / "train.csv", 1e30, 0)), "--target", "y",
                 "--epochs", "3", "--verbose", "0", "--no-figures", "--out", str(run)])
    assert code == 0
    capsys.readouterr()
    assert main(["evaluate", str(run), "--data", str(_csv(tmp_path / "t.csv", 1e39, 1))]) == 0
    out = capsys.readouterr().out
    rows = {line.split()[0]: line.split()[1] for line in out.splitlines()
            if line.split() and line.split()[0] in ("mse", "rmse", "mae", "r2")}
    assert set(rows) == {"mse", "rmse", "mae", "r2"}, out
    assert all(math.isfinite(float(v)) for v in rows.values()), out
    assert 1e38 < float(rows["mae"]) < 1e41 and 1e76 < float(rows["mse"]) < 1e82, out
