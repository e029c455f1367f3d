# ruff: noqa: N803, N806  (X, Y: scikit-learn's names)
"""NeuralNetClassifier and NeuralNetRegressor: any chainrule ``nn.Module`` as an estimator.

In the manner of skorch: ``module`` (a class, built at fit with the
``module__<name>`` parameters, or an instance), ``criterion``, ``optimizer``
(with ``optimizer__<name>``), ``lr``, ``max_epochs``, ``batch_size``,
``callbacks`` (chainrule.train callbacks), ``train_split``, ``device``;
fitted ``module_``, ``criterion_``, ``optimizer_``, ``history_``. Unlike
skorch, a module class whose ``__init__`` takes ``in_features`` /
``out_features`` gets them from the data when they are not given, there is no
hidden validation split by default, X of any float dtype is accepted (and
computed in, see ``dtype``) and y may be strings.
"""
from __future__ import annotations

import inspect
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.preprocessing import LabelEncoder
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

from .. import nn, optim, random as _random, train
from ._modules import MLPModule, WeightedLoss, split_train
from ._persist import PersistMixin, labels_from_json, labels_to_json
from ._threads import blas_limits

__all__ = ["MLPModule", "NeuralNetClassifier", "NeuralNetRegressor"]

PREFIXES = ("module__", "optimizer__", "criterion__")


class _NeuralNet(PersistMixin, BaseEstimator):
    _classifier = False
    _dtype_str: str

    def __init__(self, module: Any = MLPModule, *, criterion: Any = None, optimizer: Any = None,
                 lr: float = 0.01, max_epochs: int = 10, batch_size: int = 128,
                 callbacks: Any = None, train_split: Any = None, device: str = "cpu",
                 warm_start: bool = False, verbose: int = 0, random_state: Any = None,
                 dtype: Any = None, **kwargs: Any) -> None:
        self.module, self.criterion, self.optimizer, self.lr = module, criterion, optimizer, lr
        self.max_epochs, self.batch_size, self.callbacks = max_epochs, batch_size, callbacks
        self.train_split, self.device, self.warm_start = train_split, device, warm_start
        self.verbose, self.random_state, self.dtype = verbose, random_state, dtype
        self._kwargs = dict(kwargs)  # module__*, optimizer__*, criterion__* (checked at fit)

    # ------------------------------------------------------------ parameters
    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The parameters, with the routed ``module__``/``optimizer__``/``criterion__`` ones."""
        params = super().get_params(deep=False)
        params.update(self._kwargs)
        return params

    def set_params(self, **params: Any) -> Any:
        """Set parameters; ``module__<name>`` etc. are routed (and searchable by GridSearchCV)."""
        routed = {k: params.pop(k) for k in list(params) if k.startswith(PREFIXES)}
        self._kwargs = {**self._kwargs, **routed}
        return super().set_params(**params) if params else self

    def _routed(self, prefix: str) -> dict[str, Any]:
        bad = sorted(k for k in self._kwargs if not k.startswith(PREFIXES))
        if bad:
            raise TypeError(f"{type(self).__name__}: expected keyword arguments named "
                            f"module__*, optimizer__* or criterion__*, got {bad}")
        return {k[len(prefix):]: v for k, v in self._kwargs.items() if k.startswith(prefix)}

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        opt = state.pop("optimizer_", None)
        if opt is not None:  # optimizers are rebuilt over the unpickled module's parameters
            state["_optimizer_state"] = opt.state_dict()
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        opt_state = state.pop("_optimizer_state", None)
        self.__dict__.update(state)
        if opt_state is not None:
            opt = self.optimizer or optim.Adam
            self.optimizer_ = opt(self.module_.parameters(), lr=self.lr,
                                  **self._routed("optimizer__"))
            self.optimizer_.load_state_dict(opt_state)

    # -------------------------------------------------------------- building
    def _build(self, n_features: int, n_outputs: int, dtype: np.dtype) -> None:
        if self.device != "cpu":
            raise ValueError(f"{type(self).__name__}: expected device 'cpu' (the only one "
                             f"today), got {self.device!r}")
        kwargs = self._routed("module__")
        if isinstance(self.module, nn.Module):
            if kwargs:
                raise ValueError(f"{type(self).__name__}: expected module__ parameters only "
                                 f"with a module class, got an instance and {sorted(kwargs)}")
            import copy
            module = copy.deepcopy(self.module)
        else:
            sig = inspect.signature(self.module).parameters
            for name, value in (("in_features", n_features), ("out_features", n_outputs)):
                if name in sig and name not in kwargs:
                    kwargs[name] = value
            module = self.module(**kwargs)
        self.module_ = module.to(dtype)
        crit = self.criterion or (nn.CrossEntropyLoss if self._classifier else nn.MSELoss)
        ckw = self._routed("criterion__")
        self.criterion_ = crit(**ckw)
        try:
            rows = crit(**{**ckw, "reduction": "none"})
        except TypeError:
            rows = None
        self._loss = WeightedLoss(rows, self.criterion_, self._classifier)
        opt = self.optimizer or optim.Adam
        self.optimizer_ = opt(self.module_.parameters(), lr=self.lr, **self._routed("optimizer__"))

    def _fit(self, X: Any, y: Any, sample_weight: Any, reinit: bool) -> Any:
        fitted = hasattr(self, "module_")
        reinit = reinit or not fitted
        dtype: Any = (np.float64, np.float32) if reinit else np.dtype(self._dtype_str)
        if self.dtype is not None and reinit:
            dtype = np.dtype(self.dtype)
        X, y = validate_data(self, X, y, reset=reinit, multi_output=not self._classifier,
                             y_numeric=not self._classifier, dtype=dtype)
        sw = np.ones(len(X), X.dtype) if sample_weight is None else \
            _check_sample_weight(sample_weight, X, dtype=X.dtype)
        Y = self._encode(y, reinit)
        rs = check_random_state(self.random_state)
        seed = int(rs.randint(2**31 - 1))
        state = _random.get_rng_state()  # the global chainrule generator is left as it was
        try:
            _random.manual_seed(seed)
            if reinit:
                self._build(X.shape[1], self._n_outputs(Y), X.dtype)
                self._dtype_str = X.dtype.str
            packed = np.c_[Y.reshape(len(Y), -1), sw].astype(X.dtype)
            Xt, Pt, val = split_train(self, X, packed, y, rs)
            with blas_limits():
                history = train.fit(self.module_, (Xt, Pt), loss=self._loss,
                                    optimizer=self.optimizer_, epochs=int(self.max_epochs),
                                    batch_size=int(self.batch_size), val_data=val,
                                    callbacks=list(self.callbacks or []),
                                    verbose=int(self.verbose), seed=seed)
        finally:
            _random.set_rng_state(state)
        if reinit or not hasattr(self, "history_"):
            self.history_ = history
        else:
            offset = len(self.history_)
            for i, epoch in enumerate(history.epoch):
                self.history_.append(offset + epoch, {k: v[i] for k, v in history.history.items()})
        return self


    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> Any:
        """Train the module (re-initialised unless ``warm_start``); returns self."""
        return self._fit(X, y, sample_weight, reinit=not self.warm_start)

    def partial_fit(self, X: Any, y: Any, sample_weight: Any = None,
                    classes: Any = None) -> Any:
        """Train ``max_epochs`` more epochs without re-initialising (skorch's semantics)."""
        if classes is not None and not hasattr(self, "classes_"):
            self._classes_hint = np.asarray(classes)
        return self._fit(X, y, sample_weight, reinit=False)

    def _outputs(self, X: Any) -> np.ndarray:
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.dtype(self._dtype_str))
        with blas_limits():
            return train.predict(self.module_, X, batch_size=max(int(self.batch_size), 512))

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "module_")

    # ----------------------------------------------------------- persistence
    def _persist(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        arrays = {k: np.asarray(v._data if hasattr(v, "_data") else v)
                  for k, v in self.module_.state_dict().items()}
        if isinstance(self.module, nn.Module):
            raise TypeError("save: expected module as a class (rebuilt from module__ "
                            "parameters on load), got an instance")
        state = {"n_features_in_": self.n_features_in_, "dtype": self._dtype_str,
                 "history": {"epoch": self.history_.epoch, **self.history_.history}}
        if hasattr(self, "feature_names_in_"):
            state["feature_names_in_"] = [str(f) for f in self.feature_names_in_]
        if self._classifier:
            state["classes"] = labels_to_json(self.classes_)
        else:
            state["n_outputs_"], state["y_ndim"] = self.n_outputs_, self._y_ndim
        return arrays, state

    def _restore(self, arrays: dict[str, np.ndarray], state: dict[str, Any]) -> None:
        from ..tensor import Tensor
        self.n_features_in_ = state["n_features_in_"]
        if "feature_names_in_" in state:
            self.feature_names_in_ = np.asarray(state["feature_names_in_"], dtype=object)
        if self._classifier:
            self.classes_ = labels_from_json(state["classes"])
            self._label_encoder = LabelEncoder().fit(self.classes_)
            n_out = len(self.classes_)
        else:
            self.n_outputs_ = n_out = state["n_outputs_"]
            self._y_ndim = state["y_ndim"]
        dtype = np.dtype(state["dtype"])
        self._build(self.n_features_in_, n_out, dtype)
        self._dtype_str = state["dtype"]
        self.module_.load_state_dict({k: Tensor(v) for k, v in arrays.items()})
        hist = dict(state["history"])
        self.history_ = train.History()
        for i, epoch in enumerate(hist.pop("epoch")):
            self.history_.append(epoch, {k: v[i] for k, v in hist.items()})


class NeuralNetClassifier(ClassifierMixin, _NeuralNet):
    """A chainrule module trained as a classifier (cross-entropy on its logits by default).

    ``predict_proba`` is the softmax of the module's outputs; labels may be any
    values (``classes_`` keeps them).

    Example
    -------
    >>> import numpy as np
    >>> from chainrule.sklearn import NeuralNetClassifier
    >>> from chainrule.sklearn.neuralnet import MLPModule
    >>> X = np.random.default_rng(0).normal(size=(200, 4)); y = np.where(X[:, 0] > 0, "a", "b")
    >>> clf = NeuralNetClassifier(MLPModule, module__hidden_layer_sizes=(16,), max_epochs=40,
    ...                           lr=0.01, random_state=0).fit(X, y)
    >>> clf.score(X, y) > 0.9, clf.predict(X[:2]).tolist(), len(clf.history_["loss"])
    (True, ['a', 'b'], 40)
    """

    _classifier = True

    def _encode(self, y: Any, reinit: bool) -> np.ndarray:
        check_classification_targets(y)
        if reinit or not hasattr(self, "classes_"):
            hint = getattr(self, "_classes_hint", None)
            self._label_encoder = LabelEncoder().fit(y if hint is None else hint)
            self.classes_ = self._label_encoder.classes_
        unknown = np.setdiff1d(np.unique(y), self.classes_)
        if len(unknown):
            raise ValueError(f"{type(self).__name__}: expected labels in classes_ "
                             f"{self.classes_.tolist()}, got {unknown.tolist()}")
        return self._label_encoder.transform(y)

    def _n_outputs(self, Y: np.ndarray) -> int:
        return len(self.classes_)

    def predict_proba(self, X: Any) -> np.ndarray:
        """Softmax of the module's outputs, shape (n_samples, n_classes)."""
        z = self._outputs(X)
        z = z - z.max(axis=1, keepdims=True)
        np.exp(z, out=z)
        return z / z.sum(axis=1, keepdims=True)

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class of each sample."""
        out = self._outputs(X)
        return self.classes_[np.argmax(out, axis=1)]


class NeuralNetRegressor(RegressorMixin, _NeuralNet):
    """A chainrule module trained as a regressor (mean squared error by default).

    Example
    -------
    >>> import numpy as np
    >>> from chainrule.sklearn import NeuralNetRegressor
    >>> from chainrule.sklearn.neuralnet import MLPModule
    >>> X = np.random.default_rng(0).normal(size=(200, 3)); y = X @ [1.0, -2.0, 0.5]
    >>> reg = NeuralNetRegressor(MLPModule, module__hidden_layer_sizes=(32,), max_epochs=100,
    ...                          lr=0.01, random_state=0).fit(X, y)
    >>> reg.score(X, y) > 0.95, reg.predict(X).shape
    (True, (200,))
    """

    def _encode(self, y: Any, reinit: bool) -> np.ndarray:
        y = np.asarray(y)
        if reinit:
            self._y_ndim = y.ndim
        return y.reshape(len(y), -1)

    def _n_outputs(self, Y: np.ndarray) -> int:
        self.n_outputs_ = Y.shape[1]
        return self.n_outputs_

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def predict(self, X: Any) -> np.ndarray:
        """The module's outputs, (n_samples,) when fitted on a 1-D y."""
        out = self._outputs(X)
        return out.ravel() if getattr(self, "_y_ndim", 1) == 1 and out.shape[1] == 1 else out
