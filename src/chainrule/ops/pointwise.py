"""More pointwise math with PyTorch's names: inverse trigonometric and hyperbolic functions,
erf, atan2, hypot, logaddexp, remainder, rounding, predicates (isnan, ...), logical ops, and
PyTorch's aliases (arcsin, multiply, greater, ...). Differentiable ones are Functions with
their derivative beside them; predicates and rounding carry no gradient."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.function import Function
from ..tensor import Tensor, _make
from . import functions as Fn
from .activation import _erf
from .elementwise import _Binary, _like_torch, _unary
from .math import _out

_SQRT_PI = np.sqrt(np.pi)

Asin = _unary("Asin", np.arcsin, lambda g, x: g / np.sqrt(1 - x * x),
              "y = asin x; dy/dx = 1/√(1-x²)")
Acos = _unary("Acos", np.arccos, lambda g, x: -g / np.sqrt(1 - x * x),
              "y = acos x; dy/dx = -1/√(1-x²)")
Atan = _unary("Atan", np.arctan, lambda g, x: g / (1 + x * x), "y = atan x; dy/dx = 1/(1+x²)")
Asinh = _unary("Asinh", np.arcsinh, lambda g, x: g / np.sqrt(x * x + 1),
               "y = asinh x; dy/dx = 1/√(x²+1)")
Acosh = _unary("Acosh", np.arccosh, lambda g, x: g / np.sqrt(x * x - 1),
               "y = acosh x; dy/dx = 1/√(x²-1)")
Atanh = _unary("Atanh", np.arctanh, lambda g, x: g / (1 - x * x), "y = atanh x; dy/dx = 1/(1-x²)")
Exp2 = _unary("Exp2", np.exp2, lambda g, y: g * y * np.log(2.0).astype(y.dtype),
              "y = 2^x; dy/dx = y ln 2", save="y")
Erf = _unary("Erf", lambda x: _erf(x).astype(x.dtype),
             lambda g, x: g * (2 / _SQRT_PI) * np.exp(-x * x), "y = erf x; dy/dx = 2/√π e^(-x²)")
Erfc = _unary("Erfc", lambda x: (1 - _erf(x)).astype(x.dtype),
              lambda g, x: -g * (2 / _SQRT_PI) * np.exp(-x * x),
              "y = erfc x; dy/dx = -2/√π e^(-x²)")
Frac = _unary("Frac", lambda x: x - np.trunc(x), lambda g, x: g, "y = x - trunc(x); dy/dx = 1")

asin, acos, atan = _out(Asin, "asin"), _out(Acos, "acos"), _out(Atan, "atan")
asinh, acosh, atanh = _out(Asinh, "asinh"), _out(Acosh, "acosh"), _out(Atanh, "atanh")
exp2, erf, erfc = _out(Exp2, "exp2"), _out(Erf, "erf"), _out(Erfc, "erfc")
frac = _out(Frac, "frac")
arcsin, arccos, arctan, arcsinh, arccosh, arctanh = asin, acos, atan, asinh, acosh, atanh


class Atan2(_Binary):
    """y = atan2(a, b); dy/da = b/(a²+b²), dy/db = -a/(a²+b²)"""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return _like_torch(np.arctan2(a, b), a, b)

    @staticmethod
    def backward(ctx, grad_out):
        a, b = ctx.saved_arrays
        r2 = a * a + b * b
        return grad_out * b / r2, -grad_out * a / r2


class Hypot(_Binary):
    """y = √(a²+b²); dy/da = a/y, dy/db = b/y"""

    @staticmethod
    def forward(ctx, a, b):
        y = _like_torch(np.hypot(a, b), a, b)
        ctx.save_for_backward(a, b, y)
        return y

    @staticmethod
    def backward(ctx, grad_out):
        a, b, y = ctx.saved_arrays
        return grad_out * a / y, grad_out * b / y


class LogAddExp(_Binary):
    """y = ln(e^a + e^b); dy/da = σ(a-b), dy/db = σ(b-a)"""

    @staticmethod
    def forward(ctx, a, b):
        y = _like_torch(np.logaddexp(a, b), a, b)
        ctx.save_for_backward(a, b, y)
        return y

    @staticmethod
    def backward(ctx, grad_out):
        a, b, y = ctx.saved_arrays
        return grad_out * np.exp(a - y), grad_out * np.exp(b - y)


class Remainder(_Binary):
    """y = a - floor(a/b)·b (the sign of b); dy/da = 1, dy/db = -floor(a/b)"""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        ctx.trunc = False
        return _like_torch(np.remainder(a, b), a, b)

    @staticmethod
    def backward(ctx, grad_out):
        a, b = ctx.saved_arrays
        q = np.trunc(np.divide(a, b)) if ctx.trunc else np.floor_divide(a, b)
        return grad_out, -grad_out * q


class Fmod(Remainder):
    """y = a - trunc(a/b)·b (the sign of a); dy/da = 1, dy/db = -trunc(a/b)"""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        ctx.trunc = True
        return _like_torch(np.fmod(a, b), a, b)


def _binary(fn: type[Function], name: str) -> Any:
    def op(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
        r = fn.apply(input, other)
        if out is None:
            return r
        from ._util import write_out
        return write_out(out, r, name)
    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"{(fn.__doc__ or '').split(';')[0]}, elementwise, broadcasting."
    return op


atan2, hypot, logaddexp = _binary(Atan2, "atan2"), _binary(Hypot, "hypot"), _binary(LogAddExp,
                                                                                     "logaddexp")
remainder, fmod = _binary(Remainder, "remainder"), _binary(Fmod, "fmod")
arctan2 = atan2


def _arr(x: Any) -> Any:
    return x._data if isinstance(x, Tensor) else x


def _nograd(fn: Any, name: str, doc: str) -> Any:
    def op(*args: Any, out: Tensor | None = None) -> Tensor:
        r = _make(np.asarray(fn(*(_arr(a) for a in args))))
        if out is None:
            return r
        from ._util import write_out
        return write_out(out, r, name)
    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc + " (no gradient)."
    return op


ceil = _nograd(np.ceil, "ceil", "Smallest integer ≥ x, same dtype")
trunc = _nograd(np.trunc, "trunc", "x rounded toward zero, same dtype")
fix = trunc
floor_divide = _nograd(np.floor_divide, "floor_divide", "floor(a / b)")
isnan = _nograd(np.isnan, "isnan", "Whether each element is NaN")
isinf = _nograd(np.isinf, "isinf", "Whether each element is ±inf")
isfinite = _nograd(np.isfinite, "isfinite", "Whether each element is finite")
isposinf = _nograd(np.isposinf, "isposinf", "Whether each element is +inf")
isneginf = _nograd(np.isneginf, "isneginf", "Whether each element is -inf")
signbit = _nograd(np.signbit, "signbit", "Whether the sign bit is set")
logical_not = _nograd(np.logical_not, "logical_not", "Elementwise not")
logical_and = _nograd(np.logical_and, "logical_and", "Elementwise and")
logical_or = _nograd(np.logical_or, "logical_or", "Elementwise or")
logical_xor = _nograd(np.logical_xor, "logical_xor", "Elementwise xor")


def isin(elements: Any, test_elements: Any, *, invert: bool = False) -> Tensor:
    """Whether each element is in ``test_elements`` (no gradient)."""
    return _make(np.asarray(np.isin(_arr(elements), _arr(test_elements), invert=invert)))


# ---- composites: differentiable through the ops they are written with --------------------
def lerp(input: Tensor, end: Any, weight: Any) -> Tensor:  # noqa: A002
    """input + weight·(end - input)."""
    return Fn.add(input, Fn.mul(weight, Fn.sub(end, input)))


def deg2rad(input: Tensor) -> Tensor:  # noqa: A002
    return Fn.mul(input, np.pi / 180)


def rad2deg(input: Tensor) -> Tensor:  # noqa: A002
    return Fn.mul(input, 180 / np.pi)


def clamp_min(input: Tensor, min: Any) -> Tensor:  # noqa: A002
    return Fn.clamp(input, min=min)


def clamp_max(input: Tensor, max: Any) -> Tensor:  # noqa: A002
    return Fn.clamp(input, max=max)


def positive(input: Tensor) -> Tensor:  # noqa: A002
    """The input itself, as PyTorch."""
    return input


def xlogy(input: Any, other: Any) -> Tensor:  # noqa: A002
    """x·log(y), 0 where x == 0 (as PyTorch)."""
    x = input if isinstance(input, Tensor) else Tensor(input)
    zero = _make(np.asarray(x._data == 0))
    y = Fn.where(zero, 1.0, other)
    return Fn.where(zero, 0.0, Fn.mul(x, Fn.log(y)))


absolute, negative, multiply, divide, subtract = Fn.abs, Fn.neg, Fn.mul, Fn.div, Fn.sub
true_divide = Fn.div
greater, greater_equal, less, less_equal, not_equal = Fn.gt, Fn.ge, Fn.lt, Fn.le, Fn.ne
