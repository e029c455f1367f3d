"""The backward engine: the chain rule applied from the output back to the leaves.

One iterative pass (no recursion, so chains of 100,000 ops are fine):
1. walk the graph from the output and count, for every node, how many
   consumers will send it a gradient;
2. process nodes once all their consumers have reported (reverse topological
   order), calling each node's ``backward`` with the summed upstream gradient;
3. sum broadcast gradients back to each input's shape, and accumulate into the
   leaves' ``.grad`` (in place after the first time).
Saved arrays are released as each node finishes unless ``retain_graph``.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..tensor import Tensor, _make
from .function import FREED, Function


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
    for i, (vc, seen) in enumerate(node._versions or ()):
        if vc[0] != seen:
            raise RuntimeError(
                f"{node.name}: one of the tensors saved for backward was modified by an in-place "
                f"operation (version {vc[0]}, expected {seen}); compute the gradient before "
                "changing it, or change a copy (.clone())")


def _topo_counts(roots: Sequence[Function]) -> dict[Function, int]:
    counts: dict[Function, int] = {}
    stack = list(roots)
    for r in roots:
        counts.setdefault(r, 0)
    seen = set(roots)
    while stack:
        node = stack.pop()
        for p in node.next:
            if p is None or isinstance(p, Tensor):
                continue
            counts[p] = counts.get(p, 0) + 1
            if p not in seen:
                seen.add(p)
                stack.append(p)
    return counts


def run_backward(roots: Sequence[Tensor], grads: Sequence[np.ndarray], retain_graph: bool,
                 capture: Sequence[Tensor] | None = None) -> list[np.ndarray | None]:
    """Backpropagate ``grads`` from ``roots``.

    Without ``capture`` gradients accumulate into the leaves' ``.grad``; with it
    (``chainrule.grad``) the gradients of the captured tensors are returned and
    no ``.grad`` is touched.
    """
    pending: dict[Any, np.ndarray] = {}
    leaf_roots = []
    for t, g in zip(roots, grads):
        key = t.grad_fn if t.grad_fn is not None else t
        pending[key] = pending[key] + g if key in pending else g
        if t.grad_fn is None:
            leaf_roots.append(t)
    nodes = [t.grad_fn for t in roots if t.grad_fn is not None]
    counts = _topo_counts(nodes)
    captured: dict[int, np.ndarray] = {}
    cap_nodes: dict[Function, int] = {}
    cap_leaves: dict[int, int] = {}
    if capture is not None:
        for i, t in enumerate(capture):
            if t.grad_fn is not None:
                cap_nodes[t.grad_fn] = i
            else:
                cap_leaves[id(t)] = i
    for t in leaf_roots:
        _deliver_leaf(t, pending.pop(t), cap_leaves, captured, capture is not None)

    ready = [n for n in nodes if counts[n] == 0]
    while ready:
        node = ready.pop()
        g = pending.pop(node)
        if node._hooks:
            for hook in node._hooks:
                r = hook(g)
                if r is not None:
                    g = r
        if node in cap_nodes:
            captured[cap_nodes[node]] = g
        if node.saved_arrays is FREED:
            raise RuntimeError(
                f"{node.name}: trying to backward through the graph a second time (or to use "
                "results after they were freed); specify retain_graph=True on the first backward "
                "if you need to backward twice")
        if node._versions:
            _check_version(node)
        in_grads = node.backward(node, g)
        if not retain_graph:
            node.saved_arrays = FREED
        seen_ids: list[int] = []
        for p, gi in zip(node.next, in_grads):
            if p is None or gi is None:
                continue
            if isinstance(p, Tensor):  # a leaf
                if gi.shape != p.shape:
                    gi = sum_to_shape(gi, p.shape)
                if gi is g or gi.base is not None or id(gi) in seen_ids:
                    gi = gi.copy()
                seen_ids.append(id(gi))
                _deliver_leaf(p, gi, cap_leaves, captured, capture is not None)
                continue
            if gi.shape != p.shape:
                gi = sum_to_shape(gi, p.shape)
            if gi.dtype != p.dtype:
                gi = gi.astype(p.dtype)
            if p in pending:
                pending[p] = pending[p] + gi
            else:
                pending[p] = gi
            counts[p] -= 1
            if counts[p] == 0:
                ready.append(p)
    if capture is None:
        return []
    return [captured.get(i) for i in range(len(capture))]


def _deliver_leaf(t: Tensor, g: np.ndarray, cap_leaves: dict[int, int],
                  captured: dict[int, np.ndarray], capturing: bool) -> None:
    if g.dtype != t.data.dtype:
        g = g.astype(t.data.dtype)
    if t._hooks:
        for hook in t._hooks:
            r = hook(_make(g))
            if r is not None:
                g = r.data if isinstance(r, Tensor) else np.asarray(r, dtype=t.data.dtype)
    if capturing:
        i = cap_leaves.get(id(t))
        if i is not None:
            captured[i] = captured[i] + g if i in captured else g
        return
    if t.grad is None:
        t.grad = _make(g if g.flags.writeable and g.base is None else g.copy())
    else:
        t.grad.data += g


def backward(tensor: Tensor, gradient: Any = None, retain_graph: bool = False) -> None:
    """``tensor.backward()``: see :meth:`Tensor.backward`."""
    if not tensor.requires_grad:
        raise RuntimeError(
            "backward: expected a tensor that requires grad, got one that does not (its "
            "inputs have requires_grad=False, or it was computed under no_grad)")
    g = _initial_grad(tensor, gradient, "backward")
    run_backward([tensor], [g], retain_graph)


def _initial_grad(t: Tensor, gradient: Any, where: str) -> np.ndarray:
    if gradient is None:
        if t.data.size != 1:
            raise RuntimeError(
                f"{where}: grad can be implicitly created only for scalar outputs, got shape "
                f"{t.shape}; pass gradient= (e.g. ones_like) or reduce with .sum() first")
        return np.ones(t.shape, dtype=t.dtype)
    g = gradient.data if isinstance(gradient, Tensor) else np.asarray(gradient, dtype=t.dtype)
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
            out.append(_make(r.astype(ins[i].dtype, copy=False)))
    return tuple(out)
