"""Evaluation: ``evaluate`` and ``predict``, and the validation pass of ``fit``.

The validation pass runs forward and loss without a graph; where it can it is
captured (:func:`chainrule.compile`) and replayed, as the training step is: the
same numbers with less overhead per epoch.
"""
from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from ..autograd.grad_mode import no_grad
from ._data import as_loader, check_positive_int
from .streaming import Metric, get_metric

__all__ = ["evaluate", "predict"]


def eval_step(model: Any, loss_fn: Any, capture: bool = True) -> Any:
    """``step(xb, yb) -> (out, loss)`` (loss None without ``loss_fn``), to run under no_grad in
    eval mode; captured (``chainrule.compile``) when ``capture``."""

    def step(xb: Any, yb: Any) -> tuple[Any, Any]:
        out = model(xb)
        return out, None if loss_fn is None else loss_fn(out, yb)

    if not capture:
        return step
    from .._compile import CompiledStep
    from .._compile._fit import static
    return CompiledStep(step, static=static(model) and (loss_fn is None or static(loss_fn)))


def plain_modules(model: Any) -> list[Any] | None:
    """The modules of ``model`` if none overrides ``train`` (their modes can then be set
    directly, without walking the tree again), else None."""
    from ..nn import Module
    if not isinstance(model, Module):
        return None
    mods = list(model.modules())
    return mods if all(type(m).train is Module.train for m in mods) else None


def set_training(model: Any, mode: bool, modules: list[Any] | None) -> None:
    """``model.train(mode)``, by setting the flags of ``modules`` (from :func:`plain_modules`)."""
    if modules is None:
        model.train(mode)
        return
    for m in modules:
        object.__setattr__(m, "training", mode)


def _evaluate_loader(model: Any, loader: Any, loss_fn: Any, metrics: Sequence[Metric],
                     step: Any = None, modules: list[Any] | None = None) -> dict[str, float]:
    """Mean loss and metrics over ``loader`` in eval mode (``step``: see :func:`eval_step`;
    ``modules``: see :func:`plain_modules`)."""
    step = eval_step(model, loss_fn, capture=False) if step is None else step
    was_training = getattr(model, "training", True)
    set_training(model, False, modules)
    total, count = 0.0, 0
    for m in metrics:
        m.reset()
    try:
        with no_grad():
            for fields in loader:
                xb, yb = fields[0], fields[1]
                out, loss = step(xb, yb)
                n = len(yb._data)
                if loss is not None:
                    total += loss.item() * n
                count += n
                for m in metrics:
                    m.update(out._data, yb._data)
    finally:
        set_training(model, was_training, modules)
    logs = {"loss": total / count if count else math.nan} if loss_fn is not None else {}
    logs.update({m.name: m.result() for m in metrics})
    return logs


def _metrics(metrics: Sequence[str | Metric], loss: Any) -> list[Metric]:
    if isinstance(metrics, (str, Metric)):
        metrics = [metrics]
    out = [get_metric(m) for m in metrics]
    names = [m.name for m in out]
    dup = sorted({n for n in names if names.count(n) > 1} | ({"loss", "lr", "time"} & set(names)))
    if dup:
        raise ValueError(f"fit: expected distinct metric names (not loss, lr or time), got "
                         f"{dup} twice or reserved")
    for m in out:
        m.configure(loss)
    return out


def evaluate(model: Any, data: Any, *, loss: Any = None, metrics: Sequence[str | Metric] = (),
             batch_size: int = 512) -> dict[str, float]:
    """The mean loss (if ``loss`` is given) and the metrics of ``model`` on ``data``, in eval mode.

    Shape
    -----
    data: (X, y) as for :func:`fit`, a Dataset or a DataLoader.

    Example
    -------
    >>> import numpy as np, chainrule as cr
    >>> from chainrule.train import evaluate
    >>> model = cr.nn.Linear(2, 2)
    >>> logs = evaluate(model, (np.eye(2, dtype=np.float32), np.array([0, 1])),
    ...                 loss=cr.nn.CrossEntropyLoss(), metrics=["accuracy"])
    >>> sorted(logs)
    ['accuracy', 'loss']
    """
    batch_size = check_positive_int(batch_size, "evaluate", "batch_size")
    loader = as_loader(data, model, batch_size, "evaluate")
    return _evaluate_loader(model, loader, loss, _metrics(metrics, loss))


def predict(model: Any, X: Any, *, batch_size: int = 512) -> np.ndarray:  # noqa: N803
    """The model's raw outputs on ``X`` as a NumPy array, in eval mode without a graph.

    Shape
    -----
    X: (N, *features) -> (N, *outputs).

    Example
    -------
    >>> import numpy as np, chainrule as cr
    >>> from chainrule.train import predict
    >>> predict(cr.nn.Linear(3, 2), np.zeros((5, 3), np.float32)).shape
    (5, 2)
    """
    batch_size = check_positive_int(batch_size, "predict", "batch_size")
    data = np.asarray(X) if isinstance(X, (list, tuple)) else X
    loader = as_loader(data, model, batch_size, "predict", allow_x_only=True)
    was_training = getattr(model, "training", True)
    model.eval()
    outs = []
    try:
        with no_grad():
            for fields in loader:
                xb = fields[0] if isinstance(fields, (tuple, list)) else fields
                outs.append(model(xb)._data)
    finally:
        model.train(was_training)
    if not outs:
        raise ValueError("predict: expected at least one sample, got none")
    return np.concatenate(outs)
