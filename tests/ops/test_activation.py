"""Activations: numerical stability at extreme inputs (no overflow, no RuntimeWarning, which
pytest turns into errors here) and argument checks."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import chainrule as cr


@pytest.mark.parametrize("dtype", [cr.float32, cr.float64])
def test_log_softmax_of_huge_logits(dtype: Any) -> None:
    x = cr.tensor([1e4, 0.0, -1e4], dtype=dtype, requires_grad=True)
    y = x.log_softmax(0)
    np.testing.assert_array_equal(y._data, [0.0, -1e4, -2e4])
    y[1].backward()
    np.testing.assert_allclose(x.grad._data, [-1.0, 1.0, 0.0])


@pytest.mark.parametrize("dtype", [cr.float32, cr.float64])
def test_sigmoid_and_its_gradient_at_plus_minus_1000(dtype: Any) -> None:
    x = cr.tensor([1000.0, -1000.0, 0.0], dtype=dtype, requires_grad=True)
    y = x.sigmoid()
    np.testing.assert_array_equal(y._data, [1.0, 0.0, 0.5])
    y.sum().backward()
    assert np.isfinite(x.grad._data).all()
    np.testing.assert_array_equal(x.grad._data, [0.0, 0.0, 0.25])


def test_softplus_is_linear_past_its_threshold() -> None:
    assert cr.softplus(cr.tensor(1000.0)).item() == 1000.0
    x = cr.tensor([1000.0, -1000.0], requires_grad=True)
    y = cr.softplus(x)
    assert y.tolist() == [1000.0, 0.0]
    y.sum().backward()
    assert x.grad.tolist() == [1.0, 0.0]


def test_softmax_of_huge_logits_sums_to_one() -> None:
    x = cr.tensor([[1e4, 1e4 - 1.0, -1e4], [-1e4, -1e4, -1e4]])
    p = x.softmax(-1)
    np.testing.assert_allclose(p.sum(-1)._data, [1.0, 1.0], rtol=1e-6)
    np.testing.assert_allclose(p._data[1], [1 / 3] * 3, rtol=1e-6)


@pytest.mark.parametrize("fn", [lambda x: x.tanh(), lambda x: x.silu(), lambda x: x.elu(),
                                lambda x: x.gelu(), lambda x: x.gelu("tanh"),
                                lambda x: cr.logsumexp(x, 0), lambda x: x.exp().log1p()])
def test_activations_stay_finite_with_finite_gradients(fn: Any) -> None:
    x = cr.tensor([-1000.0, -30.0, 30.0, 80.0], requires_grad=True)
    y = fn(x)
    y.sum().backward()
    assert np.isfinite(y._data).all() and np.isfinite(x.grad._data).all()


def test_exp_overflow_is_inf_as_torch() -> None:
    with np.errstate(over="ignore"):
        assert cr.tensor(1000.0).exp().item() == np.inf


def test_relu_gradient_at_zero_is_zero_as_torch() -> None:
    x = cr.tensor([-1.0, 0.0, 2.0], requires_grad=True)
    x.relu().sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 1.0]


def test_gelu_rejects_an_unknown_approximation() -> None:
    with pytest.raises(ValueError, match="gelu: expected approximate='none' or 'tanh', got 'fast'"):
        cr.gelu(cr.ones(2), approximate="fast")


def test_softmax_rejects_an_out_of_range_dim() -> None:
    with pytest.raises(IndexError, match=r"expected dim in \[-2, 1\], got 2"):
        cr.ones(2, 3).softmax(2)


def test_activations_of_int_tensors_are_float() -> None:
    x = cr.tensor([-1, 0, 2])
    for y in (x.sigmoid(), x.tanh(), x.softmax(0), x.gelu(), x.silu(), x.softplus()):
        assert y.dtype == np.float32
