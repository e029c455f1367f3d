"""Fused losses: one graph node each, forward and backward on NumPy arrays.

Fused where it buys stability (cross-entropy from logits through log-sum-exp,
BCE with logits through softplus) or speed (one node instead of three for the
regression losses; cross-entropy on the training hot path). Reductions follow
PyTorch: 'mean' of a class-weighted loss divides by the sum of the weights of
the counted targets. Inputs are validated by ``chainrule.nn.functional``.
"""
from __future__ import annotations

import numpy as np

from ..autograd.function import Function
from .activation import _sigmoid


def _reduce(loss: np.ndarray, reduction: str) -> np.ndarray:
    if reduction == "none":
        return loss
    total = loss.sum()
    if reduction == "sum":
        return np.asarray(total, dtype=loss.dtype)
    return np.asarray(total / loss.size if loss.size else np.nan, dtype=loss.dtype)


def _spread(grad_out: np.ndarray, reduction: str, n: int) -> np.ndarray:
    """d(reduced)/d(elementwise loss) times the upstream gradient."""
    return grad_out / n if reduction == "mean" else grad_out


class _Regression(Function):
    """Base of the pointwise regression losses on d = input - target."""

    @staticmethod
    def terms(d, **opts):  # -> (loss, dloss/dd)
        raise NotImplementedError

    @staticmethod
    def forward(ctx, input, target, reduction="mean", **opts):  # noqa: A002
        loss, dd = ctx.terms(input - target, **opts)
        ctx.save_for_backward(dd)
        ctx.reduction = reduction
        return _reduce(loss, reduction)

    @staticmethod
    def backward(ctx, grad_out):
        (dd,) = ctx.saved_arrays
        g = _spread(grad_out, ctx.reduction, dd.size) * dd
        n = ctx.needs_input_grad
        return (g if n[0] else None), (-g if n[1] else None)


class MSELoss(_Regression):
    """l = (x - t)²; dl/dx = 2(x - t), dl/dt = -dl/dx"""

    @staticmethod
    def terms(d):
        return d * d, 2 * d


class L1Loss(_Regression):
    """l = |x - t|; dl/dx = sign(x - t)"""

    @staticmethod
    def terms(d):
        return np.abs(d), np.sign(d)


class HuberLoss(_Regression):
    """l = d²/2 if |d| < δ else δ(|d| - δ/2); dl/dx = clip(d, -δ, δ)"""

    @staticmethod
    def terms(d, delta=1.0):
        a = np.abs(d)
        loss = np.where(a < delta, 0.5 * d * d, delta * (a - 0.5 * delta))
        return loss.astype(d.dtype, copy=False), np.clip(d, -delta, delta)


class SmoothL1Loss(_Regression):
    """l = d²/(2β) if |d| < β else |d| - β/2 (L1 when β = 0); dl/dx = clip(d/β, -1, 1)"""

    @staticmethod
    def terms(d, beta=1.0):
        a = np.abs(d)
        if beta == 0:
            return a, np.sign(d)
        loss = np.where(a < beta, 0.5 * d * d / beta, a - 0.5 * beta)
        return loss.astype(d.dtype, copy=False), np.clip(d / beta, -1, 1)


_BCE_EPS = float(np.float32(1e-12))  # PyTorch's clamp of x(1 - x) in the backward


class BCELoss(Function):
    """l = -w[t·max(ln x, -100) + (1 - t)·max(ln(1 - x), -100)];
    dl/dx = w(x - t) / max(x(1 - x), 1e-12), dl/dt = w(ln(1 - x) - ln x)"""

    @staticmethod
    def forward(ctx, input, target, weight=None, reduction="mean"):  # noqa: A002
        x, t = input, target
        with np.errstate(divide="ignore"):
            log_x = np.maximum(np.log(x), -100)
            log_1mx = np.maximum(np.log(1 - x), -100)
        loss = -(t * log_x + (1 - t) * log_1mx)
        if weight is not None:
            loss = loss * weight
        ctx.save_for_backward(x, t)
        ctx.weight, ctx.reduction = weight, reduction
        return _reduce(loss, reduction)

    @staticmethod
    def backward(ctx, grad_out):
        x, t = ctx.saved_arrays
        n = ctx.needs_input_grad
        g = _spread(grad_out, ctx.reduction, x.size)
        if ctx.weight is not None:
            g = g * ctx.weight
        grad_x = grad_t = None
        if n[0]:
            grad_x = g * (x - t) / np.maximum((1 - x) * x, _BCE_EPS)
        if n[1]:
            with np.errstate(divide="ignore"):
                grad_t = g * (np.log(1 - x) - np.log(x))
        return grad_x, grad_t


class BCEWithLogitsLoss(Function):
    """l = w[(1 - t)x + (1 + (p - 1)t)·softplus(-x)] (p = pos_weight, 1 if absent);
    dl/dx = w[(1 + (p - 1)t)σ(x) - p t], dl/dt = w[(p - 1)softplus(-x) - x]"""

    @staticmethod
    def forward(ctx, input, target, weight=None, pos_weight=None,  # noqa: A002
                reduction="mean"):
        x, t = input, target
        softplus_neg = np.log1p(np.exp(-np.abs(x))) + np.maximum(-x, 0)
        if pos_weight is None:
            loss = (1 - t) * x + softplus_neg
        else:
            loss = (1 - t) * x + ((pos_weight - 1) * t + 1) * softplus_neg
        if weight is not None:
            loss = loss * weight
        ctx.save_for_backward(x, t)
        ctx.weight, ctx.pos_weight, ctx.reduction = weight, pos_weight, reduction
        ctx.softplus_neg = softplus_neg
        return _reduce(loss, reduction)

    @staticmethod
    def backward(ctx, grad_out):
        x, t = ctx.saved_arrays
        n, pw = ctx.needs_input_grad, ctx.pos_weight
        g = _spread(grad_out, ctx.reduction, x.size)
        if ctx.weight is not None:
            g = g * ctx.weight
        grad_x = grad_t = None
        if n[0]:
            s = _sigmoid(x)
            grad_x = g * (s - t if pw is None else ((pw - 1) * t + 1) * s - pw * t)
        if n[1]:
            grad_t = g * (-x if pw is None else (pw - 1) * ctx.softplus_neg - x)
        return grad_x, grad_t


# ---- class-index losses: logits or log-probabilities (N, C) or (N, C, d1, ...) ---------------
def _rows(x: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(M, C) rows with the class axis last, and the M targets."""
    if x.ndim == 2:
        return x, target
    if x.ndim == 1:
        return x[None], target.reshape(1)
    c = x.shape[1]
    return np.moveaxis(x, 1, -1).reshape(-1, c), target.reshape(-1)


def _unrows(g: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    if len(shape) == 2:
        return g
    if len(shape) == 1:
        return g[0]
    moved = (shape[0],) + shape[2:] + (shape[1],)
    return np.moveaxis(g.reshape(moved), -1, 1)


def _target_weights(t: np.ndarray, weight: np.ndarray | None, ignore_index: int,
                    dtype: np.dtype) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
    """(safe targets, weight w_t per row (0 where ignored; None if all 1), valid mask or None)."""
    valid = t != ignore_index
    if valid.all():
        return t, (None if weight is None else weight[t]), None
    t_safe = np.where(valid, t, 0)
    w = valid.astype(dtype) if weight is None else weight[t_safe] * valid
    return t_safe, w, valid


def _finish(loss_rows: np.ndarray, w: np.ndarray | None, m: int, reduction: str,
            out_shape: tuple[int, ...], ctx) -> np.ndarray:
    if reduction == "none":
        return loss_rows.reshape(out_shape)
    total = loss_rows.sum()
    if reduction == "sum":
        return np.asarray(total, dtype=loss_rows.dtype)
    denom = m if w is None else w.sum()
    ctx.denom = denom
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(total / denom, dtype=loss_rows.dtype)


def _scale(ctx, grad_out: np.ndarray) -> np.ndarray:
    if ctx.reduction == "none":
        return grad_out.reshape(-1, 1)
    if ctx.reduction == "sum":
        return grad_out
    if ctx.denom == 0:  # every target ignored: the loss is nan, the gradient 0 (as PyTorch)
        return np.zeros_like(grad_out)
    return grad_out / ctx.denom


class CrossEntropyLoss(Function):
    """Log-softmax and NLL in one node, class-index targets, weights and label smoothing ε:
    l = (1 - ε) w_t (-log p_t) + ε/C Σ_c w_c (-log p_c);
    dl/dx_c = p_c((1 - ε) w_t + ε/C Σw) - (1 - ε) w_t [c = t] - ε/C w_c"""

    @staticmethod
    def forward(ctx, input, target, weight=None, ignore_index=-100,  # noqa: A002
                reduction="mean", label_smoothing=0.0):
        x2, t2 = _rows(input, target)
        m, c = x2.shape
        z = x2 - x2.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        t_safe, w, valid = _target_weights(t2, weight, ignore_index, x2.dtype)
        loss = -logp[np.arange(m), t_safe]
        if w is not None:
            loss = loss * w
        eps = label_smoothing
        if eps:
            smooth = -(logp.sum(axis=1) if weight is None else logp @ weight)
            if valid is not None:
                smooth = smooth * valid
            loss = (1 - eps) * loss + (eps / c) * smooth
        ctx.save_for_backward(logp)
        ctx.t, ctx.w, ctx.valid, ctx.weight = t_safe, w, valid, weight
        ctx.reduction, ctx.eps, ctx.in_shape = reduction, eps, input.shape
        return _finish(loss, w, m, reduction, target.shape, ctx)

    @staticmethod
    def backward(ctx, grad_out):
        (logp,) = ctx.saved_arrays
        m, c = logp.shape
        p = np.exp(logp)
        w, eps, valid = ctx.w, ctx.eps, ctx.valid
        a = 1.0 if w is None else w  # weight of each row's target (0 where ignored)
        if eps:
            total_w = c if ctx.weight is None else ctx.weight.sum()
            row = (1 - eps) * a + (eps / c) * (total_w if valid is None else total_w * valid)
            grad = p * (row[:, None] if np.ndim(row) else row)
            grad[np.arange(m), ctx.t] -= (1 - eps) * a
            cls_w = 1.0 if ctx.weight is None else ctx.weight
            grad -= (eps / c) * (cls_w if valid is None else np.outer(valid, cls_w))
        else:
            grad = p if w is None else p * w[:, None]
            grad[np.arange(m), ctx.t] -= a
        grad *= _scale(ctx, grad_out)
        return _unrows(grad, ctx.in_shape), None


class NLLLoss(Function):
    """l = -w_t x_t (x: log-probabilities); dl/dx_c = -w_t [c = t]"""

    @staticmethod
    def forward(ctx, input, target, weight=None, ignore_index=-100,  # noqa: A002
                reduction="mean"):
        x2, t2 = _rows(input, target)
        m = x2.shape[0]
        t_safe, w, _ = _target_weights(t2, weight, ignore_index, x2.dtype)
        loss = -x2[np.arange(m), t_safe]
        if w is not None:
            loss = loss * w
        ctx.t, ctx.w, ctx.reduction, ctx.in_shape = t_safe, w, reduction, input.shape
        ctx.rows_shape, ctx.dtype_in = x2.shape, x2.dtype
        return _finish(loss, w, m, reduction, target.shape, ctx)

    @staticmethod
    def backward(ctx, grad_out):
        grad = np.zeros(ctx.rows_shape, ctx.dtype_in)
        m = grad.shape[0]
        grad[np.arange(m), ctx.t] = -(1.0 if ctx.w is None else ctx.w)
        grad *= _scale(ctx, grad_out)
        return _unrows(grad, ctx.in_shape), None
