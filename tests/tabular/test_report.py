"""The final metric table: aligned, scientific notation for extreme values, averaging named."""
import numpy as np
import pytest

from chainrule.tabular.report import (check_metrics, compute_metrics, format_table,
                                      format_value, legend)


def test_columns_never_run_together():
    text = format_table([("train", {"mse": 713792.9375, "r2": 0.5}),
                         ("val", {"mse": 923988.1875, "r2": -3.2e-7})])
    lines = text.splitlines()
    assert "713792.9375923988.1875" not in text
    assert len({len(line) for line in lines}) == 1  # right-aligned columns
    assert all("  " in line.strip() for line in lines)
    assert "-3.200e-07" in text and "0.5000" in text


def test_format_value():
    assert format_value(1e-5) == "1.000e-05" and format_value(0.0) == "0.0000"
    assert format_value(2.5e9) == "2.500e+09" and format_value(float("nan")) == "nan"


def test_classification_metrics_name_their_averaging():
    y, p = np.array([0, 1, 2, 2]), np.array([0, 2, 2, 2])
    proba = np.eye(3)[p] * 0.8 + 0.2 / 3
    out = compute_metrics("multiclass", y, p, proba)
    assert list(out) == ["loss", "accuracy", "precision_macro", "recall_macro", "f1_macro"]
    from sklearn.metrics import f1_score, log_loss
    assert out["f1_macro"] == pytest.approx(f1_score(y, p, average="macro", zero_division=0))
    assert out["loss"] == pytest.approx(log_loss(y, proba))
    binary = compute_metrics("binary", np.array([0, 1, 1]), np.array([0, 1, 0]), None,
                             ["f1", "balanced_accuracy"])
    assert binary == {"f1": pytest.approx(2 / 3), "balanced_accuracy": pytest.approx(0.75)}
    assert "positive class 'yes'" in legend("binary", ["no", "yes"])
    assert "_macro" in legend("multiclass")


def test_regression_metrics_and_several_outputs():
    t = np.array([[1.0, 10.0], [2.0, 20.0], [3.0, 30.0]])
    out = compute_metrics("regression", t, t + 0.5, None)
    assert out["mse"] == pytest.approx(0.25) and out["rmse"] == pytest.approx(0.5)
    assert "r2_mean" in out
    with pytest.raises(ValueError, match="--metrics: expected"):
        check_metrics(["accuracy", "auc"])
