"""RMSNorm and GroupNorm (as ``torch.nn``), and the shrinkage activations."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ... import _dtype
from ...tensor import Tensor
from .. import _norms as N
from ..parameter import Parameter
from .module import Module

__all__ = ["GroupNorm", "Hardshrink", "RMSNorm", "Softshrink"]


def _dtype_of(dtype: Any) -> np.dtype:
    return _dtype.float_dtype(dtype)


class RMSNorm(Module):
    """x / √(mean(x²) + eps) over the last dims, times a learned ``weight`` (ones at start).

    Shape
    -----
    input (*, *normalized_shape), output the same.

    Example
    -------
    >>> import chainrule as cr
    >>> cr.nn.RMSNorm(2)(cr.tensor([[3.0, 4.0]])).detach().round(decimals=4)
    tensor([[0.8485, 1.1314]])
    """

    def __init__(self, normalized_shape: int | Sequence[int], eps: float | None = None,
                 elementwise_affine: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        self.normalized_shape = ((normalized_shape,) if isinstance(normalized_shape, int)
                                 else tuple(normalized_shape))
        self.eps, self.elementwise_affine = eps, elementwise_affine
        self.weight: Parameter | None
        if elementwise_affine:
            self.weight = Parameter(np.ones(self.normalized_shape, _dtype_of(dtype)))
        else:
            self.register_parameter("weight", None)

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return N.rms_norm(input, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}")


class GroupNorm(Module):
    """Normalise groups of channels per sample, then a per-channel scale and shift.

    Shape
    -----
    input (N, C, *), output the same; weight and bias (C,).
    """

    def __init__(self, num_groups: int, num_channels: int, eps: float = 1e-5,
                 affine: bool = True, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        if num_channels % num_groups:
            raise ValueError(f"GroupNorm: expected num_channels divisible by num_groups, got "
                             f"{num_channels} and {num_groups}")
        self.num_groups, self.num_channels, self.eps, self.affine = (num_groups, num_channels,
                                                                     eps, affine)
        d = _dtype_of(dtype)
        self.weight: Parameter | None
        self.bias: Parameter | None
        if affine:
            self.weight = Parameter(np.ones(num_channels, d))
        else:
            self.register_parameter("weight", None)
        if affine and bias:
            self.bias = Parameter(np.zeros(num_channels, d))
        else:
            self.register_parameter("bias", None)

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return N.group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}, "
                f"bias={self.bias is not None}")


class Hardshrink(Module):
    """x where |x| > lambd, else 0."""

    def __init__(self, lambd: float = 0.5) -> None:
        super().__init__()
        self.lambd = lambd

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return N.hardshrink(input, self.lambd)

    def extra_repr(self) -> str:
        return f"{self.lambd}"


class Softshrink(Hardshrink):
    """x ∓ lambd outside [-lambd, lambd], else 0."""

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return N.softshrink(input, self.lambd)
