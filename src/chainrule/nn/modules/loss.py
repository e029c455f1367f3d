"""Loss modules: each stores its options (and weights, as buffers) and calls the function
of ``chainrule.nn.functional``; ``reduction`` is 'mean', 'sum' or 'none'."""
from __future__ import annotations

from typing import Any

import numpy as np

from ...lint import state as _lint
from ...lint._losses import check_loss
from ...tensor import Tensor, _make
from .. import functional as F
from .._losses import _REDUCTIONS
from .module import Module

__all__ = ["BCELoss", "BCEWithLogitsLoss", "CrossEntropyLoss", "HuberLoss", "L1Loss",
           "MSELoss", "NLLLoss", "SmoothL1Loss"]


class _Loss(Module):
    def __init__(self, reduction: str = "mean") -> None:
        super().__init__()
        if reduction not in _REDUCTIONS:
            raise ValueError(f"{type(self).__name__}: expected reduction 'mean', 'sum' or "
                             f"'none', got {reduction!r}")
        self.reduction = reduction

    def __call__(self, input: Any, target: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: A002
        if _lint.on:  # the linter: logits vs probabilities, float64 data (chainrule.lint)
            check_loss(self, input, target)
        return Module.__call__(self, input, target, *args, **kwargs)


class _WeightedLoss(_Loss):
    def __init__(self, weight: Any = None, reduction: str = "mean") -> None:
        super().__init__(reduction)
        self.register_buffer("weight", _buffer(weight))


def _buffer(w: Any) -> Tensor | None:
    if w is None or isinstance(w, Tensor):
        return w
    return _make(np.asarray(w))


class MSELoss(_Loss):
    """Mean squared error: mean((input - target)²).

    Shape
    -----
    input and target: the same shape (a mismatch raises; it never broadcasts).

    Example
    -------
    >>> import chainrule as cr
    >>> cr.nn.MSELoss()(cr.tensor([0.0, 2.0]), cr.tensor([1.0, 1.0]))
    tensor(1.)
    """

    def __init__(self, *, reduction: str = "mean") -> None:
        super().__init__(reduction)

    def forward(self, input: Tensor, target: Any) -> Tensor:  # noqa: A002
        return F.mse_loss(input, target, reduction=self.reduction)


class L1Loss(_Loss):
    """Mean absolute error (MAE): mean(|input - target|). Shape as :class:`MSELoss`."""

    def __init__(self, *, reduction: str = "mean") -> None:
        super().__init__(reduction)

    def forward(self, input: Tensor, target: Any) -> Tensor:  # noqa: A002
        return F.l1_loss(input, target, reduction=self.reduction)


class HuberLoss(_Loss):
    """Quadratic for |d| < delta, linear beyond. Shape as :class:`MSELoss`."""

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(reduction)
        self.delta = delta

    def forward(self, input: Tensor, target: Any) -> Tensor:  # noqa: A002
        return F.huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class SmoothL1Loss(_Loss):
    """Huber loss divided by ``beta`` (L1 when beta = 0). Shape as :class:`MSELoss`."""

    def __init__(self, *, reduction: str = "mean", beta: float = 1.0) -> None:
        super().__init__(reduction)
        self.beta = beta

    def forward(self, input: Tensor, target: Any) -> Tensor:  # noqa: A002
        return F.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class BCELoss(_WeightedLoss):
    """Binary cross-entropy on probabilities (inputs in [0, 1], e.g. after Sigmoid).

    Shape
    -----
    input and target: the same shape; weight broadcasts to it.
    """

    def __init__(self, weight: Any = None, *, reduction: str = "mean") -> None:
        super().__init__(weight, reduction)

    def forward(self, input: Tensor, target: Any) -> Tensor:  # noqa: A002
        return F.binary_cross_entropy(input, target, self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(_WeightedLoss):
    """Binary cross-entropy on raw scores (logits): Sigmoid + BCELoss, stable, in one node.

    Shape
    -----
    input and target: the same shape; weight and pos_weight broadcast to it.

    Example
    -------
    >>> import chainrule as cr
    >>> loss = cr.nn.BCEWithLogitsLoss()(cr.tensor([0.0]), cr.tensor([1.0]))
    >>> round(loss.item(), 4)   # log 2
    0.6931
    """

    def __init__(self, weight: Any = None, *, reduction: str = "mean",
                 pos_weight: Any = None) -> None:
        super().__init__(weight, reduction)
        self.register_buffer("pos_weight", _buffer(pos_weight))

    def forward(self, input: Tensor, target: Any) -> Tensor:  # noqa: A002
        return F.binary_cross_entropy_with_logits(input, target, self.weight,
                                                  reduction=self.reduction,
                                                  pos_weight=self.pos_weight)


class CrossEntropyLoss(_WeightedLoss):
    """Cross-entropy from logits (log-softmax + NLL in one node), as PyTorch's.

    Targets: int64 class indices (``ignore_index`` skipped) or class probabilities.

    Shape
    -----
    input (N, C), (N, C, d1, ...) or (C,); target (N,), (N, d1, ...) or () of class
    indices, or the input's shape.

    Example
    -------
    >>> import chainrule as cr
    >>> loss = cr.nn.CrossEntropyLoss()(cr.zeros(4, 10), cr.tensor([1, 0, 4, 9]))
    >>> round(loss.item(), 4)   # log 10
    2.3026
    """

    def __init__(self, weight: Any = None, *, ignore_index: int = -100,
                 reduction: str = "mean", label_smoothing: float = 0.0) -> None:
        super().__init__(weight, reduction)
        if not 0.0 <= label_smoothing <= 1.0:
            raise ValueError(f"CrossEntropyLoss: expected label_smoothing in [0, 1], got "
                             f"{label_smoothing}")
        self.ignore_index, self.label_smoothing = ignore_index, label_smoothing

    def forward(self, input: Tensor, target: Any) -> Tensor:  # noqa: A002
        return F.cross_entropy(input, target, self.weight, ignore_index=self.ignore_index,
                               reduction=self.reduction, label_smoothing=self.label_smoothing)


class NLLLoss(_WeightedLoss):
    """Negative log-likelihood of class indices from log-probabilities (after LogSoftmax).

    Shape
    -----
    input (N, C), (N, C, d1, ...) or (C,); target the batch shape.
    """

    def __init__(self, weight: Any = None, *, ignore_index: int = -100,
                 reduction: str = "mean") -> None:
        super().__init__(weight, reduction)
        self.ignore_index = ignore_index

    def forward(self, input: Tensor, target: Any) -> Tensor:  # noqa: A002
        return F.nll_loss(input, target, self.weight, ignore_index=self.ignore_index,
                          reduction=self.reduction)
