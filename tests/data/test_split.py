"""random_split (torch's rules) and train_test_split (scikit-learn's)."""
from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
from chainrule.data import TensorDataset, random_split, train_test_split


def _ids(subset) -> list[int]:  # type: ignore[no-untyped-def]
    return [int(subset[i][0]) for i in range(len(subset))]


def test_random_split_counts_disjoint_and_seeded() -> None:
    ds = TensorDataset(np.arange(10))
    parts = random_split(ds, [3, 7], generator=cr.Generator(0))
    assert [len(p) for p in parts] == [3, 7]
    ids = _ids(parts[0]) + _ids(parts[1])
    assert sorted(ids) == list(range(10))
    again = random_split(ds, [3, 7], generator=cr.Generator(0))
    assert _ids(again[0]) == _ids(parts[0])


@pytest.mark.parametrize(("n", "fracs"), [(10, [0.5, 0.5]), (11, [0.3, 0.3, 0.4]),
                                          (7, [0.1, 0.9]), (5, [1 / 3, 1 / 3, 1 / 3])])
def test_random_split_fractions_match_torch(n: int, fracs: list[float]) -> None:
    torch = pytest.importorskip("torch")
    ours = [len(p) for p in random_split(TensorDataset(np.arange(n)), fracs)]
    theirs = [len(p) for p in torch.utils.data.random_split(range(n), fracs)]
    assert ours == theirs


def test_random_split_errors() -> None:
    ds = TensorDataset(np.arange(10))
    with pytest.raises(ValueError, match="add up to the dataset.s length 10, got \\[3, 3\\]"):
        random_split(ds, [3, 3])
    with pytest.raises(ValueError, match="fractions that add up to 1"):
        random_split(ds, [0.5, 0.2])
    with pytest.raises(ValueError, match="at least one length"):
        random_split(ds, [])


def test_train_test_split_order_types_and_alignment() -> None:
    X = np.arange(40).reshape(20, 2)
    y = np.arange(20)
    Xt = cr.tensor(X.astype(np.float32))
    lst = list(range(20))
    X_tr, X_te, y_tr, y_te, t_tr, t_te, l_tr, l_te = train_test_split(X, y, Xt, lst, seed=0)
    assert X_tr.shape == (15, 2) and X_te.shape == (5, 2)  # default test part: 25%
    assert isinstance(t_tr, cr.Tensor) and isinstance(l_tr, list) and isinstance(y_te, np.ndarray)
    np.testing.assert_array_equal(X_tr[:, 0] // 2, y_tr)
    np.testing.assert_array_equal(t_te._data[:, 0] // 2, y_te)
    assert l_te == y_te.tolist()
    assert sorted(np.r_[y_tr, y_te].tolist()) == list(range(20))


def test_train_test_split_seeded() -> None:
    X = np.arange(50)
    a = train_test_split(X, seed=3)
    b = train_test_split(X, seed=3)
    c = train_test_split(X, seed=4)
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[1], c[1])
    cr.manual_seed(9)
    d = train_test_split(X)
    cr.manual_seed(9)
    np.testing.assert_array_equal(d[1], train_test_split(X)[1])


@pytest.mark.parametrize(("n", "test_size", "train_size"), [
    (10, 0.25, None), (10, None, None), (10, 3, None), (10, None, 0.6), (10, None, 4),
    (10, 0.2, 0.5), (7, 0.33, None), (100, 0.1, 0.3), (13, 2, 5)])
def test_sizes_match_sklearn(n: int, test_size: float | None, train_size: float | None) -> None:
    sk = pytest.importorskip("sklearn.model_selection")
    X = np.arange(n)
    ours = train_test_split(X, test_size=test_size, train_size=train_size, seed=0)
    theirs = sk.train_test_split(X, test_size=test_size, train_size=train_size, random_state=0)
    assert [len(a) for a in ours] == [len(a) for a in theirs]


def test_no_shuffle_keeps_order() -> None:
    X_tr, X_te = train_test_split(np.arange(10), test_size=0.3, shuffle=False)
    assert X_tr.tolist() == list(range(7)) and X_te.tolist() == [7, 8, 9]


def test_stratify_keeps_class_proportions() -> None:
    rng = np.random.default_rng(0)
    y = rng.permutation(np.repeat([0, 1, 2], [60, 30, 10]))
    X = np.arange(100)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, stratify=y, seed=1)
    assert np.bincount(y_te).tolist() == [12, 6, 2]
    assert np.bincount(y_tr).tolist() == [48, 24, 8]
    np.testing.assert_array_equal(y[X_te], y_te)
    assert len(set(X_tr) | set(X_te)) == 100


def test_stratify_proportions_close_to_sklearn() -> None:
    sk = pytest.importorskip("sklearn.model_selection")
    y = np.repeat([0, 1, 2, 3], [37, 23, 11, 7])
    ours = train_test_split(y, test_size=0.3, stratify=y, seed=0)[1]
    theirs = sk.train_test_split(y, test_size=0.3, stratify=y, random_state=0)[1]
    assert len(ours) == len(theirs)
    assert np.abs(np.bincount(ours) - np.bincount(theirs)).max() <= 1


def test_stratify_string_labels() -> None:
    y = np.array(["a"] * 8 + ["b"] * 4)
    _, te = train_test_split(y, test_size=0.25, stratify=y, seed=0)
    assert sorted(te.tolist()) == ["a", "a", "b"]


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"test_size": 1.5}, r"test_size a fraction in \(0, 1\)"),
    ({"test_size": 0}, r"test_size a count in \(0, 10\)"),
    ({"test_size": 10}, r"test_size a count in \(0, 10\)"),
    ({"train_size": -0.1}, "train_size"),
    ({"test_size": 0.6, "train_size": 0.6}, "add up to at most the 10 samples"),
    ({"test_size": 5, "train_size": 6}, "add up to at most the 10 samples"),
    ({"test_size": "half"}, "test_size a fraction"),
    ({"shuffle": False, "stratify": np.zeros(10)}, "shuffle=False"),
])
def test_bad_sizes(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        train_test_split(np.arange(10), **kwargs)  # type: ignore[arg-type]


def test_empty_train_and_inconsistent_lengths() -> None:
    with pytest.raises(ValueError, match="non-empty train set"):
        train_test_split(np.arange(3), test_size=0.9)
    with pytest.raises(ValueError, match=r"same number of samples, got \[3, 4\]"):
        train_test_split(np.arange(3), np.arange(4))
    with pytest.raises(ValueError, match="at least 2 samples of each class"):
        y = np.array([0, 0, 0, 1])
        train_test_split(y, stratify=y, test_size=2)
    with pytest.raises(ValueError, match="at least the 3 classes"):
        y = np.repeat([0, 1, 2], 4)
        train_test_split(y, stratify=y, test_size=2)
    with pytest.raises(TypeError, match="seed an int"):
        train_test_split(np.arange(4), seed="x")  # type: ignore[arg-type]
