"""Metrics on plain arrays, scikit-learn's names and semantics: usable alone or in ``fit``.

Inputs may be NumPy arrays, lists or Tensors; results are Python floats (or
arrays for per-class scores and the confusion matrix). Labels are the sorted
union of the labels in ``y_true`` and ``y_pred`` unless ``labels`` is given,
as in scikit-learn; an undefined ratio (0/0) counts as ``zero_division``.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ._regression import (mean_absolute_error, mean_squared_error, r2_score,
                          root_mean_squared_error)

__all__ = [
    "accuracy_score", "confusion_matrix", "f1_score", "mean_absolute_error",
    "mean_squared_error", "precision_recall_fscore_support", "precision_score", "r2_score",
    "recall_score", "root_mean_squared_error", "top_k_accuracy_score",
]

_AVERAGES = ("binary", "micro", "macro", "weighted", None)


def _labels_1d(y: Any, where: str, name: str) -> np.ndarray:
    a = np.asarray(y)
    if a.ndim == 2 and a.shape[1] == 1:
        a = a[:, 0]
    if a.ndim != 1:
        raise ValueError(f"{where}: expected {name} of shape (n,), got shape {a.shape}")
    return a


def _pair(y_true: Any, y_pred: Any, where: str) -> tuple[np.ndarray, np.ndarray]:
    t, p = _labels_1d(y_true, where, "y_true"), _labels_1d(y_pred, where, "y_pred")
    if t.shape != p.shape:
        raise ValueError(f"{where}: expected y_true and y_pred of the same length, got shapes "
                         f"{t.shape} and {p.shape}")
    return t, p


def accuracy_score(y_true: Any, y_pred: Any, *, normalize: bool = True) -> float:
    """Fraction (or number, ``normalize=False``) of predictions equal to the labels.

    Shape
    -----
    y_true, y_pred: (n,).

    Example
    -------
    >>> accuracy_score([0, 1, 2, 2], [0, 2, 2, 2])
    0.75
    """
    t, p = _pair(y_true, y_pred, "accuracy_score")
    correct = int(np.count_nonzero(t == p))
    return float(correct / max(len(t), 1)) if normalize else float(correct)


def top_k_accuracy_score(y_true: Any, y_score: Any, *, k: int = 2,
                         labels: Any = None) -> float:
    """Fraction of samples whose label is among the ``k`` highest scores.

    Columns of ``y_score`` are the classes ``labels`` (default 0..C-1). Ties rank
    the higher column first, as scikit-learn.

    Shape
    -----
    y_true: (n,); y_score: (n, C).

    Example
    -------
    >>> top_k_accuracy_score([0, 1, 2], [[.5, .3, .2], [.6, .1, .3], [.1, .2, .7]], k=2)
    0.6666666666666666
    """
    t = _labels_1d(y_true, "top_k_accuracy_score", "y_true")
    s = np.asarray(y_score)
    if s.ndim != 2 or s.shape[0] != len(t):
        raise ValueError(f"top_k_accuracy_score: expected y_score of shape ({len(t)}, C), got "
                         f"shape {s.shape}")
    if not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"top_k_accuracy_score: expected k >= 1, got {k!r}")
    classes = np.arange(s.shape[1]) if labels is None else np.asarray(labels)
    if len(classes) != s.shape[1]:
        raise ValueError(f"top_k_accuracy_score: expected {s.shape[1]} labels (one per column "
                         f"of y_score), got {len(classes)}")
    top = np.argsort(s, axis=1, kind="mergesort")[:, ::-1][:, :k]
    hits = (classes[top] == t[:, None]).any(axis=1)
    return float(hits.mean()) if len(t) else 0.0


def _label_set(t: np.ndarray, p: np.ndarray, labels: Any) -> np.ndarray:
    return np.union1d(t, p) if labels is None else np.asarray(labels)


def confusion_matrix(y_true: Any, y_pred: Any, *, labels: Any = None,
                     num_classes: int | None = None) -> np.ndarray:
    """Counts ``C[i, j]`` of samples with true label ``i`` predicted as ``j``.

    Rows and columns follow ``labels`` (default: sorted union of labels seen), or
    0..num_classes-1 when ``num_classes`` is given.

    Shape
    -----
    y_true, y_pred: (n,) -> (C, C) int64.

    Example
    -------
    >>> confusion_matrix([0, 1, 1, 2], [0, 1, 2, 2])
    array([[1, 0, 0],
           [0, 1, 1],
           [0, 0, 1]])
    """
    t, p = _pair(y_true, y_pred, "confusion_matrix")
    if num_classes is not None:
        if labels is not None:
            raise ValueError("confusion_matrix: expected labels or num_classes, got both")
        labels = np.arange(num_classes)
    lab = _label_set(t, p, labels)
    ti, pi = _encode(t, lab), _encode(p, lab)
    keep = (ti >= 0) & (pi >= 0)
    n = len(lab)
    return np.bincount(ti[keep] * n + pi[keep], minlength=n * n).reshape(n, n).astype(np.int64)


def _encode(y: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Index of each value in ``labels`` (-1 when absent)."""
    if len(labels) == 0:
        return np.full(len(y), -1, np.int64)
    order = np.argsort(labels, kind="stable")
    sorted_labels = labels[order]
    pos = np.clip(np.searchsorted(sorted_labels, y), 0, len(labels) - 1)
    return np.where(sorted_labels[pos] == y, order[pos], -1).astype(np.int64)


def _safe_div(num: np.ndarray, den: np.ndarray, zero_division: float) -> np.ndarray:
    out = np.full(num.shape, float(zero_division))
    np.divide(num, den, out=out, where=den != 0)
    return out


def _scores_from_cm(cm: np.ndarray, zero_division: float
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    cm = cm.astype(np.float64)
    tp = np.diag(cm)
    pred, support = cm.sum(axis=0), cm.sum(axis=1)
    precision = _safe_div(tp, pred, zero_division)
    recall = _safe_div(tp, support, zero_division)
    f1 = _safe_div(2 * tp, pred + support, zero_division)
    return precision, recall, f1, support


def _average(cm: np.ndarray, average: str | None, zero_division: float,
             pos: int | None) -> tuple[Any, Any, Any, Any]:
    precision, recall, f1, support = _scores_from_cm(cm, zero_division)
    if average is None:
        return precision, recall, f1, support.astype(np.int64)
    if average == "binary":
        return float(precision[pos]), float(recall[pos]), float(f1[pos]), None  # type: ignore
    if average == "micro":
        tp, total_pred, total_true = np.trace(cm), cm.sum(), cm.sum()
        p = float(_safe_div(np.array(tp, float), np.array(total_pred, float), zero_division))
        r = float(_safe_div(np.array(tp, float), np.array(total_true, float), zero_division))
        f = float(_safe_div(np.array(2.0 * tp), np.array(total_pred + total_true, float),
                            zero_division))
        return p, r, f, None
    if average == "weighted":
        w = support / support.sum() if support.sum() else np.zeros_like(support)
        return float(precision @ w), float(recall @ w), float(f1 @ w), None
    return float(precision.mean()), float(recall.mean()), float(f1.mean()), None


def precision_recall_fscore_support(y_true: Any, y_pred: Any, *, average: str | None = None,
                                    labels: Any = None, pos_label: Any = 1,
                                    zero_division: float = 0.0) -> tuple[Any, Any, Any, Any]:
    """Precision, recall, F1 and support, per class (``average=None``) or averaged.

    ``average`` is one of "binary" (the ``pos_label`` class only), "micro"
    (global counts), "macro" (unweighted mean over classes), "weighted" (mean
    weighted by support) or None (per-class arrays, with the support).

    Shape
    -----
    y_true, y_pred: (n,) -> floats, or (C,) arrays with ``average=None``.

    Example
    -------
    >>> p, r, f, s = precision_recall_fscore_support([0, 1, 1, 2], [0, 1, 2, 2])
    >>> r.tolist(), s.tolist()
    ([1.0, 0.5, 1.0], [1, 2, 1])
    """
    where = "precision_recall_fscore_support"
    if average not in _AVERAGES:
        raise ValueError(f"{where}: expected average in {_AVERAGES}, got {average!r}")
    t, p = _pair(y_true, y_pred, where)
    lab = _label_set(t, p, labels)
    pos = None
    if average == "binary":
        if len(lab) > 2:
            raise ValueError(f"{where}: expected binary labels with average='binary', got "
                             f"{len(lab)} labels {lab.tolist()}; choose average='macro', "
                             "'micro', 'weighted' or None")
        if pos_label not in lab.tolist():
            if len(lab) == 2:
                raise ValueError(f"{where}: expected pos_label among the labels "
                                 f"{lab.tolist()}, got {pos_label!r}")
            lab = np.union1d(lab, np.asarray([pos_label], dtype=lab.dtype if len(lab) else None))
        pos = lab.tolist().index(pos_label)
    cm = confusion_matrix(t, p, labels=lab)
    return _average(cm, average, zero_division, pos)


def precision_score(y_true: Any, y_pred: Any, *, average: str | None = "binary",
                    labels: Any = None, pos_label: Any = 1, zero_division: float = 0.0) -> Any:
    """Precision tp / (tp + fp); see :func:`precision_recall_fscore_support`.

    Shape
    -----
    y_true, y_pred: (n,).

    Example
    -------
    >>> precision_score([0, 1, 1, 0], [1, 1, 1, 0])
    0.6666666666666666
    """
    return precision_recall_fscore_support(y_true, y_pred, average=average, labels=labels,
                                           pos_label=pos_label, zero_division=zero_division)[0]


def recall_score(y_true: Any, y_pred: Any, *, average: str | None = "binary",
                 labels: Any = None, pos_label: Any = 1, zero_division: float = 0.0) -> Any:
    """Recall tp / (tp + fn); see :func:`precision_recall_fscore_support`.

    Shape
    -----
    y_true, y_pred: (n,).

    Example
    -------
    >>> recall_score([0, 1, 1, 2], [0, 1, 2, 2], average="macro")
    0.8333333333333334
    """
    return precision_recall_fscore_support(y_true, y_pred, average=average, labels=labels,
                                           pos_label=pos_label, zero_division=zero_division)[1]


def f1_score(y_true: Any, y_pred: Any, *, average: str | None = "binary", labels: Any = None,
             pos_label: Any = 1, zero_division: float = 0.0) -> Any:
    """F1, the harmonic mean of precision and recall: 2 tp / (2 tp + fp + fn).

    Shape
    -----
    y_true, y_pred: (n,).

    Example
    -------
    >>> f1_score([0, 1, 1, 0], [1, 1, 1, 0])
    0.8
    """
    return precision_recall_fscore_support(y_true, y_pred, average=average, labels=labels,
                                           pos_label=pos_label, zero_division=zero_division)[2]
