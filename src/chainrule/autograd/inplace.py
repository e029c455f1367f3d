"""In-place ops inside the graph, recorded as PyTorch records them.

``y.add_(1)`` on a tensor in the graph (a non-leaf, or any tensor when an operand
requires grad) runs the op out of place, writes the result into ``y``'s storage,
bumps ``y``'s version and makes the new node ``y.grad_fn`` (its input is ``y``'s
previous node). A node that saved ``y`` before then raises at backward, as PyTorch.

What is supported (see also ``docs``: the in-place section of DESIGN.md):

- in-place on a tensor that owns its storage, or on a view whose base is gone
  (``y = x * 2; y[0] = v``, ``y = x.clone(); y[mask] = 0``, ``h.relu_()``);
- live views of the changed tensor (``v = y[0]; y.mul_(2); v.sum()``) are rebased
  onto the new node, as PyTorch, so their gradients stay right.

What raises, with a RuntimeError at the in-place call: a leaf that requires grad
(or a view of one), as PyTorch; and an in-place change made *through a view* of a
tensor that is still alive or saved (``y[0].mul_(2)``, ``y.view(-1).add_(1)``):
PyTorch rebases the base in that case, chainrule does not. Write it on the base
(``y[0] = y[0] * 2``) or out of place.
"""
from __future__ import annotations

import gc
import sys
from typing import Any, Callable

import numpy as np

from ..tensor import Tensor
from .function import Function

_VIEW_HINT = ("chainrule records in-place changes of a tensor, not of a view of a tensor that is "
              "still in use (PyTorch rebases the base, chainrule does not); write it on the base "
              "(y[idx] = new_values), compute out of place (v = v.add(1)), or change a .clone()")


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


def leaf_error(where: str, view: bool = False) -> RuntimeError:
    """PyTorch's refusal of an in-place change of a leaf that requires grad."""
    what = "a view of a leaf Variable" if view else "a leaf Variable"
    return RuntimeError(f"{where}: {what} that requires grad is being used in an in-place "
                        "operation. (a leaf tensor that requires grad is changed in place under "
                        "`with chainrule.no_grad():`, as optimizers do.)")


def check(t: Tensor, where: str) -> None:
    """Raise when ``t`` cannot be changed in place inside the graph."""
    if t.requires_grad and t.grad_fn is None:
        raise leaf_error(where)
    d = t._data
    base = d.base
    node = t.grad_fn
    parent = node.next[0] if node is not None and node.next else None
    if base is None:
        if d.ndim == 0 and node is not None and _is_view(node):  # x[i, j]: a copy in NumPy
            if isinstance(parent, Tensor) and parent.grad_fn is None:
                raise leaf_error(where, view=True)
            raise RuntimeError(f"{where}: an in-place operation on one element taken by indexing "
                               f"(x[i] is a view in PyTorch, a copy in chainrule); {_VIEW_HINT}")
        return
    if isinstance(parent, Tensor) and parent.grad_fn is None and \
            np.may_share_memory(d, parent._data):
        raise leaf_error(where, view=True)
    # references: d's base pointer, the local ``base`` and getrefcount's argument; any other
    # (a tensor, another view, a saved array) would not see this change in its graph
    if sys.getrefcount(base) > 3:
        raise RuntimeError(f"{where}: an in-place operation on a view of another tensor (shape "
                           f"{tuple(np.shape(base))}); {_VIEW_HINT}")


def _is_view(node: Any) -> bool:
    return any(c.__name__ == "ViewFunction" for c in type(node).__mro__)


def record(t: Tensor, where: str, compute: Callable[[Tensor], Tensor]) -> Tensor:
    """``t.<op>_(...)`` in the graph: ``compute(t)`` out of place, written into ``t``."""
    check(t, where)
    _note_compile(where)
    d = t._data
    r = compute(t)
    out, node = r._data, r.grad_fn
    if out.shape != d.shape:
        raise ValueError(f"{where}: expected a value broadcastable to {d.shape}, got a result "
                         f"of shape {out.shape}")
    if d.dtype.kind in "iub" and out.dtype.kind in "fc":
        raise RuntimeError(f"{where}: result type {out.dtype} can't be cast to the desired output "
                           f"type {d.dtype}")
    if node is None and t.requires_grad:  # an op without a gradient: zero, as PyTorch
        node = Overwrite.apply(t).grad_fn
    vc, old = t._version, t.grad_fn
    if node is not None:
        _unalias(node, d, out, vc)
    if old is not None and vc is not None and type(old).__name__ in KEEPS_OUTPUT_ONLY_HERE:
        _keep_private_output(old, d, vc)
    np.copyto(d, out, casting="unsafe")
    if vc is None:
        vc = t._version = [0]
    vc[0] += 1
    if node is not None:
        _resave_output(node, out, d, vc, r._version)
        node.dtype = d.dtype
        if len(vc) > 1:  # the counter remembers the node that made the current values (errors)
            vc[1] = node.name
        else:
            vc.append(node.name)
        t.grad_fn = node
        t.requires_grad = True
        _rebase_views(t, vc, old)
    return t


def _note_compile(where: str) -> None:
    """``chainrule.compile`` cannot replay a graph in-place op: its recording falls back."""
    rec = sys.modules.get("chainrule._compile._record")
    if rec is not None and rec.is_recording():
        for tape in rec._active:
            tape.problem(f"in-place Tensor.{where.strip('_')} in the graph inside the step")


def _unalias(node: Function, d: np.ndarray, out: np.ndarray, vc: list[Any] | None) -> None:
    """The node saved ``d``'s old values (or a view of them): keep private copies instead."""
    def own(a: Any) -> Any:
        if type(a) is np.ndarray and a is not out and np.may_share_memory(a, d):
            return a.copy()
        return a
    if node.saved_arrays:
        node.saved_arrays = tuple(own(a) for a in node.saved_arrays)
        if node._versions and vc is not None:  # the copies cannot change: no check for them
            node._versions = [e for e in node._versions if e[0] is not vc] or None
    for k, v in list(vars(node).items()):
        if type(v) is np.ndarray:
            setattr(node, k, own(v))


# Nodes that save their output where PyTorch saves the input (fused backward): changing
# the output in place is fine in PyTorch (``out = bn(x); out += identity``, ResNet), so
# they keep a private copy of it instead of raising at backward.
KEEPS_OUTPUT_ONLY_HERE = frozenset({"BatchNorm", "LayerNorm", "ELU", "Pow"})


def _keep_private_output(old: Function, d: np.ndarray, vc: list[Any]) -> None:
    entries = [e for e in old._versions or () if e[0] is vc and e[3] is True]
    if not entries:
        return
    saved = list(old.saved_arrays)
    for e in entries:
        if saved[e[2]] is d:
            saved[e[2]] = d.copy()
    old.saved_arrays = tuple(saved)
    old._versions = [e for e in old._versions or () if not (e[0] is vc and e[3] is True)] or None


def _resave_output(node: Function, out: np.ndarray, d: np.ndarray, vc: list[Any],
                   out_vc: list[Any] | None) -> None:
    """The node saved its output: it now lives in ``d`` (checked with ``d``'s counter)."""
    if out.dtype != d.dtype:  # kept as computed: a private array, never changed
        if node._versions and out_vc is not None:
            node._versions = [e for e in node._versions if e[0] is not out_vc] or None
        return
    saved = node.saved_arrays
    if saved and any(a is out for a in saved):
        node.saved_arrays = tuple(d if a is out else a for a in saved)
        if node._versions:
            node._versions = [(vc, vc[0], e[2], True) if e[0] is out_vc else e
                              for e in node._versions]
    for k, v in list(vars(node).items()):
        if v is out:
            setattr(node, k, d)


def _rebase_views(t: Tensor, vc: list[Any], old: Any) -> None:
    """Views of ``t`` (sharing its counter) get a node on ``t``'s new one, as PyTorch."""
    # references: t._version, record's and this function's vc, getrefcount's argument, and
    # the saved-tensor entries of the new node and of the one before (a saved output)
    if sys.getrefcount(vc) <= 4 + _own_entries(t.grad_fn, vc) + _own_entries(old, vc):
        return
    d = t._data
    for u in gc.get_referrers(vc):
        if not isinstance(u, Tensor) or u is t or u._version is not vc:
            continue
        ud = u._data
        if ud is d or not np.may_share_memory(ud, d):
            continue  # a detached alias of the whole storage: new values, no graph (PyTorch)
        if ud.dtype != d.dtype or not d.flags.c_contiguous:
            raise RuntimeError(f"in-place: a view of shape {tuple(ud.shape)} of the changed tensor "
                               f"cannot be rebased; {_VIEW_HINT}")
        node = ViewOf.__new__(ViewOf)
        node.next = (t.grad_fn,)
        node.shape, node.dtype = ud.shape, ud.dtype
        node.saved_arrays, node._versions, node._hooks = (), None, None
        node.positions, node.size = _positions(ud, d), d.shape
        u.grad_fn = node
        u.requires_grad = True


def _own_entries(node: Any, vc: list[Any]) -> int:
    return sum(1 for e in node._versions or () if e[0] is vc) if node is not None else 0


def _positions(u: np.ndarray, d: np.ndarray) -> np.ndarray:
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


def overwrite(t: Tensor, where: str, src: Any, values: Any = None) -> Tensor:
    """zero_/fill_/copy_/normal_/uniform_ in the graph: new values, zero gradient to the old."""
    if where == "fill_" and isinstance(src, Tensor) and src._data.ndim:
        raise RuntimeError(f"fill_: expected a 0-dimensional value tensor, got {src._data.ndim} "
                           "dimensions")
    if values is not None:
        return record(t, where, lambda s: Overwrite.apply(s, values=values))
    return record(t, where, lambda s: Overwrite.apply(s, src))


def setitem(t: Tensor, index: Any, value: Any) -> None:
    """``t[index] = value`` in the graph (PyTorch's CopySlices / IndexPutBackward)."""
    if isinstance(index, tuple):
        index = tuple(i._data if isinstance(i, Tensor) else i for i in index)
    elif isinstance(index, list):
        index = np.asarray(index)
    record(t, "__setitem__", lambda s: SetItem.apply(s, value, index=index))
