"""``chainrule.autograd.backward``: backpropagate from several tensors at once (PyTorch's
``torch.autograd.backward``)."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..lint import state as _lint
from ..tensor import Tensor, _make
from .engine import _initial_grad, run_backward

__all__ = ["backward"]


def backward(tensors: Tensor | Sequence[Tensor], grad_tensors: Any = None,
             retain_graph: bool | None = None, create_graph: bool = False,
             grad_variables: Any = None,
             inputs: Tensor | Sequence[Tensor] | None = None) -> None:
    """Accumulate the gradients of ``tensors`` (weighted by ``grad_tensors``, needed for
    non-scalars) into the ``.grad`` of the leaves, or of ``inputs`` only when given: one
    backward pass through the graph they share.

    Example
    -------
    >>> import chainrule as cr
    >>> w = cr.tensor(2.0, requires_grad=True)
    >>> cr.autograd.backward([w * w, 3 * w]); w.grad    # 2w + 3
    tensor(7.)
    """
    if create_graph:
        raise NotImplementedError("backward: create_graph=True (higher-order gradients) is not "
                                  "supported yet; chainrule computes first derivatives")
    if grad_variables is not None:
        grad_tensors = grad_variables
    outs = [tensors] if isinstance(tensors, Tensor) else list(tensors)
    if grad_tensors is None or isinstance(grad_tensors, Tensor):
        gouts = [grad_tensors] * len(outs)
    else:
        gouts = list(grad_tensors)
    if len(gouts) != len(outs):
        raise ValueError(f"backward: expected {len(outs)} grad_tensors (one per tensor), got "
                         f"{len(gouts)}")
    for i, t in enumerate(outs):
        if not isinstance(t, Tensor):
            raise TypeError(f"backward: expected Tensors, got {type(t).__name__} at index {i}")
        if not t.requires_grad:
            raise RuntimeError(f"backward: element {i} of tensors does not require grad and "
                               "does not have a grad_fn")
    seeds = [_initial_grad(t, g, "backward") for t, g in zip(outs, gouts)]
    keep = bool(retain_graph)
    _lint.backwards += 1
    if inputs is None:
        run_backward(outs, seeds, keep)
        return
    ins = [inputs] if isinstance(inputs, Tensor) else list(inputs)
    if not ins:
        raise ValueError("backward: expected a non-empty inputs, got an empty sequence")
    for t in ins:
        if not t.requires_grad:
            raise RuntimeError("backward: expected inputs that require grad, got one that does "
                               "not")
    for t, g in zip(ins, run_backward(outs, seeds, keep, capture=ins)):
        if g is None:
            continue
        if t.grad is None:
            t.grad = _make(np.array(g, dtype=t._data.dtype))
        else:
            t.grad._data += g
