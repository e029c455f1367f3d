"""Regression metrics in float64, scikit-learn's names and semantics (see :mod:`.metrics`).

Values too large to square in float64 (beyond ~1e120) are scaled by a power of two
first (exact), so the mean absolute error, the root mean squared error and R² of
targets far beyond float32's range stay finite; the mean squared error is infinite
only when the value itself exceeds float64.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["mean_absolute_error", "mean_squared_error", "r2_score", "root_mean_squared_error"]

_BIG = 2.0 ** 400  # squares (and sums of squares) of smaller differences stay finite


def _regression_pair(y_true: Any, y_pred: Any, where: str) -> tuple[np.ndarray, np.ndarray]:
    t = np.asarray(y_true, dtype=np.float64)
    p = np.asarray(y_pred, dtype=np.float64)
    if t.shape != p.shape and t.size == p.size and t.ndim <= 2 and p.ndim <= 2 and \
            1 in (t.shape[-1:] + p.shape[-1:]):
        t, p = t.reshape(-1), p.reshape(-1)  # (n,) against (n, 1)
    if t.shape != p.shape:
        raise ValueError(f"{where}: expected y_true and y_pred of the same shape, got "
                         f"{t.shape} and {p.shape}")
    if t.ndim == 1:
        t, p = t[:, None], p[:, None]
    return t, p


def _scaled(t: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """``(t / 2**e, p / 2**e, e)``: e = 0 unless the values are too large to square."""
    with np.errstate(invalid="ignore"):
        m = float(max(np.abs(t).max(initial=0.0), np.abs(p).max(initial=0.0)))
    if not _BIG < m < math.inf:
        return t, p, 0
    e = math.frexp(m)[1]
    return np.ldexp(t, -e), np.ldexp(p, -e), e


def _ldexp(x: float, e: int) -> float:
    """``x * 2**e``, infinite (not an OverflowError) beyond float64."""
    try:
        return math.ldexp(x, e)
    except OverflowError:
        return math.copysign(math.inf, x)


def mean_squared_error(y_true: Any, y_pred: Any) -> float:
    """Mean of squared errors (averaged uniformly over outputs).

    Shape
    -----
    y_true, y_pred: (n,) or (n, outputs).

    Example
    -------
    >>> mean_squared_error([1.0, 2.0, 3.0], [1.0, 2.0, 5.0])
    1.3333333333333333
    """
    t, p = _regression_pair(y_true, y_pred, "mean_squared_error")
    if not t.size:
        return float("nan")
    t, p, e = _scaled(t, p)
    return _ldexp(float(np.mean((t - p) ** 2)), 2 * e)


def root_mean_squared_error(y_true: Any, y_pred: Any) -> float:
    """Root of the mean squared error (of each output, then averaged uniformly over outputs).

    Shape
    -----
    y_true, y_pred: (n,) or (n, outputs).

    Example
    -------
    >>> root_mean_squared_error([1.0, 2.0, 3.0], [1.0, 2.0, 5.0])
    1.1547005383792515
    >>> root_mean_squared_error([1e200, 3e200], [2e200, 1e200])  # finite far beyond float32
    1.5811388300841897e+200
    """
    t, p = _regression_pair(y_true, y_pred, "root_mean_squared_error")
    if not t.size:
        return float("nan")
    t, p, e = _scaled(t, p)
    return _ldexp(float(np.mean(np.sqrt(np.mean((t - p) ** 2, axis=0)))), e)


def mean_absolute_error(y_true: Any, y_pred: Any) -> float:
    """Mean of absolute errors (averaged uniformly over outputs).

    Shape
    -----
    y_true, y_pred: (n,) or (n, outputs).

    Example
    -------
    >>> mean_absolute_error([1.0, 2.0, 3.0], [1.0, 2.0, 5.0])
    0.6666666666666666
    """
    t, p = _regression_pair(y_true, y_pred, "mean_absolute_error")
    if not t.size:
        return float("nan")
    t, p, e = _scaled(t, p)
    return _ldexp(float(np.mean(np.abs(t - p))), e)


def r2_score(y_true: Any, y_pred: Any) -> float:
    """Coefficient of determination 1 - SS_res / SS_tot, averaged uniformly over outputs.

    A constant target scores 1.0 when predicted exactly and 0.0 otherwise, as
    scikit-learn; fewer than two samples give NaN.

    Shape
    -----
    y_true, y_pred: (n,) or (n, outputs).

    Example
    -------
    >>> r2_score([1.0, 2.0, 3.0], [1.0, 2.0, 4.0])
    0.5
    """
    t, p = _regression_pair(y_true, y_pred, "r2_score")
    n = t.shape[0]
    if n < 2:
        return float("nan")
    t, p, _ = _scaled(t, p)  # a ratio: the scale cancels
    sst = ((t - t.mean(axis=0)) ** 2).sum(axis=0)
    sse = ((t - p) ** 2).sum(axis=0)
    score = np.ones_like(sse)
    ok = sst > 0
    score[ok] = 1.0 - sse[ok] / sst[ok]
    score[~ok & (sse > 0)] = 0.0
    return float(score.mean())
