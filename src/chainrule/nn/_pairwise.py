"""Functions over pairs (as ``torch.nn.functional``): the condensed pairwise distances of the
rows of a matrix, and the multi-label margin loss between target and non-target classes."""
from __future__ import annotations

import numpy as np

from .. import ops
from ..autograd.function import Function
from ..tensor import Tensor, _make

__all__ = ["multilabel_margin_loss", "pdist"]


class PDist(Function):
    """d_k = ‖x_i - x_j‖_p for the pairs i < j in row-major order;
    dd/dx_i = sign(δ)|δ|^(p-1) / d^(p-1) (δ = x_i - x_j; 0 where d = 0), dd/dx_j = -dd/dx_i"""

    @staticmethod
    def forward(ctx, x, p=2.0):
        i, j = np.triu_indices(x.shape[0], 1)
        diff = x[i] - x[j]
        a = np.abs(diff)
        if p == 0:
            d = (a != 0).sum(axis=1).astype(x.dtype)
        elif np.isinf(p):
            d = a.max(axis=1, initial=0)
        else:
            d = (a ** p).sum(axis=1) ** (1 / p)
        ctx.save_for_backward(diff, d)
        ctx.i, ctx.j, ctx.p, ctx.n = i, j, p, x.shape[0]
        return d.astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad_out):
        diff, d = ctx.saved_arrays
        p, dd = ctx.p, d[:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            if p == 0:
                g = np.zeros_like(diff)
            elif p == 1:
                g = np.sign(diff)
            elif np.isinf(p):
                g = np.sign(diff) * (np.abs(diff) == dd)
            else:
                g = np.sign(diff) * (np.abs(diff) / dd) ** (p - 1)
        g = np.where((dd == 0) | ~np.isfinite(g), 0, g) * grad_out[:, None]
        grad_x = np.zeros((ctx.n, diff.shape[1]), diff.dtype)
        np.add.at(grad_x, ctx.i, g)
        np.add.at(grad_x, ctx.j, -g)
        return (grad_x,)


def pdist(input: Tensor, p: float = 2.0) -> Tensor:  # noqa: A002
    """The p-norm distance between every pair of rows, i < j, in row-major order (SciPy's
    condensed ``pdist``).

    Shape
    -----
    input (N, M) -> (N (N - 1) / 2,).

    Example
    -------
    >>> import chainrule as cr
    >>> cr.nn.functional.pdist(cr.tensor([[0.0, 0.0], [3.0, 4.0], [0.0, 1.0]]))
    tensor([5.0000, 1.0000, 4.2426])
    """
    if input.ndim != 2:
        raise ValueError(f"pdist: expected a 2-D input (N, M), got shape {tuple(input.shape)}")
    if not p >= 0:
        raise ValueError(f"pdist: expected p >= 0, got {p}")
    return PDist.apply(input, p=float(p))  # type: ignore[no-any-return]


def multilabel_margin_loss(input: Tensor, target: Tensor, size_average: object = None,  # noqa: A002
                           reduce: object = None, reduction: str = "mean") -> Tensor:
    """Σ_j Σ_i max(0, 1 - (x[y_j] - x[i])) / C over the target classes y_j (each row of
    ``target`` lists class indices, ended by the first -1) and the non-target classes i.

    Shape
    -----
    input (C) or (N, C); target of the same shape, int64 -> scalar, or (N) / () with
    reduction='none'.

    Example
    -------
    >>> import chainrule as cr
    >>> x = cr.tensor([[0.1, 0.2, 0.4, 0.8]])
    >>> cr.nn.functional.multilabel_margin_loss(x, cr.tensor([[3, 0, -1, 1]]))
    tensor(0.8500)
    """
    where = "multilabel_margin_loss"
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{where}: expected reduction 'mean', 'sum' or 'none', got "
                         f"{reduction!r}")
    if input.ndim not in (1, 2) or (input.ndim == 2 and input.shape[1] == 0) \
            or (input.ndim == 1 and input.shape[0] == 0):
        raise ValueError(f"{where}: expected input of shape (C) or (N, C), got shape "
                         f"{tuple(input.shape)}")
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(f"{where}: expected target of the input's shape {tuple(input.shape)}, "
                         f"got {tuple(target.shape)}")
    t = np.asarray(target._data)
    if t.dtype.kind not in "iu":
        raise TypeError(f"{where}: expected an integer target (class indices), got dtype "
                        f"{t.dtype}")
    x = input if input.ndim == 2 else input.unsqueeze(0)
    t2 = t.reshape(x.shape)
    n, c = x.shape
    valid = np.cumprod(t2 != -1, axis=1).astype(bool)      # indices before the first -1
    if ((t2 < -1) | (t2 >= c))[valid].any():
        raise IndexError(f"{where}: expected target classes in [0, {c - 1}] (then -1 for the "
                         f"end), got {t2[valid & ((t2 < -1) | (t2 >= c))][0]}")
    rows, cols = np.nonzero(valid)
    count = np.zeros((n, c), x._data.dtype)
    np.add.at(count, (rows, t2[rows, cols]), 1)            # each listed target, repeats too
    others = (count == 0).astype(x._data.dtype)
    weight = _make(count[:, :, None] * others[:, None, :])  # (N, target j, non-target i)
    hinge = ops.clamp(1 - x.unsqueeze(2) + x.unsqueeze(1), min=0.0)
    loss = (hinge * weight).sum((1, 2)) / c
    if input.ndim == 1:
        loss = loss.reshape(())
    if reduction == "mean":
        return loss.mean()
    return loss.sum() if reduction == "sum" else loss
