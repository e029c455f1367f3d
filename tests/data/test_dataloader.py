"""DataLoader: batching, shuffling, seeding, resume, generic collation."""
from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
from chainrule.data import DataLoader, Dataset, Subset, TensorDataset


def _ds(n: int = 10) -> TensorDataset:
    return TensorDataset(np.arange(2 * n, dtype=np.float32).reshape(n, 2), np.arange(n))


def test_batches_in_order_and_len() -> None:
    loader = DataLoader(_ds(10), batch_size=4)
    batches = list(loader)
    assert len(loader) == len(batches) == 3
    assert [b[1].tolist() for b in batches] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    xb, yb = batches[0]
    assert isinstance(xb, cr.Tensor) and xb.shape == (4, 2) and xb.dtype == np.float32
    assert yb.dtype == np.int64


def test_drop_last() -> None:
    loader = DataLoader(_ds(10), batch_size=4, drop_last=True)
    assert len(loader) == 2
    assert [b[1].tolist() for b in loader] == [[0, 1, 2, 3], [4, 5, 6, 7]]


def test_shuffle_covers_everything_with_new_order_each_epoch() -> None:
    loader = DataLoader(_ds(50), batch_size=8, shuffle=True, generator=cr.Generator(0))
    e1 = np.concatenate([y._data for _, y in loader])
    e2 = np.concatenate([y._data for _, y in loader])
    assert sorted(e1.tolist()) == list(range(50)) == sorted(e2.tolist())
    assert not np.array_equal(e1, e2)
    assert not np.array_equal(e1, np.arange(50))


def test_rows_stay_aligned_when_shuffled() -> None:
    for xb, yb in DataLoader(_ds(20), batch_size=3, shuffle=True, generator=cr.Generator(1)):
        np.testing.assert_array_equal(xb._data[:, 0], 2 * yb._data)


def test_manual_seed_reproduces_default_generator_order() -> None:
    loader = DataLoader(_ds(30), batch_size=7, shuffle=True)
    assert loader.generator is cr.random.default_generator
    cr.manual_seed(123)
    a = [y.tolist() for _, y in loader]
    cr.manual_seed(123)
    b = [y.tolist() for _, y in loader]
    assert a == b


def test_generator_state_resumes_an_epoch_exactly() -> None:
    g = cr.Generator(7)
    loader = DataLoader(_ds(30), batch_size=4, shuffle=True, generator=g)
    list(loader)  # epoch 1
    state = loader.generator.get_state()
    epoch2 = [y.tolist() for _, y in loader]
    loader.generator.set_state(state)
    assert [y.tolist() for _, y in loader] == epoch2


def test_permutation_is_drawn_at_iter_time() -> None:
    g = cr.Generator(3)
    loader = DataLoader(_ds(10), batch_size=2, shuffle=True, generator=g)
    before = g.get_state()
    it = iter(loader)
    assert g.get_state() != before  # consumed by iter(), not by the first next()
    next(it)


def test_batches_are_fresh_arrays() -> None:
    ds = _ds(8)
    kept = [xb for xb, _ in DataLoader(ds, batch_size=4)]
    kept += [xb for xb, _ in DataLoader(ds, batch_size=4, shuffle=True, generator=cr.Generator(0))]
    for i, a in enumerate(kept):
        assert not np.shares_memory(a._data, ds.tensors[0]._data)
        for b in kept[i + 1:]:
            assert not np.shares_memory(a._data, b._data)
    kept[0]._data[:] = -1  # editing a batch leaves the dataset alone
    assert ds.tensors[0]._data.min() == 0


def test_subset_of_tensor_dataset_fast_path() -> None:
    sub = Subset(_ds(10), [9, 7, 5, 3, 1])
    assert [y.tolist() for _, y in DataLoader(sub, batch_size=2)] == [[9, 7], [5, 3], [1]]
    got = np.concatenate([y._data for _, y in DataLoader(sub, batch_size=2, shuffle=True,
                                                          generator=cr.Generator(0))])
    assert sorted(got.tolist()) == [1, 3, 5, 7, 9]


class _Pairs(Dataset):
    def __len__(self) -> int:
        return 5

    def __getitem__(self, i: int) -> tuple[np.ndarray, int]:
        return np.full(3, i, dtype=np.float32), i


def test_generic_dataset_is_collated_with_stack() -> None:
    batches = list(DataLoader(_Pairs(), batch_size=2))
    assert len(batches) == 3
    xb, yb = batches[1]
    assert xb.shape == (2, 3) and xb._data[:, 0].tolist() == [2.0, 3.0]
    assert yb.tolist() == [2, 3] and yb.dtype == np.int64


def test_generic_dataset_dicts_and_single_tensors() -> None:
    class D(Dataset):
        def __len__(self) -> int:
            return 3

        def __getitem__(self, i: int) -> dict[str, object]:
            return {"x": cr.tensor([float(i)]), "w": 0.5}

    (batch,) = list(DataLoader(D(), batch_size=3))
    assert batch["x"].shape == (3, 1) and batch["w"].dtype == np.float64  # as torch


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="batch_size a positive integer or None, got 0"):
        DataLoader(_ds(), batch_size=0)
    with pytest.raises(TypeError, match="chainrule.Generator"):
        DataLoader(_ds(), generator=np.random.default_rng(0))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="__getitem__ and __len__"):
        DataLoader(42)  # type: ignore[arg-type]
