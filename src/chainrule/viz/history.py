"""Training curves from a History: loss, each metric (with its val_ twin) and the learning rate."""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._mpl import COLORS, figure

_SKIP = {"time", "epoch_time", "seconds", "duration"}


def _series(history: Any) -> tuple[list[int], dict[str, list[float]]]:
    if hasattr(history, "history") and hasattr(history, "epoch"):
        return list(history.epoch), {k: list(v) for k, v in history.history.items()}
    if isinstance(history, dict):
        values = {str(k): [float(x) for x in v] for k, v in history.items()}
        n = max((len(v) for v in values.values()), default=0)
        return list(range(n)), values
    raise TypeError(f"plot_history: expected a History or a dict of lists, got "
                    f"{type(history).__name__}")


def plot_history(history: Any, title: str | None = None) -> Any:
    """One panel per quantity: loss, each metric (train solid, validation dashed), lr.

    ``history``: a ``chainrule.train.History`` (``fit`` returns one) or a dict
    ``{"loss": [...], "val_loss": [...], ...}``. Keys such as ``time`` are left out.
    Returns a Figure, 4 inches wide per panel (at most 3 per row), 3 inches per row.

    Example
    -------
    >>> fig = plot_history({"loss": [1.0, 0.5, 0.3], "val_loss": [1.1, 0.7, 0.6],
    ...                     "accuracy": [0.5, 0.8, 0.9], "lr": [0.1, 0.1, 0.01]})
    >>> [ax.get_title() for ax in fig.axes]
    ['loss', 'accuracy', 'learning rate']
    """
    epochs, series = _series(history)
    if not epochs:
        raise ValueError("plot_history: expected at least one epoch, got an empty history")
    keys = [k for k in series if not k.startswith("val_") and k not in _SKIP and k != "lr"]
    keys += [k[4:] for k in series if k.startswith("val_") and k[4:] not in series
             and k[4:] not in keys]
    panels = sorted(keys, key=lambda k: (k != "loss", list(series).index(k)
                                         if k in series else len(series)))
    if "lr" in series:
        panels.append("lr")
    ncols = min(3, len(panels))
    nrows = -(-len(panels) // ncols)
    fig = figure(4.0 * ncols, 3.0 * nrows)
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    x = np.asarray(epochs) + 1
    for ax, key in zip(axes, panels):
        if key == "lr":
            lr = np.asarray(series["lr"], dtype=float)
            ax.plot(x, lr, color=COLORS[2], marker="." if len(x) < 40 else None)
            finite = lr[np.isfinite(lr) & (lr > 0)]
            if finite.size and finite.max() / finite.min() > 20:
                ax.set_yscale("log")
            elif finite.size:
                ax.set_ylim(0, 1.15 * finite.max())
            ax.set_title("learning rate")
        else:
            for k, style, color in ((key, "-", COLORS[0]), ("val_" + key, "--", COLORS[1])):
                if k in series:
                    v = np.asarray(series[k], dtype=float)
                    label = "validation" if k.startswith("val_") else "training"
                    ax.plot(x, v, ls=style, color=color, label=label,
                            marker="." if len(x) < 40 else None)
            ax.set_title(key)
            if "val_" + key in series:
                ax.legend(fontsize=8)
            _maybe_log(ax, key, series)
        ax.set_xlabel("epoch")
        ax.grid(alpha=0.3)
    for ax in axes[len(panels):]:
        ax.remove()
    if title:
        fig.suptitle(title)
    return fig


def _maybe_log(ax: Any, key: str, series: dict[str, list[float]]) -> None:
    """Losses spanning more than two decades read better on a log scale."""
    if "loss" not in key and "error" not in key:
        return
    v = [x for k in (key, "val_" + key) for x in series.get(k, []) if math.isfinite(x)]
    if v and min(v) > 0 and max(v) / min(v) > 100:
        ax.set_yscale("log")
