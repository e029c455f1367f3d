"""Streaming metrics (batch by batch in fit) equal scikit-learn's on the whole epoch."""
import numpy as np
import pytest

from chainrule.train.streaming import (Accuracy, F1Score, MeanAbsoluteError, MeanSquaredError,
                                       Precision, R2Score, Recall, TopKAccuracy, get_metric)

skm = pytest.importorskip("sklearn.metrics")

rng = np.random.default_rng(0)
Y3_TRUE = rng.integers(0, 4, 200)
Y3_PRED = np.where(rng.random(200) < 0.6, Y3_TRUE, rng.integers(0, 4, 200))
Y2_TRUE = rng.integers(0, 2, 150)
Y2_PRED = np.where(rng.random(150) < 0.7, Y2_TRUE, 1 - Y2_TRUE)


def _batches(*arrays, size=37):
    for i in range(0, len(arrays[0]), size):
        yield tuple(a[i:i + size] for a in arrays)


def test_streaming_classification_equals_functions():
    logits = rng.normal(size=(200, 4))
    logits[np.arange(200), Y3_PRED] += 20.0  # argmax == Y3_PRED
    cases = [(Accuracy(), skm.accuracy_score(Y3_TRUE, Y3_PRED)),
             (Precision(), skm.precision_score(Y3_TRUE, Y3_PRED, average="macro")),
             (Recall("micro"), skm.recall_score(Y3_TRUE, Y3_PRED, average="micro")),
             (F1Score("weighted"), skm.f1_score(Y3_TRUE, Y3_PRED, average="weighted")),
             (TopKAccuracy(2), skm.top_k_accuracy_score(Y3_TRUE, logits, k=2))]
    for metric, expected in cases:
        for o, t in _batches(logits, Y3_TRUE):
            metric.update(o, t)
        assert metric.result() == pytest.approx(expected, rel=1e-12), metric.name
        metric.reset()
        assert np.isnan(metric.result())


def test_streaming_binary_logits_and_probabilities():
    logit = np.where(Y2_PRED == 1, 2.0, -2.0)[:, None]
    target = Y2_TRUE.astype(np.float32)[:, None]
    f1 = F1Score()
    f1.configure(type("BCEWithLogitsLoss", (), {})())
    acc = Accuracy(threshold=0.5)
    for o, t in _batches(logit, target):
        f1.update(o, t)
        acc.update(1 / (1 + np.exp(-o)), t)
    assert f1.result() == pytest.approx(skm.f1_score(Y2_TRUE, Y2_PRED))
    assert acc.result() == pytest.approx(skm.accuracy_score(Y2_TRUE, Y2_PRED))


def test_streaming_regression_equals_functions():
    t = rng.normal(size=(150, 1)).astype(np.float32) * 10 + 100
    p = t + rng.normal(size=(150, 1)).astype(np.float32)
    for metric, fn in [(MeanSquaredError(), skm.mean_squared_error),
                       (MeanAbsoluteError(), skm.mean_absolute_error), (R2Score(), skm.r2_score)]:
        for o, tt in _batches(p, t):
            metric.update(o, tt)
        assert metric.result() == pytest.approx(fn(t.astype(np.float64), p.astype(np.float64)),
                                                rel=1e-6), metric.name


def test_get_metric_names():
    assert get_metric("acc").name == "accuracy"
    assert get_metric("top3_accuracy").k == 3
    assert get_metric("R2").name == "r2"
    with pytest.raises(ValueError, match="expected a metric among"):
        get_metric("accuracyy")
    with pytest.raises(TypeError, match="metric name or a Metric"):
        get_metric(3)
