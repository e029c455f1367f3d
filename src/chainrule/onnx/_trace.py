"""Tracing a forward pass for export: which module or op made each value, and from what.

A forward pass records the graph of Function nodes (the input is made to require
grad, so every op records). A global forward hook remembers, for the layers whose
math is best exported whole (Linear, the norms, the activations), which node each
one's output came from. Walking back from the output then visits either a whole
layer (jumping to the layer's input) or a single op (its parents in ``node.next``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from ..nn.modules.module import Module, register_module_forward_hook
from ..tensor import Tensor


class ExportError(ValueError):
    """A model or op that chainrule cannot write as ONNX (names it and what is supported)."""


@dataclass
class Step:
    """One thing to emit: a layer (``module``) or a single graph op (``node``)."""

    kind: str                       # the module's or the Function's class name
    inputs: list[Any]               # parents: graph nodes or leaf tensors
    module: Module | None = None
    node: Any = None
    shape: tuple[int, ...] = ()     # the output shape seen in the trace
    in_shapes: list[tuple[int, ...]] = field(default_factory=list)


def _parent(t: Tensor) -> Any:
    return t.grad_fn if t.grad_fn is not None else t


def trace(model: Module, x: Tensor, layer_kinds: set[str]) -> tuple[Tensor, dict[int, Step]]:
    """Run ``model(x)`` recording the layers of ``layer_kinds``; returns the output and, per
    graph node id that a layer produced, its Step.
    """
    from ..autograd.grad_mode import enable_grad
    layers: dict[int, Step] = {}
    keep: list[Any] = []  # keep traced tensors alive so node ids stay unique

    def hook(module: Module, args: tuple[Any, ...], out: Any) -> None:
        if type(module).__name__ not in layer_kinds or not isinstance(out, Tensor):
            return
        if not args or not isinstance(args[0], Tensor) or out.grad_fn is None:
            return
        keep.extend([args[0], out])
        layers[id(out.grad_fn)] = Step(type(module).__name__, [_parent(args[0])], module=module,
                                       shape=tuple(out.shape),
                                       in_shapes=[tuple(args[0].shape)])

    from ..lint._core import state as lint
    handle, linting = register_module_forward_hook(hook), lint.on
    lint.on = False  # an eval-mode forward with grad is the point here, not a mistake
    try:
        with enable_grad():
            out = model(x)
    finally:
        handle.remove()
        lint.on = linting
    if not isinstance(out, Tensor):
        raise ExportError(f"onnx.export: expected the model to return one Tensor, got "
                          f"{type(out).__name__}")
    keep.append(out)
    layers[-1] = Step("_keep", keep)  # holds references; never emitted
    return out, layers


def walk(out: Tensor, layers: dict[int, Step],
         op_step: Callable[[Any], Step]) -> list[tuple[Any, Step]]:
    """Steps from the input to ``out`` in dependency order, as (key, step) pairs.

    The key is the graph node (or leaf tensor) whose value the step produces. Iterative,
    so a deep chain never hits Python's recursion limit.
    """
    order: list[tuple[Any, Step]] = []
    done: set[int] = set()
    stack: list[tuple[Any, bool]] = [(_parent(out), False)]
    while stack:
        key, expanded = stack.pop()
        if id(key) in done or isinstance(key, Tensor):
            continue
        step = layers.get(id(key)) or op_step(key)
        if expanded:
            done.add(id(key))
            order.append((key, step))
            continue
        stack.append((key, True))
        for p in step.inputs:
            if p is not None and not isinstance(p, Tensor) and id(p) not in done:
                stack.append((p, False))
    return order
