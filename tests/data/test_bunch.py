"""DataBunch."""
from __future__ import annotations

import numpy as np
import pytest

from chainrule.data import DataBunch


def test_unpacks_and_describes() -> None:
    b = DataBunch(np.zeros((3, 2), np.float32), np.array([0, 2, 1]), "multiclass", name="t")
    X, y = b
    assert X.shape == (3, 2) and y.tolist() == [0, 2, 1]
    assert b.n_classes == 3 and b.n_features == 2
    assert "X=(3, 2)" in repr(b) and "'t'" in repr(b)
    r = DataBunch(np.zeros((2, 1)), np.zeros(2, np.float32), "regression")
    assert r.n_classes is None


def test_task_is_checked() -> None:
    with pytest.raises(ValueError, match="task one of"):
        DataBunch(np.zeros((1, 1)), np.zeros(1), "clustering")
