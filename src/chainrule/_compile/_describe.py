"""Comparing two recordings of a step: did both run the same ops on the same kinds of inputs?

``describe`` turns a tape into a list that compares equal for two calls that did the same
thing: each op's class, options, output shape and dtype, and for each input whether it is an
argument of the step, an earlier op's output, a parameter, a constant (the same object on
both calls) or a literal; then the backward, zero_grad and step events, the
engine's backward order and the modules that ran in which mode.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .._dtype import dtype
from ..tensor import Tensor
from ._record import Tape

_LITERALS = (int, float, complex, str, bool, type(None), np.dtype, dtype)


def describe(tape: Tape, args: tuple[Any, ...]) -> list[Any]:
    """A comparable description of a tape: ops, how their inputs connect, events."""
    slots: dict[int, int] = {}
    for i, a in enumerate(args):
        arr = a._data if isinstance(a, Tensor) else a
        if isinstance(arr, np.ndarray):
            slots[id(arr)] = -1 - i
    out: list[Any] = []
    for k, op in enumerate(tape.ops):
        ins = tuple(_arg(a, slots) for a in op.args)
        kw = tuple((n, _arg(v, slots)) for n, v in sorted(op.kwargs.items()))
        r = op.result._data
        out.append((op.cls, ins, kw, r.shape, r.dtype, op.node is not None, op.event))
        slots[id(r)] = k
    for ev in tape.events:
        if ev[0] == "zero_grad":
            out.append(("zero_grad", tuple(id(p) for p in ev[1]), ev[2]))
        elif ev[0] == "step":
            out.append(("step", id(ev[1])))
        elif ev[0] == "backward":
            out.append(("backward", slots.get(id(ev[1]._data))))
    out.append(("backward_order", tuple(tape.backward_order)))
    out.append(("modules", tuple((k, m[1]) for k, m in tape.modules.items())))
    return out


def _arg(a: Any, slots: dict[int, int]) -> Any:
    if isinstance(a, Tensor):
        if id(a._data) in slots:
            return ("slot", slots[id(a._data)], a.requires_grad and a.grad_fn is None)
        if a.requires_grad and a.grad_fn is None:
            return ("leaf", id(a))
        if a.grad_fn is not None:
            return ("outside", id(a))  # a graph built before the step
        return ("const", _Const(a._data, a))
    if isinstance(a, np.ndarray):
        if id(a) in slots:
            return ("slot", slots[id(a)], False)
        return ("const", _Const(a, None))
    if isinstance(a, np.generic):
        return ("lit", a.item())
    if isinstance(a, _LITERALS):
        return ("lit", a)
    if isinstance(a, (tuple, list)) and all(isinstance(x, _LITERALS) for x in a):
        return ("lit", tuple(a))
    return ("object", id(a))


class _Const:
    """An op input made outside the ops: it must be the very same object on both calls.

    A fresh array on each call (``out > 0.3``, a one-hot made with NumPy, a random mask) may
    depend on the data, even when two calls happen to give equal values: not replayable.
    """

    __slots__ = ("array", "tensor")

    def __init__(self, array: np.ndarray, tensor: Tensor | None) -> None:
        self.array, self.tensor = array, tensor

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _Const):
            return NotImplemented
        if self.tensor is not None and self.tensor is other.tensor:
            return True  # a persistent tensor (a module's buffer): read at each call
        return self.array is other.array

    __hash__ = None  # type: ignore[assignment]


def same(d1: list[Any], d2: list[Any]) -> bool:
    if len(d1) != len(d2):
        return False
    try:
        return all(a == b for a, b in zip(d1, d2))
    except (ValueError, TypeError):
        return False
