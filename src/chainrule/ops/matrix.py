"""Matrix products with PyTorch's strict shapes (mm: 2-D, bmm: 3-D), transposes (``t``) and
coordinate grids (``meshgrid``). Each reuses the MatMul / Permute / Expand Functions."""
from __future__ import annotations

from typing import Any

from ..tensor import Tensor
from .matmul import MatMul
from .shape import Expand, Permute
from ._util import write_out


def _check(a: Tensor, b: Tensor, ndim: int, where: str) -> None:
    if a.ndim != ndim or b.ndim != ndim:
        raise ValueError(f"{where}: expected {ndim}-D tensors, got shapes {a._data.shape} and "
                         f"{b._data.shape}")
    sa, sb = a._data.shape, b._data.shape
    if sa[-1] != sb[-2] or (ndim == 3 and sa[0] != sb[0]):
        raise ValueError(f"{where}: expected shapes that multiply, got {a._data.shape} and "
                         f"{b._data.shape}")


def mm(input: Tensor, mat2: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    """Matrix product of two 2-D tensors (no broadcasting).

    Shape
    -----
    (n, k) @ (k, m) -> (n, m)

    Example
    -------
    >>> import chainrule as cr
    >>> cr.mm(cr.ones(2, 3), cr.ones(3, 4)).shape
    chainrule.Size([2, 4])
    """
    _check(input, mat2, 2, "mm")
    r = MatMul.apply(input, mat2)
    return r if out is None else write_out(out, r, "mm")


def bmm(input: Tensor, mat2: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    """Batched matrix product of two 3-D tensors: (b, n, k) @ (b, k, m) -> (b, n, m)."""
    _check(input, mat2, 3, "bmm")
    r = MatMul.apply(input, mat2)
    return r if out is None else write_out(out, r, "bmm")


def dot(input: Tensor, tensor: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    """Inner product of two 1-D tensors of equal length (a 0-d tensor)."""
    if input.ndim != 1 or tensor.ndim != 1 or input._data.shape != tensor._data.shape:
        raise ValueError(f"dot: expected two 1-D tensors of the same size, got shapes "
                         f"{input._data.shape} and {tensor._data.shape}")
    r = MatMul.apply(input, tensor)
    return r if out is None else write_out(out, r, "dot")


def outer(input: Tensor, vec2: Tensor) -> Tensor:  # noqa: A002
    """Outer product of two 1-D tensors: (n,), (m,) -> (n, m)."""
    if input.ndim != 1 or vec2.ndim != 1:
        raise ValueError(f"outer: expected two 1-D tensors, got shapes {input._data.shape} and "
                         f"{vec2._data.shape}")
    return MatMul.apply(input.reshape(-1, 1), vec2.reshape(1, -1))


def t(input: Tensor) -> Tensor:  # noqa: A002
    """Transpose of a tensor with at most 2 dims (0-D and 1-D come back as they are)."""
    if input.ndim > 2:
        raise ValueError(f"t: expected a tensor with <= 2 dims, got shape {input._data.shape}; "
                         "use transpose(dim0, dim1) or .mT")
    return Permute.apply(input, dims=(1, 0)) if input.ndim == 2 else input


def mT(input: Tensor) -> Tensor:  # noqa: N802, A002
    """The last two dims swapped (batches of matrices transposed)."""
    if input.ndim < 2:
        raise ValueError(f"mT: expected a tensor with >= 2 dims, got shape {input._data.shape}")
    order = list(range(input.ndim))
    order[-2], order[-1] = order[-1], order[-2]
    return Permute.apply(input, dims=tuple(order))


def meshgrid(*tensors: Any, indexing: str | None = None) -> tuple[Tensor, ...]:
    """Coordinate grids from 1-D tensors; ``indexing="ij"`` (PyTorch's default) or ``"xy"``.

    Example
    -------
    >>> import chainrule as cr
    >>> gx, gy = cr.meshgrid(cr.arange(3), cr.arange(2), indexing="xy")
    >>> gx.shape, gx[1].tolist()
    (chainrule.Size([2, 3]), [0, 1, 2])
    """
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    mode = "ij" if indexing is None else indexing
    if mode not in ("ij", "xy"):
        raise ValueError(f"meshgrid: expected indexing 'ij' or 'xy', got {indexing!r}")
    if any(t.ndim > 1 for t in tensors):
        raise ValueError(f"meshgrid: expected 0-D or 1-D tensors, got shapes "
                         f"{[t._data.shape for t in tensors]}")
    ts = [t.reshape(-1) for t in tensors]
    sizes = [t._data.shape[0] for t in ts]
    if mode == "xy" and len(ts) >= 2:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    out = []
    for i, t in enumerate(ts):
        pos = i if mode == "ij" or i > 1 else 1 - i
        shape = [1] * len(ts)
        shape[pos] = -1
        out.append(Expand.apply(t.reshape(*shape), shape=tuple(sizes)))
    return tuple(out)
