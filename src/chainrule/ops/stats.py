"""Running and order statistics (cumprod, logcumsumexp, median, kthvalue, quantile), numerical
integration, and the remaining pointwise helpers PyTorch code uses (nan_to_num, fmax, sinc,
copysign, rot90, searchsorted, gcd/lcm, ...). Values keep their gradient where PyTorch's
do: order statistics are gathered from the input, the rest are composites."""
from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ..autograd.function import Function
from ..tensor import Tensor, _make
from . import arrange as A
from . import functions as Fn
from .layout import tensor_split
from .math import cumsum, flip
from .search import argsort, nonzero


def _t(x: Any) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


class CumProd(Function):
    """y_i = Π_{j≤i} x_j; dL/dx_i = Σ_{j≥i} g_j · Π_{k≤j, k≠i} x_k"""

    @staticmethod
    def forward(ctx, x, dim=0):
        y = np.cumprod(x, axis=dim)
        ctx.save_for_backward(x, y)
        ctx.dim = dim
        return y

    @staticmethod
    def backward(ctx, grad_out):
        x, y = ctx.saved_arrays
        d = ctx.dim
        if not np.any(x == 0):
            rev = np.flip(np.cumsum(np.flip(grad_out * y, d), d), d)
            return (rev / x,)
        xm, gm = np.moveaxis(x, d, -1), np.moveaxis(grad_out, d, -1)
        out = np.zeros_like(xm)
        for i in range(xm.shape[-1]):  # exact with zeros: x_i replaced by 1
            xi = xm.copy()
            xi[..., i] = 1
            out[..., i] = (np.cumprod(xi, -1) * gm)[..., i:].sum(-1)
        return (np.moveaxis(out, -1, d),)


def cumprod(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:  # noqa: A002
    """Running products along ``dim`` (exact gradient with zeros)."""
    x = input if dtype is None else input.to(dtype)
    return CumProd.apply(x, dim=dim % max(x.ndim, 1))


def logcumsumexp(input: Tensor, dim: int) -> Tensor:  # noqa: A002
    """log Σ_{j≤i} e^{x_j} along ``dim``, shifted by the maximum for stability."""
    m = _make(np.max(input._data, axis=dim, keepdims=True))
    return Fn.add(Fn.log(cumsum(Fn.exp(Fn.sub(input, m)), dim)), m)


class ValuesIndices(NamedTuple):
    values: Tensor
    indices: Tensor


def kthvalue(input: Tensor, k: int, dim: int = -1, keepdim: bool = False) -> ValuesIndices:  # noqa: A002,E501
    """The k-th smallest element (1-based) along ``dim`` and its index."""
    n = input._data.shape[dim]
    if not 1 <= k <= n:
        raise RuntimeError(f"kthvalue: expected k in [1, {n}], got {k}")
    idx = argsort(input, dim)
    sl: list[Any] = [slice(None)] * input.ndim
    sl[dim] = slice(k - 1, k)
    i = _make(np.ascontiguousarray(idx._data[tuple(sl)]))
    v = A.gather(input, dim, i)
    if not keepdim:
        v, i = A.squeeze(v, dim), A.squeeze(i, dim)
    return ValuesIndices(v, i)


def median(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Any:  # noqa: A002
    """The lower median (as PyTorch): a 0-d tensor, or with ``dim`` (values, indices)."""
    if dim is None:
        flat = A.reshape(input, -1)
        return kthvalue(flat, (flat._data.shape[0] + 1) // 2, 0).values
    return kthvalue(input, (input._data.shape[dim] + 1) // 2, dim, keepdim)


def msort(input: Tensor) -> Tensor:  # noqa: A002
    from .search import sort
    return sort(input, 0).values


def quantile(input: Tensor, q: Any, dim: int | None = None, keepdim: bool = False, *,  # noqa: A002
             interpolation: str = "linear") -> Tensor:
    """The q-quantiles along ``dim`` (all elements by default), interpolating linearly."""
    if interpolation != "linear":
        raise ValueError(f"quantile: expected interpolation='linear', got {interpolation!r}")
    x = A.reshape(input, -1) if dim is None else input
    d = 0 if dim is None else dim % x.ndim
    from .search import sort
    s = sort(x, d).values
    n = x._data.shape[d]
    qs = np.atleast_1d(np.asarray(q._data if isinstance(q, Tensor) else q, dtype=np.float64))
    if np.any((qs < 0) | (qs > 1)):
        raise ValueError(f"quantile: expected q in [0, 1], got {qs.tolist()}")
    pos = qs * (n - 1)
    lo, hi = np.floor(pos).astype(np.int64), np.ceil(pos).astype(np.int64)
    keep = keepdim and dim is not None
    a = A.stack([_pick(s, d, int(i), keep) for i in lo])
    b = A.stack([_pick(s, d, int(i), keep) for i in hi])
    w = _make((pos - lo).astype(x._data.dtype).reshape((-1,) + (1,) * (a.ndim - 1)))
    r = Fn.add(a, Fn.mul(w, Fn.sub(b, a)))
    if dim is None and keepdim:
        r = A.reshape(r, (-1,) + (1,) * input.ndim)
    scalar_q = np.ndim(q._data if isinstance(q, Tensor) else q) == 0
    return A.getitem(r, 0) if scalar_q else r


def _pick(s: Tensor, d: int, i: int, keep: bool) -> Tensor:
    sl: list[Any] = [slice(None)] * s.ndim
    sl[d] = slice(i, i + 1) if keep else i
    return A.getitem(s, tuple(sl))


def std_mean(input: Tensor, dim: Any = None, *, correction: int = 1,  # noqa: A002
             keepdim: bool = False) -> tuple[Tensor, Tensor]:
    return (Fn.std(input, dim, correction=correction, keepdim=keepdim),
            Fn.mean(input, dim, keepdim))


def var_mean(input: Tensor, dim: Any = None, *, correction: int = 1,  # noqa: A002
             keepdim: bool = False) -> tuple[Tensor, Tensor]:
    return (Fn.var(input, dim, correction=correction, keepdim=keepdim),
            Fn.mean(input, dim, keepdim))


def trapezoid(y: Tensor, x: Any = None, *, dx: float = 1.0, dim: int = -1) -> Tensor:
    """∫ y by the trapezoid rule along ``dim`` (spacing ``dx``, or sample points ``x``)."""
    d = dim % y.ndim
    hi, lo = (slice(None),) * d + (slice(1, None),), (slice(None),) * d + (slice(None, -1),)
    mid = Fn.div(Fn.add(A.getitem(y, hi), A.getitem(y, lo)), 2)
    if x is None:
        return Fn.mul(Fn.sum(mid, d), dx)
    xt = _t(x)
    step = Fn.sub(A.getitem(xt, (slice(1, None),)), A.getitem(xt, (slice(None, -1),))) \
        if xt.ndim == 1 else Fn.sub(A.getitem(xt, hi), A.getitem(xt, lo))
    if xt.ndim == 1 and d != y.ndim - 1:
        step = A.reshape(step, (-1,) + (1,) * (y.ndim - d - 1))
    return Fn.sum(Fn.mul(mid, step), d)


trapz = trapezoid


def cumulative_trapezoid(y: Tensor, x: Any = None, *, dx: float = 1.0, dim: int = -1) -> Tensor:
    d = dim % y.ndim
    hi, lo = (slice(None),) * d + (slice(1, None),), (slice(None),) * d + (slice(None, -1),)
    mid = Fn.mul(Fn.div(Fn.add(A.getitem(y, hi), A.getitem(y, lo)), 2), dx)
    return cumsum(mid, d)


def vander(x: Tensor, N: int | None = None, increasing: bool = False) -> Tensor:  # noqa: N803
    """Columns of powers of x: x^(N-1) ... x^0 (reversed with ``increasing``)."""
    n = x._data.shape[0] if N is None else N
    powers = np.arange(n) if increasing else np.arange(n)[::-1]
    return Fn.pow(A.unsqueeze(x, 1), _make(powers.copy()))


def sinc(input: Tensor) -> Tensor:  # noqa: A002
    """sin(πx)/(πx), 1 at 0."""
    zero = _make(np.asarray(input._data == 0))
    safe = Fn.where(zero, 1.0, input)
    return Fn.where(zero, 1.0, Fn.div(Fn.sin(Fn.mul(safe, np.pi)), Fn.mul(safe, np.pi)))


def logaddexp2(input: Tensor, other: Any) -> Tensor:  # noqa: A002
    from .pointwise import logaddexp
    ln2 = np.log(2.0)
    return Fn.div(logaddexp(Fn.mul(input, ln2), Fn.mul(_t(other), ln2)), ln2)


def ldexp(input: Tensor, other: Any) -> Tensor:  # noqa: A002
    """input · 2^other."""
    return Fn.mul(input, Fn.pow(2.0, _t(other).to(input.dtype if input.is_floating_point()
                                                   else np.float32)))


def fmax(input: Tensor, other: Any) -> Tensor:  # noqa: A002
    """Elementwise maximum ignoring NaN (NaN only where both are)."""
    o = _t(other)
    return Fn.where(_make(np.isnan(input._data)), o,
                    Fn.where(_make(np.isnan(o._data)), input, Fn.maximum(input, o)))


def fmin(input: Tensor, other: Any) -> Tensor:  # noqa: A002
    o = _t(other)
    return Fn.where(_make(np.isnan(input._data)), o,
                    Fn.where(_make(np.isnan(o._data)), input, Fn.minimum(input, o)))


def float_power(input: Any, exponent: Any) -> Tensor:  # noqa: A002
    """input ** exponent in float64."""
    a = _t(input).to(np.float64)
    b = _t(exponent).to(np.float64) if isinstance(exponent, Tensor) else exponent
    return Fn.pow(a, b)


def copysign(input: Tensor, other: Any) -> Tensor:  # noqa: A002
    """|input| with the sign of other."""
    neg = _make(np.signbit(_t(other)._data))
    return Fn.where(neg, Fn.neg(Fn.abs(input)), Fn.abs(input))


def nan_to_num(input: Tensor, nan: float = 0.0, posinf: float | None = None,  # noqa: A002
               neginf: float | None = None) -> Tensor:
    """NaN, +inf and -inf replaced (by 0 and the dtype's largest/smallest by default)."""
    x = input._data
    info = np.finfo(x.dtype) if x.dtype.kind == "f" else None
    if info is None:
        return input
    r = Fn.where(_make(np.isnan(x)), nan, input)
    r = Fn.where(_make(np.isposinf(x)), info.max if posinf is None else posinf, r)
    return Fn.where(_make(np.isneginf(x)), info.min if neginf is None else neginf, r)


def rot90(input: Tensor, k: int = 1, dims: Any = (0, 1)) -> Tensor:  # noqa: A002
    """Rotate by 90°·k in the plane of ``dims`` (from the first towards the second)."""
    d0, d1 = dims
    k %= 4
    if k == 0:
        return input
    if k == 2:
        return flip(input, (d0, d1))
    if k == 1:
        return A.transpose(flip(input, d1), d0, d1)
    return flip(A.transpose(input, d0, d1), d1)


def vsplit(input: Tensor, indices_or_sections: Any) -> tuple[Tensor, ...]:  # noqa: A002
    return tensor_split(input, indices_or_sections, 0)


def hsplit(input: Tensor, indices_or_sections: Any) -> tuple[Tensor, ...]:  # noqa: A002
    return tensor_split(input, indices_or_sections, 1 if input.ndim > 1 else 0)


def dsplit(input: Tensor, indices_or_sections: Any) -> tuple[Tensor, ...]:  # noqa: A002
    return tensor_split(input, indices_or_sections, 2)


def diagflat(input: Tensor, offset: int = 0) -> Tensor:  # noqa: A002
    from .layout import diag
    return diag(A.reshape(input, -1), offset)


def unflatten(input: Tensor, dim: int, sizes: Any) -> Tensor:  # noqa: A002
    """Split dim ``dim`` into ``sizes`` (one may be -1)."""
    d = dim % input.ndim
    s = tuple(input._data.shape)
    return A.reshape(input, s[:d] + tuple(sizes) + s[d + 1:])


def argwhere(input: Tensor) -> Tensor:  # noqa: A002
    return nonzero(input)


def searchsorted(sorted_sequence: Any, values: Any, *, out_int32: bool = False,
                 right: bool = False, side: str | None = None) -> Tensor:
    """Where ``values`` would be inserted to keep each (last-dim) row sorted."""
    seq, v = _t(sorted_sequence)._data, _t(values)._data
    sd = side or ("right" if right else "left")
    if seq.ndim == 1:
        r = np.searchsorted(seq, v, side=sd)  # type: ignore[call-overload]
    else:
        r = np.stack([np.searchsorted(a, b, side=sd)  # type: ignore[call-overload]
                      for a, b in zip(seq.reshape(-1, seq.shape[-1]),
                                      v.reshape(-1, v.shape[-1]))]).reshape(v.shape)
    return _make(np.asarray(r).astype(np.int32 if out_int32 else np.int64))


def bucketize(input: Any, boundaries: Any, *, out_int32: bool = False,  # noqa: A002
              right: bool = False) -> Tensor:
    """The bucket of each value among sorted 1-D ``boundaries`` (as torch.bucketize)."""
    return searchsorted(boundaries, input, out_int32=out_int32, side="left" if not right
                        else "right")


def unique_consecutive(input: Tensor, return_inverse: bool = False,  # noqa: A002
                       return_counts: bool = False, dim: int | None = None) -> Any:
    """Collapse runs of equal consecutive values (of the flattened input)."""
    if dim is not None:
        raise ValueError("unique_consecutive: expected dim=None, got a dim (not supported)")
    x = input._data.reshape(-1)
    start = np.ones(x.shape, bool)
    start[1:] = x[1:] != x[:-1]
    vals = _make(x[start])
    out: list[Tensor] = [vals]
    if return_inverse:
        out.append(_make((np.cumsum(start) - 1).reshape(input._data.shape).astype(np.int64)))
    if return_counts:
        out.append(_make(np.diff(np.append(np.flatnonzero(start), x.size)).astype(np.int64)))
    return vals if len(out) == 1 else tuple(out)


def _ints(fn: Any, name: str) -> Any:
    def op(input: Any, other: Any = None) -> Tensor:  # noqa: A002
        a = _t(input)._data
        return _make(np.asarray(fn(a) if other is None else fn(a, _t(other)._data)))
    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"``numpy.{fn.__name__}`` elementwise (integers/bools; no gradient)."
    return op


heaviside = _ints(np.heaviside, "heaviside")
gcd, lcm = _ints(np.gcd, "gcd"), _ints(np.lcm, "lcm")
