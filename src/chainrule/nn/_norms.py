"""``F.rms_norm``, ``F.group_norm``, shrinkage activations and the in-place activation
variants (``F.relu_`` ...), composed from chainrule's ops."""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from .. import ops
from ..ops.numeric import hardshrink  # one hardshrink: Tensor's method and F's
from ..tensor import Tensor
from . import _activations as A

__all__ = ["celu_", "elu_", "group_norm", "hardshrink", "hardtanh_", "leaky_relu_", "relu_",
           "rms_norm", "selu_", "softshrink", "threshold_"]


def rms_norm(input: Tensor, normalized_shape: int | Sequence[int],  # noqa: A002
             weight: Tensor | None = None, eps: float | None = None) -> Tensor:
    """x / √(mean(x²) + eps) over the last dims (``normalized_shape``), times ``weight``;
    eps None is the dtype's machine epsilon (as PyTorch).

    Shape
    -----
    input (*, *normalized_shape); weight ``normalized_shape``.
    """
    ns = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    if tuple(input.shape[input.ndim - len(ns):]) != ns:
        raise ValueError(f"rms_norm: expected input with trailing shape {ns}, got shape "
                         f"{tuple(input.shape)}")
    if eps is None:
        eps = float(np.finfo(input._data.dtype).eps)
    dims = tuple(range(input.ndim - len(ns), input.ndim))
    y = input * ops.rsqrt((input * input).mean(dims, keepdim=True) + eps)
    return y if weight is None else y * weight


def group_norm(input: Tensor, num_groups: int, weight: Tensor | None = None,  # noqa: A002
               bias: Tensor | None = None, eps: float = 1e-5) -> Tensor:
    """Normalise each group of channels of each sample, then scale and shift per channel.

    Shape
    -----
    input (N, C, *) with C divisible by ``num_groups``; weight, bias (C,).
    """
    n, c = input.shape[0], input.shape[1]
    if c % num_groups:
        raise ValueError(f"group_norm: expected channels divisible by num_groups={num_groups}, "
                         f"got {c}")
    x = input.reshape(n, num_groups, -1)
    mean = x.mean(-1, keepdim=True)
    var = ((x - mean) ** 2).mean(-1, keepdim=True)
    y = ((x - mean) * ops.rsqrt(var + eps)).reshape(tuple(input.shape))
    pshape = (1, c) + (1,) * (input.ndim - 2)
    if weight is not None:
        y = y * weight.reshape(pshape)
    if bias is not None:
        y = y + bias.reshape(pshape)
    return y


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:  # noqa: A002
    """x - lambd above lambd, x + lambd below -lambd, else 0."""
    if lambd < 0:
        raise ValueError(f"softshrink: expected lambd >= 0, got {lambd}")
    return ops.where(input > lambd, input - lambd, ops.where(input < -lambd, input + lambd, 0.0))


def _in_place(fn: Callable[..., Tensor], name: str) -> Callable[..., Tensor]:
    def apply(input: Tensor, *args: Any, **kwargs: Any) -> Tensor:  # noqa: A002
        """Compute out of place, write into ``input``; in a graph, recorded as PyTorch's
        in-place ops are (the result's node reads a copy of the old value)."""
        return input._apply_inplace(name, fn, *args, **kwargs)
    apply.__name__ = apply.__qualname__ = name
    return apply


relu_ = _in_place(ops.relu, "relu_")
elu_ = _in_place(ops.elu, "elu_")
leaky_relu_ = _in_place(ops.leaky_relu, "leaky_relu_")
hardtanh_ = _in_place(A.hardtanh, "hardtanh_")
selu_ = _in_place(A.selu, "selu_")
celu_ = _in_place(A.celu, "celu_")
threshold_ = _in_place(A.threshold, "threshold_")
