"""chainrule.train.metrics against scikit-learn."""
import numpy as np
import pytest

from chainrule import tensor
from chainrule.train import metrics as M

skm = pytest.importorskip("sklearn.metrics")

rng = np.random.default_rng(0)
Y3_TRUE = rng.integers(0, 4, 200)
Y3_PRED = np.where(rng.random(200) < 0.6, Y3_TRUE, rng.integers(0, 4, 200))
Y2_TRUE = rng.integers(0, 2, 150)
Y2_PRED = np.where(rng.random(150) < 0.7, Y2_TRUE, 1 - Y2_TRUE)


def test_accuracy_and_confusion_matrix_match_sklearn():
    assert M.accuracy_score(Y3_TRUE, Y3_PRED) == skm.accuracy_score(Y3_TRUE, Y3_PRED)
    assert M.accuracy_score(Y3_TRUE, Y3_PRED, normalize=False) == \
        skm.accuracy_score(Y3_TRUE, Y3_PRED, normalize=False)
    np.testing.assert_array_equal(M.confusion_matrix(Y3_TRUE, Y3_PRED),
                                  skm.confusion_matrix(Y3_TRUE, Y3_PRED))
    labels = [3, 1, 0]
    np.testing.assert_array_equal(M.confusion_matrix(Y3_TRUE, Y3_PRED, labels=labels),
                                  skm.confusion_matrix(Y3_TRUE, Y3_PRED, labels=labels))
    assert M.confusion_matrix([0, 1], [1, 1], num_classes=3).shape == (3, 3)


def test_string_labels_and_tensors():
    t, p = ["cat", "dog", "dog", "eel"], ["cat", "dog", "eel", "eel"]
    np.testing.assert_array_equal(M.confusion_matrix(t, p), skm.confusion_matrix(t, p))
    assert M.f1_score(t, p, average="macro") == pytest.approx(skm.f1_score(t, p, average="macro"))
    assert M.accuracy_score(tensor([1, 2, 3]), tensor([1, 2, 0])) == pytest.approx(2 / 3)


@pytest.mark.parametrize("average", ["macro", "micro", "weighted", None])
def test_precision_recall_f1_multiclass(average):
    for ours, theirs in [(M.precision_score, skm.precision_score),
                         (M.recall_score, skm.recall_score), (M.f1_score, skm.f1_score)]:
        np.testing.assert_allclose(ours(Y3_TRUE, Y3_PRED, average=average),
                                   theirs(Y3_TRUE, Y3_PRED, average=average), rtol=1e-12)


def test_binary_and_zero_division():
    for ours, theirs in [(M.precision_score, skm.precision_score),
                         (M.recall_score, skm.recall_score), (M.f1_score, skm.f1_score)]:
        assert ours(Y2_TRUE, Y2_PRED) == pytest.approx(theirs(Y2_TRUE, Y2_PRED), rel=1e-12)
        assert ours(Y2_TRUE, Y2_PRED, pos_label=0) == \
            pytest.approx(theirs(Y2_TRUE, Y2_PRED, pos_label=0), rel=1e-12)
    # a class never predicted: precision 0/0 -> 0, as sklearn with zero_division=0
    t, p = [0, 1, 2, 2], [0, 1, 1, 1]
    np.testing.assert_allclose(M.precision_score(t, p, average=None),
                               skm.precision_score(t, p, average=None, zero_division=0))
    s = M.precision_recall_fscore_support(t, p)[3]
    np.testing.assert_array_equal(s, [1, 1, 2])


def test_metric_errors():
    with pytest.raises(ValueError, match="average='binary'"):
        M.precision_score(Y3_TRUE, Y3_PRED)
    with pytest.raises(ValueError, match="same length"):
        M.accuracy_score([0, 1], [0])
    with pytest.raises(ValueError, match="average in"):
        M.f1_score([0, 1], [0, 1], average="bogus")
    with pytest.raises(ValueError, match="k >= 1"):
        M.top_k_accuracy_score([0], [[1.0, 0.0]], k=0)


@pytest.mark.parametrize("k", [1, 2, 3])
def test_top_k_matches_sklearn(k):
    scores = rng.normal(size=(200, 4))
    assert M.top_k_accuracy_score(Y3_TRUE, scores, k=k) == \
        pytest.approx(skm.top_k_accuracy_score(Y3_TRUE, scores, k=k, labels=[0, 1, 2, 3]))


def test_regression_metrics_match_sklearn():
    t = rng.normal(size=(100, 3))
    p = t + rng.normal(scale=0.3, size=(100, 3))
    for ours, theirs in [(M.mean_squared_error, skm.mean_squared_error),
                         (M.mean_absolute_error, skm.mean_absolute_error),
                         (M.r2_score, skm.r2_score)]:
        assert ours(t, p) == pytest.approx(theirs(t, p), rel=1e-12)
        assert ours(t[:, 0], p[:, :1]) == pytest.approx(theirs(t[:, 0], p[:, 0]), rel=1e-12)
    const = np.ones(5)
    assert M.r2_score(const, const) == skm.r2_score(const, const) == 1.0
    assert M.r2_score(const, const + 1) == skm.r2_score(const, const + 1) == 0.0
    with pytest.raises(ValueError, match="same shape"):
        M.mean_squared_error(np.zeros((4, 2)), np.zeros((4, 3)))
