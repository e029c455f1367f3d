"""Regression metrics in float64 against scikit-learn, and finite far beyond float32's range."""
import math

import numpy as np
import pytest

from chainrule.train import metrics as M

skm = pytest.importorskip("sklearn.metrics")
NAMES = ["mean_squared_error", "root_mean_squared_error", "mean_absolute_error", "r2_score"]


@pytest.mark.parametrize("shape", [(40,), (40, 3)])
def test_matches_scikit_learn_bit_for_bit_in_ordinary_ranges(shape):
    rng = np.random.default_rng(1)
    t = rng.normal(size=shape) * 50
    p = t + rng.normal(size=shape) * 10
    for name in NAMES:
        if name == "mean_absolute_error" and len(shape) == 2:
            assert getattr(M, name)(t, p) == pytest.approx(getattr(skm, name)(t, p), rel=1e-15)
        else:
            assert getattr(M, name)(t, p) == getattr(skm, name)(t, p), name


@pytest.mark.parametrize("scale", [1e39, 1e160, 1e300])
def test_beyond_float32_and_squares_beyond_float64(scale):
    rng = np.random.default_rng(2)
    t, e = rng.normal(size=(60, 2)), rng.normal(size=(60, 2)) * 0.3
    ref = {name: getattr(skm, name)(t, t + e) for name in NAMES}
    for name in ("root_mean_squared_error", "mean_absolute_error"):
        assert getattr(M, name)(t * scale, (t + e) * scale) == pytest.approx(ref[name] * scale,
                                                                              rel=1e-12)
    assert M.r2_score(t * scale, (t + e) * scale) == pytest.approx(ref["r2_score"], rel=1e-12)
    mse = M.mean_squared_error(t * scale, (t + e) * scale)
    if scale < 1e150:
        assert mse == pytest.approx(ref["mean_squared_error"] * scale ** 2, rel=1e-12)
    else:
        assert mse == math.inf  # the value itself is beyond float64


def test_float32_inputs_are_computed_in_float64():
    t = np.full(8, 3e38, np.float32)
    p = -t
    assert M.mean_squared_error(t, p) == pytest.approx(float(6e38) ** 2, rel=1e-6)
    assert M.mean_absolute_error(t, p) == pytest.approx(6e38, rel=1e-6)
