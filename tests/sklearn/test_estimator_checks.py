"""scikit-learn's common estimator checks, every one of them, on the four estimators.

Instances are configured with few iterations (as scikit-learn's own test suite
configures its MLP with max_iter=100) so the whole set runs in seconds; nothing
is marked as an expected failure and no tag is set to skip a check.
"""
import warnings

import pytest

pytest.importorskip("sklearn")

from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

from chainrule.sklearn import (MLPClassifier, MLPRegressor, NeuralNetClassifier,  # noqa: E402
                               NeuralNetRegressor)
from chainrule.sklearn.neuralnet import MLPModule  # noqa: E402

ESTIMATORS = [
    MLPClassifier(max_iter=100),
    MLPRegressor(max_iter=100),
    NeuralNetClassifier(MLPModule, module__hidden_layer_sizes=(32,), max_epochs=20,
                        random_state=0),
    NeuralNetRegressor(MLPModule, module__hidden_layer_sizes=(32,), max_epochs=20,
                       random_state=0),
]


@parametrize_with_checks(ESTIMATORS)
def test_check_estimator(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        check(estimator)
