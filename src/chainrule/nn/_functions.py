"""Graph nodes that nn needs beyond ``chainrule.ops``: dropout with a saved mask, PReLU,
and batch / layer normalisation with their closed-form backward."""
from __future__ import annotations

import numpy as np

from ..autograd.function import Function


class Dropout(Function):
    """y = x · mask, mask = keep / (1 - p) drawn once; dy/dx = mask"""

    @staticmethod
    def forward(ctx, x, mask):
        ctx.mask = mask
        return x * mask

    @staticmethod
    def backward(ctx, grad_out):
        return (grad_out * ctx.mask,)


class PReLU(Function):
    """y = x if x > 0 else a·x (a per channel, dim 1); dy/dx = 1 or a, dy/da = x where x ≤ 0"""

    @staticmethod
    def forward(ctx, x, weight):
        a = weight.reshape((-1,) + (1,) * (x.ndim - 2)) if x.ndim >= 2 else weight
        ctx.save_for_backward(x, weight)
        ctx.a = a
        return np.where(x > 0, x, x * a)

    @staticmethod
    def backward(ctx, grad_out):
        x, weight = ctx.saved_arrays
        pos = x > 0
        grad_x = np.where(pos, grad_out, grad_out * ctx.a) if ctx.needs_input_grad[0] else None
        grad_w = None
        if ctx.needs_input_grad[1]:
            gx = np.where(pos, 0, grad_out * x)
            if weight.size == 1:
                grad_w = np.asarray(gx.sum(), dtype=weight.dtype).reshape(weight.shape)
            else:
                axes = tuple(i for i in range(x.ndim) if i != 1)
                grad_w = gx.sum(axis=axes).astype(weight.dtype, copy=False)
        return grad_x, grad_w


class BatchNorm(Function):
    """y = (x - μ)/√(σ² + eps)·w + b, with μ, σ² (shaped to broadcast) the batch statistics over
    ``axes`` (``batch_stats``) or running ones; with batch stats
    dL/dx = w/(N σ̂)·(N g - Σg - x̂ Σ g x̂), else dL/dx = w g / σ̂"""

    @staticmethod
    def forward(ctx, x, weight, bias, mean, var, axes=(0,), eps=1e-5, batch_stats=True):
        pshape = mean.shape
        invstd = (1.0 / np.sqrt(var + eps)).astype(x.dtype, copy=False)
        xhat = (x - mean) * invstd
        ctx.save_for_backward(xhat, invstd)
        ctx.axes, ctx.batch_stats = axes, batch_stats
        ctx.w = None if weight is None else weight.reshape(pshape)
        y = xhat if weight is None else xhat * ctx.w
        return y if bias is None else y + bias.reshape(pshape)

    @staticmethod
    def backward(ctx, grad_out):
        xhat, invstd = ctx.saved_arrays
        axes = ctx.axes
        n = ctx.needs_input_grad
        grad_x = grad_w = grad_b = None
        if n[0]:
            gxhat = grad_out if ctx.w is None else grad_out * ctx.w
            if ctx.batch_stats:
                count = xhat.size // invstd.size
                s1 = gxhat.sum(axis=axes, keepdims=True)
                s2 = (gxhat * xhat).sum(axis=axes, keepdims=True)
                grad_x = (invstd / count) * (count * gxhat - s1 - xhat * s2)
            else:
                grad_x = gxhat * invstd
        if len(n) > 1 and n[1]:
            grad_w = (grad_out * xhat).sum(axis=axes).reshape(-1)
        if len(n) > 2 and n[2]:
            grad_b = grad_out.sum(axis=axes).reshape(-1)
        return grad_x, grad_w, grad_b


class LayerNorm(Function):
    """y = (x - μ)/√(σ² + eps)·w + b, μ, σ² over the last k dims;
    dL/dx = σ̂⁻¹ (ĝ - mean ĝ - x̂ mean(ĝ x̂)), ĝ = g·w"""

    @staticmethod
    def forward(ctx, x, weight, bias, k=1, eps=1e-5):
        axes = tuple(range(x.ndim - k, x.ndim))
        mean = x.mean(axis=axes, keepdims=True)
        xc = x - mean
        var = np.mean(xc * xc, axis=axes, keepdims=True)
        invstd = (1.0 / np.sqrt(var + eps)).astype(x.dtype, copy=False)
        xhat = xc * invstd
        ctx.save_for_backward(xhat, invstd)
        ctx.axes, ctx.w = axes, weight
        y = xhat if weight is None else xhat * weight
        return y if bias is None else y + bias

    @staticmethod
    def backward(ctx, grad_out):
        xhat, invstd = ctx.saved_arrays
        axes, n = ctx.axes, ctx.needs_input_grad
        lead = tuple(range(xhat.ndim - len(axes)))
        grad_x = grad_w = grad_b = None
        if n[0]:
            g = grad_out if ctx.w is None else grad_out * ctx.w
            m1 = g.mean(axis=axes, keepdims=True)
            m2 = (g * xhat).mean(axis=axes, keepdims=True)
            grad_x = invstd * (g - m1 - xhat * m2)
        if len(n) > 1 and n[1]:
            grad_w = (grad_out * xhat).sum(axis=lead)
        if len(n) > 2 and n[2]:
            grad_b = grad_out.sum(axis=lead)
        return grad_x, grad_w, grad_b


class Embedding(Function):
    """y = W[idx] (rows of the table); dL/dW[r] = Σ of dL/dy over the positions where idx = r
    (none for ``padding_idx``; divided by r's count with ``scale_grad_by_freq``)"""

    @staticmethod
    def forward(ctx, weight, idx, padding_idx=None, scale_grad_by_freq=False):
        ctx.idx, ctx.padding_idx, ctx.scale = idx, padding_idx, scale_grad_by_freq
        ctx.n_rows = weight.shape[0]
        return weight.take(idx, axis=0)

    @staticmethod
    def backward(ctx, grad_out):
        flat = ctx.idx.reshape(-1)
        g = grad_out.reshape(flat.size, -1)
        if ctx.scale:
            counts = np.bincount(flat, minlength=ctx.n_rows)
            g = g / counts[flat, None].astype(g.dtype)
        grad_w = np.zeros((ctx.n_rows, g.shape[1]), grad_out.dtype)
        np.add.at(grad_w, flat, g)
        if ctx.padding_idx is not None:
            grad_w[ctx.padding_idx] = 0
        return grad_w.reshape((ctx.n_rows,) + grad_out.shape[ctx.idx.ndim:]), None
