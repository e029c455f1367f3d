"""SGD: stochastic gradient descent, with optional (Nesterov) momentum and weight decay."""
from __future__ import annotations

from typing import Any, Callable, Iterable

import numpy as np

from ..tensor import _make
from ._validate import check_lr, check_nonneg, check_torch_flags
from .optimizer import Optimizer, update_grad

__all__ = ["SGD"]


class SGD(Optimizer):
    """Stochastic gradient descent (PyTorch's ``torch.optim.SGD``).

    With momentum μ, dampening τ and weight decay λ, each step does::

        g = ∇θ + λθ                  (negated first if maximize)
        b = g            on the first step, else  b = μ b + (1 - τ) g
        g = g + μ b      if nesterov,          else  g = b
        θ = θ - lr g

    Shape
    -----
    Parameters of any shape; the momentum buffer has the parameter's shape.

    Example
    -------
    >>> import chainrule as cr
    >>> w = cr.nn.Parameter(cr.tensor([1.0, -2.0]))
    >>> opt = cr.optim.SGD([w], lr=0.1, momentum=0.9)
    >>> for _ in range(2):
    ...     opt.zero_grad(); (w * w).sum().backward(); opt.step()
    >>> w    # 1 -> 0.8 -> 0.8 - 0.1 * (0.9 * 2 + 1.6) = 0.46
    Parameter containing:
    tensor([ 0.4600, -0.9200], requires_grad=True)
    """

    _param_shaped_state = ("momentum_buffer",)

    def __init__(self, params: Iterable[Any], lr: float = 1e-3, momentum: float = 0,
                 dampening: float = 0, weight_decay: float = 0, nesterov: bool = False, *,
                 maximize: bool = False,
                 **flags: Any) -> None:
        check_torch_flags("SGD", flags, ('foreach', 'differentiable', 'fused'))
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening,
                        weight_decay=weight_decay, nesterov=nesterov, maximize=maximize)
        self._check_hyper(defaults)
        super().__init__(params, defaults)

    @staticmethod
    def _check_hyper(group: dict[str, Any]) -> None:
        check_lr(group["lr"])
        check_nonneg(group["momentum"], "momentum value")
        check_nonneg(group["weight_decay"], "weight_decay value")
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One update of every parameter that has a gradient; returns ``closure()`` if given."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            params = self._params_with_grad(group)
            if not params:
                continue
            momentum = group["momentum"]
            if momentum != 0:
                states = [self.state[p] for p in params]
                buffers = [s.get("momentum_buffer") for s in states]
            else:
                buffers = [None] * len(params)
            bufs = [None if b is None else b._data for b in buffers]
            _sgd([p._data for p in params], [p.grad._data for p in params], bufs,  # type: ignore[union-attr]
                 lr=group["lr"], momentum=momentum, dampening=group["dampening"],
                 weight_decay=group["weight_decay"], nesterov=group["nesterov"],
                 maximize=group["maximize"])
            if momentum != 0:
                for s, b, arr in zip(states, buffers, bufs):
                    if b is None:
                        s["momentum_buffer"] = _make(arr)  # type: ignore[arg-type]
            self._bump_versions(params)
        return loss


def _sgd(params: list[np.ndarray], grads: list[np.ndarray],
         momentum_buffers: list[np.ndarray | None], *, lr: float, momentum: float,
         dampening: float, weight_decay: float, nesterov: bool, maximize: bool) -> None:
    """SGD on lists of arrays, in place; a None buffer is created (as a copy of g) and stored."""
    for i, (theta, g) in enumerate(zip(params, grads)):
        g = update_grad(theta, g, weight_decay, maximize)  # -g, + λ θ
        if momentum != 0:
            b = momentum_buffers[i]
            if b is None:
                b = momentum_buffers[i] = np.array(g)       # b_1 = g
            else:
                b *= momentum                                 # b = μ b + (1 - τ) g
                b += g if dampening == 0 else (1 - dampening) * g
            g = g + momentum * b if nesterov else b
        theta -= lr * g                                       # θ = θ - lr g
