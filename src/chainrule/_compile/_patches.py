"""The wrappers a recording installs around the library's entry points (see ``_record``).

``_Patches.install`` wraps ``Function.apply``, the engine's ``run_backward``, every
optimizer's ``step`` and ``zero_grad``, ``Module.__call__``, the value-reading and in-place
Tensor methods and ``nn.utils.clip_grad_*``; ``remove`` puts the originals back.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..autograd import engine as _engine
from ..autograd.function import Function
from ..nn.modules.module import Module
from ..optim.optimizer import Optimizer
from ..tensor import Tensor
from ._record import NonFiniteStepError, Tape


def _wrap_apply(tape_of: Callable[[], Tape | None]) -> Callable[..., Any]:
    orig = Function.__dict__["apply"].__func__

    def apply(cls: type, *args: Any, **kwargs: Any) -> Any:
        result = orig(cls, *args, **kwargs)
        tape = tape_of()
        if tape is not None:
            tape.on_op(cls, args, kwargs, result)
        return result
    return apply


class _Patches:
    """Install and remove the wrappers around the library's entry points."""

    def __init__(self, tape: Tape) -> None:
        self.tape = tape
        self.saved: list[tuple[Any, str, Any, bool]] = []

    def set(self, owner: Any, name: str, value: Any) -> None:
        had = name in vars(owner)
        self.saved.append((owner, name, vars(owner).get(name), had))
        setattr(owner, name, value)

    def install(self) -> None:
        tape = self.tape
        self.set(Function, "apply", classmethod(_wrap_apply(lambda: tape)))
        orig_rb = _engine.run_backward

        def run_backward(roots: Any, grads: Any, retain_graph: bool,
                         capture: Any = None) -> Any:
            _on_backward(tape, roots, grads, retain_graph, capture)
            return orig_rb(roots, grads, retain_graph, capture)
        self.set(_engine, "run_backward", run_backward)
        for cls in _optimizer_classes():
            if "step" in vars(cls):
                self.set(cls, "step", _wrap_step(tape, vars(cls)["step"]))
        self.set(Optimizer, "zero_grad", _wrap_zero(tape, Optimizer.zero_grad, True))
        self.set(Module, "zero_grad", _wrap_zero(tape, Module.zero_grad, False))
        orig_call = Module.__call__

        def call(module: Module, *args: Any, **kwargs: Any) -> Any:
            if id(module) not in tape.modules:
                tape.modules[id(module)] = (module, module.training)
            if module._hooked and _active_hooks(module):
                tape.problem(f"forward hooks on {type(module).__name__}")
            return orig_call(module, *args, **kwargs)
        self.set(Module, "__call__", call)
        orig_item = Tensor.item

        def item(t: Tensor) -> Any:
            v = orig_item(t)
            if not tape.in_update:
                tape.items[id(v)] = t
                tape.item_floats.append(v)
            return v
        self.set(Tensor, "item", item)
        for name in ("numpy", "tolist", "__bool__", "__float__", "__int__", "__index__",
                     "__array__", "__repr__", "__format__", "__str__"):
            if name in vars(Tensor) or name in ("__format__", "__str__"):
                self.set(Tensor, name, _wrap_read(tape, getattr(Tensor, name), name))
        for name in ("add_", "sub_", "mul_", "div_", "zero_", "fill_", "copy_", "clamp_",
                     "__iadd__", "__isub__", "__imul__", "__itruediv__", "__setitem__"):
            self.set(Tensor, name, _wrap_inplace(tape, getattr(Tensor, name), name))
        from ..nn import utils as nn_utils
        for name in ("clip_grad_norm_", "clip_grad_value_"):
            fn = getattr(nn_utils, name, None)
            if fn is not None:
                self.set(nn_utils, name, _wrap_problem(tape, fn, f"nn.utils.{name}"))

    def remove(self) -> None:
        for owner, name, value, had in reversed(self.saved):
            if had:
                setattr(owner, name, value)
            else:
                delattr(owner, name)
        self.saved.clear()


def _optimizer_classes() -> list[Any]:
    out: list[Any] = []
    stack: list[Any] = [Optimizer]
    while stack:
        c = stack.pop()
        out.append(c)
        stack.extend(c.__subclasses__())
    return out


def _on_backward(tape: Tape, roots: Any, grads: Any, retain_graph: bool, capture: Any) -> None:
    if tape.in_update:
        return
    if capture is not None:
        tape.problem("chainrule.grad inside the step")
        return
    if tape.backward_root is not None:
        tape.problem("more than one backward in the step")
        return
    root = roots[0]
    if len(roots) != 1 or root.grad_fn is None or root._data.size != 1 or \
            not np.all(np.asarray(grads[0]) == 1):
        tape.problem("backward from a non-scalar tensor or with a gradient argument")
    if retain_graph:
        tape.problem("backward(retain_graph=True)")
    if tape.guard_nonfinite and not np.isfinite(root._data).all():
        raise NonFiniteStepError(float(root._data.reshape(-1)[0]))
    for op in tape.ops:
        if op.node is not None:
            for p in op.node.next:
                if isinstance(p, Tensor) and p.grad is not None and id(p) not in tape.zeroed:
                    tape.problem("gradients add up over calls (no zero_grad before backward)")
    tape.backward_root = root
    tape.events.append(("backward", root))


def _wrap_step(tape: Tape, fn: Callable[..., Any]) -> Callable[..., Any]:
    def step(opt: Any, closure: Any = None) -> Any:
        if tape.in_update:
            return fn(opt, closure)
        if closure is not None:
            tape.problem("optimizer.step(closure)")
        tape.events.append(("step", opt))
        tape.in_update += 1
        try:
            return fn(opt, closure)
        finally:
            tape.in_update -= 1
    return step


def _wrap_zero(tape: Tape, fn: Callable[..., Any], is_opt: bool) -> Callable[..., Any]:
    def zero_grad(owner: Any, set_to_none: bool = True) -> None:
        if tape.in_update:
            return fn(owner, set_to_none)  # type: ignore[no-any-return]
        params = [p for g in owner.param_groups for p in g["params"]] if is_opt \
            else list(owner.parameters())
        tape.events.append(("zero_grad", params, set_to_none))
        if tape.backward_root is None:
            tape.zeroed.update(id(p) for p in params)
        tape.in_update += 1
        try:
            return fn(owner, set_to_none)  # type: ignore[no-any-return]
        finally:
            tape.in_update -= 1
    return zero_grad


def _wrap_read(tape: Tape, fn: Callable[..., Any], name: str) -> Callable[..., Any]:
    def read(t: Tensor, *args: Any, **kwargs: Any) -> Any:
        if not tape.in_update:
            tape.problem(f"Tensor.{name.strip('_')}() reads a value inside the step")
        return fn(t, *args, **kwargs)
    return read


def _wrap_inplace(tape: Tape, fn: Callable[..., Any], name: str) -> Callable[..., Any]:
    def inplace(t: Tensor, *args: Any, **kwargs: Any) -> Any:
        if not tape.in_update:
            tape.problem(f"in-place Tensor.{name.strip('_')} inside the step")
        return fn(t, *args, **kwargs)
    return inplace


def _wrap_problem(tape: Tape, fn: Callable[..., Any], what: str) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        tape.problem(f"{what} inside the step")
        return fn(*args, **kwargs)
    return call


def _active_hooks(module: Module) -> bool:
    """Whether a forward hook could change what a module computes. Hooks marked ``passive``
    (the graph drawing's module tagging) only observe, and a replay builds no nodes to tag."""
    from ..nn.modules import _hooks
    hooks = [*_hooks._global_forward_hooks.values(), *_hooks._global_forward_pre_hooks.values(),
             *module._forward_hooks.values(), *module._forward_pre_hooks.values()]
    return any(not getattr(h, "passive", False) for h in hooks)
