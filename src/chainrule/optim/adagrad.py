"""Adagrad: per-coordinate learning rates from the sum of squared gradients (Duchi et al. 2011)."""
from __future__ import annotations

from typing import Any, Callable, Iterable

import numpy as np

from ..tensor import _make
from ._validate import check_lr, check_nonneg, check_torch_flags
from .optimizer import Optimizer, update_grad

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    """Adagrad (PyTorch's ``torch.optim.Adagrad``).

    At step t, with g the gradient (plus λθ when weight_decay=λ)::

        lr_t = lr / (1 + (t - 1) lr_decay)
        G = G + g²                      (G starts at initial_accumulator_value)
        θ = θ - lr_t g / (√G + eps)

    Shape
    -----
    Parameters of any shape; the accumulator ``sum`` has the parameter's shape.

    Example
    -------
    >>> import chainrule as cr
    >>> w = cr.nn.Parameter(cr.tensor([1.0, -2.0]))
    >>> opt = cr.optim.Adagrad([w], lr=0.1)
    >>> (w * w).sum().backward(); opt.step(); w    # g / √(g²) = sign(g)
    Parameter containing:
    tensor([ 0.9000, -1.9000], requires_grad=True)
    """

    _param_shaped_state = ("sum",)

    def __init__(self, params: Iterable[Any], lr: float = 1e-2, lr_decay: float = 0,
                 weight_decay: float = 0, initial_accumulator_value: float = 0,
                 eps: float = 1e-10, *, maximize: bool = False,
                 **flags: Any) -> None:
        check_torch_flags("Adagrad", flags, ('foreach', 'differentiable', 'fused'))
        defaults = dict(lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value,
                        maximize=maximize)
        self._check_hyper(defaults)
        super().__init__(params, defaults)
        for group in self.param_groups:  # as torch, the state exists from the start
            for p in group["params"]:
                self._init_state(p, group)

    @staticmethod
    def _check_hyper(group: dict[str, Any]) -> None:
        check_lr(group["lr"])
        check_nonneg(group["lr_decay"], "lr_decay value")
        check_nonneg(group["weight_decay"], "weight_decay value")
        check_nonneg(group["initial_accumulator_value"], "initial_accumulator_value value")
        check_nonneg(group["eps"], "epsilon value")

    def _init_state(self, p: Any, group: dict[str, Any]) -> dict[str, Any]:
        s = self.state[p]
        if not s:
            s["step"] = 0
            s["sum"] = _make(np.full_like(p._data, group["initial_accumulator_value"]))
        return s

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One update of every parameter that has a gradient; returns ``closure()`` if given."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            params = self._params_with_grad(group)
            if not params:
                continue
            sums, steps = [], []
            for p in params:
                s = self._init_state(p, group)  # a group added later starts here
                s["step"] += 1
                steps.append(s["step"])
                sums.append(s["sum"]._data)
            _adagrad([p._data for p in params], [p.grad._data for p in params],  # type: ignore[union-attr]
                     sums, steps, lr=group["lr"], lr_decay=group["lr_decay"],
                     weight_decay=group["weight_decay"], eps=group["eps"],
                     maximize=group["maximize"])
            self._bump_versions(params)
        return loss


def _adagrad(params: list[np.ndarray], grads: list[np.ndarray], state_sums: list[np.ndarray],
             steps: list[int], *, lr: float, lr_decay: float, weight_decay: float, eps: float,
             maximize: bool) -> None:
    """Adagrad on lists of arrays, in place (``steps`` already count this step)."""
    for theta, g, sq_sum, t in zip(params, grads, state_sums, steps):
        g = update_grad(theta, g, weight_decay, maximize)  # -g, + λ θ
        clr = lr / (1 + (t - 1) * lr_decay)             # lr_t = lr / (1 + (t - 1) decay)
        scratch = np.multiply(g, g)
        sq_sum += scratch                               # G = G + g²
        np.sqrt(sq_sum, out=scratch)
        scratch += eps
        np.divide(g, scratch, out=scratch)
        scratch *= clr
        theta -= scratch                                # θ = θ - lr_t g / (√G + eps)
