"""Selections that return (values, indices) as PyTorch: running extremes (cummax, cummin), the
most frequent value (mode) and the median ignoring NaN (nanmedian). The indices are found on
the arrays; the values are gathered from the input at them, so the gradient flows to the
selected elements only (as PyTorch's)."""
from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ..tensor import Tensor, _make
from . import arrange as A
from ._util import write_out


class ValuesIndices(NamedTuple):
    """(values, indices), as torch.return_types.cummax and friends."""
    values: Tensor
    indices: Tensor


def _out(out: Any, r: Any, where: str) -> Any:
    """PyTorch's ``out=``: a tensor, or a (values, indices) pair for a pair."""
    if out is None:
        return r
    if isinstance(r, tuple):
        return ValuesIndices(write_out(out[0], r[0], where), write_out(out[1], r[1], where))
    return write_out(out, r, where)


def _dim(dim: int, ndim: int, where: str) -> int:
    n = max(ndim, 1)  # a 0-d tensor takes dim 0 or -1, as PyTorch
    if not -n <= dim < n:
        raise IndexError(f"{where}: expected dim in [{-n}, {n - 1}], got {dim}")
    return dim % n


def _picked(input: Tensor, d: int, idx: np.ndarray, keepdim: bool = True) -> ValuesIndices:  # noqa: A002,E501
    """Values gathered at ``idx`` (a keepdim-shaped index along ``d``) and the indices."""
    if input.ndim == 0:
        return ValuesIndices(A.reshape(input, ()), _make(np.zeros((), np.int64)))
    i = _make(np.ascontiguousarray(idx, dtype=np.int64))
    v = A.gather(input, d, i)
    if not keepdim:
        v, i = A.squeeze(v, d), A.squeeze(i, d)
    return ValuesIndices(v, i)


def _cumulative(input: Tensor, dim: int, name: str, ufunc: Any) -> ValuesIndices:  # noqa: A002
    d = _dim(dim, input.ndim, name)
    if input.ndim == 0:
        return _picked(input, 0, np.zeros(()))
    x = np.moveaxis(input._data, d, -1)
    best = ufunc.accumulate(x, axis=-1)  # NaN propagates, as PyTorch's
    hit = x == best  # where the running extreme was (last) reached
    if x.dtype.kind == "f":
        hit |= np.isnan(x)
    pos = np.where(hit, np.arange(x.shape[-1]), 0)
    idx = np.maximum.accumulate(pos, axis=-1) if x.shape[-1] else pos
    return _picked(input, d, np.moveaxis(idx, -1, d))


def cummax(input: Tensor, dim: int, *, out: Any = None) -> ValuesIndices:  # noqa: A002
    """Running maximum along ``dim`` and where it was reached (the last such index; NaN
    propagates).

    y_i = max_{j≤i} x_j; dy_i/dx_j = 1 at the selected j, else 0.

    Shape
    -----
    input: any; values and indices: the same (indices int64).

    Example
    -------
    >>> import chainrule as cr
    >>> v, i = cr.cummax(cr.tensor([1.0, 3.0, 2.0, 5.0]), 0)
    >>> v.tolist(), i.tolist()
    ([1.0, 3.0, 3.0, 5.0], [0, 1, 1, 3])
    """
    return _out(out, _cumulative(input, dim, "cummax", np.maximum), "cummax")


def cummin(input: Tensor, dim: int, *, out: Any = None) -> ValuesIndices:  # noqa: A002
    """Running minimum along ``dim`` and where it was reached (as :func:`cummax`).

    Shape
    -----
    input: any; values and indices: the same (indices int64).

    Example
    -------
    >>> import chainrule as cr
    >>> cr.cummin(cr.tensor([2.0, 3.0, 1.0]), 0).indices.tolist()
    [0, 0, 2]
    """
    return _out(out, _cumulative(input, dim, "cummin", np.minimum), "cummin")


def mode(input: Tensor, dim: int = -1, keepdim: bool = False, *,  # noqa: A002
         out: Any = None) -> ValuesIndices:
    """The most frequent value along ``dim`` (the smallest one on ties) and the index of its
    last occurrence. NaNs never equal each other, so each counts once (PyTorch's answer with
    NaNs depends on where its sort leaves them).

    Shape
    -----
    input: (*, n, *) with n > 0; values, indices: input's shape without ``dim`` (kept as size
    1 with ``keepdim``).

    Example
    -------
    >>> import chainrule as cr
    >>> v, i = cr.mode(cr.tensor([[1.0, 2.0, 2.0, 1.0], [3.0, 3.0, 0.0, 1.0]]))
    >>> v.tolist(), i.tolist()
    ([1.0, 3.0], [3, 1])
    """
    return _out(out, _mode(input, _dim(dim, input.ndim, "mode"), keepdim), "mode")


def _mode(input: Tensor, d: int, keepdim: bool) -> ValuesIndices:  # noqa: A002
    if input.ndim == 0:
        return _picked(input, 0, np.zeros(()))
    x = np.moveaxis(input._data, d, -1)
    n = x.shape[-1]
    if n == 0:
        raise IndexError(f"mode: expected reduction dim {d} to have non-zero size, got shape "
                         f"{input.shape}")
    rows = x.reshape(-1, n)
    order = np.argsort(rows, axis=-1, kind="stable")
    s = np.take_along_axis(rows, order, -1)
    new = np.ones(s.shape, bool)
    new[:, 1:] = s[:, 1:] != s[:, :-1]
    run = np.cumsum(new.reshape(-1)) - 1
    count = np.bincount(run)[run].reshape(s.shape)
    first = np.argmax(count, axis=-1)  # the start of the smallest most frequent value's run
    last = first + count[np.arange(len(rows)), first] - 1
    idx = order[np.arange(len(rows)), last].reshape(x.shape[:-1] + (1,))
    return _picked(input, d, np.moveaxis(idx, -1, d), keepdim)


def nanmedian(input: Tensor, dim: int | None = None, keepdim: bool = False, *,  # noqa: A002
              out: Any = None) -> Any:
    """The lower median of the non-NaN values (NaN where all are NaN): a 0-d tensor, or with
    ``dim`` (values, indices). Ties take the lowest index, as PyTorch.

    Shape
    -----
    input: any; values, indices: input's shape without ``dim`` (size 1 with ``keepdim``).

    Example
    -------
    >>> import chainrule as cr
    >>> x = cr.tensor([[2.0, float("nan"), 1.0], [4.0, 6.0, 5.0]])
    >>> cr.nanmedian(x).item(), cr.nanmedian(x, 1).values.tolist()
    (4.0, [1.0, 5.0])
    """
    if dim is None:
        flat = A.reshape(input, -1)
        if flat.shape[0] == 0:
            return _make(np.asarray(np.nan, input._data.dtype))
        return _out(out, A.reshape(nanmedian(flat, 0).values, ()), "nanmedian")
    return _out(out, _nanmedian(input, _dim(dim, input.ndim, "nanmedian"), keepdim), "nanmedian")


def _nanmedian(input: Tensor, d: int, keepdim: bool) -> ValuesIndices:  # noqa: A002
    if input.ndim == 0:
        return _picked(input, 0, np.zeros(()))
    x = np.moveaxis(input._data, d, -1)
    if x.shape[-1] == 0:
        raise IndexError(f"nanmedian: expected reduction dim {d} to have non-zero size, got "
                         f"shape {input.shape}")
    valid = np.sum(~np.isnan(x), axis=-1, keepdims=True) if x.dtype.kind == "f" else \
        np.full(x.shape[:-1] + (1,), x.shape[-1])
    k = np.maximum(valid - 1, 0) // 2
    order = np.argsort(x, axis=-1, kind="stable")  # NaN sorts last
    idx = np.take_along_axis(order, k, -1)
    return _picked(input, d, np.moveaxis(idx, -1, d), keepdim)
