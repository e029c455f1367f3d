"""Which module made which graph node: a global module forward hook tags the nodes.

Installed when the graph drawing is first imported (``chainrule.viz.draw_graph``).
The hook is O(1) per module call: it appends ``(order, module, input node ids)``
to the output's grad_fn. At drawing time the region of a module is every node
reachable back from its output without crossing its inputs; the innermost
module (the one that finished first) owns a node.
"""
from __future__ import annotations

import itertools
from typing import Any

from ..tensor import Tensor

_order = itertools.count()
_handle: Any = None


def install() -> None:
    """Register the tagging hook once (idempotent)."""
    global _handle
    if _handle is None:
        from ..nn.modules.module import register_module_forward_hook
        _handle = register_module_forward_hook(_tag)


def uninstall() -> None:
    """Remove the hook (modules run without any hook overhead again)."""
    global _handle
    if _handle is not None:
        _handle.remove()
        _handle = None


def _tag(module: Any, inputs: tuple[Any, ...], output: Any) -> None:
    fn = getattr(output, "grad_fn", None)
    if fn is None:
        return
    boundary = frozenset(id(a.grad_fn if a.grad_fn is not None else a)
                         for a in inputs if isinstance(a, Tensor))
    if id(fn) in boundary:  # the module returned its input (Identity, Dropout in eval)
        return
    tags = fn.__dict__.setdefault("_viz_modules", [])
    tags.append((next(_order), module, boundary))


_tag.passive = True  # type: ignore[attr-defined]  # observes only: chainrule.compile replays


def owners(nodes: list[Any]) -> dict[int, list[Any]]:
    """id(node) -> the modules containing it, innermost first."""
    in_graph = {id(n): n for n in nodes}
    tags = sorted(((*t, n) for n in nodes for t in n.__dict__.get("_viz_modules", ())),
                  key=lambda t: t[0])
    out: dict[int, list[Any]] = {}
    for _, module, boundary, head in tags:
        stack, seen = [head], {id(head)}
        while stack:
            node = stack.pop()
            chain = out.setdefault(id(node), [])
            if not any(m is module for m in chain):
                chain.append(module)
            for p in node.next:
                if p is None or isinstance(p, Tensor) or id(p) in seen or id(p) in boundary:
                    continue
                if id(p) in in_graph:
                    seen.add(id(p))
                    stack.append(p)
    return out


def module_paths(modules: list[Any]) -> dict[int, str]:
    """id(module) -> its dotted path inside the outermost tagged module ("" for the root).

    ``modules`` innermost first (as they finished); the outermost names the others.
    """
    paths: dict[int, str] = {}
    for m in reversed(modules):
        if id(m) in paths:
            continue
        paths[id(m)] = ""
        if hasattr(m, "named_modules"):
            for path, sub in m.named_modules():
                if path and id(sub) not in paths:
                    paths[id(sub)] = path
    return paths


def short_label(module: Any) -> str:
    """``Linear(2→8)``, ``ReLU``, ``MLP``: the class and, for layers, the sizes."""
    name = type(module).__name__
    n_in, n_out = getattr(module, "in_features", None), getattr(module, "out_features", None)
    if isinstance(n_in, int) and isinstance(n_out, int):
        return f"{name}({n_in}→{n_out})"
    return name
