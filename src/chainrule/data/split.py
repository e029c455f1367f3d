"""Splitting data: ``random_split`` (as torch) and ``train_test_split`` (as scikit-learn)."""
from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from .. import random as _random
from ..tensor import Tensor, _make
from .dataset import Dataset, Subset


def _generator(seed: int | _random.Generator | None, where: str) -> np.random.Generator:
    if seed is None:
        return _random.default_generator.np
    if isinstance(seed, _random.Generator):
        return seed.np
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"{where}: expected seed an int, a chainrule.Generator or None, "
                        f"got {type(seed).__name__}")
    return np.random.default_rng(int(seed))


def random_split(dataset: Dataset, lengths: Sequence[int | float],
                 generator: _random.Generator | None = None) -> list[Subset]:
    """Split ``dataset`` at random into non-overlapping :class:`Subset` s of ``lengths``.

    ``lengths`` are sizes that add up to ``len(dataset)``, or fractions that
    add up to 1 (sizes are then floored and the remainder handed out one by
    one from the first subset, as torch does).

    Example
    -------
    >>> import numpy as np, chainrule as cr
    >>> from chainrule.data import TensorDataset
    >>> train, val = random_split(TensorDataset(np.arange(10)), [0.75, 0.25],
    ...                           generator=cr.Generator().manual_seed(0))
    >>> len(train), len(val)
    (8, 2)
    """
    n = len(dataset)
    sizes = list(lengths)
    if not sizes:
        raise ValueError("random_split: expected at least one length, got none")
    if all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in sizes):
        counts = [int(v) for v in sizes]
    elif math.isclose(sum(sizes), 1.0) and sum(sizes) <= n:
        for i, frac in enumerate(sizes):
            if not 0 <= frac <= 1:
                raise ValueError(f"random_split: expected fractions in [0, 1], got {frac} at "
                                 f"index {i}")
        counts = [int(math.floor(n * frac)) for frac in sizes]
        for i in range(n - sum(counts)):
            counts[i % len(counts)] += 1
    else:
        raise ValueError(f"random_split: expected integer lengths that add up to {n} or "
                         f"fractions that add up to 1, got {sizes}")
    if any(c < 0 for c in counts) or sum(counts) != n:
        raise ValueError(f"random_split: expected lengths that add up to the dataset's length "
                         f"{n}, got {counts} (sum {sum(counts)})")
    perm = (generator or _random.default_generator).np.permutation(n)
    bounds = np.cumsum([0, *counts])
    return [Subset(dataset, perm[a:b].tolist()) for a, b in zip(bounds[:-1], bounds[1:])]


def _n_samples(arrays: Sequence[Any]) -> int:
    lengths = [len(a) for a in arrays]
    if len(set(lengths)) > 1:
        raise ValueError(f"train_test_split: expected arrays with the same number of samples, "
                         f"got {lengths}")
    return lengths[0]


def _split_sizes(n: int, test_size: float | int | None,
                 train_size: float | int | None) -> tuple[int, int]:
    """scikit-learn's rules: a float is a fraction in (0, 1), an int a count in (0, n)."""
    if test_size is None and train_size is None:
        test_size = 0.25
    sizes = {"test_size": test_size, "train_size": train_size}
    for name, v in sizes.items():
        if v is None:
            continue
        is_int = isinstance(v, (int, np.integer)) and not isinstance(v, bool)
        if is_int and not 0 < v < n:
            raise ValueError(f"train_test_split: expected {name} a count in (0, {n}) or a "
                             f"fraction in (0, 1), got {v}")
        if not is_int and (not isinstance(v, (float, np.floating)) or not 0 < v < 1):
            raise ValueError(f"train_test_split: expected {name} a fraction in (0, 1) or a "
                             f"count in (0, {n}), got {v!r}")
    n_test = None if test_size is None else (
        math.ceil(test_size * n) if isinstance(test_size, (float, np.floating)) else test_size)
    n_train = None if train_size is None else (
        math.floor(train_size * n) if isinstance(train_size, (float, np.floating))
        else train_size)
    if n_train is None:
        n_train = n - int(n_test)  # type: ignore[arg-type]
    if n_test is None:
        n_test = n - n_train
    if n_train + n_test > n:
        raise ValueError(f"train_test_split: expected train and test sizes that add up to at "
                         f"most the {n} samples, got {n_train} + {n_test}; reduce test_size "
                         f"and/or train_size")
    if n_train <= 0:
        raise ValueError(f"train_test_split: expected a non-empty train set, got 0 samples "
                         f"with n_samples={n}, test_size={test_size}, train_size={train_size}")
    return int(n_train), int(n_test)


def _largest_remainder(counts: np.ndarray, n_draws: int, rng: np.random.Generator) -> np.ndarray:
    """Split ``n_draws`` across classes in proportion to ``counts`` (ties broken at random)."""
    exact = counts / counts.sum() * n_draws
    out = np.floor(exact).astype(np.int64)
    missing = n_draws - int(out.sum())
    if missing > 0:
        order = np.lexsort((rng.random(len(counts)), -(exact - out)))
        out[order[:missing]] += 1
    return out


def _stratified(labels: Any, n_train: int, n_test: int,
                rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(labels._data if isinstance(labels, Tensor) else labels)
    _, inverse, counts = np.unique(y, axis=0 if y.ndim > 1 else None, return_inverse=True,
                                   return_counts=True)
    inverse = inverse.reshape(-1)
    if counts.min() < 2:
        raise ValueError("train_test_split: expected at least 2 samples of each class to "
                         f"stratify, got a class with {counts.min()}")
    k = len(counts)
    if n_test < k or n_train < k:
        raise ValueError(f"train_test_split: expected train and test sets of at least the "
                         f"{k} classes to stratify, got {n_train} train and {n_test} test")
    test_per = _largest_remainder(counts, n_test, rng)
    train_per = _largest_remainder(counts - test_per, n_train, rng)
    by_class = np.split(np.argsort(inverse, kind="stable"), np.cumsum(counts)[:-1])
    train, test = [], []
    for members, a, b in zip(by_class, test_per, train_per):
        members = rng.permutation(members)
        test.append(members[:a])
        train.append(members[a:a + b])
    return rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(test))


def _take(a: Any, idx: np.ndarray) -> Any:
    if isinstance(a, Tensor):
        return _make(a._data.take(idx, axis=0))
    if isinstance(a, np.ndarray):
        return a.take(idx, axis=0)
    if isinstance(a, list):
        return [a[i] for i in idx]
    return np.asarray(a).take(idx, axis=0)


def train_test_split(*arrays: Any, test_size: float | int | None = None,
                     train_size: float | int | None = None, shuffle: bool = True,
                     stratify: Any = None,
                     seed: int | _random.Generator | None = None) -> list[Any]:
    """Split arrays into random train and test parts, as scikit-learn's ``train_test_split``.

    Sizes follow scikit-learn: a float is a fraction in (0, 1) (test rounded
    up, train down), an int a count; with neither given the test part is 25%.
    ``stratify`` (class labels) keeps each class's proportion in both parts.
    ``seed`` is an int or a ``chainrule.Generator``; ``None`` draws from the
    library's default generator (so ``manual_seed`` makes it reproducible).
    Tensors come back as Tensors, arrays as arrays, lists as lists.

    Returns
    -------
    ``[a_train, a_test, b_train, b_test, ...]``: for each input, train then test.

    Example
    -------
    >>> import numpy as np
    >>> X, y = np.arange(20).reshape(10, 2), np.arange(10)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, seed=0)
    >>> X_train.shape, X_test.shape, sorted(np.r_[y_train, y_test].tolist()) == list(range(10))
    ((7, 2), (3, 2), True)
    """
    if not arrays:
        raise ValueError("train_test_split: expected at least one array, got none")
    n = _n_samples(arrays)
    n_train, n_test = _split_sizes(n, test_size, train_size)
    if not shuffle:
        if stratify is not None:
            raise ValueError("train_test_split: expected stratify=None with shuffle=False, got "
                             "labels; a stratified split needs shuffle=True")
        train, test = np.arange(n_train), np.arange(n_train, n_train + n_test)
    else:
        rng = _generator(seed, "train_test_split")
        if stratify is not None:
            if len(stratify) != n:
                raise ValueError(f"train_test_split: expected stratify labels for the {n} "
                                 f"samples, got {len(stratify)}")
            train, test = _stratified(stratify, n_train, n_test, rng)
        else:
            perm = rng.permutation(n)
            train, test = perm[n_test:n_test + n_train], perm[:n_test]
    out: list[Any] = []
    for a in arrays:
        out += [_take(a, train), _take(a, test)]
    return out
