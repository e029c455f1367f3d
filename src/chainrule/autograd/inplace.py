"""In-place ops inside the graph, recorded as PyTorch records them.

``y.add_(1)`` on a tensor in the graph (a non-leaf, or any tensor when an operand
requires grad) runs the op out of place, writes the result into ``y``'s storage,
bumps ``y``'s version and makes the new node ``y.grad_fn`` (its input is ``y``'s
previous node). A node that saved ``y`` before then raises at backward, with
PyTorch's message ("... has been modified by an inplace operation ...").

Views, as PyTorch: a view shares its base's version counter (``ops._util.ViewFunction``).
- In-place on a base: its live views are rebased onto the base's new node
  (``v = y[0]; y.mul_(2); v.sum()`` backpropagates through the ``mul_``).
- In-place through a view (``y[:, 0].zero_()``, ``d[k] += e[k]``): the view gets the
  op's node and each base (a live tensor owning the storage, found through the shared
  counter) gets a ``CopySlices`` node; the base's other views are rebased.
Costs: nothing on the eager hot path (in-place methods check grad mode first); an
in-place op in the graph is one out-of-place op plus a copy, and a scan of the garbage
collector's objects (``gc.get_referrers``) only when views of the tensor may be alive.

Raises at the in-place call: a leaf that requires grad or a view of one (PyTorch's
message); one element taken by integer indexing (``y[0, 1]``, a NumPy copy, not a view);
a view whose storage is held only by a saved array or by a tensor with another layout.
"""
from __future__ import annotations

import gc
import sys
import weakref
from typing import Any, Callable

import numpy as np

from ..tensor import Tensor
from ._inplace_nodes import CopySlices, Overwrite, SetItem, ViewOf, positions as _positions
from .function import Function

_VIEW_HINT = ("chainrule could not find the tensor that owns this storage to carry the change "
              "to its graph; write it on the base (y[idx] = new_values), compute out of place "
              "(v = v.add(1)), or change a .clone()")


def leaf_error(where: str, view: bool = False) -> RuntimeError:
    """PyTorch's refusal of an in-place change of a leaf that requires grad."""
    what = "a view of a leaf Variable" if view else "a leaf Variable"
    return RuntimeError(f"{where}: {what} that requires grad is being used in an in-place "
                        "operation. (a leaf tensor that requires grad is changed in place under "
                        "`with chainrule.no_grad():`, as optimizers do.)")


def check(t: Tensor, where: str) -> list[Tensor]:
    """Raise when ``t`` cannot be changed in place inside the graph; else the tensors whose
    storage ``t`` is a view of (their graph gets the change too), usually none."""
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
                               "(x[i, j] is a view in PyTorch, a copy in chainrule); write it "
                               "on the tensor: x[i, j] = new_value")
        return []
    if isinstance(parent, Tensor) and parent.grad_fn is None and \
            np.may_share_memory(d, parent._data):
        raise leaf_error(where, view=True)
    # references: d's base pointer, the local ``base`` and getrefcount's argument: no other
    # tensor, view or saved array can see the change (the base is gone)
    if sys.getrefcount(base) <= 3:
        return []
    bases = _bases(t, base)
    if not bases:
        raise RuntimeError(f"{where}: an in-place operation on a view of another tensor (shape "
                           f"{tuple(np.shape(base))}); {_VIEW_HINT}")
    if any(b.requires_grad and b.grad_fn is None for b in bases):
        raise leaf_error(where, view=True)
    return bases


def _bases(t: Tensor, owner: Any) -> list[Tensor]:
    """The tensors that own the storage ``t`` views and share its version counter (the view's
    base, as PyTorch tracks it), when the change can be carried to them."""
    vc = t._version
    if vc is None or type(owner) is not np.ndarray or not owner.flags.c_contiguous or \
            owner.dtype != t._data.dtype:
        return []
    global _SHARERS
    _SHARERS = (vc, [u for u in gc.get_referrers(vc) if isinstance(u, Tensor)])
    return [u for u in _SHARERS[1] if u._version is vc and u._data is owner]


_SHARERS: tuple[list[Any], list[Tensor]] | None = None  # _bases' scan, reused by _rebase_views


def _is_view(node: Any) -> bool:
    return any(c.__name__ == "ViewFunction" for c in type(node).__mro__)


def record(t: Tensor, where: str, compute: Callable[[Tensor], Tensor]) -> Tensor:
    """``t.<op>_(...)`` in the graph: ``compute(t)`` out of place, written into ``t``.

    Example
    -------
    >>> import chainrule as cr
    >>> x = cr.tensor([1.0, 2.0], requires_grad=True)
    >>> y = x * 2
    >>> y.mul_(3)                    # recorded: y's node is now Mul(Mul(x, 2), 3)
    tensor([ 6., 12.], grad_fn=<MulBackward>)
    >>> y.sum().backward(); x.grad
    tensor([6., 6.])
    """
    bases = check(t, where)
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
        _move_retain_grad(t, old)
        for b in bases:  # written through a view: the base's graph gets it too, as PyTorch
            was = b.grad_fn
            _copy_slices(b, t)
            _move_retain_grad(b, was)
        _rebase_views(bases[0] if bases else t, vc, old, t)
    return t


def _move_retain_grad(t: Tensor, old: Any) -> None:
    """``t.retain_grad()`` keeps the gradient of ``t``'s latest version (hooks registered with
    ``register_hook`` stay with the old one), as PyTorch."""
    hooks = old._hooks if old is not None else None
    if not hooks:
        return
    mine = [h for h in hooks if getattr(h, "__qualname__", "").startswith("Tensor.retain_grad")
            and any(_is_ref_to(c.cell_contents, t) for c in h.__closure__ or ())]
    if mine:
        old._hooks = [h for h in hooks if h not in mine] or None
        t.grad_fn._hooks = (t.grad_fn._hooks or []) + mine


def _is_ref_to(ref: Any, t: Tensor) -> bool:
    return isinstance(ref, weakref.ref) and ref() is t


def _copy_slices(b: Tensor, v: Tensor) -> None:
    node = CopySlices.__new__(CopySlices)
    node.next = (b.grad_fn if b.requires_grad else None, v.grad_fn)
    node.shape, node.dtype = b._data.shape, b._data.dtype
    node.saved_arrays, node._versions, node._hooks = (), None, None
    node.positions, node.size = _positions(v._data, b._data).reshape(-1), b._data.shape
    b.grad_fn = node
    b.requires_grad = True


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


def _rebase_views(t: Tensor, vc: list[Any], old: Any, changed: Tensor) -> None:
    """Views of ``t`` (sharing its counter) get a node on ``t``'s new one, as PyTorch."""
    # references: t._version, record's and this function's vc, getrefcount's argument, and
    # the saved-tensor entries of the new node and of the one before (a saved output)
    global _SHARERS
    found, _SHARERS = _SHARERS, None
    if found is not None and found[0] is vc:  # one scan of the collector's objects per op
        users = found[1]
    elif sys.getrefcount(vc) <= 4 + _own_entries(t.grad_fn, vc) + _own_entries(old, vc):
        return
    else:
        users = [u for u in gc.get_referrers(vc) if isinstance(u, Tensor)]
    d = t._data
    for u in users:
        if u is t or u is changed or u._version is not vc:
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
