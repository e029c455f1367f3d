"""Tensor: attributes, conversions, repr, dtype rules, and in-place ops."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import chainrule as cr


def test_attributes() -> None:
    x = cr.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    assert x.shape == (2, 3) and isinstance(x.shape, tuple)
    assert x.ndim == 2 and x.dim() == 2 and x.dtype == np.float32
    assert x.size() == (2, 3) and x.size(1) == 3 and x.size(-1) == 3 and x.numel() == 6
    assert x.requires_grad and x.is_leaf and x.grad is None and x.grad_fn is None
    assert isinstance(x._data, np.ndarray) and len(x) == 2


def test_item_tolist_and_python_conversions() -> None:
    assert cr.tensor(3.5).item() == 3.5 and isinstance(cr.tensor(3.5).item(), float)
    assert cr.tensor([7]).item() == 7 and isinstance(cr.tensor([7]).item(), int)
    assert cr.tensor([[1.0, 2.0]]).tolist() == [[1.0, 2.0]]
    assert float(cr.tensor(2.5)) == 2.5 and int(cr.tensor(3)) == 3 and bool(cr.tensor([1.0]))
    assert [10, 20, 30][cr.tensor(1)] == 20  # __index__
    with pytest.raises(ValueError, match=r"item: expected a tensor with one element, got shape "
                                         r"\(2,\)"):
        cr.tensor([1.0, 2.0]).item()
    with pytest.raises(RuntimeError, match="ambiguous"):
        bool(cr.tensor([1.0, 2.0]))


def test_numpy_needs_detach_when_grad_is_required() -> None:
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"detach\(\)\.numpy\(\)"):
        x.numpy()
    a = x.detach().numpy()
    assert np.shares_memory(a, x._data)
    b = cr.tensor([1.0]).numpy()
    assert isinstance(b, np.ndarray)
    assert np.asarray(x).dtype == np.float32 and np.asarray(x, np.float64).dtype == np.float64


def test_detach_shares_data_and_leaves_the_graph() -> None:
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    d = y.detach()
    assert not d.requires_grad and d.grad_fn is None and d.is_leaf
    assert np.shares_memory(d._data, y._data)


def test_requires_grad_() -> None:
    x = cr.tensor([1.0])
    assert x.requires_grad_() is x and x.requires_grad
    x.requires_grad_(False)
    assert not x.requires_grad
    y = cr.tensor([1.0], requires_grad=True) * 2
    with pytest.raises(RuntimeError, match="leaf"):
        y.requires_grad_(False)


@pytest.mark.parametrize("make,expected", [
    (lambda: cr.tensor([1.0, 2.0], requires_grad=True), "tensor([1., 2.], requires_grad=True)"),
    (lambda: cr.tensor([1.0, 2.0], requires_grad=True) * 2,
     "tensor([2., 4.], grad_fn=<MulBackward>)"),
    (lambda: cr.tensor([1, 2]), "tensor([1, 2])"),
    (lambda: cr.tensor(2.5), "tensor(2.5000)"),
    (lambda: cr.tensor([1.0, 2.0], dtype=cr.float64), "tensor([1., 2.], dtype=chainrule.float64)"),
    (lambda: cr.tensor([[1.0, 2.0], [3.0, 4.0]]), "tensor([[1., 2.],\n        [3., 4.]])"),
])
def test_repr(make: Any, expected: str) -> None:
    assert repr(make()) == expected


def test_len_and_iteration_over_the_first_dimension() -> None:
    x = cr.arange(6).reshape(3, 2)
    assert len(x) == 3
    assert [r.tolist() for r in x] == [[0, 1], [2, 3], [4, 5]]
    with pytest.raises(TypeError, match="0-d"):
        len(cr.tensor(1.0))


# ---- dtypes ----------------------------------------------------------------------------------
@pytest.mark.parametrize("data,dtype", [
    (1.5, np.float32), ([1.0, 2.0], np.float32), ([1, 2.5], np.float32), (3, np.int64),
    ([1, 2], np.int64), (True, np.bool_), ([True, False], np.bool_),
    (np.array([1.0, 2.0]), np.float64), (np.array([1, 2], np.int32), np.int32),
    (np.array([1.0], np.float16), np.float16), (np.float64(1.0), np.float64), ([], np.float32),
])
def test_dtype_rules_as_pytorch(data: Any, dtype: Any) -> None:
    assert cr.tensor(data).dtype == dtype
    torch = pytest.importorskip("torch")
    assert torch.tensor(data).numpy().dtype == dtype


def test_tensor_copies_its_data() -> None:
    a = np.array([1.0, 2.0])
    t = cr.tensor(a)
    a[0] = 9.0
    assert t.tolist() == [1.0, 2.0]
    assert cr.tensor(t)._data is not t._data


@pytest.mark.parametrize("data", [[1, 2], [True], np.arange(3)])
def test_integer_and_bool_tensors_cannot_require_grad(data: Any) -> None:
    with pytest.raises(TypeError, match="only floating point tensors can require gradients"):
        cr.tensor(data, requires_grad=True)
    with pytest.raises(TypeError, match="floating point"):
        cr.tensor(data).requires_grad_()


def test_set_default_dtype() -> None:
    cr.set_default_dtype(cr.float64)
    assert cr.get_default_dtype() == np.float64
    assert cr.tensor(1.5).dtype == np.float64 and cr.zeros(2).dtype == np.float64
    assert cr.tensor(np.ones(2, np.float32)).dtype == np.float32  # arrays keep theirs
    cr.set_default_dtype(cr.float32)
    assert cr.tensor([1.5]).dtype == np.float32
    with pytest.raises(TypeError, match="floating point dtype"):
        cr.set_default_dtype(cr.int64)


def test_dtype_names() -> None:
    assert cr.float32 == np.float32 and cr.float64 == np.float64 and cr.int64 == np.int64
    assert cr.bool == np.bool_ and cr.float == cr.float32 and cr.double == cr.float64
    assert cr.long == cr.int64
    assert cr.tensor([1.0], dtype="float64").dtype == np.float64
    with pytest.raises(TypeError, match="dtype: expected a dtype"):
        cr.tensor([1.0], dtype=object())


def test_conversions() -> None:
    x = cr.tensor([1.7, -2.2], requires_grad=True)
    assert x.double().dtype == np.float64 and x.float() is x and x.to(cr.float32) is x
    assert x.long().tolist() == [1, -2] and not x.long().requires_grad
    assert x.to(cr.float64).requires_grad
    (x.double() * 2).sum().backward()  # the gradient flows back through the cast
    assert x.grad.dtype == np.float32 and x.grad.tolist() == [2.0, 2.0]


# ---- in place --------------------------------------------------------------------------------
def test_in_place_ops_change_the_data_and_return_self() -> None:
    x = cr.tensor([1.0, 2.0, 3.0])
    same = x
    assert x.add_(1) is x and x.tolist() == [2.0, 3.0, 4.0]
    x.add_(cr.tensor([1.0, 1.0, 1.0]), alpha=-2)
    x.sub_(1).mul_(2).div_(4)
    assert x.tolist() == [-0.5, 0.0, 0.5]
    x += 1
    x -= cr.tensor(0.5)
    x *= 4
    x /= 2
    assert x is same and x.tolist() == [0.0, 1.0, 2.0]
    x.clamp_(min=0.5, max=1.5)
    assert x.tolist() == [0.5, 1.0, 1.5]
    x.copy_(cr.tensor([7.0]))
    assert x.tolist() == [7.0, 7.0, 7.0]
    x.fill_(2.0)
    x[1] = 5.0
    assert x.tolist() == [2.0, 5.0, 2.0]
    assert x.zero_().tolist() == [0.0, 0.0, 0.0]


def test_in_place_ops_keep_the_dtype() -> None:
    x = cr.tensor([1, 2])
    x.mul_(1.5)
    assert x.dtype == np.int64 and x.tolist() == [1, 3]


def test_parameter_requires_grad_and_in_place_updates_under_no_grad() -> None:
    w = cr.nn.Parameter(cr.tensor([1.0, 2.0]))
    assert w.requires_grad and w.is_leaf and isinstance(w, cr.Tensor)
    (w * w).sum().backward()
    with cr.no_grad():
        w -= 0.25 * w.grad
    assert w.tolist() == [0.5, 1.0] and w.requires_grad
    w.grad.zero_()
    assert w.grad.tolist() == [0.0, 0.0]


@pytest.mark.parametrize("values", [[1.5, 2.25], [1.0, 2.0], [1e-5, 1.0], [3.14159], [-0.5, 3.0],
                                    [[0.1, 0.2], [30.0, 4.0]]])
def test_repr_prints_floats_as_pytorch(values: Any) -> None:
    torch = pytest.importorskip("torch")
    assert repr(cr.tensor(values)) == repr(torch.tensor(values))


def test_data_is_a_detached_tensor_over_the_same_storage():
    w = cr.tensor([1.0, 2.0], requires_grad=True)
    d = w.data
    assert isinstance(d, cr.Tensor) and not d.requires_grad and d.grad_fn is None
    d.add_(1.0)                       # bypasses autograd: no error, values change in w
    np.testing.assert_array_equal(w.detach().numpy(), [2.0, 3.0])
    y = (w * w).sum()                 # saved w; an update through .data bypasses the version
    w.data.mul_(1.0)
    y.backward()
    np.testing.assert_array_equal(w.grad.numpy(), [4.0, 6.0])
    w.data = cr.tensor([5.0])         # swaps the storage, as torch
    assert w.shape == (1,) and w.requires_grad
    with pytest.raises(TypeError, match="expected a Tensor"):
        w.data = [1.0]
