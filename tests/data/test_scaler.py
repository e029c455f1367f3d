"""StandardScaler: scikit-learn parity, round trips, storage, errors."""
from __future__ import annotations

import json

import numpy as np
import pytest

import chainrule as cr
from chainrule.data import NotFittedError, StandardScaler


@pytest.fixture
def data() -> np.ndarray:
    rng = np.random.default_rng(0)
    X = rng.normal(3.0, 2.0, (50, 4)) * np.array([1.0, 10.0, 0.01, 1.0])
    X[:, 3] = 7.25  # a constant feature
    return X


@pytest.mark.parametrize(("with_mean", "with_std"), [(True, True), (False, True), (True, False)])
def test_matches_sklearn(data: np.ndarray, with_mean: bool, with_std: bool) -> None:
    X = data
    sk = pytest.importorskip("sklearn.preprocessing")
    ref = sk.StandardScaler(with_mean=with_mean, with_std=with_std).fit(X)
    ours = StandardScaler(with_mean=with_mean, with_std=with_std).fit(X)
    np.testing.assert_allclose(ours.mean_, ref.mean_, rtol=1e-12)
    if with_std:
        np.testing.assert_allclose(ours.scale_, ref.scale_, rtol=1e-12)
        np.testing.assert_allclose(ours.var_, ref.var_, rtol=1e-12)
    else:
        assert ours.scale_ is None and ref.scale_ is None
    np.testing.assert_allclose(ours.transform(X), ref.transform(X), rtol=1e-10, atol=1e-12)
    Z = ref.transform(X)
    np.testing.assert_allclose(ours.inverse_transform(Z), ref.inverse_transform(Z), rtol=1e-10)
    assert ours.n_features_in_ == ref.n_features_in_ == 4
    assert ours.n_samples_seen_ == 50


def test_zero_variance_gets_scale_one(data: np.ndarray) -> None:
    X = data
    sc = StandardScaler().fit(X)
    assert sc.scale_[3] == 1.0
    assert np.all(sc.transform(X)[:, 3] == 0.0)


def test_standardises_and_round_trips(data: np.ndarray) -> None:
    X = data
    Z = StandardScaler().fit_transform(X)
    np.testing.assert_allclose(Z[:, :3].mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(Z[:, :3].std(axis=0), 1.0, rtol=1e-12)
    sc = StandardScaler().fit(X)
    np.testing.assert_allclose(sc.inverse_transform(sc.transform(X)), X, rtol=1e-12)


def test_dtypes_and_tensors(data: np.ndarray) -> None:
    X = data
    sc = StandardScaler().fit(X)
    assert sc.transform(X.astype(np.float32)).dtype == np.float32
    assert sc.transform(X).dtype == np.float64
    ints = np.arange(8).reshape(2, 4)
    assert sc.transform(ints).dtype == cr.get_default_dtype()
    out = sc.transform(cr.tensor(X.astype(np.float32)))
    assert isinstance(out, cr.Tensor) and out.shape == (50, 4)


def test_json_round_trip(data: np.ndarray) -> None:
    X = data
    sc = StandardScaler().fit(X)
    state = json.loads(json.dumps(sc.to_dict()))
    back = StandardScaler.from_dict(state)
    np.testing.assert_array_equal(back.mean_, sc.mean_)  # exact: floats survive JSON
    np.testing.assert_array_equal(back.scale_, sc.scale_)
    np.testing.assert_array_equal(back.transform(X), sc.transform(X))
    unfitted = StandardScaler.from_dict(StandardScaler(with_std=False).to_dict())
    assert unfitted.with_std is False and not hasattr(unfitted, "mean_")


def test_from_dict_errors() -> None:
    with pytest.raises(ValueError, match="from StandardScaler.to_dict"):
        StandardScaler.from_dict({"type": "MinMaxScaler"})
    bad = {"type": "StandardScaler", "n_features_in": 3, "mean": [0.0], "var": [1.0] * 3,
           "scale": [1.0] * 3}
    with pytest.raises(ValueError, match="'mean' a list of 3 numbers"):
        StandardScaler.from_dict(bad)


def test_errors(data: np.ndarray) -> None:
    X = data
    with pytest.raises(NotFittedError, match="not fitted yet"):
        StandardScaler().transform(X)
    with pytest.raises(ValueError, match="not fitted yet"):  # a ValueError, as sklearn's
        StandardScaler().inverse_transform(X)
    sc = StandardScaler().fit(X)
    with pytest.raises(ValueError, match="^X has 3 features, but StandardScaler is expecting 4 "
                       "features as input.$"):
        sc.transform(X[:, :3])
    with pytest.raises(ValueError, match=r"2-D array .* got shape \(50,\)"):
        sc.transform(X[:, 0])
    bad = X.copy()
    bad[4, 2] = np.nan
    with pytest.raises(ValueError, match="finite values, got nan at row 4, column 2"):
        StandardScaler().fit(bad)
    with pytest.raises(ValueError, match="at least one sample"):
        StandardScaler().fit(np.zeros((0, 3)))
    with pytest.raises(TypeError, match="numbers"):
        StandardScaler().fit(np.array([["a", "b"]]))
