"""Rearranging and selecting, with PyTorch's names: movedim, narrow, unbind, tile/repeat,
the stack family, diagonal/trace, take_along_dim, masked_select and scatter (amax, nansum and
the other extremes are in ``extremes``). Written with the differentiable primitives (getitem,
permute, expand, gather, ...) so gradients come for free, except scatter, a Function of its
own."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..autograd.function import Function
from ..tensor import Tensor, _make
from . import arrange as A
from . import functions as Fn
from .indexing import gather_index


def _t(x: Any) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


def movedim(input: Tensor, source: Any, destination: Any) -> Tensor:  # noqa: A002
    """Move dims ``source`` to positions ``destination`` (the others keep their order)."""
    src = [source] if isinstance(source, int) else list(source)
    dst = [destination] if isinstance(destination, int) else list(destination)
    n = input.ndim
    src, dst = [s % n for s in src], [d % n for d in dst]
    rest = [i for i in range(n) if i not in src]
    perm: list[int] = [-1] * n
    for s, d in zip(src, dst):
        perm[d] = s
    it = iter(rest)
    perm = [p if p != -1 else next(it) for p in perm]
    return A.permute(input, *perm)


moveaxis = movedim


def swapaxes(input: Tensor, axis0: int, axis1: int) -> Tensor:  # noqa: A002
    return A.transpose(input, axis0, axis1)


swapdims = swapaxes


def narrow(input: Tensor, dim: int, start: int, length: int) -> Tensor:  # noqa: A002
    """``length`` elements of ``dim`` from ``start`` (a view, as PyTorch)."""
    d = dim % input.ndim
    n = input._data.shape[d]
    s = start % n if start < 0 else start
    if s + length > n or length < 0:
        raise IndexError(f"narrow: expected start + length <= {n} (dim {dim}), got start={start}"
                         f", length={length}")
    return A.getitem(input, (slice(None),) * d + (slice(s, s + length),))


def select(input: Tensor, dim: int, index: int) -> Tensor:  # noqa: A002
    """The slice at ``index`` of ``dim`` (that dim removed)."""
    return A.getitem(input, (slice(None),) * (dim % input.ndim) + (index,))


def unbind(input: Tensor, dim: int = 0) -> tuple[Tensor, ...]:  # noqa: A002
    """All slices along ``dim``, as a tuple."""
    return tuple(select(input, dim, i) for i in range(input._data.shape[dim]))


def tile(input: Tensor, dims: Sequence[int]) -> Tensor:  # noqa: A002
    """Repeat the whole tensor ``dims`` times along each dim (as ``numpy.tile``)."""
    reps = tuple(dims)
    x = input
    if len(reps) < x.ndim:
        reps = (1,) * (x.ndim - len(reps)) + reps
    x = A.reshape(x, (1,) * (len(reps) - x.ndim) + tuple(x._data.shape))
    shape = x._data.shape
    inter = A.reshape(x, tuple(v for s in shape for v in (1, s)))
    big = A.expand(inter, tuple(v for r, s in zip(reps, shape) for v in (r, s)))
    return A.reshape(big, tuple(r * s for r, s in zip(reps, shape)))


def repeat(input: Tensor, *sizes: Any) -> Tensor:  # noqa: A002
    """``Tensor.repeat``: like tile, with at least as many sizes as dims."""
    reps = tuple(sizes[0]) if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)) else sizes
    if len(reps) < input.ndim:
        raise ValueError(f"repeat: expected at least {input.ndim} sizes (one per dim), got "
                         f"{len(reps)}")
    return tile(input, reps)


def repeat_interleave(input: Tensor, repeats: Any, dim: int | None = None) -> Tensor:  # noqa: A002
    """Repeat each element ``repeats`` times (flattened first without ``dim``)."""
    x = A.reshape(input, -1) if dim is None else input
    d = 0 if dim is None else dim % x.ndim
    r = repeats._data if isinstance(repeats, Tensor) else repeats
    idx = np.repeat(np.arange(x._data.shape[d]), r)
    return A.index_select(x, d, idx)


def ravel(input: Tensor) -> Tensor:  # noqa: A002
    return A.reshape(input, -1)


def atleast_1d(input: Tensor) -> Tensor:  # noqa: A002
    return A.reshape(input, 1) if input.ndim == 0 else input


def atleast_2d(input: Tensor) -> Tensor:  # noqa: A002
    return input if input.ndim >= 2 else A.reshape(input, 1, -1)


def atleast_3d(input: Tensor) -> Tensor:  # noqa: A002
    if input.ndim >= 3:
        return input
    return A.reshape(input, (1, -1, 1) if input.ndim < 2 else tuple(input._data.shape) + (1,))


def vstack(tensors: Sequence[Tensor]) -> Tensor:
    return A.cat([atleast_2d(t) for t in tensors], 0)


row_stack = vstack


def hstack(tensors: Sequence[Tensor]) -> Tensor:
    return A.cat(list(tensors), 0 if tensors[0].ndim == 1 else 1)


def dstack(tensors: Sequence[Tensor]) -> Tensor:
    return A.cat([atleast_3d(t) for t in tensors], 2)


def column_stack(tensors: Sequence[Tensor]) -> Tensor:
    return A.cat([A.reshape(t, -1, 1) if t.ndim < 2 else t for t in tensors], 1)


def fliplr(input: Tensor) -> Tensor:  # noqa: A002
    from .math import flip
    return flip(input, 1)


def flipud(input: Tensor) -> Tensor:  # noqa: A002
    from .math import flip
    return flip(input, 0)


def diagonal(input: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:  # noqa: A002
    """The diagonal of dims (dim1, dim2), moved to the last dim."""
    n1, n2 = input._data.shape[dim1], input._data.shape[dim2]
    i = np.arange(max(0, -offset), min(n1, n2 - offset))
    x = movedim(input, (dim1, dim2), (-2, -1))
    return A.getitem(x, (Ellipsis, i, i + offset))


def trace(input: Tensor) -> Tensor:  # noqa: A002
    """Sum of the main diagonal of a 2-D tensor."""
    if input.ndim != 2:
        raise ValueError(f"trace: expected a 2-D tensor, got shape {input._data.shape}")
    return Fn.sum(diagonal(input))


def diag(input: Tensor, diagonal: int = 0) -> Tensor:  # noqa: A002
    """1-D -> the square matrix with it on a diagonal; 2-D -> that diagonal."""
    if input.ndim == 2:
        return globals()["diagonal"](input, diagonal)
    if input.ndim != 1:
        raise ValueError(f"diag: expected a 1-D or 2-D tensor, got shape {input._data.shape}")
    n = input._data.shape[0] + abs(diagonal)
    rows = np.arange(input._data.shape[0]) + max(0, -diagonal)
    eye = np.zeros((input._data.shape[0], n * n), dtype=input._data.dtype)
    eye[np.arange(len(rows)), rows * n + rows + diagonal] = 1
    return A.reshape(A.matmul(input, _make(eye)), n, n)


def take_along_dim(input: Tensor, indices: Any, dim: int | None = None) -> Tensor:  # noqa: A002
    """Values at ``indices`` along ``dim`` (both broadcast over the other dims)."""
    idx = _t(indices)._data
    if dim is None:
        return A.gather(A.reshape(input, -1), 0, idx.reshape(-1))
    d = dim % input.ndim
    xs, js = list(input._data.shape), list(idx.shape)
    xs[d] = js[d] = 1
    b = list(np.broadcast_shapes(tuple(xs), tuple(js)))
    x = A.broadcast_to(input, tuple(b[:d] + [input._data.shape[d]] + b[d + 1:]))
    j = np.ascontiguousarray(np.broadcast_to(idx, tuple(b[:d] + [idx.shape[d]] + b[d + 1:])))
    return A.gather(x, d, j)


def take(input: Tensor, index: Any) -> Tensor:  # noqa: A002
    """Elements of the flattened input at ``index`` (the result has index's shape)."""
    idx = _t(index)._data
    return A.reshape(A.index_select(A.reshape(input, -1), 0, idx.reshape(-1)), idx.shape)


def masked_select(input: Tensor, mask: Any) -> Tensor:  # noqa: A002
    """The elements where ``mask`` is true, as a 1-D tensor."""
    m = _t(mask)._data
    shape = np.broadcast_shapes(input._data.shape, m.shape)
    return A.getitem(A.broadcast_to(input, shape), np.broadcast_to(m, shape))


def broadcast_tensors(*tensors: Tensor) -> tuple[Tensor, ...]:
    shape = np.broadcast_shapes(*(t._data.shape for t in tensors))
    return tuple(A.broadcast_to(t, shape) for t in tensors)


def broadcast_shapes(*shapes: Any) -> Any:
    from .._size import Size
    return Size(np.broadcast_shapes(*(tuple(s) if not isinstance(s, int) else (s,)
                                      for s in shapes)))


def tensor_split(input: Tensor, indices_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:  # noqa: A002,E501
    n = input._data.shape[dim]
    if isinstance(indices_or_sections, int):
        k = indices_or_sections
        sizes = [n // k + (1 if i < n % k else 0) for i in range(k)]
    else:
        cuts = [0, *indices_or_sections, n]
        sizes = [max(0, b - a) for a, b in zip(cuts[:-1], cuts[1:])]
    return A.split(input, sizes, dim)


def diff(input: Tensor, n: int = 1, dim: int = -1) -> Tensor:  # noqa: A002
    """Differences of neighbours along ``dim``, ``n`` times."""
    x = input
    for _ in range(n):
        d = dim % x.ndim
        hi = (slice(None),) * d + (slice(1, None),)
        lo = (slice(None),) * d + (slice(None, -1),)
        x = Fn.sub(A.getitem(x, hi), A.getitem(x, lo))
    return x


class Scatter(Function):
    """y = x with src written (or added) at index along dim; dy/dx = 1 where not written,
    dy/dsrc = the gradient gathered at index"""

    @staticmethod
    def forward(ctx, x, src, dim=0, index=None, add=False):
        ctx.dim, ctx.index, ctx.add, ctx.src_shape = dim, index, add, np.shape(src)
        y = x.copy()
        where = gather_index(index.shape, dim, index)
        s = np.broadcast_to(src, index.shape) if np.ndim(src) == 0 else np.asarray(src)[
            tuple(slice(0, n) for n in index.shape)]
        if add:
            np.add.at(y, where, s)
        else:
            y[where] = s
        return y

    @staticmethod
    def backward(ctx, grad_out):
        where = gather_index(ctx.index.shape, ctx.dim, ctx.index)
        gx = grad_out
        if not ctx.add:
            gx = grad_out.copy()
            gx[where] = 0
        gs = None
        if len(ctx.needs_input_grad) > 1 and ctx.needs_input_grad[1]:
            gs = np.zeros(ctx.src_shape, grad_out.dtype)
            gs[tuple(slice(0, n) for n in ctx.index.shape)] = grad_out[where]
        return gx, gs


def scatter(input: Tensor, dim: int, index: Any, src: Any = None, *,  # noqa: A002
            value: Any = None) -> Tensor:
    """out = input with ``src`` (a tensor or a number) written at ``index`` along ``dim``."""
    s = value if src is None else src
    return Scatter.apply(input, s, dim=dim % input.ndim, index=_t(index)._data)


def scatter_add(input: Tensor, dim: int, index: Any, src: Any) -> Tensor:  # noqa: A002
    """out = input with ``src`` added at ``index`` along ``dim`` (repeats accumulate)."""
    return Scatter.apply(input, src, dim=dim % input.ndim, index=_t(index)._data, add=True)
