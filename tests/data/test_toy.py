"""Small real data sets through scikit-learn's bundled files."""
from __future__ import annotations

import sys

import numpy as np
import pytest

from chainrule.data import breast_cancer, digits, iris, wine

pytest.importorskip("sklearn")


@pytest.mark.parametrize(("fn", "shape", "n_classes", "task"), [
    (iris, (150, 4), 3, "multiclass"), (digits, (1797, 64), 10, "multiclass"),
    (wine, (178, 13), 3, "multiclass"), (breast_cancer, (569, 30), 2, "binary")],
    ids=lambda v: getattr(v, "__name__", ""))
def test_shapes_names_and_dtypes(fn, shape, n_classes, task) -> None:  # type: ignore[no-untyped-def]
    b = fn()
    X, y = b  # unpacks as (X, y)
    assert X.shape == shape and X.dtype == np.float32
    assert y.shape == (shape[0],) and y.dtype == np.int64
    assert sorted(set(y.tolist())) == list(range(n_classes))
    assert len(b.target_names) == n_classes and all(isinstance(t, str) for t in b.target_names)
    assert len(b.feature_names) == shape[1]
    assert b.task == task and b.n_classes == n_classes and b.n_features == shape[1]


def test_iris_names() -> None:
    b = iris()
    assert b.target_names == ["setosa", "versicolor", "virginica"]
    assert b.feature_names[0] == "sepal length (cm)"


def test_missing_sklearn_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sklearn", None)  # makes `import sklearn` fail
    with pytest.raises(ImportError, match=r'pip install "chainrule\[sklearn\]"'):
        wine()
