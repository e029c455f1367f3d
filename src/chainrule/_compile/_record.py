"""Recording one eager run of a training step: every op, the backward, zero_grad and step.

While a :class:`Tape` records, a few library entry points are wrapped (``_patches``; undone after):
``Function.apply`` (every op, with its inputs and output), the engine's ``run_backward``,
every optimizer's ``step`` and ``zero_grad``, ``Module.__call__`` (which modules ran, in
which mode, with which hooks), the Tensor methods that read values (``item``, ``bool``,
``numpy``, ...), the in-place Tensor methods and ``nn.utils.clip_grad_*``. Nothing is
wrapped when no recording runs, so eager mode pays nothing. What the step did that a replay
could not repeat is collected in ``Tape.problems`` (the reasons for falling back to eager).
"""
from __future__ import annotations

import threading
from typing import Any, Callable

import numpy as np

from .. import random as _random
from ..nn.modules.module import Module
from ..tensor import Tensor

_lock = threading.Lock()
_active: list[Tape] = []


def is_recording() -> bool:
    """True while a step is being recorded by ``chainrule.compile``."""
    return bool(_active)


class NonFiniteStepError(Exception):
    """Raised instead of backward when the loss is not finite (``guard_nonfinite``)."""

    def __init__(self, value: float) -> None:
        super().__init__(value)
        self.value = value


class Op:
    """One recorded op: its class, arguments, options, output and graph node."""

    __slots__ = ("cls", "args", "kwargs", "result", "node", "event")

    def __init__(self, cls: Any, args: tuple[Any, ...], kwargs: dict[str, Any],
                 result: Tensor, event: int) -> None:
        self.cls, self.args, self.kwargs, self.result = cls, args, kwargs, result
        self.node: Any = result.grad_fn if result.grad_fn is not None and \
            type(result.grad_fn) is cls else None
        self.event = event


class Tape:
    """What one eager run of the step did."""

    def __init__(self, guard_nonfinite: bool = False) -> None:
        self.ops: list[Op] = []
        self.events: list[tuple[Any, ...]] = []  # ("op", i) ("backward", ...) ("step", opt) ...
        self.problems: list[str] = []
        self.items: dict[int, Op | Tensor] = {}   # id(float returned by .item()) -> its tensor
        self.item_floats: list[float] = []        # keep them alive, so ids stay unique
        self.modules: dict[int, tuple[Module, bool]] = {}
        self.backward_order: list[int] = []       # op indices in the engine's order
        self.node_index: dict[int, int] = {}      # id(graph node) -> op index
        self.backward_root: Tensor | None = None
        self.grads_before: dict[int, bool] = {}   # id(leaf) -> had a grad at backward time
        self.zeroed: set[int] = set()             # ids of params zeroed before backward
        self.guard_nonfinite = guard_nonfinite
        self.in_update = 0
        self.rng_before: Any = None

    def problem(self, msg: str) -> None:
        if msg not in self.problems:
            self.problems.append(msg)

    # ---- the wrapped entry points call these --------------------------------------------
    def on_op(self, cls: type, args: tuple[Any, ...], kwargs: dict[str, Any],
              result: Any) -> None:
        if self.in_update:
            return
        if not isinstance(result, Tensor):
            self.problem(f"{cls.__name__}.apply returned {type(result).__name__}")
            return
        op = Op(cls, args, kwargs, result, len(self.events))
        i = len(self.ops)
        self.ops.append(op)
        self.events.append(("op", i))
        if op.node is not None:
            self.node_index[id(op.node)] = i
            tape = self

            bw: Callable[..., Any] = cls.backward  # type: ignore[attr-defined]

            def logged(ctx: Any, grad_out: np.ndarray, _i: int = i,
                       _bw: Callable[..., Any] = bw) -> Any:
                if tape in _active:
                    tape.backward_order.append(_i)
                return _bw(ctx, grad_out)
            op.node.backward = logged


def record(fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any],
           guard_nonfinite: bool = False) -> tuple[Tape, Any]:
    """Run ``fn(*args, **kwargs)`` eagerly while recording; returns (tape, its result)."""
    tape = Tape(guard_nonfinite)
    if not _lock.acquire(blocking=False):
        tape.problem("another step is being recorded (nested or in another thread)")
        return tape, fn(*args, **kwargs)
    from ._patches import _Patches  # the wrappers import Tape from here
    patches = _Patches(tape)
    try:
        tape.rng_before = _random.default_generator.np.bit_generator.state
        patches.install()
        _active.append(tape)
        try:
            result = fn(*args, **kwargs)
        finally:
            _active.remove(tape)
            patches.remove()
        if _random.default_generator.np.bit_generator.state != tape.rng_before:
            tape.problem("the step draws random numbers (dropout, random tensors)")
        returned = _returned_floats(result)
        if any(i not in returned for i in tape.items):
            tape.problem("Tensor.item() reads a value inside the step (used other than as a "
                         "returned value: it may steer Python control flow)")
        return tape, result
    finally:
        _lock.release()


def _returned_floats(result: Any) -> set[int]:
    if isinstance(result, float):
        return {id(result)}
    if isinstance(result, (tuple, list)):
        return set().union(*(_returned_floats(r) for r in result))
    if isinstance(result, dict):
        return set().union(*(_returned_floats(r) for r in result.values()))
    return set()
