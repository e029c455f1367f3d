"""Lints on the training step: zero_grad, the optimizer's parameters, modes, schedulers.

``before_step`` runs before every optimizer's ``step`` (the base class wraps
each subclass's ``step``) when the linter is on. The accumulation check costs a
few attribute reads per step; the checks that loop over parameters or walk the
graph run during the first three steps only.
"""
from __future__ import annotations

import weakref
from typing import Any

from ._core import state, warn
from ._where import describe, user_site
from ._losses import graph_leaves

_FIRST_STEPS = 3  # steps watched for parameters that never get a gradient
_optimizers: weakref.WeakSet[Any] = weakref.WeakSet()


class _OptimizerLint:
    __slots__ = ("steps", "backwards", "zero_grads", "grad", "seen", "__weakref__")

    def __init__(self) -> None:
        self.steps = 0
        self.backwards = self.zero_grads = -1
        self.grad: Any = None  # weakref to the first parameter's .grad at the last step
        self.seen: set[int] = set()  # parameter indices that had a gradient at some step


def _params(opt: Any) -> list[Any]:
    return [p for g in opt.param_groups for p in g["params"]]


def before_step(opt: Any, closure: Any) -> None:
    """Checks before ``opt.step()`` (see the module docstring)."""
    lint = opt.__dict__.get("_lint")
    if lint is None:
        lint = opt.__dict__["_lint"] = _OptimizerLint()
        _optimizers.add(opt)
    name = type(opt).__name__
    first = next((p for g in opt.param_groups for p in g["params"] if p.grad is not None), None)
    grad = None if first is None else first.grad
    if (closure is None and grad is not None and lint.steps and state.zero_grads == lint.zero_grads
            and state.backwards > lint.backwards and lint.grad is not None
            and lint.grad() is grad):
        warn(f"{name}.step(): the gradients were never zeroed since the last step, so they "
             "add up over several backward() passes and each step uses their sum; fix: call "
             "optimizer.zero_grad() before loss.backward() in every step (if you accumulate "
             "gradients on purpose, zero them after each step(); silence with warnings."
             "filterwarnings('ignore', message='.*never zeroed', category=chainrule.LintWarning))")
    lint.steps += 1
    lint.backwards, lint.zero_grads = state.backwards, state.zero_grads
    lint.grad = None if grad is None else weakref.ref(grad)
    if state.eval_call is not None:
        module, site, losses = state.eval_call
        state.eval_call = None
        if not module.training and _same_step(module, losses, opt):
            kind = type(module).__name__
            warn(f"{kind} ran in eval mode inside a training step (forward at {describe(site)}):"
                 f" {'dropout is off' if kind == 'Dropout' else 'batch statistics are unused'}"
                 " while the model trains; fix: call model.train() before the training loop "
                 "(after any evaluation with model.eval())")
    if lint.steps <= _FIRST_STEPS:
        _watch_parameters(opt, lint, name)
        ref = state.last_output
        if ref is not None:
            _check_outside(opt, ref(), name)


def _same_step(module: Any, losses: int, opt: Any) -> bool:
    """Whether the eval-mode call fed this step: the latest loss came right after it, and
    the module's parameters (if any) are this optimizer's."""
    if state.losses != losses + 1:
        return False
    own = list(module.parameters()) if hasattr(module, "parameters") else []
    mine = {id(p) for p in _params(opt)}
    return not own or any(id(p) in mine for p in own)


def _watch_parameters(opt: Any, lint: _OptimizerLint, name: str) -> None:
    params = _params(opt)
    lint.seen.update(i for i, p in enumerate(params) if p.grad is not None)
    if lint.steps < _FIRST_STEPS or len(lint.seen) == len(params) or not lint.seen:
        return
    never = [p for i, p in enumerate(params) if i not in lint.seen]
    frozen = [p for p in never if not p.requires_grad]
    shapes = ", ".join(str(tuple(p.shape)) for p in never[:4]) + (" ..." if len(never) > 4 else "")
    if frozen:
        warn(f"{name} holds {len(never)} parameter(s) that never got a gradient in "
             f"{_FIRST_STEPS} steps (shapes {shapes}; {len(frozen)} with requires_grad=False): "
             "frozen by mistake? fix: set requires_grad=True to train them, or give the "
             "optimizer only the trainable ones: [p for p in model.parameters() if "
             "p.requires_grad]")
    else:
        warn(f"{name} holds {len(never)} parameter(s) that never got a gradient in "
             f"{_FIRST_STEPS} steps (shapes {shapes}): they do not reach the loss (a layer "
             "defined in __init__ but not used in forward, or an output detached); fix: use "
             "the layer in forward, or leave its parameters out of the optimizer")


def _check_outside(opt: Any, fn: Any, name: str) -> None:
    """Parameters of the latest loss's graph that have a gradient and no optimizer."""
    if fn is None:
        return
    leaves = [p for p in graph_leaves(fn) if type(p).__name__ == "Parameter"]
    mine = {id(p) for p in _params(opt)}
    if not any(id(p) in mine for p in leaves):  # that loss is not this optimizer's
        return
    owned = {id(p) for o in list(_optimizers) for p in _params(o)}
    stray = [p for p in leaves if p.grad is not None and id(p) not in owned]
    if stray:
        shapes = ", ".join(str(tuple(p.shape)) for p in stray[:4])
        warn(f"{len(stray)} parameter(s) get gradients but belong to no optimizer (shapes "
             f"{shapes}), so they never train; fix: build the optimizer from "
             "model.parameters() after creating every layer (or add_param_group them)")


def check_mode(module: Any, input: Any) -> None:  # noqa: A002
    """Dropout/BatchNorm called with ``module.training`` different from grad mode."""
    kind = type(module).__name__
    if module.training:
        what = ("dropout still zeroes units" if kind == "Dropout" else
                "batch norm normalises with this batch and updates its running statistics")
        warn(f"{kind} ran in training mode under no_grad (evaluation without model.eval()): "
             f"{what}, so the results are noisy; fix: call model.eval() before evaluating and "
             "model.train() after")
    else:  # eval mode with grad on: a mistake only if an optimizer steps before model.train()
        state.eval_call = (module, user_site(3), state.losses)


def check_scheduler(scheduler: Any) -> None:
    """``scheduler.step()`` before the optimizer's first ``step()`` (PyTorch warns too)."""
    opt = scheduler.optimizer
    lint = opt.__dict__.get("_lint")
    if (lint is None or lint.steps == 0) and not opt.state:
        warn(f"{type(scheduler).__name__}.step() was called before optimizer.step(): the first "
             "value of the learning-rate schedule is skipped; fix: call optimizer.step() "
             "first and scheduler.step() after it (once per epoch, or per batch for "
             "OneCycleLR/CyclicLR)")


def note_zero_grad() -> None:
    """Called by ``zero_grad`` (optimizers and modules)."""
    state.zero_grads += 1
    state.eval_call = None
