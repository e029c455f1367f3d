"""Regression figures: predicted against true values, and residuals, labelled with the target."""
from __future__ import annotations

from typing import Any

import numpy as np

from ._mpl import COLORS, figure


def _pair(y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray]:
    t = np.asarray(y_true, np.float64).reshape(-1)
    p = np.asarray(y_pred, np.float64).reshape(-1)
    if t.shape != p.shape or t.size == 0:
        raise ValueError(f"regression plot: expected y_true and y_pred of the same non-zero "
                         f"length, got {t.shape} and {p.shape}")
    return t, p


def plot_predicted_vs_true(y_true: Any, y_pred: Any, target: str = "target",
                           val: tuple[Any, Any] | None = None) -> Any:
    """Predicted against true values with the diagonal (perfect predictions); R² in the title.

    Shape
    -----
    y_true, y_pred: (N,); ``val`` an optional (y_true, y_pred) pair drawn in a second colour.

    Example
    -------
    >>> fig = plot_predicted_vs_true([1.0, 2.0, 3.0], [1.1, 1.9, 3.2], target="price")
    >>> fig.axes[0].get_xlabel(), fig.axes[0].get_ylabel()
    ('true price', 'predicted price')
    """
    fig = figure(5, 5)
    ax = fig.add_subplot()
    sets = [("train", *_pair(y_true, y_pred), COLORS[0])]
    if val is not None and val[0] is not None and len(val[0]):
        sets.append(("validation", *_pair(*val), COLORS[1]))
    lo = min(min(t.min(), p.min()) for _, t, p, _ in sets)
    hi = max(max(t.max(), p.max()) for _, t, p, _ in sets)
    ax.plot([lo, hi], [lo, hi], color="0.5", lw=1, ls="--", label="perfect")
    scores = []
    for name, t, p, c in sets:
        ax.scatter(t, p, s=10, alpha=0.6, color=c, label=name)
        ss = ((t - t.mean()) ** 2).sum()
        r2 = 1 - ((t - p) ** 2).sum() / ss if ss > 0 else float("nan")
        scores.append(f"{name} R² {r2:.3f}")
    ax.set_xlabel(f"true {target}")
    ax.set_ylabel(f"predicted {target}")
    ax.set_title("Predicted vs true (" + ", ".join(scores) + ")", fontsize=10)
    ax.legend(loc="upper left", fontsize=8)
    return fig


def plot_residuals(y_true: Any, y_pred: Any, target: str = "target",
                   val: tuple[Any, Any] | None = None) -> Any:
    """Residuals (true - predicted) against the predicted value, with the zero line.

    Example
    -------
    >>> fig = plot_residuals([1.0, 2.0, 3.0], [1.1, 1.9, 3.2], target="price")
    >>> fig.axes[0].get_ylabel()
    'residual (true - predicted price)'
    """
    fig = figure(6, 4)
    ax = fig.add_subplot()
    sets = [("train", *_pair(y_true, y_pred), COLORS[0])]
    if val is not None and val[0] is not None and len(val[0]):
        sets.append(("validation", *_pair(*val), COLORS[1]))
    for name, t, p, c in sets:
        ax.scatter(p, t - p, s=10, alpha=0.6, color=c, label=name)
    ax.axhline(0.0, color="0.5", lw=1, ls="--")
    ax.set_xlabel(f"predicted {target}")
    ax.set_ylabel(f"residual (true - predicted {target})")
    ax.set_title("Residuals", fontsize=10)
    ax.legend(fontsize=8)
    return fig
