"""Weight initialisation, as ``torch.nn.init``: fill a tensor in place (under no_grad).

Every function takes an optional ``generator`` (a :class:`chainrule.Generator`);
without one it draws from ``chainrule.random.default_generator``, so
``chainrule.manual_seed`` makes initialisation repeatable.
"""
from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from ..autograd.grad_mode import no_grad
from ..random import Generator, _rng
from ..tensor import Tensor

__all__ = ["calculate_gain", "constant_", "eye_", "kaiming_normal_", "kaiming_uniform_", "normal_",
           "orthogonal_", "trunc_normal_",
           "ones_", "uniform_", "xavier_normal_", "xavier_uniform_", "zeros_"]

_LINEAR = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
           "conv_transpose3d", "sigmoid")


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The recommended gain for a nonlinearity (tanh 5/3, relu √2, leaky_relu √(2/(1+a²))).

    Example
    -------
    >>> from chainrule.nn.init import calculate_gain
    >>> round(calculate_gain("relu"), 4), round(calculate_gain("tanh"), 4)
    (1.4142, 1.6667)
    """
    if nonlinearity in _LINEAR:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, (int, float)) and not isinstance(param, bool):
            slope = float(param)
        else:
            raise ValueError(f"calculate_gain: expected a number as negative_slope, got {param!r}")
        return math.sqrt(2.0 / (1 + slope ** 2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"calculate_gain: expected one of {', '.join(_LINEAR)}, tanh, relu, "
                     f"leaky_relu, selu, got {nonlinearity!r}")


def _calculate_fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight (out, in, *kernel), as PyTorch."""
    if tensor.ndim < 2:
        raise ValueError(f"init: expected a tensor with at least 2 dimensions to compute fan in "
                         f"and fan out, got shape {tensor.shape}")
    receptive = int(np.prod(tensor.shape[2:])) if tensor.ndim > 2 else 1
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


def _calculate_correct_fan(tensor: Tensor, mode: str) -> int:
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"init: expected mode 'fan_in' or 'fan_out', got {mode!r}")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def _fill(tensor: Tensor, where: str, draw: Any) -> Tensor:
    """Write ``draw(shape)`` (or a constant) into ``tensor`` in place."""
    if not isinstance(tensor, Tensor):
        raise TypeError(f"{where}: expected a chainrule Tensor, got {type(tensor).__name__}")
    if tensor._data.size == 0:
        warnings.warn(f"{where}: initializing a zero-element tensor is a no-op", UserWarning,
                      stacklevel=3)
        return tensor
    with no_grad():
        tensor.copy_(draw(tensor.shape) if callable(draw) else draw)
    return tensor


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0,
             generator: Generator | None = None) -> Tensor:
    """Fill with U(a, b).

    Example
    -------
    >>> import chainrule as cr
    >>> w = cr.nn.init.uniform_(cr.empty(100), -0.5, 0.5, generator=cr.Generator(0))
    >>> bool((w.abs() <= 0.5).all())
    True
    """
    rng = _rng(generator)
    return _fill(tensor, "uniform_", lambda shape: rng.uniform(a, b, shape))


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0,
            generator: Generator | None = None) -> Tensor:
    """Fill with N(mean, std²)."""
    rng = _rng(generator)
    return _fill(tensor, "normal_", lambda shape: rng.normal(mean, std, shape))


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Fill with ``val``."""
    return _fill(tensor, "constant_", val)


def zeros_(tensor: Tensor) -> Tensor:
    return _fill(tensor, "zeros_", 0)


def ones_(tensor: Tensor) -> Tensor:
    return _fill(tensor, "ones_", 1)


def xavier_uniform_(tensor: Tensor, gain: float = 1.0,
                    generator: Generator | None = None) -> Tensor:
    """Glorot: U(-a, a) with a = gain·√(6 / (fan_in + fan_out)) (variance 2/(fan_in+fan_out)·gain²).

    Example
    -------
    >>> import chainrule as cr
    >>> w = cr.nn.init.xavier_uniform_(cr.empty(3, 5))
    >>> bool((w.abs() <= (6 / 8) ** 0.5).all())
    True
    """
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    bound = math.sqrt(3.0) * gain * math.sqrt(2.0 / float(max(fan_in + fan_out, 1)))
    return uniform_(tensor, -bound, bound, generator)


def xavier_normal_(tensor: Tensor, gain: float = 1.0,
                   generator: Generator | None = None) -> Tensor:
    """Glorot: N(0, std²) with std = gain·√(2 / (fan_in + fan_out))."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / float(max(fan_in + fan_out, 1))), generator)


def kaiming_uniform_(tensor: Tensor, a: float = 0, mode: str = "fan_in",
                     nonlinearity: str = "leaky_relu",
                     generator: Generator | None = None) -> Tensor:
    """He: U(-b, b) with b = gain·√(3 / fan), gain = calculate_gain(nonlinearity, a).

    Example
    -------
    >>> import chainrule as cr
    >>> w = cr.nn.init.kaiming_uniform_(cr.empty(4, 6), nonlinearity="relu")
    >>> bool((w.abs() <= 1.0).all())
    True
    """
    fan = _calculate_correct_fan(tensor, mode)
    if fan == 0:
        warnings.warn("kaiming_uniform_: initializing a tensor with a zero fan is a no-op",
                      UserWarning, stacklevel=2)
        return tensor
    bound = math.sqrt(3.0) * calculate_gain(nonlinearity, a) / math.sqrt(fan)
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor: Tensor, a: float = 0, mode: str = "fan_in",
                    nonlinearity: str = "leaky_relu",
                    generator: Generator | None = None) -> Tensor:
    """He: N(0, std²) with std = gain / √fan."""
    fan = _calculate_correct_fan(tensor, mode)
    if fan == 0:
        warnings.warn("kaiming_normal_: initializing a tensor with a zero fan is a no-op",
                      UserWarning, stacklevel=2)
        return tensor
    return normal_(tensor, 0.0, calculate_gain(nonlinearity, a) / math.sqrt(fan), generator)


def trunc_normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, a: float = -2.0,
                  b: float = 2.0, generator: Generator | None = None) -> Tensor:
    """Fill with N(mean, std²) truncated to [a, b] (redrawing what falls outside).

    Example
    -------
    >>> import chainrule as cr
    >>> w = cr.nn.init.trunc_normal_(cr.empty(1000), std=0.02, a=-0.04, b=0.04)
    >>> bool((w.abs() <= 0.04).all())
    True
    """
    if not a < b:
        raise ValueError(f"trunc_normal_: expected a < b, got a={a}, b={b}")
    rng = _rng(generator)

    def draw(shape: tuple[int, ...]) -> np.ndarray:
        out = rng.normal(mean, std, shape)
        bad = (out < a) | (out > b)
        while bad.any():  # rejection: the acceptance rate is P(a <= X <= b)
            out[bad] = rng.normal(mean, std, int(bad.sum()))
            bad = (out < a) | (out > b)
        return out

    return _fill(tensor, "trunc_normal_", draw)


def eye_(tensor: Tensor) -> Tensor:
    """Fill a 2-D tensor with the identity (ones on the diagonal)."""
    if tensor.ndim != 2:
        raise ValueError(f"eye_: expected a 2-D tensor, got shape {tuple(tensor.shape)}")
    return _fill(tensor, "eye_", lambda shape: np.eye(*shape))


def orthogonal_(tensor: Tensor, gain: float = 1.0,
                generator: Generator | None = None) -> Tensor:
    """Fill with a (semi-)orthogonal matrix from the QR decomposition of a normal draw, times
    ``gain`` (Saxe et al. 2013); dims after the first are flattened.

    Example
    -------
    >>> import chainrule as cr, numpy as np
    >>> w = cr.nn.init.orthogonal_(cr.empty(3, 5)).numpy()
    >>> bool(abs(w @ w.T - np.eye(3)).max() < 1e-5)
    True
    """
    if tensor.ndim < 2:
        raise ValueError(f"orthogonal_: expected a tensor with at least 2 dimensions, got shape "
                         f"{tuple(tensor.shape)}")
    rng = _rng(generator)

    def draw(shape: tuple[int, ...]) -> np.ndarray:
        rows, cols = shape[0], int(np.prod(shape[1:]))
        flat = rng.normal(0.0, 1.0, (rows, cols))
        if rows < cols:
            flat = flat.T
        q, r = np.linalg.qr(flat)
        q *= np.sign(np.diag(r))  # a uniform (Haar) draw, as PyTorch
        if rows < cols:
            q = q.T
        return (gain * q).reshape(shape)

    return _fill(tensor, "orthogonal_", draw)
