"""Elementwise arithmetic and math: y = f(x) or f(a, b), broadcasting as NumPy.

The engine sums broadcast gradients back to each input's shape, so each
backward below just applies the local derivative.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.function import Function
from ..tensor import Tensor, _make
from .. import _dtype
from ._util import floating

_F64 = np.dtype(np.float64)


def _like_torch(out: Any, a: Any, b: Any) -> Any:
    """Result dtype as PyTorch: NumPy widens int (op) float32 and int (op) Python float to
    float64, PyTorch keeps the float operand's dtype (or the default dtype)."""
    if out.dtype != _F64 or (isinstance(a, np.ndarray) and a.dtype == _F64) or \
            (isinstance(b, np.ndarray) and b.dtype == _F64):
        return out
    floats = [x.dtype for x in (a, b) if isinstance(x, np.ndarray) and x.dtype.kind == "f"]
    return out.astype(max(floats, key=lambda d: d.itemsize) if floats else
                      _dtype.float_dtype())


class _Binary(Function):
    @classmethod
    def explain_error(cls, arrays: list[Any], kwargs: dict[str, Any], exc: Exception) -> str | None:
        if "broadcast" not in str(exc):
            return None
        a, b = (np.shape(x) for x in arrays[:2])
        return f"{cls.__name__.lower()}: expected broadcastable shapes, got {a} and {b}"


class Add(_Binary):
    """y = a + b; dy/da = 1, dy/db = 1"""

    @staticmethod
    def forward(ctx, a, b):
        return _like_torch(np.add(a, b), a, b)

    @staticmethod
    def backward(ctx, grad_out):
        return grad_out, grad_out


class Sub(_Binary):
    """y = a - b; dy/da = 1, dy/db = -1"""

    @staticmethod
    def forward(ctx, a, b):
        return _like_torch(np.subtract(a, b), a, b)

    @staticmethod
    def backward(ctx, grad_out):
        return grad_out, (-grad_out if ctx.needs_input_grad[1] else None)


class Mul(_Binary):
    """y = a * b; dy/da = b, dy/db = a"""

    _saved_for = (1, 0)  # a is read only for dy/db, b only for dy/da

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return _like_torch(np.multiply(a, b), a, b)

    @staticmethod
    def backward(ctx, grad_out):
        a, b = ctx.saved_arrays
        n = ctx.needs_input_grad
        return (grad_out * b if n[0] else None), (grad_out * a if n[1] else None)


class Div(_Binary):
    """y = a / b; dy/da = 1/b, dy/db = -a/b²"""

    _saved_for = (1, None)  # a is read only for dy/db

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return _like_torch(np.true_divide(a, b), a, b)  # int / int is a float, as PyTorch

    @staticmethod
    def backward(ctx, grad_out):
        a, b = ctx.saved_arrays
        n = ctx.needs_input_grad
        ga = grad_out / b if n[0] else None
        gb = -grad_out * a / (b * b) if n[1] else None
        return ga, gb


class Pow(_Binary):
    """y = a ** b; dy/da = b·a^(b-1), dy/db = y·ln(a)"""

    @staticmethod
    def forward(ctx, a, b):
        out = _like_torch(np.power(a, b), a, b)
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx, grad_out):
        a, b, out = ctx.saved_arrays
        n = ctx.needs_input_grad
        ga = grad_out * b * np.power(a, b - 1) if n[0] else None
        gb = None
        if len(n) > 1 and n[1]:
            with np.errstate(divide="ignore", invalid="ignore"):
                gb = grad_out * out * np.log(a)
            if np.any(a == 0):  # 0 ** b for b >= 0: the limit is 0, not 0 · log 0 (as PyTorch)
                gb = np.where((a == 0) & (b >= 0), 0, gb).astype(gb.dtype, copy=False)
        return ga, gb


def _unary(name: str, fwd: Any, bwd: Any, doc: str, save: str = "x",
           ints: bool = False) -> type[Function]:
    """Build a one-input Function whose backward is ``grad_out * bwd(x, y)``; ``ints``: integer
    inputs keep their dtype (as PyTorch's neg and abs), else they become the default float."""

    def forward(ctx, x):
        y = fwd(x if ints and x.dtype.kind in "iu" else floating(x))
        ctx.save_for_backward(x if save == "x" else y)
        return y

    def backward(ctx, grad_out):
        (s,) = ctx.saved_arrays
        return (bwd(grad_out, s),)

    return type(name, (Function,), {"__doc__": doc, "forward": staticmethod(forward),
                                    "backward": staticmethod(backward), "__module__": __name__})


Neg = _unary("Neg", np.negative, lambda g, x: -g, "y = -x; dy/dx = -1", ints=True)
Abs = _unary("Abs", np.abs, lambda g, x: g * np.sign(x), "y = |x|; dy/dx = sign(x)", ints=True)
Exp = _unary("Exp", np.exp, lambda g, y: g * y, "y = e^x; dy/dx = y", save="y")
Log = _unary("Log", np.log, lambda g, x: g / x, "y = ln x; dy/dx = 1/x")
Log1p = _unary("Log1p", np.log1p, lambda g, x: g / (1 + x), "y = ln(1 + x); dy/dx = 1/(1 + x)")
Sqrt = _unary("Sqrt", np.sqrt, lambda g, y: g / (2 * y), "y = √x; dy/dx = 1/(2y)", save="y")
Sin = _unary("Sin", np.sin, lambda g, x: g * np.cos(x), "y = sin x; dy/dx = cos x")
Cos = _unary("Cos", np.cos, lambda g, x: -g * np.sin(x), "y = cos x; dy/dx = -sin x")


class Clamp(Function):
    """y = min(max(x, lo), hi); dy/dx = 1 where lo ≤ x ≤ hi, else 0"""

    @staticmethod
    def forward(ctx, x, min=None, max=None):  # noqa: A002
        ctx.save_for_backward(x)
        ctx.lo, ctx.hi = min, max
        return np.clip(x, min, max)

    @staticmethod
    def backward(ctx, grad_out):
        (x,) = ctx.saved_arrays
        mask = np.ones(x.shape, dtype=bool)
        if ctx.lo is not None:
            mask &= x >= ctx.lo
        if ctx.hi is not None:
            mask &= x <= ctx.hi
        return (grad_out * mask,)


class Maximum(_Binary):
    """y = max(a, b); the gradient goes to the larger input (split in half on ties)"""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return _like_torch(np.maximum(a, b), a, b)

    @staticmethod
    def backward(ctx, grad_out):
        a, b = ctx.saved_arrays
        share = np.where(a == b, 0.5, (a > b).astype(grad_out.dtype))
        return grad_out * share, grad_out * (1 - share)


class Minimum(_Binary):
    """y = min(a, b); the gradient goes to the smaller input (split in half on ties)"""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return _like_torch(np.minimum(a, b), a, b)

    @staticmethod
    def backward(ctx, grad_out):
        a, b = ctx.saved_arrays
        share = np.where(a == b, 0.5, (a < b).astype(grad_out.dtype))
        return grad_out * share, grad_out * (1 - share)


class Where(Function):
    """y = a where cond else b; dy/da = cond, dy/db = not cond"""

    @staticmethod
    def forward(ctx, cond, a, b):
        ctx.cond = np.asarray(cond, dtype=bool)
        return _like_torch(np.where(ctx.cond, a, b), a, b)

    @staticmethod
    def backward(ctx, grad_out):
        zero = np.zeros((), grad_out.dtype)
        return None, np.where(ctx.cond, grad_out, zero), np.where(ctx.cond, zero, grad_out)

    @classmethod
    def explain_error(cls, arrays, kwargs, exc):
        shapes = ", ".join(str(np.shape(a)) for a in arrays)
        return f"where: expected broadcastable shapes for condition, input and other, got {shapes}"


def _nograd(fn: Any, x: Any, *args: Any) -> Tensor:
    return _make(np.asarray(fn(x._data if isinstance(x, Tensor) else np.asarray(x), *args)))


def sign(x: Tensor) -> Tensor:
    """sign(x) in {-1, 0, 1} (no gradient)."""
    return _nograd(np.sign, x)


def floor(x: Tensor) -> Tensor:
    """Largest integer ≤ x, same dtype (no gradient)."""
    return _nograd(np.floor, x)


def round(x: Tensor, decimals: int = 0) -> Tensor:  # noqa: A001
    """Round half to even, as PyTorch (no gradient)."""
    return _nograd(np.round, x, decimals)


def _cmp(fn: Any) -> Any:
    def op(a: Any, b: Any) -> Tensor:
        x, y = (a._data if isinstance(a, Tensor) else a), (b._data if isinstance(b, Tensor) else b)
        try:
            return _make(np.asarray(fn(x, y)))
        except ValueError:
            raise ValueError(f"{fn.__name__}: expected broadcastable shapes, got {np.shape(x)} "
                             f"and {np.shape(y)}") from None
    op.__name__ = fn.__name__
    op.__doc__ = f"Elementwise {fn.__name__} as a bool tensor (no gradient)."
    return op


eq, ne, lt, le, gt, ge = (_cmp(f) for f in (np.equal, np.not_equal, np.less, np.less_equal,
                                             np.greater, np.greater_equal))
