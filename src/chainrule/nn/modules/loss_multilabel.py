"""MultiLabelMarginLoss (as ``torch.nn``): hinge losses between target and other classes."""
from __future__ import annotations

from ...tensor import Tensor
from .. import _pairwise as P
from .module import Module

__all__ = ["MultiLabelMarginLoss"]


class MultiLabelMarginLoss(Module):
    """Σ_j Σ_i max(0, 1 - (x[y_j] - x[i])) / C over the target classes y_j of each sample
    (listed in ``target``, ended by the first -1) and its non-target classes i.

    Shape
    -----
    input (C) or (N, C); target of the same shape (int64) -> scalar, or (N) with
    reduction='none'.

    Example
    -------
    >>> import chainrule as cr
    >>> loss = cr.nn.MultiLabelMarginLoss()
    >>> loss(cr.tensor([[0.1, 0.2, 0.4, 0.8]]), cr.tensor([[3, 0, -1, 1]]))
    tensor(0.8500)
    """

    def __init__(self, size_average: object = None, reduce: object = None,
                 reduction: str = "mean") -> None:
        super().__init__()
        self.reduction = reduction

    def forward(self, input: Tensor, target: Tensor) -> Tensor:  # noqa: A002
        return P.multilabel_margin_loss(input, target, reduction=self.reduction)
