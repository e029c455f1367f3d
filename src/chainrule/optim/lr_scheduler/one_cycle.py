"""OneCycleLR: warm up to max_lr, then anneal far below the start (Smith & Topin 2019)."""
from __future__ import annotations

import math
from typing import Any

from ..optimizer import Optimizer
from .base import LRScheduler, _check_optimizer, _per_group
from .cyclic import _momentum_kind, _set_momentum

__all__ = ["OneCycleLR"]


def _positive_int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"Expected positive integer {name}, but got {value}")
    return value


class OneCycleLR(LRScheduler):
    """The 1cycle policy (PyTorch's ``OneCycleLR``), stepped after every batch.

    Phases (by step): from initial_lr = max_lr / div_factor up to max_lr during
    ``pct_start`` of ``total_steps``, then down to initial_lr / final_div_factor;
    with ``three_phase`` down to initial_lr symmetrically first, then to the
    minimum. Annealing is cosine or linear; with ``cycle_momentum`` the momentum
    (SGD's or Adam's beta1) moves from max_momentum to base_momentum and back.

    Example
    -------
    >>> import chainrule as cr
    >>> opt = cr.optim.SGD([cr.nn.Parameter(cr.zeros(1))], lr=1.0, momentum=0.9)
    >>> sched = cr.optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=5,
    ...                                           anneal_strategy="linear", pct_start=0.4)
    >>> lrs = []
    >>> for _ in range(4):
    ...     lrs.append(round(sched.get_last_lr()[0], 6)); opt.step(); sched.step()
    >>> lrs + [round(sched.get_last_lr()[0], 6)]    # up to max_lr, down to 1 / 25 / 1e4
    [0.04, 1.0, 0.666668, 0.333336, 4e-06]
    """

    def __init__(self, optimizer: Optimizer, max_lr: float | list[float],
                 total_steps: int | None = None, epochs: int | None = None,
                 steps_per_epoch: int | None = None, pct_start: float = 0.3,
                 anneal_strategy: str = "cos", cycle_momentum: bool = True,
                 base_momentum: float | list[float] = 0.85,
                 max_momentum: float | list[float] = 0.95, div_factor: float = 25.0,
                 final_div_factor: float = 1e4, three_phase: bool = False,
                 last_epoch: int = -1) -> None:
        _check_optimizer(optimizer, "OneCycleLR")
        if total_steps is not None:
            self.total_steps = _positive_int(total_steps, "total_steps")
        elif epochs is not None and steps_per_epoch is not None:
            self.total_steps = (_positive_int(epochs, "epochs")
                                * _positive_int(steps_per_epoch, "steps_per_epoch"))
        else:
            raise ValueError("You must define either total_steps OR (epochs AND steps_per_epoch)")
        if isinstance(pct_start, bool) or not isinstance(pct_start, float) \
                or not 0 <= pct_start <= 1:
            raise ValueError(f"Expected float between 0 and 1 pct_start, but got {pct_start}")
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError("anneal_strategy must be one of 'cos' or 'linear', instead got "
                             f"{anneal_strategy}")
        up_end = float(pct_start * self.total_steps) - 1
        self._schedule_phases: list[dict[str, Any]]
        if three_phase:
            self._schedule_phases = [
                dict(end_step=up_end, start_lr="initial_lr", end_lr="max_lr",
                     start_momentum="max_momentum", end_momentum="base_momentum"),
                dict(end_step=float(2 * pct_start * self.total_steps) - 2, start_lr="max_lr",
                     end_lr="initial_lr", start_momentum="base_momentum",
                     end_momentum="max_momentum"),
                dict(end_step=self.total_steps - 1, start_lr="initial_lr", end_lr="min_lr",
                     start_momentum="max_momentum", end_momentum="max_momentum")]
        else:
            self._schedule_phases = [
                dict(end_step=up_end, start_lr="initial_lr", end_lr="max_lr",
                     start_momentum="max_momentum", end_momentum="base_momentum"),
                dict(end_step=self.total_steps - 1, start_lr="max_lr", end_lr="min_lr",
                     start_momentum="base_momentum", end_momentum="max_momentum")]
        self._anneal_func_type = anneal_strategy
        max_lrs = _per_group("max_lr", optimizer, max_lr)
        self.cycle_momentum = cycle_momentum
        self.use_beta1 = False
        if cycle_momentum:
            self.use_beta1 = _momentum_kind(optimizer, "OneCycleLR")
            max_momentums = _per_group("max_momentum", optimizer, max_momentum)
            base_momentums = _per_group("base_momentum", optimizer, base_momentum)
        # all checks done: now change the optimizer
        if last_epoch == -1:
            for group, m_lr in zip(optimizer.param_groups, max_lrs):
                group["initial_lr"] = m_lr / div_factor
                group["max_lr"] = m_lr
                group["min_lr"] = group["initial_lr"] / final_div_factor
            if cycle_momentum:
                _set_momentum(optimizer, max_momentums, self.use_beta1)
                for group, m_max, m_base in zip(optimizer.param_groups, max_momentums,
                                                base_momentums):
                    group["max_momentum"] = m_max
                    group["base_momentum"] = m_base
        super().__init__(optimizer, last_epoch)

    def _anneal(self, start: float, end: float, pct: float) -> float:
        if self._anneal_func_type == "cos":  # cosine from start (pct 0) to end (pct 1)
            return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)
        return (end - start) * pct + start

    def get_lr(self) -> list[float]:
        step = self.last_epoch
        if step > self.total_steps:
            raise ValueError(f"Tried to step {step} times. The specified number of total "
                             f"steps is {self.total_steps}")
        lrs, momentums = [], []
        for group in self.optimizer.param_groups:
            start_step = 0.0
            for i, phase in enumerate(self._schedule_phases):
                end_step = phase["end_step"]
                if step <= end_step or i == len(self._schedule_phases) - 1:
                    pct = (step - start_step) / (end_step - start_step)
                    lrs.append(self._anneal(group[phase["start_lr"]], group[phase["end_lr"]],
                                            pct))
                    if self.cycle_momentum:
                        momentums.append(self._anneal(group[phase["start_momentum"]],
                                                      group[phase["end_momentum"]], pct))
                    break
                start_step = phase["end_step"]
        if self.cycle_momentum:
            _set_momentum(self.optimizer, momentums, self.use_beta1)
        return lrs
