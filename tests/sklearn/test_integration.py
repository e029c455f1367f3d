"""The estimators inside scikit-learn's machinery: pipelines, column transformers, searches
with joblib workers, cross-validation, clone, set_output, pandas in and out."""
import numpy as np
import pytest

pytest.importorskip("sklearn")
pd = pytest.importorskip("pandas")

from sklearn.base import clone  # noqa: E402
from sklearn.compose import ColumnTransformer  # noqa: E402
from sklearn.model_selection import (GridSearchCV, RandomizedSearchCV,  # noqa: E402
                                     cross_val_score, cross_validate)
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import OneHotEncoder, StandardScaler  # noqa: E402

from chainrule.sklearn import MLPClassifier, MLPRegressor, NeuralNetRegressor  # noqa: E402
from chainrule.sklearn._threads import blas_threads  # noqa: E402
from chainrule.sklearn.neuralnet import MLPModule  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture(scope="module")
def frame():
    rng = np.random.default_rng(0)
    n = 240
    df = pd.DataFrame({"age": rng.uniform(18, 80, n), "income": rng.lognormal(10, 1, n),
                       "city": rng.choice(["paris", "lyon", "nice"], n)})
    score = (df["age"] - 50) / 20 + (df["city"] == "nice") * 1.5
    y = np.where(score > 0.3, "yes", "no")
    return df, pd.Series(y, name="buys")


def _pre():
    return ColumnTransformer([("num", StandardScaler(), ["age", "income"]),
                              ("cat", OneHotEncoder(sparse_output=False), ["city"])])


def test_column_transformer_pipeline_with_pandas_and_set_output(frame):
    X, y = frame
    pipe = make_pipeline(_pre(), MLPClassifier(hidden_layer_sizes=(16,), max_iter=300,
                                               random_state=0)).set_output(transform="pandas")
    pipe.fit(X, y)
    mlp = pipe[-1]
    assert list(mlp.feature_names_in_) == ["num__age", "num__income", "cat__city_lyon",
                                           "cat__city_nice", "cat__city_paris"]
    assert pipe.score(X, y) > 0.9 and set(pipe.predict(X)) <= {"yes", "no"}
    proba = pd.DataFrame(pipe.predict_proba(X), columns=mlp.classes_, index=X.index)
    assert list(proba.columns) == ["no", "yes"]


def test_searches_with_joblib_workers_equal_in_process(frame):
    X, y = frame
    pipe = make_pipeline(_pre(), MLPClassifier(max_iter=50, random_state=0))
    grid = {"mlpclassifier__hidden_layer_sizes": [(4,), (16,)],
            "mlpclassifier__activation": ["relu", "gelu"]}
    seq = GridSearchCV(pipe, grid, cv=3, n_jobs=1).fit(X, y)
    par = GridSearchCV(pipe, grid, cv=3, n_jobs=2).fit(X, y)
    np.testing.assert_array_equal(seq.cv_results_["mean_test_score"],
                                  par.cv_results_["mean_test_score"])
    rnd = RandomizedSearchCV(pipe, {"mlpclassifier__alpha": [1e-4, 1e-2, 1.0]}, n_iter=2,
                             cv=2, n_jobs=2, random_state=0).fit(X, y)
    assert len(rnd.cv_results_["params"]) == 2


def test_cross_val_score_clone_and_multioutput():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(150, 4))
    Y = np.c_[X[:, 0] + X[:, 1], X[:, 2] * X[:, 3]]
    reg = MLPRegressor(hidden_layer_sizes=(32,), max_iter=300, random_state=0)
    assert cross_val_score(reg, X, Y, cv=3).mean() > 0.5
    c = clone(reg)
    assert c.get_params() == reg.get_params() and not hasattr(c, "coefs_")
    net = NeuralNetRegressor(MLPModule, max_epochs=50, lr=0.01, random_state=0)
    assert cross_val_score(net, X, Y[:, 0], cv=3).mean() > 0.8


class _Recording(MLPClassifier):
    """Records the BLAS thread count its fit ran with (a worker's view)."""

    def fit(self, X, y, sample_weight=None):  # noqa: N803
        self.blas_threads_seen_ = blas_threads()
        return super().fit(X, y, sample_weight)


def test_blas_threads_in_joblib_workers(frame):
    X, y = frame
    Xn = X[["age", "income"]].to_numpy()
    out = cross_validate(_Recording(hidden_layer_sizes=(4,), max_iter=5), Xn, y, cv=2,
                         n_jobs=2, return_estimator=True)
    import os
    cores = os.cpu_count() or 1
    assert all(e.blas_threads_seen_ <= max(1, cores // 2) for e in out["estimator"])
