"""DataLoader: batches of a dataset as chainrule Tensors, with ``torch.utils.data``'s arguments."""
from __future__ import annotations

from typing import Any, Callable, Iterable, Iterator

import numpy as np

from .. import random as _random
from ..tensor import _make
from .collate import default_collate, default_convert
from .dataset import Dataset, IterableDataset, _tensor_rows
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler

__all__ = ["DataLoader", "get_worker_info"]


def get_worker_info() -> None:
    """None: chainrule loads every batch in the main process (there are no workers)."""
    return None


def _chunks(items: Iterable[Any], size: int, drop_last: bool) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch and not drop_last:
        yield batch


class DataLoader:
    """Iterate over ``dataset`` in batches, as ``torch.utils.data.DataLoader``.

    Arguments are PyTorch's: ``batch_size`` (None turns batching off),
    ``shuffle``, ``sampler`` or ``batch_sampler`` (an order of indices or of
    index lists), ``collate_fn`` (default: :func:`default_collate`, so a
    sample ``(x, y)`` gives batches ``[xb, yb]``), ``drop_last`` and
    ``generator``. ``num_workers``, ``pin_memory``, ``timeout``,
    ``worker_init_fn``, ``prefetch_factor`` and ``persistent_workers`` are
    accepted; every batch is loaded in the main process (NumPy work releases
    no GIL worth a worker here).

    With ``shuffle=True`` each ``iter(loader)`` (each epoch) draws a new
    permutation from ``loader.generator`` (the one passed, or the library's
    default generator, so ``chainrule.manual_seed`` makes it reproducible),
    at the moment ``iter()`` is called: saving ``loader.generator.get_state()``
    before an epoch and restoring it replays that epoch exactly.

    A :class:`TensorDataset` (or a :class:`Subset` of one) with the default
    collate is gathered with one ``np.take`` per array per batch, without a
    Python loop over samples. Every batch is a freshly allocated array (never
    a view of the dataset), so it is safe to keep or modify.

    Shape
    -----
    A TensorDataset of arrays ``(N, *s_i)`` yields lists of Tensors
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

    def __init__(self, dataset: Dataset, batch_size: int | None = 1, shuffle: bool | None = None,
                 sampler: Sampler | Iterable[Any] | None = None,
                 batch_sampler: Sampler | Iterable[list[Any]] | None = None,
                 num_workers: int = 0, collate_fn: Callable[[list[Any]], Any] | None = None,
                 pin_memory: bool = False, drop_last: bool = False, timeout: float = 0,
                 worker_init_fn: Callable[[int], None] | None = None,
                 multiprocessing_context: Any = None,
                 generator: _random.Generator | None = None, *, prefetch_factor: int | None = None,
                 persistent_workers: bool = False, pin_memory_device: str = "",
                 in_order: bool = True) -> None:
        if batch_size is not None and (isinstance(batch_size, bool) or not isinstance(
                batch_size, (int, np.integer)) or batch_size <= 0):
            raise ValueError(f"DataLoader: expected batch_size a positive integer or None, "
                             f"got {batch_size!r}")
        if isinstance(num_workers, bool) or not isinstance(num_workers, int) or num_workers < 0:
            raise ValueError(f"DataLoader: expected num_workers a non-negative int, got "
                             f"{num_workers!r}")
        if timeout < 0:
            raise ValueError(f"DataLoader: expected timeout >= 0, got {timeout!r}")
        if generator is not None and not isinstance(generator, _random.Generator):
            raise TypeError(f"DataLoader: expected generator a chainrule.Generator, "
                            f"got {type(generator).__name__}")
        iterable = isinstance(dataset, IterableDataset)
        if iterable:
            for name, value in (("shuffle", shuffle), ("sampler", sampler),
                                ("batch_sampler", batch_sampler)):
                if value:
                    raise ValueError(f"DataLoader with IterableDataset: expected unspecified "
                                     f"{name} option, got {name}={value!r}")
        elif not hasattr(dataset, "__getitem__") or not hasattr(dataset, "__len__"):
            raise TypeError(f"DataLoader: expected a dataset with __getitem__ and __len__ (or "
                            f"an IterableDataset), got {type(dataset).__name__}")
        if sampler is not None and shuffle:
            raise ValueError("DataLoader: sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("DataLoader: batch_sampler option is mutually exclusive with "
                                 "batch_size, shuffle, sampler, and drop_last")
            batch_size, drop_last = None, False
        elif batch_size is None and drop_last:
            raise ValueError("DataLoader: batch_size=None option disables auto-batching and is "
                             "mutually exclusive with drop_last")
        self.dataset = dataset
        self.batch_size = None if batch_size is None else int(batch_size)
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)
        self.generator: _random.Generator = (generator if generator is not None
                                             else _random.default_generator)
        if sampler is None and not iterable:
            sampler = (RandomSampler(dataset, generator=generator) if shuffle
                       else SequentialSampler(dataset))
        if batch_sampler is None and self.batch_size is not None and not iterable:
            batch_sampler = BatchSampler(sampler, self.batch_size,  # type: ignore[arg-type]
                                         self.drop_last)
        self.sampler, self.batch_sampler = sampler, batch_sampler
        self.collate_fn: Callable[[Any], Any] = collate_fn or (
            default_collate if self._auto_collation else default_convert)
        self.num_workers, self.pin_memory, self.timeout = num_workers, pin_memory, timeout
        self.worker_init_fn, self.multiprocessing_context = worker_init_fn, multiprocessing_context
        self.prefetch_factor, self.persistent_workers = prefetch_factor, persistent_workers
        self.pin_memory_device, self.in_order = pin_memory_device, in_order

    @property
    def _auto_collation(self) -> bool:
        return self.batch_sampler is not None or (
            isinstance(self.dataset, IterableDataset) and self.batch_size is not None)

    def __len__(self) -> int:
        if isinstance(self.dataset, IterableDataset):
            n = len(self.dataset)
            if self.batch_size is None:
                return n
            return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
        return len(self.batch_sampler if self.batch_sampler is not None  # type: ignore[arg-type]
                   else self.sampler)

    def __iter__(self) -> Iterator[Any]:
        if isinstance(self.dataset, IterableDataset):
            return self._iter_stream()
        fast = _tensor_rows(self.dataset) if (self._auto_collation and
                                              self.collate_fn is default_collate) else None
        bs = self.batch_sampler
        if type(bs) is BatchSampler and type(bs.sampler) in (SequentialSampler, RandomSampler):
            # the order is drawn now, not at the first next(): an epoch can be replayed
            sampler: Any = bs.sampler
            order = None if type(sampler) is SequentialSampler else sampler.order()
            if fast is not None:
                arrays, rows = fast
                if rows is not None:
                    order = rows if order is None else rows[order]
                n = len(self.dataset) if order is None else len(order)
                return self._iter_arrays(arrays, order, n, bs.batch_size, bs.drop_last)
            indices: Iterable[Any] = (range(len(self.dataset)) if order is None
                                      else order.tolist())
            return self._iter_samples(_chunks(indices, bs.batch_size, bs.drop_last))
        if bs is None:
            return (self.collate_fn(self.dataset[i]) for i in self.sampler)  # type: ignore
        if fast is not None:
            arrays, rows = fast
            return self._iter_index_lists(arrays, rows, iter(bs))
        return self._iter_samples(iter(bs))

    def _iter_stream(self) -> Iterator[Any]:
        if self.batch_size is None:
            for sample in self.dataset:  # type: ignore[attr-defined]
                yield self.collate_fn(sample)
            return
        for batch in _chunks(self.dataset, self.batch_size, self.drop_last):  # type: ignore
            yield self.collate_fn(batch)

    @staticmethod
    def _iter_arrays(arrays: list[np.ndarray], order: np.ndarray | None, n: int, bs: int,
                     drop_last: bool) -> Iterator[list[Any]]:
        stop = n - n % bs if drop_last else n
        for start in range(0, stop, bs):
            if order is None:
                yield [_make(a[start:start + bs].copy()) for a in arrays]
            else:
                idx = order[start:start + bs]
                yield [_make(a.take(idx, axis=0)) for a in arrays]

    @staticmethod
    def _iter_index_lists(arrays: list[np.ndarray], rows: np.ndarray | None,
                          batches: Iterator[list[Any]]) -> Iterator[list[Any]]:
        for batch in batches:
            idx = np.asarray(batch, dtype=np.int64)
            if rows is not None:
                idx = rows[idx]
            yield [_make(a.take(idx, axis=0)) for a in arrays]

    def _iter_samples(self, batches: Iterator[list[Any]]) -> Iterator[Any]:
        for batch in batches:
            yield self.collate_fn([self.dataset[i] for i in batch])

    def __repr__(self) -> str:
        return (f"DataLoader({self.dataset!r}, batch_size={self.batch_size}, "
                f"shuffle={self.shuffle}, drop_last={self.drop_last})")
