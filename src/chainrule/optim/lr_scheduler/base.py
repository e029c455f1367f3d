"""LRScheduler: the base class that writes ``group["lr"]`` on every ``step()``.

As in PyTorch, most schedules are *chainable*: ``get_lr()`` computes the next
rate from the current ``group["lr"]`` (a recursive formula), so several
schedulers can act on one optimizer. ``step(epoch)`` uses the closed form where
a schedule has one.
"""
from __future__ import annotations

import copy
import types
from typing import Any, Callable

from ...lint import state as _lint
from ...lint._steps import check_scheduler
from ..optimizer import Optimizer

__all__ = ["LRScheduler"]


class LRScheduler:
    """Base class of the learning-rate schedulers (PyTorch's ``LRScheduler``).

    Construction records ``group["initial_lr"]`` (when ``last_epoch=-1``), sets
    ``base_lrs`` from it and takes the first step, so ``get_last_lr()`` is the
    rate of epoch 0. Call ``scheduler.step()`` after ``optimizer.step()``.

    Example
    -------
    >>> import chainrule as cr
    >>> opt = cr.optim.SGD([cr.nn.Parameter(cr.zeros(1))], lr=1.0)
    >>> sched = cr.optim.lr_scheduler.ExponentialLR(opt, gamma=0.5)
    >>> for _ in range(3):
    ...     opt.step(); sched.step()
    >>> sched.get_last_lr(), sched.last_epoch, opt.param_groups[0]["initial_lr"]
    ([0.125], 3, 1.0)
    """

    _is_initial: bool = False
    # attributes left out of state_dict (beside "optimizer"): functions, sub-schedulers
    _not_in_state: tuple[str, ...] = ()

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        self.optimizer = _check_optimizer(optimizer, type(self).__name__)
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(f"{type(self).__name__}: expected 'initial_lr' in "
                                   f"param_groups[{i}] when resuming with last_epoch="
                                   f"{last_epoch}; load the optimizer's state_dict first")
        self.base_lrs: list[float] = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._initial_step()

    def _initial_step(self) -> None:
        """Reset the step count and take the step that sets the epoch-0 rates."""
        self._step_count = 0
        self._is_initial = True
        try:
            self.step()
        finally:
            self._is_initial = False

    def get_lr(self) -> list[float]:
        """The rates for ``last_epoch`` (already advanced), one per parameter group."""
        raise NotImplementedError(f"{type(self).__name__}.get_lr: not implemented")

    def get_last_lr(self) -> list[float]:
        """The rates set by the latest ``step()``, one per parameter group."""
        return list(self._last_lr)

    def step(self, epoch: int | None = None) -> None:
        """Advance one epoch (or jump to ``epoch``, by the closed form if there is one)."""
        self._step_count += 1
        if _lint.on and not self._is_initial and self._step_count == 2:
            check_scheduler(self)  # before the optimizer's first step?
        self._update_lr(epoch)

    def _update_lr(self, epoch: int | None = None) -> None:
        if epoch is None:
            self.last_epoch += 1
            values = self.get_lr()
        else:
            self.last_epoch = epoch
            closed_form: Callable[[], list[float]] | None = getattr(
                self, "_get_closed_form_lr", None)
            values = closed_form() if closed_form is not None else self.get_lr()
        for group, lr in zip(self.optimizer.param_groups, values):
            group["lr"] = lr
        self._last_lr = _group_values(self.optimizer, "lr")

    def state_dict(self) -> dict[str, Any]:
        """A snapshot of the schedule's attributes (not the optimizer, not functions)."""
        skip = ("optimizer", *self._not_in_state)
        return {k: copy.deepcopy(v) for k, v in self.__dict__.items() if k not in skip}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore the attributes saved by :meth:`state_dict`."""
        if not isinstance(state_dict, dict):
            raise TypeError(f"{type(self).__name__}.load_state_dict: expected a dict, got "
                            f"{type(state_dict).__name__}")
        skip = ("optimizer", *self._not_in_state)
        self.__dict__.update({k: copy.deepcopy(v) for k, v in state_dict.items()
                              if k not in skip})


def _check_optimizer(optimizer: Any, where: str) -> Optimizer:
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"{where}: expected an Optimizer, got {type(optimizer).__name__}")
    return optimizer


def _group_values(optimizer: Optimizer, key: str) -> list[Any]:
    return [group[key] for group in optimizer.param_groups]


def _per_group(name: str, optimizer: Optimizer, value: Any) -> list[Any]:
    """One value per parameter group: a list/tuple of that length, or one value repeated."""
    n = len(optimizer.param_groups)
    if isinstance(value, (list, tuple)):
        if len(value) != n:
            raise ValueError(f"{name} must have the same length as optimizer.param_groups. "
                             f"{name} has {len(value)} values, param_groups has {n}.")
        return list(value)
    return [value] * n


def _function_state(fns: list[Callable[..., Any]]) -> list[Any]:
    """Plain functions are not saved (as PyTorch); callable objects save their ``__dict__``."""
    return [None if isinstance(fn, types.FunctionType) else copy.deepcopy(fn.__dict__)
            for fn in fns]
