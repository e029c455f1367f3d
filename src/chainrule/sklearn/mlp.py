# ruff: noqa: N803, N806  (X, Y: scikit-learn's names)
"""MLPClassifier and MLPRegressor: scikit-learn's MLP names, defaults and attributes, faster.

Drop-in for ``sklearn.neural_network``: the same parameters (with the same
defaults), the same fitted attributes (``coefs_``, ``intercepts_``, ``loss_``
with the L2 term, ``loss_curve_``, ``t_``, ``n_iter_``, ``best_loss_``,
``validation_scores_``, ...) and the same initial weights for a given
``random_state``. Extras: ``activation`` also 'gelu', 'silu', 'elu',
'leaky_relu', 'softplus'; ``solver='adamw'`` with ``weight_decay``;
``lr_scheduler`` ('cosine', 'onecycle' or a callable building a chainrule
scheduler); ``dropout``; ``batch_norm``; ``dtype`` (default: the input's, float64
unless the data is float32); ``class_weight`` on the classifier.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import ClassifierMixin, RegressorMixin
from sklearn.metrics import accuracy_score, r2_score
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils.multiclass import _check_partial_fit_first_call, type_of_target, unique_labels
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, column_or_1d

from ._mlp_base import BaseMLP
from ._persist import labels_from_json, labels_to_json, mlp_restore, mlp_state

__all__ = ["MLPClassifier", "MLPRegressor"]


def _stochastic(est: Any) -> bool:
    if est.solver == "lbfgs":
        raise AttributeError("partial_fit is only available for stochastic optimizers. "
                             "lbfgs is not stochastic.")
    return True


class _MLP(BaseMLP):
    def __init__(self, hidden_layer_sizes: Any = (100,), activation: str = "relu", *,
                 solver: str = "adam", alpha: float = 0.0001, batch_size: Any = "auto",
                 learning_rate: str = "constant", learning_rate_init: float = 0.001,
                 power_t: float = 0.5, max_iter: int = 200, shuffle: bool = True,
                 random_state: Any = None, tol: float = 1e-4, verbose: bool = False,
                 warm_start: bool = False, momentum: float = 0.9,
                 nesterovs_momentum: bool = True, early_stopping: bool = False,
                 validation_fraction: float = 0.1, beta_1: float = 0.9, beta_2: float = 0.999,
                 epsilon: float = 1e-8, n_iter_no_change: int = 10, max_fun: int = 15000,
                 dropout: float = 0.0, batch_norm: bool = False, weight_decay: float = 0.01,
                 lr_scheduler: Any = None, dtype: Any = None) -> None:
        self.hidden_layer_sizes, self.activation = hidden_layer_sizes, activation
        self.solver, self.alpha, self.batch_size = solver, alpha, batch_size
        self.learning_rate, self.learning_rate_init = learning_rate, learning_rate_init
        self.power_t, self.max_iter, self.shuffle = power_t, max_iter, shuffle
        self.random_state, self.tol, self.verbose = random_state, tol, verbose
        self.warm_start, self.momentum = warm_start, momentum
        self.nesterovs_momentum, self.early_stopping = nesterovs_momentum, early_stopping
        self.validation_fraction, self.beta_1, self.beta_2 = validation_fraction, beta_1, beta_2
        self.epsilon, self.n_iter_no_change, self.max_fun = epsilon, n_iter_no_change, max_fun
        self.dropout, self.batch_norm, self.weight_decay = dropout, batch_norm, weight_decay
        self.lr_scheduler, self.dtype = lr_scheduler, dtype

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> Any:
        """Fit the network to X (n_samples, n_features) and y; returns self."""
        return self._fit(X, y, sample_weight=sample_weight, incremental=False)

    def _persist(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        return mlp_state(self)

    def _restore(self, arrays: dict[str, np.ndarray], state: dict[str, Any]) -> None:
        mlp_restore(self, arrays, state)


class MLPClassifier(ClassifierMixin, _MLP):
    """Multi-layer perceptron classifier (scikit-learn's ``MLPClassifier``, on chainrule).

    Cross-entropy on softmax outputs (logistic for binary and multilabel y),
    trained with 'adam', 'sgd', 'lbfgs' or 'adamw'. See the module docstring for
    the extras beyond scikit-learn's parameters.

    Example
    -------
    >>> import numpy as np
    >>> from chainrule.sklearn import MLPClassifier
    >>> X = np.random.default_rng(0).normal(size=(200, 2)); y = (X[:, 0] * X[:, 1] > 0)
    >>> clf = MLPClassifier(hidden_layer_sizes=(16,), max_iter=500, random_state=0).fit(X, y)
    >>> clf.score(X, y) > 0.9, clf.predict_proba(X).shape, clf.coefs_[0].dtype
    (True, (200, 2), dtype('float64'))
    """

    _loss = "log_loss"

    def __init__(self, hidden_layer_sizes: Any = (100,), activation: str = "relu", *,
                 solver: str = "adam", alpha: float = 0.0001, batch_size: Any = "auto",
                 learning_rate: str = "constant", learning_rate_init: float = 0.001,
                 power_t: float = 0.5, max_iter: int = 200, shuffle: bool = True,
                 random_state: Any = None, tol: float = 1e-4, verbose: bool = False,
                 warm_start: bool = False, momentum: float = 0.9,
                 nesterovs_momentum: bool = True, early_stopping: bool = False,
                 validation_fraction: float = 0.1, beta_1: float = 0.9, beta_2: float = 0.999,
                 epsilon: float = 1e-8, n_iter_no_change: int = 10, max_fun: int = 15000,
                 dropout: float = 0.0, batch_norm: bool = False, weight_decay: float = 0.01,
                 lr_scheduler: Any = None, dtype: Any = None, class_weight: Any = None) -> None:
        super().__init__(hidden_layer_sizes, activation, solver=solver, alpha=alpha,
                         batch_size=batch_size, learning_rate=learning_rate,
                         learning_rate_init=learning_rate_init, power_t=power_t,
                         max_iter=max_iter, shuffle=shuffle, random_state=random_state, tol=tol,
                         verbose=verbose, warm_start=warm_start, momentum=momentum,
                         nesterovs_momentum=nesterovs_momentum, early_stopping=early_stopping,
                         validation_fraction=validation_fraction, beta_1=beta_1, beta_2=beta_2,
                         epsilon=epsilon, n_iter_no_change=n_iter_no_change, max_fun=max_fun,
                         dropout=dropout, batch_norm=batch_norm, weight_decay=weight_decay,
                         lr_scheduler=lr_scheduler, dtype=dtype)
        self.class_weight = class_weight

    def _out_activation(self) -> str:
        return "softmax" if self._label_binarizer.y_type_ == "multiclass" else "logistic"

    def _validate_input(self, X: Any, y: Any, incremental: bool, reset: bool,
                        dtype: Any) -> tuple[Any, Any]:
        X, y = self._validate_X(X, y, reset, dtype)
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        if not hasattr(self, "classes_") or (not self.warm_start and not incremental):
            self._label_binarizer = LabelBinarizer().fit(y)
            self.classes_ = self._label_binarizer.classes_
        else:
            classes = unique_labels(y)
            if self.warm_start and set(classes) != set(self.classes_):
                raise ValueError("warm_start can only be used where `y` has the same classes "
                                 f"as in the previous call to fit. Previously got "
                                 f"{self.classes_}, `y` has {classes}")
            if len(np.setdiff1d(classes, self.classes_, assume_unique=True)):
                raise ValueError(f"`y` has classes not in `self.classes_`. `self.classes_` has "
                                 f"{self.classes_}. 'y' has {classes}.")
        return X, self._label_binarizer.transform(y).astype(bool)

    def _class_weights(self, sw: Any, y: Any) -> Any:
        if self.class_weight is None:
            return sw
        from sklearn.utils.class_weight import compute_sample_weight
        cw = compute_sample_weight(self.class_weight, np.asarray(y))
        return cw if sw is None else sw * cw

    @available_if(_stochastic)
    def partial_fit(self, X: Any, y: Any, sample_weight: Any = None, classes: Any = None) -> Any:
        """One epoch over (X, y); ``classes`` (all labels) is required on the first call."""
        if _check_partial_fit_first_call(self, classes):
            self._label_binarizer = LabelBinarizer()
            self._label_binarizer.fit(y if type_of_target(y).startswith("multilabel")
                                      else classes)
        return self._fit(X, y, sample_weight=sample_weight, incremental=True)

    def _decode(self, Y: np.ndarray) -> np.ndarray:
        return self._label_binarizer.inverse_transform(Y)

    def _score_arrays(self, X: np.ndarray, y: Any, sw: Any) -> float:
        p = self._net.predict(X)
        if not np.isfinite(p).all():
            return float("nan")
        return float(accuracy_score(y, self._labels(p), sample_weight=sw))

    def _labels(self, p: np.ndarray) -> np.ndarray:
        return self._label_binarizer.inverse_transform(p.ravel() if self.n_outputs_ == 1 else p)

    def predict(self, X: Any) -> np.ndarray:
        """Class labels for X, shape (n_samples,) (or (n_samples, n_classes) for multilabel)."""
        return self._labels(self._forward(X))

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities, shape (n_samples, n_classes), columns in ``classes_`` order."""
        p = self._forward(X)
        if self.n_outputs_ == 1:
            p = p.ravel()
            return np.vstack([1 - p, p]).T
        return p

    def predict_log_proba(self, X: Any) -> np.ndarray:
        """log(predict_proba(X))."""
        p = self.predict_proba(X)
        with np.errstate(divide="ignore"):
            return np.log(p, out=p)

    def _persist(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        arrays, state = super()._persist()
        lb = self._label_binarizer
        state["classes"] = labels_to_json(self.classes_)
        state["y_type"], state["sparse_input"] = lb.y_type_, bool(lb.sparse_input_)
        return arrays, state

    def _restore(self, arrays: dict[str, np.ndarray], state: dict[str, Any]) -> None:
        classes = labels_from_json(state.pop("classes"))
        lb = LabelBinarizer()
        lb.classes_, lb.y_type_ = classes, state.pop("y_type")
        lb.sparse_input_ = state.pop("sparse_input")
        self._label_binarizer, self.classes_ = lb, classes
        super()._restore(arrays, state)

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags


class MLPRegressor(RegressorMixin, _MLP):
    """Multi-layer perceptron regressor (scikit-learn's ``MLPRegressor``, on chainrule).

    Half squared error (or ``loss='poisson'``, exp output) on one or several
    outputs. Same parameters and extras as :class:`MLPClassifier`.

    Example
    -------
    >>> import numpy as np
    >>> from chainrule.sklearn import MLPRegressor
    >>> X = np.random.default_rng(0).uniform(-1, 1, size=(300, 2)).astype(np.float32)
    >>> y = np.c_[X[:, 0] ** 2, X[:, 1]]
    >>> reg = MLPRegressor(hidden_layer_sizes=(32,), max_iter=400, random_state=0).fit(X, y)
    >>> reg.score(X, y) > 0.9, reg.predict(X).shape, reg.predict(X).dtype
    (True, (300, 2), dtype('float32'))
    """

    def __init__(self, hidden_layer_sizes: Any = (100,), activation: str = "relu", *,
                 loss: str = "squared_error", solver: str = "adam", alpha: float = 0.0001,
                 batch_size: Any = "auto", learning_rate: str = "constant",
                 learning_rate_init: float = 0.001, power_t: float = 0.5, max_iter: int = 200,
                 shuffle: bool = True, random_state: Any = None, tol: float = 1e-4,
                 verbose: bool = False, warm_start: bool = False, momentum: float = 0.9,
                 nesterovs_momentum: bool = True, early_stopping: bool = False,
                 validation_fraction: float = 0.1, beta_1: float = 0.9, beta_2: float = 0.999,
                 epsilon: float = 1e-8, n_iter_no_change: int = 10, max_fun: int = 15000,
                 dropout: float = 0.0, batch_norm: bool = False, weight_decay: float = 0.01,
                 lr_scheduler: Any = None, dtype: Any = None) -> None:
        super().__init__(hidden_layer_sizes, activation, solver=solver, alpha=alpha,
                         batch_size=batch_size, learning_rate=learning_rate,
                         learning_rate_init=learning_rate_init, power_t=power_t,
                         max_iter=max_iter, shuffle=shuffle, random_state=random_state, tol=tol,
                         verbose=verbose, warm_start=warm_start, momentum=momentum,
                         nesterovs_momentum=nesterovs_momentum, early_stopping=early_stopping,
                         validation_fraction=validation_fraction, beta_1=beta_1, beta_2=beta_2,
                         epsilon=epsilon, n_iter_no_change=n_iter_no_change, max_fun=max_fun,
                         dropout=dropout, batch_norm=batch_norm, weight_decay=weight_decay,
                         lr_scheduler=lr_scheduler, dtype=dtype)
        self.loss = loss

    @property
    def _loss(self) -> str:  # type: ignore[override]
        return str(self.loss)

    def _out_activation(self) -> str:
        if self.loss not in ("squared_error", "poisson"):
            raise ValueError(f"MLPRegressor: expected loss 'squared_error' or 'poisson', got "
                             f"{self.loss!r}")
        return "exp" if self.loss == "poisson" else "identity"

    def _validate_input(self, X: Any, y: Any, incremental: bool, reset: bool,
                        dtype: Any) -> tuple[Any, Any]:
        X, y = self._validate_X(X, y, reset, dtype)
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        return X, y.reshape(len(y), -1)

    @available_if(_stochastic)
    def partial_fit(self, X: Any, y: Any, sample_weight: Any = None) -> Any:
        """One epoch over (X, y), continuing from the current weights."""
        return self._fit(X, y, sample_weight=sample_weight, incremental=True)

    def _decode(self, Y: np.ndarray) -> np.ndarray:
        return Y.ravel() if Y.shape[1] == 1 else Y

    def _score_arrays(self, X: np.ndarray, y: Any, sw: Any) -> float:
        p = self._decode(self._net.predict(X))
        if not np.isfinite(p).all():
            return float("nan")
        return float(r2_score(y, p, sample_weight=sw))

    def predict(self, X: Any) -> np.ndarray:
        """Predicted values, shape (n_samples,) or (n_samples, n_outputs)."""
        check_is_fitted(self)
        return self._decode(self._forward(X))
