"""Reductions: sum, mean, prod, var, logsumexp, max/min, norm (and argmax/argmin).

Backward re-inserts the reduced axes (``expand_reduced``) and broadcasts.
"""
from __future__ import annotations

import numpy as np

from ..autograd.function import Function
from ._util import expand_reduced, floating


def _spread(g: np.ndarray, shape: tuple[int, ...], dim: object, keepdim: bool) -> np.ndarray:
    """A fresh array of ``shape`` holding ``g`` broadcast over the reduced axes."""
    out = np.empty(shape, dtype=g.dtype)
    out[...] = g if dim is None else expand_reduced(g, shape, dim, keepdim)
    return out


class Sum(Function):
    """y = Σ x over dim; dy/dx = 1"""

    @staticmethod
    def forward(ctx, x, dim=None, keepdim=False):
        ctx.shape_in, ctx.dim, ctx.keepdim = x.shape, dim, keepdim
        if x.dtype == np.bool_:
            x = x.astype(np.int64)
        return np.asarray(x.sum(axis=dim, keepdims=keepdim))

    @staticmethod
    def backward(ctx, grad_out):
        return (_spread(grad_out, ctx.shape_in, ctx.dim, ctx.keepdim),)


class Mean(Function):
    """y = Σ x / n over dim; dy/dx = 1/n"""

    @staticmethod
    def forward(ctx, x, dim=None, keepdim=False):
        x = floating(x)
        out = np.asarray(np.mean(x, axis=dim, keepdims=keepdim), dtype=x.dtype)
        ctx.shape_in, ctx.dim, ctx.keepdim = x.shape, dim, keepdim
        ctx.n = x.size // max(out.size, 1) if x.size else 0
        return out

    @staticmethod
    def backward(ctx, grad_out):
        return (_spread(grad_out / ctx.n, ctx.shape_in, ctx.dim, ctx.keepdim),)


class Prod(Function):
    """y = Π x over dim; dy/dx_i = Π_{j≠i} x_j (exact with zeros)"""

    @staticmethod
    def forward(ctx, x, dim=None, keepdim=False):
        ctx.save_for_backward(x)
        ctx.dim, ctx.keepdim = dim, keepdim
        return np.asarray(np.prod(x, axis=dim, keepdims=keepdim))

    @staticmethod
    def backward(ctx, grad_out):
        (x,) = ctx.saved_arrays
        axis = ctx.dim
        flat = x.reshape(-1) if axis is None else np.moveaxis(x, axis, -1)
        ones = np.ones(flat.shape[:-1] + (1,), x.dtype)
        left = np.cumprod(np.concatenate([ones, flat[..., :-1]], -1), -1)  # Π_{j<i}
        right = np.cumprod(np.concatenate([ones, flat[..., :0:-1]], -1), -1)[..., ::-1]  # Π_{j>i}
        others = left * right
        others = others.reshape(x.shape) if axis is None else np.moveaxis(others, -1, axis)
        g = expand_reduced(grad_out, x.shape, axis, ctx.keepdim)
        return (g * others,)


class Var(Function):
    """y = Σ (x - mean)² / (n - correction); dy/dx = 2(x - mean)/(n - correction)"""

    @staticmethod
    def forward(ctx, x, dim=None, correction=1, keepdim=False):
        x = floating(x)
        mean = np.mean(x, axis=dim, keepdims=True)
        diff = x - mean
        n = x.size // max(mean.size, 1)
        ctx.save_for_backward(diff)
        ctx.dim, ctx.keepdim, ctx.denom = dim, keepdim, max(n - correction, 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.sum(diff * diff, axis=dim, keepdims=keepdim) / ctx.denom
        return np.asarray(out, dtype=x.dtype)

    @staticmethod
    def backward(ctx, grad_out):
        (diff,) = ctx.saved_arrays
        g = expand_reduced(grad_out, diff.shape, ctx.dim, ctx.keepdim)
        return (g * (2 / ctx.denom) * diff if ctx.denom else g * diff * np.nan,)


class LogSumExp(Function):
    """y = log Σ exp(x) (shifted by the max); dy/dx = softmax(x)"""

    @staticmethod
    def forward(ctx, x, dim=None, keepdim=False):
        x = floating(x)
        m = np.max(x, axis=dim, keepdims=True)
        m = np.where(np.isfinite(m), m, 0)
        with np.errstate(divide="ignore"):
            out = np.log(np.sum(np.exp(x - m), axis=dim, keepdims=True)) + m
        ctx.save_for_backward(x, out)
        ctx.dim, ctx.keepdim = dim, keepdim
        if not keepdim:
            out = out.reshape(np.sum(x, axis=dim).shape)
        return out

    @staticmethod
    def backward(ctx, grad_out):
        x, out = ctx.saved_arrays
        g = expand_reduced(grad_out, x.shape, ctx.dim, ctx.keepdim)
        with np.errstate(invalid="ignore"):
            p = np.where(np.isneginf(out), 0, np.exp(x - out))
        return (g * p,)


class MaxAll(Function):
    """y = max x (or min); the gradient is shared evenly among the tied maxima"""

    @staticmethod
    def forward(ctx, x, largest=True):
        out = np.asarray(np.max(x) if largest else np.min(x))
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, grad_out):
        x, out = ctx.saved_arrays
        mask = x == out
        return (mask * (grad_out / mask.sum()),)


class MaxDim(Function):
    """values of max (or min) along dim; the gradient goes to the selected index"""

    @staticmethod
    def forward(ctx, x, dim, keepdim=False, largest=True):
        idx = np.argmax(x, axis=dim, keepdims=True) if largest else \
            np.argmin(x, axis=dim, keepdims=True)
        ctx.idx, ctx.dim, ctx.keepdim, ctx.shape_in = idx, dim, keepdim, x.shape
        out = np.take_along_axis(x, idx, axis=dim)
        return out if keepdim else np.squeeze(out, axis=dim)

    @staticmethod
    def backward(ctx, grad_out):
        g = grad_out if ctx.keepdim else np.expand_dims(grad_out, ctx.dim)
        grad_x = np.zeros(ctx.shape_in, dtype=grad_out.dtype)
        np.put_along_axis(grad_x, ctx.idx, g, axis=ctx.dim)
        return (grad_x,)


class Norm2(Function):
    """y = √(Σ x²) over dim; dy/dx = x / y (0 where y = 0)"""

    @staticmethod
    def forward(ctx, x, dim=None, keepdim=False):
        x = floating(x)
        out = np.sqrt(np.sum(x * x, axis=dim, keepdims=keepdim))
        ctx.save_for_backward(x, out)
        ctx.dim, ctx.keepdim = dim, keepdim
        return np.asarray(out, dtype=x.dtype)

    @staticmethod
    def backward(ctx, grad_out):
        x, out = ctx.saved_arrays
        g = expand_reduced(grad_out, x.shape, ctx.dim, ctx.keepdim)
        y = expand_reduced(out, x.shape, ctx.dim, ctx.keepdim)
        with np.errstate(divide="ignore", invalid="ignore"):
            return (np.where(y == 0, 0, g * x / y),)
