"""CyclicLR: the rate cycles between base_lr and max_lr (Smith 2017), momentum inversely."""
from __future__ import annotations

import math
from typing import Any, Callable

from ..optimizer import Optimizer
from .base import LRScheduler, _check_optimizer, _function_state, _per_group

__all__ = ["CyclicLR"]


def _set_momentum(optimizer: Optimizer, momentums: list[float], use_beta1: bool) -> None:
    for group, momentum in zip(optimizer.param_groups, momentums):
        if use_beta1:
            group["betas"] = (momentum, *group["betas"][1:])
        else:
            group["momentum"] = momentum


def _momentum_kind(optimizer: Optimizer, where: str) -> bool:
    """True when the optimizer's momentum is Adam's beta1, False for SGD's momentum."""
    if "momentum" not in optimizer.defaults and "betas" not in optimizer.defaults:
        raise ValueError(f"{where}: optimizer must support momentum or beta1 with "
                         "`cycle_momentum` option enabled")
    return "betas" in optimizer.defaults


class CyclicLR(LRScheduler):
    """Cyclical learning rate (PyTorch's ``CyclicLR``), stepped after every batch.

    The rate rises linearly from base_lr to max_lr in ``step_size_up`` steps and
    falls back in ``step_size_down``; the amplitude is scaled per cycle by
    ``mode``: "triangular" (1), "triangular2" (halved each cycle) or "exp_range"
    (gamma^iterations), or by ``scale_fn``. With ``cycle_momentum`` the momentum
    (SGD's ``momentum`` or Adam's beta1) moves the opposite way, max to base.

    Example
    -------
    >>> import chainrule as cr
    >>> opt = cr.optim.SGD([cr.nn.Parameter(cr.zeros(1))], lr=1.0, momentum=0.9)
    >>> sched = cr.optim.lr_scheduler.CyclicLR(opt, base_lr=0.1, max_lr=0.5, step_size_up=2)
    >>> lrs = []
    >>> for _ in range(5):
    ...     lrs.append(round(sched.get_last_lr()[0], 6)); opt.step(); sched.step()
    >>> lrs, round(opt.param_groups[0]["momentum"], 6)
    ([0.1, 0.3, 0.5, 0.3, 0.1], 0.85)
    """

    _not_in_state = ("_scale_fn_custom",)

    def __init__(self, optimizer: Optimizer, base_lr: float | list[float],
                 max_lr: float | list[float], step_size_up: int = 2000,
                 step_size_down: int | None = None, mode: str = "triangular",
                 gamma: float = 1.0, scale_fn: Callable[[float], float] | None = None,
                 scale_mode: str = "cycle", cycle_momentum: bool = True,
                 base_momentum: float | list[float] = 0.8,
                 max_momentum: float | list[float] = 0.9, last_epoch: int = -1) -> None:
        _check_optimizer(optimizer, "CyclicLR")
        base_lrs = _per_group("base_lr", optimizer, base_lr)
        self.max_lrs = _per_group("max_lr", optimizer, max_lr)
        if mode not in ("triangular", "triangular2", "exp_range") and scale_fn is None:
            raise ValueError("mode is invalid and scale_fn is None")
        if scale_mode not in ("cycle", "iterations"):
            raise ValueError(f"CyclicLR: expected scale_mode 'cycle' or 'iterations', got "
                             f"{scale_mode!r}")
        up = float(step_size_up)
        down = float(step_size_down) if step_size_down is not None else up
        if up <= 0 or down < 0:
            raise ValueError(f"CyclicLR: expected step_size_up > 0 and step_size_down >= 0, "
                             f"got {step_size_up} and {step_size_down}")
        self.use_beta1 = False
        if cycle_momentum:
            self.use_beta1 = _momentum_kind(optimizer, "CyclicLR")
            self.base_momentums = _per_group("base_momentum", optimizer, base_momentum)
            self.max_momentums = _per_group("max_momentum", optimizer, max_momentum)
        # all checks done: now change the optimizer
        if last_epoch == -1:
            for lr, group in zip(base_lrs, optimizer.param_groups):
                group["lr"] = lr
            if cycle_momentum:
                _set_momentum(optimizer, self.max_momentums, self.use_beta1)
                for group, m_max, m_base in zip(optimizer.param_groups, self.max_momentums,
                                                self.base_momentums):
                    group["max_momentum"] = m_max
                    group["base_momentum"] = m_base
        self.total_size = up + down
        self.step_ratio = up / self.total_size
        self.mode = mode
        self.gamma = gamma
        self._scale_fn_custom = scale_fn
        self.scale_mode = scale_mode if scale_fn is not None else \
            ("iterations" if mode == "exp_range" else "cycle")
        self.cycle_momentum = cycle_momentum
        super().__init__(optimizer, last_epoch)
        self.base_lrs = base_lrs

    def scale_fn(self, x: float) -> float:
        """The amplitude factor at cycle (or iteration) ``x``."""
        if self._scale_fn_custom is not None:
            return self._scale_fn_custom(x)
        if self.mode == "triangular":
            return 1.0
        if self.mode == "triangular2":
            return 1 / (2.0 ** (x - 1))
        return self.gamma ** x

    def get_lr(self) -> list[float]:
        cycle = math.floor(1 + self.last_epoch / self.total_size)
        x = 1.0 + self.last_epoch / self.total_size - cycle  # position in the cycle, [0, 1)
        if x <= self.step_ratio:
            scale_factor = x / self.step_ratio
        else:
            scale_factor = (x - 1) / (self.step_ratio - 1)
        scale = self.scale_fn(cycle if self.scale_mode == "cycle" else self.last_epoch)
        lrs = [base_lr + (max_lr - base_lr) * scale_factor * scale
               for base_lr, max_lr in zip(self.base_lrs, self.max_lrs)]
        if self.cycle_momentum:
            momentums = [m_max - (m_max - m_base) * scale_factor * scale
                         for m_base, m_max in zip(self.base_momentums, self.max_momentums)]
            _set_momentum(self.optimizer, momentums, self.use_beta1)
        return lrs

    def state_dict(self) -> dict[str, Any]:
        state = super().state_dict()
        fn = self._scale_fn_custom
        state["_scale_fn_custom"] = None if fn is None else _function_state([fn])[0]
        return state

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        super().load_state_dict(state_dict)
        saved = state_dict.get("_scale_fn_custom")
        if saved is not None and self._scale_fn_custom is not None:
            self._scale_fn_custom.__dict__.update(saved)
