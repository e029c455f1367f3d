"""``chainrule.compile``: capture a training step once, replay it as a flat plan of NumPy calls.

See :func:`compile`. ``_record`` records one eager run, ``_plan`` turns it into the replay,
``_rules`` holds faster rules for the hot ops, ``_emit`` makes the replay one generated Python
function (a line per NumPy call), ``_guards`` checks at each call that the plan still applies;
flat optimizer buffers are in ``optim._flat``.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .. import _dtype
from ..autograd.grad_mode import state as _grad_state
from ..tensor import Tensor
from ._describe import describe, same
from ._plan import Plan
from ._record import NonFiniteStepError, is_recording, record
from ._rules import PrecheckError
from ._steps import UnsupportedError

__all__ = ["CompiledStep", "NonFiniteStepError", "compile", "is_recording"]

_MAX_SIGNATURES = 8
_PLANS_PER_SIGNATURE = 4


class _Entry:
    __slots__ = ("plans", "eager", "last")

    def __init__(self) -> None:
        self.plans: list[Plan] = []        # most recent first; one per mode/structure seen
        self.eager: str | None = None      # why this signature runs eagerly
        self.last: Any = None               # description of the previous recording


class CompiledStep:
    """A training step that is recorded on its first calls and then replayed.

    Call it as the function it wraps. ``captured`` tells whether the last call was
    replayed, ``fallback_reason`` why the last call ran eagerly (None when replayed or
    still recording), ``recaptures`` how many plans were built.
    """

    def __init__(self, fn: Callable[..., Any], fullgraph: bool = False,
                 guard_nonfinite: bool = False, static: bool = False) -> None:
        self.fn = fn
        self.fullgraph = fullgraph
        self.static = static  # the caller knows fn runs the same ops on every call (fit's own
        # step on library modules): the plan is built from the first recording, not the second
        self.guard_nonfinite = guard_nonfinite
        self._entries: dict[Any, _Entry] = {}
        self.captured = False
        self.fallback_reason: str | None = None
        self.recaptures = 0
        self.__wrapped__ = fn
        self.__doc__ = getattr(fn, "__doc__", None)

    def reset(self) -> None:
        """Forget every plan: the next calls record again."""
        self._entries.clear()

    def _key(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        if kwargs:
            return None
        parts: list[Any] = [_grad_state.enabled, _dtype.float_dtype()]
        for a in args:
            if isinstance(a, Tensor):
                parts.append(("T", a._data.shape, a._data.dtype, a.requires_grad))
            elif isinstance(a, np.ndarray):
                parts.append(("A", a.shape, a.dtype))
            elif isinstance(a, (int, float, str, bool)) or a is None:
                parts.append(("L", type(a), a))
            else:
                return None
        return tuple(parts)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        key = self._key(args, kwargs)
        if key is None:
            return self._eager("arguments other than tensors, arrays and scalars (or keyword "
                               "arguments)", args, kwargs)
        entry = self._entries.get(key)
        if entry is None:
            if len(self._entries) >= _MAX_SIGNATURES:
                return self._eager(f"more than {_MAX_SIGNATURES} argument shapes", args,
                                   kwargs)
            entry = self._entries[key] = _Entry()
        if entry.eager is not None:
            return self._eager(entry.eager, args, kwargs)
        for i, plan in enumerate(entry.plans):
            if plan.valid() is None:
                if i:
                    entry.plans.insert(0, entry.plans.pop(i))
                try:
                    result = plan.run(args)
                except PrecheckError:
                    return self._eager("a value check failed (class indices out of range, "
                                       "or an output shape that depends on the data): this "
                                       "call ran eagerly", args, kwargs)
                self.captured = True
                self.fallback_reason = None
                return result
        return self._record(entry, args, kwargs)

    def _record(self, entry: _Entry, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        tape, result = record(self.fn, args, kwargs, self.guard_nonfinite)
        self.captured = False
        self.fallback_reason = None
        if tape.problems:
            entry.eager = "; ".join(tape.problems)
            self._unsupported(entry.eager)
            return result
        if not self.static:
            desc = describe(tape, args)
            last, entry.last = entry.last, desc  # the description only: the tape can go
            if last is None:
                return result
            if not same(last, desc):
                entry.eager = ("the step ran different ops on two calls (Python control flow), "
                               "or gave them inputs made outside chainrule's ops (a comparison "
                               "such as out > 0.3, a one-hot or a mask made with NumPy): they "
                               "may depend on the data")
                self._unsupported(entry.eager)
                return result
        try:
            entry.plans.insert(0, Plan(tape, args, result))
            del entry.plans[_PLANS_PER_SIGNATURE:]
            self.recaptures += 1
        except UnsupportedError as exc:
            entry.eager = str(exc)
            self._unsupported(entry.eager)
        entry.last = None
        return result

    def _unsupported(self, why: str) -> None:
        self.fallback_reason = why
        if self.fullgraph:
            raise RuntimeError(f"compile: expected a step that can be captured, got one that "
                               f"can't: {why}")

    def _eager(self, why: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        self.captured = False
        self.fallback_reason = why
        if self.fullgraph:
            raise RuntimeError(f"compile: expected a step that can be captured, got one that "
                               f"can't: {why}")
        return self.fn(*args, **kwargs)


def compile(fn: Callable[..., Any], *, fullgraph: bool = False) -> CompiledStep:  # noqa: A001
    """Capture a training step once and replay it as a flat plan of NumPy calls.

    ``fn(x, y, ...)`` does what a step does (``zero_grad``, forward, loss, ``backward``,
    ``optimizer.step``). Its first two calls for a given argument signature (shapes,
    dtypes) run eagerly while being recorded; when both did the same thing, later calls
    replay the plan: the ops' own forward and backward on preallocated arrays, gradients
    written into one flat buffer per parameter group, and SGD/Adam/AdamW updates as a few
    calls over flat parameter and state buffers (Parameters become views of them). Results
    are bitwise identical to eager mode. A new shape, dtype, train/eval mode, model
    structure or parameter group records again. The step runs eagerly when it does what a
    replay cannot repeat: reads tensor values (``.item()`` except as a returned value,
    ``bool()``, ``.numpy()``), uses hooks, dropout or other random draws, in-place tensor
    ops, ``clip_grad_*``, a closure, ``chainrule.grad``, more than one backward, or runs
    different ops on two calls; ``fallback_reason`` says which (``fullgraph=True`` raises).

    Returned tensors are detached copies; ``p.grad`` tensors are reused between calls.

    Example
    -------
    >>> import chainrule as cr
    >>> model = cr.nn.Linear(3, 1); opt = cr.optim.SGD(model.parameters(), lr=0.1)
    >>> loss_fn = cr.nn.MSELoss()
    >>> @cr.compile
    ... def step(x, y):
    ...     opt.zero_grad(); loss = loss_fn(model(x), y); loss.backward(); opt.step()
    ...     return loss
    >>> x, y = cr.ones(4, 3), cr.zeros(4, 1)
    >>> losses = [step(x, y).item() for _ in range(4)]
    >>> step.captured, losses[3] < losses[0]
    (True, True)
    """
    return CompiledStep(fn, fullgraph=fullgraph)
