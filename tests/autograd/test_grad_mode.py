"""no_grad, enable_grad and set_grad_enabled: context managers, decorators, nesting."""
from __future__ import annotations

import pytest

import chainrule as cr


def test_no_grad_records_no_graph() -> None:
    w = cr.ones(2, requires_grad=True)
    with cr.no_grad():
        assert not cr.is_grad_enabled()
        y = w * 2
    assert cr.is_grad_enabled()
    assert not y.requires_grad and y.grad_fn is None


def test_enable_grad_inside_no_grad_records_again() -> None:
    w = cr.ones(2, requires_grad=True)
    with cr.no_grad():
        with cr.enable_grad():
            y = w * 2
        z = w * 2
    assert y.requires_grad and y.grad_fn is not None
    assert not z.requires_grad


def test_no_grad_and_enable_grad_as_decorators() -> None:
    w = cr.ones(2, requires_grad=True)

    @cr.no_grad()
    def predict(x: cr.Tensor) -> cr.Tensor:
        return x * w

    @cr.enable_grad()
    def train_step(x: cr.Tensor) -> cr.Tensor:
        return x * w

    assert predict.__name__ == "predict"
    assert not predict(cr.ones(2)).requires_grad
    assert cr.is_grad_enabled()
    with cr.no_grad():
        assert train_step(cr.ones(2)).requires_grad
        assert not cr.is_grad_enabled()


def test_the_mode_is_restored_after_an_exception() -> None:
    with pytest.raises(ZeroDivisionError):
        with cr.no_grad():
            raise ZeroDivisionError
    assert cr.is_grad_enabled()

    @cr.no_grad()
    def boom() -> None:
        raise KeyError("x")

    with pytest.raises(KeyError):
        boom()
    assert cr.is_grad_enabled()


def test_set_grad_enabled_as_a_call_and_as_a_context_manager() -> None:
    w = cr.ones(1, requires_grad=True)
    cr.set_grad_enabled(False)  # takes effect at once, as torch.set_grad_enabled
    try:
        assert not (w * 2).requires_grad
    finally:
        cr.set_grad_enabled(True)
    assert (w * 2).requires_grad
    with cr.set_grad_enabled(False):
        assert not cr.is_grad_enabled()
        with cr.set_grad_enabled(True):
            assert (w * 2).requires_grad
        assert not cr.is_grad_enabled()
    assert cr.is_grad_enabled()


def test_set_grad_enabled_as_a_decorator_applies_only_inside() -> None:
    @cr.set_grad_enabled(False)
    def f() -> bool:
        return cr.is_grad_enabled()

    assert cr.is_grad_enabled()
    assert f() is False
    assert cr.is_grad_enabled()


def test_in_place_on_a_leaf_that_requires_grad_needs_no_grad() -> None:
    w = cr.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"add_: a leaf Variable that requires grad.*no_grad"):
        w.add_(1)
    with pytest.raises(RuntimeError, match="in-place"):
        w -= 1
    h = w * 2
    h.mul_(2)  # a non-leaf: recorded, as PyTorch (tests/autograd/test_inplace_graph.py)
    assert h.grad_fn.name == "Mul" and h.grad_fn.next_functions[0].name == "Mul"
    with cr.no_grad():
        w -= cr.tensor([0.5, 0.5])
        w.mul_(2).clamp_(max=2.5)
    assert w.requires_grad and w.is_leaf
    assert w.tolist() == [1.0, 2.5]
