"""Shape ops: reshape, permute, expand, cat, stack, pad, and dtype casts.

Each moves values without changing them, so backward moves the gradient back.
"""
from __future__ import annotations

import numpy as np

from ..autograd.function import Function
from ..autograd.engine import sum_to_shape
from ._util import ViewFunction


class Reshape(ViewFunction):
    """y = x viewed with a new shape; dy/dx reshapes back"""

    @staticmethod
    def forward(ctx, x, shape):
        ctx.shape_in = x.shape
        return np.reshape(x, shape)

    @staticmethod
    def backward(ctx, grad_out):
        return (grad_out.reshape(ctx.shape_in),)

    @classmethod
    def explain_error(cls, arrays, kwargs, exc):
        x = np.asarray(arrays[0])
        return (f"reshape: expected a shape with {x.size} elements (the input has shape "
                f"{x.shape}), got {tuple(kwargs['shape'])}")


class Permute(ViewFunction):
    """y = x with its axes reordered; dy/dx applies the inverse order"""

    @staticmethod
    def forward(ctx, x, dims):
        ctx.dims = dims
        return np.transpose(x, dims)

    @staticmethod
    def backward(ctx, grad_out):
        return (np.transpose(grad_out, np.argsort(ctx.dims)),)


class Expand(Function):
    """y = x broadcast to a larger shape; dy/dx sums over the broadcast axes"""

    @staticmethod
    def forward(ctx, x, shape):
        ctx.shape_in = x.shape
        return np.broadcast_to(x, shape)

    @staticmethod
    def backward(ctx, grad_out):
        return (sum_to_shape(grad_out, ctx.shape_in),)

    @classmethod
    def explain_error(cls, arrays, kwargs, exc):
        return (f"expand: expected a shape that {np.shape(arrays[0])} can broadcast to, got "
                f"{tuple(kwargs['shape'])}")


class Cat(Function):
    """y = the inputs joined along dim; each input gets its slice of the gradient"""

    @staticmethod
    def forward(ctx, *xs, dim=0):
        ctx.dim = dim
        ctx.bounds = np.cumsum([x.shape[dim] for x in xs])[:-1]
        return np.concatenate(xs, axis=dim)

    @staticmethod
    def backward(ctx, grad_out):
        return tuple(np.split(grad_out, ctx.bounds, axis=ctx.dim))

    @classmethod
    def explain_error(cls, arrays, kwargs, exc):
        shapes = ", ".join(str(np.shape(a)) for a in arrays)
        return (f"cat: expected tensors with the same shape except in dim {kwargs.get('dim', 0)}, "
                f"got {shapes}")


class Stack(Function):
    """y = the inputs stacked along a new dim; each input gets its slice of the gradient"""

    @staticmethod
    def forward(ctx, *xs, dim=0):
        ctx.dim = dim
        return np.stack(xs, axis=dim)

    @staticmethod
    def backward(ctx, grad_out):
        return tuple(np.moveaxis(grad_out, ctx.dim, 0))

    @classmethod
    def explain_error(cls, arrays, kwargs, exc):
        shapes = ", ".join(str(np.shape(a)) for a in arrays)
        return f"stack: expected tensors of equal shape, got {shapes}"


class Pad(Function):
    """y = x with constant borders; dy/dx is the gradient's centre"""

    @staticmethod
    def forward(ctx, x, widths, value=0.0):
        ctx.inner = tuple(slice(lo, lo + n) for (lo, _), n in zip(widths, x.shape))
        return np.pad(x, widths, mode="constant", constant_values=value)

    @staticmethod
    def backward(ctx, grad_out):
        return (grad_out[ctx.inner],)


class ToDtype(Function):
    """y = x cast to another dtype; dy/dx casts the gradient back"""

    @staticmethod
    def forward(ctx, x, dtype):
        ctx.dtype_in = x.dtype
        return x.astype(dtype)

    @staticmethod
    def backward(ctx, grad_out):
        return (grad_out.astype(ctx.dtype_in) if ctx.dtype_in.kind == "f" else None,)


class Clone(Function):
    """y = a copy of x; dy/dx = 1"""

    @staticmethod
    def forward(ctx, x):
        return x.copy()

    @staticmethod
    def backward(ctx, grad_out):
        return (grad_out,)
