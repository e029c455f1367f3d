"""The closures a generated replay still calls: the generic forward/backward of an op without
a replay rule, zero_grad without set_to_none, and the finite-loss check."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..tensor import Tensor
from ._emit import deliver
from ._record import NonFiniteStepError


class UnsupportedError(Exception):
    """The recorded step cannot be replayed; the message says why."""


def result_arrays(result: Any) -> set[int]:
    if isinstance(result, Tensor):
        return {id(result._data)}
    if isinstance(result, (tuple, list)):
        return set().union(*(result_arrays(r) for r in result))
    if isinstance(result, dict):
        return set().union(*(result_arrays(r) for r in result.values()))
    return set()


def same_items(values: Any, expected: tuple[Any, ...] | list[Any]) -> bool:
    vals = tuple(values)
    return len(vals) == len(expected) and all(a is b for a, b in zip(vals, expected))


def generic_forward(v: list[Any], forward: Callable[..., Any], ctx: Any,
                    ins: list[tuple[str, Any]], kw: dict[str, Any], out: int,
                    shape: tuple[int, ...] | None) -> Callable[[], None]:
    """The op's own forward; with ``shape``, an output of another shape (a data-dependent op,
    such as a boolean mask) stops the replay before any update: the step runs eagerly."""
    slots = [(kind == "slot", val) for kind, val in ins]

    def fwd() -> None:
        r = forward(ctx, *[v[val] if is_slot else val for is_slot, val in slots], **kw)
        if type(r) is not np.ndarray:
            r = np.asarray(r)
        if shape is not None and r.shape != shape:
            from ._rules import PrecheckError
            raise PrecheckError
        v[out] = r
    return fwd


def generic_backward(backward: Callable[..., Any], ctx: Any, k: int,
                      targets: list[Any], pend: list[Any]) -> Callable[[], None]:
    def bwd() -> None:
        g = pend[k]
        pend[k] = None
        grads = backward(ctx, g)
        for t, gi in zip(targets, grads):
            if t is None or gi is None:
                continue
            deliver(t, gi, pend)
    return bwd


def finite_check(v: list[Any], slot: int) -> Callable[[], None]:
    def check() -> None:
        if not np.isfinite(v[slot]).all():
            raise NonFiniteStepError(float(v[slot].reshape(-1)[0]))
    return check


def zero(params: list[Tensor], set_to_none: bool) -> Callable[[], None]:
    def zero() -> None:
        for p in params:
            if p.grad is not None:
                if set_to_none:
                    p.grad = None
                else:
                    p.grad._data[...] = 0
    return zero
