"""Parameter: a leaf tensor that a Module registers as learnable."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor, _as_array


class Parameter(Tensor):
    """A tensor that requires grad by default and is registered when assigned to a Module.

    Shape
    -----
    Any; a Linear weight is (out_features, in_features).

    Example
    -------
    >>> import chainrule as cr
    >>> w = cr.nn.Parameter(cr.zeros(2, 3))
    >>> w.requires_grad, w.shape
    (True, chainrule.Size([2, 3]))
    """

    __slots__ = ()

    def __init__(self, data: Any = None, requires_grad: bool = True) -> None:
        arr = np.empty(0, np.float32) if data is None else _as_array(data)
        if isinstance(data, Tensor):
            arr = data._data  # share memory, as torch.nn.Parameter
        super().__init__(arr, requires_grad=False)
        self._data = arr
        if requires_grad:
            self.requires_grad_(True)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()
