"""scikit-learn estimators on chainrule (needs the extra: ``pip install "chainrule[sklearn]"``).

- :class:`MLPClassifier`, :class:`MLPRegressor`: drop-in for scikit-learn's MLP
  (same parameters, defaults and fitted attributes), faster, with chainrule's
  activations, AdamW, schedules, dropout, batch norm and a ``dtype``.
- :class:`NeuralNetClassifier`, :class:`NeuralNetRegressor`: any chainrule
  ``nn.Module`` as an estimator (skorch's style: ``module__width`` routing,
  ``history_``, ``module_``).

All pass ``sklearn.utils.estimator_checks.check_estimator``; they work in
Pipeline, ColumnTransformer, GridSearchCV (``n_jobs``, or a Dask cluster via
``joblib.parallel_backend("dask")``) and save without pickle
(``est.save(folder)``, ``Estimator.load(folder)``). See docs/sklearn.md.

Example
-------
>>> from sklearn.datasets import load_iris
>>> from sklearn.model_selection import cross_val_score
>>> from chainrule.sklearn import MLPClassifier
>>> X, y = load_iris(return_X_y=True)
>>> clf = MLPClassifier(hidden_layer_sizes=(32,), max_iter=300, random_state=0)
>>> bool(cross_val_score(clf, X, y, cv=3).mean() > 0.9)
True
"""
try:
    import sklearn  # noqa: F401
except ImportError:  # pragma: no cover - depends on the environment
    raise ImportError('chainrule.sklearn needs scikit-learn; pip install "chainrule[sklearn]"'
                      ) from None

from .mlp import MLPClassifier, MLPRegressor
from .neuralnet import NeuralNetClassifier, NeuralNetRegressor

__all__ = ["MLPClassifier", "MLPRegressor", "NeuralNetClassifier", "NeuralNetRegressor"]
