"""LambdaLR and MultiplicativeLR: schedules from a user's function of the epoch."""
from __future__ import annotations

from typing import Any, Callable

from ..optimizer import Optimizer
from .base import LRScheduler, _function_state, _group_values

__all__ = ["LambdaLR", "MultiplicativeLR"]


def _lambdas(optimizer: Optimizer, lr_lambda: Any, where: str) -> list[Callable[[int], float]]:
    n = len(optimizer.param_groups)
    fns = list(lr_lambda) if isinstance(lr_lambda, (list, tuple)) else [lr_lambda] * n
    if len(fns) != n:
        raise ValueError(f"Expected {n} lr_lambdas, but got {len(fns)}")
    for fn in fns:
        if not callable(fn):
            raise TypeError(f"{where}: lr_lambda should be a function, but got "
                            f"{type(fn).__name__}")
    return fns


class _FunctionSchedule(LRScheduler):
    _not_in_state = ("lr_lambdas",)
    lr_lambdas: list[Callable[[int], float]]

    def state_dict(self) -> dict[str, Any]:
        state = super().state_dict()
        state["lr_lambdas"] = _function_state(self.lr_lambdas)
        return state

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        super().load_state_dict(state_dict)
        for fn, saved in zip(self.lr_lambdas, state_dict.get("lr_lambdas") or ()):
            if saved is not None:
                fn.__dict__.update(saved)


class LambdaLR(_FunctionSchedule):
    """lr = initial_lr · lr_lambda(epoch), one function or one per group (PyTorch's ``LambdaLR``).

    Functions are not saved by ``state_dict`` (callable objects save their ``__dict__``).

    Example
    -------
    >>> import chainrule as cr
    >>> opt = cr.optim.SGD([cr.nn.Parameter(cr.zeros(1))], lr=1.0)
    >>> sched = cr.optim.lr_scheduler.LambdaLR(opt, lambda epoch: 1 / (epoch + 1))
    >>> lrs = []
    >>> for _ in range(3):
    ...     lrs.append(sched.get_last_lr()[0]); opt.step(); sched.step()
    >>> lrs
    [1.0, 0.5, 0.3333333333333333]
    """

    def __init__(self, optimizer: Optimizer,
                 lr_lambda: Callable[[int], float] | list[Callable[[int], float]],
                 last_epoch: int = -1) -> None:
        self.lr_lambdas = _lambdas(optimizer, lr_lambda, "LambdaLR")
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        return [base_lr * fn(self.last_epoch)
                for fn, base_lr in zip(self.lr_lambdas, self.base_lrs)]


class MultiplicativeLR(_FunctionSchedule):
    """lr = lr · lr_lambda(epoch) at every step after the first (PyTorch's ``MultiplicativeLR``).

    Example
    -------
    >>> import chainrule as cr
    >>> opt = cr.optim.SGD([cr.nn.Parameter(cr.zeros(1))], lr=1.0)
    >>> sched = cr.optim.lr_scheduler.MultiplicativeLR(opt, lambda epoch: 0.5)
    >>> lrs = []
    >>> for _ in range(3):
    ...     lrs.append(sched.get_last_lr()[0]); opt.step(); sched.step()
    >>> lrs
    [1.0, 0.5, 0.25]
    """

    def __init__(self, optimizer: Optimizer,
                 lr_lambda: Callable[[int], float] | list[Callable[[int], float]],
                 last_epoch: int = -1) -> None:
        self.lr_lambdas = _lambdas(optimizer, lr_lambda, "MultiplicativeLR")
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        if self._is_initial:
            return _group_values(self.optimizer, "lr")
        return [group["lr"] * fn(self.last_epoch)
                for fn, group in zip(self.lr_lambdas, self.optimizer.param_groups)]
