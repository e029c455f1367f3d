"""Embedding: a learned table of vectors looked up by integer index (as ``torch.nn.Embedding``)."""
from __future__ import annotations

from typing import Any

import numpy as np

from ... import _dtype
from ...autograd.grad_mode import no_grad
from ...tensor import Tensor
from .. import init
from .._embedding import _padding, embedding
from ..parameter import Parameter
from .linear import _check_device, _size
from .module import Module

__all__ = ["Embedding"]


class Embedding(Module):
    """y = weight[input]: one learned row of ``embedding_dim`` numbers per index.

    Initialised as PyTorch: weight ~ N(0, 1) from the library's generator (so
    ``manual_seed`` repeats it), with the ``padding_idx`` row zero and kept out
    of the gradient.

    Shape
    -----
    input (*) integers in [0, num_embeddings) -> output (*, embedding_dim);
    weight (num_embeddings, embedding_dim).

    Example
    -------
    >>> import chainrule as cr
    >>> emb = cr.nn.Embedding(27, 2, padding_idx=0)
    >>> tuple(emb(cr.tensor([[1, 0, 5]])).shape), emb.weight[0].tolist()
    ((1, 3, 2), [0.0, 0.0])
    """

    def __init__(self, num_embeddings: int, embedding_dim: int, padding_idx: int | None = None,
                 max_norm: float | None = None, norm_type: float = 2.0,
                 scale_grad_by_freq: bool = False, sparse: bool = False,
                 _weight: Tensor | None = None, _freeze: bool = False, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        self.num_embeddings = _size(num_embeddings, "num_embeddings", "Embedding")
        self.embedding_dim = _size(embedding_dim, "embedding_dim", "Embedding")
        _check_device(device, "Embedding")
        if sparse:
            raise ValueError("Embedding: expected sparse=False, got sparse=True; chainrule has "
                             "no sparse gradients (the dense gradient is the same numbers)")
        self.padding_idx = _padding(padding_idx, self.num_embeddings, "Embedding")
        self.max_norm, self.norm_type = max_norm, norm_type
        self.scale_grad_by_freq, self.sparse = scale_grad_by_freq, sparse
        shape = (self.num_embeddings, self.embedding_dim)
        if _weight is None:
            d = _dtype.float_dtype(dtype)
            self.weight = Parameter(np.empty(shape, d), requires_grad=not _freeze)
            self.reset_parameters()
        else:
            if tuple(_weight.shape) != shape:
                raise ValueError(f"Embedding: expected _weight of shape {shape}, got "
                                 f"{tuple(_weight.shape)}")
            self.weight = Parameter(_weight, requires_grad=not _freeze)

    def reset_parameters(self) -> None:
        """Draw new weights from N(0, 1); the padding row is zero."""
        init.normal_(self.weight)
        self._fill_padding_idx_with_zero()

    def _fill_padding_idx_with_zero(self) -> None:
        if self.padding_idx is not None:
            with no_grad():
                self.weight._data[self.padding_idx] = 0

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return embedding(input, self.weight, self.padding_idx, self.max_norm, self.norm_type,
                         self.scale_grad_by_freq, self.sparse)

    def extra_repr(self) -> str:
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        if self.max_norm is not None:
            s += f", max_norm={self.max_norm}"
        if self.norm_type != 2:
            s += f", norm_type={self.norm_type}"
        if self.scale_grad_by_freq:
            s += ", scale_grad_by_freq=True"
        return s

    def _short_name(self) -> str:
        return f"Embedding {self.num_embeddings}x{self.embedding_dim}"

    @classmethod
    def from_pretrained(cls, embeddings: Tensor, freeze: bool = True,
                        padding_idx: int | None = None, max_norm: float | None = None,
                        norm_type: float = 2.0, scale_grad_by_freq: bool = False,
                        sparse: bool = False) -> Embedding:
        """An Embedding whose weight is ``embeddings`` (shared, frozen unless ``freeze=False``).

        Example
        -------
        >>> import chainrule as cr
        >>> emb = cr.nn.Embedding.from_pretrained(cr.tensor([[1.0, 2.0], [3.0, 4.0]]))
        >>> emb(cr.tensor([1])).tolist(), emb.weight.requires_grad
        ([[3.0, 4.0]], False)
        """
        if not isinstance(embeddings, Tensor) or embeddings.ndim != 2:
            raise ValueError("Embedding.from_pretrained: expected a 2-D Tensor (num_embeddings, "
                             f"embedding_dim), got {type(embeddings).__name__}"
                             f"{'' if not isinstance(embeddings, Tensor) else ' of shape '}"
                             f"{tuple(embeddings.shape) if isinstance(embeddings, Tensor) else ''}")
        rows, cols = embeddings.shape
        return cls(rows, cols, padding_idx, max_norm, norm_type, scale_grad_by_freq, sparse,
                   _weight=embeddings, _freeze=freeze)
