"""More of PyTorch's losses, composed from chainrule's ops (autograd differentiates them):
Gaussian and Poisson negative log likelihoods, margin and embedding losses."""
from __future__ import annotations

import math
from typing import Any

from .. import ops
from ..autograd.grad_mode import no_grad
from ..creation import full_like
from ..tensor import Tensor
from ._activations import logsigmoid, pairwise_distance

__all__ = ["cosine_embedding_loss", "gaussian_nll_loss", "hinge_embedding_loss",
           "margin_ranking_loss", "multi_margin_loss", "multilabel_soft_margin_loss",
           "poisson_nll_loss", "soft_margin_loss", "triplet_margin_loss",
           "triplet_margin_with_distance_loss"]


def _reduce(loss: Tensor, reduction: str, where: str) -> Tensor:
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    if reduction == "none":
        return loss
    raise ValueError(f"{where}: expected reduction 'mean', 'sum' or 'none', got {reduction!r}")


def gaussian_nll_loss(input: Tensor, target: Tensor, var: Tensor | float,  # noqa: A002
                      full: bool = False, eps: float = 1e-6, reduction: str = "mean") -> Tensor:
    """½(log var + (input - target)² / var) (+ ½ log 2π with ``full``), var clamped to >= eps
    in value only (the gradient flows as if unclamped, as PyTorch).

    Shape
    -----
    input, target (N, *); var like input, or without its last dim, or with last dim 1.
    """
    if not isinstance(var, Tensor):
        var = full_like(input.detach(), float(var))
    shape, vshape = tuple(input.shape), tuple(var.shape)
    if vshape != shape:
        if shape[:-1] == vshape:
            var = var.unsqueeze(-1)
        elif not (shape[:-1] == vshape[:-1] and vshape[-1:] == (1,)):
            raise ValueError(f"gaussian_nll_loss: expected var of shape {shape}, {shape[:-1]} or "
                             f"{shape[:-1] + (1,)}, got {vshape}")
    if bool((var < 0).any()):
        raise ValueError("gaussian_nll_loss: expected var >= 0, got a negative value")
    with no_grad():
        shift = ops.clamp(var.detach(), min=eps) - var.detach()
    var = var + shift
    loss = 0.5 * (ops.log(var) + (input - target) ** 2 / var)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _reduce(loss, reduction, "gaussian_nll_loss")


def poisson_nll_loss(input: Tensor, target: Tensor, log_input: bool = True,  # noqa: A002
                     full: bool = False, size_average: object = None, eps: float = 1e-8,
                     reduce: object = None, reduction: str = "mean") -> Tensor:
    """exp(input) - target·input (``log_input``), else input - target·log(input + eps); with
    ``full`` Stirling's term target·log target - target + ½ log(2π target) where target > 1."""
    if log_input:
        loss = ops.exp(input) - target * input
    else:
        loss = input - target * ops.log(input + eps)
    if full:
        t = target.detach()
        stirling = ops.xlogy(t, t) - t + 0.5 * ops.log(2 * math.pi * ops.clamp(t, min=1.0))
        loss = loss + ops.where(t > 1, stirling, 0.0)
    return _reduce(loss, reduction, "poisson_nll_loss")


def margin_ranking_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0.0,
                        size_average: object = None, reduce: object = None,
                        reduction: str = "mean") -> Tensor:
    """max(0, -y·(x1 - x2) + margin), y in {1, -1}."""
    loss = ops.clamp(-target * (input1 - input2) + margin, min=0.0)
    return _reduce(loss, reduction, "margin_ranking_loss")


def soft_margin_loss(input: Tensor, target: Tensor, size_average: object = None,  # noqa: A002
                     reduce: object = None, reduction: str = "mean") -> Tensor:
    """log(1 + exp(-y·x)), y in {1, -1}."""
    return _reduce(ops.softplus(-target * input), reduction, "soft_margin_loss")


def hinge_embedding_loss(input: Tensor, target: Tensor, margin: float = 1.0,  # noqa: A002
                         size_average: object = None, reduce: object = None,
                         reduction: str = "mean") -> Tensor:
    """x where y = 1, max(0, margin - x) where y = -1."""
    margin_part = ops.where(target != 1, ops.clamp(margin - input, min=0.0), 0.0)
    self_part = ops.where(target != -1, input, 0.0)
    return _reduce(margin_part + self_part, reduction, "hinge_embedding_loss")


def cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0.0,
                          size_average: object = None, reduce: object = None,
                          reduction: str = "mean") -> Tensor:
    """1 - cos(x1, x2) where y = 1, max(0, cos(x1, x2) - margin) where y = -1 (last dim)."""
    eps = 1e-12
    dot = (input1 * input2).sum(-1)
    cos = dot / ops.sqrt(((input1 * input1).sum(-1) + eps) * ((input2 * input2).sum(-1) + eps))
    pos = ops.where(target == 1, 1.0 - cos, 0.0)
    neg = ops.where(target == -1, ops.clamp(cos - margin, min=0.0), 0.0)
    return _reduce(pos + neg, reduction, "cosine_embedding_loss")


def multilabel_soft_margin_loss(input: Tensor, target: Tensor,  # noqa: A002
                                weight: Tensor | None = None, size_average: object = None,
                                reduce: object = None, reduction: str = "mean") -> Tensor:
    """-(y·log σ(x) + (1 - y)·log σ(-x)), averaged over the C classes of each sample.

    Shape
    -----
    input, target (N, C) -> (N,) with reduction='none'.
    """
    loss = -(target * logsigmoid(input) + (1 - target) * logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    loss = loss.sum(-1) / input.shape[-1]
    return _reduce(loss, reduction, "multilabel_soft_margin_loss")


def triplet_margin_loss(anchor: Tensor, positive: Tensor, negative: Tensor, margin: float = 1.0,
                        p: float = 2.0, eps: float = 1e-6, swap: bool = False,
                        size_average: object = None, reduce: object = None,
                        reduction: str = "mean") -> Tensor:
    """max(0, d(a, p) - d(a, n) + margin) with d the p-norm distance (``swap``: the harder
    negative distance min(d(a, n), d(p, n)))."""
    d_ap = pairwise_distance(anchor, positive, p, eps)
    d_an = pairwise_distance(anchor, negative, p, eps)
    if swap:
        d_an = ops.minimum(d_an, pairwise_distance(positive, negative, p, eps))
    return _reduce(ops.clamp(margin + d_ap - d_an, min=0.0), reduction, "triplet_margin_loss")


def triplet_margin_with_distance_loss(anchor: Tensor, positive: Tensor, negative: Tensor, *,
                                      distance_function: Any = None, margin: float = 1.0,
                                      swap: bool = False, reduction: str = "mean") -> Tensor:
    """max(0, d(a, p) - d(a, n) + margin) with any ``distance_function`` (default: the
    Euclidean pairwise distance)."""
    dist = distance_function if distance_function is not None else pairwise_distance
    d_ap, d_an = dist(anchor, positive), dist(anchor, negative)
    if swap:
        d_an = ops.minimum(d_an, dist(positive, negative))
    return _reduce(ops.clamp(margin + d_ap - d_an, min=0.0), reduction,
                   "triplet_margin_with_distance_loss")


def multi_margin_loss(input: Tensor, target: Tensor, p: int = 1, margin: float = 1.0,  # noqa: A002
                      weight: Tensor | None = None, size_average: object = None,
                      reduce: object = None, reduction: str = "mean") -> Tensor:
    """Σ_{i ≠ y} max(0, margin - x[y] + x[i])^p / C per sample (a multi-class hinge loss).

    Shape
    -----
    input (N, C) or (C,), target (N,) or () class indices.
    """
    if p not in (1, 2):
        raise ValueError(f"multi_margin_loss: expected p 1 or 2, got {p}")
    x = input if input.ndim == 2 else input.unsqueeze(0)
    y = target.reshape(-1)
    c = x.shape[1]
    picked = ops.gather(x, 1, y.unsqueeze(1))  # (N, 1)
    hinge = ops.clamp(margin - picked + x, min=0.0)
    if p == 2:
        hinge = hinge * hinge
    if weight is not None:
        hinge = hinge * ops.index_select(weight, 0, y).unsqueeze(1)
    others = ops.one_hot(y, c) == 0
    loss = ops.where(others, hinge, 0.0).sum(1) / c
    if input.ndim != 2:
        loss = loss.reshape(())
    return _reduce(loss, reduction, "multi_margin_loss")
