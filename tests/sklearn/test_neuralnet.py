"""NeuralNetClassifier/NeuralNetRegressor: routing, callbacks, history, splits, persistence."""
import pickle

import numpy as np
import pytest

pytest.importorskip("sklearn")

from sklearn.base import clone  # noqa: E402
from sklearn.datasets import make_classification  # noqa: E402
from sklearn.model_selection import GridSearchCV, StratifiedKFold  # noqa: E402

import chainrule as cr  # noqa: E402
from chainrule import nn, train  # noqa: E402
from chainrule.sklearn import NeuralNetClassifier, NeuralNetRegressor  # noqa: E402
from chainrule.sklearn.neuralnet import MLPModule  # noqa: E402


class Wide(nn.Module):
    """A user module whose sizes come from module__ parameters and the data."""

    def __init__(self, in_features, out_features, width=8):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(in_features, width), nn.Tanh(),
                                  nn.Linear(width, out_features))

    def forward(self, x):
        return self.body(x)


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(200, 5, n_informative=3, random_state=0)
    return X, y


def test_routing_reaches_module_optimizer_and_criterion(data):
    X, y = data
    clf = NeuralNetClassifier(Wide, module__width=12, optimizer=cr.optim.SGD,
                              optimizer__momentum=0.9, criterion__label_smoothing=0.1,
                              lr=0.05, max_epochs=3, random_state=0).fit(X, y)
    assert clf.module_.body[0].out_features == 12 and clf.module_.body[0].in_features == 5
    assert clf.optimizer_.param_groups[0]["momentum"] == 0.9
    assert clf.criterion_.label_smoothing == 0.1
    assert clf.get_params()["module__width"] == 12
    assert clone(clf).set_params(module__width=3).get_params()["module__width"] == 3
    with pytest.raises(TypeError, match="module__"):
        NeuralNetClassifier(Wide, width=3).fit(X, y)


def test_grid_search_over_layer_widths(data):
    X, y = data
    search = GridSearchCV(NeuralNetClassifier(Wide, max_epochs=5, random_state=0),
                          {"module__width": [2, 16], "lr": [0.01, 0.05]}, cv=2).fit(X, y)
    assert set(search.cv_results_["param_module__width"]) == {2, 16}
    assert search.best_estimator_.module_.body[0].out_features in (2, 16)


def test_history_callbacks_and_train_split(data):
    X, y = data
    stop = train.EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True)
    clf = NeuralNetClassifier(MLPModule, max_epochs=200, lr=0.05, train_split=0.25,
                              callbacks=[stop], random_state=0).fit(X, y)
    n = len(clf.history_["loss"])
    assert 2 < n < 200 and len(clf.history_["val_loss"]) == n
    folds = NeuralNetClassifier(MLPModule, max_epochs=2, train_split=StratifiedKFold(4),
                                random_state=0).fit(X, y)
    assert "val_loss" in folds.history_


def test_partial_fit_continues_and_warm_start(data):
    X, y = data
    clf = NeuralNetClassifier(MLPModule, max_epochs=2, random_state=0)
    clf.partial_fit(X, y, classes=[0, 1]).partial_fit(X, y)
    assert len(clf.history_["loss"]) == 4 and clf.history_.epoch == [0, 1, 2, 3]


def test_module_instance_is_copied_and_regression_2d(data):
    X, _ = data
    Y = np.c_[X[:, 0] - X[:, 1], X[:, 2]]
    module = MLPModule(5, 2, hidden_layer_sizes=(16,))
    reg = NeuralNetRegressor(module, max_epochs=60, lr=0.01, random_state=0).fit(X, Y)
    assert reg.module_ is not module and reg.predict(X).shape == (200, 2)
    assert reg.score(X, Y) > 0.8


def test_dtype_follows_input(data):
    X, y = data
    for dtype in (np.float32, np.float64):
        clf = NeuralNetClassifier(MLPModule, max_epochs=1).fit(X.astype(dtype), y)
        assert next(clf.module_.parameters()).dtype == dtype
        assert clf.predict_proba(X).dtype == dtype


def test_sample_weight_zero_equals_dropping(data):
    X, y = data
    kw = dict(max_epochs=5, batch_size=500, random_state=0)
    w = np.ones(len(y))
    w[:50] = 0
    a = NeuralNetClassifier(MLPModule, **kw).fit(X, y, sample_weight=w)
    b = NeuralNetClassifier(MLPModule, **kw).fit(X[50:], y[50:])
    np.testing.assert_allclose(a.predict_proba(X), b.predict_proba(X), rtol=1e-10)


def test_save_load_and_pickle(data, tmp_path):
    pytest.importorskip("safetensors")
    X, y = data
    labels = np.array(["a", "b"])[y]
    clf = NeuralNetClassifier(Wide, module__width=6, max_epochs=3,
                              random_state=0).fit(X, labels)
    back = NeuralNetClassifier.load(clf.save(tmp_path / "net"))
    np.testing.assert_array_equal(back.predict_proba(X), clf.predict_proba(X))
    assert back.history_["loss"] == clf.history_["loss"] and back.get_params()["module__width"] == 6
    again = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(again.predict(X), clf.predict(X))
    again.partial_fit(X, labels)  # the optimizer came back with its moments
    assert again.optimizer_.state
    with pytest.raises(TypeError, match="module as a class"):
        NeuralNetClassifier(MLPModule(5, 2), max_epochs=1).fit(X, y).save(tmp_path / "x")
