# ruff: noqa: N802, N803, N806  (X, Y: scikit-learn's names)
"""The shared fit loop of MLPClassifier and MLPRegressor (scikit-learn's semantics, fused step)."""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, is_classifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

from . import _solvers
from ._engine import ACTIVATIONS, Layout, Network
from ._persist import PersistMixin
from ._threads import blas_limits

_SOLVERS = ("adam", "sgd", "lbfgs", "adamw")


def _check(cond: bool, where: str, what: str, got: Any) -> None:
    if not cond:
        raise ValueError(f"{type(where).__name__}: expected {what}, got {got!r}")


class BaseMLP(PersistMixin, BaseEstimator):
    """Parameters, fit/partial_fit and the stochastic and L-BFGS loops (see MLPClassifier)."""

    _loss: str = "squared_error"
    _flat: np.ndarray
    _layout: Layout
    _net_cache: Network | None
    _solver: Any
    best_loss_: Any

    def _validate_params(self) -> list[int]:
        h = self.hidden_layer_sizes
        sizes = list(h) if hasattr(h, "__iter__") else [h]
        _check(bool(all(isinstance(s, (int, np.integer)) and s > 0 for s in sizes)), self,
               "hidden_layer_sizes of positive ints", h)
        _check(self.activation in ACTIVATIONS, self, f"activation in {ACTIVATIONS}",
               self.activation)
        _check(self.solver in _SOLVERS, self, f"solver in {_SOLVERS}", self.solver)
        _check(self.learning_rate in ("constant", "invscaling", "adaptive"), self,
               "learning_rate 'constant', 'invscaling' or 'adaptive'", self.learning_rate)
        _check(self.batch_size == "auto" or bool(isinstance(self.batch_size, (int, np.integer))
                                             and self.batch_size >= 1), self,
               "batch_size 'auto' or a positive int", self.batch_size)
        for name in ("alpha", "tol", "power_t", "beta_1", "beta_2", "momentum", "dropout"):
            _check(float(getattr(self, name)) >= 0, self, f"{name} >= 0", getattr(self, name))
        _check(self.learning_rate_init > 0, self, "learning_rate_init > 0",
               self.learning_rate_init)
        _check(self.max_iter >= 1, self, "max_iter >= 1", self.max_iter)
        _check(0 <= self.dropout < 1, self, "dropout in [0, 1)", self.dropout)
        _check(self.dtype in (None, "float32", "float64", np.float32, np.float64), self,
               "dtype None, 'float32' or 'float64'", self.dtype)
        return [int(s) for s in sizes]

    def _compute_dtype(self, X: Any) -> Any:
        if self.dtype is not None:
            return np.dtype(self.dtype)
        dt = getattr(X, "dtype", None)
        if dt is not None and getattr(dt, "kind", "") == "f" and dt.itemsize == 4:
            return np.dtype(np.float32)
        return np.dtype(np.float64)

    def _validate_X(self, X: Any, y: Any, reset: bool, dtype: Any) -> tuple[Any, Any]:
        kw = dict(multi_output=True, dtype=dtype, reset=reset, y_numeric=not is_classifier(self))
        return validate_data(self, X, y, **kw)  # type: ignore[arg-type]

    # ----------------------------------------------------------------- fitting
    def _fit(self, X: Any, y: Any, sample_weight: Any = None, incremental: bool = False) -> Any:
        sizes = self._validate_params()
        first = not hasattr(self, "_flat") or (not self.warm_start and not incremental)
        dtype = self._compute_dtype(X) if first else self._flat.dtype
        X, Y = self._validate_input(X, y, incremental, reset=first, dtype=dtype)
        sw = None if sample_weight is None else \
            _check_sample_weight(sample_weight, X, dtype=X.dtype)
        sw = self._class_weights(sw, y)
        units = [X.shape[1], *sizes, Y.shape[1]]
        self._random_state = check_random_state(self.random_state)
        if first:
            self._initialize(units, dtype)
        elif self._layout.units != units or self._layout.batch_norm != bool(self.batch_norm):
            raise ValueError(f"{type(self).__name__}: expected the layer sizes of the fitted "
                             f"network {self._layout.units} for warm_start/partial_fit, got "
                             f"{units}")
        Y = Y.astype(dtype)
        with blas_limits(), np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            if self.solver == "lbfgs":
                self._fit_lbfgs(X, Y, sw)
            else:
                self._fit_stochastic(X, Y, sw, incremental)
        if not np.isfinite(self._flat).all():
            raise ValueError("Solver produced non-finite parameter weights. The input data may "
                             "contain large values and need to be preprocessed.")
        return self

    def _class_weights(self, sw: Any, y: Any) -> Any:
        return sw

    def _initialize(self, units: list[int], dtype: Any) -> None:
        self.n_iter_, self.t_ = 0, 0
        self.n_outputs_, self.n_layers_ = units[-1], len(units)
        self.out_activation_ = self._out_activation()
        self._layout = Layout(units, bool(self.batch_norm))
        flat = np.zeros(self._layout.size, dtype)
        coefs, biases, bns = self._layout.views(flat)
        factor = 2.0 if self.activation == "logistic" else 6.0
        for c, b in zip(coefs, biases):  # scikit-learn's Glorot draws, in its order
            bound = np.sqrt(factor / (c.shape[0] + c.shape[1]))
            c[...] = self._random_state.uniform(-bound, bound, c.shape)
            b[...] = self._random_state.uniform(-bound, bound, b.shape)
        for gamma, _ in bns:
            gamma[...] = 1
        self._flat = flat
        self._net_cache = None
        self._solver = None
        if self.solver != "lbfgs":
            self.loss_curve_: list[float] = []
            self._no_improvement_count = 0
            self.validation_scores_: list[float] | None = [] if self.early_stopping else None
            self.best_validation_score_ = -np.inf if self.early_stopping else None
            self.best_loss_ = None if self.early_stopping else np.inf

    @property
    def _net(self) -> Network:
        net = getattr(self, "_net_cache", None)
        if net is None:
            loss = self._loss
            if loss == "log_loss" and self.out_activation_ == "logistic":
                loss = "binary_log_loss"
            net = Network(self._layout, self._flat, self.activation, self.out_activation_, loss,
                          float(self.alpha), float(self.dropout), getattr(self, "_running", None))
            self._net_cache, self._running = net, net.running
        net.alpha, net.dropout = float(self.alpha), float(self.dropout)
        return net

    def _fit_lbfgs(self, X: np.ndarray, Y: np.ndarray, sw: Any) -> None:
        net, rng = self._net, np.random.default_rng(self._random_state.randint(2**31))

        def fun(x: np.ndarray) -> tuple[float, np.ndarray]:
            net.params[...] = x
            return net.loss_grad(X, Y, sw, rng), net.grads

        res = _solvers.lbfgs(fun, self._flat.copy(), self.max_iter, self.max_fun, self.tol,
                             bool(self.verbose))
        if res.status != 0:
            warnings.warn(f"lbfgs failed to converge after {res.nit} iteration(s) "
                          f"(status={res.status}): {res.message}.\n\nIncrease the number of "
                          "iterations to improve the convergence (max_iter="
                          f"{self.max_iter}).", ConvergenceWarning, stacklevel=3)
        self.n_iter_ = int(min(res.nit, self.max_iter))
        self.loss_ = float(res.fun)
        self._flat[...] = res.x

    def _make_solver(self, steps_per_epoch: int) -> _solvers.Solver:
        flat, lr = self._flat, float(self.learning_rate_init)
        sched = _solvers.make_scheduler(self.lr_scheduler, lr, self.max_iter, steps_per_epoch)
        if self.solver == "sgd":
            return _solvers.SGDSolver(flat, lr, self.learning_rate, self.momentum,
                                self.nesterovs_momentum, self.power_t, sched)
        wd = float(self.weight_decay) if self.solver == "adamw" else 0.0
        return _solvers.Adam(flat, lr, self.beta_1, self.beta_2, self.epsilon, wd,
                             slice(0, self._layout.n_coef), sched)

    def _fit_stochastic(self, X: np.ndarray, Y: np.ndarray, sw: Any, incremental: bool) -> None:
        if self.early_stopping and incremental:
            raise ValueError("partial_fit does not support early_stopping=True")
        X_val = y_val = sw_val = None
        if self.early_stopping:
            strat = Y if is_classifier(self) and self.n_outputs_ == 1 else None
            self._best = self._flat.copy()
            parts = train_test_split(X, Y, *([] if sw is None else [sw]),
                                     random_state=self._random_state,
                                     test_size=self.validation_fraction, stratify=strat)
            X, X_val, Y, y_val = parts[:4]
            if sw is not None:
                sw, sw_val = parts[4], parts[5]
            if X_val.shape[0] < 2:
                raise ValueError("The validation set is too small. Increase "
                                 "'validation_fraction' or the size of your dataset.")
            y_val = self._decode(y_val)
        n = X.shape[0]
        if self.batch_size == "auto":
            bs = min(200, n)
        else:
            if self.batch_size > n:
                warnings.warn("Got `batch_size` less than 1 or larger than sample size. It is "
                              "going to be clipped", stacklevel=3)
            bs = int(np.clip(self.batch_size, 1, n))
        steps = -(-n // bs)
        if not incremental or self._solver is None:
            self._solver = self._make_solver(steps)
        solver, net = self._solver, self._net
        drop_rng = np.random.default_rng(self._random_state.randint(2**31))
        X = np.ascontiguousarray(X)
        self.n_iter_ = 0
        for _ in range(self.max_iter):
            perm = self._random_state.permutation(n) if self.shuffle else None
            total = 0.0
            for start in range(0, n, bs):
                stop = min(start + bs, n)
                rows: Any = slice(start, stop) if perm is None else perm[start:stop]
                loss = net.loss_grad(X[rows], Y[rows], None if sw is None else sw[rows],
                                     drop_rng)  # a fancy-index gather per batch beats np.take
                total += loss * (stop - start)
                solver.update(net.grads)
            self.n_iter_ += 1
            self.loss_ = total / n
            self.t_ += n
            self.loss_curve_.append(self.loss_)
            if self.verbose:
                print(f"Iteration {self.n_iter_}, loss = {self.loss_:.8f}")
            self._update_no_improvement(X_val, y_val, sw_val)
            solver.iteration_ends(self.t_)
            if self._no_improvement_count > self.n_iter_no_change:
                what = "Validation score" if self.early_stopping else "Training loss"
                msg = (f"{what} did not improve more than tol={self.tol:f} for "
                       f"{self.n_iter_no_change} consecutive epochs.")
                if solver.trigger_stopping(msg, bool(self.verbose)):
                    break
                self._no_improvement_count = 0
            if incremental:
                break
            if self.n_iter_ == self.max_iter:
                warnings.warn(f"Stochastic Optimizer: Maximum iterations ({self.max_iter}) "
                              "reached and the optimization hasn't converged yet.",
                              ConvergenceWarning, stacklevel=3)
        if self.early_stopping:
            self._flat[...] = self._best

    def _update_no_improvement(self, X_val: Any, y_val: Any, sw_val: Any) -> None:
        if self.early_stopping:
            score = self._score_arrays(X_val, y_val, sw_val)
            self.validation_scores_.append(score)  # type: ignore[union-attr]
            if self.verbose:
                print(f"Validation score: {score:f}")
            best = self.best_validation_score_
            self._no_improvement_count = self._no_improvement_count + 1 \
                if score < best + self.tol else 0
            if score > best:
                self.best_validation_score_ = score
                self._best = self._flat.copy()
        else:
            last = self.loss_curve_[-1]
            self._no_improvement_count = self._no_improvement_count + 1 \
                if last > self.best_loss_ - self.tol else 0
            self.best_loss_ = min(self.best_loss_, last)

    # --------------------------------------------------------------- predicting
    def _forward(self, X: Any) -> np.ndarray:
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=self._flat.dtype)
        with blas_limits(), np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return self._net.predict(X)

    @property
    def coefs_(self) -> list[np.ndarray]:
        """The weight matrices, (fan_in, fan_out) each (views of the flat parameters)."""
        if not hasattr(self, "_flat"):
            raise AttributeError("coefs_: the estimator is not fitted yet")
        return self._layout.views(self._flat)[0]

    @property
    def intercepts_(self) -> list[np.ndarray]:
        """The bias vectors (views of the flat parameters)."""
        if not hasattr(self, "_flat"):
            raise AttributeError("intercepts_: the estimator is not fitted yet")
        return self._layout.views(self._flat)[1]

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "_flat")

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_net_cache"] = None  # work buffers are rebuilt on first use
        return state
