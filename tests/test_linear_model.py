"""LinearRegression and Ridge: closed forms, scikit-learn parity, errors, SGD convergence."""
from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
from chainrule.linear_model import LinearRegression, NotFittedError, Ridge


def _data(rng: np.random.Generator, n: int = 50, d: int = 4,
          targets: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    X = rng.normal(size=(n, d))
    W = rng.normal(size=(d, targets or 1))
    y = X @ W + 0.5 + 0.1 * rng.normal(size=(n, targets or 1))
    return X, (y[:, 0] if targets is None else y)


def test_linear_regression_equals_lstsq(rng: np.random.Generator) -> None:
    X, y = _data(rng)
    model = LinearRegression().fit(X, y)
    sol = np.linalg.lstsq(np.c_[X, np.ones(len(X))], y, rcond=None)[0]
    np.testing.assert_allclose(model.coef_, sol[:-1], rtol=1e-10)
    assert model.intercept_ == pytest.approx(sol[-1], rel=1e-10)
    assert model.coef_.shape == (4,) and model.n_features_in_ == 4
    no_b = LinearRegression(fit_intercept=False).fit(X, y)
    np.testing.assert_allclose(no_b.coef_, np.linalg.lstsq(X, y, rcond=None)[0], rtol=1e-10)
    assert no_b.intercept_ == 0.0


def test_linear_regression_rank_deficient_is_minimum_norm(rng: np.random.Generator) -> None:
    X, y = _data(rng)
    X = np.c_[X, X[:, 0] + X[:, 1]]  # a column that is a sum of two others
    model = LinearRegression().fit(X, y)
    Xc, yc = X - X.mean(0), y - y.mean()
    np.testing.assert_allclose(model.coef_, np.linalg.lstsq(Xc, yc, rcond=None)[0], rtol=1e-8)
    assert model.rank_ == 4
    np.testing.assert_allclose(model.predict(X), LinearRegression().fit(X[:, :4], y)
                               .predict(X[:, :4]), rtol=1e-8)


def test_linear_regression_matches_sklearn_multi_output(rng: np.random.Generator) -> None:
    sk = pytest.importorskip("sklearn.linear_model")
    X, Y = _data(rng, targets=3)
    ours, theirs = LinearRegression().fit(X, Y), sk.LinearRegression().fit(X, Y)
    assert ours.coef_.shape == theirs.coef_.shape == (3, 4)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-10)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=1e-10)
    assert ours.score(X, Y) == pytest.approx(theirs.score(X, Y), rel=1e-12)


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("targets", [None, 2])
def test_ridge_equals_closed_form_and_sklearn(rng: np.random.Generator, fit_intercept: bool,
                                              targets: int | None) -> None:
    sk = pytest.importorskip("sklearn.linear_model")
    X, y = _data(rng, targets=targets)
    ours = Ridge(alpha=2.5, fit_intercept=fit_intercept).fit(X, y)
    theirs = sk.Ridge(alpha=2.5, fit_intercept=fit_intercept, solver="cholesky").fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-10)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=1e-10, atol=1e-12)
    Xc = X - X.mean(0) if fit_intercept else X
    yc = y - y.mean(0) if fit_intercept else y
    closed = np.linalg.inv(Xc.T @ Xc + 2.5 * np.eye(4)) @ Xc.T @ yc
    np.testing.assert_allclose(ours.coef_, closed.T, rtol=1e-10)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-10)


def test_ridge_alpha_zero_is_least_squares(rng: np.random.Generator) -> None:
    X, y = _data(rng)
    np.testing.assert_allclose(Ridge(alpha=0.0).fit(X, y).coef_,
                               LinearRegression().fit(X, y).coef_, rtol=1e-9)


def test_tensors_are_accepted(rng: np.random.Generator) -> None:
    X, y = _data(rng)
    model = LinearRegression().fit(cr.tensor(X), cr.tensor(y))
    np.testing.assert_allclose(model.predict(cr.tensor(X)), LinearRegression().fit(X, y)
                               .predict(X), rtol=1e-6)


def test_score_is_r2(rng: np.random.Generator) -> None:
    X, y = _data(rng)
    model = LinearRegression().fit(X, y)
    pred = model.predict(X)
    r2 = 1 - ((y - pred) ** 2).sum() / ((y - y.mean()) ** 2).sum()
    assert model.score(X, y) == pytest.approx(r2, rel=1e-12)
    assert model.score(X, np.full(len(y), 3.0)) == 0.0  # constant y, imperfect fit


def test_errors_in_scikit_learn_style(rng: np.random.Generator) -> None:
    X, y = _data(rng)
    model = LinearRegression()
    with pytest.raises(NotFittedError, match="This LinearRegression instance is not fitted yet"):
        model.predict(X)
    model.fit(X, y)
    with pytest.raises(ValueError, match="X has 3 features, but LinearRegression is expecting "
                                         "4 features as input."):
        model.predict(X[:, :3])
    with pytest.raises(ValueError, match="inconsistent numbers of samples: \\[50, 49\\]"):
        Ridge().fit(X, y[:-1])
    with pytest.raises(ValueError, match="Expected 2D array for X, got 1D array"):
        model.fit(X[:, 0], y)
    bad = X.copy()
    bad[0, 0] = np.nan
    with pytest.raises(ValueError, match="Input X contains NaN."):
        model.fit(bad, y)
    with pytest.raises(ValueError, match="Ridge: expected alpha >= 0, got -1.0"):
        Ridge(alpha=-1.0).fit(X, y)
    np.testing.assert_allclose(model.coef_, LinearRegression().fit(X, y).coef_)  # unchanged


def test_get_and_set_params() -> None:
    model = Ridge(alpha=0.5)
    assert model.get_params() == {"alpha": 0.5, "fit_intercept": True}
    assert model.set_params(alpha=2.0).alpha == 2.0
    assert repr(model) == "Ridge(alpha=2.0, fit_intercept=True)"
    with pytest.raises(ValueError, match="Invalid parameter 'beta'"):
        model.set_params(beta=1.0)


def test_sgd_on_a_linear_model_converges_to_the_closed_form(rng: np.random.Generator) -> None:
    X, y = _data(rng, n=100)
    W = cr.nn.Parameter(np.zeros((1, 4)))
    b = cr.nn.Parameter(np.zeros(1))
    opt = cr.optim.SGD([W, b], lr=0.1, momentum=0.9)
    Xt, yt = cr.tensor(X), cr.tensor(y[:, None])
    for _ in range(300):
        opt.zero_grad()
        loss = ((cr.ops.linear(Xt, W, b) - yt) ** 2).mean()  # MSE
        loss.backward()
        opt.step()
    model = LinearRegression().fit(X, y)
    np.testing.assert_allclose(W._data[0], model.coef_, atol=1e-3)
    assert abs(b.item() - model.intercept_) < 1e-3
