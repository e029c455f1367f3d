"""Activation layers: each wraps one function of ``chainrule.nn.functional``.

``inplace=True`` is accepted (and shown in repr) so PyTorch code runs, but the result
is always computed out of place.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ... import _dtype
from ...tensor import Tensor
from .. import functional as F
from ..parameter import Parameter
from .module import Module

__all__ = ["ELU", "GELU", "LeakyReLU", "LogSoftmax", "PReLU", "ReLU", "SiLU", "Sigmoid",
           "Softmax", "Softplus", "Tanh"]


class _Inplace(Module):
    """An activation taking PyTorch's ``inplace`` flag (shown in repr, results out of place)."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""

    def _with_inplace(self, head: str) -> str:
        return head + (", inplace=True" if self.inplace else "")


class ReLU(_Inplace):
    """max(x, 0).

    Shape
    -----
    Any, kept.

    Example
    -------
    >>> import chainrule as cr
    >>> cr.nn.ReLU()(cr.tensor([-1.0, 2.0]))
    tensor([0., 2.])
    """

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.relu(input)


class LeakyReLU(_Inplace):
    """x if x > 0 else negative_slope·x. Shape: any, kept."""

    def __init__(self, negative_slope: float = 0.01, inplace: bool = False) -> None:
        super().__init__(inplace)
        self.negative_slope = negative_slope

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.leaky_relu(input, self.negative_slope)

    def extra_repr(self) -> str:
        return self._with_inplace(f"negative_slope={self.negative_slope}")


class Sigmoid(Module):
    """1 / (1 + e^-x), in (0, 1). Shape: any, kept."""

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.sigmoid(input)


class Tanh(Module):
    """tanh x, in (-1, 1). Shape: any, kept."""

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.tanh(input)


class Softmax(Module):
    """e^x / Σ e^x along ``dim``: each slice lies in [0, 1] and sums to 1.

    Shape
    -----
    Any, kept.

    Example
    -------
    >>> import chainrule as cr
    >>> cr.nn.Softmax(dim=1)(cr.tensor([[1.0, 1.0]]))
    tensor([[0.5000, 0.5000]])
    """

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.softmax(input, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class LogSoftmax(Softmax):
    """log softmax(x) along ``dim``, computed stably. Shape: any, kept."""

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.log_softmax(input, self.dim)


class GELU(Module):
    """x·Φ(x) (``approximate='tanh'``: the tanh approximation). Shape: any, kept."""

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        if approximate not in ("none", "tanh"):
            raise ValueError(f"GELU: expected approximate='none' or 'tanh', got {approximate!r}")
        self.approximate = approximate

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.gelu(input, self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class ELU(_Inplace):
    """x if x > 0 else alpha·(e^x - 1). Shape: any, kept."""

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__(inplace)
        self.alpha = alpha

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.elu(input, self.alpha)

    def extra_repr(self) -> str:
        return self._with_inplace(f"alpha={self.alpha}")


class SiLU(_Inplace):
    """x·sigmoid(x) (swish). Shape: any, kept."""

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.silu(input)


class Softplus(Module):
    """log(1 + e^(βx))/β, linear past ``threshold``. Shape: any, kept."""

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta, self.threshold = beta, threshold

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.softplus(input, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class PReLU(Module):
    """x if x > 0 else a·x, with a learned slope ``a`` (one, or one per channel of dim 1).

    Shape
    -----
    input (N, C, *) or any shape when num_parameters=1; weight (num_parameters,).

    Example
    -------
    >>> import chainrule as cr
    >>> cr.nn.PReLU()(cr.tensor([-2.0, 3.0]))
    tensor([-0.5000,  3.0000], grad_fn=<PReLUBackward>)
    """

    def __init__(self, num_parameters: int = 1, init: float = 0.25, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        if not isinstance(num_parameters, int) or num_parameters < 1:
            raise ValueError(f"PReLU: expected num_parameters >= 1, got {num_parameters!r}")
        self.num_parameters, self.init = num_parameters, init
        d = _dtype.float_dtype(dtype)
        self.weight = Parameter(np.full(num_parameters, init, d))

    def reset_parameters(self) -> None:
        self.weight._data[...] = self.init

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return F.prelu(input, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"
