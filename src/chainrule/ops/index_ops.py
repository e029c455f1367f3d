"""Index ops along a dim, out of place, as PyTorch: index_add, index_copy, index_fill and
index_put (``x[indices] = values`` without changing x). The Tensor has each as a method and
in place (``x.index_add_(...)``). They write with scatter.Embed, so gradients reach both the
input (outside the written region) and the source (read back from it)."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..tensor import Tensor, _make
from . import arrange as A
from . import functions as Fn
from ._util import write_out
from .embed import _dim, _t, embed, region_shape


def index_vector(index: Any, n: int, where: str) -> np.ndarray:
    """A checked 1-D integer index into a dim of size ``n`` (negative counts from the end)."""
    idx = _t(index)._data
    if idx.dtype.kind not in "iu":
        raise TypeError(f"{where}: expected an int32/int64 index, got dtype {idx.dtype}")
    if idx.ndim > 1:
        raise IndexError(f"{where}: expected a 0-d or 1-d index, got shape {idx.shape}")
    idx = idx.reshape(-1)
    if idx.size and not (-n <= idx.min() and idx.max() < n):
        bad = idx[(idx < -n) | (idx >= n)][0]
        raise IndexError(f"{where}: index {bad} is out of bounds for dimension with size {n}")
    return idx


def _along(input: Tensor, dim: int, index: Any, where: str) -> tuple[Any, ...]:  # noqa: A002
    d = _dim(dim, input.ndim, where)
    idx = index_vector(index, input.shape[d] if input.ndim else 1, where)
    return (slice(None),) * d + (idx,)


def _indexed(input: Tensor, dim: int, index: Any, source: Tensor, where: str,  # noqa: A002
             add: bool) -> Tensor:
    if input.ndim == 0:  # a 0-d input takes a 1-element index and source
        r = _indexed(A.reshape(input, 1), dim, index, A.reshape(_t(source), -1), where, add)
        return A.reshape(r, ())
    key = _along(input, dim, index, where)
    return embed(input, source, lambda a: (a, key), where, add=add, same_dtype=True)


def index_add(input: Tensor, dim: int, index: Any, source: Tensor, *,  # noqa: A002
              alpha: Any = 1, out: Tensor | None = None) -> Tensor:
    """``input`` with ``alpha * source[i]`` added at ``index[i]`` along ``dim`` (repeated
    indices accumulate).

    Shape
    -----
    input: (*, n, *); index: (k,); source: input's shape with ``dim`` of size k.

    Example
    -------
    >>> import chainrule as cr
    >>> cr.index_add(cr.zeros(3), 0, cr.tensor([0, 2, 0]), cr.tensor([1.0, 2.0, 3.0])).tolist()
    [4.0, 0.0, 2.0]
    """
    s = _t(source)
    if alpha != 1:
        s = Fn.mul(s, alpha).to(s.dtype)
    r = _indexed(input, dim, index, s, "index_add", True)
    return r if out is None else write_out(out, r, "index_add")


def index_copy(input: Tensor, dim: int, index: Any, source: Tensor, *,  # noqa: A002
               out: Tensor | None = None) -> Tensor:
    """``input`` with ``source[i]`` written at ``index[i]`` along ``dim``.

    Shape
    -----
    input: (*, n, *); index: (k,); source: input's shape with ``dim`` of size k.

    Example
    -------
    >>> import chainrule as cr
    >>> cr.index_copy(cr.zeros(3), 0, cr.tensor([2]), cr.tensor([5.0])).tolist()
    [0.0, 0.0, 5.0]
    """
    r = _indexed(input, dim, index, _t(source), "index_copy", False)
    return r if out is None else write_out(out, r, "index_copy")


def index_fill(input: Tensor, dim: int, index: Any, value: Any) -> Tensor:  # noqa: A002
    """``input`` with ``value`` (a number or a 0-d tensor, which gets the gradient) at
    ``index`` along ``dim``.

    Shape
    -----
    input: any; index: (k,); output: input's shape.

    Example
    -------
    >>> import chainrule as cr
    >>> cr.index_fill(cr.zeros(2, 2), 1, cr.tensor([1]), -1.0).tolist()
    [[0.0, -1.0], [0.0, -1.0]]
    """
    if isinstance(value, Tensor) and value.ndim != 0:
        raise ValueError(f"index_fill: expected a 0-d value tensor, got shape {value.shape}")
    key = _along(input, dim, index, "index_fill") if input.ndim else (Ellipsis,)
    mask = np.zeros(input.shape, bool)
    mask[key] = True
    if isinstance(value, Tensor):
        v = value if value.dtype == input.dtype else value.to(input.dtype)
    else:
        v = _make(np.asarray(value).astype(input._data.dtype))
    return Fn.where(_make(mask), v, input)


def _index_key(indices: Any, where: str) -> tuple[np.ndarray, ...]:
    """The integer arrays of ``indices`` (bool masks become the indices of their true
    elements)."""
    if isinstance(indices, Tensor) or not isinstance(indices, (tuple, list)):
        raise TypeError(f"{where}: expected indices as a tuple of tensors, got "
                        f"{type(indices).__name__}")
    key: list[np.ndarray] = []
    for i in indices:
        a = _t(i)._data
        if a.dtype == np.bool_:
            key.extend(np.nonzero(a))
        elif a.dtype.kind in "iu":
            key.append(a)
        else:
            raise TypeError(f"{where}: expected long, int or bool index tensors, got dtype "
                            f"{a.dtype}")
    return tuple(key)


def index_put(input: Tensor, indices: Sequence[Any], values: Any,  # noqa: A002
              accumulate: bool = False) -> Tensor:
    """``input`` with ``values`` written (or added, with ``accumulate``) at
    ``input[indices]``: ``x.index_put((i, j), v)`` is ``x[i, j] = v`` out of place.

    Shape
    -----
    indices: a tuple of integer or bool tensors; values: broadcastable to ``input[indices]``.

    Example
    -------
    >>> import chainrule as cr
    >>> i = cr.tensor([0, 0])
    >>> cr.index_put(cr.zeros(2), (i,), cr.tensor([1.0, 2.0]), accumulate=True).tolist()
    [3.0, 0.0]
    """
    key = _index_key(indices, "index_put")
    v = values if isinstance(values, Tensor) else _make(np.asarray(values, input._data.dtype))

    def region(a: np.ndarray) -> tuple[np.ndarray, Any]:
        return a, key
    tgt = region_shape(region, input.shape, "index_put")
    if v.shape != tgt:
        try:
            fits = np.broadcast_shapes(v.shape, tgt) == tgt
        except ValueError:
            fits = False
        if not fits:
            raise ValueError(f"index_put: expected values broadcastable to {tgt}, got shape "
                             f"{v.shape}")
        if len(v.shape) > len(tgt):  # leading dims of size 1
            v = A.reshape(v, v.shape[len(v.shape) - len(tgt):])
        v = A.broadcast_to(v, tgt)
    return embed(input, v, region, "index_put", add=accumulate, same_dtype=True)

