"""Reductions beyond the table: PyTorch's return types and keyword aliases, ties, variance
corrections, log-sum-exp at infinities, and errors."""
from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr

X = np.array([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]], np.float32)


def test_max_without_dim_is_a_tensor_and_with_dim_a_values_indices_pair() -> None:
    x = cr.tensor(X)
    m = x.max()
    assert isinstance(m, cr.Tensor) and m.item() == 6.0
    values, indices = x.max(1)
    assert values.tolist() == [5.0, 6.0] and indices.tolist() == [1, 2]
    r = cr.min(x, dim=0, keepdim=True)
    assert r.values.shape == (1, 3) and r.indices.tolist() == [[0, 1, 0]]
    assert indices.dtype == np.int64 and not indices.requires_grad


def test_max_of_two_tensors_is_the_elementwise_maximum() -> None:
    a, b = cr.tensor([1.0, 4.0]), cr.tensor([3.0, 2.0])
    assert cr.max(a, b).tolist() == [3.0, 4.0] and cr.min(a, b).tolist() == [1.0, 2.0]


def test_ties_share_the_gradient_as_torch() -> None:
    torch = pytest.importorskip("torch")
    v = [[3.0, 1.0, 3.0], [2.0, 2.0, 0.0]]
    x = cr.tensor(v, requires_grad=True)
    (x.max() + x.min() * 2 + cr.maximum(x, cr.tensor(2.0)).sum()).backward()
    t = torch.tensor(v, requires_grad=True)
    (t.max() + t.min() * 2 + torch.maximum(t, torch.tensor(2.0)).sum()).backward()
    np.testing.assert_array_equal(x.grad._data, t.grad.numpy())
    x.grad = None
    x.max(1).values.sum().backward()  # along a dim: the first maximal index, as torch
    t.grad = None
    t.max(1).values.sum().backward()
    np.testing.assert_array_equal(x.grad._data, t.grad.numpy())


@pytest.mark.parametrize("fn", [
    lambda m, x: m.sum(x, axis=1), lambda m, x: m.mean(x, axis=(0, 1), keepdims=True),
    lambda m, x: x.sum(axis=0, keepdims=True), lambda m, x: x.logsumexp(axis=-1),
    lambda m, x: x.var(axis=1), lambda m, x: x.std(axis=0, keepdims=True),
    lambda m, x: m.max(x, axis=1)[0], lambda m, x: x.argmax(axis=1), lambda m, x: x.prod(axis=0),
])
def test_numpy_axis_keepdims_aliases(fn: object) -> None:
    torch = pytest.importorskip("torch")
    got = fn(cr, cr.tensor(X))  # type: ignore[operator]
    expected = fn(torch, torch.tensor(X))  # torch accepts the same aliases
    np.testing.assert_allclose(got._data, expected.numpy(), rtol=1e-6)
    assert got.shape == tuple(expected.shape)


def test_dim_and_axis_together_raise() -> None:
    with pytest.raises(TypeError, match="sum: got both dim and axis"):
        cr.tensor(X).sum(dim=0, axis=1)


def test_dims_as_a_list_or_tuple() -> None:
    x = cr.tensor(X)
    assert x.sum(dim=[0, 1]).item() == 21.0 and x.mean((0, 1)).item() == 3.5


@pytest.mark.parametrize("correction", [0, 1, 2])
def test_var_and_std_correction_match_torch(correction: int) -> None:
    torch = pytest.importorskip("torch")
    x = cr.tensor(X.astype(np.float64), requires_grad=True)
    t = torch.tensor(X.astype(np.float64), requires_grad=True)
    (x.var(1, correction=correction).sum() + x.std(correction=correction)).backward()
    (t.var(1, correction=correction).sum() + t.std(correction=correction)).backward()
    np.testing.assert_allclose(x.grad._data, t.grad.numpy(), rtol=1e-10)


def test_var_unbiased_keyword() -> None:
    x = cr.tensor(X)
    assert x.var(unbiased=False).item() == pytest.approx(np.var(X))
    assert x.var(unbiased=True).item() == pytest.approx(np.var(X, ddof=1))


def test_logsumexp_at_infinities() -> None:
    x = cr.tensor([-np.inf, -np.inf], requires_grad=True)
    y = x.logsumexp(0)
    assert y.item() == -np.inf
    y.backward()
    np.testing.assert_array_equal(x.grad._data, [0.0, 0.0])
    assert cr.logsumexp(cr.tensor([np.inf, 1.0])).item() == np.inf
    rows = cr.logsumexp(cr.tensor([[-np.inf, -np.inf], [0.0, 0.0]]), 1)
    np.testing.assert_allclose(rows._data, [-np.inf, np.log(2.0)], rtol=1e-6)


def test_logsumexp_of_large_values_is_stable() -> None:
    for dtype, rtol in ((cr.float64, 1e-12), (cr.float32, 1e-4)):  # float32: as torch's
        x = cr.tensor([1000.0, 1000.0], dtype=dtype, requires_grad=True)
        y = x.logsumexp(0)
        y.backward()
        np.testing.assert_allclose(y.item(), 1000.0 + np.log(2.0), rtol=1e-7)
        np.testing.assert_allclose(x.grad._data, [0.5, 0.5], rtol=rtol)


def test_norm_at_zero_has_a_zero_gradient() -> None:
    x = cr.tensor([0.0, 0.0], requires_grad=True)
    x.norm().backward()
    np.testing.assert_array_equal(x.grad._data, [0.0, 0.0])


def test_sum_of_bools_and_mean_of_ints() -> None:
    assert cr.tensor([True, True, False]).sum().item() == 2
    m = cr.tensor([1, 2, 4]).mean()
    assert m.dtype == np.float32 and m.item() == pytest.approx(7 / 3)


def test_prod_with_zeros_has_the_exact_gradient() -> None:
    x = cr.tensor([2.0, 0.0, 3.0, 0.5], dtype=cr.float64, requires_grad=True)
    x.prod().backward()
    np.testing.assert_array_equal(x.grad._data, [0.0, 3.0, 0.0, 0.0])


@pytest.mark.parametrize("call,error,match", [
    (lambda x: x.sum(2), IndexError, r"sum: expected dim in \[-2, 1\], got 2"),
    (lambda x: x.mean(-3), IndexError, r"mean: expected dim in \[-2, 1\], got -3"),
    (lambda x: x.max(5), IndexError, r"expected dim in \[-2, 1\], got 5"),
    (lambda x: x.logsumexp(2), IndexError, "expected dim in"),
    (lambda x: cr.max(cr.zeros(0)), ValueError, r"max: expected a non-empty tensor, got shape"),
    (lambda x: x.norm(p=0), ValueError, "norm: expected p > 0"),
    (lambda x: x.prod((0, 1)), TypeError, "prod: expected dim as an int or None"),
])
def test_reduction_errors(call: object, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        call(cr.tensor(X))  # type: ignore[operator]
