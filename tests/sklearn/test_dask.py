"""A GridSearchCV over chainrule estimators on a Dask cluster equals the in-process search."""
import numpy as np
import pytest

pytest.importorskip("sklearn")
distributed = pytest.importorskip("distributed")

import joblib  # noqa: E402
from sklearn.datasets import make_classification  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402

from chainrule.sklearn import MLPClassifier, NeuralNetClassifier  # noqa: E402
from chainrule.sklearn.neuralnet import MLPModule  # noqa: E402


def _blas_in_fit():
    from chainrule.sklearn import _threads
    with _threads.blas_limits():
        return _threads.blas_threads()


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_grid_search_on_local_cluster_equals_in_process():
    X, y = make_classification(160, 6, n_informative=4, random_state=0)
    searches = [
        (MLPClassifier(max_iter=30, random_state=0),
         {"hidden_layer_sizes": [(4,), (16,)], "activation": ["relu", "silu"]}),
        (NeuralNetClassifier(MLPModule, max_epochs=5, random_state=0),
         {"module__hidden_layer_sizes": [(4,), (16,)]}),
    ]
    local = [GridSearchCV(est, grid, cv=3).fit(X, y) for est, grid in searches]
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        with joblib.parallel_backend("dask"):
            remote = [GridSearchCV(est, grid, cv=3, n_jobs=-1).fit(X, y)
                      for est, grid in searches]
        workers = client.run(lambda: __import__("os").getpid())
        threads = client.submit(_blas_in_fit, pure=False).result()
    assert len(set(workers.values())) == 2 and threads == 1
    for a, b in zip(local, remote):
        np.testing.assert_array_equal(a.cv_results_["mean_test_score"],
                                      b.cv_results_["mean_test_score"])
        assert a.best_params_ == b.best_params_
