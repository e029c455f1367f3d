"""Generated 2-D data: shapes, dtypes, seeding, and each set's defining property."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

import chainrule as cr
from chainrule.data import blobs, circles, linear, moons, plane, sine, spirals, xor

CLASSIFIERS: list[Callable[..., Any]] = [xor, circles, moons, spirals, blobs, linear]
REGRESSORS: list[Callable[..., Any]] = [sine, plane]


@pytest.mark.parametrize("fn", CLASSIFIERS + REGRESSORS, ids=lambda f: f.__name__)
def test_shapes_dtypes_and_seeding(fn: Callable[..., Any]) -> None:
    X, y = fn(n_samples=101, seed=5)
    assert X.dtype == np.float32 and X.shape == (101, 1 if fn is sine else 2)
    assert y.shape == (101,)
    assert y.dtype == (np.float32 if fn in REGRESSORS else np.int64)
    X2, y2 = fn(n_samples=101, seed=5)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    X3, _ = fn(n_samples=101, seed=6)
    assert not np.array_equal(X, X3)
    assert np.isfinite(X).all() and np.isfinite(y).all()


@pytest.mark.parametrize("fn", CLASSIFIERS + REGRESSORS, ids=lambda f: f.__name__)
def test_default_generator_follows_manual_seed(fn: Callable[..., Any]) -> None:
    cr.manual_seed(11)
    X1, _ = fn(n_samples=20)
    cr.manual_seed(11)
    X2, _ = fn(n_samples=20)
    np.testing.assert_array_equal(X1, X2)
    X3, _ = fn(n_samples=20, seed=cr.Generator(11))  # a Generator works too
    assert X3.shape == X1.shape


@pytest.mark.parametrize("fn", CLASSIFIERS, ids=lambda f: f.__name__)
def test_classes_are_shuffled_and_present(fn: Callable[..., Any]) -> None:
    _, y = fn(n_samples=200, seed=0)
    assert len(np.unique(y)) >= 2
    assert len(np.unique(y[:20])) >= 2  # not sorted by class


def test_xor_labels_follow_quadrants() -> None:
    X, y = xor(300, noise=0.0, seed=0)
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] < 0).astype(np.int64))
    assert np.abs(X).max() <= 1.0


def test_circles_radii_and_factor_check() -> None:
    X, y = circles(200, noise=0.0, factor=0.4, seed=0)
    r = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(r[y == 0], 1.0, rtol=1e-6)
    np.testing.assert_allclose(r[y == 1], 0.4, rtol=1e-6)
    assert np.bincount(y).tolist() == [100, 100]
    with pytest.raises(ValueError, match=r"factor in \[0, 1\)"):
        circles(10, factor=1.0)


def test_moons_match_sklearn_shapes_without_noise() -> None:
    sk = pytest.importorskip("sklearn.datasets")
    X, y = moons(100, noise=0.0, seed=0)
    Xs, ys = sk.make_moons(100, noise=0.0, shuffle=False)
    ours = X[np.lexsort(np.round(X.T, 4))].astype(np.float64)
    theirs = Xs[np.lexsort(np.round(Xs.T, 4))]
    np.testing.assert_allclose(ours, theirs, atol=1e-6)
    assert np.bincount(y).tolist() == np.bincount(ys).tolist()


def test_spirals_arms() -> None:
    X, y = spirals(301, noise=0.0, arms=3, seed=0)
    assert np.bincount(y).tolist() == [101, 100, 100]
    assert np.hypot(X[:, 0], X[:, 1]).max() <= 1.0 + 1e-6
    with pytest.raises(ValueError, match="arms an integer >= 2"):
        spirals(10, arms=1)


def test_blobs_centers() -> None:
    X, y = blobs(300, centers=[[0, 0], [10, 0], [0, 10]], cluster_std=0.5, seed=0)
    means = np.array([X[y == c].mean(axis=0) for c in range(3)])
    np.testing.assert_allclose(means, [[0, 0], [10, 0], [0, 10]], atol=0.2)
    X4, y4 = blobs(40, centers=4, seed=1)
    assert sorted(set(y4.tolist())) == [0, 1, 2, 3] and np.abs(X4).max() < 20
    with pytest.raises(ValueError, match="centers an int or an array"):
        blobs(10, centers=np.zeros(3))


@pytest.mark.parametrize("noise", [0.0, 0.3, 1.0])
def test_linear_is_linearly_separable(noise: float) -> None:
    optimize = pytest.importorskip("scipy.optimize")
    X, y = linear(300, noise=noise, seed=2)
    s = 2.0 * y - 1.0
    # feasible w, b with s_i (w . x_i + b) >= 1 exists exactly when the classes are separable
    A = -s[:, None] * np.c_[X.astype(np.float64), np.ones(len(X))]
    res = optimize.linprog(np.zeros(3), A_ub=A, b_ub=-np.ones(len(X)), bounds=[(None, None)] * 3)
    assert res.status == 0


def test_regression_targets() -> None:
    X, y = sine(200, noise=0.0, seed=0)
    assert X.min() >= -np.pi and X.max() <= np.pi
    np.testing.assert_allclose(y, np.sin(X[:, 0]), atol=1e-6)
    X, y = plane(100, noise=0.0, seed=0)
    np.testing.assert_allclose(y, 0.5 * X[:, 0] - 0.3 * X[:, 1] + 0.2, atol=1e-6)
    _, y_noisy = sine(2000, noise=0.5, seed=0)
    X2, _ = sine(2000, noise=0.5, seed=0)
    assert 0.4 < float(np.std(y_noisy - np.sin(X2[:, 0]))) < 0.6


@pytest.mark.parametrize("fn", CLASSIFIERS + REGRESSORS, ids=lambda f: f.__name__)
def test_bad_arguments(fn: Callable[..., Any]) -> None:
    with pytest.raises(ValueError, match="n_samples an integer"):
        fn(n_samples=0)
    with pytest.raises(TypeError, match="seed an int"):
        fn(n_samples=10, seed="a")
    if fn is not blobs:
        with pytest.raises(ValueError, match="noise a number >= 0"):
            fn(n_samples=10, noise=-1.0)
