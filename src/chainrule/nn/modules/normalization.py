"""BatchNorm1d (per-channel batch statistics, running averages for eval) and LayerNorm."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ... import _dtype
from ...autograd.grad_mode import state as _grad
from ...lint import state as _lint
from ...lint._steps import check_mode
from ...tensor import Tensor, _make
from .. import functional as F
from ..parameter import Parameter
from .module import Module

__all__ = ["BatchNorm1d", "LayerNorm"]


def _float_dtype(dtype: Any) -> np.dtype:
    return _dtype.float_dtype(dtype)


class BatchNorm1d(Module):
    """Normalise each channel over the batch (and length), then scale and shift.

    Training uses the batch statistics and updates ``running_mean`` /
    ``running_var`` (unbiased) with ``momentum`` (None: cumulative average);
    eval mode uses the running statistics. As ``torch.nn.BatchNorm1d``.

    Shape
    -----
    input (N, C) or (N, C, L), output the same; weight, bias and running stats (C,).

    Example
    -------
    >>> import chainrule as cr
    >>> bn = cr.nn.BatchNorm1d(2)
    >>> y = bn(cr.tensor([[1.0, 10.0], [3.0, 30.0]]))
    >>> y.detach().round(decimals=3), bn.running_mean
    (tensor([[-1., -1.],
            [ 1.,  1.]]), tensor([0.2000, 2.0000]))
    """

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1,
                 affine: bool = True, track_running_stats: bool = True, device: Any = None,
                 dtype: Any = None, *, bias: bool = True) -> None:
        super().__init__()
        if not isinstance(num_features, int) or num_features < 1:
            raise ValueError(f"BatchNorm1d: expected num_features >= 1, got {num_features!r}")
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        self.use_bias = affine and bias
        d = _float_dtype(dtype)
        self.weight: Parameter | None
        self.bias: Parameter | None
        if affine:
            self.weight = Parameter(np.ones(num_features, d))
        else:
            self.register_parameter("weight", None)
        if self.use_bias:
            self.bias = Parameter(np.zeros(num_features, d))
        else:
            self.register_parameter("bias", None)
        self.running_mean: Tensor | None
        self.running_var: Tensor | None
        self.num_batches_tracked: Tensor | None
        if track_running_stats:
            self.register_buffer("running_mean", _make(np.zeros(num_features, d)))
            self.register_buffer("running_var", _make(np.ones(num_features, d)))
            self.register_buffer("num_batches_tracked", _make(np.zeros((), np.int64)))
        else:
            for name in ("running_mean", "running_var", "num_batches_tracked"):
                self.register_buffer(name, None)

    def reset_running_stats(self) -> None:
        if self.running_mean is not None and self.running_var is not None:
            self.running_mean._data[...] = 0
            self.running_var._data[...] = 1
            self.num_batches_tracked._data[...] = 0  # type: ignore[union-attr]

    def reset_parameters(self) -> None:
        self.reset_running_stats()
        if self.weight is not None:
            self.weight._data[...] = 1
        if self.bias is not None:
            self.bias._data[...] = 0

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        shape = input.shape
        if len(shape) not in (2, 3) or shape[1] != self.num_features:
            c = self.num_features
            raise ValueError(f"{self._where()}: expected input of shape (N, {c}) or (N, {c}, L),"
                             f" got shape {shape}")
        if self.training is not _grad.enabled and _lint.on:  # linter: mode vs no_grad
            check_mode(self, input)
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.num_batches_tracked is not None:
            count = int(np.prod(shape)) // shape[1]
            if count <= 1:
                raise ValueError(f"{self._where()}: expected more than 1 value per channel when "
                                 f"training, got input shape {shape}")
            self.num_batches_tracked._data += 1
            if self.momentum is None:
                factor = 1.0 / float(self.num_batches_tracked._data)
        batch_stats = self.training or self.running_mean is None
        keep = not self.training or self.track_running_stats
        return F.batch_norm(input, self.running_mean if keep else None,
                            self.running_var if keep else None, self.weight, self.bias,
                            batch_stats, factor, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.affine}, bias={self.use_bias}, "
                f"track_running_stats={self.track_running_stats}")

    def _short_name(self) -> str:
        return f"BatchNorm1d {self.num_features}"


class LayerNorm(Module):
    """Normalise each sample over its last dims (``normalized_shape``), then scale and shift.

    Shape
    -----
    input (*, *normalized_shape), output the same; weight and bias ``normalized_shape``.

    Example
    -------
    >>> import chainrule as cr
    >>> ln = cr.nn.LayerNorm(2)
    >>> ln(cr.tensor([[1.0, 3.0]])).detach().round(decimals=3)
    tensor([[-1.,  1.]])
    """

    def __init__(self, normalized_shape: int | Sequence[int], eps: float = 1e-5,
                 elementwise_affine: bool = True, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        ns = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
        if not ns or not all(isinstance(n, int) and n >= 1 for n in ns):
            raise ValueError(f"LayerNorm: expected normalized_shape of positive ints, got "
                             f"{normalized_shape!r}")
        self.normalized_shape, self.eps = ns, eps
        self.elementwise_affine = elementwise_affine
        self.use_bias = elementwise_affine and bias
        d = _float_dtype(dtype)
        self.weight: Parameter | None
        self.bias: Parameter | None
        if elementwise_affine:
            self.weight = Parameter(np.ones(ns, d))
        else:
            self.register_parameter("weight", None)
        if self.use_bias:
            self.bias = Parameter(np.zeros(ns, d))
        else:
            self.register_parameter("bias", None)

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        k = len(self.normalized_shape)
        if input.ndim < k or input.shape[input.ndim - k:] != self.normalized_shape:
            raise ValueError(f"{self._where()}: expected input with trailing shape "
                             f"{self.normalized_shape}, got shape {input.shape}")
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}, bias={self.use_bias}")
