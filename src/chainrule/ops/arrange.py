"""Public shape, indexing and matrix-product functions (also Tensor methods)."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..tensor import Tensor, _make
from . import indexing as I
from . import matmul as M
from . import shape as S


def _shape_arg(shape: tuple[Any, ...]) -> tuple[int, ...]:
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    return tuple(int(s) for s in shape)


def _axis(dim: int, ndim: int, where: str) -> int:
    if not -ndim <= dim < max(ndim, 1):
        raise IndexError(f"{where}: expected dim in [{-ndim}, {ndim - 1}], got {dim}")
    return dim % max(ndim, 1)


def reshape(x: Tensor, *shape: Any) -> Tensor:
    """The same values in a new shape (-1 infers one size). Example: ``x.reshape(2, -1)``."""
    return S.Reshape.apply(x, shape=_shape_arg(shape))


view = reshape


def flatten(x: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Merge dims start_dim..end_dim into one."""
    if x.ndim == 0:
        return reshape(x, 1)
    s, e = _axis(start_dim, x.ndim, "flatten"), _axis(end_dim, x.ndim, "flatten")
    return reshape(x, x.shape[:s] + (-1,) + x.shape[e + 1:])


def permute(x: Tensor, *dims: Any) -> Tensor:
    d = _shape_arg(dims)
    if sorted(a % max(x.ndim, 1) for a in d) != list(range(x.ndim)):
        raise ValueError(f"permute: expected a permutation of {x.ndim} dims, got {d}")
    return S.Permute.apply(x, dims=tuple(a % x.ndim for a in d))


def transpose(x: Tensor, dim0: int, dim1: int) -> Tensor:
    order = list(range(x.ndim))
    a, b = _axis(dim0, x.ndim, "transpose"), _axis(dim1, x.ndim, "transpose")
    order[a], order[b] = order[b], order[a]
    return S.Permute.apply(x, dims=tuple(order))


def squeeze(x: Tensor, dim: Any = None) -> Tensor:
    """Remove size-1 dims (only ``dim`` if given and of size 1, as PyTorch)."""
    if dim is None:
        return reshape(x, tuple(n for n in x.shape if n != 1))
    ds = (dim,) if isinstance(dim, int) else tuple(dim)
    ds = tuple(_axis(d, x.ndim, "squeeze") for d in ds)
    return reshape(x, tuple(n for i, n in enumerate(x.shape) if not (i in ds and n == 1)))


def unsqueeze(x: Tensor, dim: int) -> Tensor:
    d = _axis(dim, x.ndim + 1, "unsqueeze")
    return reshape(x, x.shape[:d] + (1,) + x.shape[d:])


def expand(x: Tensor, *sizes: Any) -> Tensor:
    """Broadcast to ``sizes`` without copying (-1 keeps a size)."""
    sz = _shape_arg(sizes)
    lead = len(sz) - x.ndim
    shape = tuple(x.shape[i - lead] if s == -1 and i >= lead else s for i, s in enumerate(sz))
    return S.Expand.apply(x, shape=shape)


def broadcast_to(x: Tensor, shape: Sequence[int]) -> Tensor:
    return S.Expand.apply(x, shape=tuple(shape))


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors along an existing dim."""
    if len(tensors) == 0:
        raise ValueError("cat: expected a non-empty sequence of tensors, got an empty one")
    _axis(dim, max(np.ndim(tensors[0]), 1), "cat")
    return S.Cat.apply(*tensors, dim=dim)


concatenate = cat


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors of equal shape along a new dim."""
    if len(tensors) == 0:
        raise ValueError("stack: expected a non-empty sequence of tensors, got an empty one")
    _axis(dim, np.ndim(tensors[0]) + 1, "stack")
    return S.Stack.apply(*tensors, dim=dim)


def split(x: Tensor, split_size_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """Pieces of ``split_size`` along dim (the last may be smaller), or of the given sizes."""
    d = _axis(dim, x.ndim, "split")
    n = x.shape[d]
    if isinstance(split_size_or_sections, int):
        if split_size_or_sections <= 0:
            raise ValueError(f"split: expected a positive split size, got {split_size_or_sections}")
        sizes = [split_size_or_sections] * (n // split_size_or_sections)
        if n % split_size_or_sections:
            sizes.append(n % split_size_or_sections)
    else:
        sizes = list(split_size_or_sections)
        if sum(sizes) != n:
            raise ValueError(f"split: expected sizes that sum to {n} (dim {dim}), got {sizes}")
    out, start = [], 0
    for s in sizes:
        out.append(getitem(x, (slice(None),) * d + (slice(start, start + s),)))
        start += s
    return tuple(out)


def chunk(x: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    """Up to ``chunks`` pieces of equal size (the last may be smaller), as PyTorch."""
    if chunks <= 0:
        raise ValueError(f"chunk: expected a positive number of chunks, got {chunks}")
    n = x.shape[_axis(dim, x.ndim, "chunk")]
    return split(x, max(-(-n // chunks), 1), dim)


def pad(x: Tensor, pad: Sequence[int], mode: str = "constant", value: float = 0.0) -> Tensor:
    """Pad with ``value``; ``pad`` = (left, right) for the last dim, then the one before, ..."""
    if mode != "constant":
        raise ValueError(f"pad: expected mode='constant', got {mode!r}")
    if len(pad) % 2 or len(pad) // 2 > x.ndim:
        raise ValueError(f"pad: expected an even number of sizes, at most 2 per dim ({x.ndim} "
                         f"dims), got {tuple(pad)}")
    if any(p < 0 for p in pad):
        raise ValueError(f"pad: expected non-negative sizes, got {tuple(pad)}")
    widths = [(0, 0)] * x.ndim
    for i in range(len(pad) // 2):
        widths[x.ndim - 1 - i] = (pad[2 * i], pad[2 * i + 1])
    return S.Pad.apply(x, widths=tuple(widths), value=value)


def _index_arg(index: Any) -> Any:
    if isinstance(index, Tensor):
        return index._data
    if isinstance(index, tuple):
        return tuple(i._data if isinstance(i, Tensor) else i for i in index)
    if isinstance(index, list):
        return np.asarray(index)
    return index


def getitem(x: Tensor, index: Any) -> Tensor:
    """``x[index]`` with ints, slices, None, Ellipsis, bool masks and integer arrays."""
    return I.Index.apply(x, index=_index_arg(index))


def index_select(x: Tensor, dim: int, index: Any) -> Tensor:
    idx = np.asarray(index._data if isinstance(index, Tensor) else index)
    if idx.dtype.kind not in "iu" or idx.ndim > 1:
        raise TypeError(f"index_select: expected a 1-D integer index, got dtype {idx.dtype} "
                        f"and shape {idx.shape}")
    d = _axis(dim, x.ndim, "index_select")
    if idx.size and (idx.max() >= x.shape[d] or idx.min() < -x.shape[d]):
        raise IndexError(f"index_select: expected indices in [0, {x.shape[d]}) for dim {dim}, "
                         f"got {int(idx.min())}..{int(idx.max())}")
    return I.IndexSelect.apply(x, dim=d, index=idx)


def gather(x: Tensor, dim: int, index: Any) -> Tensor:
    """out[i][j] = x[i][index[i][j]] along ``dim`` (as torch.gather)."""
    idx = np.asarray(index._data if isinstance(index, Tensor) else index)
    d = _axis(dim, x.ndim, "gather")
    if idx.dtype.kind not in "iu" or idx.ndim != x.ndim:
        raise TypeError(f"gather: expected an integer index with {x.ndim} dims, got dtype "
                        f"{idx.dtype} and shape {idx.shape}")
    if idx.size and (idx.max() >= x.shape[d] or idx.min() < 0):
        raise IndexError(f"gather: expected indices in [0, {x.shape[d]}) for dim {dim}, got "
                         f"{int(idx.min())}..{int(idx.max())}")
    return I.Gather.apply(x, dim=d, index=idx)


def matmul(input: Tensor, other: Tensor, *, out: Tensor | None = None) -> Tensor:  # noqa: A002
    """Matrix product as ``numpy.matmul``: 1-D, 2-D and batched (broadcast) operands."""
    r = M.MatMul.apply(input, other)
    if out is None:
        return r
    from ._util import write_out
    return write_out(out, r, "matmul")


def linear(x: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """x Wᵀ + b in one graph node. Shape: x (*, in), W (out, in), b (out,) -> (*, out)."""
    return M.Linear.apply(x, weight, bias) if bias is not None else M.Linear.apply(x, weight)


def to_dtype(x: Tensor, dtype: Any) -> Tensor:
    d = np.dtype(dtype)
    if d.kind != "f":  # integer and bool tensors carry no gradient
        return _make(np.asarray(x._data, dtype=d) if x._data.dtype != d else x._data.copy())
    return S.ToDtype.apply(x, dtype=d)


def clone(x: Tensor) -> Tensor:
    """A copy that stays in the graph (gradient flows through)."""
    return S.Clone.apply(x)
