"""NAdam: Adam with Nesterov momentum (Dozat 2016), with PyTorch's momentum-decay schedule."""
from __future__ import annotations

from typing import Any, Callable, Iterable

import numpy as np

from ._validate import check_adam_like, check_nonneg, check_torch_flags
from .optimizer import Optimizer, update_grad

__all__ = ["NAdam"]


class NAdam(Optimizer):
    """NAdam (PyTorch's ``torch.optim.NAdam``).

    At step t, with g the gradient (plus λθ when weight_decay=λ; with
    ``decoupled_weight_decay=True`` θ = θ (1 - lr λ) instead, as AdamW)::

        μ_t = β1 (1 - ½ 0.96^(t ψ))           (ψ = momentum_decay), Π_t = μ_1 ··· μ_t
        m = β1 m + (1 - β1) g,   v = β2 v + (1 - β2) g²
        d = √(v / (1 - β2^t)) + eps
        θ = θ - lr (1 - μ_t) / (1 - Π_t) · g / d - lr μ_{t+1} / (1 - Π_t μ_{t+1}) · m / d

    Shape
    -----
    Parameters of any shape; ``exp_avg`` and ``exp_avg_sq`` have the parameter's shape.

    Example
    -------
    >>> import chainrule as cr
    >>> w = cr.nn.Parameter(cr.tensor([1.0, -2.0]))
    >>> opt = cr.optim.NAdam([w], lr=0.1)
    >>> (w * w).sum().backward(); opt.step(); w    # as torch: the Nesterov look-ahead adds ~6%
    Parameter containing:
    tensor([ 0.8944, -1.8944], requires_grad=True)
    """

    _param_shaped_state = ("exp_avg", "exp_avg_sq")

    def __init__(self, params: Iterable[Any], lr: float = 2e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, momentum_decay: float = 4e-3,
                 decoupled_weight_decay: bool = False, *, maximize: bool = False,
                 **flags: Any) -> None:
        check_torch_flags("NAdam", flags, ("foreach", "capturable", "differentiable"))
        defaults = dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay,
                        momentum_decay=momentum_decay,
                        decoupled_weight_decay=bool(decoupled_weight_decay), maximize=maximize)
        self._check_hyper(defaults)
        super().__init__(params, defaults)

    @staticmethod
    def _check_hyper(group: dict[str, Any]) -> None:
        check_adam_like(group)
        check_nonneg(group["momentum_decay"], "momentum_decay value")

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One update of every parameter that has a gradient; returns ``closure()`` if given."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            params = self._params_with_grad(group)
            if not params:
                continue
            lr, eps, wd = group["lr"], group["eps"], group["weight_decay"]
            beta1, beta2 = group["betas"]
            psi = group["momentum_decay"]
            for p in params:
                s = self._step_state(p, ("exp_avg", "exp_avg_sq"), mu_product=1.0)
                t = s["step"]
                theta, g = p._data, p.grad._data  # type: ignore[union-attr]
                m, v = s["exp_avg"]._data, s["exp_avg_sq"]._data
                g = update_grad(theta, g, wd, group["maximize"], lr,
                                group["decoupled_weight_decay"])  # -g; λ θ or AdamW's
                mu = beta1 * (1.0 - 0.5 * 0.96 ** (t * psi))
                mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((t + 1) * psi))
                mu_product = float(s["mu_product"]) * mu
                s["mu_product"] = mu_product
                m += (g - m) * (1 - beta1)                  # m = β1 m + (1 - β1) g
                v *= beta2                                  # v = β2 v + (1 - β2) g²
                v += g * g * (1 - beta2)
                denom = np.divide(v, 1 - beta2 ** t)
                np.sqrt(denom, out=denom)
                denom += eps                                # d = √(v / (1 - β2^t)) + eps
                theta += g / denom * (-lr * (1.0 - mu) / (1.0 - mu_product))
                theta += m / denom * (-lr * mu_next / (1.0 - mu_product * mu_next))
            self._bump_versions(params)
        return loss
