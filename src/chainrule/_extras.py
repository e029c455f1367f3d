"""Small parts of PyTorch's top-level API: constants, type predicates, print options,
determinism switches and index/grid helpers (``tril_indices``, ``cartesian_prod``, ...)."""
from __future__ import annotations

import itertools
import math
import sys
from typing import Any

import numpy as np

from .tensor import Tensor, _make

e, pi, inf, nan = math.e, math.pi, math.inf, math.nan
newaxis = None
# linewidth None: NumPy's 75 (what chainrule printed before set_printoptions existed)
PRINT_OPTIONS: dict[str, Any] = {"precision": 4, "threshold": 1000, "edgeitems": 3,
                                 "linewidth": None, "sci_mode": None}
_DETERMINISTIC = [False]


def is_tensor(obj: Any) -> bool:
    """Whether ``obj`` is a chainrule Tensor."""
    return isinstance(obj, Tensor)


def is_floating_point(input: Tensor) -> bool:  # noqa: A002
    return input._data.dtype.kind == "f"


def is_nonzero(input: Tensor) -> bool:  # noqa: A002
    """The truth value of a one-element tensor."""
    if input._data.size != 1:
        raise RuntimeError(f"is_nonzero: expected a tensor with one element, got shape "
                           f"{input._data.shape}")
    return bool(input._data.reshape(()))


def set_printoptions(precision: int | None = None, threshold: int | None = None,
                     edgeitems: int | None = None, linewidth: int | None = None,
                     profile: str | None = None, sci_mode: bool | None = None) -> None:
    """How tensors print, as ``torch.set_printoptions`` (profile "default", "short", "full").

    Example
    -------
    >>> import chainrule as cr
    >>> cr.set_printoptions(precision=2); cr.tensor([1.2345, 2.0])
    tensor([1.23, 2.00])
    >>> cr.set_printoptions(profile="default")
    """
    if profile is not None:
        PRINT_OPTIONS.update({"default": dict(precision=4, threshold=1000, edgeitems=3,
                                              linewidth=None),
                              "short": dict(precision=2, threshold=1000, edgeitems=2,
                                            linewidth=None),
                              "full": dict(precision=4, threshold=sys.maxsize, edgeitems=3,
                                           linewidth=None)}[profile])
    for k, v in (("precision", precision), ("threshold", threshold), ("edgeitems", edgeitems),
                 ("linewidth", linewidth), ("sci_mode", sci_mode)):
        if v is not None:
            PRINT_OPTIONS[k] = v


def use_deterministic_algorithms(mode: bool, *, warn_only: bool = False) -> None:
    """Accepted: chainrule's NumPy kernels are deterministic already."""
    _DETERMINISTIC[0] = bool(mode)


def are_deterministic_algorithms_enabled() -> bool:
    return _DETERMINISTIC[0]


def logspace(start: float, end: float, steps: int, base: float = 10.0, *, dtype: Any = None,
             device: Any = None, requires_grad: bool = False) -> Tensor:
    """``steps`` values from base**start to base**end, evenly spaced in the exponent."""
    from .creation import _finish, _float
    return _finish(np.logspace(start, end, steps, base=base).astype(_float(dtype)),
                   requires_grad, device, "logspace")


def _tri_indices(row: int, col: int, offset: int, upper: bool) -> Tensor:
    r, c = (np.triu_indices if upper else np.tril_indices)(row, offset, col)
    return _make(np.stack([r, c]).astype(np.int64))


def tril_indices(row: int, col: int, offset: int = 0, *, dtype: Any = None,
                 device: Any = None) -> Tensor:
    """The (2, n) row/column indices of the lower triangle of a row×col matrix."""
    return _tri_indices(row, col, offset, False)


def triu_indices(row: int, col: int, offset: int = 0, *, dtype: Any = None,
                 device: Any = None) -> Tensor:
    return _tri_indices(row, col, offset, True)


def cartesian_prod(*tensors: Tensor) -> Tensor:
    """All combinations of one element from each 1-D tensor, as rows (1 tensor: itself)."""
    from .ops.matrix import meshgrid
    from .ops.arrange import reshape, stack
    if len(tensors) == 1:
        return tensors[0]
    grids = meshgrid(*tensors, indexing="ij")
    return stack([reshape(g, -1) for g in grids], 1)


def combinations(input: Tensor, r: int = 2, with_replacement: bool = False) -> Tensor:  # noqa: A002
    """Rows of ``r`` elements of a 1-D tensor, as ``itertools.combinations``."""
    from .ops.arrange import index_select, reshape
    n = input._data.shape[0]
    pick = (itertools.combinations_with_replacement if with_replacement else
            itertools.combinations)(range(n), r)
    idx = np.array(list(pick), dtype=np.int64).reshape(-1, r)
    return reshape(index_select(input, 0, idx.reshape(-1)), -1, r)


def block_diag(*tensors: Tensor) -> Tensor:
    """Matrices placed along the diagonal of a zero matrix."""
    from .ops.shape import Pad
    from .ops.arrange import cat
    mats = [t.reshape(1, -1) if t.ndim < 2 else t for t in tensors]
    total = sum(m._data.shape[1] for m in mats)
    rows, left = [], 0
    for m in mats:
        w = m._data.shape[1]
        rows.append(Pad.apply(m, widths=((0, 0), (left, total - left - w)), value=0.0))
        left += w
    return cat(rows, 0)


def asarray(obj: Any, *, dtype: Any = None, device: Any = None, copy: bool | None = None,
            requires_grad: bool = False) -> Tensor:
    """``obj`` as a tensor, sharing memory when it can (``copy=True`` always copies)."""
    from .creation import as_tensor
    t = as_tensor(obj, dtype=dtype, device=device)
    if copy:
        t = _make(np.array(t._data))
    return t.requires_grad_(True) if requires_grad else t


def detach(input: Tensor) -> Tensor:  # noqa: A002
    return input.detach()


def typename(obj: Any) -> str:
    if isinstance(obj, Tensor):
        return obj.type()
    return type(obj).__module__ + "." + type(obj).__qualname__


def concat(tensors: Any, dim: int = 0) -> Tensor:
    """``cat`` under its other name."""
    from .ops.arrange import cat
    return cat(tensors, dim)


def is_same_size(input: Tensor, other: Tensor) -> bool:  # noqa: A002
    return input._data.shape == other._data.shape


def is_signed(input: Tensor) -> bool:  # noqa: A002
    return input._data.dtype.kind in "fi"


def fill(input: Tensor, value: Any) -> Tensor:  # noqa: A002
    """A new tensor like ``input`` filled with ``value``."""
    return _make(np.full(input._data.shape, value._data if isinstance(value, Tensor) else value,
                         input._data.dtype))


def unravel_index(indices: Any, shape: Any) -> tuple[Tensor, ...]:
    """Flat indices -> one index tensor per dim of ``shape``."""
    idx = indices._data if isinstance(indices, Tensor) else np.asarray(indices)
    return tuple(_make(np.asarray(i, dtype=np.int64)) for i in np.unravel_index(idx, shape))


def get_device(input: Tensor) -> int:  # noqa: A002
    return -1
