"""Adadelta: step sizes from running averages of squared gradients and updates (Zeiler 2012)."""
from __future__ import annotations

from typing import Any, Callable, Iterable

import numpy as np

from ..tensor import _make
from ._validate import check_lr, check_nonneg, check_unit, check_torch_flags
from .optimizer import Optimizer, update_grad

__all__ = ["Adadelta"]


class Adadelta(Optimizer):
    """Adadelta (PyTorch's ``torch.optim.Adadelta``).

    With g the gradient (plus λθ when weight_decay=λ)::

        v = ρ v + (1 - ρ) g²
        Δ = √(u + eps) / √(v + eps) · g
        u = ρ u + (1 - ρ) Δ²
        θ = θ - lr Δ

    Shape
    -----
    Parameters of any shape; ``square_avg`` and ``acc_delta`` have the parameter's shape.

    Example
    -------
    >>> import chainrule as cr
    >>> w = cr.nn.Parameter(cr.tensor([3.0]))
    >>> opt = cr.optim.Adadelta([w], rho=0.0, eps=1.0)
    >>> (w * w).sum().backward(); opt.step(); w    # Δ = √1 / √(36 + 1) · 6
    Parameter containing:
    tensor([2.0136], requires_grad=True)
    """

    _param_shaped_state = ("square_avg", "acc_delta")

    def __init__(self, params: Iterable[Any], lr: float = 1.0, rho: float = 0.9,
                 eps: float = 1e-6, weight_decay: float = 0, *,
                 maximize: bool = False,
                 **flags: Any) -> None:
        check_torch_flags("Adadelta", flags, ('capturable', 'foreach', 'differentiable'))
        defaults = dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize)
        self._check_hyper(defaults)
        super().__init__(params, defaults)

    @staticmethod
    def _check_hyper(group: dict[str, Any]) -> None:
        check_lr(group["lr"])
        check_unit(group["rho"], "rho value")
        check_nonneg(group["eps"], "epsilon value")
        check_nonneg(group["weight_decay"], "weight_decay value")

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One update of every parameter that has a gradient; returns ``closure()`` if given."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            params = self._params_with_grad(group)
            if not params:
                continue
            square_avgs, acc_deltas = [], []
            for p in params:
                s = self.state[p]
                if not s:
                    s["step"] = 0
                    s["square_avg"] = _make(np.zeros_like(p._data))
                    s["acc_delta"] = _make(np.zeros_like(p._data))
                s["step"] += 1
                square_avgs.append(s["square_avg"]._data)
                acc_deltas.append(s["acc_delta"]._data)
            _adadelta([p._data for p in params], [p.grad._data for p in params],  # type: ignore[union-attr]
                      square_avgs, acc_deltas, lr=group["lr"], rho=group["rho"],
                      eps=group["eps"], weight_decay=group["weight_decay"],
                      maximize=group["maximize"])
            self._bump_versions(params)
        return loss


def _adadelta(params: list[np.ndarray], grads: list[np.ndarray], square_avgs: list[np.ndarray],
              acc_deltas: list[np.ndarray], *, lr: float, rho: float, eps: float,
              weight_decay: float, maximize: bool) -> None:
    """Adadelta on lists of arrays, in place."""
    for theta, g, v, u in zip(params, grads, square_avgs, acc_deltas):
        g = update_grad(theta, g, weight_decay, maximize)  # -g, + λ θ
        scratch = np.multiply(g, g)
        scratch *= 1 - rho
        v *= rho                                        # v = ρ v + (1 - ρ) g²
        v += scratch
        std = np.add(v, eps)
        np.sqrt(std, out=std)                           # √(v + eps)
        np.add(u, eps, out=scratch)
        np.sqrt(scratch, out=scratch)
        delta = scratch
        delta /= std
        delta *= g                                      # Δ = √(u + eps) / √(v + eps) · g
        np.multiply(delta, delta, out=std)
        std *= 1 - rho
        u *= rho                                        # u = ρ u + (1 - ρ) Δ²
        u += std
        delta *= lr
        theta -= delta                                  # θ = θ - lr Δ
