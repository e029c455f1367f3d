"""``F.embedding``: look up rows of a table by integer index (one graph node)."""
from __future__ import annotations

import numpy as np

from ..autograd.grad_mode import no_grad
from ..tensor import Tensor
from . import _functions as _fn


def _indices(input: object, n: int, where: str) -> np.ndarray:  # noqa: A002
    idx = input._data if isinstance(input, Tensor) else np.asarray(input)
    if idx.dtype.kind not in "iu":
        raise TypeError(f"{where}: expected integer indices (int64 or int32), got dtype "
                        f"{idx.dtype}; use .long()")
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        bad = int(idx.min()) if idx.min() < 0 else int(idx.max())
        raise IndexError(f"{where}: expected indices in [0, {n}) (index out of range in self), "
                         f"got {bad}")
    return idx


def _padding(padding_idx: int | None, n: int, where: str) -> int | None:
    if padding_idx is None:
        return None
    if not -n <= padding_idx < n:
        raise ValueError(f"{where}: expected padding_idx within num_embeddings [{-n}, {n}), got "
                         f"{padding_idx}")
    return int(padding_idx) % n


def _renorm_(weight: Tensor, idx: np.ndarray, max_norm: float, norm_type: float) -> None:
    """Scale the looked-up rows whose norm exceeds ``max_norm`` down to it, in place."""
    rows = np.unique(idx)
    w = weight._data
    norms = np.linalg.norm(w[rows].reshape(len(rows), -1), ord=norm_type, axis=1)
    big = norms > max_norm
    if big.any():
        scale = (max_norm / (norms[big] + 1e-7)).astype(w.dtype)
        with no_grad():
            w[rows[big]] *= scale.reshape((-1,) + (1,) * (w.ndim - 1))


def embedding(input: Tensor, weight: Tensor, padding_idx: int | None = None,  # noqa: A002
              max_norm: float | None = None, norm_type: float = 2.0,
              scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """Rows of ``weight`` at the integer indices ``input``: ``weight[input]``.

    The row at ``padding_idx`` gets no gradient; with ``max_norm`` the looked-up
    rows are first renormalised in place (as PyTorch).

    Shape
    -----
    input (*) integers, weight (num_embeddings, embedding_dim) -> (*, embedding_dim).

    Example
    -------
    >>> import chainrule as cr
    >>> import chainrule.nn.functional as F
    >>> F.embedding(cr.tensor([[0, 2]]), cr.tensor([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]]))
    tensor([[[0., 1.],
             [4., 5.]]])
    """
    if sparse:
        raise ValueError("embedding: expected sparse=False, got sparse=True; chainrule has no "
                         "sparse gradients (the dense gradient is the same numbers)")
    if weight.ndim != 2:
        raise ValueError(f"embedding: expected a 2-D weight (num_embeddings, embedding_dim), "
                         f"got shape {tuple(weight.shape)}")
    n = weight.shape[0]
    idx = _indices(input, n, "embedding")
    pad = _padding(padding_idx, n, "embedding")
    if max_norm is not None:
        _renorm_(weight, idx, float(max_norm), float(norm_type))
    return _fn.Embedding.apply(weight, idx, pad, bool(scale_grad_by_freq))  # type: ignore
