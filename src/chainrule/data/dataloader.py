"""DataLoader: batches of a dataset, optionally shuffled, as chainrule Tensors."""
from __future__ import annotations

import numbers
from typing import Any, Iterator

import numpy as np

from .. import _dtype
from .. import random as _random
from ..tensor import Tensor, _make
from .dataset import Dataset, _tensor_rows


def _collate(samples: list[Any]) -> Any:
    """Stack a list of samples into a batch, field by field (torch's default_collate)."""
    first = samples[0]
    if isinstance(first, Tensor):
        return _make(np.stack([s._data for s in samples]))
    if isinstance(first, (np.ndarray, np.generic, numbers.Number)):
        arr = np.stack([np.asarray(s) for s in samples])
        if arr.dtype == np.float64 and not isinstance(first, (np.ndarray, np.generic)):
            arr = arr.astype(_dtype.get_default_dtype())  # as chainrule.tensor([0.5, ...])
        return _make(arr)
    if isinstance(first, (tuple, list)):
        if any(len(s) != len(first) for s in samples):
            raise ValueError(f"DataLoader: expected samples with the same number of fields, "
                             f"got {sorted({len(s) for s in samples})}")
        return tuple(_collate([s[i] for s in samples]) for i in range(len(first)))
    if isinstance(first, dict):
        return {k: _collate([s[k] for s in samples]) for k in first}
    raise TypeError(f"DataLoader: expected samples made of tensors, arrays, numbers, tuples "
                    f"or dicts, got {type(first).__name__}")


class DataLoader:
    """Iterate over ``dataset`` in batches of ``batch_size``, shuffled each epoch if asked.

    Each ``iter(loader)`` (each epoch) draws a new permutation from
    ``loader.generator`` when ``shuffle=True``: the generator passed in, or
    the library's default generator, so ``chainrule.manual_seed`` makes the
    order reproducible. The permutation is drawn when ``iter()`` is called, so
    saving ``loader.generator.get_state()`` before an epoch and restoring it
    replays that epoch exactly.

    A :class:`TensorDataset` (or a :class:`Subset` of one) is gathered with one
    ``np.take`` per array per batch, without a Python loop over samples. Every
    batch is a freshly allocated array (never a view of the dataset, never a
    buffer reused later), so it is safe to keep or modify. Other datasets are
    read sample by sample and stacked field by field with ``np.stack``.

    Shape
    -----
    A TensorDataset of arrays ``(N, *s_i)`` yields tuples of Tensors
    ``(B, *s_i)`` with ``B = batch_size`` (the last batch may be smaller
    unless ``drop_last``). ``len(loader)`` is the number of batches.

    Example
    -------
    >>> import numpy as np
    >>> from chainrule.data import TensorDataset
    >>> ds = TensorDataset(np.arange(10, dtype=np.float32).reshape(5, 2), np.arange(5))
    >>> loader = DataLoader(ds, batch_size=2)
    >>> len(loader), [y.tolist() for _, y in loader]
    (3, [[0, 1], [2, 3], [4]])
    """

    def __init__(self, dataset: Dataset, batch_size: int = 1, shuffle: bool = False,
                 drop_last: bool = False, generator: _random.Generator | None = None) -> None:
        if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) \
                or batch_size <= 0:
            raise ValueError(f"DataLoader: expected batch_size a positive integer, "
                             f"got {batch_size!r}")
        if generator is not None and not isinstance(generator, _random.Generator):
            raise TypeError(f"DataLoader: expected generator a chainrule.Generator, "
                            f"got {type(generator).__name__}")
        if not hasattr(dataset, "__getitem__") or not hasattr(dataset, "__len__"):
            raise TypeError(f"DataLoader: expected a dataset with __getitem__ and __len__, "
                            f"got {type(dataset).__name__}")
        self.dataset = dataset
        self.batch_size = int(batch_size)
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)
        self.generator: _random.Generator = (generator if generator is not None
                                             else _random.default_generator)

    def __len__(self) -> int:
        n = len(self.dataset)
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)

    def _order(self) -> np.ndarray | None:
        n = len(self.dataset)
        return self.generator.np.permutation(n) if self.shuffle else None

    def __iter__(self) -> Iterator[Any]:
        order = self._order()  # drawn now, not at the first next(): exact resume
        fast = _tensor_rows(self.dataset)
        if fast is not None:
            arrays, rows = fast
            if rows is not None:
                order = rows if order is None else rows[order]
            return self._iter_arrays(arrays, order)
        return self._iter_samples(order)

    def _bounds(self) -> range:
        n = len(self.dataset)
        stop = n - n % self.batch_size if self.drop_last else n
        return range(0, stop, self.batch_size)

    def _iter_arrays(self, arrays: list[np.ndarray], order: np.ndarray | None
                     ) -> Iterator[tuple[Tensor, ...]]:
        bs = self.batch_size
        for start in self._bounds():
            if order is None:
                yield tuple(_make(a[start:start + bs].copy()) for a in arrays)
            else:
                idx = order[start:start + bs]
                yield tuple(_make(a.take(idx, axis=0)) for a in arrays)

    def _iter_samples(self, order: np.ndarray | None) -> Iterator[Any]:
        bs = self.batch_size
        n = len(self.dataset)
        for start in self._bounds():
            idx = range(start, min(start + bs, n)) if order is None else order[start:start + bs]
            yield _collate([self.dataset[int(i)] for i in idx])

    def __repr__(self) -> str:
        return (f"DataLoader({self.dataset!r}, batch_size={self.batch_size}, "
                f"shuffle={self.shuffle}, drop_last={self.drop_last})")
