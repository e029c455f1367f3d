"""Reductions that keep extremes or ignore NaN, with PyTorch's names: amax, amin, aminmax,
nansum, nanmean. Written with the differentiable primitives (ties share the gradient; NaN
elements get none)."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor, _make
from . import functions as Fn


def amax(input: Tensor, dim: Any = (), keepdim: bool = False) -> Tensor:  # noqa: A002
    """Maximum over ``dim`` (all dims by default); ties share the gradient."""
    return _extreme(input, dim, keepdim, Fn.maximum, "amax")


def amin(input: Tensor, dim: Any = (), keepdim: bool = False) -> Tensor:  # noqa: A002
    return _extreme(input, dim, keepdim, Fn.minimum, "amin")


def _extreme(x: Tensor, dim: Any, keepdim: bool, fn: Any, name: str) -> Tensor:
    if dim in ((), None):
        dims = tuple(range(x.ndim))
    else:
        dims = (dim,) if isinstance(dim, int) else tuple(dim)
    red = np.max if fn is Fn.maximum else np.min
    ext = _make(np.asarray(red(x._data, axis=dims, keepdims=True)))
    hit = _make(np.asarray(x._data == ext._data))
    share = Fn.div(hit.to(x.dtype), Fn.sum(hit.to(x.dtype), dims, keepdim=True))
    return Fn.sum(Fn.mul(x, share), dims, keepdim=keepdim)


def aminmax(input: Tensor, *, dim: int | None = None, keepdim: bool = False) -> Any:  # noqa: A002
    """``(min, max)`` over ``dim`` (all dims by default)."""
    lo = amin(input, () if dim is None else dim, keepdim)
    hi = amax(input, () if dim is None else dim, keepdim)
    return _MinMax(lo, hi)


class _MinMax(tuple):  # type: ignore[type-arg]
    """``(min, max)`` with names, as ``torch.return_types.aminmax``."""

    def __new__(cls, lo: Tensor, hi: Tensor) -> _MinMax:
        return tuple.__new__(cls, (lo, hi))

    min = property(lambda self: self[0])  # noqa: A003
    max = property(lambda self: self[1])  # noqa: A003


def nansum(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A002
    """Sum treating NaN as 0 (NaN elements get no gradient)."""
    nan = _make(np.isnan(input._data))
    return Fn.sum(Fn.where(nan, 0.0, input), dim, keepdim)


def nanmean(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A002
    """Mean of the non-NaN elements."""
    ok = _make(~np.isnan(input._data))
    return Fn.div(nansum(input, dim, keepdim), Fn.sum(ok.to(input.dtype), dim, keepdim))
