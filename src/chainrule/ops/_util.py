"""Small helpers shared by the ops: dim/axis aliases, int->float promotion."""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import _dtype
from ..autograd.function import Function
from ..tensor import Tensor


def dims(dim: Any, axis: Any, where: str) -> Any:
    """PyTorch's ``dim`` with NumPy's ``axis`` accepted as an alias."""
    if axis is not None:
        if dim is not None:
            raise TypeError(f"{where}: got both dim and axis; pass one")
        dim = axis
    if isinstance(dim, list):
        dim = tuple(dim)
    return dim


def keep(keepdim: bool, keepdims: bool | None) -> bool:
    return bool(keepdim if keepdims is None else keepdims)


def floating(x: np.ndarray) -> np.ndarray:
    """Integer and bool arrays become the default float dtype (as PyTorch's unary math)."""
    if isinstance(x, np.ndarray) and x.dtype.kind in "iub":
        return x.astype(_dtype.float_dtype())
    return x


def expand_reduced(g: np.ndarray, shape: tuple[int, ...], dim: Any, keepdim: bool) -> np.ndarray:
    """Re-insert the reduced axes of ``g`` so it broadcasts against ``shape``."""
    if dim is None:
        return g.reshape((1,) * len(shape)) if len(shape) else g
    if not keepdim:
        axes = (dim,) if isinstance(dim, int) else tuple(dim)
        axes = tuple(sorted(a % len(shape) for a in axes))
        for a in axes:
            g = np.expand_dims(g, a)
    return g


class ViewFunction(Function):
    """A Function whose output may be a view of its first input (reshape, permute, x[1:]).

    The view shares the input's version counter, as in PyTorch, so an in-place change made
    through either one is caught by backward's saved-tensor check.
    """

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        out = super().apply(*args, **kwargs)
        x = args[0]
        if out._data.base is not None and isinstance(x, Tensor) and \
                np.may_share_memory(out._data, x._data):
            if x._version is None:
                x._version = [0]
            out._version = x._version
        return out


def write_out(out: Any, result: Tensor, where: str) -> Tensor:
    """PyTorch's ``out=``: write ``result`` into ``out`` (resized if its shape differs) and
    return ``out``. Refused when autograd would need the result, as PyTorch."""
    from ..autograd.grad_mode import state
    if not isinstance(out, Tensor):
        raise TypeError(f"{where}: expected out to be a Tensor, got {type(out).__name__}")
    if state.enabled and (result.requires_grad or out.requires_grad):
        raise RuntimeError(f"{where}(): functions with out=... arguments don't support automatic "
                           "differentiation, but one of the arguments requires grad")
    r, d = result._data, out._data
    if d.dtype.kind in "iub" and r.dtype.kind == "f" or d.dtype.kind == "b" and r.dtype.kind != "b":
        raise RuntimeError(f"{where}: result type {r.dtype} can't be cast to the desired output "
                           f"type {d.dtype}")
    if d.shape == r.shape:
        np.copyto(d, r, casting="unsafe")
    else:
        out._data = r.astype(d.dtype)
    if out._version is not None:
        out._version[0] += 1
    return out
