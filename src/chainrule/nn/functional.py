"""``chainrule.nn.functional`` (import as F): layers, activations and losses as functions,
with PyTorch's names and arguments.

Example
-------
>>> import chainrule as cr
>>> import chainrule.nn.functional as F
>>> F.relu(cr.tensor([-1.0, 2.0]))
tensor([0., 2.])
"""
from __future__ import annotations

import warnings
from typing import Any, Sequence

import numpy as np

from .. import ops
from ..ops.matmul import Linear as _Linear
from ..random import Generator, _rng
from ..tensor import Tensor
from . import _functions as _fn
from ._activations import (celu, cosine_similarity, glu, hardsigmoid, hardswish, hardtanh,
                           kl_div, logsigmoid, mish, pairwise_distance, relu6, selu, softmin,
                           softsign, tanhshrink, threshold)
from ._embedding import embedding
from ._pairwise import multilabel_margin_loss, pdist
from ._stochastic import feature_alpha_dropout, gumbel_softmax, rrelu, rrelu_
from ._norms import (celu_, elu_, group_norm, hardshrink, hardtanh_, leaky_relu_, relu_,
                     rms_norm, selu_, softshrink, threshold_)
from ._losses_more import (cosine_embedding_loss, gaussian_nll_loss, hinge_embedding_loss,
                           margin_ranking_loss, multilabel_soft_margin_loss, poisson_nll_loss,
                           soft_margin_loss, triplet_margin_loss, multi_margin_loss,
                           triplet_margin_with_distance_loss)
from ._losses import (binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy,
                      huber_loss, l1_loss, mse_loss, nll_loss, smooth_l1_loss)

__all__ = [
    "celu", "cosine_similarity", "glu", "hardsigmoid", "hardswish", "hardtanh", "kl_div",
    "logsigmoid", "mish", "pad", "pairwise_distance", "relu6", "selu", "softmin", "softsign",
    "tanhshrink", "threshold", "cosine_embedding_loss", "gaussian_nll_loss",
    "hinge_embedding_loss", "margin_ranking_loss", "multilabel_soft_margin_loss",
    "poisson_nll_loss", "soft_margin_loss", "triplet_margin_loss", "celu_", "elu_",
    "group_norm", "hardshrink", "hardtanh_", "leaky_relu_", "relu_", "rms_norm", "selu_",
    "softshrink", "threshold_", "multi_margin_loss", "triplet_margin_with_distance_loss",
    "batch_norm", "binary_cross_entropy", "binary_cross_entropy_with_logits", "cross_entropy",
    "dropout", "elu", "embedding", "gelu", "huber_loss", "l1_loss", "layer_norm", "leaky_relu",
    "linear",
    "log_softmax", "mse_loss", "nll_loss", "normalize", "one_hot", "prelu", "relu", "sigmoid",
    "silu", "smooth_l1_loss", "softmax", "softplus", "tanh",
    "feature_alpha_dropout", "gumbel_softmax", "multilabel_margin_loss", "pdist", "rrelu",
    "rrelu_",
]


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:  # noqa: A002
    """input @ weight.T + bias in one graph node.

    Shape
    -----
    input (*, in), weight (out, in), bias (out,) -> (*, out).
    """
    if bias is None:
        return _Linear.apply(input, weight)  # type: ignore[no-any-return]
    return _Linear.apply(input, weight, bias)  # type: ignore[no-any-return]


# ---- activations (the inplace flags are accepted for PyTorch code and compute out of place) --
def relu(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    """max(x, 0). Shape: any, kept."""
    return ops.relu(input)


def leaky_relu(input: Tensor, negative_slope: float = 0.01,  # noqa: A002
               inplace: bool = False) -> Tensor:
    """x if x > 0 else negative_slope·x."""
    return ops.leaky_relu(input, negative_slope)


def sigmoid(input: Tensor) -> Tensor:  # noqa: A002
    """1 / (1 + e^-x)."""
    return ops.sigmoid(input)


def tanh(input: Tensor) -> Tensor:  # noqa: A002
    return ops.tanh(input)


def _softmax_dim(ndim: int, dim: int | None, where: str) -> int:
    if dim is not None:
        return dim
    warnings.warn(f"{where}: implicit dimension choice is deprecated (as in PyTorch); pass dim",
                  UserWarning, stacklevel=3)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3,  # noqa: A002
            dtype: Any = None) -> Tensor:
    """e^x / Σ e^x along ``dim``: values in [0, 1] summing to 1.

    Example
    -------
    >>> import chainrule as cr
    >>> cr.nn.functional.softmax(cr.tensor([[0.0, 0.0]]), dim=1)
    tensor([[0.5000, 0.5000]])
    """
    x = input if dtype is None else input.to(dtype)
    return ops.softmax(x, _softmax_dim(x.ndim, dim, "softmax"))


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3,  # noqa: A002
                dtype: Any = None) -> Tensor:
    """log(softmax(x)) computed stably (through log-sum-exp)."""
    x = input if dtype is None else input.to(dtype)
    return ops.log_softmax(x, _softmax_dim(x.ndim, dim, "log_softmax"))


def gelu(input: Tensor, approximate: str = "none") -> Tensor:  # noqa: A002
    """x·Φ(x), or its tanh approximation with ``approximate='tanh'``."""
    return ops.gelu(input, approximate)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:  # noqa: A002
    """x if x > 0 else alpha·(e^x - 1)."""
    return ops.elu(input, alpha)


def silu(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    """x·sigmoid(x) (swish)."""
    return ops.silu(input)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:  # noqa: A002
    """log(1 + e^(βx))/β, linear where βx > threshold."""
    return ops.softplus(input, beta, threshold)


def prelu(input: Tensor, weight: Tensor) -> Tensor:  # noqa: A002
    """x if x > 0 else a·x with a learned ``weight`` per channel (dim 1) or shared.

    Shape
    -----
    input (N, C, *) or any shape when weight has one element; weight (C,) or (1,).
    """
    n = weight._data.size
    if n != 1:
        c = input.shape[1] if input.ndim >= 2 else None
        if weight.ndim != 1 or c != n:
            raise ValueError(f"prelu: expected input with {n} channels in dim 1 (one per weight),"
                             f" got shape {input.shape}")
    return _fn.PReLU.apply(input, weight)  # type: ignore[no-any-return]


# ---- regularisation and normalisation --------------------------------------------------------
def dropout(input: Tensor, p: float = 0.5, training: bool = True,  # noqa: A002
            inplace: bool = False, *, generator: Generator | None = None) -> Tensor:
    """Zero each element with probability ``p`` and scale the rest by 1/(1-p) (training only).

    The mask is drawn from ``generator`` (default: the library's generator) and saved for
    backward.

    Example
    -------
    >>> import chainrule as cr
    >>> y = cr.nn.functional.dropout(cr.ones(1000), 0.2, generator=cr.Generator(0))
    >>> sorted(set(y.tolist())), 0.7 < float((y > 0).float().mean()) < 0.9
    ([0.0, 1.25], True)
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout: expected p in [0, 1], got {p}")
    if not training or p == 0.0:
        return input
    x = input._data
    dtype = x.dtype if x.dtype.kind == "f" else np.dtype(np.float32)
    if p == 1.0:
        mask = np.zeros(x.shape, dtype)
    else:
        mask = (_rng(generator).random(x.shape, dtype=np.float32) >= p).astype(dtype)
        mask *= dtype.type(1.0 / (1.0 - p))
    return _fn.Dropout.apply(input, mask)  # type: ignore[no-any-return]


one_hot = ops.one_hot  # torch.nn.functional.one_hot (int64 rows; RuntimeError out of range)
pad = ops.pad


def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12) -> Tensor:  # noqa: A002
    """x / max(‖x‖_p, eps) along ``dim``. Shape: any, kept.

    Example
    -------
    >>> import chainrule as cr
    >>> cr.nn.functional.normalize(cr.tensor([[3.0, 4.0]]))
    tensor([[0.6000, 0.8000]])
    """
    return input / ops.clamp(ops.norm(input, p, dim, keepdim=True), min=eps)


def batch_norm(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None,  # noqa: A002
               weight: Tensor | None = None, bias: Tensor | None = None, training: bool = False,
               momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalise each channel (dim 1) by batch statistics (training) or running ones.

    In training the running statistics (if given) are updated in place:
    running = (1 - momentum)·running + momentum·batch, with the unbiased batch variance.

    Shape
    -----
    input (N, C) or (N, C, L); running stats, weight and bias (C,).
    """
    x = input._data
    if x.ndim < 2:
        raise ValueError(f"batch_norm: expected input of shape (N, C) or (N, C, L), got shape "
                         f"{x.shape}")
    axes = (0,) + tuple(range(2, x.ndim))
    pshape = tuple(x.shape[1] if i == 1 else 1 for i in range(x.ndim))
    if training:
        count = x.size // max(x.shape[1], 1)
        if count <= 1:
            raise ValueError(f"batch_norm: expected more than 1 value per channel when "
                             f"training, got input shape {x.shape}")
        mean = x.mean(axis=axes, keepdims=True)
        xc = x - mean
        var = np.mean(xc * xc, axis=axes, keepdims=True)
        if running_mean is not None:
            running_mean._data *= 1 - momentum
            running_mean._data += momentum * mean.reshape(-1)
        if running_var is not None:
            running_var._data *= 1 - momentum
            running_var._data += (momentum * count / (count - 1)) * var.reshape(-1)
    else:
        if running_mean is None or running_var is None:
            raise ValueError("batch_norm: expected running_mean and running_var when not "
                             "training, got None")
        mean = running_mean._data.reshape(pshape)
        var = running_var._data.reshape(pshape)
    return _fn.BatchNorm.apply(input, weight, bias,  # type: ignore[no-any-return]
                               mean=mean, var=var, axes=axes, eps=eps, batch_stats=training)


def layer_norm(input: Tensor, normalized_shape: int | Sequence[int],  # noqa: A002
               weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-5) -> Tensor:
    """Normalise over the last dims (``normalized_shape``) of each sample.

    Shape
    -----
    input (*, *normalized_shape); weight and bias ``normalized_shape``.
    """
    ns = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    k = len(ns)
    if input.ndim < k or input.shape[input.ndim - k:] != ns:
        raise ValueError(f"layer_norm: expected input with trailing shape {ns}, got shape "
                         f"{input.shape}")
    return _fn.LayerNorm.apply(input, weight, bias, k=k, eps=eps)  # type: ignore[no-any-return]


def __getattr__(name: str) -> object:
    """PyTorch names chainrule leaves out raise an AttributeError that says what to use."""
    from .._compat_hints import missing
    raise missing(__name__, "functional", name)
