"""Activations, fused where it pays: backward of sigmoid, tanh and relu uses the saved output;
log_softmax goes through log-sum-exp; softplus is linear past its threshold."""
from __future__ import annotations

import math

import numpy as np

from ..autograd.function import Function
from ._util import floating


class ReLU(Function):
    """y = max(x, 0); dy/dx = 1 where y > 0"""

    @staticmethod
    def forward(ctx, x):
        y = np.maximum(x, 0)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_out):
        (y,) = ctx.saved_arrays
        return (grad_out * (y > 0),)


class Hardtanh(Function):
    """y = clamp(x, lo, hi); dy/dx = 1 where lo < x < hi (strictly, as PyTorch; clamp's own
    gradient is 1 on the bounds too)"""

    @staticmethod
    def forward(ctx, x, lo=-1.0, hi=1.0):
        ctx.save_for_backward(x)
        ctx.lo, ctx.hi = lo, hi
        return np.clip(x, lo, hi)

    @staticmethod
    def backward(ctx, grad_out):
        (x,) = ctx.saved_arrays
        return (grad_out * ((x > ctx.lo) & (x < ctx.hi)),)


class LeakyReLU(Function):
    """y = x if x > 0 else a·x; dy/dx = 1 or a"""

    @staticmethod
    def forward(ctx, x, negative_slope=0.01):
        ctx.save_for_backward(x)
        ctx.slope = negative_slope
        return np.where(x > 0, x, x * np.asarray(negative_slope, x.dtype))

    @staticmethod
    def backward(ctx, grad_out):
        (x,) = ctx.saved_arrays
        return (np.where(x > 0, grad_out, grad_out * np.asarray(ctx.slope, grad_out.dtype)),)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(x))  # never overflows
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype, copy=False)


class Sigmoid(Function):
    """y = 1 / (1 + e^-x); dy/dx = y (1 - y)"""

    @staticmethod
    def forward(ctx, x):
        y = _sigmoid(floating(x))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_out):
        (y,) = ctx.saved_arrays
        return (grad_out * y * (1 - y),)


class Tanh(Function):
    """y = tanh x; dy/dx = 1 - y²"""

    @staticmethod
    def forward(ctx, x):
        y = np.tanh(floating(x))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_out):
        (y,) = ctx.saved_arrays
        return (grad_out * (1 - y * y),)


class Softmax(Function):
    """y = e^x / Σ e^x along dim; dL/dx = y (g - Σ g y)"""

    @staticmethod
    def forward(ctx, x, dim=-1):
        x = floating(x)
        e = np.exp(x - np.max(x, axis=dim, keepdims=True))
        y = e / np.sum(e, axis=dim, keepdims=True)
        ctx.save_for_backward(y)
        ctx.dim = dim
        return y

    @staticmethod
    def backward(ctx, grad_out):
        (y,) = ctx.saved_arrays
        gy = grad_out * y
        return (gy - y * np.sum(gy, axis=ctx.dim, keepdims=True),)


class LogSoftmax(Function):
    """y = x - logsumexp(x) along dim; dL/dx = g - softmax(x) Σ g"""

    @staticmethod
    def forward(ctx, x, dim=-1):
        x = floating(x)
        shifted = x - np.max(x, axis=dim, keepdims=True)
        y = shifted - np.log(np.sum(np.exp(shifted), axis=dim, keepdims=True))
        ctx.save_for_backward(y)
        ctx.dim = dim
        return y

    @staticmethod
    def backward(ctx, grad_out):
        (y,) = ctx.saved_arrays
        return (grad_out - np.exp(y) * np.sum(grad_out, axis=ctx.dim, keepdims=True),)


def _erf(x: np.ndarray) -> np.ndarray:
    """erf elementwise: SciPy's when installed (imported on first use), else math.erf."""
    global _erf_impl
    if _erf_impl is None:
        try:
            from scipy.special import erf as impl
        except ImportError:  # pragma: no cover - depends on the environment
            impl = np.vectorize(math.erf, otypes=[np.float64])
        _erf_impl = impl
    return _erf_impl(x)


_erf_impl = None

_SQRT_2_PI = math.sqrt(2.0 / math.pi)


class GELU(Function):
    """y = x Φ(x) (Φ the normal CDF; or its tanh approximation); dy/dx = Φ(x) + x φ(x)"""

    @staticmethod
    def forward(ctx, x, approximate="none"):
        x = floating(x)
        if approximate not in ("none", "tanh"):
            raise ValueError(f"gelu: expected approximate='none' or 'tanh', got {approximate!r}")
        ctx.save_for_backward(x)
        ctx.approximate = approximate
        if approximate == "tanh":
            return (0.5 * x * (1 + np.tanh(_SQRT_2_PI * (x + 0.044715 * x ** 3)))).astype(x.dtype)
        return (0.5 * x * (1 + _erf(x / math.sqrt(2.0)))).astype(x.dtype)

    @staticmethod
    def backward(ctx, grad_out):
        (x,) = ctx.saved_arrays
        if ctx.approximate == "tanh":
            inner = _SQRT_2_PI * (x + 0.044715 * x ** 3)
            t = np.tanh(inner)
            d = 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * _SQRT_2_PI * (1 + 3 * 0.044715 * x * x)
        else:
            cdf = 0.5 * (1 + _erf(x / math.sqrt(2.0)))
            d = cdf + x * np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)
        return ((grad_out * d).astype(grad_out.dtype),)


class ELU(Function):
    """y = x if x > 0 else α(e^x - 1); dy/dx = 1 or y + α"""

    @staticmethod
    def forward(ctx, x, alpha=1.0):
        x = floating(x)
        y = np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0))).astype(x.dtype)
        ctx.save_for_backward(x, y)
        ctx.alpha = alpha
        return y

    @staticmethod
    def backward(ctx, grad_out):
        x, y = ctx.saved_arrays
        return (np.where(x > 0, grad_out, grad_out * (y + ctx.alpha)).astype(grad_out.dtype),)


class SiLU(Function):
    """y = x σ(x); dy/dx = σ(x)(1 + x(1 - σ(x)))"""

    @staticmethod
    def forward(ctx, x):
        x = floating(x)
        s = _sigmoid(x)
        ctx.save_for_backward(x, s)
        return x * s

    @staticmethod
    def backward(ctx, grad_out):
        x, s = ctx.saved_arrays
        return (grad_out * s * (1 + x * (1 - s)),)


class Softplus(Function):
    """y = log(1 + e^(βx))/β, = x where βx > threshold; dy/dx = σ(βx) (1 past the threshold)"""

    @staticmethod
    def forward(ctx, x, beta=1.0, threshold=20.0):
        x = floating(x)
        bx = x * beta
        ctx.save_for_backward(x)
        ctx.beta, ctx.threshold = beta, threshold
        return np.where(bx > threshold, x, np.logaddexp(0, bx) / beta).astype(x.dtype)

    @staticmethod
    def backward(ctx, grad_out):
        (x,) = ctx.saved_arrays
        bx = x * ctx.beta
        return (np.where(bx > ctx.threshold, grad_out, grad_out * _sigmoid(bx)),)
