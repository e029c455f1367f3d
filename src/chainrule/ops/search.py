"""Sorting, searching, counting and comparing: sort, topk, unique, bincount, histc, isclose,
all/any, nonzero, one_hot. Values picked by sort/topk keep their gradient (they are gathered
from the input); indices, counts and comparisons carry none."""
from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ..tensor import Tensor, _make
from ._util import write_out


def _arr(x: Any) -> np.ndarray:
    return x._data if isinstance(x, Tensor) else np.asarray(x)


class SortResult(NamedTuple):
    values: Tensor
    indices: Tensor


def argsort(input: Tensor, dim: int = -1, descending: bool = False,  # noqa: A002
            stable: bool = False) -> Tensor:
    """Indices that sort ``input`` along ``dim`` (ties keep their order)."""
    x = input._data
    if x.ndim == 0:
        return _make(np.zeros((), np.int64))
    key = -x if descending and x.dtype.kind != "b" else (~x if descending else x)
    return _make(np.argsort(key, axis=dim, kind="stable").astype(np.int64))


def sort(input: Tensor, dim: int = -1, descending: bool = False, stable: bool = False,  # noqa: A002
         ) -> SortResult:
    """``(values, indices)`` sorted along ``dim``; values carry the gradient.

    Example
    -------
    >>> import chainrule as cr
    >>> cr.sort(cr.tensor([3.0, 1.0, 2.0]), descending=True).indices
    tensor([0, 2, 1])
    """
    idx = argsort(input, dim, descending)
    if input.ndim == 0:
        return SortResult(input.clone(), idx)
    return SortResult(input.gather(dim, idx), idx)


def topk(input: Tensor, k: int, dim: int = -1, largest: bool = True,  # noqa: A002
         sorted: bool = True) -> SortResult:  # noqa: A002
    """The ``k`` largest (or smallest) elements along ``dim`` and their indices."""
    n = input._data.shape[dim] if input.ndim else 1
    if not 0 <= k <= n:
        raise RuntimeError(f"topk: expected k in [0, {n}] (the size of dim {dim}), got {k}")
    idx = argsort(input, dim, descending=largest)
    if input.ndim == 0:
        return SortResult(input.clone(), idx)
    sl = [slice(None)] * input.ndim
    sl[dim] = slice(0, k)
    idx = _make(np.ascontiguousarray(idx._data[tuple(sl)]))
    return SortResult(input.gather(dim, idx), idx)


def unique(input: Tensor, sorted: bool = True, return_inverse: bool = False,  # noqa: A002
           return_counts: bool = False, dim: int | None = None) -> Any:
    """The distinct values (sorted), with the inverse indices and counts when asked."""
    r: Any = np.unique(input._data, return_inverse=return_inverse,  # type: ignore[call-overload]
                       return_counts=return_counts, axis=dim)
    if not (return_inverse or return_counts):
        return _make(r)
    out = [_make(r[0])]
    if return_inverse:
        out.append(_make(r[1].reshape(input._data.shape if dim is None else -1).astype(np.int64)))
    if return_counts:
        out.append(_make(r[-1].astype(np.int64)))
    return tuple(out)


def bincount(input: Tensor, weights: Tensor | None = None, minlength: int = 0) -> Tensor:  # noqa: A002
    """Counts of each value 0..max of a 1-D int tensor (summed ``weights`` when given)."""
    x = input._data
    if x.ndim != 1 or x.dtype.kind not in "iub" or (x.size and x.min() < 0):
        raise ValueError(f"bincount: expected a 1-D tensor of non-negative ints, got shape "
                         f"{x.shape} and dtype {x.dtype}")
    w = None if weights is None else weights._data
    r = np.bincount(x, w, minlength)
    if w is None:
        return _make(r.astype(np.int64))
    return _make(r.astype(w.dtype if w.dtype.kind == "f" else np.float64))


def histc(input: Tensor, bins: int = 100, min: float = 0, max: float = 0, *,  # noqa: A002
          out: Tensor | None = None) -> Tensor:
    """Counts in ``bins`` equal bins over [min, max] (the data's range when min == max);
    values outside are ignored. The input's dtype, as PyTorch."""
    x = input._data
    if x.dtype.kind != "f":
        raise TypeError(f"histc: expected a floating point tensor, got dtype {x.dtype}")
    lo, hi = float(min), float(max)
    if lo == hi and x.size:
        lo, hi = float(x.min()), float(x.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if lo > hi:
        raise RuntimeError(f"histc: expected max >= min, got min={lo}, max={hi}")
    counts = np.histogram(x, bins, (lo, hi))[0].astype(x.dtype)
    r = _make(counts)
    return r if out is None else write_out(out, r, "histc")


class HistogramResult(NamedTuple):
    hist: Tensor
    bin_edges: Tensor


def histogram(input: Tensor, bins: Any = 100, *, range: Any = None,  # noqa: A002
              weight: Tensor | None = None, density: bool = False) -> HistogramResult:
    """``(hist, bin_edges)`` as ``numpy.histogram``, in the input's float dtype."""
    x = input._data
    if x.dtype.kind != "f":
        raise TypeError(f"histogram: expected a floating point tensor, got dtype {x.dtype}")
    b = bins._data if isinstance(bins, Tensor) else bins
    h, e = np.histogram(x, b, range, density=density,
                        weights=None if weight is None else weight._data)
    return HistogramResult(_make(h.astype(x.dtype)), _make(e.astype(x.dtype)))


def isclose(input: Tensor, other: Any, rtol: float = 1e-05, atol: float = 1e-08,  # noqa: A002
            equal_nan: bool = False) -> Tensor:
    """|input - other| ≤ atol + rtol·|other|, elementwise (a bool tensor)."""
    return _make(np.asarray(np.isclose(input._data, _arr(other), rtol, atol, equal_nan)))


def allclose(input: Tensor, other: Any, rtol: float = 1e-05, atol: float = 1e-08,  # noqa: A002
             equal_nan: bool = False) -> bool:
    """Whether ``isclose`` holds everywhere (a Python bool)."""
    return bool(np.allclose(input._data, _arr(other), rtol, atol, equal_nan))


def equal(input: Tensor, other: Tensor) -> bool:  # noqa: A002
    """True when both have the same shape and the same values."""
    return bool(input._data.shape == _arr(other).shape and
                np.array_equal(input._data, _arr(other)))


def _logical(fn: Any, name: str) -> Any:
    def op(input: Tensor, dim: Any = None, keepdim: bool = False, *,  # noqa: A002
           out: Tensor | None = None) -> Tensor:
        x = input._data
        d = tuple(dim) if isinstance(dim, list) else dim
        a = np.asarray(fn(x, axis=d, keepdims=keepdim and d is not None))
        r = _make(a.astype(np.uint8) if x.dtype == np.uint8 else a)
        return r if out is None else write_out(out, r, name)
    op.__name__ = op.__qualname__ = name
    op.__doc__ = (f"Whether {'all' if name == 'all' else 'any'} elements (along ``dim``) are "
                  "true, as a bool tensor.")
    return op


all = _logical(np.all, "all")  # noqa: A001
any = _logical(np.any, "any")  # noqa: A001


def nonzero(input: Tensor, *, as_tuple: bool = False) -> Any:  # noqa: A002
    """Indices of the non-zero elements: an (n, ndim) int64 tensor, or one per dim."""
    idx = np.nonzero(np.atleast_1d(input._data))
    if as_tuple:
        return tuple(_make(i.astype(np.int64)) for i in idx)
    return _make(np.stack(idx, 1).astype(np.int64) if idx else np.zeros((0, 0), np.int64))


def count_nonzero(input: Tensor, dim: Any = None) -> Tensor:  # noqa: A002
    return _make(np.asarray(np.count_nonzero(input._data, axis=dim)).astype(np.int64))


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """Class indices -> one-hot rows (int64), as ``torch.nn.functional.one_hot``.

    Shape
    -----
    (*) -> (*, num_classes); ``num_classes=-1`` uses max + 1.

    Example
    -------
    >>> import chainrule as cr
    >>> cr.one_hot(cr.tensor([0, 2]), 3)
    tensor([[1, 0, 0],
            [0, 0, 1]])
    """
    x = tensor._data
    if x.dtype.kind not in "iu":
        raise TypeError(f"one_hot: expected an integer (int64) tensor of class indices, got "
                        f"dtype {x.dtype}")
    if x.size and x.min() < 0:
        raise RuntimeError(f"one_hot: expected class values >= 0, got {int(x.min())}")
    n = int(x.max()) + 1 if num_classes == -1 and x.size else num_classes
    if x.size and int(x.max()) >= n:
        raise RuntimeError(f"one_hot: expected class values < num_classes={n}, got "
                           f"{int(x.max())}")
    return _make((x[..., None] == np.arange(n)).astype(np.int64))


def numel(input: Tensor) -> int:  # noqa: A002
    """The number of elements of ``input``."""
    return int(input._data.size)
