"""Floating-point helpers with PyTorch's names: frexp (mantissa and exponent), nextafter,
renorm (cap the norm of each slice), sgn (the sign of real numbers) and hardshrink (also a
Tensor method). Each is a Function with its derivative beside it, or a composite."""
from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ..autograd.function import Function
from ..tensor import Tensor, _make
from . import functions as Fn
from ._util import write_out


def _floating(x: Any, where: str) -> np.ndarray:
    if not isinstance(x, Tensor):
        raise TypeError(f"{where}: expected a Tensor, got {type(x).__name__}")
    if x._data.dtype.kind != "f":
        raise TypeError(f"{where}: expected a floating-point tensor, got dtype {x._data.dtype}")
    return x._data


class Frexp(Function):
    """x = m·2^e with 0.5 ≤ |m| < 1 (m = 0 at 0); dm/dx = 2^-e (e is piecewise constant)"""

    @staticmethod
    def forward(ctx, x):
        m, e = np.frexp(x)
        ctx.e = e
        return m

    @staticmethod
    def backward(ctx, grad_out):
        return (np.ldexp(grad_out, -ctx.e),)


class MantissaExponent(NamedTuple):
    """(mantissa, exponent), as torch.return_types.frexp."""
    mantissa: Tensor
    exponent: Tensor


def frexp(input: Tensor, *, out: Any = None) -> MantissaExponent:  # noqa: A002
    """Split floats into mantissa (same dtype, 0.5 ≤ |m| < 1) and int32 exponent:
    input = mantissa · 2^exponent.

    Shape
    -----
    input: any; mantissa, exponent: the same.

    Example
    -------
    >>> import chainrule as cr
    >>> m, e = cr.frexp(cr.tensor([8.0, -3.0]))
    >>> m.tolist(), e.tolist()
    ([0.5, -0.75], [4, 2])
    """
    x = _floating(input, "frexp")
    m = Frexp.apply(input)
    e = _make(np.asarray(np.frexp(x)[1], dtype=np.int32))
    if out is None:
        return MantissaExponent(m, e)
    return MantissaExponent(write_out(out[0], m, "frexp"), write_out(out[1], e, "frexp"))


class NextAfter(Function):
    """y = the next float after a towards b; dy/da = 1, dy/db = 0 (as PyTorch)"""

    @staticmethod
    def forward(ctx, a, b):
        return np.nextafter(a, b)

    @staticmethod
    def backward(ctx, grad_out):
        return grad_out, np.zeros_like(grad_out)


def nextafter(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    """The next representable float after ``input`` towards ``other``, elementwise.

    Shape
    -----
    input, other: broadcastable; output: the broadcast shape.

    Example
    -------
    >>> import chainrule as cr
    >>> (cr.nextafter(cr.tensor([1.0]), cr.tensor([2.0])) - 1).item() == 2.0 ** -23
    True
    """
    a, b = _floating(input, "nextafter"), _floating(other, "nextafter")
    if (a.ndim == 0) != (b.ndim == 0):  # a 0-d tensor takes the other's dtype, as PyTorch
        dt = b.dtype if a.ndim == 0 else a.dtype
    else:
        dt = np.promote_types(a.dtype, b.dtype)
    try:
        r = NextAfter.apply(input if a.dtype == dt else input.to(dt),
                            other if b.dtype == dt else other.to(dt))
    except ValueError:
        raise ValueError(f"nextafter: expected broadcastable shapes, got {a.shape} and "
                         f"{b.shape}") from None
    return r if out is None else write_out(out, r, "nextafter")


def _vector_norm(x: np.ndarray, p: float, axes: tuple[int, ...]) -> np.ndarray:
    a = np.abs(x)
    if p == np.inf:
        return a.max(axis=axes, keepdims=True, initial=0)
    if p == 2:
        return np.sqrt((a * a).sum(axis=axes, keepdims=True))
    return (a ** p).sum(axis=axes, keepdims=True) ** (1 / p)


def _norm_grad(x: np.ndarray, n: np.ndarray, p: float, axes: tuple[int, ...]) -> np.ndarray:
    """dn/dx of the p-norm n (where n > 0; the inf-norm shares among its maxima)."""
    safe = np.where(n > 0, n, 1)
    if p == np.inf:
        top = np.abs(x) == n
        return np.sign(x) * top / np.maximum(top.sum(axis=axes, keepdims=True), 1)
    if p == 2:
        return x / safe
    if p == 1:
        return np.sign(x)
    return np.sign(x) * np.abs(x) ** (p - 1) / safe ** (p - 1)


class Renorm(Function):
    """y = x·f per slice, f = maxnorm/(‖x‖+1e-7) where ‖x‖ > maxnorm else 1;
    dy/dx·g = f·g - f/(‖x‖+1e-7)·∂‖x‖/∂x·Σ(x·g) where capped, else g"""

    @staticmethod
    def forward(ctx, x, p=2.0, dim=0, maxnorm=1.0):
        axes = tuple(a for a in range(x.ndim) if a != dim)
        n = _vector_norm(x, p, axes).astype(x.dtype)
        f = np.where(n > maxnorm, maxnorm / (n + x.dtype.type(1e-7)), 1).astype(x.dtype)
        ctx.save_for_backward(x)
        ctx.n, ctx.f, ctx.p, ctx.axes, ctx.maxnorm = n, f, p, axes, maxnorm
        return x * f

    @staticmethod
    def backward(ctx, grad_out):
        (x,) = ctx.saved_arrays
        n, f = ctx.n, ctx.f
        inner = (x * grad_out).sum(axis=ctx.axes, keepdims=True)
        nb = _norm_grad(x, n, ctx.p, ctx.axes) * inner
        capped = f * grad_out - (f / (n + x.dtype.type(1e-7))) * nb
        return (np.where(n > ctx.maxnorm, capped, grad_out).astype(x.dtype),)


def renorm(input: Tensor, p: float, dim: int, maxnorm: float, *,  # noqa: A002
           out: Tensor | None = None) -> Tensor:
    """Each slice ``input.select(dim, i)`` whose p-norm exceeds ``maxnorm`` scaled down to
    norm ``maxnorm`` (others unchanged), as nn.Embedding's ``max_norm``.

    Shape
    -----
    input: (at least 2 dims); output: the same.

    Example
    -------
    >>> import chainrule as cr
    >>> cr.renorm(cr.tensor([[3.0, 4.0], [0.3, 0.4]]), 2, 0, 1.0).norm(dim=1).tolist()
    [1.0, 0.5]
    """
    x = _floating(input, "renorm")
    if x.ndim < 2:
        raise ValueError(f"renorm: expected an input with at least 2 dimensions, got shape "
                         f"{x.shape}")
    if not p > 0:
        raise ValueError(f"renorm: expected p > 0, got {p}")
    if maxnorm < 0:
        raise ValueError(f"renorm: expected maxnorm >= 0, got {maxnorm}")
    if not -x.ndim <= dim < x.ndim:
        raise IndexError(f"renorm: expected dim in [{-x.ndim}, {x.ndim - 1}], got {dim}")
    r = Renorm.apply(input, p=float(p), dim=dim % x.ndim, maxnorm=float(maxnorm))
    return r if out is None else write_out(out, r, "renorm")


def sgn(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    """The sign of each element (-1, 0 or 1); PyTorch's sgn, which for real tensors is sign.

    Shape
    -----
    input: any; output: the same.

    Example
    -------
    >>> import chainrule as cr
    >>> cr.sgn(cr.tensor([-2.0, 0.0, 3.0])).tolist()
    [-1.0, 0.0, 1.0]
    """
    r = Fn.sign(input)
    return r if out is None else write_out(out, r, "sgn")


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:  # noqa: A002
    """x where |x| > lambd, else 0 (``Tensor.hardshrink``; also nn.functional.hardshrink).

    Shape
    -----
    input: any; output: the same.

    Example
    -------
    >>> import chainrule as cr
    >>> cr.tensor([-1.0, 0.25, 0.75]).hardshrink().tolist()
    [-1.0, 0.0, 0.75]
    """
    return Fn.where(Fn.gt(Fn.abs(input), lambd), input, 0.0)
