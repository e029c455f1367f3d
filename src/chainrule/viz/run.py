"""The figures of a training run, written into its run folder (``chainrule train`` calls this)."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .confusion import plot_confusion_matrix
from .decision import plot_decision_boundary, predict_proba
from .history import plot_history

TASKS = ("binary", "multiclass", "regression")


def _write_png(fig: Any, path: Path) -> Path:
    """Save atomically: a failed save leaves no half-written file behind."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".png", dir=path.parent)
    os.close(fd)
    try:
        fig.savefig(tmp, dpi=100)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def save_run_figures(run_dir: str | Path, history: Any, model: Any, X: np.ndarray, y: np.ndarray,
                     task: str, class_names: Sequence[str] | None) -> list[Path]:
    """Write a run's figures as PNG into ``run_dir``; return their paths.

    - ``training_curves.png``: loss, metrics, validation and lr per epoch (if
      ``history`` has epochs);
    - ``confusion_matrix.png``: for 'binary' and 'multiclass' (the model's
      predictions on ``X`` against ``y``);
    - ``decision_boundary.png``: for classification on 2-D data.

    ``X``, ``y``: the training data as the model sees it (after scaling); the
    model gives one logit per sample ('binary') or one per class ('multiclass').

    Example
    -------
    >>> import tempfile, numpy as np, chainrule as cr
    >>> X = np.random.default_rng(0).normal(size=(40, 2)).astype(np.float32)
    >>> y = (X[:, 0] > 0).astype(np.int64)
    >>> paths = save_run_figures(tempfile.mkdtemp(), {"loss": [0.7, 0.5]}, cr.nn.Linear(2, 1),
    ...                          X, y, "binary", ["no", "yes"])
    >>> [p.name for p in paths]
    ['training_curves.png', 'confusion_matrix.png', 'decision_boundary.png']
    """
    if task not in TASKS:
        raise ValueError(f"save_run_figures: expected task in {TASKS}, got {task!r}")
    d = Path(run_dir)
    if not d.is_dir():
        raise OSError(f"save_run_figures: expected an existing run folder, got {str(d)!r}")
    X = np.asarray(X)
    X = X.reshape(len(X), -1)
    labels = np.asarray(y)
    written: list[Path] = []
    epochs = len(getattr(history, "epoch", None) or []) if hasattr(history, "epoch") else (
        max((len(v) for v in history.values()), default=0) if isinstance(history, dict) else 0)
    if history is not None and epochs:
        written.append(_write_png(plot_history(history, title=f"Training curves ({d.name})"),
                                  d / "training_curves.png"))
    if task == "regression":
        return written
    classes = labels.reshape(len(labels), -1)
    classes = classes[:, 0] if classes.shape[1] == 1 else classes.argmax(axis=1)
    classes = np.rint(classes).astype(np.int64)
    names = list(class_names) if class_names else None
    n = len(names) if names else int(max(classes.max(initial=0), 1)) + 1
    proba = predict_proba(model, X, output="logits")
    cm = np.zeros((n, n), dtype=np.int64)
    np.add.at(cm, (np.clip(classes, 0, n - 1), np.clip(proba.argmax(axis=1), 0, n - 1)), 1)
    written.append(_write_png(plot_confusion_matrix(cm, names, title="Training data"),
                              d / "confusion_matrix.png"))
    if X.shape[1] == 2:
        fig = plot_decision_boundary(model, X, classes, class_names=names, output="logits",
                                     title="Decision boundary")
        written.append(_write_png(fig, d / "decision_boundary.png"))
    return written
