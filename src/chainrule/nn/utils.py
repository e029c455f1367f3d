"""Gradient clipping and flattening parameters, as ``torch.nn.utils``."""
from __future__ import annotations

import math
from typing import Iterable

import numpy as np

from .. import ops
from ..autograd.grad_mode import no_grad
from ..tensor import Tensor, _make

__all__ = ["clip_grad_norm_", "clip_grad_value_", "parameters_to_vector",
           "vector_to_parameters"]

Params = Tensor | Iterable[Tensor]


def _params(parameters: Params) -> list[Tensor]:
    return [parameters] if isinstance(parameters, Tensor) else list(parameters)


def clip_grad_norm_(parameters: Params, max_norm: float, norm_type: float = 2.0,
                    error_if_nonfinite: bool = False, foreach: bool | None = None) -> Tensor:
    """Scale all gradients together so their total ``norm_type``-norm is at most ``max_norm``.

    The total norm is the norm of all gradients as one vector; they are multiplied by
    min(1, max_norm / (total + 1e-6)), as PyTorch. Returns the total norm (before clipping).

    Example
    -------
    >>> import chainrule as cr
    >>> w = cr.nn.Parameter(cr.zeros(2)); w.grad = cr.tensor([3.0, 4.0])
    >>> cr.nn.utils.clip_grad_norm_([w], max_norm=1.0), w.grad
    (tensor(5.), tensor([0.6000, 0.8000]))
    """
    grads = [p.grad._data for p in _params(parameters) if p.grad is not None]
    norm_type = float(norm_type)
    if not grads:
        return _make(np.zeros((), np.float32))
    if norm_type == math.inf:
        total = max(float(np.abs(g).max()) if g.size else 0.0 for g in grads)
    elif norm_type == 2.0:
        total = math.sqrt(sum(float(np.vdot(g, g)) for g in grads))
    else:
        total = sum(float((np.abs(g) ** norm_type).sum()) for g in grads) ** (1.0 / norm_type)
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError(f"clip_grad_norm_: expected a finite total norm of order {norm_type},"
                           f" got {total}; pass error_if_nonfinite=False to clip anyway")
    coef = min(max_norm / (total + 1e-6), 1.0)
    for g in grads:
        g *= g.dtype.type(coef)
    return _make(np.asarray(total, dtype=grads[0].dtype))


def clip_grad_value_(parameters: Params, clip_value: float, foreach: bool | None = None) -> None:
    """Clamp every gradient element to [-clip_value, clip_value], in place."""
    for p in _params(parameters):
        if p.grad is not None:
            np.clip(p.grad._data, -clip_value, clip_value, out=p.grad._data)


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """All parameters flattened and joined into one vector (differentiable).

    Example
    -------
    >>> import chainrule as cr
    >>> cr.nn.utils.parameters_to_vector(cr.nn.Linear(3, 2).parameters()).shape
    chainrule.Size([8])
    """
    ps = _params(parameters)
    if not ps:
        raise ValueError("parameters_to_vector: expected at least one parameter, got none")
    return ops.cat([p.reshape(-1) for p in ps])


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Copy consecutive slices of ``vec`` into the parameters, in place."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"vector_to_parameters: expected a Tensor, got {type(vec).__name__}")
    ps = _params(parameters)
    n = sum(p.numel() for p in ps)
    if vec.ndim != 1 or vec.numel() != n:
        raise ValueError(f"vector_to_parameters: expected a vector of {n} elements (the "
                         f"parameters' total), got shape {vec.shape}")
    start = 0
    with no_grad():
        for p in ps:
            k = p.numel()
            p.copy_(vec._data[start:start + k].reshape(p.shape))
            start += k
