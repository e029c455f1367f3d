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
from ._util import dims, keep


def add(a: Any, b: Any, alpha: float = 1) -> Tensor:
    """a + alpha·b, broadcasting. Example: ``chainrule.add(x, 1)``."""
    return E.Add.apply(a, b if alpha == 1 else mul(b, alpha))


def sub(a: Any, b: Any, alpha: float = 1) -> Tensor:
    """a - alpha·b, broadcasting."""
    return E.Sub.apply(a, b if alpha == 1 else mul(b, alpha))


def mul(a: Any, b: Any) -> Tensor:
    """a · b elementwise, broadcasting."""
    return E.Mul.apply(a, b)


def div(a: Any, b: Any) -> Tensor:
    """a / b elementwise (true division), broadcasting."""
    return E.Div.apply(a, b)


def pow(a: Any, b: Any) -> Tensor:  # noqa: A001
    """a ** b elementwise."""
    return E.Pow.apply(a, b)


def neg(x: Tensor) -> Tensor:
    return E.Neg.apply(x)


def abs(x: Tensor) -> Tensor:  # noqa: A001
    return E.Abs.apply(x)


def exp(x: Tensor) -> Tensor:
    return E.Exp.apply(x)


def log(x: Tensor) -> Tensor:
    return E.Log.apply(x)


def log1p(x: Tensor) -> Tensor:
    return E.Log1p.apply(x)


def sqrt(x: Tensor) -> Tensor:
    return E.Sqrt.apply(x)


def sin(x: Tensor) -> Tensor:
    return E.Sin.apply(x)


def cos(x: Tensor) -> Tensor:
    return E.Cos.apply(x)


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


def where(condition: Any, input: Any, other: Any) -> Tensor:  # noqa: A002
    """``input`` where ``condition`` is true, else ``other``."""
    return E.Where.apply(condition, input, other)


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
