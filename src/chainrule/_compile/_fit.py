"""The step ``fit`` runs: forward, loss, a finite-loss check, zero_grad, backward, step."""
from __future__ import annotations

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
    return CompiledStep(step, guard_nonfinite=True)
