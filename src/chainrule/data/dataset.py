"""Datasets: indexable collections of samples (as ``torch.utils.data``).

A :class:`Dataset` maps an index to a sample; :class:`TensorDataset` holds
arrays that share their first dimension (one sample is one row of each), and
:class:`Subset` is a view of another dataset through a list of indices.
"""
from __future__ import annotations

import bisect
from typing import Any, Iterable, Iterator, Sequence

import numpy as np

from ..tensor import Tensor, _make


class Dataset:
    """Abstract dataset: subclasses implement ``__getitem__`` and ``__len__``.

    Example
    -------
    >>> class Squares(Dataset):
    ...     def __len__(self): return 4
    ...     def __getitem__(self, i): return float(i * i)
    >>> len(Squares()), Squares()[3]
    (4, 9.0)
    """

    def __getitem__(self, index: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__}: subclasses of Dataset must "
                                  "implement __getitem__")

    def __len__(self) -> int:
        raise NotImplementedError(f"{type(self).__name__}: subclasses of Dataset must "
                                  "implement __len__")

    def __add__(self, other: Dataset) -> ConcatDataset:
        return ConcatDataset([self, other])


class IterableDataset(Dataset):
    """A stream of samples: subclasses implement ``__iter__`` (a DataLoader batches it).

    Example
    -------
    >>> class Count(IterableDataset):
    ...     def __iter__(self): return iter(range(3))
    >>> list(Count())
    [0, 1, 2]
    """

    def __iter__(self) -> Iterator[Any]:
        raise NotImplementedError(f"{type(self).__name__}: subclasses of IterableDataset "
                                  "must implement __iter__")

    def __len__(self) -> int:
        raise TypeError(f"object of type {type(self).__name__!r} has no len()")

    def __add__(self, other: Dataset) -> ChainDataset:  # type: ignore[override]
        return ChainDataset([self, other])


class ChainDataset(IterableDataset):
    """Iterable datasets one after another."""

    def __init__(self, datasets: Iterable[Dataset]) -> None:
        self.datasets = list(datasets)

    def __iter__(self) -> Iterator[Any]:
        for d in self.datasets:
            yield from d  # type: ignore[attr-defined,misc]

    def __len__(self) -> int:
        return sum(len(d) for d in self.datasets)


class StackDataset(Dataset):
    """Datasets side by side: sample i is ``(a[i], b[i], ...)`` or ``{"x": a[i], ...}``.

    Example
    -------
    >>> import numpy as np
    >>> both = StackDataset(x=TensorDataset(np.arange(3)), y=TensorDataset(np.arange(3) * 2))
    >>> len(both), both[2]
    (3, {'x': (tensor(2),), 'y': (tensor(4),)})
    """

    def __init__(self, *args: Dataset, **kwargs: Dataset) -> None:
        if args and kwargs:
            raise ValueError("StackDataset: expected datasets as positional or as keyword "
                             "arguments, got both")
        if not args and not kwargs:
            raise ValueError("StackDataset: expected at least one dataset, got none")
        parts = list(args) or list(kwargs.values())
        lengths = {len(d) for d in parts}
        if len(lengths) != 1:
            raise ValueError(f"StackDataset: expected datasets of the same length, got "
                             f"{sorted(lengths)}")
        self.datasets: tuple[Dataset, ...] | dict[str, Dataset] = args or dict(kwargs)
        self._length = lengths.pop()

    def __getitem__(self, index: int) -> Any:
        if isinstance(self.datasets, dict):
            return {k: d[index] for k, d in self.datasets.items()}
        return tuple(d[index] for d in self.datasets)

    def __len__(self) -> int:
        return self._length


class ConcatDataset(Dataset):
    """Datasets end to end: index ``len(a) + i`` is ``b[i]``.

    Example
    -------
    >>> import numpy as np
    >>> both = ConcatDataset([TensorDataset(np.arange(3)), TensorDataset(np.arange(10, 12))])
    >>> len(both), both[3], both.cumulative_sizes
    (5, (tensor(10),), [3, 5])
    """

    def __init__(self, datasets: Iterable[Dataset]) -> None:
        self.datasets = list(datasets)
        if not self.datasets:
            raise ValueError("ConcatDataset: expected at least one dataset, got none")
        for d in self.datasets:
            if isinstance(d, IterableDataset):
                raise TypeError("ConcatDataset: expected map-style datasets, got an "
                                "IterableDataset; use ChainDataset")
        self.cumulative_sizes: list[int] = np.cumsum([len(d) for d in self.datasets]).tolist()

    def __len__(self) -> int:
        return int(self.cumulative_sizes[-1])

    def __getitem__(self, idx: int) -> Any:
        n = len(self)
        if not -n <= idx < n:
            raise IndexError(f"ConcatDataset: expected an index in [{-n}, {n}), got {idx}")
        idx = int(idx) % n
        k = bisect.bisect_right(self.cumulative_sizes, idx)
        start = self.cumulative_sizes[k - 1] if k else 0
        return self.datasets[k][idx - start]


def _as_tensor(x: Any, i: int) -> Tensor:
    if isinstance(x, Tensor):
        return x
    if isinstance(x, np.ndarray):
        return _make(x)  # shares memory, as torch.from_numpy
    try:
        return Tensor(x)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"TensorDataset: expected tensors or arrays, got {type(x).__name__} "
                        f"as argument {i}") from exc


class TensorDataset(Dataset):
    """Samples are rows: ``dataset[i]`` is ``(tensors[0][i], tensors[1][i], ...)``.

    Arrays are wrapped without a copy (as ``torch.from_numpy``) and keep their
    dtype, so pass float32 features to a float32 model.

    Shape
    -----
    Every tensor has the same first dimension ``N``; ``len(dataset) == N``.

    Example
    -------
    >>> import numpy as np
    >>> ds = TensorDataset(np.zeros((5, 2), np.float32), np.arange(5))
    >>> len(ds), ds[3][1]
    (5, tensor(3))
    """

    def __init__(self, *tensors: Any) -> None:
        if not tensors:
            raise ValueError("TensorDataset: expected at least one tensor, got none")
        ts = tuple(_as_tensor(t, i) for i, t in enumerate(tensors))
        for i, t in enumerate(ts):
            if t.ndim == 0:
                raise ValueError(f"TensorDataset: expected tensors with a first (sample) "
                                 f"dimension, got a 0-d tensor as argument {i}")
        sizes = [t.shape[0] for t in ts]
        if len(set(sizes)) > 1:
            raise ValueError(f"TensorDataset: expected tensors with the same first dimension, "
                             f"got sizes {tuple(sizes)} (shapes "
                             f"{', '.join(str(t.shape) for t in ts)})")
        self.tensors: tuple[Tensor, ...] = ts

    def __getitem__(self, index: Any) -> tuple[Tensor, ...]:
        return tuple(t[index] for t in self.tensors)

    def __len__(self) -> int:
        return int(self.tensors[0].shape[0])

    def __repr__(self) -> str:
        return f"TensorDataset({', '.join(str(t.shape) for t in self.tensors)})"


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``, in that order.

    Example
    -------
    >>> import numpy as np
    >>> sub = Subset(TensorDataset(np.arange(10)), [7, 2])
    >>> len(sub), sub[0]
    (2, (tensor(7),))
    """

    def __init__(self, dataset: Dataset, indices: Sequence[int] | np.ndarray) -> None:
        idx = np.asarray(indices)
        if idx.ndim != 1 or (idx.size and idx.dtype.kind not in "iu"):
            raise TypeError(f"Subset: expected a 1-D sequence of integer indices, got "
                            f"{type(indices).__name__} of dtype {idx.dtype} and shape {idx.shape}")
        n = len(dataset)
        if idx.size and (idx.min() < -n or idx.max() >= n):
            bad = int(idx[(idx < -n) | (idx >= n)][0])
            raise IndexError(f"Subset: expected indices in [0, {n}), got {bad}")
        self.dataset = dataset
        self.indices = indices

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, (list, np.ndarray)):
            return self.dataset[[self.indices[int(i)] for i in index]]
        return self.dataset[self.indices[index]]

    def __len__(self) -> int:
        return len(self.indices)

    def __repr__(self) -> str:
        return f"Subset({self.dataset!r}, {len(self)} samples)"


def _tensor_rows(dataset: Dataset) -> tuple[list[np.ndarray], np.ndarray | None] | None:
    """The arrays behind a TensorDataset (through Subsets) and the row map, or None.

    Used by the DataLoader to gather a batch with one ``np.take`` per array.
    """
    rows: np.ndarray | None = None
    while isinstance(dataset, Subset):
        idx = np.asarray(dataset.indices, dtype=np.int64)
        rows = idx if rows is None else idx[rows]
        dataset = dataset.dataset
    if type(dataset) is not TensorDataset:  # a subclass may override __getitem__
        return None
    arrays = [t._data for t in dataset.tensors]
    if rows is not None:
        rows = np.where(rows < 0, rows + len(dataset), rows)
    return arrays, rows
