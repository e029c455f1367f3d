"""More elementwise math (log10, sinh, ...) and the differentiable array ops PyTorch code
reaches for: cumsum, flip, roll, tril/triu, masked_fill. Forward and backward side by side."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.function import Function
from ..tensor import Tensor
from ._util import write_out
from .elementwise import _unary

_LN10, _LN2 = np.log(10.0), np.log(2.0)

Log10 = _unary("Log10", np.log10, lambda g, x: g / (x * _LN10), "y = log10 x; dy/dx = 1/(x ln 10)")
Log2 = _unary("Log2", np.log2, lambda g, x: g / (x * _LN2), "y = log2 x; dy/dx = 1/(x ln 2)")
Sinh = _unary("Sinh", np.sinh, lambda g, x: g * np.cosh(x), "y = sinh x; dy/dx = cosh x")
Cosh = _unary("Cosh", np.cosh, lambda g, x: g * np.sinh(x), "y = cosh x; dy/dx = sinh x")
Tan = _unary("Tan", np.tan, lambda g, y: g * (1 + y * y), "y = tan x; dy/dx = 1 + y²", save="y")
Expm1 = _unary("Expm1", np.expm1, lambda g, y: g * (y + 1), "y = e^x - 1; dy/dx = y + 1",
               save="y")
Square = _unary("Square", np.square, lambda g, x: g * 2 * x, "y = x²; dy/dx = 2x", ints=True)
Reciprocal = _unary("Reciprocal", np.reciprocal, lambda g, y: -g * y * y,
                    "y = 1/x; dy/dx = -y²", save="y")
Rsqrt = _unary("Rsqrt", lambda x: 1 / np.sqrt(x), lambda g, y: -0.5 * g * y ** 3,
               "y = 1/√x; dy/dx = -y³/2", save="y")


def _out(fn: type[Function], name: str) -> Any:
    def op(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
        r = fn.apply(input)
        return r if out is None else write_out(out, r, name)
    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"{(fn.__doc__ or '').split(';')[0]}, elementwise (``out=`` as PyTorch)."
    return op


log10, log2, sinh, cosh = (_out(f, n) for f, n in ((Log10, "log10"), (Log2, "log2"),
                                                   (Sinh, "sinh"), (Cosh, "cosh")))
tan, expm1, square = _out(Tan, "tan"), _out(Expm1, "expm1"), _out(Square, "square")
reciprocal, rsqrt = _out(Reciprocal, "reciprocal"), _out(Rsqrt, "rsqrt")


class CumSum(Function):
    """y_i = Σ_{j≤i} x_j along dim; dL/dx_j = Σ_{i≥j} dL/dy_i (a reversed cumsum)"""

    @staticmethod
    def forward(ctx, x, dim=0, dtype=None):
        ctx.dim = dim
        return np.cumsum(x if dtype is not None or x.dtype.kind == "f" else x.astype(np.int64),
                         axis=dim, dtype=dtype)

    @staticmethod
    def backward(ctx, grad_out):
        g = np.flip(grad_out, ctx.dim)
        return (np.flip(np.cumsum(g, axis=ctx.dim), ctx.dim),)


def cumsum(input: Tensor, dim: int, *, dtype: Any = None,  # noqa: A002
           out: Tensor | None = None) -> Tensor:
    """Running sums along ``dim`` (ints and bools sum as int64, as PyTorch).

    Example
    -------
    >>> import chainrule as cr
    >>> cr.cumsum(cr.tensor([1, 2, 3]), dim=0)
    tensor([1, 3, 6])
    """
    r = CumSum.apply(input, dim=dim if input.ndim else None,
                     dtype=None if dtype is None else np.dtype(dtype))
    if input.ndim == 0:
        r = r.reshape(())
    return r if out is None else write_out(out, r, "cumsum")


class Flip(Function):
    """y = x reversed along dims; the gradient is reversed back"""

    @staticmethod
    def forward(ctx, x, dims=()):
        ctx.dims = dims
        return np.flip(x, dims).copy()

    @staticmethod
    def backward(ctx, grad_out):
        return (np.flip(grad_out, ctx.dims),)


def _dims(dims: Any) -> tuple[int, ...]:
    return (int(dims),) if isinstance(dims, (int, np.integer)) else tuple(int(d) for d in dims)


def flip(input: Tensor, dims: Any) -> Tensor:  # noqa: A002
    """Reverse the order of elements along ``dims`` (a copy, as PyTorch)."""
    return Flip.apply(input, dims=_dims(dims))


class Roll(Function):
    """y = x shifted circularly by ``shifts`` along dims; the gradient is shifted back"""

    @staticmethod
    def forward(ctx, x, shifts=(), dims=None):
        ctx.shifts, ctx.dims = shifts, dims
        return np.roll(x, shifts, dims)

    @staticmethod
    def backward(ctx, grad_out):
        return (np.roll(grad_out, tuple(-s for s in ctx.shifts), ctx.dims),)


def roll(input: Tensor, shifts: Any, dims: Any = None) -> Tensor:  # noqa: A002
    """Shift elements circularly (flattened first when ``dims`` is None, as PyTorch)."""
    s = _dims(shifts)
    if dims is None:
        if len(s) != 1:
            raise ValueError(f"roll: expected one shift without dims, got {s}")
        return Roll.apply(input.reshape(-1), shifts=s, dims=0).reshape(input.shape)
    d = _dims(dims)
    if len(d) != len(s):
        raise ValueError(f"roll: expected as many shifts as dims, got {s} and {d}")
    return Roll.apply(input, shifts=s, dims=d)


class Tri(Function):
    """y = x on and below (tril) or above (triu) the diagonal, else 0; dy/dx = that mask"""

    @staticmethod
    def forward(ctx, x, diagonal=0, upper=False):
        ctx.diagonal, ctx.upper = diagonal, upper
        return (np.triu if upper else np.tril)(x, diagonal)

    @staticmethod
    def backward(ctx, grad_out):
        return ((np.triu if ctx.upper else np.tril)(grad_out, ctx.diagonal),)


def _tri(input: Tensor, diagonal: int, upper: bool, out: Tensor | None) -> Tensor:  # noqa: A002
    if input.ndim < 2:
        raise ValueError(f"{'triu' if upper else 'tril'}: expected a tensor with at least 2 dims, "
                         f"got shape {input._data.shape}")
    r = Tri.apply(input, diagonal=diagonal, upper=upper)
    return r if out is None else write_out(out, r, "triu" if upper else "tril")


def tril(input: Tensor, diagonal: int = 0, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    """The lower triangle (elements with column - row ≤ diagonal), zeros elsewhere."""
    return _tri(input, diagonal, False, out)


def triu(input: Tensor, diagonal: int = 0, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    """The upper triangle (elements with column - row ≥ diagonal), zeros elsewhere."""
    return _tri(input, diagonal, True, out)


class MaskedFill(Function):
    """y = value where mask else x; dy/dx = not mask"""

    @staticmethod
    def forward(ctx, x, mask=None, value=0.0):
        ctx.mask = mask
        out = np.array(np.broadcast_to(x, np.broadcast_shapes(x.shape, mask.shape)))
        np.copyto(out, value, where=mask, casting="unsafe")
        return out

    @staticmethod
    def backward(ctx, grad_out):
        return (np.where(ctx.mask, np.zeros((), grad_out.dtype), grad_out),)


def masked_fill(input: Tensor, mask: Any, value: Any) -> Tensor:  # noqa: A002
    """``input`` with ``value`` where ``mask`` (bool) is true; both broadcast, as PyTorch.

    Example
    -------
    >>> import chainrule as cr
    >>> x = cr.tensor([1.0, 2.0, 3.0])
    >>> cr.masked_fill(x, x > 1.5, 0.0)
    tensor([1., 0., 0.])
    """
    m = mask._data if isinstance(mask, Tensor) else np.asarray(mask)
    if m.dtype != np.bool_:
        raise TypeError(f"masked_fill: expected a bool mask, got dtype {m.dtype}")
    if isinstance(value, Tensor):
        if value.ndim != 0:
            raise ValueError(f"masked_fill: expected a 0-d value tensor, got shape {value.shape}")
        value = value._data
    try:
        np.broadcast_shapes(input._data.shape, m.shape)
    except ValueError:
        raise ValueError(f"masked_fill: expected a mask broadcastable with {input._data.shape}, "
                         f"got shape {m.shape}") from None
    return MaskedFill.apply(input, mask=m, value=value)

