"""Dropout: inverted dropout, active in training mode only."""
from __future__ import annotations

from ...autograd.grad_mode import state as _grad
from ...lint import state as _lint
from ...lint._steps import check_mode
from ...random import Generator
from ...tensor import Tensor
from .. import functional as F
from .module import Module

__all__ = ["Dropout"]


class Dropout(Module):
    """Zero each element with probability ``p`` in training and scale the rest by 1/(1-p);
    the identity in eval mode. The mask comes from the library's generator (or ``generator``).

    Shape
    -----
    Any, kept.

    Example
    -------
    >>> import chainrule as cr
    >>> drop = cr.nn.Dropout(0.5)
    >>> x = cr.ones(4)
    >>> drop.eval()(x) is x
    True
    """

    def __init__(self, p: float = 0.5, inplace: bool = False, *,
                 generator: Generator | None = None) -> None:
        super().__init__()
        if not isinstance(p, (int, float)) or not 0.0 <= p <= 1.0:
            raise ValueError(f"{type(self).__name__}: expected p in [0, 1], got {p!r}")
        self.p, self.inplace, self.generator = p, inplace, generator

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        if self.training is not _grad.enabled and _lint.on:  # linter: mode vs no_grad
            check_mode(self, input)
        return F.dropout(input, self.p, self.training, generator=self.generator)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"
