"""Linear (x Wᵀ + b, PyTorch's initialisation), Identity, Flatten and Unflatten."""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from ... import _dtype
from ...ops.matmul import Linear as _LinearFn
from ...tensor import Tensor
from .. import init
from ..parameter import Parameter
from .module import Module

__all__ = ["Flatten", "Identity", "Linear", "Unflatten"]


def _size(value: Any, name: str, where: str) -> int:
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool):
        raise TypeError(f"{where}: expected {name} to be an int, got {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{where}: expected {name} >= 0, got {value}")
    return int(value)


def _check_device(device: Any, where: str) -> None:
    if device is not None and not str(device).startswith("cpu"):
        raise ValueError(f"{where}: expected device None or 'cpu' (chainrule runs on NumPy), "
                         f"got {device!r}")


class Linear(Module):
    """y = x Wᵀ + b, one fused graph node.

    Initialised as PyTorch: W ~ U(-1/√in, 1/√in) (kaiming_uniform_ with a=√5) and
    b ~ U(-1/√in, 1/√in), from ``chainrule.random.default_generator``.

    Shape
    -----
    input (*, in_features) -> output (*, out_features); weight (out_features,
    in_features), bias (out_features,).

    Example
    -------
    >>> import chainrule as cr
    >>> layer = cr.nn.Linear(4, 3)
    >>> layer(cr.randn(8, 4)).shape, layer.weight.shape
    (chainrule.Size([8, 3]), chainrule.Size([3, 4]))
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        self.in_features = _size(in_features, "in_features", "Linear")
        self.out_features = _size(out_features, "out_features", "Linear")
        _check_device(device, "Linear")
        d = _dtype.float_dtype(dtype)
        self.weight = Parameter(np.empty((self.out_features, self.in_features), d))
        self.bias: Parameter | None
        if bias:
            self.bias = Parameter(np.empty(self.out_features, d))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw new weights and bias with PyTorch's default distribution."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            bound = 1 / math.sqrt(self.in_features) if self.in_features > 0 else 0.0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        try:
            if self.bias is None:
                return _LinearFn.apply(input, self.weight)  # type: ignore[no-any-return]
            return _LinearFn.apply(input, self.weight, self.bias)  # type: ignore[no-any-return]
        except ValueError:
            shape = np.shape(input._data if isinstance(input, Tensor) else input)
            raise ValueError(f"{self._where()}: expected input with last dimension "
                             f"{self.in_features}, got shape {shape}") from None

    def extra_repr(self) -> str:
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")

    def _short_name(self) -> str:
        return f"Linear {self.in_features}->{self.out_features}"


class Identity(Module):
    """Returns its input unchanged (arguments are accepted and ignored, as PyTorch).

    Example
    -------
    >>> import chainrule as cr
    >>> x = cr.ones(2)
    >>> cr.nn.Identity()(x) is x
    True
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def forward(self, input: Any) -> Any:  # noqa: A002
        return input


class Flatten(Module):
    """Merge dims ``start_dim`` to ``end_dim`` into one (by default all but the batch dim).

    Shape
    -----
    (N, d1, d2, ...) -> (N, d1·d2·...).

    Example
    -------
    >>> import chainrule as cr
    >>> cr.nn.Flatten()(cr.zeros(8, 2, 3)).shape
    chainrule.Size([8, 6])
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return input.flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Split dimension ``dim`` into ``unflattened_size`` (the inverse of :class:`Flatten`).

    Shape
    -----
    (*, d, *) -> (*, s1, s2, ..., *) with s1·s2·... = d (one size may be -1).

    Example
    -------
    >>> import chainrule as cr
    >>> tuple(cr.nn.Unflatten(1, (2, 3))(cr.zeros(8, 6)).shape)
    (8, 2, 3)
    """

    def __init__(self, dim: int, unflattened_size: Any) -> None:
        super().__init__()
        if isinstance(dim, str):
            raise TypeError("Unflatten: expected an int dim, got a str (named tensors are not "
                            "supported)")
        sizes = tuple(unflattened_size)
        if not sizes or not all(isinstance(s, (int, np.integer)) and not isinstance(s, bool)
                                for s in sizes):
            raise TypeError(f"Unflatten: expected unflattened_size a tuple of ints, got "
                            f"{unflattened_size!r}")
        self.dim, self.unflattened_size = int(dim), tuple(int(s) for s in sizes)

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        shape = tuple(input.shape)
        dim = self.dim + len(shape) if self.dim < 0 else self.dim
        if not 0 <= dim < len(shape):
            raise IndexError(f"{self._where()}: expected dim in [{-len(shape)}, "
                             f"{len(shape) - 1}], got {self.dim}")
        sizes = self.unflattened_size
        known = int(np.prod([s for s in sizes if s != -1]))
        if (-1 not in sizes and known != shape[dim]) or (-1 in sizes and (
                known == 0 or shape[dim] % known)):
            raise ValueError(f"{self._where()}: expected sizes whose product is the size "
                             f"{shape[dim]} of dim {self.dim}, got {sizes}")
        return input.reshape(shape[:dim] + sizes + shape[dim + 1:])

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
