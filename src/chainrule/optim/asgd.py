"""ASGD: averaged stochastic gradient descent (Polyak & Juditsky 1992; Bottou's schedule)."""
from __future__ import annotations

from typing import Any, Callable, Iterable

import numpy as np

from ._validate import check_lr, check_nonneg, check_torch_flags
from .optimizer import Optimizer, update_grad

__all__ = ["ASGD"]


class ASGD(Optimizer):
    """Averaged SGD (PyTorch's ``torch.optim.ASGD``).

    At step t, with g the gradient (plus λθ when weight_decay=λ) and η, μ from the
    previous step (η = lr, μ = 1 at first)::

        θ = θ (1 - lambd η) - η g
        ax = ax + μ (θ - ax)                  (the running average; ax = θ while μ = 1)
        η = lr / (1 + lambd lr t)^alpha,   μ = 1 / max(1, t - t0)

    The averaged parameters are ``optimizer.state[p]["ax"]``; copy them into the model for
    evaluation, as with PyTorch.

    Shape
    -----
    Parameters of any shape; ``ax`` has the parameter's shape.

    Example
    -------
    >>> import chainrule as cr
    >>> w = cr.nn.Parameter(cr.tensor([1.0, -2.0]))
    >>> opt = cr.optim.ASGD([w], lr=0.25, lambd=0.0)
    >>> (w * w).sum().backward(); opt.step(); w    # plain SGD while lambd = 0
    Parameter containing:
    tensor([ 0.5000, -1.0000], requires_grad=True)
    """

    _param_shaped_state = ("ax",)

    def __init__(self, params: Iterable[Any], lr: float = 1e-2, lambd: float = 1e-4,
                 alpha: float = 0.75, t0: float = 1e6, weight_decay: float = 0,
                 foreach: bool | None = None, maximize: bool = False,
                 **flags: Any) -> None:
        check_torch_flags("ASGD", flags, ("capturable", "differentiable"))
        defaults = dict(lr=lr, lambd=lambd, alpha=alpha, t0=t0, weight_decay=weight_decay,
                        maximize=maximize)
        self._check_hyper(defaults)
        super().__init__(params, defaults)

    @staticmethod
    def _check_hyper(group: dict[str, Any]) -> None:
        check_lr(group["lr"])
        check_nonneg(group["weight_decay"], "weight_decay value")

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One update of every parameter that has a gradient; returns ``closure()`` if given."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            params = self._params_with_grad(group)
            if not params:
                continue
            lr, lambd, alpha, t0 = group["lr"], group["lambd"], group["alpha"], group["t0"]
            wd, maximize = group["weight_decay"], group["maximize"]
            for p in params:
                s = self._step_state(p, ("ax",), eta=float(lr), mu=1.0)
                theta, g, ax = p._data, p.grad._data, s["ax"]._data  # type: ignore[union-attr]
                g = update_grad(theta, g, wd, maximize)  # -g, + λ θ
                eta, mu = float(s["eta"]), float(s["mu"])
                theta *= 1 - lambd * eta                    # θ = θ (1 - lambd η)
                theta -= eta * g                            #     - η g
                if mu != 1:
                    ax += (theta - ax) * mu                 # ax = ax + μ (θ - ax)
                else:
                    np.copyto(ax, theta)
                t = s["step"]
                s["eta"] = lr / (1 + lambd * lr * t) ** alpha
                s["mu"] = 1 / max(1, t - t0)
            self._bump_versions(params)
        return loss
