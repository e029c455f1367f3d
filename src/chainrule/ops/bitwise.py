"""Bitwise ops on bool and integer tensors, with PyTorch's type promotion: ``&``, ``|``, ``^``,
``~``, ``<<``, ``>>`` and ``bitwise_and`` ... (no gradient). ``mask = (x > 0) & (x < 1)``
combines bool masks; on integers they act on the bits.

PyTorch promotes by category (bool < integer) and, inside the highest category, lets a tensor
with dimensions outrank a 0-d tensor, which outranks a Python number: ``int8_tensor & 3`` and
``int8_tensor & tensor(3)`` stay int8, ``bool_tensor & 1`` is int64.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor, _make

_LONG = np.dtype(np.int64)


def _operand(x: Any, where: str) -> tuple[np.ndarray, int]:
    """The array of one operand and its rank in promotion: 2 a tensor with dimensions, 1 a 0-d
    tensor, 0 a Python number."""
    if isinstance(x, Tensor):
        a, rank = x._data, 2 if x._data.ndim else 1
    elif isinstance(x, (bool, np.bool_, int, np.integer)):
        a, rank = np.asarray(x), 0
    elif isinstance(x, np.ndarray):
        a, rank = x, 2 if x.ndim else 1
    else:
        raise TypeError(f"{where}: expected a bool or integer tensor or number, got "
                        f"{type(x).__name__}")
    if a.dtype.kind not in "biu":
        raise TypeError(f"{where}: expected bool or integer tensors, got dtype {a.dtype}; "
                        "bitwise ops are not defined on floats (compare first: (x > 0) & ...)")
    return a, rank


def result_type(operands: list[tuple[np.ndarray, int]]) -> np.dtype:
    """PyTorch's result dtype for bool/integer operands (see the module docstring)."""
    top = max(a.dtype.kind != "b" for a, _ in operands)
    same = [(a, r) for a, r in operands if (a.dtype.kind != "b") == top]
    best = max(r for _, r in same)
    if best == 0:  # only Python numbers in the top category
        return _LONG if top else np.dtype(np.bool_)
    dt = [a.dtype for a, r in same if r == best]
    return np.result_type(*dt)


def _binary(fn: Any, name: str) -> Any:
    def op(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
        a, b = _operand(input, name), _operand(other, name)
        dt = result_type([a, b])
        try:
            r = _make(np.asarray(fn(a[0].astype(dt, copy=False), b[0].astype(dt, copy=False))))
        except ValueError:
            raise ValueError(f"{name}: expected broadcastable shapes, got {a[0].shape} and "
                             f"{b[0].shape}") from None
        if out is None:
            return r
        from ._util import write_out
        return write_out(out, r, name)
    op.__name__ = op.__qualname__ = name
    op.__doc__ = (f"Elementwise ``{fn.__name__}`` of bool/integer tensors (or numbers), with "
                  "PyTorch's promotion; no gradient.\n\n"
                  "Shape\n-----\ninput, other: broadcastable; output: the broadcast shape.\n\n"
                  f"Example\n-------\n>>> import chainrule as cr\n>>> cr.{name}(cr.tensor([12, "
                  f"10]), 6).tolist()\n{np.asarray(fn(np.array([12, 10]), 6)).tolist()}\n")
    return op


bitwise_and = _binary(np.bitwise_and, "bitwise_and")
bitwise_or = _binary(np.bitwise_or, "bitwise_or")
bitwise_xor = _binary(np.bitwise_xor, "bitwise_xor")
bitwise_left_shift = _binary(np.left_shift, "bitwise_left_shift")
bitwise_right_shift = _binary(np.right_shift, "bitwise_right_shift")


def bitwise_not(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    """``~x``: logical not of a bool tensor, the bits flipped of an integer one (no gradient).

    Shape
    -----
    input: any; output: the same.

    Example
    -------
    >>> import chainrule as cr
    >>> (~cr.tensor([True, False])).tolist(), cr.bitwise_not(cr.tensor([0, 5])).tolist()
    ([False, True], [-1, -6])
    """
    if not isinstance(input, Tensor):
        raise TypeError(f"bitwise_not: expected a Tensor, got {type(input).__name__}")
    a, _ = _operand(input, "bitwise_not")
    r = _make(np.invert(a))
    if out is None:
        return r
    from ._util import write_out
    return write_out(out, r, "bitwise_not")
