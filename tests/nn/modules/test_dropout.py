"""Dropout: inverted scaling, eval identity, reproducible masks, gradient through the mask."""
import numpy as np
import pytest

import chainrule as cr
from chainrule import nn
from chainrule.nn import _functions


def test_dropout_zeroes_a_fraction_p_and_scales_the_rest():
    cr.manual_seed(0)
    y = nn.Dropout(0.3)(cr.ones(200, 100))._data
    kept = y != 0
    assert abs(kept.mean() - 0.7) < 0.01
    np.testing.assert_allclose(y[kept], 1 / 0.7, rtol=1e-6)
    assert abs(y.mean() - 1.0) < 0.02  # inverted dropout keeps the expectation


def test_dropout_is_identity_in_eval_and_for_p_zero():
    x = cr.randn(4, 3)
    assert nn.Dropout(0.5).eval()(x) is x
    assert nn.Dropout(0.0)(x) is x
    assert float(nn.Dropout(1.0)(x).abs().sum()) == 0.0


def test_dropout_uses_the_library_generator_or_a_given_one():
    x = cr.ones(50)
    cr.manual_seed(7)
    a = nn.Dropout()(x)._data
    cr.manual_seed(7)
    b = nn.Dropout()(x)._data
    assert np.array_equal(a, b)
    c = nn.Dropout(generator=cr.Generator(1))(x)._data
    d = nn.Dropout(generator=cr.Generator(1))(x)._data
    assert np.array_equal(c, d) and not np.array_equal(a, c)


def test_dropout_gradient_is_the_saved_mask():
    x = cr.randn(6, 5, requires_grad=True)
    y = nn.functional.dropout(x, 0.4, generator=cr.Generator(3))
    y.sum().backward()
    mask = (y._data != 0) / 0.6
    np.testing.assert_allclose(x.grad._data, mask, rtol=1e-6)
    assert type(y.grad_fn).__name__ == "Dropout"


def test_dropout_gradcheck_with_fixed_mask():
    rng = np.random.default_rng(0)
    mask = (rng.random((3, 4)) > 0.5) / 0.5
    x = cr.tensor(rng.standard_normal((3, 4)), requires_grad=True)
    assert cr.gradcheck(lambda a: _functions.Dropout.apply(a, mask), (x,))
    assert cr.gradcheck(
        lambda a: nn.functional.dropout(a, 0.3, generator=cr.Generator(5)), (x,))


def test_dropout_keeps_dtype():
    assert nn.Dropout()(cr.ones(3, dtype=cr.float64)).dtype == np.float64
    assert nn.Dropout()(cr.ones(3)).dtype == np.float32


def test_dropout_rejects_bad_p_and_matches_torch_repr():
    with pytest.raises(ValueError, match=r"Dropout: expected p in \[0, 1\], got 1.5"):
        nn.Dropout(1.5)
    with pytest.raises(ValueError, match=r"dropout: expected p in \[0, 1\], got -0.1"):
        nn.functional.dropout(cr.ones(2), -0.1)
    torch = pytest.importorskip("torch")
    assert repr(nn.Dropout(0.2)) == repr(torch.nn.Dropout(0.2))
