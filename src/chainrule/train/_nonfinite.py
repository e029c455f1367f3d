"""Why the loss became NaN or infinite: bad data, an op and its layer, or a diverging loss.

``fit`` calls :func:`diagnose` once, when a batch's loss is not finite (before
the bad step is applied). In order, it looks for: a non-finite value in the
batch's inputs or targets (names the row); parameters already non-finite (the
previous step's gradient was not); a loss that had been growing (diverging:
only then suggests a lower learning rate or clipping); otherwise it re-runs the
batch's forward under anomaly mode to name the op and the layer that made the
first NaN or infinity. The re-run restores the model's buffers (BatchNorm
statistics) and records no graph.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.anomaly import detect_anomaly
from ..autograd.grad_mode import no_grad
from ..lint import state as _lint

DIVERGED = 10.0  # the last finite loss this many times the run's lowest: diverging


def _first_bad_row(a: np.ndarray) -> tuple[int, int] | None:
    """(first bad row, number of bad rows) of a float array, or None if all finite."""
    if a.dtype.kind not in "fc" or a.ndim == 0:
        return None
    with np.errstate(all="ignore"):
        ok = np.isfinite(a.reshape(len(a), -1)).all(axis=1)
    if ok.all():
        return None
    rows = np.flatnonzero(~ok)
    return int(rows[0]), int(rows.size)


def _row_text(row: np.ndarray) -> str:
    flat = np.asarray(row).reshape(-1)
    cols = np.flatnonzero(~np.isfinite(flat))[:5]
    shown = ", ".join(f"column {int(c)} = {flat[c]}" for c in cols)
    return shown + (" ..." if int((~np.isfinite(flat)).sum()) > len(cols) else "")


def _rerun(model: Any, loss_fn: Any, xb: Any, yb: Any) -> str | None:
    """The anomaly error of the batch's forward (op, layer, line), or None if it stays finite."""
    buffers = [(b, b._data.copy()) for b in model.buffers()] if hasattr(model, "buffers") else []
    lint = _lint.on
    _lint.on = False
    try:
        with detect_anomaly(), no_grad(), np.errstate(all="ignore"):
            loss_fn(model(xb), yb)
    except RuntimeError as exc:
        return str(exc)
    finally:
        _lint.on = lint
        for b, saved in buffers:
            b._data[...] = saved
    return None


def diagnose(model: Any, loss_fn: Any, xb: Any, yb: Any, batch: int, last_finite: float | None,
             lowest: float | None) -> tuple[str, bool]:
    """(what was found first, whether the loss diverged) for a non-finite loss in ``batch``
    (counted from 1)."""
    for what, t in (("input", xb), ("target", yb)):
        a = np.asarray(getattr(t, "_data", t))
        bad = _first_bad_row(a)
        if bad is not None:
            row, n = bad
            return (f"non-finite {what} in batch {batch}: row {row} of the batch "
                    f"({_row_text(a[row])}; {n} bad row(s) in this batch); fix the data "
                    "(drop or impute the rows with NaN/inf)"), False
    params = list(model.named_parameters()) if hasattr(model, "named_parameters") else []
    bad_params = [n for n, p in params if not np.isfinite(p._data).all()]
    if bad_params:
        return (f"parameters {bad_params[:3]} are already non-finite, so the previous step's "
                "gradient was not finite; run that step under chainrule.autograd."
                "detect_anomaly() to find the op whose backward made it"), False
    op = _rerun(model, loss_fn, xb, yb)
    diverged = (last_finite is not None and lowest is not None and lowest > 0
                and last_finite >= DIVERGED * lowest)
    if diverged:
        where = f"; it overflowed in {op}" if op else ""
        return (f"the loss diverged: it rose from {lowest:.6g} to {last_finite:.6g} before "
                f"becoming non-finite{where}"), True
    if op:
        return f"an op produced it (re-run under anomaly mode): {op}", False
    return ("the batch's forward stays finite when re-run (randomness such as dropout?); "
            "run the loop under chainrule.autograd.detect_anomaly() to catch it"), False
