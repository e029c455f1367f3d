"""Hyperparameter checks with PyTorch's messages ("Invalid learning rate: -0.1")."""
from __future__ import annotations

import numbers
from typing import Any


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"Invalid {what}: expected a real number, got {type(value).__name__}")
    return float(value)


def check_lr(lr: Any) -> None:
    if not 0.0 <= _number(lr, "learning rate"):
        raise ValueError(f"Invalid learning rate: {lr}")


def check_nonneg(value: Any, what: str) -> None:
    """``Invalid <what>: <value>`` unless 0 <= value (what: 'momentum value', 'epsilon value')."""
    if not 0.0 <= _number(value, what):
        raise ValueError(f"Invalid {what}: {value}")


def check_betas(betas: Any) -> None:
    if not isinstance(betas, (tuple, list)) or len(betas) != 2:
        raise TypeError(f"Invalid betas: expected a pair (beta1, beta2), got {betas!r}")
    for i, beta in enumerate(betas):
        if not 0.0 <= _number(beta, f"beta parameter at index {i}") < 1.0:
            raise ValueError(f"Invalid beta parameter at index {i}: {beta}")


def check_adam_like(group: dict[str, Any]) -> None:
    """lr, eps, betas and weight_decay of an Adam-family group (Adam, AdamW, Adamax, NAdam,
    RAdam), checked as torch checks them."""
    check_lr(group["lr"])
    check_nonneg(group["eps"], "epsilon value")
    check_betas(group["betas"])
    check_nonneg(group["weight_decay"], "weight_decay value")


def check_unit(value: Any, what: str) -> None:
    """``Invalid <what>: <value>`` unless 0 <= value <= 1 (Adadelta's rho)."""
    if not 0.0 <= _number(value, what) <= 1.0:
        raise ValueError(f"Invalid {what}: {value}")


def check_torch_flags(where: str, flags: dict[str, Any], allowed: tuple[str, ...]) -> None:
    """Accept PyTorch's implementation switches (``foreach``, ``fused``, ``capturable``,
    ``differentiable``): chainrule has one NumPy implementation, so they change nothing;
    ``differentiable=True`` (autograd through the step) is refused."""
    for name in flags:
        if name not in allowed:
            raise TypeError(f"{where}.__init__() got an unexpected keyword argument {name!r}")
    if flags.get("differentiable"):
        raise ValueError(f"{where}: expected differentiable=False, got True; chainrule's "
                         "optimizer steps are not recorded by autograd")
