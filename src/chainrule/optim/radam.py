"""RAdam: Adam with its adaptive step rectified while the variance estimate is unreliable
(Liu et al. 2020)."""
from __future__ import annotations

from typing import Any, Callable, Iterable

import numpy as np

from ._validate import check_adam_like, check_torch_flags
from .optimizer import Optimizer, update_grad

__all__ = ["RAdam"]


class RAdam(Optimizer):
    """RAdam (PyTorch's ``torch.optim.RAdam``).

    At step t, with g the gradient (plus λθ when weight_decay=λ; with
    ``decoupled_weight_decay=True`` θ = θ (1 - lr λ) instead, as AdamW)::

        m = β1 m + (1 - β1) g,   v = β2 v + (1 - β2) g²,   m̂ = m / (1 - β1^t)
        ρ∞ = 2 / (1 - β2) - 1,   ρ_t = ρ∞ - 2 t β2^t / (1 - β2^t)
        r = √((ρ_t - 4)(ρ_t - 2) ρ∞ / ((ρ∞ - 4)(ρ∞ - 2) ρ_t))
        θ = θ - lr m̂ r √(1 - β2^t) / (√v + eps)    if ρ_t > 5,
        θ = θ - lr m̂                               otherwise (SGD with momentum)

    Shape
    -----
    Parameters of any shape; ``exp_avg`` and ``exp_avg_sq`` have the parameter's shape.

    Example
    -------
    >>> import chainrule as cr
    >>> w = cr.nn.Parameter(cr.tensor([1.0, -2.0]))
    >>> opt = cr.optim.RAdam([w], lr=0.1)
    >>> (w * w).sum().backward(); opt.step(); w    # first steps: θ - lr m̂, here θ - 0.1 · 2θ
    Parameter containing:
    tensor([ 0.8000, -1.6000], requires_grad=True)
    """

    _param_shaped_state = ("exp_avg", "exp_avg_sq")

    def __init__(self, params: Iterable[Any], lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, decoupled_weight_decay: bool = False, *,
                 maximize: bool = False, **flags: Any) -> None:
        check_torch_flags("RAdam", flags, ("foreach", "capturable", "differentiable"))
        defaults = dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay,
                        decoupled_weight_decay=bool(decoupled_weight_decay), maximize=maximize)
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
            lr, eps, wd = group["lr"], group["eps"], group["weight_decay"]
            beta1, beta2 = group["betas"]
            rho_inf = 2 / (1 - beta2) - 1
            for p in params:
                s = self._step_state(p, ("exp_avg", "exp_avg_sq"))
                t = s["step"]
                theta, g = p._data, p.grad._data  # type: ignore[union-attr]
                m, v = s["exp_avg"]._data, s["exp_avg_sq"]._data
                g = update_grad(theta, g, wd, group["maximize"], lr,
                                group["decoupled_weight_decay"])  # -g; λ θ or AdamW's
                m += (g - m) * (1 - beta1)                  # m = β1 m + (1 - β1) g
                v *= beta2                                  # v = β2 v + (1 - β2) g²
                v += g * g * (1 - beta2)
                bias2 = 1 - beta2 ** t
                m_hat = m / (1 - beta1 ** t)
                rho_t = rho_inf - 2 * t * beta2 ** t / bias2
                if rho_t > 5.0:
                    rect = ((rho_t - 4) * (rho_t - 2) * rho_inf
                            / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
                    adaptive = bias2 ** 0.5 / (np.sqrt(v) + eps)
                    theta -= m_hat * lr * adaptive * rect
                else:
                    theta -= m_hat * lr
            self._bump_versions(params)
        return loss
