"""The backward engine: the chain rule applied from the output back to the leaves.

One iterative pass (no recursion, so chains of 100,000 ops are fine):
1. walk the graph from the output and count, for every node, how many
   consumers will send it a gradient;
2. process nodes once all their consumers have reported (reverse topological
   order), calling each node's ``backward`` with the summed upstream gradient;
3. sum broadcast gradients back to each input's shape, and accumulate into the
   leaves' ``.grad`` (in place after the first time).
Saved arrays are released as each node finishes unless ``retain_graph``; for
a graph whose saved arrays hold at most :data:`EXPLAIN_LIMIT` elements they
stay reachable from ``node._kept`` (for ``chainrule.explain`` and
``draw_graph`` after backward) while a second backward still raises.
In anomaly mode every gradient a node returns is checked (see ``anomaly``).
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..lint import state as _lint
from ..tensor import Tensor, _make
from . import anomaly as _anomaly
from .function import FREED, Function
from ._inplace_nodes import modified_message

EXPLAIN_LIMIT = 1 << 20  # saved elements kept after backward for explain (about 4 MiB float32)


def set_explain_limit(elements: int) -> int:
    """Keep saved arrays after ``backward()`` for graphs of at most ``elements`` saved
    elements (0: never, as PyTorch); returns the previous limit.

    Example
    -------
    >>> from chainrule.autograd import set_explain_limit
    >>> previous = set_explain_limit(0); set_explain_limit(previous)
    0
    """
    global EXPLAIN_LIMIT
    if not isinstance(elements, int) or elements < 0:
        raise ValueError(f"set_explain_limit: expected a number of elements >= 0, got "
                         f"{elements!r}")
    previous, EXPLAIN_LIMIT = EXPLAIN_LIMIT, elements
    return previous


def sum_to_shape(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum a broadcast gradient back to ``shape`` (the reverse of broadcasting)."""
    if grad.shape == shape:
        return grad
    lead = grad.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        i + lead for i, n in enumerate(shape) if n == 1 and grad.shape[i + lead] != 1)
    out = grad.sum(axis=axes, keepdims=True) if axes else grad
    if lead:
        out = out.reshape(out.shape[lead:])
    return out.reshape(shape)


def _check_version(node: Function) -> None:
    for vc, seen, i, src in node._versions or ():
        if vc[0] != seen:
            raise RuntimeError(modified_message(node, vc, seen, i, src))


def _topo_counts(roots: list[Function]) -> dict[Function, int]:
    """For every node reachable from ``roots``: how many consumers send it a gradient."""
    counts = dict.fromkeys(roots, 0)
    stack = roots[:]
    while stack:
        for p in stack.pop().next:
            if p is None or isinstance(p, Tensor):
                continue
            if p in counts:
                counts[p] += 1
            else:
                counts[p] = 1
                stack.append(p)
    return counts


class _Capture:
    """For ``chainrule.grad``: which tensors' gradients to return instead of accumulating."""

    def __init__(self, tensors: Sequence[Tensor]) -> None:
        self.nodes = {t.grad_fn: i for i, t in enumerate(tensors) if t.grad_fn is not None}
        self.leaves = {id(t): i for i, t in enumerate(tensors) if t.grad_fn is None}
        self.grads: dict[int, np.ndarray] = {}
        self.n = len(tensors)

    def add(self, i: int | None, g: np.ndarray) -> None:
        if i is not None:
            self.grads[i] = self.grads[i] + g if i in self.grads else g


def run_backward(roots: Sequence[Tensor], grads: Sequence[np.ndarray], retain_graph: bool,
                 capture: Sequence[Tensor] | None = None) -> list[np.ndarray | None]:
    """Backpropagate ``grads`` from ``roots``.

    Without ``capture`` gradients accumulate into the leaves' ``.grad``; with it
    (``chainrule.grad``) the gradients of the captured tensors are returned and
    no ``.grad`` is touched.
    """
    cap = _Capture(capture) if capture is not None else None
    pending: dict[Function, np.ndarray] = {}
    for t, g in zip(roots, grads):
        node = t.grad_fn
        if node is None:  # a leaf as the root: its gradient is the seed itself
            _deliver_leaf(t, np.array(g), cap)
        else:
            pending[node] = pending[node] + g if node in pending else g
    counts = _topo_counts(list(pending))
    _propagate([n for n in pending if counts[n] == 0], pending, counts, retain_graph, cap)
    return [] if cap is None else [cap.grads.get(i) for i in range(cap.n)]


def _propagate(ready: list[Function], pending: dict[Function, np.ndarray],
               counts: dict[Function, int], retain_graph: bool, cap: _Capture | None) -> None:
    """The chain rule, node by node: each node's backward once all its consumers reported."""
    freed = FREED
    anomaly = _anomaly.state.on
    budget = -1 if retain_graph else EXPLAIN_LIMIT  # saved elements still allowed to be kept
    kept: list[Function] = []
    while ready:
        node = ready.pop()
        g = pending.pop(node)
        if node._hooks:
            for hook in node._hooks:
                r = hook(g)
                if r is not None:
                    g = r
        if cap is not None:
            cap.add(cap.nodes.get(node), g)
        if node.saved_arrays is freed:
            raise RuntimeError(
                f"{node.name}: trying to backward through the graph a second time (or to use "
                "results after they were freed); specify retain_graph=True on the first backward "
                "if you need to backward twice")
        if anomaly:
            in_grads = _checked_backward(node, g)
        else:
            if node._versions:
                _check_version(node)
            in_grads = node.backward(node, g)
        if budget >= 0:  # not retain_graph: free, or keep for explain while under the limit
            saved = node.saved_arrays
            node.saved_arrays = freed
            if budget:
                node._kept = saved
                kept.append(node)
                for a in saved:
                    if type(a) is np.ndarray:
                        budget -= a.size
                if budget <= 0:  # too big to keep: free what was kept, keep nothing more
                    for n in kept:
                        n._kept = None
                    budget = 0
        given: list[np.ndarray] | None = None  # arrays already handed to leaves by this node
        for p, gi in zip(node.next, in_grads):
            if p is None or gi is None:
                continue
            if isinstance(p, Tensor):  # a leaf: its .grad must be an array owning its memory
                d = p._data
                if gi.shape != d.shape:
                    gi = sum_to_shape(gi, d.shape)
                if gi is g or gi.base is not None or type(gi) is not np.ndarray:
                    gi = np.array(gi)
                elif given is None:
                    given = [gi]
                elif any(gi is x for x in given):
                    gi = np.array(gi)
                else:
                    given.append(gi)
                if cap is None and p._hooks is None and gi.dtype == d.dtype:
                    if p.grad is None:
                        p.grad = _make(gi)
                    else:
                        p.grad._data += gi
                else:
                    _deliver_leaf(p, gi, cap)
                continue
            if gi.shape != p.shape:
                gi = sum_to_shape(gi, p.shape)
            if gi.dtype != p.dtype:
                gi = gi.astype(p.dtype)
            if p in pending:
                pending[p] = pending[p] + gi
            else:
                pending[p] = gi
            c = counts[p] - 1
            counts[p] = c
            if c == 0:
                ready.append(p)


def _checked_backward(node: Function, g: np.ndarray) -> Any:
    """``node.backward`` in anomaly mode: errors name the node's line; gradients checked."""
    try:
        if node._versions:
            _check_version(node)
        in_grads = node.backward(node, g)
    except Exception as exc:
        _anomaly.note_backward_error(node, exc)
        raise
    _anomaly.backward(node, g, in_grads)
    return in_grads


def _deliver_leaf(t: Tensor, g: np.ndarray, cap: _Capture | None) -> None:
    """Hand a leaf its gradient: run its hooks, then accumulate into ``.grad`` (or capture)."""
    if g.dtype != t._data.dtype:
        g = g.astype(t._data.dtype)
    if t._hooks is not None:
        for hook in t._hooks:
            r = hook(_make(g))
            if r is not None:
                g = r._data if isinstance(r, Tensor) else np.asarray(r, dtype=t._data.dtype)
    if cap is not None:
        cap.add(cap.leaves.get(id(t)), g)
        return
    if t.grad is None:
        t.grad = _make(g)
    else:
        t.grad._data += g


def backward(tensor: Tensor, gradient: Any = None, retain_graph: bool = False) -> None:
    """``tensor.backward()``: see :meth:`Tensor.backward`."""
    if not tensor.requires_grad:
        raise RuntimeError(
            "backward: expected a tensor that requires grad, got one that does not (its "
            "inputs have requires_grad=False, or it was computed under no_grad)")
    g = _initial_grad(tensor, gradient, "backward")
    _lint.backwards += 1
    run_backward([tensor], [g], retain_graph)


_SEEDS: dict[np.dtype, np.ndarray] = {}  # read-only 1s, the seed dL/dL of a scalar loss


def _initial_grad(t: Tensor, gradient: Any, where: str) -> np.ndarray:
    if gradient is None:
        if t._data.size != 1:
            raise RuntimeError(
                f"{where}: grad can be implicitly created only for scalar outputs, got shape "
                f"{t.shape}; pass gradient= (e.g. ones_like) or reduce with .sum() first")
        seed = _SEEDS.get(t._data.dtype)
        if seed is None:
            seed = _SEEDS[t._data.dtype] = np.ones((), t._data.dtype)
            seed.flags.writeable = False
        return seed if t._data.ndim == 0 else seed.reshape(t._data.shape)
    g = gradient._data if isinstance(gradient, Tensor) else np.asarray(gradient, dtype=t.dtype)
    if g.shape != t.shape:
        raise ValueError(f"{where}: expected gradient of shape {t.shape}, got shape {g.shape}")
    return g.astype(t.dtype, copy=False)


def grad(outputs: Tensor | Sequence[Tensor], inputs: Tensor | Sequence[Tensor],
         grad_outputs: Any = None, retain_graph: bool = False,
         allow_unused: bool = False) -> tuple[Tensor | None, ...]:
    """Gradients of ``outputs`` with respect to ``inputs``, without touching ``.grad``.

    Example
    -------
    >>> import chainrule as cr
    >>> x = cr.tensor(3.0, requires_grad=True)
    >>> cr.grad(x * x, x)
    (tensor(6.),)
    """
    outs = [outputs] if isinstance(outputs, Tensor) else list(outputs)
    ins = [inputs] if isinstance(inputs, Tensor) else list(inputs)
    if grad_outputs is None or isinstance(grad_outputs, Tensor):
        gouts = [grad_outputs] * len(outs)
    else:
        gouts = list(grad_outputs)
    for t in outs:
        if not t.requires_grad:
            raise RuntimeError("grad: expected outputs that require grad, got one that does not")
    for t in ins:
        if not t.requires_grad:
            raise RuntimeError("grad: expected inputs that require grad, got one that does not")
    gs = [_initial_grad(t, g, "grad") for t, g in zip(outs, gouts)]
    res = run_backward(outs, gs, retain_graph, capture=ins)
    out: list[Tensor | None] = []
    for i, r in enumerate(res):
        if r is None:
            if not allow_unused:
                raise RuntimeError(
                    f"grad: input {i} was not used to compute the outputs; pass "
                    "allow_unused=True to get None for it")
            out.append(None)
        else:
            out.append(_make(np.array(r, dtype=ins[i].dtype)))  # a fresh, writable array
    return tuple(out)
