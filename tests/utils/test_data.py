"""chainrule.utils.data against torch.utils.data: same batches for the same index orders,
the same collate structure and dtypes, the same errors."""
from __future__ import annotations

from collections import namedtuple

import numpy as np
import pytest

import chainrule as cr
import chainrule.utils.data as cud

torch = pytest.importorskip("torch")
tud = torch.utils.data


def _plain(batch: object) -> object:
    """A batch as nested Python containers of (dtype name, values)."""
    if isinstance(batch, (cr.Tensor, torch.Tensor)):
        arr = batch.numpy()
        return (str(arr.dtype), arr.tolist())
    if isinstance(batch, dict):
        return {k: _plain(v) for k, v in batch.items()}
    if isinstance(batch, tuple) and hasattr(batch, "_fields"):
        return (type(batch).__name__, [_plain(v) for v in batch])
    if isinstance(batch, (list, tuple)):
        return (type(batch).__name__, [_plain(v) for v in batch])
    return batch


Point = namedtuple("Point", "x y")

SAMPLES = {
    "tensor_tuple": lambda lib, i: (lib.tensor([i, i + 0.5]), lib.tensor(i)),
    "numpy": lambda lib, i: (np.full(3, i, np.float64), np.int32(i), np.float32(i / 2)),
    "numbers": lambda lib, i: (float(i) / 3, i, bool(i % 2)),
    "dict": lambda lib, i: {"x": np.arange(2, dtype=np.float32) + i, "label": i, "name": f"s{i}"},
    "nested": lambda lib, i: [{"a": (i, [i * 1.5, np.int64(i)])}, lib.tensor([[i]])],
    "namedtuple": lambda lib, i: Point(np.float32(i), [i, i + 1]),
}


class _Map:
    def __init__(self, lib: object, kind: str, n: int = 7) -> None:
        self.lib, self.kind, self.n = lib, kind, n

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int) -> object:
        return SAMPLES[self.kind](self.lib, i)


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_default_collate_structure_and_dtypes_match_torch(kind: str) -> None:
    ours = [_plain(b) for b in cud.DataLoader(_Map(cr, kind), batch_size=3)]
    theirs = [_plain(b) for b in tud.DataLoader(_Map(torch, kind), batch_size=3)]
    assert ours == theirs


def test_tensor_dataset_batches_match_torch_for_the_same_order() -> None:
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(23, 3)).astype(np.float32), rng.integers(0, 4, 23)
    order = rng.permutation(23).tolist()
    for kwargs in ({"batch_size": 5}, {"batch_size": 5, "drop_last": True},
                   {"batch_size": 4, "sampler": order}, {"batch_size": None},
                   {"batch_sampler": [[3, 1], [22, 0, 5]]}):
        ours = cud.DataLoader(cud.TensorDataset(cr.tensor(X), cr.tensor(y)), **kwargs)
        theirs = tud.DataLoader(tud.TensorDataset(torch.tensor(X), torch.tensor(y)), **kwargs)
        assert len(ours) == len(theirs)
        assert [_plain(b) for b in ours] == [_plain(b) for b in theirs], kwargs


def test_samplers_and_subsets_match_torch() -> None:
    data = list(range(10))
    assert list(cud.SequentialSampler(data)) == list(tud.SequentialSampler(data))
    for bs, drop in ((3, False), (3, True), (5, True)):
        ours = cud.BatchSampler(cud.SequentialSampler(data), bs, drop)
        theirs = tud.BatchSampler(tud.SequentialSampler(data), bs, drop)
        assert list(ours) == list(theirs) and len(ours) == len(theirs)
    sub_ours = cud.Subset(cud.TensorDataset(cr.arange(10)), [4, 1, 8])
    sub_theirs = tud.Subset(tud.TensorDataset(torch.arange(10)), [4, 1, 8])
    assert [_plain(b) for b in cud.DataLoader(sub_ours, batch_size=2)] == \
        [_plain(b) for b in tud.DataLoader(sub_theirs, batch_size=2)]


def test_concat_dataset_matches_torch() -> None:
    a, b = np.arange(4), np.arange(10, 13)
    ours = cud.ConcatDataset([cud.TensorDataset(cr.tensor(a)), cud.TensorDataset(cr.tensor(b))])
    theirs = tud.ConcatDataset([tud.TensorDataset(torch.tensor(a)),
                                tud.TensorDataset(torch.tensor(b))])
    assert len(ours) == len(theirs) and ours.cumulative_sizes == theirs.cumulative_sizes
    for i in (0, 3, 4, 6, -1, -7):
        assert _plain(ours[i]) == _plain(theirs[i])
    assert len(cud.TensorDataset(cr.tensor(a)) + cud.TensorDataset(cr.tensor(b))) == 7
    with pytest.raises(IndexError):
        ours[7]


def test_random_split_sizes_match_torch() -> None:
    for n, lengths in ((10, [0.3, 0.7]), (11, [0.5, 0.25, 0.25]), (7, [3, 4]), (5, [0.2] * 5)):
        ours = cud.random_split(range(n), lengths, generator=cr.Generator().manual_seed(0))
        theirs = tud.random_split(range(n), lengths, generator=torch.Generator().manual_seed(0))
        assert [len(s) for s in ours] == [len(s) for s in theirs]
        assert sorted(i for s in ours for i in s.indices) == list(range(n))
        assert all(isinstance(s.indices, list) for s in ours)
    with pytest.raises(ValueError):
        cud.random_split(range(5), [2, 2])


def test_random_sampler_draws_permutations_and_replacement() -> None:
    g = cr.Generator().manual_seed(0)
    assert sorted(cud.RandomSampler(range(6), generator=g)) == list(range(6))
    many = list(cud.RandomSampler(range(4), num_samples=10, generator=g))
    assert len(many) == 10 and sorted(many[:8]) == sorted(list(range(4)) * 2)
    repl = list(cud.RandomSampler(range(3), replacement=True, num_samples=50, generator=g))
    assert len(repl) == 50 and set(repl) <= {0, 1, 2}
    assert sorted(cud.SubsetRandomSampler([7, 3, 5], generator=g)) == [3, 5, 7]
    w = list(cud.WeightedRandomSampler([0.0, 1.0, 3.0], 200, generator=g))
    assert set(w) == {1, 2} and 0.6 < w.count(2) / 200 < 0.9


def test_shuffle_is_seeded_by_the_generator_and_covers_everything() -> None:
    ds = cud.TensorDataset(cr.arange(20))
    a = [b[0].tolist() for b in cud.DataLoader(ds, batch_size=6, shuffle=True,
                                                generator=cr.Generator().manual_seed(3))]
    b = [b[0].tolist() for b in cud.DataLoader(ds, batch_size=6, shuffle=True,
                                                generator=cr.Generator().manual_seed(3))]
    assert a == b and sorted(sum(a, [])) == list(range(20)) and sum(a, []) != list(range(20))


def test_iterable_dataset_batches_like_torch() -> None:
    class Stream(cud.IterableDataset):
        def __iter__(self):  # type: ignore[no-untyped-def]
            return iter(range(7))

    class TStream(tud.IterableDataset):
        def __iter__(self):  # type: ignore[no-untyped-def]
            return iter(range(7))

    for kwargs in ({"batch_size": 3}, {"batch_size": 3, "drop_last": True},
                   {"batch_size": None}):
        assert [_plain(b) for b in cud.DataLoader(Stream(), **kwargs)] == \
            [_plain(b) for b in tud.DataLoader(TStream(), **kwargs)]
    with pytest.raises(ValueError, match="shuffle"):
        cud.DataLoader(Stream(), shuffle=True)


def test_collate_fn_workers_and_pin_memory_are_accepted() -> None:
    ds = cud.TensorDataset(cr.arange(6.0), cr.arange(6))
    loader = cud.DataLoader(ds, batch_size=4, num_workers=2, pin_memory=True,
                            collate_fn=lambda samples: len(samples))
    assert list(loader) == [4, 2]
    assert cud.get_worker_info() is None


@pytest.mark.parametrize("kwargs, match", [
    ({"sampler": [0, 1], "shuffle": True}, "mutually exclusive with shuffle"),
    ({"batch_sampler": [[0]], "batch_size": 2}, "batch_sampler option is mutually exclusive"),
    ({"batch_size": None, "drop_last": True}, "mutually exclusive with drop_last"),
    ({"num_workers": -1}, "num_workers"),
])
def test_bad_arguments_raise_like_torch(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        cud.DataLoader(cud.TensorDataset(cr.arange(4)), **kwargs)
    with pytest.raises(ValueError):
        tud.DataLoader(tud.TensorDataset(torch.arange(4)), **kwargs)


def test_collate_errors_like_torch() -> None:
    with pytest.raises(TypeError, match="batch must contain tensors"):
        cud.default_collate([object(), object()])
    with pytest.raises(RuntimeError, match="equal size"):
        cud.default_collate([[1, 2], [3]])
    assert cud.default_collate(["a", "b"]) == ["a", "b"]


def test_import_paths() -> None:
    import chainrule.utils.data as mod
    assert cr.utils.data is mod and mod.DataLoader is cr.data.DataLoader
    assert set(mod.__all__) <= set(dir(mod))
    from chainrule.utils.data.dataloader import DataLoader, default_collate
    from chainrule.utils.data.dataset import Dataset
    from chainrule.utils.data.sampler import Sampler
    assert (DataLoader, default_collate, Dataset, Sampler) == (
        mod.DataLoader, mod.default_collate, mod.Dataset, mod.Sampler)


def test_stack_dataset_matches_torch() -> None:
    a, b = np.arange(4), np.arange(4) * 10
    ours = cud.StackDataset(cud.TensorDataset(cr.tensor(a)), cud.TensorDataset(cr.tensor(b)))
    theirs = tud.StackDataset(tud.TensorDataset(torch.tensor(a)),
                              tud.TensorDataset(torch.tensor(b)))
    assert len(ours) == len(theirs) and _plain(ours[2]) == _plain(theirs[2])
    ours_kw = cud.StackDataset(x=cud.TensorDataset(cr.tensor(a)), y=cud.TensorDataset(cr.tensor(b)))
    theirs_kw = tud.StackDataset(x=tud.TensorDataset(torch.tensor(a)),
                                 y=tud.TensorDataset(torch.tensor(b)))
    assert [_plain(x) for x in cud.DataLoader(ours_kw, batch_size=3)] == \
        [_plain(x) for x in tud.DataLoader(theirs_kw, batch_size=3)]
    with pytest.raises(ValueError, match="same length"):
        cud.StackDataset(cud.TensorDataset(cr.tensor(a)), cud.TensorDataset(cr.tensor(b[:2])))
