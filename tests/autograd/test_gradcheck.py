"""gradcheck: passes correct gradients, pinpoints wrong ones, warns on imprecise inputs."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import chainrule as cr


class WrongSquare(cr.Function):
    """y = x²; backward deliberately returns x instead of 2x"""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx: Any, grad_out: np.ndarray) -> tuple[np.ndarray]:
        (x,) = ctx.saved_arrays
        return (x * grad_out,)


def _x(*values: float) -> cr.Tensor:
    return cr.tensor(list(values), dtype=cr.float64, requires_grad=True)


def test_gradcheck_passes_a_correct_gradient_of_several_inputs() -> None:
    a, b = _x(0.5, -1.0, 2.0), _x(1.5)
    assert cr.gradcheck(lambda a, b: (a * b).exp() / (1 + a * a), (a, b)) is True


def test_gradcheck_accepts_a_single_tensor_and_non_tensor_arguments() -> None:
    assert cr.gradcheck(lambda x: x.sin(), _x(0.1, 0.2))
    assert cr.gradcheck(lambda x, k: x ** k, (_x(1.5, 2.5), 3))


def test_gradcheck_names_output_input_and_worst_entries() -> None:
    a, b = _x(1.0, 2.0), _x(3.0)
    with pytest.raises(cr.GradcheckError, match=r"output 1 with respect to input 0 .*shape "
                                                r"\(2,\)[\s\S]*worst entries[\s\S]*analytic "
                                                r"2, numerical 4"):
        cr.gradcheck(lambda a, b: (a * b, WrongSquare.apply(a)), (a, b))
    assert issubclass(cr.GradcheckError, RuntimeError)


def test_gradcheck_returns_false_when_asked_not_to_raise() -> None:
    assert cr.gradcheck(WrongSquare.apply, (_x(1.0, 2.0),), raise_exception=False) is False


def test_gradcheck_builds_the_full_jacobian() -> None:
    # a wrong off-diagonal entry only: y0 depends on x1 but backward forgets it
    class Forgets(cr.Function):
        @staticmethod
        def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
            return np.array([x[0] + x[1], x[1]])

        @staticmethod
        def backward(ctx: Any, g: np.ndarray) -> tuple[np.ndarray]:
            return (np.array([g[0], g[1]]),)

    with pytest.raises(cr.GradcheckError, match=r"d out\[0\] / d in\[1\]"):
        cr.gradcheck(Forgets.apply, (_x(1.0, 2.0),))


def test_gradcheck_tolerances_are_applied() -> None:
    # central differences are exact for a quadratic; a small analytic error is caught or not
    class Off(cr.Function):
        @staticmethod
        def forward(ctx: Any, x: np.ndarray) -> np.ndarray:
            return x * 2

        @staticmethod
        def backward(ctx: Any, g: np.ndarray) -> tuple[np.ndarray]:
            return (g * 2.001,)

    assert cr.gradcheck(Off.apply, (_x(1.0),), atol=0, rtol=1e-2)
    assert not cr.gradcheck(Off.apply, (_x(1.0),), atol=0, rtol=1e-4, raise_exception=False)


def test_gradcheck_warns_on_inputs_that_are_not_float64() -> None:
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    with pytest.warns(UserWarning, match="not float64"):
        cr.gradcheck(lambda x: x * 2, (x,), eps=1e-2, atol=1e-2)


def test_gradcheck_needs_an_input_that_requires_grad() -> None:
    with pytest.raises(ValueError, match="requires_grad=True"):
        cr.gradcheck(lambda x: x * 2, (cr.tensor([1.0], dtype=cr.float64),))


def test_gradcheck_leaves_inputs_unchanged() -> None:
    x = _x(0.3, 0.7)
    before = x._data.copy()
    cr.gradcheck(lambda x: x.exp().sum(), (x,))
    np.testing.assert_array_equal(x._data, before)
    assert x.grad is None


def test_gradcheck_perturbs_non_contiguous_inputs() -> None:
    x = cr.tensor(np.arange(6.0).reshape(2, 3)).T.detach().requires_grad_()
    assert not x._data.flags.c_contiguous
    assert cr.gradcheck(lambda x: (x * x * cr.arange(2.0)).sum(), (x,))


def test_gradcheck_refuses_read_only_inputs() -> None:
    x = cr.tensor(np.arange(3.0)).expand(2, 3).detach().requires_grad_()
    with pytest.raises(ValueError, match="gradcheck: expected inputs with writable data, got "
                                         "input 0 read-only"):
        cr.gradcheck(lambda x: x.sum(), (x,))


def test_gradcheck_names_inputs_by_their_position() -> None:
    c = cr.tensor([1.0], dtype=cr.float64)
    with pytest.raises(cr.GradcheckError, match="with respect to input 1 "):
        cr.gradcheck(lambda c, x: WrongSquare.apply(x) * c, (c, _x(2.0)))
