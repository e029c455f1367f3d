"""Adamax: Adam with the infinity norm of past gradients as its scale (Kingma & Ba 2015, §7)."""
from __future__ import annotations

from typing import Any, Callable, Iterable

import numpy as np

from ._validate import check_adam_like, check_torch_flags
from .optimizer import Optimizer, update_grad

__all__ = ["Adamax"]


class Adamax(Optimizer):
    """Adamax (PyTorch's ``torch.optim.Adamax``).

    At step t, with g the gradient (plus λθ when weight_decay=λ)::

        m = β1 m + (1 - β1) g
        u = max(β2 u, |g| + eps)              (exponentially weighted infinity norm)
        θ = θ - lr / (1 - β1^t) · m / u

    Shape
    -----
    Parameters of any shape; ``exp_avg`` and ``exp_inf`` have the parameter's shape.

    Example
    -------
    >>> import chainrule as cr
    >>> w = cr.nn.Parameter(cr.tensor([1.0, -2.0]))
    >>> opt = cr.optim.Adamax([w], lr=0.1)
    >>> (w * w).sum().backward(); opt.step(); w    # the first step moves each weight by ~lr
    Parameter containing:
    tensor([ 0.9000, -1.9000], requires_grad=True)
    """

    _param_shaped_state = ("exp_avg", "exp_inf")

    def __init__(self, params: Iterable[Any], lr: float = 2e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, foreach: bool | None = None, *,
                 maximize: bool = False, **flags: Any) -> None:
        check_torch_flags("Adamax", flags, ("capturable", "differentiable"))
        defaults = dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay,
                        maximize=maximize)
        self._check_hyper(defaults)
        super().__init__(params, defaults)

    _check_hyper = staticmethod(check_adam_like)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One update of every parameter that has a gradient; returns ``closure()`` if given."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            params = self._params_with_grad(group)
            if not params:
                continue
            exp_avgs, exp_infs, steps = [], [], []
            for p in params:
                s = self._step_state(p, ("exp_avg", "exp_inf"))
                steps.append(s["step"])
                exp_avgs.append(s["exp_avg"]._data)
                exp_infs.append(s["exp_inf"]._data)
            beta1, beta2 = group["betas"]
            _adamax([p._data for p in params], [p.grad._data for p in params],  # type: ignore[union-attr]
                    exp_avgs, exp_infs, steps, lr=group["lr"], beta1=beta1, beta2=beta2,
                    eps=group["eps"], weight_decay=group["weight_decay"],
                    maximize=group["maximize"])
            self._bump_versions(params)
        return loss


def _adamax(params: list[np.ndarray], grads: list[np.ndarray], exp_avgs: list[np.ndarray],
            exp_infs: list[np.ndarray], steps: list[int], *, lr: float, beta1: float,
            beta2: float, eps: float, weight_decay: float, maximize: bool) -> None:
    """Adamax on lists of arrays, in place (``steps`` already count this step)."""
    for theta, g, m, u, t in zip(params, grads, exp_avgs, exp_infs, steps):
        g = update_grad(theta, g, weight_decay, maximize)  # -g, + λ θ
        scratch = np.subtract(g, m)
        scratch *= 1 - beta1
        m += scratch                                    # m = β1 m + (1 - β1) g
        np.abs(g, out=scratch)
        scratch += eps
        u *= beta2
        np.maximum(u, scratch, out=u)                   # u = max(β2 u, |g| + eps)
        np.divide(m, u, out=scratch)
        scratch *= lr / (1 - beta1 ** t)
        theta -= scratch                                # θ = θ - lr/(1-β1^t) m / u
