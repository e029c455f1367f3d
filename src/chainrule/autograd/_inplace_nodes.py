"""The graph nodes of in-place ops (``chainrule.autograd.inplace``): overwrite, setitem,
a view rebased onto its changed base, and a base rebased onto its changed view; and
PyTorch's message for a saved tensor changed in place (raised by the engine)."""
from __future__ import annotations

from typing import Any

import numpy as np

from .function import Function


_TYPES = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long",
          "int32": "Int", "bool": "Bool"}


def modified_message(node: Function, vc: list[Any], seen: int, i: int, src: Any) -> str:
    """PyTorch's message for a saved tensor changed in place: a saved output names this node,
    an input its tensor's grad_fn now (``vc[1]``, when an in-place op in the graph set one)."""
    a: Any = node.saved_arrays[i] if i < len(node.saved_arrays) else None
    kind = f"chainrule.{_TYPES.get(str(getattr(a, 'dtype', '')), 'Float')}Tensor"
    made = node.name if src is True else vc[1] if len(vc) > 1 else getattr(src, "name", None)
    which = f", which is output 0 of {made}," if made else ""
    return (f"{node.name}: one of the variables needed for gradient computation has been "
            f"modified by an inplace operation: [{kind} {list(np.shape(a))}]{which} is at "
            f"version {vc[0]}; expected version {seen} instead. Hint: it was modified by an "
            "in-place operation after it was saved for backward; compute the gradient first or "
            "change a copy (.clone()); chainrule.autograd.detect_anomaly() names the op")


def positions(u: np.ndarray, d: np.ndarray) -> np.ndarray:
    """For each element of the view ``u``: its flat index in the C-contiguous ``d``."""
    item = d.itemsize
    start = (u.__array_interface__["data"][0] - d.__array_interface__["data"][0]) // item
    pos = np.full(u.shape, start, np.int64)
    for k, (n, s) in enumerate(zip(u.shape, u.strides)):
        shape = [1] * u.ndim
        shape[k] = n
        pos += (np.arange(n, dtype=np.int64) * (s // item)).reshape(shape)
    return pos


class ViewOf(Function):
    """y = a view of the changed tensor x (rebased); dy/dx scatters the gradient back"""

    positions: np.ndarray  # per element of y, its flat index in x
    size: tuple[int, ...]  # x's shape

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:  # never run: made by _rebase_views
        raise NotImplementedError

    @staticmethod
    def backward(ctx: Any, grad_out: np.ndarray) -> tuple[np.ndarray]:
        g = np.zeros(int(np.prod(ctx.size)), dtype=grad_out.dtype)
        np.add.at(g, ctx.positions.ravel(), grad_out.ravel())
        return (g.reshape(ctx.size),)


class Overwrite(Function):
    """y = new values (``zero_``, ``fill_``, ``copy_``, ``normal_``); dy/dx = 0, dy/dsrc = 1"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, src: Any = None, values: Any = None) -> np.ndarray:
        ctx.shape_in = x.shape
        if values is not None:
            return np.asarray(values, dtype=x.dtype).reshape(x.shape)
        if src is None:
            return np.array(x)
        return np.array(np.broadcast_to(np.asarray(src, dtype=x.dtype), x.shape))

    @staticmethod
    def backward(ctx: Any, grad_out: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return (np.zeros(ctx.shape_in, grad_out.dtype), grad_out)


class SetItem(Function):
    """y = x with y[index] = v; dy/dx = 1 outside index, dy/dv = 1 at index"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, v: Any, index: Any = None) -> np.ndarray:
        ctx.index = index
        out = np.array(x)
        out[index] = v
        return out

    @staticmethod
    def backward(ctx: Any, grad_out: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        gx = np.array(grad_out)
        gx[ctx.index] = 0
        return (gx, grad_out[ctx.index])


class CopySlices(Function):
    """y = x with the elements at ``positions`` taken from the changed view v (PyTorch's
    CopySlices); dy/dx = 1 elsewhere, dy/dv = 1 at positions"""

    positions: np.ndarray
    size: tuple[int, ...]

    @staticmethod
    def forward(ctx: Any, x: np.ndarray, v: np.ndarray) -> np.ndarray:  # made by record
        raise NotImplementedError

    @staticmethod
    def backward(ctx: Any, grad_out: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        gx = np.array(grad_out).reshape(-1)
        gv = gx[ctx.positions]
        gx[ctx.positions] = 0
        return (gx.reshape(ctx.size), gv)
