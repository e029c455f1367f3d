"""The step ``fit`` runs: forward, loss, a finite-loss check, zero_grad, backward, step."""
from __future__ import annotations

import functools
import math
from typing import Any, Callable

from ._record import NonFiniteStepError, is_recording


def fit_step(model: Any, loss_fn: Any, optimizer: Any, capture: bool = True) -> Callable[..., Any]:
    """``step(xb, yb) -> (out, loss)``; raises :class:`NonFiniteStepError` before any update when
    the loss is NaN or infinite. Captured (``chainrule.compile``) when ``capture``."""

    def step(xb: Any, yb: Any) -> tuple[Any, Any]:
        out = model(xb)
        loss = loss_fn(out, yb)
        if not is_recording():  # eager: check here; recording and replay check before backward
            value = loss.item()
            if not math.isfinite(value):
                raise NonFiniteStepError(value)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return out, loss

    if not capture:
        return step
    from . import CompiledStep
    return CompiledStep(step, guard_nonfinite=True, static=static(model, loss_fn))


def static(*modules: Any) -> bool:
    """Whether every module in ``modules`` (and below) is a library class whose forward runs
    the same ops on every call: no Python branch on tensor values, no array made outside the
    ops. Then one recording of a step shows all it does (``tests/compile/test_compile_static.py``
    checks each class against the usual two recordings)."""
    from ..nn.modules.module import Module
    kinds = static_kinds()
    for top in modules:
        if not isinstance(top, Module):
            return False
        if any(type(m) not in kinds for m in top.modules()):
            return False
    return True


@functools.cache
def static_kinds() -> frozenset[type]:
    """The module classes :func:`static` trusts."""
    from .. import nn
    return frozenset((
        nn.Sequential, nn.MLP, nn.Linear, nn.Identity, nn.Flatten, nn.ReLU, nn.LeakyReLU,
        nn.Sigmoid, nn.Tanh, nn.GELU, nn.ELU, nn.SiLU, nn.Softplus, nn.Softmax, nn.LogSoftmax,
        nn.CrossEntropyLoss, nn.MSELoss, nn.L1Loss, nn.BCELoss, nn.BCEWithLogitsLoss,
        nn.NLLLoss, nn.HuberLoss, nn.SmoothL1Loss))
