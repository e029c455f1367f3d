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
    """Save atomically: a failed save leaves no half-written file behind; mode 0644 (umask)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".png", dir=path.parent)
    os.close(fd)
    try:
        fig.savefig(tmp, dpi=100)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; figures are for everyone
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _classes(y: np.ndarray) -> np.ndarray:
    c = np.asarray(y).reshape(len(y), -1)
    c = c[:, 0] if c.shape[1] == 1 else c.argmax(axis=1)
    return np.rint(c).astype(np.int64)


def _cm(model: Any, X: np.ndarray, y: np.ndarray, n: int) -> np.ndarray:
    proba = predict_proba(model, X, output="logits")
    cm = np.zeros((n, n), dtype=np.int64)
    np.add.at(cm, (np.clip(_classes(y), 0, n - 1), np.clip(proba.argmax(axis=1), 0, n - 1)), 1)
    return cm


def _values(model: Any, X: np.ndarray, scaler: Any) -> np.ndarray:
    from ..train import predict
    out = predict(model, X)
    return out if scaler is None else scaler.inverse_transform(out)


def save_run_figures(run_dir: str | Path, history: Any, model: Any, X: np.ndarray, y: np.ndarray,
                     task: str, class_names: Sequence[str] | None,
                     val: tuple[Any, Any] | None = None, target_scaler: Any = None,
                     target_name: str | None = None,
                     feature_names: Sequence[str] | None = None) -> list[Path]:
    """Write a run's figures as PNG into ``run_dir``; return their paths.

    - ``training_curves.png``: loss, metrics, validation and lr per epoch (if
      ``history`` has epochs);
    - ``confusion_matrix.png``: for 'binary' and 'multiclass' (the model's
      predictions on ``X`` against ``y``), and ``confusion_matrix_val.png`` on
      ``val`` = (X_val, y_val) when given;
    - ``decision_boundary.png``: for classification on 2-D data;
    - ``predicted_vs_true.png`` and ``residuals.png``: for regression, in the
      target's units (``target_scaler`` maps the outputs and ``y`` back), the axes
      named after ``target_name``; the decision boundary's axes after ``feature_names``.

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
    has_val = val is not None and val[0] is not None and len(val[0]) > 0
    if task == "regression":
        from .regression import plot_predicted_vs_true, plot_residuals

        def back(t: Any) -> np.ndarray:
            t = np.asarray(t, np.float64).reshape(len(t), -1)
            return t if target_scaler is None else target_scaler.inverse_transform(t)
        name = (target_name or "target").split(",")[0]
        t, p = back(labels)[:, 0], _values(model, X, target_scaler)[:, 0]
        v = None
        if has_val:
            assert val is not None
            xv = np.asarray(val[0]).reshape(len(val[0]), -1)
            v = (back(val[1])[:, 0], _values(model, xv, target_scaler)[:, 0])
        written.append(_write_png(plot_predicted_vs_true(t, p, name, v),
                                  d / "predicted_vs_true.png"))
        written.append(_write_png(plot_residuals(t, p, name, v), d / "residuals.png"))
        return written
    classes = _classes(labels)
    names = list(class_names) if class_names else None
    n = len(names) if names else int(max(classes.max(initial=0), 1)) + 1
    written.append(_write_png(plot_confusion_matrix(_cm(model, X, labels, n), names,
                                                    title="Training data"),
                              d / "confusion_matrix.png"))
    if has_val:
        assert val is not None
        xv = np.asarray(val[0]).reshape(len(val[0]), -1)
        written.append(_write_png(plot_confusion_matrix(_cm(model, xv, np.asarray(val[1]), n),
                                                        names, title="Validation data"),
                                  d / "confusion_matrix_val.png"))
    if X.shape[1] == 2:
        fig = plot_decision_boundary(model, X, classes, class_names=names, output="logits",
                                     title="Decision boundary")
        if feature_names is not None and len(feature_names) == 2:
            fig.axes[0].set_xlabel(f"{feature_names[0]} (model input)")
            fig.axes[0].set_ylabel(f"{feature_names[1]} (model input)")
        written.append(_write_png(fig, d / "decision_boundary.png"))
    return written
