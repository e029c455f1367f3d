"""Metrics accumulated batch by batch in ``fit``: a few counts per batch, one result per epoch.

A :class:`Metric` sees the model's raw output and the target of each batch
(``update``), keeps sufficient statistics (counts, sums, a confusion matrix)
and gives the epoch's value with ``result``; the value equals the matching
function of :mod:`chainrule.train.metrics` on the whole epoch's predictions.

Classification outputs are read as logits or probabilities: (n, C) with C > 1
predicts ``argmax``; (n,) or (n, 1) predicts ``output > threshold`` (0 for
logits, the default when the loss is ``BCEWithLogitsLoss``; 0.5 for
probabilities).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .metrics import _scores_from_cm

__all__ = ["Accuracy", "F1Score", "MeanAbsoluteError", "MeanSquaredError", "Metric",
           "Precision", "R2Score", "Recall", "TopKAccuracy", "get_metric"]


class Metric:
    """Base class: ``reset``, ``update(output, target)``, ``result() -> float``; a ``name``.

    Example
    -------
    >>> import numpy as np
    >>> m = Accuracy()
    >>> m.update(np.array([[2.0, 1.0], [0.0, 3.0]]), np.array([0, 0]))
    >>> m.result()
    0.5
    """

    name = "metric"

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        raise NotImplementedError

    def update(self, output: np.ndarray, target: np.ndarray) -> None:
        raise NotImplementedError

    def result(self) -> float:
        raise NotImplementedError

    def configure(self, loss: Any) -> None:
        """Adapt to the loss (e.g. logits vs probabilities); called by ``fit``."""


class _Classification(Metric):
    threshold: float | None

    def configure(self, loss: Any) -> None:
        if self.threshold is None:
            self.threshold = 0.5 if type(loss).__name__ in ("BCELoss", "MSELoss") else 0.0

    def _labels(self, output: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, np.ndarray,
                                                                       int]:
        if output.ndim >= 2 and output.shape[-1] > 1:
            c = output.shape[-1]
            pred = output.reshape(-1, c).argmax(axis=1)
            true = target.reshape(-1, c).argmax(axis=1) if target.shape == output.shape \
                else target.reshape(-1)
            if true.dtype.kind == "f":
                true = true.astype(np.int64)
            return true, pred, c
        threshold = 0.5 if self.threshold is None else self.threshold
        pred = (output.reshape(-1) > threshold).astype(np.int64)
        true = (target.reshape(-1) >= 0.5).astype(np.int64) if target.dtype.kind in "fb" \
            else target.reshape(-1)
        return true, pred, 2


class Accuracy(_Classification):
    """Fraction of correct predictions (argmax, or thresholded single output)."""

    name = "accuracy"

    def __init__(self, threshold: float | None = None) -> None:
        self.threshold = threshold
        super().__init__()

    def reset(self) -> None:
        self.correct, self.count = 0, 0

    def update(self, output: np.ndarray, target: np.ndarray) -> None:
        true, pred, _ = self._labels(output, target)
        if true.shape != pred.shape:
            raise ValueError(f"Accuracy: expected {pred.shape[0]} targets for the outputs of "
                             f"shape {output.shape}, got shape {target.shape}")
        self.correct += int(np.count_nonzero(true == pred))
        self.count += len(true)

    def result(self) -> float:
        return self.correct / self.count if self.count else float("nan")


class TopKAccuracy(Metric):
    """Fraction of samples whose class is among the ``k`` largest outputs."""

    def __init__(self, k: int = 5) -> None:
        if not isinstance(k, int) or k < 1:
            raise ValueError(f"TopKAccuracy: expected k >= 1, got {k!r}")
        self.k, self.name = k, f"top{k}_accuracy"
        super().__init__()

    def reset(self) -> None:
        self.correct, self.count = 0, 0

    def update(self, output: np.ndarray, target: np.ndarray) -> None:
        scores = output.reshape(len(output), -1)
        top = np.argsort(scores, axis=1, kind="mergesort")[:, ::-1][:, :self.k]
        self.correct += int((top == target.reshape(-1, 1)).any(axis=1).sum())
        self.count += len(scores)

    def result(self) -> float:
        return self.correct / self.count if self.count else float("nan")


class _FromConfusion(_Classification):
    index = 0

    def __init__(self, average: str | None = None, threshold: float | None = None) -> None:
        if average not in (None, "binary", "macro", "micro", "weighted"):
            raise ValueError(f"{type(self).__name__}: expected average in ('binary', 'macro', "
                             f"'micro', 'weighted') or None (auto), got {average!r}")
        self.average, self.threshold = average, threshold
        super().__init__()

    def reset(self) -> None:
        self.cm: np.ndarray | None = None

    def update(self, output: np.ndarray, target: np.ndarray) -> None:
        true, pred, c = self._labels(output, target)
        if self.cm is None:
            self.cm = np.zeros((c, c), np.int64)
            self._binary = output.ndim < 2 or output.shape[-1] == 1
        idx = true.astype(np.int64) * c + pred
        self.cm += np.bincount(idx, minlength=c * c).reshape(c, c)

    def result(self) -> float:
        if self.cm is None:
            return float("nan")
        average = self.average or ("binary" if self._binary else "macro")
        cm = self.cm.astype(np.float64)
        if average == "binary":
            return float(_scores_from_cm(cm, 0.0)[self.index][1])
        if average == "micro":
            return float(np.trace(cm) / cm.sum()) if cm.sum() else 0.0
        seen = (cm.sum(axis=0) + cm.sum(axis=1)) > 0  # scikit-learn's union of labels
        cm = cm[np.ix_(seen, seen)]
        scores, support = _scores_from_cm(cm, 0.0)[self.index], cm.sum(axis=1)
        if average == "weighted":
            return float(scores @ support / support.sum()) if support.sum() else 0.0
        return float(scores.mean())


class Precision(_FromConfusion):
    """Precision; ``average`` None picks "binary" for one output, "macro" otherwise."""

    name, index = "precision", 0


class Recall(_FromConfusion):
    """Recall; ``average`` None picks "binary" for one output, "macro" otherwise."""

    name, index = "recall", 1


class F1Score(_FromConfusion):
    """F1; ``average`` None picks "binary" for one output, "macro" otherwise."""

    name, index = "f1", 2


class _Regression(Metric):
    def _pair(self, output: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        o = output.reshape(len(output), -1).astype(np.float64)
        t = target.reshape(len(target), -1).astype(np.float64)
        if o.shape != t.shape:
            raise ValueError(f"{type(self).__name__}: expected targets of shape {output.shape}, "
                             f"got shape {target.shape}")
        return o, t


class MeanSquaredError(_Regression):
    """Mean squared error over all outputs."""

    name = "mse"

    def reset(self) -> None:
        self.total, self.count = 0.0, 0

    def update(self, output: np.ndarray, target: np.ndarray) -> None:
        o, t = self._pair(output, target)
        d = o - t
        self.total += float(np.einsum("ij,ij->", d, d))
        self.count += d.size

    def result(self) -> float:
        return self.total / self.count if self.count else float("nan")


class MeanAbsoluteError(MeanSquaredError):
    """Mean absolute error over all outputs."""

    name = "mae"

    def update(self, output: np.ndarray, target: np.ndarray) -> None:
        o, t = self._pair(output, target)
        self.total += float(np.abs(o - t).sum())
        self.count += o.size


class R2Score(_Regression):
    """Coefficient of determination, averaged over outputs (sums kept in float64)."""

    name = "r2"

    def reset(self) -> None:
        self.n = 0
        self.sums: list[np.ndarray] | None = None

    def update(self, output: np.ndarray, target: np.ndarray) -> None:
        o, t = self._pair(output, target)
        batch = [t.sum(axis=0), (t * t).sum(axis=0), ((t - o) ** 2).sum(axis=0)]
        self.sums = batch if self.sums is None else [a + b for a, b in zip(self.sums, batch)]
        self.n += len(t)

    def result(self) -> float:
        if self.sums is None or self.n < 2:
            return float("nan")
        sum_y, sum_y2, sse = self.sums
        sst = np.maximum(sum_y2 - sum_y * sum_y / self.n, 0.0)
        score = np.ones_like(sse)
        ok = sst > 1e-12 * np.maximum(sum_y2, 1e-300)
        score[ok] = 1.0 - sse[ok] / sst[ok]
        score[~ok & (sse > 0)] = 0.0
        return float(score.mean())


_NAMES: dict[str, Any] = {
    "accuracy": Accuracy, "acc": Accuracy, "precision": Precision, "recall": Recall,
    "f1": F1Score, "f1_score": F1Score, "mse": MeanSquaredError,
    "mean_squared_error": MeanSquaredError, "mae": MeanAbsoluteError,
    "mean_absolute_error": MeanAbsoluteError, "r2": R2Score, "r2_score": R2Score,
}


def get_metric(metric: str | Metric) -> Metric:
    """A fresh :class:`Metric` from a name ("accuracy", "top3_accuracy", "f1", "mse", "r2", ...).

    Example
    -------
    >>> get_metric("top3_accuracy").name
    'top3_accuracy'
    """
    if isinstance(metric, Metric):
        return metric
    if not isinstance(metric, str):
        raise TypeError(f"fit: expected a metric name or a Metric, got {type(metric).__name__}")
    key = metric.lower()
    if key.startswith("top") and key.endswith("_accuracy") and key[3:-9].isdigit():
        return TopKAccuracy(int(key[3:-9]))
    if key not in _NAMES:
        raise ValueError(f"fit: expected a metric among {sorted(_NAMES)} or 'top<k>_accuracy', "
                         f"got {metric!r}")
    return _NAMES[key]()
