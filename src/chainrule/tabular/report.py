"""The final metric table of a run: chosen metrics, the averaging named, columns that never touch.

Metrics are computed on predictions in the target's own units (regression
outputs are mapped back from their standardised scale) with the functions of
:mod:`chainrule.train.metrics`; the table aligns its columns to the widest
cell and writes very small or very large values in scientific notation.
"""
from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

__all__ = ["METRICS", "check_metrics", "compute_metrics", "default_metrics", "format_table",
           "format_value", "legend"]

METRICS = {"classification": ("loss", "accuracy", "balanced_accuracy", "precision", "recall",
                              "f1"),
           "regression": ("mse", "rmse", "mae", "r2")}


def check_metrics(names: Sequence[str]) -> list[str]:
    """The names, validated against :data:`METRICS` (ValueError naming ``--metrics``)."""
    known = {m for group in METRICS.values() for m in group}
    bad = [m for m in names if m not in known]
    if bad or not names:
        raise ValueError(f"--metrics: expected comma-separated names among {sorted(known)}, got "
                         f"{bad or list(names)}")
    return list(names)


def default_metrics(task: str) -> list[str]:
    """``loss, accuracy, precision, recall, f1`` or ``mse, rmse, mae, r2``."""
    if task == "regression":
        return list(METRICS["regression"])
    return ["loss", "accuracy", "precision", "recall", "f1"]


def compute_metrics(task: str, y_true: np.ndarray, pred: np.ndarray, proba: np.ndarray | None,
                    names: Sequence[str] | None = None) -> dict[str, float]:
    """``{label: value}``; multi-class scores name their averaging (``f1_macro``).

    Metrics that do not apply to the task (``r2`` for a classifier) are left out.

    Example
    -------
    >>> compute_metrics("multiclass", np.array([0, 1, 2]), np.array([0, 1, 1]), None,
    ...                 ["accuracy", "f1"])
    {'accuracy': 0.6666666666666666, 'f1_macro': 0.5555555555555555}
    """
    from ..train import metrics as m
    names = list(names or default_metrics(task))
    out: dict[str, float] = {}
    if task == "regression":  # float64, scaled by a power of two if too large to square
        from ..train._regression import _ldexp, _scaled
        t = np.asarray(y_true, np.float64).reshape(len(y_true), -1)
        p = np.asarray(pred, np.float64).reshape(len(pred), -1)
        ts, ps, e = _scaled(t, p)
        squared = float(np.mean((ts - ps) ** 2))
        for name in names:
            if name == "mse":
                out["mse"] = _ldexp(squared, 2 * e)
            elif name == "rmse":
                out["rmse"] = _ldexp(math.sqrt(squared), e)
            elif name == "mae":
                out["mae"] = _ldexp(float(np.mean(np.abs(ts - ps))), e)
            elif name == "r2":
                r2 = [m.r2_score(t[:, k], p[:, k]) for k in range(t.shape[1])]
                out["r2" if len(r2) == 1 else "r2_mean"] = float(np.mean(r2))
        return out
    t, p = np.asarray(y_true, np.int64), np.asarray(pred, np.int64)
    average = "binary" if task == "binary" else "macro"
    n = int(max(t.max(initial=0), p.max(initial=0))) + 1
    labels = np.arange(proba.shape[1] if proba is not None else n)
    for name in names:
        if name == "loss" and proba is not None:
            picked = np.clip(proba[np.arange(len(t)), t], 1e-15, 1.0)
            out["loss"] = float(-np.mean(np.log(picked)))
        elif name == "accuracy":
            out["accuracy"] = m.accuracy_score(t, p)
        elif name == "balanced_accuracy":
            r = m.recall_score(t, p, average="macro", labels=labels[np.isin(labels, t)])
            out["balanced_accuracy"] = float(r)
        elif name in ("precision", "recall", "f1"):
            fn = {"precision": m.precision_score, "recall": m.recall_score,
                  "f1": m.f1_score}[name]
            kwargs: dict[str, Any] = {"average": average}
            if average == "macro":
                kwargs["labels"] = labels
            out[name if average == "binary" else f"{name}_macro"] = float(fn(t, p, **kwargs))
    return out


def legend(task: str, class_names: Sequence[str] | None = None) -> str:
    """What the labels mean: the loss, the averaging, the positive class.

    Example
    -------
    >>> legend("multiclass")
    'loss: cross-entropy; _macro: unweighted mean over the classes'
    """
    if task == "regression":
        return "in the target's units; r2_mean: mean over the outputs"
    if task == "binary":
        pos = repr(class_names[1]) if class_names and len(class_names) > 1 else "1"
        return f"loss: cross-entropy; precision, recall, f1: of the positive class {pos}"
    return "loss: cross-entropy; _macro: unweighted mean over the classes"


def format_value(value: float) -> str:
    """Four decimals; scientific notation below 1e-3 or from 1e6 on.

    Example
    -------
    >>> [format_value(v) for v in (0.91234, 3.2e-07, 713792.93759, 2.5e9, 0.0)]
    ['0.9123', '3.200e-07', '713792.9376', '2.500e+09', '0.0000']
    """
    if not math.isfinite(value):
        return str(value)
    if value != 0 and (abs(value) < 1e-3 or abs(value) >= 1e6):
        return f"{value:.3e}"
    return f"{value:.4f}"


def format_table(columns: Sequence[tuple[str, dict[str, float]]]) -> str:
    """Rows of metrics against columns of splits, right-aligned, two spaces at least between.

    Example
    -------
    >>> print(format_table([("train", {"mse": 713792.93759}), ("val", {"mse": 923988.1875})]))
    metric        train          val
    mse     713792.9376  923988.1875
    """
    keys: list[str] = []
    for _, values in columns:
        keys += [k for k in values if k not in keys]
    cells = [[format_value(values[k]) if k in values else "-" for _, values in columns]
             for k in keys]
    first = max([len("metric"), *(len(k) for k in keys)])
    widths = [max(len(name), *(len(row[j]) for row in cells)) for j, (name, _) in
              enumerate(columns)]
    lines = ["metric".ljust(first) + "".join(f"  {name:>{w}}" for (name, _), w in
                                              zip(columns, widths))]
    for k, row in zip(keys, cells):
        lines.append(k.ljust(first) + "".join(f"  {c:>{w}}" for c, w in zip(row, widths)))
    return "\n".join(lines)
