"""Scatter with a reduction, as PyTorch: scatter_reduce (sum, prod, mean, amax, amin) and
index_reduce (its form along one dim with a 1-D index). Each output element reduces the
input's element (with ``include_self``) and every source element scattered onto it."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.function import Function
from ..tensor import Tensor
from . import arrange as A
from ._util import write_out
from .indexing import gather_index
from .embed import _dim, _t

_UFUNC = {"sum": np.add, "mean": np.add, "prod": np.multiply, "amax": np.maximum,
          "amin": np.minimum}


def _identity(reduce: str, dtype: np.dtype) -> Any:
    """The start of an element that does not include itself."""
    if reduce in ("sum", "mean"):
        return 0
    if reduce == "prod":
        return 1
    big = reduce == "amin"
    if dtype.kind == "f":
        return np.inf if big else -np.inf
    if dtype.kind == "b":
        return big
    return np.iinfo(dtype).max if big else np.iinfo(dtype).min


class ScatterReduce(Function):
    """y_p = reduce(x_p (with include_self), src_j for index_j = p); dy_p/dsrc_j: sum 1,
    mean 1/N_p, prod the product of the others, amax/amin 1/(ties) at the extreme"""

    @staticmethod
    def forward(ctx, x, src, dim=0, index=None, reduce="sum", include_self=True):
        pos = gather_index(index.shape, dim, index)
        region = tuple(slice(0, n) for n in index.shape)
        s = src[region]
        y = x.copy()
        touched = np.zeros(x.shape, bool)
        touched[pos] = True
        if not include_self:
            y[touched] = _identity(reduce, x.dtype)
        _UFUNC[reduce].at(y, pos, s)
        n = None
        if reduce == "mean":
            n = np.full(x.shape, int(include_self), np.int64)
            np.add.at(n, pos, 1)
            n = np.maximum(n, 1)
            y = (np.floor_divide(y, n) if x.dtype.kind in "iub" else y / n).astype(x.dtype)
        ctx.save_for_backward(x, src, y)
        ctx.pos, ctx.region, ctx.touched, ctx.n = pos, region, touched, n
        ctx.reduce, ctx.include_self = reduce, include_self
        return y

    @staticmethod
    def backward(ctx, grad_out):
        x, src, y = ctx.saved_arrays
        pos, g = ctx.pos, grad_out
        s = src[ctx.region]
        if ctx.reduce == "sum":
            gx, gs = g, g[pos]
        elif ctx.reduce == "mean":
            gx = g / ctx.n.astype(g.dtype)
            gs = gx[pos]
        elif ctx.reduce == "prod":  # exact with zeros: count them, multiply the others
            xs = x if ctx.include_self else np.ones_like(x)
            xz, sz = xs == 0, s == 0
            zeros = xz.astype(np.int64)
            np.add.at(zeros, pos, sz)
            rest = np.where(xz, 1, xs).astype(g.dtype)
            np.multiply.at(rest, pos, np.where(sz, 1, s))
            gx = g * np.where(xz, rest * (zeros == 1), rest / np.where(xz, 1, xs) * (zeros == 0))
            gp, rp, zp = g[pos], rest[pos], zeros[pos]
            gs = gp * np.where(sz, rp * (zp == 1), rp / np.where(sz, 1, s) * (zp == 0))
        else:  # amax, amin: shared evenly among the elements equal to the result (as PyTorch)
            self_is, src_is = x == y, s == y[pos]
            ties = self_is.astype(g.dtype)
            np.add.at(ties, pos, src_is)
            share = np.divide(g, ties, out=np.zeros_like(g), where=ties > 0)
            gx, gs = self_is * share, src_is * share[pos]
        if not ctx.include_self:
            gx = np.where(ctx.touched, 0, gx)
        gsrc = np.zeros(src.shape, g.dtype)
        gsrc[ctx.region] = gs
        return gx.astype(x.dtype, copy=False), gsrc.astype(src.dtype, copy=False)


def scatter_reduce(input: Tensor, dim: int, index: Any, src: Tensor, reduce: str, *,  # noqa: A002
                   include_self: bool = True) -> Tensor:
    """``input`` with each ``src[i][j]`` reduced into ``input[index[i][j]][j]`` (along ``dim``)
    by ``reduce``: "sum", "prod", "mean", "amax" or "amin". With ``include_self=False`` the
    input's own value is left out where something is scattered. Integer means round down.

    Shape
    -----
    input, index, src: the same number of dims; index no larger than src, nor than input
    outside ``dim``; output: input's shape.

    Example
    -------
    >>> import chainrule as cr
    >>> x, i = cr.tensor([1.0, 2.0]), cr.tensor([0, 0, 1])
    >>> cr.scatter_reduce(x, 0, i, cr.tensor([5.0, 3.0, 1.0]), "amax").tolist()
    [5.0, 2.0]
    """
    if reduce not in _UFUNC:
        raise ValueError(f"scatter_reduce: expected reduce in {sorted(_UFUNC)}, got {reduce!r}")
    s, idx = _t(src), _t(index)._data
    if idx.dtype.kind not in "iu":
        raise TypeError(f"scatter_reduce: expected an int32/int64 index, got dtype {idx.dtype}")
    if s._data.dtype != input._data.dtype:
        raise TypeError(f"scatter_reduce: expected src of the input's dtype "
                        f"{input._data.dtype}, got {s._data.dtype}")
    if input.ndim == 0:
        r = scatter_reduce(A.reshape(input, 1), dim, idx.reshape(-1), A.reshape(s, -1), reduce,
                           include_self=include_self)
        return A.reshape(r, ())
    d = _dim(dim, input.ndim, "scatter_reduce")
    if not idx.ndim == s.ndim == input.ndim or any(
            i > n for i, n in zip(idx.shape, s.shape)) or any(
            i > n for k, (i, n) in enumerate(zip(idx.shape, input.shape)) if k != d):
        raise ValueError(f"scatter_reduce: expected index {idx.shape} no larger than src "
                         f"{tuple(s.shape)}, nor than input {tuple(input.shape)} apart from "
                         f"dim {d} (the same number of dims)")
    n = input.shape[d]
    if idx.size and not (-n <= idx.min() and idx.max() < n):
        raise IndexError(f"scatter_reduce: expected indices in [{-n}, {n - 1}] for dim {d}, "
                         f"got {idx.min()}..{idx.max()}")
    return ScatterReduce.apply(input, s, dim=d, index=idx, reduce=reduce,
                               include_self=bool(include_self))


def index_reduce(input: Tensor, dim: int, index: Any, source: Tensor, reduce: str, *,  # noqa: A002
                 include_self: bool = True, out: Tensor | None = None) -> Tensor:
    """``input`` with ``source[..., i, ...]`` reduced into ``input[..., index[i], ...]`` along
    ``dim`` by ``reduce``: "prod", "mean", "amax" or "amin" (as :func:`scatter_reduce`).

    Shape
    -----
    input: (*, n, *); index: (k,); source: input's shape with ``dim`` of size k.

    Example
    -------
    >>> import chainrule as cr
    >>> x = cr.ones(2, 2)
    >>> cr.index_reduce(x, 0, cr.tensor([1, 1]), cr.tensor([[2.0, 3.0], [4.0, 5.0]]),
    ...                 "prod").tolist()
    [[1.0, 1.0], [8.0, 15.0]]
    """
    from .index_ops import index_vector
    if reduce not in ("prod", "mean", "amax", "amin"):
        raise ValueError(f"index_reduce: expected reduce in ['amax', 'amin', 'mean', 'prod'], "
                         f"got {reduce!r}")
    s = _t(source)
    if input.ndim == 0:
        r = index_reduce(A.reshape(input, 1), 0, index, A.reshape(s, -1), reduce,
                         include_self=include_self)
        return A.reshape(r, ())
    d = _dim(dim, input.ndim, "index_reduce")
    idx = index_vector(index, input.shape[d], "index_reduce")
    want = input.shape[:d] + (idx.size,) + input.shape[d + 1:]
    if tuple(s.shape) != want:
        raise ValueError(f"index_reduce: expected source of shape {want}, got {tuple(s.shape)}")
    shape = [1] * input.ndim
    shape[d] = idx.size
    full = np.ascontiguousarray(np.broadcast_to(idx.reshape(shape), want))
    r = scatter_reduce(input, d, full, s, reduce, include_self=include_self)
    return r if out is None else write_out(out, r, "index_reduce")
