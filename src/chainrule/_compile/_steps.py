"""The small closures a plan is made of: generic forward/backward of an op, gradient delivery
(where the engine would put each gradient), zero_grad and the finite-loss check."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..autograd.engine import sum_to_shape
from ..tensor import Tensor
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


def deliver(t: tuple[Any, ...], gi: np.ndarray, pend: list[Any]) -> None:
    """Send one input gradient where the engine would: a leaf's buffer or a pending sum."""
    kind, where, first, shape, dtype = t
    if gi.shape != shape:
        gi = sum_to_shape(gi, shape)
    if gi.dtype != dtype:
        gi = gi.astype(dtype)
    if kind == "leaf":
        if first:
            np.copyto(where, gi)
        else:
            where += gi
    elif first:
        pend[where] = gi
    else:
        pend[where] = pend[where] + gi


def sink(t: tuple[Any, ...], pend: list[Any], shape: tuple[int, ...],
         dtype: np.dtype) -> Callable[[np.ndarray], None]:
    """``deliver`` specialised for a gradient of known shape and dtype (a rule's output)."""
    kind, where, first, t_shape, t_dtype = t
    if shape != t_shape or dtype != t_dtype:
        return lambda gi: deliver(t, gi, pend)
    if kind == "node" and first:
        return lambda gi: pend.__setitem__(where, gi)
    if kind == "leaf" and first:
        copyto = np.copyto
        return lambda gi: copyto(where, gi)
    return lambda gi: deliver(t, gi, pend)


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
