"""Rprop: resilient backpropagation, steps from the gradient's sign only (Riedmiller & Braun
1993)."""
from __future__ import annotations

from typing import Any, Callable, Iterable

import numpy as np

from ..tensor import _make
from ._validate import _number, check_lr, check_torch_flags
from .optimizer import Optimizer

__all__ = ["Rprop"]


class Rprop(Optimizer):
    """Rprop (PyTorch's ``torch.optim.Rprop``): each weight has its own step size.

    With g the gradient and g' the previous one (set to 0 after a sign change)::

        s = clamp(s · η+, *step_sizes) where g g' > 0;  clamp(s · η-, ...) and g = 0 where
            g g' < 0;  s unchanged where g g' = 0        (s starts at lr)
        θ = θ - sign(g) s

    Full-batch training is what it is made for: mini-batch noise flips signs.

    Shape
    -----
    Parameters of any shape; ``prev`` and ``step_size`` have the parameter's shape.

    Example
    -------
    >>> import chainrule as cr
    >>> w = cr.nn.Parameter(cr.tensor([1.0, -2.0]))
    >>> opt = cr.optim.Rprop([w], lr=0.5)
    >>> (w * w).sum().backward(); opt.step(); w    # θ - sign(g) lr
    Parameter containing:
    tensor([ 0.5000, -1.5000], requires_grad=True)
    """

    _param_shaped_state = ("prev", "step_size")

    def __init__(self, params: Iterable[Any], lr: float = 1e-2,
                 etas: tuple[float, float] = (0.5, 1.2),
                 step_sizes: tuple[float, float] = (1e-6, 50), *, maximize: bool = False,
                 **flags: Any) -> None:
        check_torch_flags("Rprop", flags, ("foreach", "capturable", "differentiable"))
        defaults = dict(lr=lr, etas=_pair(etas), step_sizes=_pair(step_sizes),
                        maximize=maximize)
        self._check_hyper(defaults)
        super().__init__(params, defaults)

    @staticmethod
    def _check_hyper(group: dict[str, Any]) -> None:
        check_lr(group["lr"])
        for name in ("etas", "step_sizes"):
            pair = group[name]
            if not isinstance(pair, (tuple, list)) or len(pair) != 2:
                raise TypeError(f"Invalid {name}: expected a pair, got {pair!r}")
            for x in pair:
                _number(x, name[:-1])
        etaminus, etaplus = group["etas"]
        if not 0.0 < etaminus < 1.0 < etaplus:
            raise ValueError(f"Invalid eta values: {etaminus}, {etaplus}")

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One update of every parameter that has a gradient; returns ``closure()`` if given."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            params = self._params_with_grad(group)
            if not params:
                continue
            etaminus, etaplus = group["etas"]
            step_min, step_max = group["step_sizes"]
            for p in params:
                s = self._step_state(p, ("prev",))
                if "step_size" not in s:
                    s["step_size"] = _make(np.full_like(p._data, group["lr"]))
                theta, g = p._data, p.grad._data  # type: ignore[union-attr]
                prev, size = s["prev"]._data, s["step_size"]._data
                if group["maximize"]:
                    g = -g
                sign = np.sign(g * prev)
                factor = np.where(sign > 0, etaplus, np.where(sign < 0, etaminus, 1.0))
                size *= factor.astype(size.dtype, copy=False)
                np.clip(size, step_min, step_max, out=size)
                g = np.where(sign < 0, 0, g).astype(g.dtype, copy=False)  # forget flipped ones
                theta -= np.sign(g) * size                  # θ = θ - sign(g) s
                np.copyto(prev, g)
            self._bump_versions(params)
        return loss


def _pair(value: Any) -> Any:
    return tuple(value) if isinstance(value, (tuple, list)) else value
