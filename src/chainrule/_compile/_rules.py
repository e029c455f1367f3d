"""Faster replay rules for the hot ops (preallocated buffers, ``out=``); same numbers as eager.

A rule replaces the generic ``forward``/``backward`` call of one recorded op. Each rule does
the same floating-point operations in the same order as the op's own code, so replay stays
bitwise identical to eager mode; it only saves allocations, passes and Python calls.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..ops.loss import CrossEntropyLoss


class PrecheckError(Exception):
    """A value check failed before the replay changed anything: run the step eagerly."""


def fusions(tape: Any) -> dict[int, int]:
    """Op index -> index of the activation fused into it (none yet)."""
    return {}


def forward_rule(plan: Any, k: int, op: Any, ins: list[tuple[str, Any]], kw: dict[str, Any],
                 ctx: Any, out: int) -> Callable[[], None] | None:
    if op.cls is CrossEntropyLoss and len(ins) > 1 and ins[1][0] == "slot":
        _target_check(plan, ins[1][1], op.result._data, kw)
    return None


def backward_rule(plan: Any, k: int, op: Any, targets: list[Any],
                  pend: list[Any]) -> Callable[[], None] | None:
    return None


def _target_check(plan: Any, slot: int, result: np.ndarray, kw: dict[str, Any]) -> None:
    """Class indices must lie in [0, C) (or be ignore_index), as the eager loss checks."""
    v = plan.v
    c_dim = None

    def check() -> bool:
        t = v[slot]
        if t.dtype.kind not in "iu" or not t.size:
            return True
        lo, hi = int(t.min()), int(t.max())
        c = c_dim[0] if c_dim else None
        return lo >= 0 and (c is None or hi < c)
    # the number of classes is the logits' dim 1: read from the recorded input shape
    x = plan.tape.ops[len(plan.op_slot) - 1].args[0]
    shape = x._data.shape if hasattr(x, "_data") else np.shape(x)
    c_dim = [shape[1] if len(shape) >= 2 else shape[0]]
    plan.prechecks.append(check)  # ignored targets (outside [0, C)) also run eagerly
