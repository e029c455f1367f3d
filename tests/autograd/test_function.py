"""Function: user-defined nodes, needs_input_grad, error rewriting, and the version counter
that makes backward refuse tensors changed in place after they were saved."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import chainrule as cr


class Cube(cr.Function):
    """y = x³; dy/dx = 3x²"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx: Any, grad_out: np.ndarray) -> tuple[np.ndarray]:
        (x,) = ctx.saved_arrays
        return (3 * x * x * grad_out,)


class ScaledAdd(cr.Function):
    """y = a + s·b with a keyword option; records needs_input_grad"""

    seen: list[list[bool]] = []

    @staticmethod
    def forward(ctx: Any, a: np.ndarray, b: np.ndarray, scale: float = 1.0) -> np.ndarray:
        ctx.scale = scale
        return a + scale * b

    @staticmethod
    def backward(ctx: Any, grad_out: np.ndarray) -> tuple[Any, Any]:
        ScaledAdd.seen.append(list(ctx.needs_input_grad))
        n = ctx.needs_input_grad
        return (grad_out if n[0] else None), (ctx.scale * grad_out if n[1] else None)

    @classmethod
    def explain_error(cls, arrays: list[Any], kwargs: dict[str, Any], exc: Exception) -> str:
        return f"scaled_add: expected broadcastable shapes, got {np.shape(arrays[0])} and " \
               f"{np.shape(arrays[1])}"


def test_a_custom_function_passes_gradcheck() -> None:
    x = cr.tensor([0.5, -1.5, 2.0], dtype=cr.float64, requires_grad=True)
    y = Cube.apply(x)
    assert y.grad_fn.name == "Cube" and not y.is_leaf
    assert cr.gradcheck(Cube.apply, (x,))


def test_keyword_options_and_needs_input_grad() -> None:
    a = cr.tensor([1.0, 2.0], requires_grad=True)
    b = cr.tensor([1.0, 1.0])
    ScaledAdd.seen.clear()
    y = ScaledAdd.apply(a, b, scale=3.0)
    np.testing.assert_array_equal(y._data, [4.0, 5.0])
    y.sum().backward()
    assert ScaledAdd.seen == [[True, False]]
    np.testing.assert_array_equal(a.grad._data, [1.0, 1.0])


def test_explain_error_replaces_numpys_message() -> None:
    with pytest.raises(ValueError, match=r"scaled_add: .*\(2,\) and \(3,\)"):
        ScaledAdd.apply(cr.ones(2), cr.ones(3))


def test_no_node_is_recorded_without_inputs_that_require_grad() -> None:
    y = Cube.apply(cr.tensor([2.0]))
    assert y.grad_fn is None and not y.requires_grad
    np.testing.assert_array_equal(y._data, [8.0])


def test_a_zero_dim_result_is_an_array() -> None:
    y = cr.tensor(2.0) * cr.tensor(3.0)
    assert type(y._data) is np.ndarray and y.shape == ()
    with cr.no_grad():
        y.add_(1)
    assert y.item() == 7.0


# ---- the version counter ---------------------------------------------------------------------
def _changed_input(x: cr.Tensor) -> None:
    with cr.no_grad():
        x.add_(1)


def test_changing_a_saved_input_in_place_makes_backward_raise() -> None:
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    _changed_input(x)
    with pytest.raises(RuntimeError, match=r"Mul: .*modified by an in-place operation"):
        y.backward()


@pytest.mark.parametrize("op", ["sigmoid", "tanh", "exp", "relu", "sqrt"])
def test_changing_a_saved_output_in_place_makes_backward_raise(op: str) -> None:
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    y = getattr(x, op)()
    with cr.no_grad():
        y.mul_(2)
    with pytest.raises(RuntimeError, match="modified by an in-place operation"):
        y.sum().backward()


@pytest.mark.parametrize("change", [
    lambda d: d.zero_(), lambda d: d.add_(1), lambda d: d.fill_(3.0), lambda d: d.clamp_(0, 0.5),
    lambda d: d.copy_(cr.zeros(2)), lambda d: d.__setitem__(0, 5.0), lambda d: d.div_(2),
    lambda d: d.sub_(1), lambda d: d.__imul__(2),
], ids=["zero_", "add_", "fill_", "clamp_", "copy_", "setitem", "div_", "sub_", "imul"])
def test_changing_a_saved_tensor_through_detach_makes_backward_raise(change: Any) -> None:
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    s = x.sigmoid()
    d = s.detach()
    assert np.shares_memory(d._data, s._data) and not d.requires_grad
    change(d)
    with pytest.raises(RuntimeError, match="Sigmoid: .*in-place"):
        s.sum().backward()


@pytest.mark.parametrize("view", [lambda x: x[0:1], lambda x: x.reshape(2, 1),
                                  lambda x: x.T, lambda x: x.unsqueeze(0)[0]],
                         ids=["slice", "reshape", "T", "unsqueeze-index"])
def test_changing_a_saved_tensor_through_a_view_makes_backward_raise(view: Any) -> None:
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    with cr.no_grad():
        v = view(x)
        assert np.shares_memory(v._data, x._data)
        v.add_(1)
    with pytest.raises(RuntimeError, match="in-place"):
        y.backward()


def test_changing_a_tensor_that_was_not_saved_is_fine() -> None:
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    y = (x + 1).sum()  # Add saves nothing
    _changed_input(x)
    y.backward()
    np.testing.assert_array_equal(x.grad._data, [1.0, 1.0])


def test_a_failed_in_place_op_changes_nothing() -> None:
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    with cr.no_grad():
        for op in (lambda: x.add_(cr.ones(3)), lambda: x.mul_(np.ones((2, 2))),
                   lambda: x.div_(cr.ones(3)), lambda: x.copy_(cr.ones(3))):
            with pytest.raises(ValueError, match=r"expected .*broadcastable to \(2,\), got "
                                                 r"shape \((3,|2, 2)\)"):
                op()
        with pytest.raises(IndexError):
            x[5] = 1.0
    np.testing.assert_array_equal(x._data, [1.0, 2.0])
    y.backward()  # nothing was written, so the saved x is still valid
    np.testing.assert_array_equal(x.grad._data, [2.0, 4.0])
