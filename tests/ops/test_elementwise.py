"""Elementwise ops beyond the table: result dtypes as PyTorch, the ops without gradient
(sign, floor, round, comparisons), 0-d results, and broadcasting errors."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import chainrule as cr

ARRAYS = {"f32": np.array([1.5, 2.0], np.float32), "f64": np.array([1.5, 2.0]),  # pow-safe
          "f16": np.array([1.5, 2.0], np.float16), "i64": np.array([3, 2]),
          "i32": np.array([3, 2], np.int32), "b": np.array([True, False])}
SCALARS = {"int": 2, "float": 2.5, "np.f64": np.float64(2.5), "np.i64": np.int64(2),
           "np.f32": np.float32(0.5)}
PAIRS = [("f32", "i64"), ("i64", "f32"), ("i64", "float"), ("float", "i64"), ("f32", "np.f64"),
         ("np.f64", "f32"), ("f32", "np.i64"), ("b", "float"), ("b", "f32"), ("i64", "i64"),
         ("f16", "i64"), ("f64", "i64"), ("f32", "f64"), ("i64", "int"), ("i32", "i64"),
         ("f32", "float"), ("float", "f32"), ("f64", "float"), ("i32", "float")]


def _operand(key: str, lib: str) -> Any:
    if key in SCALARS:
        v = SCALARS[key]  # torch has no NumPy scalars: it sees the Python number
        return v if lib == "cr" else v.item() if isinstance(v, np.generic) else v
    a = ARRAYS[key]
    if lib == "cr":
        return cr.tensor(a)
    import torch
    return torch.from_numpy(a.copy())


DTYPE_CASES = [pytest.param(op, a, b, id=f"{op}-{a}-{b}")
               for op in ("add", "sub", "mul", "div", "pow", "maximum", "minimum")
               for a, b in PAIRS
               if not (op in ("maximum", "minimum") and (a in SCALARS or b in SCALARS))
               and not (op == "sub" and "b" in (a, b))]  # torch has no such calls


@pytest.mark.parametrize("op,a,b", DTYPE_CASES)
def test_result_dtype_and_value_match_torch(op: str, a: str, b: str) -> None:
    torch = pytest.importorskip("torch")
    expected = getattr(torch, op)(_operand(a, "t"), _operand(b, "t"))
    got = getattr(cr, op)(_operand(a, "cr"), _operand(b, "cr"))
    assert got.dtype == expected.numpy().dtype
    np.testing.assert_allclose(got._data.astype(np.float64), expected.double().numpy(),
                               rtol=1e-3 if "f16" in (a, b) else 1e-6)


def test_operators_with_numpy_scalars_on_either_side_keep_float32() -> None:
    x = cr.tensor([1.0, 2.0])
    for y in (x * np.float64(2), np.float64(2) * x, x + np.int64(1), np.float32(1) - x,
              x / np.float64(4), np.float64(1) / x, x ** np.float64(2), np.float64(2) ** x):
        assert isinstance(y, cr.Tensor) and y.dtype == np.float32


def test_operators_with_arrays_on_the_left_return_tensors() -> None:
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    y = np.array([3.0, 4.0], np.float32) * x + np.ones(2, np.float32)
    assert isinstance(y, cr.Tensor) and y.requires_grad
    y.sum().backward()
    np.testing.assert_array_equal(x.grad._data, [3.0, 4.0])


def test_int_tensors_with_floats_give_the_default_dtype() -> None:
    i = cr.arange(3)
    assert (i * 0.5).dtype == np.float32 and (i / 2).dtype == np.float32
    cr.set_default_dtype(cr.float64)
    assert (i * 0.5).dtype == np.float64 and (i / 2).dtype == np.float64


def test_where_dtype_and_scalar_branches() -> None:
    x = cr.tensor([1.0, -2.0, 3.0], requires_grad=True)
    y = cr.where(x > 0, x, 0.0)
    assert y.dtype == np.float32 and y.tolist() == [1.0, 0.0, 3.0]
    y.sum().backward()
    assert x.grad.tolist() == [1.0, 0.0, 1.0]
    assert cr.where(cr.tensor([True, False]), cr.arange(2), 0.5).dtype == np.float32


# ---- ops without gradient --------------------------------------------------------------------
NOGRAD = {
    "sign": (lambda x: cr.sign(x), lambda t, x: t.sign(x)),
    "floor": (lambda x: x.floor(), lambda t, x: t.floor(x)),
    "round": (lambda x: x.round(), lambda t, x: t.round(x)),
    "round-2": (lambda x: cr.round(x, 2), lambda t, x: t.round(x, decimals=2)),
    "eq": (lambda x: x == 0.5, lambda t, x: x == 0.5),
    "ne": (lambda x: x.ne(0.5), lambda t, x: x.ne(0.5)),
    "lt": (lambda x: x < 0.5, lambda t, x: x < 0.5),
    "le": (lambda x: cr.le(x, 0.5), lambda t, x: t.le(x, 0.5)),
    "gt": (lambda x: 0.5 < x, lambda t, x: 0.5 < x),
    "ge": (lambda x: x.ge(x[::-1]), lambda t, x: x.ge(x.flip(0))),
    "argmax": (lambda x: x.argmax(), lambda t, x: x.argmax()),
    "argmin": (lambda x: cr.argmin(x, 0, keepdim=True), lambda t, x: t.argmin(x, 0, keepdim=True)),
}


@pytest.mark.parametrize("name", sorted(NOGRAD))
def test_ops_without_gradient_match_torch(name: str) -> None:
    torch = pytest.importorskip("torch")
    values = np.array([-1.5, -0.5, 0.0, 0.5, 1.5, 2.5, 0.125, -2.675], np.float32)
    fn, tfn = NOGRAD[name]
    x = cr.tensor(values, requires_grad=True)
    out = fn(x)
    expected = tfn(torch, torch.tensor(values))
    assert not out.requires_grad and out.grad_fn is None
    assert out.dtype == expected.numpy().dtype and out.shape == tuple(expected.shape)
    np.testing.assert_array_equal(out._data, expected.numpy())


def test_round_is_half_to_even() -> None:
    assert cr.tensor([0.5, 1.5, 2.5, -0.5]).round().tolist() == [0.0, 2.0, 2.0, -0.0]


@pytest.mark.parametrize("fn", [lambda x: x == 1.0, lambda x: x.sign(), lambda x: x.floor(),
                                lambda x: x * x, lambda x: x.exp(), lambda x: x.sum(),
                                lambda x: x.argmax(), lambda x: x.max()])
def test_zero_dim_results_are_arrays(fn: Any) -> None:
    out = fn(cr.tensor(1.5))
    assert type(out._data) is np.ndarray and out.shape == ()


# ---- errors ----------------------------------------------------------------------------------
BINARY = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
          "div": lambda a, b: a / b, "pow": lambda a, b: a ** b, "maximum": cr.maximum,
          "minimum": cr.minimum, "equal": lambda a, b: a == b, "less": lambda a, b: a < b,
          "greater_equal": lambda a, b: a >= b}


@pytest.mark.parametrize("name", sorted(BINARY))
def test_non_broadcastable_shapes_raise_naming_both(name: str) -> None:
    with pytest.raises(ValueError, match=rf"^{name}: expected broadcastable shapes, got "
                                         r"\(2, 3\) and \(4,\)$"):
        BINARY[name](cr.ones(2, 3), cr.ones(4))


def test_where_with_non_broadcastable_shapes_names_all_three() -> None:
    with pytest.raises(ValueError, match=r"where: .*\(2,\), \(3,\), \(\)"):
        cr.where(cr.ones(2) > 0, cr.ones(3), 0.0)


def test_clamp_needs_a_bound() -> None:
    with pytest.raises(ValueError, match="clamp: expected at least one of min and max"):
        cr.ones(2).clamp()


def test_pow_gradient_for_a_zero_base_is_finite() -> None:
    torch = pytest.importorskip("torch")
    x = cr.tensor([0.0, 2.0], dtype=cr.float64, requires_grad=True)
    e = cr.tensor([2.0, 3.0], dtype=cr.float64, requires_grad=True)
    (x ** e + 0.0 ** e).sum().backward()
    tx = torch.tensor([0.0, 2.0], dtype=torch.float64, requires_grad=True)
    te = torch.tensor([2.0, 3.0], dtype=torch.float64, requires_grad=True)
    (tx ** te + 0.0 ** te).sum().backward()
    np.testing.assert_allclose(e.grad._data, te.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(x.grad._data, tx.grad.numpy(), rtol=1e-12)
    assert np.isfinite(e.grad._data).all()


@pytest.mark.parametrize("name", ["neg", "abs", "square"])
@pytest.mark.parametrize("dtype", ["int8", "int32", "int64"])
def test_integer_neg_abs_square_keep_the_dtype_as_torch(name: str, dtype: str) -> None:
    torch = pytest.importorskip("torch")
    x = np.array([-3, 0, 2], dtype=dtype)
    got, ref = getattr(cr.tensor(x), name)(), getattr(torch.tensor(x), name)()
    assert got.dtype == getattr(cr, dtype) and str(ref.dtype) == f"torch.{dtype}"
    assert got.tolist() == ref.tolist()


def test_negating_a_bool_mask_says_to_use_invert() -> None:
    with pytest.raises(TypeError, match="neg: expected a number tensor, got chainrule.bool"):
        -cr.tensor([True, False])
