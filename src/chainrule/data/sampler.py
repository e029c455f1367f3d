"""Samplers: the order in which a DataLoader visits a dataset (as ``torch.utils.data``).

A sampler is an iterable of dataset indices; a :class:`BatchSampler` groups
them into lists. Random samplers draw from a :class:`chainrule.Generator`
(the one passed, or the library's default generator, so ``manual_seed``
makes the order repeatable). Each ``iter()`` draws its whole order at once,
when it is called: saving the generator's state before an epoch and
restoring it replays that epoch.
"""
from __future__ import annotations

from typing import Any, Iterable, Iterator, Sequence, Sized

import numpy as np

from .. import random as _random
from ..tensor import Tensor

__all__ = ["BatchSampler", "RandomSampler", "Sampler", "SequentialSampler",
           "SubsetRandomSampler", "WeightedRandomSampler"]


def _positive_int(value: Any, name: str, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"{where}: expected {name} a positive integer, got {value!r}")
    return int(value)


def _gen(generator: Any, where: str) -> _random.Generator:
    if generator is None:
        return _random.default_generator
    if not isinstance(generator, _random.Generator):
        raise TypeError(f"{where}: expected generator a chainrule.Generator or None, got "
                        f"{type(generator).__name__}")
    return generator


class Sampler:
    """Base class: subclasses implement ``__iter__`` (indices) and usually ``__len__``.

    Example
    -------
    >>> class Evens(Sampler):
    ...     def __init__(self, n): self.n = n
    ...     def __iter__(self): return iter(range(0, self.n, 2))
    ...     def __len__(self): return (self.n + 1) // 2
    >>> list(Evens(5))
    [0, 2, 4]
    """

    def __init__(self, data_source: Sized | None = None) -> None:
        pass

    def __iter__(self) -> Iterator[Any]:
        raise NotImplementedError(f"{type(self).__name__}: subclasses of Sampler must "
                                  "implement __iter__")


class SequentialSampler(Sampler):
    """0, 1, ..., len(data_source) - 1.

    Example
    -------
    >>> list(SequentialSampler(range(3)))
    [0, 1, 2]
    """

    def __init__(self, data_source: Sized) -> None:
        self.data_source = data_source

    def order(self) -> np.ndarray:
        return np.arange(len(self.data_source))

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)


class RandomSampler(Sampler):
    """A random permutation of the indices (or ``num_samples`` draws with replacement).

    Without replacement and with ``num_samples`` above the dataset's length,
    whole permutations follow each other, as PyTorch.

    Example
    -------
    >>> import chainrule as cr
    >>> sorted(RandomSampler(range(4), generator=cr.Generator(0)))
    [0, 1, 2, 3]
    """

    def __init__(self, data_source: Sized, replacement: bool = False,
                 num_samples: int | None = None, generator: Any = None) -> None:
        if not isinstance(replacement, bool):
            raise TypeError(f"RandomSampler: expected replacement a bool, got "
                            f"{type(replacement).__name__}")
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        if num_samples is not None:
            _positive_int(num_samples, "num_samples", "RandomSampler")
        self.generator = generator
        _gen(generator, "RandomSampler")

    @property
    def num_samples(self) -> int:
        return len(self.data_source) if self._num_samples is None else int(self._num_samples)

    def order(self) -> np.ndarray:
        """The indices of one pass, drawn now."""
        n, k = len(self.data_source), self.num_samples
        rng = _gen(self.generator, "RandomSampler").np
        if self.replacement:
            return rng.integers(0, n, size=k, dtype=np.int64)
        if n == 0:
            return np.zeros(0, np.int64)
        perms = [rng.permutation(n) for _ in range(k // n)]
        if k % n:
            perms.append(rng.permutation(n)[:k % n])
        return np.concatenate(perms) if perms else np.zeros(0, np.int64)

    def __iter__(self) -> Iterator[int]:
        return iter(self.order().tolist())

    def __len__(self) -> int:
        return self.num_samples


class SubsetRandomSampler(Sampler):
    """The given ``indices`` in a random order (a new one each pass).

    Example
    -------
    >>> import chainrule as cr
    >>> sorted(SubsetRandomSampler([7, 3, 5], generator=cr.Generator(0)))
    [3, 5, 7]
    """

    def __init__(self, indices: Sequence[int], generator: Any = None) -> None:
        self.indices = indices
        self.generator = generator
        _gen(generator, "SubsetRandomSampler")

    def __iter__(self) -> Iterator[int]:
        perm = _gen(self.generator, "SubsetRandomSampler").np.permutation(len(self.indices))
        return iter([self.indices[int(i)] for i in perm])

    def __len__(self) -> int:
        return len(self.indices)


class WeightedRandomSampler(Sampler):
    """``num_samples`` indices drawn with probabilities proportional to ``weights``.

    Example
    -------
    >>> import chainrule as cr
    >>> list(WeightedRandomSampler([0.0, 1.0, 0.0], 3, generator=cr.Generator(0)))
    [1, 1, 1]
    """

    def __init__(self, weights: Sequence[float] | Tensor | np.ndarray, num_samples: int,
                 replacement: bool = True, generator: Any = None) -> None:
        w = np.asarray(weights._data if isinstance(weights, Tensor) else weights, np.float64)
        if w.ndim != 1 or not np.all(np.isfinite(w)) or np.any(w < 0) or w.sum() <= 0:
            raise ValueError(f"WeightedRandomSampler: expected a 1-D sequence of non-negative "
                             f"finite weights with a positive sum, got shape {w.shape}")
        self.num_samples = _positive_int(num_samples, "num_samples", "WeightedRandomSampler")
        if not replacement and self.num_samples > np.count_nonzero(w):
            raise ValueError(f"WeightedRandomSampler: expected num_samples at most the "
                             f"{np.count_nonzero(w)} non-zero weights without replacement, "
                             f"got {self.num_samples}")
        self.weights, self.replacement, self.generator = w, bool(replacement), generator
        _gen(generator, "WeightedRandomSampler")

    def __iter__(self) -> Iterator[int]:
        rng = _gen(self.generator, "WeightedRandomSampler").np
        drawn = rng.choice(len(self.weights), size=self.num_samples, replace=self.replacement,
                           p=self.weights / self.weights.sum())
        return iter(drawn.tolist())

    def __len__(self) -> int:
        return self.num_samples


class BatchSampler(Sampler):
    """Group the indices of ``sampler`` into lists of ``batch_size`` (the last may be short).

    Example
    -------
    >>> list(BatchSampler(SequentialSampler(range(5)), batch_size=2, drop_last=False))
    [[0, 1], [2, 3], [4]]
    """

    def __init__(self, sampler: Sampler | Iterable[int], batch_size: int,
                 drop_last: bool) -> None:
        self.batch_size = _positive_int(batch_size, "batch_size", "BatchSampler")
        if not isinstance(drop_last, bool):
            raise ValueError(f"BatchSampler: expected drop_last a bool, got {drop_last!r}")
        self.sampler, self.drop_last = sampler, drop_last

    def __iter__(self) -> Iterator[list[int]]:
        batch: list[int] = []
        for idx in self.sampler:
            batch.append(idx)
            if len(batch) == self.batch_size:
                yield batch
                batch = []
        if batch and not self.drop_last:
            yield batch

    def __len__(self) -> int:
        n = len(self.sampler)  # type: ignore[arg-type]
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
