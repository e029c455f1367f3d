"""More activation layers (as ``torch.nn``), each a wrapper of one ``nn.functional`` function.

``inplace=True`` is accepted (and shown in repr) so PyTorch code runs; results are
computed out of place.
"""
from __future__ import annotations

from ...tensor import Tensor
from .. import _activations as A
from .activation import _Inplace
from .module import Module

__all__ = ["CELU", "GLU", "Hardsigmoid", "Hardswish", "Hardtanh", "LogSigmoid", "Mish",
           "ReLU6", "SELU", "Softmin", "Softsign", "Tanhshrink", "Threshold"]


class Hardtanh(_Inplace):
    """clamp(x, min_val, max_val). Shape: any, kept."""

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0,
                 inplace: bool = False) -> None:
        super().__init__(inplace)
        if min_val > max_val:
            raise ValueError(f"Hardtanh: expected min_val <= max_val, got {min_val} > {max_val}")
        self.min_val, self.max_val = min_val, max_val

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return A.hardtanh(input, self.min_val, self.max_val)

    def extra_repr(self) -> str:
        return self._with_inplace(f"min_val={self.min_val}, max_val={self.max_val}")


class ReLU6(_Inplace):
    """min(max(x, 0), 6).

    Example
    -------
    >>> import chainrule as cr
    >>> cr.nn.ReLU6()(cr.tensor([-1.0, 8.0]))
    tensor([0., 6.])
    """

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return A.relu6(input)


class SELU(_Inplace):
    """scale·elu(x, alpha), the self-normalising constants."""

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return A.selu(input)


class CELU(_Inplace):
    """max(0, x) + min(0, alpha·(e^(x/alpha) - 1))."""

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__(inplace)
        self.alpha = alpha

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return A.celu(input, self.alpha)

    def extra_repr(self) -> str:
        return self._with_inplace(f"alpha={self.alpha}")


class Mish(_Inplace):
    """x·tanh(softplus(x))."""

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return A.mish(input)


class Hardsigmoid(_Inplace):
    """relu6(x + 3) / 6."""

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return A.hardsigmoid(input)


class Hardswish(_Inplace):
    """x·relu6(x + 3) / 6."""

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return A.hardswish(input)


class Threshold(_Inplace):
    """x where x > threshold, else ``value``."""

    def __init__(self, threshold: float, value: float, inplace: bool = False) -> None:
        super().__init__(inplace)
        self.threshold, self.value = threshold, value

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return A.threshold(input, self.threshold, self.value)

    def extra_repr(self) -> str:
        return self._with_inplace(f"threshold={self.threshold}, value={self.value}")


class LogSigmoid(Module):
    """log(sigmoid(x)), computed stably."""

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return A.logsigmoid(input)


class Softsign(Module):
    """x / (1 + |x|)."""

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return A.softsign(input)


class Tanhshrink(Module):
    """x - tanh(x)."""

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return A.tanhshrink(input)


class Softmin(Module):
    """softmax(-x) along ``dim``."""

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return A.softmin(input, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class GLU(Module):
    """a·sigmoid(b), a and b the halves of the input along ``dim``.

    Shape
    -----
    (*, 2n, *) -> (*, n, *).
    """

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return A.glu(input, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"
