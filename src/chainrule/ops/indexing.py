"""Indexing: x[...], index_select, gather. Repeated indices accumulate in backward."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.function import Function
from ._util import ViewFunction

_BASIC = (int, slice, type(None), type(Ellipsis), np.integer)


def _is_basic(index: Any) -> bool:
    items = index if isinstance(index, tuple) else (index,)
    return all(isinstance(i, _BASIC) for i in items)


def _scatter_add(shape: tuple[int, ...], index: Any, g: np.ndarray) -> np.ndarray:
    grad_x = np.zeros(shape, dtype=g.dtype)
    if _is_basic(index) or (isinstance(index, np.ndarray) and index.dtype == np.bool_):
        grad_x[index] = g  # no repeats possible
    else:
        np.add.at(grad_x, index, g)
    return grad_x


class Index(ViewFunction):
    """y = x[index]; dy/dx scatters the gradient back (adding repeats)"""

    @staticmethod
    def forward(ctx, x, index):
        ctx.shape_in, ctx.index = x.shape, index
        out = x[index]
        if not isinstance(out, np.ndarray):  # all integers: a 0-d view, not NumPy's scalar copy
            idx = index if isinstance(index, tuple) else (index,)
            has_dots = any(i is Ellipsis for i in idx)
            out = np.asarray(out) if has_dots else x[tuple(idx) + (Ellipsis,)]
        return out

    @staticmethod
    def backward(ctx, grad_out):
        return (_scatter_add(ctx.shape_in, ctx.index, grad_out),)


class IndexSelect(Function):
    """y = x taken at ``index`` along dim; dy/dx adds the gradient back at those rows"""

    @staticmethod
    def forward(ctx, x, dim, index):
        ctx.shape_in, ctx.dim, ctx.index = x.shape, dim, index
        return np.take(x, index, axis=dim)

    @staticmethod
    def backward(ctx, grad_out):
        full = (slice(None),) * (ctx.dim % len(ctx.shape_in)) + (ctx.index,)
        grad_x = np.zeros(ctx.shape_in, dtype=grad_out.dtype)
        np.add.at(grad_x, full, grad_out)
        return (grad_x,)


def gather_index(shape: tuple[int, ...], dim: int, index: np.ndarray) -> tuple[Any, ...]:
    """The advanced index that reads ``x[..., index[i], ...]`` along ``dim`` (as torch.gather)."""
    grids: list[Any] = list(np.indices(index.shape, sparse=True))
    grids[dim] = index
    return tuple(grids)


class Gather(Function):
    """y[i][j] = x[i][index[i][j]] (along dim); dy/dx adds the gradient back there"""

    @staticmethod
    def forward(ctx, x, dim, index):
        ctx.shape_in = x.shape
        ctx.full = gather_index(x.shape, dim, index)
        return x[ctx.full]

    @staticmethod
    def backward(ctx, grad_out):
        grad_x = np.zeros(ctx.shape_in, dtype=grad_out.dtype)
        np.add.at(grad_x, ctx.full, grad_out)
        return (grad_x,)
