"""Turning what users pass to ``fit``/``evaluate``/``predict`` into DataLoaders."""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import random as _random


def _param_dtype(model: Any) -> np.dtype:
    for p in getattr(model, "parameters", lambda: [])():
        return np.dtype(p._data.dtype)
    from .._dtype import get_default_dtype
    return np.dtype(get_default_dtype())


def _array(a: Any, dtype: np.dtype | None, where: str, name: str) -> np.ndarray:
    from ..tensor import Tensor
    arr = a._data if isinstance(a, Tensor) else np.asarray(a)
    if arr.dtype.kind not in "fiub":
        raise TypeError(f"{where}: expected {name} as numbers, got dtype {arr.dtype}")
    if dtype is not None and arr.dtype.kind == "f" and arr.dtype != dtype:
        arr = arr.astype(dtype)
    return arr


def as_dataset(data: Any, model: Any, where: str, allow_x_only: bool = False) -> Any:
    """A Dataset from ``(X, y)``, ``X`` alone (predict), or a Dataset; None for a DataLoader."""
    from ..data import DataLoader, TensorDataset
    if isinstance(data, DataLoader):
        return None
    dtype = _param_dtype(model)
    if isinstance(data, (tuple, list)):
        if len(data) != 2:
            raise ValueError(f"{where}: expected data as a pair (X, y), got a "
                             f"{type(data).__name__} of length {len(data)}")
        x = _array(data[0], dtype, where, "X")
        y = _array(data[1], dtype, where, "y")
        if len(x) != len(y):
            raise ValueError(f"{where}: expected X and y with the same number of samples, got "
                             f"shapes {x.shape} and {y.shape}")
        return TensorDataset(x, y)
    if hasattr(data, "__getitem__") and hasattr(data, "__len__") and \
            not isinstance(data, np.ndarray) and not hasattr(data, "shape"):
        return data
    if allow_x_only:
        return TensorDataset(_array(data, dtype, where, "X"))
    raise TypeError(f"{where}: expected data as (X, y) arrays, a Dataset or a DataLoader, got "
                    f"{type(data).__name__}")


def as_loader(data: Any, model: Any, batch_size: int, where: str, shuffle: bool = False,
              generator: _random.Generator | None = None, allow_x_only: bool = False) -> Any:
    from ..data import DataLoader
    ds = as_dataset(data, model, where, allow_x_only)
    if ds is None:
        return data
    return DataLoader(ds, batch_size=batch_size, shuffle=shuffle, generator=generator)


def split_validation(dataset: Any, fraction: float, generator: _random.Generator
                     ) -> tuple[Any, Any]:
    """Hold out a random ``fraction`` of ``dataset`` (at least one sample on each side)."""
    from ..data import Subset
    n = len(dataset)
    n_val = int(round(n * fraction))
    if n_val < 1 or n_val >= n:
        raise ValueError(f"fit: expected val_split to leave at least one sample on each side, "
                         f"got val_split={fraction} for {n} samples")
    order = generator.np.permutation(n)
    train_idx, val_idx = np.sort(order[n_val:]).tolist(), np.sort(order[:n_val]).tolist()
    return Subset(dataset, train_idx), Subset(dataset, val_idx)


def check_positive_int(value: Any, where: str, name: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{where}: expected {name} an integer >= {minimum}, got {value!r}")
    return int(value)
