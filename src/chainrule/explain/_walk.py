"""Reading a graph back: nodes in forward order, names, input and output values.

Values come from ``chainrule.autograd.graph.record()`` when the graph was built
under it (exact, with the names of constants); otherwise they are recovered
from what forward saved for backward, by re-running forward where all inputs
are known, and by inverting sums and differences for constants nobody saved.
"""
from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ..autograd.function import FREED
from ..tensor import Tensor
from ._expr import Expr, Name, Num
from ._rules import rule_for


class Input(NamedTuple):
    kind: str  # "node", "leaf" or "const"
    key: Any  # the node, the leaf Tensor, or (node, slot) for a constant


def forward_order(root: Any) -> list[Any]:
    """Nodes reachable from ``root`` (a grad_fn), parents before children (iterative DFS)."""
    order: list[Any] = []
    seen = {id(root)}
    stack: list[tuple[Any, int]] = [(root, 0)]
    while stack:
        node, i = stack.pop()
        parents = node.next
        while i < len(parents):
            p = parents[i]
            i += 1
            if p is not None and not isinstance(p, Tensor) and id(p) not in seen:
                seen.add(id(p))
                stack.append((node, i))
                stack.append((p, 0))
                break
        else:
            order.append(node)
    return order


class Walk:
    """The graph under ``root``: ``nodes`` (forward order), ``inputs``, ``names``, ``value``."""

    def __init__(self, root: Tensor, params: dict[str, Tensor] | None = None) -> None:
        self.root = root
        self.nodes = forward_order(root.grad_fn)
        self.recorded = all(getattr(n, "_record", None) is not None for n in self.nodes)
        self.inputs: dict[Any, list[Input]] = {}
        self.values: dict[int, np.ndarray | None] = {}  # id(node | leaf) or id of (node, slot)
        self.exprs: dict[int, Expr] = {}
        self.names: dict[int, str] = {}
        self._objects: list[Any] = []  # keeps the (node, slot) keys alive while ids are used
        self._name_all(params or {})
        self._recover()

    # ---- structure and names ----------------------------------------------------------
    def _input_list(self, node: Any) -> list[Input]:
        rec = getattr(node, "_record", None)
        n = len(rec.inputs) if rec is not None else len(node.next)
        out = []
        for slot in range(n):
            p = node.next[slot] if slot < len(node.next) else None
            if p is None:
                key = (node, slot)
                self._objects.append(key)
                out.append(Input("const", key))
            elif isinstance(p, Tensor):
                out.append(Input("leaf", p))
            else:
                out.append(Input("node", p))
        return out

    def _name_all(self, params: dict[str, Tensor]) -> None:
        by_id = {id(t): k for k, t in params.items()}
        explicit: dict[int, str] = {}
        for node in self.nodes:
            self.inputs[node] = ins = self._input_list(node)
            rec = getattr(node, "_record", None)
            t = rec.tensor() if rec is not None else None
            if t is not None and t.name:
                explicit[id(node)] = t.name
            for slot, inp in enumerate(ins):
                if inp.kind == "leaf":
                    name = by_id.get(id(inp.key)) or inp.key.name
                    if name:
                        explicit[id(inp.key)] = name
                elif rec is not None and isinstance(rec.inputs[slot], Tensor):
                    c = rec.inputs[slot]
                    name = by_id.get(id(c)) or c.name
                    if name:
                        explicit[id(c)] = name
        root_name = self.root.name or explicit.get(id(self.root.grad_fn)) or "L"
        explicit[id(self.root.grad_fn)] = root_name
        self._letters = letters = _letters(set(explicit.values()))
        self.names.update(explicit)
        for node in self.nodes:
            rec = getattr(node, "_record", None)
            for slot, inp in enumerate(self.inputs[node]):
                if inp.kind == "leaf" and id(inp.key) not in self.names:
                    self.names[id(inp.key)] = next(letters)
                elif inp.kind == "const":
                    c = rec.inputs[slot] if rec is not None else None
                    if isinstance(c, Tensor):
                        self.values[id(inp.key)] = c._data
                        if id(c) in self.names:
                            self.names[id(inp.key)] = self.names[id(c)]
                        elif c._data.size != 1:
                            self.names[id(c)] = self.names[id(inp.key)] = next(letters)
                    elif c is not None:
                        self.values[id(inp.key)] = np.asarray(c)
            if id(node) not in self.names:
                self.names[id(node)] = next(letters)
        for node in self.nodes:
            self.exprs[id(node)] = Name(self.names[id(node)])

    def key(self, inp: Input) -> int:
        return id(inp.key)

    def expr(self, inp: Input) -> Expr:
        """The input as it is written: its name, or its number for an unnamed scalar constant."""
        k = id(inp.key)
        if k in self.names:
            return Name(self.names[k])
        v = self.values.get(k)
        if v is not None and np.size(v) == 1:
            return Num(float(np.asarray(v).reshape(())))
        self.names[k] = name = next(self._letters)
        return Name(name)

    def name(self, obj: Any) -> str:
        return self.names[id(obj)]

    # ---- values ------------------------------------------------------------------------
    def value(self, inp_or_node: Any) -> np.ndarray | None:
        if isinstance(inp_or_node, Input):
            if inp_or_node.kind == "leaf":
                return inp_or_node.key._data
            return self.values.get(id(inp_or_node.key))
        return self.values.get(id(inp_or_node))

    def saved(self, node: Any) -> tuple[Any, ...]:
        rec = getattr(node, "_record", None)
        if rec is not None:
            return rec.saved
        s = node.saved_arrays
        if s is FREED:  # after backward: what the engine kept for explain, if anything
            s = getattr(node, "_kept", None) or ()
        return tuple(s)

    def freed(self) -> list[Any]:
        """Nodes whose saved arrays backward() released without keeping them (graph too big)."""
        return [n for n in self.nodes if getattr(n, "_record", None) is None
                and n.saved_arrays is FREED and getattr(n, "_kept", None) is None]

    def _recover(self) -> None:
        for node in self.nodes:
            rec = getattr(node, "_record", None)
            if rec is not None:
                self.values[id(node)] = rec.output
        if self.recorded:
            return
        for node in self.nodes:
            rule, saved = rule_for(node), self.saved(node)
            if rule.saved_out is not None and rule.saved_out < len(saved):
                self._set(id(node), saved[rule.saved_out], node.shape)
            for slot, idx in enumerate(rule.saved_in):
                if idx is not None and idx < len(saved) and slot < len(self.inputs[node]):
                    inp = self.inputs[node][slot]
                    shape = inp.key.shape if inp.kind == "node" else None
                    if inp.kind != "leaf":
                        self._set(id(inp.key), saved[idx], shape)
            if node.name == "Where":
                self._set(id(self.inputs[node][0].key), node.cond, None)
        for _ in range(3):
            for node in self.nodes:
                self._rerun(node)
                self._invert(node)

    def _set(self, k: int, v: Any, shape: Any) -> None:
        if self.values.get(k) is None:
            arr = np.asarray(v)
            if shape is not None and arr.shape != tuple(shape) and arr.size == int(np.prod(shape)):
                arr = arr.reshape(shape)
            self.values[k] = arr

    def _rerun(self, node: Any) -> None:
        if self.values.get(id(node)) is not None:
            return
        vals = [self.value(i) for i in self.inputs[node]]
        if any(v is None for v in vals):
            return
        try:
            cls: Any = type(node)
            scratch = cls.__new__(cls)
            scratch.saved_arrays = ()
            with np.errstate(all="ignore"):
                out = type(node).forward(scratch, *vals, **rule_for(node).opts(node))
        except Exception:  # noqa: BLE001 - an op explain cannot replay keeps "?" as its value
            return
        self.values[id(node)] = np.asarray(out)

    def _invert(self, node: Any) -> None:
        """c = b − y with c and b known gives y (and the same for sums)."""
        if node.name not in ("Add", "Sub"):
            return
        ins = self.inputs[node]
        out = self.values.get(id(node))
        vals = [self.value(i) for i in ins]
        if out is None or sum(v is None for v in vals) != 1:
            return
        k = vals.index(None)
        other = vals[1 - k]
        if other is None:
            return
        if node.name == "Add":
            v = out - other
        else:
            v = other - out if k == 1 else out + other
        if ins[k].kind == "const" and other.shape == out.shape:
            self.values[id(ins[k].key)] = v
        elif ins[k].kind == "node":
            self.values[id(ins[k].key)] = v


def _letters(used: set[str]) -> Any:
    """a, b, c, ... skipping names already taken; then v27, v28, ..."""
    for c in "abcdefghijklmnopqrstuvwxyz":
        if c not in used:
            used.add(c)
            yield c
    i = 27
    while True:
        if f"v{i}" not in used:
            used.add(f"v{i}")
            yield f"v{i}"
        i += 1
