"""MLPClassifier/MLPRegressor against scikit-learn's own MLP, and their extras."""
import pickle
import warnings

import numpy as np
import pytest

pytest.importorskip("sklearn")

from sklearn import neural_network as sk  # noqa: E402
from sklearn.datasets import load_digits, make_classification, make_regression  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402

from chainrule.sklearn import MLPClassifier, MLPRegressor  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return X / 16.0, y


def test_lbfgs_matches_sklearn(digits):
    # same initial weights (scikit-learn's draws) and a deterministic solver: the same model
    X, y = digits[0][:600], digits[1][:600]
    kw = dict(hidden_layer_sizes=(20,), solver="lbfgs", max_iter=30, random_state=0, alpha=1e-3)
    ours, theirs = MLPClassifier(**kw).fit(X, y), sk.MLPClassifier(**kw).fit(X, y)
    assert ours.n_iter_ == theirs.n_iter_
    np.testing.assert_allclose(ours.loss_, theirs.loss_, rtol=1e-8)
    for a, b in zip(ours.coefs_ + ours.intercepts_, theirs.coefs_ + theirs.intercepts_):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("solver", ["adam", "sgd"])
def test_stochastic_drop_in(digits, solver):
    # full batches (batch_size >= n): shuffling cannot matter, so the runs coincide
    X, y = digits[0][:300], digits[1][:300]
    kw = dict(hidden_layer_sizes=(16,), solver=solver, max_iter=15, random_state=1,
              batch_size=300, learning_rate_init=0.01)
    ours, theirs = MLPClassifier(**kw).fit(X, y), sk.MLPClassifier(**kw).fit(X, y)
    np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-9)
    assert (ours.n_iter_, ours.t_) == (theirs.n_iter_, theirs.t_)
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-9)


def test_minibatch_accuracy_as_sklearn(digits):
    X, y = digits
    kw = dict(hidden_layer_sizes=(64,), max_iter=30, random_state=0)
    ours = MLPClassifier(**kw).fit(X[:1400], y[:1400]).score(X[1400:], y[1400:])
    theirs = sk.MLPClassifier(**kw).fit(X[:1400], y[:1400]).score(X[1400:], y[1400:])
    assert abs(ours - theirs) < 0.03 and ours > 0.85


def test_regressor_attributes_and_multioutput():
    X, y = make_regression(200, 5, n_targets=3, noise=0.1, random_state=0)
    y = y / y.std()
    kw = dict(hidden_layer_sizes=(32, 16), max_iter=50, random_state=0, batch_size=200)
    ours, theirs = MLPRegressor(**kw).fit(X, y), sk.MLPRegressor(**kw).fit(X, y)
    assert ours.predict(X).shape == (200, 3) and ours.n_outputs_ == 3 and ours.n_layers_ == 4
    assert ours.out_activation_ == "identity" and ours.best_loss_ == min(ours.loss_curve_)
    np.testing.assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-8)
    assert [c.shape for c in ours.coefs_] == [(5, 32), (32, 16), (16, 3)]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_computes_in_the_input_dtype(dtype):
    X, y = make_classification(100, 4, random_state=0)
    clf = MLPClassifier(hidden_layer_sizes=(8,), max_iter=5).fit(X.astype(dtype), y)
    assert clf.coefs_[0].dtype == dtype and clf.predict_proba(X.astype(dtype)).dtype == dtype
    forced = MLPClassifier(hidden_layer_sizes=(8,), max_iter=5, dtype="float32").fit(X, y)
    assert forced.coefs_[0].dtype == np.float32


def test_early_stopping_and_validation_scores(digits):
    X, y = digits
    clf = MLPClassifier(hidden_layer_sizes=(32,), early_stopping=True, n_iter_no_change=3,
                        max_iter=200, random_state=0).fit(X, y)
    assert clf.n_iter_ < 200 and len(clf.validation_scores_) == clf.n_iter_
    assert clf.best_validation_score_ == max(clf.validation_scores_) and clf.best_loss_ is None
    with pytest.raises(ValueError, match="early_stopping"):
        clf.partial_fit(X, y)


def test_partial_fit_classes_and_string_labels():
    X, y = make_classification(120, 4, n_classes=3, n_informative=3, n_redundant=0,
                               random_state=0)
    labels = np.array(["cat", "dog", "eel"])[y]
    clf = MLPClassifier(hidden_layer_sizes=(8,), random_state=0)
    for part in np.array_split(np.arange(120), 4):
        clf.partial_fit(X[part], labels[part], classes=["cat", "dog", "eel"])
    assert clf.n_iter_ == 1 and clf.t_ == 120 and set(clf.predict(X)) <= {"cat", "dog", "eel"}
    np.testing.assert_allclose(np.exp(clf.predict_log_proba(X)), clf.predict_proba(X))
    with pytest.raises(ValueError, match="classes not in"):
        clf.partial_fit(X[:3], ["cat", "fox", "eel"])
    assert not hasattr(MLPClassifier(solver="lbfgs"), "partial_fit")


def test_multilabel():
    X = np.random.default_rng(0).normal(size=(150, 3))
    Y = np.c_[X[:, 0] > 0, X[:, 1] > 0].astype(int)
    clf = MLPClassifier(hidden_layer_sizes=(16,), max_iter=300, random_state=0).fit(X, Y)
    assert clf.out_activation_ == "logistic" and clf.predict(X).shape == (150, 2)
    assert clf.score(X, Y) > 0.8


@pytest.mark.parametrize("activation", ["gelu", "silu", "leaky_relu", "elu", "softplus",
                                        "tanh", "logistic"])
def test_chainrule_activations_learn(activation):
    X, y = make_classification(300, 6, random_state=0)
    clf = MLPClassifier(hidden_layer_sizes=(16,), activation=activation, max_iter=100,
                        random_state=0, learning_rate_init=0.01).fit(X, y)
    assert clf.score(X, y) > 0.85


def test_extras_dropout_batch_norm_adamw_schedules(digits):
    X, y = digits
    scores = []
    for extra in (dict(dropout=0.2), dict(batch_norm=True), dict(solver="adamw"),
                  dict(lr_scheduler="cosine"), dict(lr_scheduler="onecycle"),
                  dict(solver="sgd", learning_rate="adaptive", learning_rate_init=0.1)):
        clf = MLPClassifier(hidden_layer_sizes=(64,), max_iter=20, random_state=0,
                            **{"learning_rate_init": 0.003, **extra}).fit(X[:1400], y[:1400])
        scores.append(clf.score(X[1400:], y[1400:]))
    assert min(scores) > 0.85, scores


def test_sample_weight_and_class_weight():
    X, y = make_classification(200, 4, weights=[0.9], random_state=0)
    kw = dict(hidden_layer_sizes=(8,), solver="lbfgs", max_iter=50, random_state=0)
    w = np.where(y == 1, 9.0, 1.0)
    a = MLPClassifier(**kw).fit(X, y, sample_weight=w)
    b = MLPClassifier(class_weight={0: 1.0, 1: 9.0}, **kw).fit(X, y)
    np.testing.assert_allclose(a.predict_proba(X), b.predict_proba(X))
    plain = MLPClassifier(**kw).fit(X, y)
    assert a.predict(X).mean() > plain.predict(X).mean()  # weighting favours the rare class


def test_save_load_and_pickle(tmp_path):
    pytest.importorskip("safetensors")
    X, y = make_classification(100, 4, random_state=0)
    labels = np.array(["no", "yes"])[y]
    clf = MLPClassifier(hidden_layer_sizes=(8,), batch_norm=True, max_iter=20,
                        random_state=0).fit(X, labels)
    back = MLPClassifier.load(clf.save(tmp_path / "clf"))
    np.testing.assert_array_equal(back.predict_proba(X), clf.predict_proba(X))
    assert back.loss_curve_ == clf.loss_curve_ and list(back.classes_) == ["no", "yes"]
    again = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(again.predict(X), clf.predict(X))
    again.partial_fit(X, labels)  # the solver's state came along
    assert again.n_iter_ == 1
    with pytest.raises(ValueError, match="expected a saved MLPRegressor"):
        MLPRegressor.load(tmp_path / "clf")


def test_errors_name_the_parameter():
    X, y = make_classification(20, 3, n_redundant=0, random_state=0)
    with pytest.raises(ValueError, match="activation"):
        MLPClassifier(activation="swish").fit(X, y)
    with pytest.raises(ValueError, match="hidden_layer_sizes"):
        MLPClassifier(hidden_layer_sizes=(0,)).fit(X, y)


def test_warns_on_max_iter():
    X, y = make_classification(20, 3, n_redundant=0, random_state=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        MLPClassifier(max_iter=2).fit(X, y)
    assert any(issubclass(w.category, ConvergenceWarning) for w in caught)
