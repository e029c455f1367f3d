"""CosineSimilarity and PairwiseDistance (as ``torch.nn``), and KLDivLoss."""
from __future__ import annotations

from ...tensor import Tensor
from .. import _activations as A
from .module import Module

__all__ = ["CosineSimilarity", "KLDivLoss", "PairwiseDistance"]


class CosineSimilarity(Module):
    """x1·x2 / max(‖x1‖·‖x2‖, eps) along ``dim``.

    Shape
    -----
    x1, x2 (*, D, *) broadcastable -> (*, *) without ``dim``.

    Example
    -------
    >>> import chainrule as cr
    >>> cr.nn.CosineSimilarity(dim=0)(cr.tensor([1.0, 0.0]), cr.tensor([0.0, 2.0])).item()
    0.0
    """

    def __init__(self, dim: int = 1, eps: float = 1e-8) -> None:
        super().__init__()
        self.dim, self.eps = dim, eps

    def forward(self, x1: Tensor, x2: Tensor) -> Tensor:
        return A.cosine_similarity(x1, x2, self.dim, self.eps)


class PairwiseDistance(Module):
    """‖x1 - x2 + eps‖_p along the last dim."""

    def __init__(self, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> None:
        super().__init__()
        self.norm, self.eps, self.keepdim = p, eps, keepdim

    def forward(self, x1: Tensor, x2: Tensor) -> Tensor:
        return A.pairwise_distance(x1, x2, self.norm, self.eps, self.keepdim)


class KLDivLoss(Module):
    """Σ target·(log target - input), ``input`` log-probabilities (see ``F.kl_div``)."""

    def __init__(self, size_average: object = None, reduce: object = None,
                 reduction: str = "mean", log_target: bool = False) -> None:
        super().__init__()
        self.reduction, self.log_target = reduction, log_target

    def forward(self, input: Tensor, target: Tensor) -> Tensor:  # noqa: A002
        return A.kl_div(input, target, reduction=self.reduction, log_target=self.log_target)
