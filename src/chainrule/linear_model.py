# ruff: noqa: N803, N806  (X, W, A: the math's and scikit-learn's names)
"""Closed-form linear regression: LinearRegression (least squares) and Ridge.

scikit-learn's estimator API (``fit`` returns self, learned attributes end in
``_``), solved in float64 with NumPy. With ``fit_intercept`` the data are
centred first, so the intercept is never penalised and, for rank-deficient X,
``coef_`` is the minimum-norm solution (as scikit-learn).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .tensor import Tensor

__all__ = ["LinearRegression", "NotFittedError", "Ridge"]


class NotFittedError(ValueError, AttributeError):
    """Raised when ``predict`` or ``score`` is called before ``fit`` (as scikit-learn's)."""


def _as_float_array(data: Any, name: str, ndim: tuple[int, ...]) -> np.ndarray:
    arr = np.asarray(data._data if isinstance(data, Tensor) else data)
    if arr.dtype.kind not in "fiub":
        raise TypeError(f"{name}: expected numbers, got an array of dtype {arr.dtype}")
    arr = arr.astype(np.float64)
    if arr.ndim not in ndim:
        hint = "; reshape with X.reshape(-1, 1) for one feature" if name == "X" and \
            arr.ndim == 1 else ""
        raise ValueError(f"Expected {' or '.join(f'{d}D' for d in ndim)} array for {name}, "
                         f"got {arr.ndim}D array of shape {arr.shape} instead{hint}")
    if not np.isfinite(arr).all():
        what = "NaN" if np.isnan(arr).any() else "infinity"
        raise ValueError(f"Input {name} contains {what}.")
    if arr.shape[0] == 0:
        raise ValueError(f"Found array with 0 sample(s) (shape={arr.shape}) while a minimum "
                         "of 1 is required.")
    return arr


class _LinearModel:
    """Shared fit/predict/score; subclasses solve for the weights in ``_solve``."""

    fit_intercept: bool

    def _solve(self, X: np.ndarray, y: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def fit(self, X: Any, y: Any) -> Any:
        """Learn ``coef_`` and ``intercept_`` from X (n_samples, n_features) and y.

        y is (n_samples,) or (n_samples, n_targets). Returns self.
        """
        X = _as_float_array(X, "X", (2,))
        y = _as_float_array(y, "y", (1, 2))
        if X.shape[0] != y.shape[0]:
            raise ValueError("Found input variables with inconsistent numbers of samples: "
                             f"[{X.shape[0]}, {y.shape[0]}]")
        y2 = y.reshape(len(y), -1)
        if self.fit_intercept:
            x_mean, y_mean = X.mean(axis=0), y2.mean(axis=0)
            W = self._solve(X - x_mean, y2 - y_mean)           # (n_features, n_targets)
            intercept = y_mean - x_mean @ W
        else:
            W = self._solve(X, y2)
            intercept = np.zeros(y2.shape[1])
        self.n_features_in_ = X.shape[1]
        if y.ndim == 1:
            self.coef_ = W[:, 0].copy()
            self.intercept_: Any = float(intercept[0]) if self.fit_intercept else 0.0
        else:
            self.coef_ = W.T.copy()                             # (n_targets, n_features)
            self.intercept_ = intercept if self.fit_intercept else 0.0
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            raise NotFittedError(f"This {type(self).__name__} instance is not fitted yet. Call "
                                 "'fit' with appropriate arguments before using this estimator.")

    def predict(self, X: Any) -> np.ndarray:
        """X @ coef_.T + intercept_: shape (n_samples,) or (n_samples, n_targets)."""
        self._check_fitted()
        X = _as_float_array(X, "X", (2,))
        if X.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {X.shape[1]} features, but {type(self).__name__} is "
                             f"expecting {self.n_features_in_} features as input.")
        return X @ self.coef_.T + self.intercept_

    def score(self, X: Any, y: Any) -> float:
        """The coefficient of determination R² of ``predict(X)`` (averaged over targets)."""
        pred = self.predict(X)
        y = _as_float_array(y, "y", (1, 2))
        if y.shape != pred.shape:
            raise ValueError(f"{type(self).__name__}.score: expected y of shape {pred.shape}, "
                             f"got shape {y.shape}")
        y2, p2 = y.reshape(len(y), -1), pred.reshape(len(y), -1)
        ss_res = ((y2 - p2) ** 2).sum(axis=0)
        ss_tot = ((y2 - y2.mean(axis=0)) ** 2).sum(axis=0)
        r2 = np.where(ss_tot != 0, 1 - ss_res / np.where(ss_tot != 0, ss_tot, 1),
                      np.where(ss_res == 0, 1.0, 0.0))  # a constant y: 1 if exact, else 0
        return float(r2.mean())

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The hyperparameters given to ``__init__`` (scikit-learn's API)."""
        return {name: getattr(self, name) for name in self._param_names}

    def set_params(self, **params: Any) -> Any:
        for name, value in params.items():
            if name not in self._param_names:
                raise ValueError(f"Invalid parameter {name!r} for estimator "
                                 f"{type(self).__name__}; valid parameters: "
                                 f"{sorted(self._param_names)}")
            setattr(self, name, value)
        return self

    _param_names: tuple[str, ...] = ()

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={getattr(self, k)!r}" for k in self._param_names)
        return f"{type(self).__name__}({args})"


class LinearRegression(_LinearModel):
    """Ordinary least squares: the w minimising ||X w + b - y||², in closed form.

    Solved with ``numpy.linalg.lstsq`` (the normal equations' solution XᵀX w = Xᵀy,
    computed stably by SVD; the minimum-norm one when X is rank deficient).

    Shape
    -----
    X: (n_samples, n_features); y: (n_samples,) or (n_samples, n_targets);
    ``coef_``: (n_features,) or (n_targets, n_features).

    Example
    -------
    >>> import numpy as np
    >>> from chainrule.linear_model import LinearRegression
    >>> X = np.array([[0.0], [1.0], [2.0]]); y = 3 * X[:, 0] + 1
    >>> model = LinearRegression().fit(X, y)
    >>> round(float(model.coef_[0]), 6), round(model.intercept_, 6)
    (3.0, 1.0)
    """

    _param_names = ("fit_intercept",)

    def __init__(self, fit_intercept: bool = True) -> None:
        self.fit_intercept = fit_intercept

    def _solve(self, X: np.ndarray, y: np.ndarray) -> np.ndarray:
        W, _, self.rank_, self.singular_ = np.linalg.lstsq(X, y, rcond=None)
        return W


class Ridge(_LinearModel):
    """Least squares with an L2 penalty: w = (XᵀX + αI)⁻¹ Xᵀy, the intercept not penalised.

    Shape
    -----
    X: (n_samples, n_features); y: (n_samples,) or (n_samples, n_targets);
    ``coef_``: (n_features,) or (n_targets, n_features).

    Example
    -------
    >>> import numpy as np
    >>> from chainrule.linear_model import Ridge
    >>> X = np.array([[1.0], [-1.0]]); y = np.array([2.0, -2.0])
    >>> float(Ridge(alpha=2.0).fit(X, y).coef_[0])    # XᵀX = 2, Xᵀy = 4: 4 / (2 + 2)
    1.0
    """

    _param_names = ("alpha", "fit_intercept")

    def __init__(self, alpha: float = 1.0, fit_intercept: bool = True) -> None:
        self.alpha = alpha
        self.fit_intercept = fit_intercept

    def _solve(self, X: np.ndarray, y: np.ndarray) -> np.ndarray:
        alpha = self.alpha
        if isinstance(alpha, bool) or not isinstance(alpha, (int, float, np.number)) \
                or not alpha >= 0:
            raise ValueError(f"Ridge: expected alpha >= 0, got {alpha!r}")
        A = X.T @ X
        A[np.diag_indices_from(A)] += alpha
        try:
            return np.linalg.solve(A, X.T @ y)
        except np.linalg.LinAlgError:  # alpha = 0 and XᵀX singular: least squares instead
            return np.linalg.lstsq(A, X.T @ y, rcond=None)[0]
