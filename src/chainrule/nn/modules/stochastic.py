"""Layers with training-time noise (as ``torch.nn``): RReLU and FeatureAlphaDropout."""
from __future__ import annotations

from ...random import Generator
from ...tensor import Tensor
from .. import _stochastic as S
from .dropout import Dropout
from .module import Module

__all__ = ["FeatureAlphaDropout", "RReLU"]


class RReLU(Module):
    """Randomized leaky ReLU: x where x > 0, else a·x with a ~ U(lower, upper) per element in
    training and a = (lower + upper) / 2 in eval mode.

    Shape
    -----
    Any, kept.

    Example
    -------
    >>> import chainrule as cr
    >>> cr.nn.RReLU(0.1, 0.3).eval()(cr.tensor([-1.0, 2.0]))
    tensor([-0.2000,  2.0000])
    """

    def __init__(self, lower: float = 1.0 / 8, upper: float = 1.0 / 3, inplace: bool = False,
                 *, generator: Generator | None = None) -> None:
        super().__init__()
        if not lower <= upper:
            raise ValueError(f"RReLU: expected lower <= upper, got lower={lower}, "
                             f"upper={upper}")
        self.lower, self.upper, self.inplace, self.generator = lower, upper, inplace, generator

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return S.rrelu(input, self.lower, self.upper, self.training, generator=self.generator)

    def extra_repr(self) -> str:
        return f"lower={self.lower}, upper={self.upper}" + (", inplace=True" if self.inplace
                                                              else "")


class FeatureAlphaDropout(Dropout):  # Dropout's p check, generator and repr; its own noise
    """Alpha dropout of whole channels for SELU networks (see
    :func:`chainrule.nn.functional.feature_alpha_dropout`); the identity in eval mode.

    Shape
    -----
    (N, C, *), kept.

    Example
    -------
    >>> import chainrule as cr
    >>> drop = cr.nn.FeatureAlphaDropout(0.2)
    >>> x = cr.ones(4, 3)
    >>> drop.eval()(x) is x
    True
    """

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return S.feature_alpha_dropout(input, self.p, self.training, generator=self.generator)
