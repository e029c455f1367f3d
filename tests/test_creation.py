"""Creation functions: shapes, dtypes and values as PyTorch, requires_grad, errors."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import chainrule as cr

# (chainrule call, the same call on torch): compared on shape, dtype and values
SAME_AS_TORCH = {
    "zeros": lambda m: m.zeros(2, 3), "zeros-tuple": lambda m: m.zeros((2, 3)),
    "zeros-0d": lambda m: m.zeros(()), "ones": lambda m: m.ones([4]),
    "ones-f64": lambda m: m.ones(2, dtype=m.float64), "full-float": lambda m: m.full((2,), 1.5),
    "full-int": lambda m: m.full((2, 2), 3), "full-bool": lambda m: m.full((1,), True),
    "arange": lambda m: m.arange(5), "arange-start-end": lambda m: m.arange(2, 7),
    "arange-float-step": lambda m: m.arange(0, 1, 0.25), "arange-float": lambda m: m.arange(5.0),
    "arange-neg-step": lambda m: m.arange(5, 0, -2),
    "arange-dtype": lambda m: m.arange(1, 4, dtype=m.float32),
    "linspace": lambda m: m.linspace(0, 1, 5), "linspace-1": lambda m: m.linspace(-2, 2, 1),
    "linspace-0": lambda m: m.linspace(0, 1, 0), "eye": lambda m: m.eye(3),
    "eye-rect": lambda m: m.eye(2, 3),
    "zeros_like": lambda m: m.zeros_like(m.ones(2, dtype=m.float64)),
    "ones_like-int": lambda m: m.ones_like(m.tensor([1, 2])),
    "full_like": lambda m: m.full_like(m.ones(2, 3), 7),
    "full_like-int": lambda m: m.full_like(m.tensor([1, 2]), 2.5),
    "ones_like-dtype": lambda m: m.ones_like(m.ones(2), dtype=m.float64),
}


@pytest.mark.parametrize("name", sorted(SAME_AS_TORCH))
def test_creation_matches_torch(name: str) -> None:
    torch = pytest.importorskip("torch")
    got = SAME_AS_TORCH[name](cr)
    expected = SAME_AS_TORCH[name](torch).numpy()
    assert isinstance(got, cr.Tensor) and type(got._data) is np.ndarray
    assert got.shape == expected.shape and got.dtype == expected.dtype
    np.testing.assert_allclose(got._data, expected, rtol=1e-6)


@pytest.mark.parametrize("fn", [cr.empty, cr.rand, cr.randn, cr.zeros, cr.ones])
def test_sizes_as_varargs_or_a_sequence_and_dtype(fn: Any) -> None:
    assert fn(2, 3).shape == fn((2, 3)).shape == fn([2, 3]).shape == (2, 3)
    assert fn(2).dtype == np.float32 and fn(2, dtype=cr.float64).dtype == np.float64


@pytest.mark.parametrize("make", [
    lambda: cr.zeros(2, requires_grad=True), lambda: cr.ones(2, requires_grad=True),
    lambda: cr.full((2,), 1.0, requires_grad=True), lambda: cr.randn(2, requires_grad=True),
    lambda: cr.rand(2, requires_grad=True), lambda: cr.empty(2, requires_grad=True),
    lambda: cr.eye(2, requires_grad=True), lambda: cr.linspace(0, 1, 3, requires_grad=True),
    lambda: cr.arange(0.0, 3.0, requires_grad=True),
    lambda: cr.zeros_like(cr.ones(2), requires_grad=True),
    lambda: cr.randn_like(cr.ones(2), requires_grad=True),
])
def test_created_leaves_can_require_grad(make: Any) -> None:
    t = make()
    assert t.requires_grad and t.is_leaf
    (t * 2).sum().backward()
    assert t.grad is not None and t.grad.shape == t.shape


def test_like_functions_keep_shape_and_dtype() -> None:
    x = cr.ones(3, 2, dtype=cr.float64)
    for y in (cr.zeros_like(x), cr.ones_like(x), cr.full_like(x, 2.0), cr.randn_like(x),
              cr.rand_like(x)):
        assert y.shape == (3, 2) and y.dtype == np.float64 and not y.requires_grad
    assert cr.randn_like(x, dtype=cr.float32).dtype == np.float32


def test_random_values_have_the_right_range_and_moments() -> None:
    cr.manual_seed(0)
    u = cr.rand(20000)
    assert 0.0 <= u.min().item() and u.max().item() < 1.0
    assert abs(u.mean().item() - 0.5) < 0.01
    n = cr.randn(20000, dtype=cr.float64)
    assert abs(n.mean().item()) < 0.03 and abs(n.std().item() - 1.0) < 0.03


def test_randint() -> None:
    cr.manual_seed(0)
    r = cr.randint(3, 7, (1000,))
    assert r.dtype == np.int64 and r.shape == (1000,)
    assert set(r.tolist()) == {3, 4, 5, 6}
    assert cr.randint(5, size=(2, 2)).shape == (2, 2)
    assert cr.randint(5, (3,)).shape == (3,)  # torch.randint(high, size)
    assert cr.randint(0, 2, (4,), dtype=cr.int32).dtype == np.int32
    assert cr.randint(0, 2, (4,))._data.max() < 2


def test_from_numpy_shares_memory() -> None:
    a = np.zeros(3, np.float32)
    t = cr.from_numpy(a)
    a[0] = 5.0
    assert t.tolist() == [5.0, 0.0, 0.0] and t.dtype == np.float32
    with pytest.raises(TypeError, match="from_numpy: expected a numpy.ndarray"):
        cr.from_numpy([1.0])  # type: ignore[arg-type]


@pytest.mark.parametrize("call,error,match", [
    (lambda: cr.zeros(-1), ValueError, r"zeros: expected non-negative sizes, got \(-1,\)"),
    (lambda: cr.ones(2, -3), ValueError, "ones: expected non-negative sizes"),
    (lambda: cr.zeros("a"), TypeError, "zeros: expected sizes as ints"),
    (lambda: cr.arange(0, 5, 0), ValueError, "arange: expected a non-zero step"),
    (lambda: cr.linspace(0, 1, -1), ValueError, "linspace: expected steps >= 0"),
    (lambda: cr.randint(5, 5, (2,)), ValueError, "randint: expected low < high"),
    (lambda: cr.tensor("text"), TypeError, "tensor: expected numbers"),
])
def test_creation_errors(call: Any, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        call()
