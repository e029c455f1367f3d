"""Write a tensor into a region of another, out of place, as PyTorch: diagonal_scatter,
select_scatter, slice_scatter, masked_scatter, put, diag_embed, and (in index_ops.py)
index_add, index_copy, index_put. One Function, Embed, does them all: a region is a function
that gives a writable view of an array and the key that selects the region in it."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..autograd.function import Function
from ..tensor import Tensor, _make
from . import arrange as A

Region = Callable[[np.ndarray], tuple[np.ndarray, Any]]


class Embed(Function):
    """y = x with src written into (or added to) a region R of x; dy/dx = 1 outside R
    (everywhere when adding), dy/dsrc = the gradient read back from R"""

    @staticmethod
    def forward(ctx, x, src, region=None, add=False):
        ctx.region, ctx.add, ctx.src_dtype = region, add, np.asarray(src).dtype
        y = x.copy()
        view, key = region(y)
        if add:
            np.add.at(view, key, src)
        else:
            view[key] = src
        return y

    @staticmethod
    def backward(ctx, grad_out):
        gx = grad_out
        if not ctx.add:
            gx = grad_out.copy()
            view, key = ctx.region(gx)
            view[key] = 0
        view, key = ctx.region(grad_out)
        return gx, np.array(view[key], dtype=ctx.src_dtype)


_NODES: dict[str, type[Embed]] = {}


def _node(where: str) -> type[Embed]:
    """Embed under the op's name (IndexAdd, DiagonalScatter ...) for graphs and errors."""
    if where not in _NODES:
        name = "".join(w.capitalize() for w in where.split("_"))
        _NODES[where] = type(name, (Embed,), {"__doc__": Embed.__doc__, "__slots__": ()})
    return _NODES[where]


def _t(x: Any) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


def _dim(dim: int, ndim: int, where: str) -> int:
    if not -ndim <= dim < max(ndim, 1):
        raise IndexError(f"{where}: expected dim in [{-ndim}, {ndim - 1}], got {dim}")
    return dim % max(ndim, 1)


def region_shape(region: Region, shape: tuple[int, ...], where: str) -> tuple[int, ...]:
    """The shape of the region in an array of ``shape`` (checked on a zero-stride stand-in)."""
    stand_in = np.broadcast_to(np.zeros((), np.int8), shape)
    try:
        view, key = region(stand_in)
        return tuple(view[key].shape)
    except IndexError as exc:
        raise IndexError(f"{where}: {exc}; the input has shape {shape}") from None


def embed(input: Tensor, src: Any, region: Region, where: str, *, add: bool = False,  # noqa: A002
          same_dtype: bool = False) -> Tensor:
    """Check that ``src`` fits the region exactly, then write (or add) it there."""
    s = _t(src)
    if same_dtype and s._data.dtype != input._data.dtype:
        raise TypeError(f"{where}: expected source of the input's dtype {input._data.dtype}, got "
                        f"{s._data.dtype}")
    tgt = region_shape(region, input.shape, where)
    if tuple(s.shape) != tgt:
        raise ValueError(f"{where}: expected src of shape {tgt} (the region of the input), got "
                         f"{tuple(s.shape)}")
    return _node(where).apply(input, s, region=region, add=add)


def diagonal_scatter(input: Tensor, src: Tensor, offset: int = 0, dim1: int = 0,  # noqa: A002
                     dim2: int = 1) -> Tensor:
    """``input`` with ``src`` written on its diagonal (as ``input.diagonal(offset, dim1, dim2)``
    reads it).

    Shape
    -----
    input: (at least 2 dims); src: the diagonal's shape (the other dims, then its length).

    Example
    -------
    >>> import chainrule as cr
    >>> cr.diagonal_scatter(cr.zeros(2, 3), cr.ones(2), 1).tolist()
    [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    """
    n = input.ndim
    d1, d2 = _dim(dim1, n, "diagonal_scatter"), _dim(dim2, n, "diagonal_scatter")
    if d1 == d2:
        raise ValueError(f"diagonal_scatter: expected two different dims, got {dim1} and {dim2}")
    rows, cols = input.shape[d1], input.shape[d2]
    size = max(0, min(rows + min(offset, 0), cols - max(offset, 0)))
    i = np.arange(size)
    r, c = (i, i + offset) if offset >= 0 else (i - offset, i)

    def region(a: np.ndarray) -> tuple[np.ndarray, Any]:
        return np.moveaxis(a, (d1, d2), (-2, -1)), (Ellipsis, r, c)
    return embed(input, src, region, "diagonal_scatter")


def select_scatter(input: Tensor, src: Tensor, dim: int, index: int) -> Tensor:  # noqa: A002
    """``input`` with ``src`` written at ``input.select(dim, index)``.

    Shape
    -----
    input: (*, n, *); src: input's shape without ``dim``.

    Example
    -------
    >>> import chainrule as cr
    >>> cr.select_scatter(cr.zeros(2, 2), cr.ones(2), 0, -1).tolist()
    [[0.0, 0.0], [1.0, 1.0]]
    """
    d = _dim(dim, input.ndim, "select_scatter")
    n = input.shape[d]
    if not -n <= index < n:
        raise IndexError(f"select_scatter: expected index in [{-n}, {n - 1}] for dim {d} of "
                         f"shape {input.shape}, got {index}")
    key = (slice(None),) * d + (index,)
    return embed(input, src, lambda a: (a, key), "select_scatter")


def slice_scatter(input: Tensor, src: Tensor, dim: int = 0, start: int | None = None,  # noqa: A002
                  end: int | None = None, step: int = 1) -> Tensor:
    """``input`` with ``src`` written at the slice ``start:end:step`` of ``dim``.

    Shape
    -----
    input: (*, n, *); src: input's shape with ``dim`` the slice's length.

    Example
    -------
    >>> import chainrule as cr
    >>> cr.slice_scatter(cr.zeros(4), cr.ones(2), start=1, step=2).tolist()
    [0.0, 1.0, 0.0, 1.0]
    """
    d = _dim(dim, input.ndim, "slice_scatter")
    if step <= 0:
        raise ValueError(f"slice_scatter: expected a positive step, got {step}")
    key = (slice(None),) * d + (slice(start, end, step),)
    return embed(input, src, lambda a: (a, key), "slice_scatter")


def masked_scatter(input: Tensor, mask: Tensor, source: Tensor) -> Tensor:  # noqa: A002
    """``input`` with the elements where ``mask`` is true replaced, in order, by the first
    elements of ``source`` (input and mask broadcast together).

    Shape
    -----
    input, mask: broadcastable; source: at least mask.sum() elements; output: the broadcast
    shape.

    Example
    -------
    >>> import chainrule as cr
    >>> m = cr.tensor([True, False, True])
    >>> cr.masked_scatter(cr.zeros(3), m, cr.tensor([7.0, 8.0, 9.0])).tolist()
    [7.0, 0.0, 8.0]
    """
    m = _t(mask)._data
    if m.dtype != np.bool_:
        raise TypeError(f"masked_scatter: expected a bool mask, got dtype {m.dtype}")
    src = _t(source)
    try:
        shape = np.broadcast_shapes(input.shape, m.shape)
    except ValueError:
        raise ValueError(f"masked_scatter: expected broadcastable input and mask, got shapes "
                         f"{input.shape} and {m.shape}") from None
    x = input if input.shape == shape else A.broadcast_to(input, shape)
    m = np.broadcast_to(m, shape)
    k = int(m.sum())
    if src.numel() < k:
        raise ValueError(f"masked_scatter: expected a source with at least {k} elements (the "
                         f"true elements of mask), got {src.numel()}")
    flat = A.getitem(A.reshape(src, -1), slice(0, k))
    return embed(x, flat, lambda a: (a, m), "masked_scatter", same_dtype=True)


def put(input: Tensor, index: Any, source: Tensor, accumulate: bool = False) -> Tensor:  # noqa: A002
    """``input`` seen as 1-D with ``source`` written (or added, with ``accumulate``) at
    ``index``.

    Shape
    -----
    input: any; index, source: the same number of elements; output: input's shape.

    Example
    -------
    >>> import chainrule as cr
    >>> cr.put(cr.zeros(2, 2), cr.tensor([3, 0]), cr.tensor([1.0, 2.0])).tolist()
    [[2.0, 0.0], [0.0, 1.0]]
    """
    idx = _t(index)._data
    if idx.dtype.kind not in "iu":
        raise TypeError(f"put: expected an integer index, got dtype {idx.dtype}")
    src = _t(source)
    if idx.size != src.numel():
        raise ValueError(f"put: expected source and index with the same number of elements, "
                         f"got {src.numel()} and {idx.size}")
    n = input.numel()
    if idx.size and not (-n <= idx.min() and idx.max() < n):
        raise IndexError(f"put: expected indices in [{-n}, {n - 1}], got {idx.min()}..{idx.max()}")
    return embed(input, A.reshape(src, idx.shape), lambda a: (a.reshape(-1), idx), "put",
                 add=accumulate, same_dtype=True)


def diag_embed(input: Tensor, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:  # noqa: A002,E501
    """Tensors whose diagonals (``offset``, in the plane of ``dim1``, ``dim2``) are the last
    dim of ``input``; zeros elsewhere.

    Shape
    -----
    input: (*, n); output: * with two dims of size n + |offset| inserted at dim1, dim2.

    Example
    -------
    >>> import chainrule as cr
    >>> cr.diag_embed(cr.tensor([[1.0, 2.0]])).tolist()
    [[[1.0, 0.0], [0.0, 2.0]]]
    """
    n = input.ndim + 1
    d1, d2 = _dim(dim1, n, "diag_embed"), _dim(dim2, n, "diag_embed")
    if d1 == d2:
        raise ValueError(f"diag_embed: expected two different dims, got {dim1} and {dim2}")
    size = input.shape[-1] + abs(offset)
    shape = list(input.shape[:-1])
    for d in sorted((d1, d2)):
        shape.insert(d, size)
    zeros = _make(np.zeros(shape, input._data.dtype))
    return diagonal_scatter(zeros, input, offset, d1, d2)
