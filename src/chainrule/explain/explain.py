"""``chainrule.explain(loss)``: backpropagation narrated, node by node, with numbers.

For every node, in reverse topological order (from the loss back to the
leaves): its definition (c = b − y), the upstream gradient ∂L/∂c, the local
derivative ∂c/∂b, and their product ∂L/∂b. The numbers are those of the
library's own backward (each node's ``backward`` is called on the real saved
arrays), so the narration cannot disagree with ``loss.backward()``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..autograd import engine
from ..autograd.engine import sum_to_shape
from ..tensor import Tensor
from ._algebra import ONE, add, mul
from ._expr import Expr, Grad, Name, Num
from ._render import render_html, render_markdown, render_text
from ._rules import doc_line, hadamard, rule_for
from ._walk import Walk

_SYMBOLIC_LIMIT = 8  # keep ∂L/∂x as an expression (2cx·θ2) up to this many symbols


@dataclass
class ForwardLine:
    """One line of the forward pass: a leaf (``definition`` None) or an op's output."""

    name: str
    kind: str  # "parameter" (requires grad), "constant" or "op"
    value: np.ndarray | None
    definition: Expr | None = None
    op: str = ""


@dataclass
class Edge:
    """One input of one node: ∂L/∂input along this path = upstream · local."""

    input: str
    mode: str  # "scalar", "elementwise" (g ⊙ local) or "matrix" (a form in g)
    gradient: Expr  # the path's ∂L/∂input, symbolic (in g for tensors)
    value: np.ndarray
    local: Expr | None = None
    local_value: np.ndarray | None = None
    shared: bool = False  # the input gets gradient from several consumers: paths add up
    summed: bool = False  # broadcast in forward: the gradient was summed back to its shape


@dataclass
class Step:
    """The backward step of one node."""

    name: str
    op: str
    definition: Expr
    value: np.ndarray | None
    upstream: Expr
    upstream_value: np.ndarray
    paths: int
    edges: list[Edge] = field(default_factory=list)
    doc: str = ""


class Explanation:
    """The narrated chain rule: prints as text, renders as Markdown (LaTeX) and HTML.

    Attributes: ``loss`` (its name), ``forward`` (list of ForwardLine), ``steps``
    (list of Step, from the loss back), ``gradients`` (leaf name -> ndarray, as
    ``loss.backward()`` gives), ``gradient_exprs`` (leaf name -> Expr).
    """

    def __init__(self, loss: str, forward: list[ForwardLine], steps: list[Step],
                 gradients: dict[str, np.ndarray], gradient_exprs: dict[str, Expr | None],
                 recorded: bool) -> None:
        self.loss, self.forward, self.steps = loss, forward, steps
        self.gradients, self.gradient_exprs, self.recorded = gradients, gradient_exprs, recorded

    @property
    def values(self) -> dict[str, np.ndarray | None]:
        """Every named value of the forward pass."""
        return {f.name: f.value for f in self.forward}

    def __str__(self) -> str:
        return render_text(self)

    def __repr__(self) -> str:
        return (f"<Explanation of {self.loss}: {len(self.steps)} steps, "
                f"{len(self.gradients)} leaves>")

    def to_markdown(self) -> str:
        """Markdown with LaTeX math ($...$), as Jupyter renders it."""
        return render_markdown(self)

    def to_html(self) -> str:
        """A self-contained HTML fragment (tables, Unicode math)."""
        return render_html(self)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def _repr_html_(self) -> str:
        return self.to_html()


def _proxy(node: Any, saved: tuple[Any, ...]) -> Any:
    """A copy of ``node`` holding ``saved``: backward can run again without touching the graph."""
    cls: Any = type(node)
    p = cls.__new__(cls)
    for slot in ("next", "shape", "dtype", "_versions", "_hooks"):
        if hasattr(node, slot):
            setattr(p, slot, getattr(node, slot))
    p.__dict__.update(node.__dict__)
    p.saved_arrays = saved
    return p


def _backward(node: Any, proxy: Any, g: np.ndarray) -> tuple[Any, ...]:
    try:
        with np.errstate(all="ignore"):
            return tuple(proxy.backward(proxy, g))
    except (ValueError, TypeError, AttributeError) as exc:
        raise RuntimeError(
            f"explain: expected a graph whose saved values are still there, got node {node.name} "
            "whose saved arrays were freed by backward(); call explain(loss) before "
            "loss.backward(), use backward(retain_graph=True), or build the graph under "
            "chainrule.autograd.graph.record()") from exc


def explain(loss: Tensor, params: dict[str, Tensor] | None = None) -> Explanation:
    """Narrate backpropagation from a scalar ``loss`` back to its leaves.

    Names: ``params`` (e.g. ``dict(model.named_parameters())``), else each tensor's
    ``.name``, else letters a, b, c, ... in forward order; the loss is L unless named.
    Works before and after ``loss.backward()``: backward keeps the saved arrays of
    graphs up to ``chainrule.autograd.engine.EXPLAIN_LIMIT`` saved elements (2**20, an
    MLP on a batch of a few hundred); past it explain says how to get them. Build the
    graph under :func:`chainrule.autograd.graph.record` to keep the names of constants
    and named intermediates.

    Shape
    -----
    loss: a single element (any shape of size 1).

    Example
    -------
    >>> import chainrule as cr
    >>> t1 = cr.tensor(2.0, requires_grad=True, name="theta1")
    >>> t2 = cr.tensor(-3.0, requires_grad=True, name="theta2")
    >>> e = cr.explain((t1 * t2 * 0.5 - 1.0) ** 2)
    >>> e.gradients["theta1"], str(e.gradient_exprs["theta1"])
    (array(12., dtype=float32), 'c·θ2')
    """
    if not isinstance(loss, Tensor):
        raise TypeError(f"explain: expected a Tensor, got {type(loss).__name__}")
    if loss.grad_fn is None:
        raise ValueError("explain: expected a tensor computed from tensors that require grad, "
                         "got a leaf; build the loss from tensors with requires_grad=True")
    if loss._data.size != 1:
        raise ValueError(f"explain: expected a scalar loss, got shape {loss.shape}; reduce it "
                         "with .sum() or .mean() first")
    w = Walk(loss, params)
    if w.freed():
        raise RuntimeError(
            f"explain: expected a graph whose saved values are still there, got one whose "
            f"saved arrays backward() freed ({len(w.freed())} of {len(w.nodes)} nodes): it "
            f"holds more than the {engine.EXPLAIN_LIMIT:,} saved elements chainrule keeps for "
            "explain after backward (chainrule.autograd.set_explain_limit); call explain(loss) "
            "before loss.backward(), use loss.backward(retain_graph=True), or explain a "
            "smaller batch (e.g. the loss on X[:32])")
    forward = _forward_lines(w)
    consumers: dict[int, int] = {}
    for node in w.nodes:
        for p in node.next:
            if p is not None:
                consumers[id(p)] = consumers.get(id(p), 0) + 1
    pending: dict[int, tuple[np.ndarray, list[Expr | None]]] = {
        id(loss.grad_fn): (np.ones(loss.grad_fn.shape, loss.grad_fn.dtype), [ONE])}
    leaf_grads: dict[int, tuple[Tensor, np.ndarray, list[Expr | None]]] = {}
    steps: list[Step] = []
    for node in reversed(w.nodes):
        g, syms = pending.pop(id(node))
        steps.append(_step(w, node, g, syms, consumers, pending, leaf_grads))
    gradients, exprs = {}, {}
    order = {f.name: i for i, f in enumerate(forward)}
    for leaf, value, syms in sorted(leaf_grads.values(),
                                    key=lambda v: order.get(w.name(v[0]), len(order))):
        name = w.name(leaf)
        gradients[name] = value.astype(leaf.dtype, copy=False)
        exprs[name] = add(*syms) if all(s is not None for s in syms) else None  # type: ignore[arg-type]
    return Explanation(w.name(loss.grad_fn), forward, steps, gradients, exprs, w.recorded)


def _forward_lines(w: Walk) -> list[ForwardLine]:
    lines: list[ForwardLine] = []
    seen: set[int] = set()
    for node in w.nodes:  # the leaves and constants first, in order of first use
        for inp in w.inputs[node]:
            if inp.kind == "node" or id(inp.key) in seen:
                continue
            seen.add(id(inp.key))
            if isinstance(w.expr(inp), Num):
                continue  # an unnamed number is written inline
            name = w.names[id(inp.key)]
            if name in {f.name for f in lines}:
                continue  # the same constant tensor used twice
            kind = "parameter" if inp.kind == "leaf" else "constant"
            lines.append(ForwardLine(name, kind, w.value(inp)))
    for node in w.nodes:
        definition = rule_for(node).define([w.expr(i) for i in w.inputs[node]], node)
        lines.append(ForwardLine(w.name(node), "op", w.value(node), definition, node.name))
    return lines


def _step(w: Walk, node: Any, g: np.ndarray, syms: list[Expr | None],
          consumers: dict[int, int], pending: dict[int, Any], leaf_grads: dict[int, Any]) -> Step:
    rule = rule_for(node)
    name = w.name(node)
    ins = w.inputs[node]
    in_exprs = [w.expr(i) for i in ins]
    out_expr = Name(name)
    upstream: Expr = Grad(name)
    if all(s is not None for s in syms):
        u = add(*syms)  # type: ignore[arg-type]
        if u.size() <= _SYMBOLIC_LIMIT:
            upstream = u
    proxy = _proxy(node, w.saved(node))
    grads = _backward(node, proxy, g)
    ones: tuple[Any, ...] | None = None
    step = Step(name, node.name, rule.define(in_exprs, node), w.value(node), upstream, g,
                len(syms), doc=doc_line(node))
    for slot, inp in enumerate(ins):
        parent = node.next[slot] if slot < len(node.next) else None
        gi = grads[slot] if slot < len(grads) else None
        if parent is None or gi is None:
            continue
        shape = parent.shape
        gi = np.asarray(gi)
        summed = gi.shape != tuple(shape)
        if summed:
            gi = sum_to_shape(gi, tuple(shape))
        gi = gi.astype(parent.dtype, copy=False)
        scalar = g.size == 1 and gi.size == 1
        edge = Edge(w.names.get(id(inp.key)) or in_exprs[slot].text(),
                    "scalar" if scalar else ("elementwise" if rule.local else "matrix"),
                    ONE, gi, shared=consumers.get(id(parent), 0) > 1, summed=summed)
        if scalar or rule.local is not None:
            if ones is None:
                ones = _backward(node, proxy, np.ones_like(g))
            edge.local_value = np.asarray(ones[slot])
            edge.local = (rule.local(slot, out_expr, in_exprs, node) if rule.local
                          else Num(float(edge.local_value.reshape(-1)[0])))
        path_sym: Expr | None = None
        if scalar:
            edge.gradient = path_sym = mul(upstream, edge.local)  # type: ignore[arg-type]
        elif edge.local is not None:
            edge.gradient = hadamard(Name("g"), edge.local)
        else:
            edge.gradient = rule.form(slot, Name("g"), out_expr, in_exprs, node)  # type: ignore[misc]
        step.edges.append(edge)
        if isinstance(parent, Tensor):
            prev = leaf_grads.get(id(parent))
            if prev is None:
                leaf_grads[id(parent)] = (parent, gi.copy(), [path_sym])
            else:
                leaf_grads[id(parent)] = (parent, prev[1] + gi, prev[2] + [path_sym])
        else:
            prev = pending.get(id(parent))
            pending[id(parent)] = (gi.copy(), [path_sym]) if prev is None else (
                prev[0] + gi, prev[1] + [path_sym])
    return step
