"""Functions with training-time noise (as ``torch.nn.functional``): randomized leaky ReLU,
feature alpha dropout and the Gumbel-softmax sample. Their randomness comes from the library's
generator (``chainrule.manual_seed``) or the ``generator`` given."""
from __future__ import annotations

import numpy as np

from .. import ops
from ..autograd.function import Function
from ..random import Generator, _rng
from ..tensor import Tensor, _make

__all__ = ["feature_alpha_dropout", "gumbel_softmax", "rrelu", "rrelu_"]

_SELU_ALPHA = 1.7580993408473766   # -SELU's lowest value, scale·alpha (PyTorch's constant)


class RReLU(Function):
    """y = x · a with a = 1 where x > 0, else a random or mean slope (saved); dy/dx = a"""

    @staticmethod
    def forward(ctx, x, slope):
        ctx.slope = slope
        return x * slope

    @staticmethod
    def backward(ctx, grad_out):
        return (grad_out * ctx.slope,)


def rrelu(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3,  # noqa: A002
          training: bool = False, inplace: bool = False, *,
          generator: Generator | None = None) -> Tensor:
    """Randomized leaky ReLU: x where x > 0, else a·x with a ~ U(lower, upper) drawn per
    element in training, a = (lower + upper) / 2 in evaluation. The gradient is the slope used.

    Shape
    -----
    Any, kept.

    Example
    -------
    >>> import chainrule as cr
    >>> cr.nn.functional.rrelu(cr.tensor([-1.0, 2.0]), lower=0.1, upper=0.3)
    tensor([-0.2000,  2.0000])
    """
    if not lower <= upper:
        raise ValueError(f"rrelu: expected lower <= upper, got lower={lower}, upper={upper}")
    x = input._data
    dtype = x.dtype if x.dtype.kind == "f" else np.dtype(np.float32)
    if training:
        noise = _rng(generator).uniform(lower, upper, size=x.shape)
    else:
        noise = np.full(x.shape, (lower + upper) / 2)
    slope = np.where(x > 0, 1.0, noise).astype(dtype, copy=False)
    out = RReLU.apply(input, slope)
    return input.copy_(out) if inplace else out  # type: ignore[no-any-return]


def rrelu_(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3,  # noqa: A002
           training: bool = False, *, generator: Generator | None = None) -> Tensor:
    """:func:`rrelu` written into ``input`` (an in-place op: not for tensors in a graph)."""
    return rrelu(input, lower, upper, training, True, generator=generator)


def feature_alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False,  # noqa: A002
                          inplace: bool = False, *,
                          generator: Generator | None = None) -> Tensor:
    """Alpha dropout of whole channels, for SELU networks: each channel (N, C) is kept with
    probability 1 - p or set to SELU's negative saturation, then a·x + b keeps the mean and
    variance of normalised inputs (a = ((α²p + 1)(1 - p))^-½). The identity when not training.

    Shape
    -----
    input (N, C, *), at least 2-D; kept.

    Example
    -------
    >>> import chainrule as cr
    >>> y = cr.nn.functional.feature_alpha_dropout(cr.zeros(2000, 3, 4), 0.2, training=True)
    >>> bool((y[:, :, 0] == y[:, :, 3]).all()), abs(float(y.mean())) < 0.05  # per channel
    (True, True)
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"feature_alpha_dropout: expected p in [0, 1], got {p}")
    if input.ndim < 2:
        raise ValueError("feature_alpha_dropout: expected input with at least 2 dimensions "
                         f"(N, C, *), got shape {tuple(input.shape)}")
    if not training or p == 0.0:
        return input
    x = input._data
    dtype = x.dtype if x.dtype.kind == "f" else np.dtype(np.float32)
    if p == 1.0:
        out = RReLU.apply(input, np.zeros(x.shape, dtype))
    else:
        keep = _rng(generator).random(x.shape[:2] + (1,) * (x.ndim - 2)) >= p
        a = 1.0 / np.sqrt((_SELU_ALPHA ** 2 * p + 1) * (1 - p))
        b = np.where(keep, _SELU_ALPHA * a * p, _SELU_ALPHA * a * (p - 1)).astype(dtype)
        scale = np.broadcast_to(np.where(keep, a, 0.0).astype(dtype), x.shape)
        out = RReLU.apply(input, scale) + _make(b)
    return input.copy_(out) if inplace else out


def gumbel_softmax(logits: Tensor, tau: float = 1.0, hard: bool = False, eps: float = 1e-10,
                   dim: int = -1, *, generator: Generator | None = None) -> Tensor:
    """A sample of the Gumbel-softmax (Concrete) distribution: softmax((logits + G) / tau)
    along ``dim`` with G standard Gumbel noise. ``hard=True`` returns the one-hot of its
    argmax (a sample of the categorical softmax(logits)) whose gradient is the soft sample's
    (straight-through). ``eps`` is unused, as in PyTorch.

    Shape
    -----
    Any, kept.

    Example
    -------
    >>> import chainrule as cr
    >>> y = cr.nn.functional.gumbel_softmax(cr.zeros(5, 3), hard=True)
    >>> y.sum(1).tolist()
    [1.0, 1.0, 1.0, 1.0, 1.0]
    """
    x = logits._data
    dtype = x.dtype if x.dtype.kind == "f" else np.dtype(np.float32)
    gumbels = -np.log(_rng(generator).exponential(size=x.shape)).astype(dtype)
    y_soft = ops.softmax((logits + _make(gumbels)) / tau, dim)
    if not hard:
        return y_soft
    d = dim % max(x.ndim, 1)
    index = np.expand_dims(np.argmax(y_soft._data, axis=d), d) if x.ndim else None
    y_hard = np.zeros_like(y_soft._data)
    if index is None:
        y_hard[...] = 1
    else:
        np.put_along_axis(y_hard, index, 1, axis=d)
    return _make(y_hard) - y_soft.detach() + y_soft
