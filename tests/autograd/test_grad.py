"""chainrule.grad, register_hook and retain_grad."""
from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr


def test_grad_returns_gradients_without_touching_dot_grad() -> None:
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    w = cr.tensor([3.0, 4.0], requires_grad=True)
    gx, gw = cr.grad((x * w).sum(), [x, w])
    np.testing.assert_array_equal(gx._data, [3.0, 4.0])
    np.testing.assert_array_equal(gw._data, [1.0, 2.0])
    assert x.grad is None and w.grad is None
    assert isinstance(cr.grad((x * x).sum(), x), tuple)


def test_grad_with_grad_outputs_and_several_outputs() -> None:
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    (g,) = cr.grad(x * 3, x, grad_outputs=cr.tensor([1.0, -1.0]))
    np.testing.assert_array_equal(g._data, [3.0, -3.0])
    (g,) = cr.grad([x * 2, (x * x).sum()], [x], grad_outputs=[np.ones(2), None])
    np.testing.assert_array_equal(g._data, [4.0, 6.0])


def test_grad_with_respect_to_an_intermediate() -> None:
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    (gh,) = cr.grad((h * h).sum(), h)
    np.testing.assert_array_equal(gh._data, [4.0, 8.0])


def test_grad_results_are_fresh_writable_arrays() -> None:
    x = cr.tensor(2.0, requires_grad=True)
    h = x * 2
    (g,) = cr.grad(h + 1, h)  # upstream is the cached seed: must not be handed out
    assert type(g._data) is np.ndarray and g._data.flags.writeable
    g._data += 1
    (g2,) = cr.grad(x * 2 + 1, x)
    assert g2.item() == 2.0


def test_grad_frees_the_graph_unless_retain_graph() -> None:
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    cr.grad(y, x, retain_graph=True)
    (g,) = cr.grad(y, x)
    np.testing.assert_array_equal(g._data, [2.0, 4.0])
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        cr.grad(y, x)


def test_grad_of_an_unused_input_raises_unless_allow_unused() -> None:
    x = cr.tensor([1.0], requires_grad=True)
    u = cr.tensor([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="input 1 was not used.*allow_unused=True"):
        cr.grad((x * 2).sum(), [x, u], retain_graph=True)
    gx, gu = cr.grad((x * 2).sum(), [x, u], allow_unused=True)
    assert gu is None and gx.item() == 2.0


def test_grad_needs_outputs_and_inputs_that_require_grad() -> None:
    x = cr.tensor([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="outputs that require grad"):
        cr.grad(cr.tensor(1.0), x)
    with pytest.raises(RuntimeError, match="inputs that require grad"):
        cr.grad((x * 2).sum(), cr.tensor([1.0]))


# ---- hooks ---------------------------------------------------------------------------------
def test_leaf_hook_sees_and_can_replace_the_gradient() -> None:
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    seen = []
    x.register_hook(lambda g: seen.append(g._data.copy()))
    x.register_hook(lambda g: g * 10)
    (x * 3).sum().backward()
    np.testing.assert_array_equal(seen[0], [3.0, 3.0])
    np.testing.assert_array_equal(x.grad._data, [30.0, 30.0])


def test_non_leaf_hook_changes_what_flows_upstream() -> None:
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    seen = []
    h.register_hook(lambda g: seen.append(g._data.copy()))
    h.register_hook(lambda g: g * 0.5)
    (h * h).sum().backward()  # dL/dh = 2h = [4, 8]; halved, times dh/dx = 2
    np.testing.assert_array_equal(seen[0], [4.0, 8.0])
    np.testing.assert_array_equal(x.grad._data, [4.0, 8.0])
    assert h.grad is None


def test_a_removed_hook_is_not_called() -> None:
    x = cr.tensor([1.0], requires_grad=True)
    calls = []
    remove = x.register_hook(lambda g: calls.append(1))
    remove()
    h = x * 2
    remove_h = h.register_hook(lambda g: calls.append(2))
    remove_h()
    (h * 1).sum().backward()
    assert calls == [] and x.grad.item() == 2.0


def test_register_hook_on_a_tensor_without_grad_raises() -> None:
    with pytest.raises(RuntimeError, match="requires grad"):
        cr.tensor([1.0]).register_hook(lambda g: g)


def test_retain_grad_keeps_a_non_leaf_gradient_and_accumulates() -> None:
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    h.retain_grad()
    y = (h * h).sum()
    y.backward(retain_graph=True)
    np.testing.assert_array_equal(h.grad._data, [4.0, 8.0])
    y.backward()
    np.testing.assert_array_equal(h.grad._data, [8.0, 16.0])
    np.testing.assert_array_equal(x.grad._data, [16.0, 32.0])


def test_retain_grad_on_a_zero_dim_non_leaf() -> None:
    x = cr.tensor(3.0, requires_grad=True)
    h = x * 2
    h.retain_grad()
    (h * h).backward()
    assert type(h.grad._data) is np.ndarray and h.grad.item() == 12.0


def test_retain_grad_on_a_leaf_is_a_no_op() -> None:
    x = cr.tensor([1.0], requires_grad=True)
    x.retain_grad()
    (x * 5).sum().backward()
    assert x.grad.item() == 5.0


def test_grad_of_the_same_output_twice_and_of_a_leaf_itself() -> None:
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    (g,) = cr.grad([y, y], x)
    np.testing.assert_array_equal(g._data, [4.0, 8.0])
    (g,) = cr.grad(x, x, grad_outputs=cr.tensor([3.0, 4.0]))
    np.testing.assert_array_equal(g._data, [3.0, 4.0])


def test_a_tensor_name_labels_it() -> None:
    x = cr.tensor([1.0], requires_grad=True, name="theta")
    assert x.name == "theta" and cr.tensor([1.0]).name is None
