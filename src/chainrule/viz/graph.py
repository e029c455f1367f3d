"""``draw_graph``: the computational graph as a graphviz drawing (DOT always; SVG/PNG with dot).

Leaves and parameters are drawn by name (``params`` names such as ``0.weight``,
else the tensor's ``.name``) with shape, value and gradient summaries; ops by
their Function name. Importing this module installs the module-tagging hook
(:mod:`chainrule.viz._modules`), so models run afterwards can be collapsed into
one box per module.
"""
from __future__ import annotations

import shutil
from typing import Any

import numpy as np

from ..explain._expr import fmt
from ..explain._render import summary
from ..explain._walk import forward_order
from ..tensor import Tensor
from . import _modules, _svg

_modules.install()

_FILL = {"param": "#d9f0d3", "leaf": "#eeeeee", "const": "#f7f7f7", "op": "#dbe9f6",
         "root": "#fdd0a2", "module": "#fff2cc"}


def has_dot() -> bool:
    """True when graphviz's ``dot`` program is installed (for SVG/PNG)."""
    return shutil.which("dot") is not None


def _digraph(name: str) -> Any:
    try:
        import graphviz
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError('draw_graph: expected the graphviz package, got none; pip install '
                          '"chainrule[viz]"') from None

    class GraphDrawing(graphviz.Digraph):  # type: ignore[misc]
        """A graphviz Digraph that falls back to its DOT text when ``dot`` is missing."""

        def _repr_mimebundle_(self, include: Any = None, exclude: Any = None,
                              **kwargs: Any) -> dict[str, Any]:
            if has_dot():
                return super()._repr_mimebundle_(include, exclude, **kwargs)  # type: ignore
            return {"image/svg+xml": builtin_svg(self), "text/plain": self.source}

    return GraphDrawing(name, graph_attr={"rankdir": "TB", "fontname": "Helvetica",
                                          "fontsize": "11", "nodesep": "0.25",
                                          "ranksep": "0.35"},
                        node_attr={"shape": "box", "style": "rounded,filled",
                                   "fontname": "Helvetica", "fontsize": "10"},
                        edge_attr={"arrowsize": "0.7", "color": "#555555"})


def _label(*lines: str) -> str:
    return "\n".join(line for line in lines if line)


def _short(v: Any) -> str:
    """A number, or the norm and the first entries of an array (its shape is on its own line)."""
    a = np.asarray(v, dtype=np.float64)
    if a.size == 1:
        return summary(a)
    if a.size <= 3:
        return "[" + ", ".join(_g(x) for x in a.reshape(-1)) + "]"
    with np.errstate(all="ignore"):
        norm = float(np.sqrt(np.sum(np.square(a))))
    return f"‖·‖ {_g(norm)}  [{_g(a.flat[0])}, {_g(a.flat[1])}, …]"


def _g(v: float) -> str:
    return fmt(float(f"{float(v):.3g}"))


def _shape(shape: Any) -> str:
    return "" if len(shape) == 0 else str(tuple(shape))


def draw_graph(tensor: Tensor, show_values: bool = True, show_grads: bool = True,
               collapse_modules: bool = True, params: dict[str, Tensor] | None = None) -> Any:
    """Draw the graph that computed ``tensor``: a graphviz ``Digraph``.

    ``.source`` is the DOT text; ``.pipe(format="svg")`` / ``.render()`` draw it
    when graphviz's ``dot`` is installed; notebooks show it inline. Parameters
    are named from ``params`` (e.g. ``dict(model.named_parameters())``) or their
    ``.name``. With ``collapse_modules`` each module called after importing
    ``chainrule.viz`` becomes one box (its ops inside), inside a cluster for the
    enclosing model; without it every op is drawn, grouped in a cluster per module.
    Build the graph under ``chainrule.autograd.graph.record()`` to see the values of
    intermediate nodes and the constants (inputs, targets). With ``show_grads`` the
    parameters show their ``.grad`` and, for a scalar output whose saved values are
    still there (also after ``backward()`` for graphs under
    ``chainrule.autograd.engine.EXPLAIN_LIMIT`` saved elements), each op shows
    ∂output/∂(its output) as backward computes it.

    Example
    -------
    >>> import chainrule as cr
    >>> w = cr.tensor([1.0, 2.0], requires_grad=True, name="w")
    >>> g = draw_graph((w * 3).sum())
    >>> "Mul" in g.source and "Sum" in g.source and "w" in g.source
    True
    """
    if not isinstance(tensor, Tensor):
        raise TypeError(f"draw_graph: expected a Tensor, got {type(tensor).__name__}")
    names = {id(t): k for k, t in (params or {}).items()}
    dot = _digraph(tensor.name or "graph")
    if tensor.grad_fn is None:
        attrs = {"label": _leaf_label(tensor, names.get(id(tensor)) or tensor.name or "tensor",
                                      show_values, show_grads), "fillcolor": _FILL["root"]}
        dot.node("t0", **attrs)
        _svg.attach(dot, {"t0": attrs}, [])
        return dot
    nodes = forward_order(tensor.grad_fn)
    node_grads = _node_grads(tensor, nodes) if show_grads else {}
    chains = _modules.owners(nodes) if any("_viz_modules" in n.__dict__ for n in nodes) else {}
    ordered = sorted({id(m): (i, m) for n in nodes for i, m in enumerate(chains.get(id(n), []))
                      }.values(), key=lambda im: im[0])
    paths = _modules.module_paths([m for _, m in ordered])
    ids: dict[int, str] = {}  # id(node or leaf) -> drawn id
    groups: dict[int, list[str]] = {}  # id(module) -> drawn ids inside its cluster
    modules: dict[int, Any] = {}

    def module_label(m: Any) -> str:
        path = paths.get(id(m), "")
        return f"{path}: {_modules.short_label(m)}" if path else _modules.short_label(m)

    collapsed: dict[int, str] = {}
    for k, node in enumerate(nodes):
        chain = chains.get(id(node), [])
        inner = chain[0] if chain else None
        if collapse_modules and inner is not None:
            key = id(inner)
            modules[key] = inner
            if key not in collapsed:
                collapsed[key] = f"m{len(collapsed)}"
                outer = chain[1] if len(chain) > 1 else None
                groups.setdefault(id(outer) if outer is not None else 0, []).append(
                    collapsed[key])
                if outer is not None:
                    modules[id(outer)] = outer
            ids[id(node)] = collapsed[key]
            continue
        ids[id(node)] = nid = f"n{k}"
        if inner is not None:
            modules[id(inner)] = inner
            groups.setdefault(id(inner), []).append(nid)
        else:
            groups.setdefault(0, []).append(nid)
    # the drawn nodes: ops, collapsed modules, leaves and constants
    node_attrs: dict[str, dict[str, str]] = {}
    members: dict[str, list[Any]] = {}
    for node in nodes:
        members.setdefault(ids[id(node)], []).append(node)
    root_id = ids[id(tensor.grad_fn)]
    for did, inside in members.items():
        last = inside[-1]
        if did.startswith("m"):
            mod = next(modules[k] for k, v in collapsed.items() if v == did)
            ops = [n.name for n in inside]
            opline = " → ".join(ops) if len(ops) <= 3 else f"{len(ops)} ops: {ops[0]} … {ops[-1]}"
            if ops == [type(mod).__name__]:
                opline = ""
            out_shape = f"out {tuple(last.shape)}" if len(last.shape) else ""
            label = _label(module_label(mod), opline, out_shape)
            fill = "module"
        else:
            label = _label(last.name, _shape(last.shape))
            fill = "op"
        if did == root_id:
            fill = "root"
            label = _label(label, (tensor.name or "output") + " = " + _short(tensor._data)
                           if show_values else "")
        elif show_values:
            rec = getattr(last, "_record", None)
            if rec is not None:
                out = rec.tensor()
                named = out.name if out is not None and out.name else ""
                label = _label(label, f"{named} = {_short(rec.output)}".lstrip())
        if id(last) in node_grads:
            label = _label(label, "grad " + _short(node_grads[id(last)]))
        node_attrs[did] = {"label": label, "fillcolor": _FILL[fill]}
    edges: list[tuple[str, str]] = []
    leaf_group: dict[str, int] = {}
    for node in nodes:
        rec = getattr(node, "_record", None)
        inputs = list(node.next)
        for slot, p in enumerate(inputs):
            src: str | None = None
            if p is None:
                c = rec.inputs[slot] if rec is not None and slot < len(rec.inputs) else None
                if not isinstance(c, Tensor):
                    continue
                src = ids.get(id(c))
                if src is None:
                    ids[id(c)] = src = f"c{len(ids)}"
                    node_attrs[src] = {"label": _leaf_label(c, names.get(id(c)) or c.name or
                                                            "input", show_values, False),
                                       "fillcolor": _FILL["const"], "style": "rounded,dashed"}
            elif isinstance(p, Tensor):
                src = ids.get(id(p))
                if src is None:
                    ids[id(p)] = src = f"t{len(ids)}"
                    name = names.get(id(p)) or p.name or "leaf"
                    node_attrs[src] = {"label": _leaf_label(p, name, show_values, show_grads),
                                       "fillcolor": _FILL["param" if id(p) in names or p.name
                                                          else "leaf"]}
                    owner = _param_owner(p, chains.get(id(node), []), collapse_modules)
                    if owner is not None:
                        leaf_group[src] = owner
            else:
                src = ids[id(p)]
            dst = ids[id(node)]
            if src != dst and (src, dst) not in edges:
                edges.append((src, dst))
    for src, owner in leaf_group.items():
        groups.setdefault(owner, []).append(src)
    _emit(dot, node_attrs, groups, modules, module_label, collapse_modules)
    for src, dst in edges:
        dot.edge(src, dst)
    _svg.attach(dot, node_attrs, edges)
    return dot


def _node_grads(tensor: Tensor, nodes: list[Any]) -> dict[int, np.ndarray]:
    """∂L/∂(each node's output) for a scalar ``tensor``, by explain's replay of backward, when
    the saved values are there (before backward, after it for graphs under the limit, or
    with retain_graph); else nothing."""
    if tensor._data.size != 1:
        return {}
    from ..explain.explain import explain
    try:
        steps = explain(tensor).steps
    except (RuntimeError, ValueError, TypeError, KeyError, NotImplementedError):
        return {}
    if len(steps) != len(nodes):
        return {}
    return {id(n): s.upstream_value for n, s in zip(reversed(nodes), steps)}


def _param_owner(p: Tensor, chain: list[Any], collapse: bool) -> int | None:
    """The cluster a parameter is drawn in: its module's (or, collapsed, the enclosing one)."""
    for i, m in enumerate(chain):
        params = getattr(m, "_parameters", {})
        if any(q is p for q in params.values()):
            if collapse:
                return id(chain[i + 1]) if i + 1 < len(chain) else None
            return id(m)
    return None


def _leaf_label(t: Tensor, name: str, show_values: bool, show_grads: bool) -> str:
    lines = [name, _shape(t.shape)]
    if show_values:
        lines.append("= " + _short(t._data))
    if show_grads and t.grad is not None:
        lines.append("grad " + _short(t.grad._data))
    return _label(*lines)


def _emit(dot: Any, attrs: dict[str, dict[str, str]], groups: dict[int, list[str]],
          modules: dict[int, Any], module_label: Any, collapse: bool) -> None:
    placed: set[str] = set()
    for key, drawn in groups.items():
        if key == 0:
            continue
        with dot.subgraph(name=f"cluster_{len(placed)}_{key}") as sub:
            sub.attr(label=module_label(modules[key]), style="rounded,dashed",
                     color="#999999", fontname="Helvetica", fontsize="10")
            for did in drawn:
                if did in attrs and did not in placed:
                    placed.add(did)
                    sub.node(did, **attrs[did])
    for did, a in attrs.items():
        if did not in placed:
            dot.node(did, **a)


def builtin_svg(dot: Any) -> str:
    """The drawing as SVG without graphviz's ``dot`` (a simple layered layout, no clusters)."""
    graph = getattr(dot, "_chainrule_graph", None)
    if graph is None:
        raise ValueError("builtin_svg: expected a drawing made by draw_graph, got another "
                         "Digraph")
    return _svg.render_svg(*graph)


def to_svg(dot: Any) -> str:
    """SVG text of a drawing: graphviz's layout when ``dot`` is installed, else the built-in."""
    if has_dot():
        return str(dot.pipe(format="svg", encoding="utf-8"))
    return builtin_svg(dot)


def graph_html(dot: Any) -> str:
    """The drawing as inline SVG (graphviz's or the built-in one)."""
    return to_svg(dot)
