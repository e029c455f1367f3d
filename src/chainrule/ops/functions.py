"""Public math functions (``chainrule.add``, ``chainrule.sum``, ...), also Tensor methods.

Each validates its arguments, maps PyTorch's keywords (``dim``/``keepdim``,
with ``axis``/``keepdims`` as aliases) and applies one Function.
"""
from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ..tensor import Tensor, _make
from . import activation as A
from . import elementwise as E
from . import reduce as R
from ._util import dims, keep, write_out

_NO: Any = object()  # marks an argument that was not given


def add(input: Any, other: Any, alpha: float = 1, *, out: Tensor | None = None  # noqa: A002
        ) -> Tensor:
    """input + alpha·other, broadcasting. Example: ``chainrule.add(x, 1)``."""
    r = E.Add.apply(input, other if alpha == 1 else mul(other, alpha))
    return r if out is None else write_out(out, r, "add")


def sub(input: Any, other: Any, alpha: float = 1, *, out: Tensor | None = None  # noqa: A002
        ) -> Tensor:
    """input - alpha·other, broadcasting."""
    r = E.Sub.apply(input, other if alpha == 1 else mul(other, alpha))
    return r if out is None else write_out(out, r, "sub")


def mul(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    """input · other elementwise, broadcasting."""
    r = E.Mul.apply(input, other)
    return r if out is None else write_out(out, r, "mul")


def div(input: Any, other: Any, *, rounding_mode: str | None = None,  # noqa: A002
        out: Tensor | None = None) -> Tensor:
    """input / other elementwise (true division; ``rounding_mode="floor"``/``"trunc"`` give
    no gradient), broadcasting."""
    if rounding_mode is not None:
        if rounding_mode not in ("floor", "trunc"):
            raise ValueError(f"div: expected rounding_mode None, 'floor' or 'trunc', got "
                             f"{rounding_mode!r}")
        a, b = (v._data if isinstance(v, Tensor) else v for v in (input, other))
        fn = np.floor_divide if rounding_mode == "floor" else (lambda x, y: np.trunc(x / y))
        r = _make(np.asarray(fn(a, b)).astype(np.result_type(a, b)))
    else:
        r = E.Div.apply(input, other)
    return r if out is None else write_out(out, r, "div")


def pow(input: Any, exponent: Any, *, out: Tensor | None = None) -> Tensor:  # noqa: A001,A002
    """input ** exponent elementwise."""
    r = E.Pow.apply(input, exponent)
    return r if out is None else write_out(out, r, "pow")


def neg(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    if getattr(input, "_data", None) is not None and input._data.dtype == np.bool_:
        raise TypeError("neg: expected a number tensor, got chainrule.bool; invert a mask with "
                        "~ or logical_not()")
    r = E.Neg.apply(input)
    return r if out is None else write_out(out, r, "neg")


def abs(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002, A001
    r = E.Abs.apply(input)
    return r if out is None else write_out(out, r, "abs")


def exp(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    r = E.Exp.apply(input)
    return r if out is None else write_out(out, r, "exp")


def log(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    r = E.Log.apply(input)
    return r if out is None else write_out(out, r, "log")


def log1p(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    r = E.Log1p.apply(input)
    return r if out is None else write_out(out, r, "log1p")


def sqrt(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    r = E.Sqrt.apply(input)
    return r if out is None else write_out(out, r, "sqrt")


def sin(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    r = E.Sin.apply(input)
    return r if out is None else write_out(out, r, "sin")


def cos(input: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    r = E.Cos.apply(input)
    return r if out is None else write_out(out, r, "cos")


def clamp(x: Tensor, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
    """Limit x to [min, max]; the gradient is 0 outside."""
    if min is None and max is None:
        raise ValueError("clamp: expected at least one of min and max, got neither")
    lo, hi = (b._data if isinstance(b, Tensor) else b for b in (min, max))  # tensor bounds too
    return E.Clamp.apply(x, min=lo, max=hi)


clip = clamp


def maximum(a: Any, b: Any) -> Tensor:
    return E.Maximum.apply(a, b)


def minimum(a: Any, b: Any) -> Tensor:
    return E.Minimum.apply(a, b)


def where(condition: Any, input: Any = _NO, other: Any = _NO, *,  # noqa: A002
          out: Tensor | None = None) -> Any:
    """``input`` where ``condition`` is true, else ``other``; ``where(condition)`` alone is
    ``nonzero(condition, as_tuple=True)``."""
    if input is _NO and other is _NO:
        from .search import nonzero
        return nonzero(condition if isinstance(condition, Tensor) else _make(np.asarray(condition)),
                       as_tuple=True)
    if input is _NO or other is _NO:
        raise TypeError("where: expected condition, input and other (or condition alone)")
    r = E.Where.apply(condition, input, other)
    return r if out is None else write_out(out, r, "where")


sign, floor, round = E.sign, E.floor, E.round  # noqa: A001
eq, ne, lt, le, gt, ge = E.eq, E.ne, E.lt, E.le, E.gt, E.ge


# ---- reductions ------------------------------------------------------------------------
def sum(x: Tensor, dim: Any = None, keepdim: bool = False, *, axis: Any = None,  # noqa: A001
        keepdims: bool | None = None) -> Tensor:
    """Sum over ``dim`` (all by default). Example: ``x.sum(dim=1, keepdim=True)``."""
    if axis is not None or keepdims is not None or isinstance(dim, list):
        dim, keepdim = dims(dim, axis, "sum"), keep(keepdim, keepdims)
    return R.Sum.apply(x, dim=dim, keepdim=keepdim)


def mean(x: Tensor, dim: Any = None, keepdim: bool = False, *, axis: Any = None,
         keepdims: bool | None = None) -> Tensor:
    if axis is not None or keepdims is not None or isinstance(dim, list):
        dim, keepdim = dims(dim, axis, "mean"), keep(keepdim, keepdims)
    return R.Mean.apply(x, dim=dim, keepdim=keepdim)


def prod(x: Tensor, dim: int | None = None, keepdim: bool = False, *, axis: Any = None,
         keepdims: bool | None = None) -> Tensor:
    d = dims(dim, axis, "prod")
    if d is not None and not isinstance(d, (int, np.integer)):
        raise TypeError(f"prod: expected dim as an int or None (as PyTorch), got {d!r}")
    return R.Prod.apply(x, dim=d, keepdim=keep(keepdim, keepdims))


def var(x: Tensor, dim: Any = None, *, correction: int = 1, keepdim: bool = False,
        unbiased: bool | None = None, axis: Any = None, keepdims: bool | None = None) -> Tensor:
    """Variance with Bessel's ``correction`` (1: sample variance, 0: population)."""
    if unbiased is not None:
        correction = int(unbiased)
    return R.Var.apply(x, dim=dims(dim, axis, "var"), correction=correction,
                       keepdim=keep(keepdim, keepdims))


def std(x: Tensor, dim: Any = None, *, correction: int = 1, keepdim: bool = False,
        unbiased: bool | None = None, axis: Any = None, keepdims: bool | None = None) -> Tensor:
    return sqrt(var(x, dim, correction=correction, keepdim=keepdim, unbiased=unbiased,
                    axis=axis, keepdims=keepdims))


def logsumexp(x: Tensor, dim: Any = None, keepdim: bool = False, *, axis: Any = None,
              keepdims: bool | None = None) -> Tensor:
    """log Σ exp(x), computed stably (shifted by the maximum)."""
    return R.LogSumExp.apply(x, dim=dims(dim, axis, "logsumexp"), keepdim=keep(keepdim, keepdims))


class MaxResult(NamedTuple):
    values: Tensor
    indices: Tensor


def _extreme(x: Tensor, dim: Any, keepdim: bool, largest: bool, name: str) -> Any:
    if isinstance(dim, Tensor):  # torch.max(a, b) is the elementwise maximum
        return maximum(x, dim) if largest else minimum(x, dim)
    if dim is None:
        if np.size(x._data) == 0:
            raise ValueError(f"{name}: expected a non-empty tensor, got shape {x.shape}")
        return R.MaxAll.apply(x, largest=largest)
    values = R.MaxDim.apply(x, dim=dim, keepdim=keepdim, largest=largest)
    fn = np.argmax if largest else np.argmin
    return MaxResult(values, _make(np.asarray(fn(x._data, axis=dim, keepdims=keepdim))))


def max(x: Tensor, dim: Any = None, keepdim: bool = False, *, axis: Any = None,  # noqa: A001
        keepdims: bool | None = None) -> Any:
    """The maximum (a tensor), or with ``dim`` a ``(values, indices)`` pair, as PyTorch."""
    return _extreme(x, dims(dim, axis, "max"), keep(keepdim, keepdims), True, "max")


def min(x: Tensor, dim: Any = None, keepdim: bool = False, *, axis: Any = None,  # noqa: A001
        keepdims: bool | None = None) -> Any:
    """The minimum (a tensor), or with ``dim`` a ``(values, indices)`` pair, as PyTorch."""
    return _extreme(x, dims(dim, axis, "min"), keep(keepdim, keepdims), False, "min")


def argmax(x: Tensor, dim: int | None = None, keepdim: bool = False, *,
           axis: int | None = None) -> Tensor:
    d = dims(dim, axis, "argmax")
    return _make(np.asarray(np.argmax(x._data, axis=d, keepdims=keepdim and d is not None)))


def argmin(x: Tensor, dim: int | None = None, keepdim: bool = False, *,
           axis: int | None = None) -> Tensor:
    d = dims(dim, axis, "argmin")
    return _make(np.asarray(np.argmin(x._data, axis=d, keepdims=keepdim and d is not None)))


def norm(x: Tensor, p: Any = 2, dim: Any = None, keepdim: bool = False) -> Tensor:
    """Vector p-norm over ``dim`` (all elements by default; 'fro' means 2)."""
    if p in (2, 2.0, "fro"):
        return R.Norm2.apply(x, dim=dim, keepdim=keepdim)
    if p in (float("inf"), "inf"):
        a = abs(x)
        return a.max() if dim is None else a.max(dim, keepdim).values
    if p == 1:
        return sum(abs(x), dim, keepdim)
    if isinstance(p, (int, float)) and p > 0:
        return pow(sum(pow(abs(x), p), dim, keepdim), 1.0 / p)
    raise ValueError(f"norm: expected p > 0, inf or 'fro', got {p!r}")


# ---- activations -------------------------------------------------------------------------
def relu(x: Tensor) -> Tensor:
    """max(x, 0)."""
    return A.ReLU.apply(x)


def leaky_relu(x: Tensor, negative_slope: float = 0.01) -> Tensor:
    return A.LeakyReLU.apply(x, negative_slope=negative_slope)


def sigmoid(x: Tensor) -> Tensor:
    """1 / (1 + e^-x), stable for any x."""
    return A.Sigmoid.apply(x)


def tanh(x: Tensor) -> Tensor:
    return A.Tanh.apply(x)


def softmax(x: Tensor, dim: int = -1) -> Tensor:
    """Probabilities along ``dim``: each slice lies in [0, 1] and sums to 1."""
    return A.Softmax.apply(x, dim=dim)


def log_softmax(x: Tensor, dim: int = -1) -> Tensor:
    return A.LogSoftmax.apply(x, dim=dim)


def gelu(x: Tensor, approximate: str = "none") -> Tensor:
    return A.GELU.apply(x, approximate=approximate)


def elu(x: Tensor, alpha: float = 1.0) -> Tensor:
    return A.ELU.apply(x, alpha=alpha)


def silu(x: Tensor) -> Tensor:
    return A.SiLU.apply(x)


def softplus(x: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    return A.Softplus.apply(x, beta=beta, threshold=threshold)
