"""Adam and AdamW: adaptive moment estimation (Kingma & Ba 2015; Loshchilov & Hutter 2019)."""
from __future__ import annotations

from typing import Any, Callable, Iterable

import numpy as np

from ..tensor import _make
from ._validate import check_adam_like, check_torch_flags
from .optimizer import Optimizer, update_grad

__all__ = ["Adam", "AdamW"]


class Adam(Optimizer):
    """Adam (PyTorch's ``torch.optim.Adam``): steps scaled by running moments of the gradient.

    At step t, with g the gradient (plus λθ when weight_decay=λ)::

        m = β1 m + (1 - β1) g                 (first moment)
        v = β2 v + (1 - β2) g²                (second moment; amsgrad keeps max(v) too)
        θ = θ - lr · m / (1 - β1^t) / (√(v / (1 - β2^t)) + eps)

    Shape
    -----
    Parameters of any shape; ``exp_avg`` and ``exp_avg_sq`` have the parameter's shape.

    Example
    -------
    >>> import chainrule as cr
    >>> w = cr.nn.Parameter(cr.tensor([1.0, -2.0]))
    >>> opt = cr.optim.Adam([w], lr=0.1)
    >>> (w * w).sum().backward(); opt.step(); w    # the first step moves each weight by ~lr
    Parameter containing:
    tensor([ 0.9000, -1.9000], requires_grad=True)
    """

    _param_shaped_state = ("exp_avg", "exp_avg_sq", "max_exp_avg_sq")
    _decoupled = False

    def __init__(self, params: Iterable[Any], lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, amsgrad: bool = False, *,
                 maximize: bool = False, **flags: Any) -> None:
        check_torch_flags(type(self).__name__, flags, ("foreach", "capturable", "differentiable",
                                                       "fused", "decoupled_weight_decay"))
        if "decoupled_weight_decay" in flags:  # Adam(decoupled_weight_decay=True) is AdamW
            self._decoupled = bool(flags["decoupled_weight_decay"])
        defaults = dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay,
                        amsgrad=amsgrad, maximize=maximize)
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
            amsgrad = group["amsgrad"]
            exp_avgs, exp_avg_sqs, max_sqs, steps = [], [], [], []
            for p in params:
                s = self.state[p]
                if not s:
                    s["step"] = 0
                    s["exp_avg"] = _make(np.zeros_like(p._data))
                    s["exp_avg_sq"] = _make(np.zeros_like(p._data))
                if amsgrad and "max_exp_avg_sq" not in s:
                    s["max_exp_avg_sq"] = _make(np.zeros_like(p._data))
                s["step"] += 1
                steps.append(s["step"])
                exp_avgs.append(s["exp_avg"]._data)
                exp_avg_sqs.append(s["exp_avg_sq"]._data)
                max_sqs.append(s["max_exp_avg_sq"]._data if amsgrad else None)
            beta1, beta2 = group["betas"]
            _adam([p._data for p in params], [p.grad._data for p in params],  # type: ignore[union-attr]
                  exp_avgs, exp_avg_sqs, max_sqs, steps, lr=group["lr"], beta1=beta1,
                  beta2=beta2, eps=group["eps"], weight_decay=group["weight_decay"],
                  amsgrad=amsgrad, maximize=group["maximize"], decoupled=self._decoupled)
            self._bump_versions(params)
        return loss


class AdamW(Adam):
    """AdamW (PyTorch's ``torch.optim.AdamW``): Adam with decoupled weight decay.

    The decay shrinks the weights directly, ``θ = θ (1 - lr λ)``, before the Adam
    step, instead of being added to the gradient (where Adam's scaling would undo it).

    Shape
    -----
    Parameters of any shape; the moments have the parameter's shape.

    Example
    -------
    >>> import chainrule as cr
    >>> w = cr.nn.Parameter(cr.tensor([1.0, -2.0]))
    >>> opt = cr.optim.AdamW([w], lr=0.1, weight_decay=0.5)
    >>> (w * w).sum().backward(); opt.step(); w    # (1 - 0.05) w, then the Adam step
    Parameter containing:
    tensor([ 0.8500, -1.8000], requires_grad=True)
    """

    _decoupled = True

    def __init__(self, params: Iterable[Any], lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2, amsgrad: bool = False, *,
                 maximize: bool = False, **flags: Any) -> None:
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                         amsgrad=amsgrad, maximize=maximize, **flags)


def _adam(params: list[np.ndarray], grads: list[np.ndarray], exp_avgs: list[np.ndarray],
          exp_avg_sqs: list[np.ndarray], max_exp_avg_sqs: list[Any], steps: list[int], *,
          lr: float, beta1: float, beta2: float, eps: float, weight_decay: float,
          amsgrad: bool, maximize: bool, decoupled: bool) -> None:
    """Adam on lists of arrays, in place (``steps`` already count this step)."""
    for theta, g, m, v, v_max, t in zip(params, grads, exp_avgs, exp_avg_sqs,
                                         max_exp_avg_sqs, steps):
        g = update_grad(theta, g, weight_decay, maximize, lr, decoupled)  # -g; λ θ or AdamW's
        scratch = np.multiply(g, 1 - beta1)
        m *= beta1                                              # m = β1 m + (1 - β1) g
        m += scratch
        np.multiply(g, g, out=scratch)
        scratch *= 1 - beta2
        v *= beta2                                              # v = β2 v + (1 - β2) g²
        v += scratch
        if amsgrad:
            np.maximum(v_max, v, out=v_max)                     # v_max = max(v_max, v)
        # lr/(1-β1^t) · m / (√v/c + eps) with c = √(1-β2^t), as  lr·c/(1-β1^t) · m / (√v + eps·c):
        # the same step with one pass less over the arrays
        c = (1 - beta2 ** t) ** 0.5
        step_size = lr * c / (1 - beta1 ** t)
        denom = np.sqrt(v_max if amsgrad else v, out=scratch)
        denom += eps * c
        np.divide(m, denom, out=scratch)
        scratch *= step_size
        theta -= scratch                                        # θ = θ - step m / denom
