"""Matrix products: matmul (1-D, 2-D, batched, as numpy.matmul) and the fused linear."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.function import Function


def _matmul_error(a_shape: tuple[int, ...], b_shape: tuple[int, ...], where: str = "matmul") -> str:
    if len(a_shape) == 0 or len(b_shape) == 0:
        return (f"{where}: expected tensors with at least 1 dimension, got shapes {a_shape} "
                f"and {b_shape}")
    k_a = a_shape[-1]
    k_b = b_shape[0] if len(b_shape) == 1 else b_shape[-2]
    if k_a != k_b:
        msg = (f"{where}: expected the inner dimensions to match, got shapes {a_shape} and "
               f"{b_shape} (inner sizes {k_a} and {k_b})")
        if len(b_shape) >= 2 and k_a == b_shape[-1]:
            msg += "; did you mean a @ b.T (transpose the second)?"
        elif len(a_shape) >= 2 and a_shape[-2] == k_b:
            msg += "; did you mean a.T @ b (transpose the first)?"
        return msg
    return f"{where}: expected batch dimensions that broadcast, got shapes {a_shape} and {b_shape}"


class MatMul(Function):
    """y = a @ b; dL/da = g @ bᵀ, dL/db = aᵀ @ g (1-D inputs promoted, as numpy)"""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.asarray(np.matmul(a, b))

    @staticmethod
    def backward(ctx, grad_out):
        a, b = ctx.saved_arrays
        n = ctx.needs_input_grad
        if a.ndim == 1 and b.ndim == 1:  # a dot product: y = Σ a_i b_i
            return (grad_out * b if n[0] else None), (grad_out * a if n[1] else None)
        g = grad_out
        a2 = a[None, :] if a.ndim == 1 else a
        b2 = b[:, None] if b.ndim == 1 else b
        if a.ndim == 1:
            g = np.expand_dims(g, -2)
        if b.ndim == 1:
            g = np.expand_dims(g, -1)
        ga = gb = None
        if n[0]:
            ga = np.matmul(g, np.swapaxes(b2, -1, -2))
            ga = ga[..., 0, :] if a.ndim == 1 else ga
        if n[1]:
            gb = np.matmul(np.swapaxes(a2, -1, -2), g)
            gb = gb[..., 0] if b.ndim == 1 else gb
        return ga, gb

    @classmethod
    def explain_error(cls, arrays: list[Any], kwargs: dict[str, Any], exc: Exception) -> str:
        return _matmul_error(np.shape(arrays[0]), np.shape(arrays[1]))


class Linear(Function):
    """y = x Wᵀ + b as one node; dL/dx = g W, dL/dW = gᵀ x, dL/db = Σ g over the batch

    Shape: x (*, in), W (out, in), b (out,) -> y (*, out).
    """

    @staticmethod
    def forward(ctx, x, weight, bias=None):
        ctx.save_for_backward(x, weight)
        m = x.shape[0] if x.ndim == 2 else 0
        if 0 < m <= 64 and 4 * m <= weight.shape[0]:
            # (W xᵀ)ᵀ is the same product; for a small batch and a wide layer OpenBLAS's
            # AVX-512 kernels run this orientation up to 2x faster (benchmarks/breakdown.py)
            out = np.ascontiguousarray(np.matmul(weight, x.T).T)
        else:
            out = np.matmul(x, weight.T)
        if bias is not None:
            out += bias
        return out

    @staticmethod
    def backward(ctx, grad_out):
        x, weight = ctx.saved_arrays
        n = ctx.needs_input_grad
        g2 = grad_out.reshape(-1, grad_out.shape[-1]) if grad_out.ndim != 2 else grad_out
        grad_x = np.matmul(grad_out, weight) if n[0] else None
        grad_w = None
        if n[1]:
            x2 = x.reshape(-1, x.shape[-1]) if x.ndim != 2 else x
            grad_w = np.matmul(g2.T, x2)
        grad_b = g2.sum(axis=0) if len(n) > 2 and n[2] else None
        return grad_x, grad_w, grad_b

    @classmethod
    def explain_error(cls, arrays: list[Any], kwargs: dict[str, Any], exc: Exception) -> str:
        x, w = np.shape(arrays[0]), np.shape(arrays[1])
        if len(arrays) > 2 and x and len(w) == 2 and x[-1] == w[1]:
            return f"linear: expected bias of shape ({w[0]},), got shape {np.shape(arrays[2])}"
        return (f"linear: expected input with last dimension {w[-1] if w else '?'} (weight "
                f"shape {w}), got shape {x}")
