"""Dataset, TensorDataset, Subset."""
from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
from chainrule.data import Dataset, Subset, TensorDataset


def test_tensor_dataset_rows_and_len() -> None:
    X = np.arange(12, dtype=np.float32).reshape(4, 3)
    y = np.array([0, 1, 0, 1])
    ds = TensorDataset(X, cr.tensor(y))
    assert len(ds) == 4
    x2, y2 = ds[2]
    assert isinstance(x2, cr.Tensor) and x2.tolist() == [6.0, 7.0, 8.0]
    assert int(y2) == 0
    assert all(isinstance(t, cr.Tensor) for t in ds.tensors)
    assert ds.tensors[0].dtype == np.float32  # dtype kept


def test_tensor_dataset_shares_array_memory() -> None:
    X = np.zeros((3, 2), np.float32)
    ds = TensorDataset(X)
    assert np.shares_memory(ds.tensors[0]._data, X)


def test_tensor_dataset_size_mismatch_names_sizes() -> None:
    with pytest.raises(ValueError, match=r"same first dimension, got sizes \(4, 3\)"):
        TensorDataset(np.zeros((4, 2)), np.zeros(3))


def test_tensor_dataset_rejects_nothing_and_scalars() -> None:
    with pytest.raises(ValueError, match="at least one tensor"):
        TensorDataset()
    with pytest.raises(ValueError, match="0-d"):
        TensorDataset(np.float32(1.0))
    with pytest.raises(TypeError, match="argument 1"):
        TensorDataset(np.zeros(2), object())


def test_abstract_dataset_raises() -> None:
    with pytest.raises(NotImplementedError):
        len(Dataset())
    with pytest.raises(NotImplementedError):
        Dataset()[0]


def test_subset_maps_indices_and_checks_them() -> None:
    ds = TensorDataset(np.arange(10) * 10)
    sub = Subset(ds, [9, 0, 3])
    assert len(sub) == 3
    assert [int(sub[i][0]) for i in range(3)] == [90, 0, 30]
    with pytest.raises(IndexError, match=r"expected indices in \[0, 10\), got 10"):
        Subset(ds, [1, 10])
    with pytest.raises(TypeError, match="integer indices"):
        Subset(ds, [0.5])
