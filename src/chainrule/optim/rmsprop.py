"""RMSprop: divide the gradient by a running root mean square of recent gradients (Hinton)."""
from __future__ import annotations

from typing import Any, Callable, Iterable

import numpy as np

from ..tensor import _make
from ._validate import check_lr, check_nonneg, check_torch_flags
from .optimizer import Optimizer, update_grad

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    """RMSprop (PyTorch's ``torch.optim.RMSprop``).

    With g the gradient (plus λθ when weight_decay=λ)::

        v = α v + (1 - α) g²
        a = √(v - ḡ²) with ḡ = α ḡ + (1 - α) g   if centered,  else  a = √v
        b = μ b + g / (a + eps);  θ = θ - lr b     if momentum μ > 0,
        θ = θ - lr g / (a + eps)                   otherwise

    Shape
    -----
    Parameters of any shape; every state buffer has the parameter's shape.

    Example
    -------
    >>> import chainrule as cr
    >>> w = cr.nn.Parameter(cr.tensor([1.0, -2.0]))
    >>> opt = cr.optim.RMSprop([w], lr=0.01, alpha=0.75)
    >>> (w * w).sum().backward(); opt.step(); w    # g / √(0.25 g²) = 2 sign(g)
    Parameter containing:
    tensor([ 0.9800, -1.9800], requires_grad=True)
    """

    _param_shaped_state = ("square_avg", "momentum_buffer", "grad_avg")

    def __init__(self, params: Iterable[Any], lr: float = 1e-2, alpha: float = 0.99,
                 eps: float = 1e-8, weight_decay: float = 0, momentum: float = 0,
                 centered: bool = False, *, maximize: bool = False,
                 **flags: Any) -> None:
        check_torch_flags("RMSprop", flags, ('capturable', 'foreach', 'differentiable'))
        defaults = dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay,
                        momentum=momentum, centered=centered, maximize=maximize)
        self._check_hyper(defaults)
        super().__init__(params, defaults)

    @staticmethod
    def _check_hyper(group: dict[str, Any]) -> None:
        check_lr(group["lr"])
        check_nonneg(group["eps"], "epsilon value")
        check_nonneg(group["momentum"], "momentum value")
        check_nonneg(group["weight_decay"], "weight_decay value")
        check_nonneg(group["alpha"], "alpha value")

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One update of every parameter that has a gradient; returns ``closure()`` if given."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            params = self._params_with_grad(group)
            if not params:
                continue
            momentum, centered = group["momentum"], group["centered"]
            square_avgs, grad_avgs, buffers = [], [], []
            for p in params:
                s = self.state[p]
                if not s:
                    s["step"] = 0
                    s["square_avg"] = _make(np.zeros_like(p._data))
                if momentum > 0 and "momentum_buffer" not in s:
                    s["momentum_buffer"] = _make(np.zeros_like(p._data))
                if centered and "grad_avg" not in s:
                    s["grad_avg"] = _make(np.zeros_like(p._data))
                s["step"] += 1
                square_avgs.append(s["square_avg"]._data)
                grad_avgs.append(s["grad_avg"]._data if centered else None)
                buffers.append(s["momentum_buffer"]._data if momentum > 0 else None)
            _rmsprop([p._data for p in params], [p.grad._data for p in params],  # type: ignore[union-attr]
                     square_avgs, grad_avgs, buffers, lr=group["lr"], alpha=group["alpha"],
                     eps=group["eps"], weight_decay=group["weight_decay"], momentum=momentum,
                     centered=centered, maximize=group["maximize"])
            self._bump_versions(params)
        return loss


def _rmsprop(params: list[np.ndarray], grads: list[np.ndarray], square_avgs: list[np.ndarray],
             grad_avgs: list[Any], momentum_buffers: list[Any], *, lr: float, alpha: float,
             eps: float, weight_decay: float, momentum: float, centered: bool,
             maximize: bool) -> None:
    """RMSprop on lists of arrays, in place."""
    for theta, g, v, g_avg, b in zip(params, grads, square_avgs, grad_avgs, momentum_buffers):
        g = update_grad(theta, g, weight_decay, maximize)  # -g, + λ θ
        scratch = np.multiply(g, g)
        scratch *= 1 - alpha
        v *= alpha                                      # v = α v + (1 - α) g²
        v += scratch
        if centered:
            np.multiply(g, 1 - alpha, out=scratch)
            g_avg *= alpha                              # ḡ = α ḡ + (1 - α) g
            g_avg += scratch
            np.multiply(g_avg, g_avg, out=scratch)
            np.subtract(v, scratch, out=scratch)
            np.sqrt(scratch, out=scratch)               # a = √(v - ḡ²)
        else:
            np.sqrt(v, out=scratch)                     # a = √v
        scratch += eps
        np.divide(g, scratch, out=scratch)              # g / (a + eps)
        if momentum > 0:
            b *= momentum                               # b = μ b + g / (a + eps)
            b += scratch
            np.multiply(b, lr, out=scratch)
        else:
            scratch *= lr
        theta -= scratch                                # θ = θ - lr (b or g / (a + eps))
