"""The confusion matrix: counts of true class (rows) against predicted class (columns)."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ._mpl import cmap, figure


def plot_confusion_matrix(cm: Any = None, class_names: Sequence[str] | None = None,
                          y_true: Any = None, y_pred: Any = None, normalize: bool = False,
                          title: str | None = None) -> Any:
    """Draw a confusion matrix: given (``cm``) or computed from ``y_true`` and ``y_pred``.

    Each cell shows its count (and the row's share when ``normalize``); the diagonal
    is the correct predictions. Returns a Figure (about 1 inch per class, at least 4).

    Shape
    -----
    cm: (C, C); y_true, y_pred: (N,).

    Example
    -------
    >>> fig = plot_confusion_matrix(y_true=[0, 1, 1, 2], y_pred=[0, 1, 2, 2],
    ...                             class_names=["cat", "dog", "fox"])
    >>> [t.get_text() for t in fig.axes[0].get_xticklabels()]
    ['cat', 'dog', 'fox']
    """
    if cm is None:
        if y_true is None or y_pred is None:
            raise ValueError("plot_confusion_matrix: expected cm, or y_true and y_pred, got "
                             "neither")
        from ..train.metrics import confusion_matrix
        labels = None if class_names is None else np.arange(len(class_names))
        cm = confusion_matrix(y_true, y_pred, labels=labels)
    m = np.asarray(cm)
    if m.ndim != 2 or m.shape[0] != m.shape[1] or m.shape[0] == 0:
        raise ValueError(f"plot_confusion_matrix: expected a square matrix, got shape {m.shape}")
    n = m.shape[0]
    names = [str(c) for c in range(n)] if class_names is None else list(class_names)
    if len(names) != n:
        raise ValueError(f"plot_confusion_matrix: expected {n} class names, got {len(names)}")
    rows = m.sum(axis=1, keepdims=True)
    share = np.divide(m, rows, out=np.zeros(m.shape, dtype=float), where=rows > 0)
    size = max(4.0, 0.55 * n + 2)
    fig = figure(size + 1, size)
    ax = fig.add_subplot()
    shown = share if normalize else m
    im = ax.imshow(shown, cmap=cmap("Blues"), vmin=0, vmax=1 if normalize else None)
    fig.colorbar(im, ax=ax, label="share of the true class" if normalize else "count")
    if n <= 30:
        peak = shown.max() if shown.size else 0
        for i in range(n):
            for j in range(n):
                text = f"{m[i, j]}\n{share[i, j]:.0%}" if normalize else f"{m[i, j]}"
                ax.text(j, i, text, ha="center", va="center", fontsize=9 if n <= 10 else 6,
                        color="white" if peak and shown[i, j] > 0.6 * peak else "black")
    ax.set_xticks(range(n), names, rotation=45 if max(map(len, names)) > 3 else 0, ha="right"
                  if max(map(len, names)) > 3 else "center")
    ax.set_yticks(range(n), names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    total = m.sum()
    acc = np.trace(m) / total if total else float("nan")
    ax.set_title(f"{title or 'Confusion matrix'} (accuracy {acc:.1%})", fontsize=11)
    return fig
