"""The backward engine: graph semantics, accumulation, memory, and its errors."""
from __future__ import annotations

import gc
import weakref

import numpy as np
import pytest

import chainrule as cr
from chainrule.autograd import set_explain_limit
from chainrule.autograd.engine import sum_to_shape


def test_a_tensor_used_twice_gets_the_sum_of_both_gradients() -> None:
    x = cr.tensor([1.0, -2.0], requires_grad=True)
    (x * x + x).sum().backward()  # d/dx (x² + x) = 2x + 1
    np.testing.assert_array_equal(x.grad._data, [3.0, -3.0])


def test_micrograd_issue_2_b_equals_a_plus_a() -> None:
    a = cr.tensor(3.0, requires_grad=True)
    b = a + a
    b.backward()
    assert a.grad.item() == 2.0


def test_diamond_graph_sums_both_paths() -> None:
    x = cr.tensor(2.0, requires_grad=True)
    h = x * 3
    y = h.exp() + h * h  # dy/dx = 3 e^(3x) + 18x
    y.backward()
    np.testing.assert_allclose(x.grad.item(), 3 * np.exp(6.0) + 36, rtol=1e-6)


def test_leaf_gradients_accumulate_across_backward_calls() -> None:
    w = cr.tensor([1.0, 2.0], requires_grad=True)
    (w * 3).sum().backward()
    g = w.grad
    (w * w).sum().backward()
    np.testing.assert_array_equal(w.grad._data, [5.0, 7.0])
    assert w.grad is g  # accumulated in place


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_grad_has_the_shape_and_dtype_of_its_tensor(dtype: type) -> None:
    w = cr.tensor(np.ones((2, 1), dtype), requires_grad=True)
    other = cr.tensor(np.ones(3, np.float64 if dtype == np.float32 else np.float32))
    (w * other).sum().backward()  # broadcast to (2, 3), mixed dtypes
    assert w.grad.shape == (2, 1) and w.grad.dtype == dtype
    np.testing.assert_array_equal(w.grad._data, [[3.0], [3.0]])


GRAPHS = {
    "x+x": lambda a, b: a + a,
    "a+b": lambda a, b: a + b,
    "b+a": lambda a, b: b + a,
    "expand": lambda a, b: a.expand(3, 2) + b,
    "reshape": lambda a, b: a.reshape(2, 1) + b.reshape(2, 1),
    "sum": lambda a, b: a.sum() + b.sum(),
    "stack": lambda a, b: cr.stack([a, b, a]),
    "cat": lambda a, b: cr.cat([a, b]),
    "index": lambda a, b: a[0] + b[1],
    "clone": lambda a, b: a.clone() + b,
    "linear": lambda a, b: cr.linear(a, b.reshape(1, 2), b[0:1]),
}


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_grad_shares_memory_with_nothing(name: str) -> None:
    a = cr.tensor([1.0, 2.0], requires_grad=True)
    b = cr.tensor([3.0, 4.0], requires_grad=True)
    y = GRAPHS[name](a, b)
    grad_out = np.ones(y.shape, np.float32)
    y.backward(grad_out)
    arrays = [a._data, b._data, y._data, grad_out]
    arrays += [t.grad._data for t in (a, b) if t.grad is not None]
    for t in (a, b):
        if t.grad is None:
            continue
        g = t.grad._data
        assert type(g) is np.ndarray and g.flags.writeable and g.flags.owndata
        assert sum(np.shares_memory(g, other) for other in arrays) == 1  # only itself


def test_grad_of_a_leaf_root_is_a_copy_of_the_seed() -> None:
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    seed = cr.tensor([5.0, 6.0])
    x.backward(seed)
    seed._data[0] = 0
    np.testing.assert_array_equal(x.grad._data, [5.0, 6.0])


def test_zero_dim_gradients_are_writable_arrays() -> None:
    x = cr.tensor(2.0, requires_grad=True)
    (x * x).backward()
    assert type(x.grad._data) is np.ndarray and x.grad.shape == ()
    x.grad._data += 1  # an optimizer updates grads in place
    assert x.grad.item() == 5.0


@pytest.mark.parametrize("shape,target", [
    ((2, 3), (2, 3)), ((2, 3), (3,)), ((2, 3), (1, 3)), ((2, 3), (2, 1)), ((2, 3), ()),
    ((4, 2, 3), (2, 1)), ((4, 2, 3), (1, 1, 1)), ((2, 1), (1,)),
])
def test_sum_to_shape_reverses_broadcasting(shape: tuple, target: tuple) -> None:
    g = np.arange(np.prod(shape), dtype=np.float64).reshape(shape)
    out = sum_to_shape(g, target)
    assert out.shape == target
    assert out.sum() == g.sum()
    # the adjoint of broadcasting: <sum_to_shape(g), v> == <g, broadcast(v)>
    v = np.random.default_rng(0).standard_normal(target)
    np.testing.assert_allclose((out * v).sum(), (g * np.broadcast_to(v, shape)).sum())


def test_broadcast_gradient_reaches_the_input_shape() -> None:
    b = cr.tensor([[1.0], [2.0]], requires_grad=True)  # (2, 1) against (3,)
    c = cr.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (b * c).sum().backward()
    np.testing.assert_array_equal(b.grad._data, [[6.0], [6.0]])
    np.testing.assert_array_equal(c.grad._data, [3.0, 3.0, 3.0])


def test_saved_arrays_are_freed_after_backward() -> None:
    previous = set_explain_limit(0)  # as PyTorch: nothing kept for explain
    try:
        _freed_after_backward()
    finally:
        set_explain_limit(previous)


def test_small_graph_keeps_its_saved_arrays_for_explain_but_refuses_a_second_backward() -> None:
    x = cr.tensor(np.ones(3), requires_grad=True)
    z = ((x * 2) * 3).sigmoid().sum()
    z.backward()
    node = z.grad_fn.next[0]  # Sigmoid
    assert len(node._kept) == 1 and node.saved_arrays == ()
    with pytest.raises(RuntimeError, match="second time"):
        z.backward()


def test_graph_over_the_explain_limit_keeps_nothing() -> None:
    previous = set_explain_limit(10)
    try:
        x = cr.tensor(np.ones(8), requires_grad=True)
        z = ((x * 2) * 3).sigmoid().sum()  # saves 8 + 8 + 8 elements: over 10
        z.backward()
        node = z.grad_fn.next[0]
        assert node._kept is None and node.saved_arrays == ()
    finally:
        set_explain_limit(previous)


def test_explain_limit_must_be_a_count() -> None:
    with pytest.raises(ValueError, match="number of elements"):
        set_explain_limit(-1)


def _freed_after_backward() -> None:
    x = cr.tensor(np.ones(3), requires_grad=True)
    h = x * 2
    ref = weakref.ref(h._data)
    z = (h * 3).sigmoid()  # the second Mul saves h's array, Sigmoid its output
    nodes = [z.grad_fn, z.grad_fn.next[0], h.grad_fn]
    del h
    assert ref() is not None  # only the graph holds it now
    assert [len(n.saved_arrays) for n in nodes] == [1, 2, 2]
    z.sum().backward()
    assert [len(n.saved_arrays) for n in nodes] == [0, 0, 0]
    gc.collect()
    assert ref() is None


def test_retain_graph_keeps_saved_arrays_and_allows_a_second_backward() -> None:
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    assert len(y.grad_fn.next[0].saved_arrays) == 2
    y.backward()
    np.testing.assert_array_equal(x.grad._data, [4.0, 8.0])


def test_a_second_backward_raises_and_names_retain_graph() -> None:
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match=r"second time.*retain_graph=True"):
        y.backward()


def test_backward_of_a_non_scalar_needs_a_gradient() -> None:
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar "
                                           r"outputs.*\(2,\)"):
        (x * 2).backward()
    (x * 2).backward(cr.tensor([1.0, 10.0]))
    np.testing.assert_array_equal(x.grad._data, [2.0, 20.0])


def test_backward_gradient_of_the_wrong_shape_raises() -> None:
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(ValueError, match=r"expected gradient of shape \(2,\), got shape \(3,\)"):
        (x * 2).backward(np.ones(3))


def test_backward_of_a_tensor_that_does_not_require_grad_raises() -> None:
    with pytest.raises(RuntimeError, match="does not require grad|requires grad"):
        cr.tensor([1.0]).sum().backward()
    x = cr.tensor([1.0], requires_grad=True)
    with cr.no_grad():
        y = (x * 2).sum()
    with pytest.raises(RuntimeError, match="no_grad"):
        y.backward()


def test_a_chain_of_100000_ops_backpropagates_without_recursion_error() -> None:
    x = cr.tensor(1.0, dtype=cr.float64, requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.00001
    y.backward()
    np.testing.assert_allclose(x.grad.item(), 1.00001 ** 100_000, rtol=1e-9)
    del y  # freeing the long chain must not overflow the C stack either
    gc.collect()


def test_only_leaves_keep_grad_by_default() -> None:
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    (h * h).sum().backward()
    assert h.grad is None and x.grad is not None
    assert x.is_leaf and not h.is_leaf


def test_inputs_that_do_not_require_grad_get_no_grad() -> None:
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    c = cr.tensor([3.0, 4.0])
    (x * c).sum().backward()
    assert c.grad is None and not c.requires_grad


def test_grad_fn_is_a_named_node_with_its_parents() -> None:
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    y = (x * 2).exp()
    assert y.grad_fn.name == "Exp" and "Exp" in repr(y.grad_fn)
    (parent,) = y.grad_fn.next_functions
    assert parent.name == "Mul"
    assert parent.next_functions[0] is x and parent.next_functions[1] is None
    assert "grad_fn=<ExpBackward>" in repr(y)


class _Fan(cr.Function):
    """y = a + b + c whose backward hands the same array to every input"""

    @staticmethod
    def forward(ctx: object, a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
        return a + b + c

    @staticmethod
    def backward(ctx: object, g: np.ndarray) -> tuple[np.ndarray, ...]:
        shared = g * 2
        return shared, shared, shared


def test_one_array_handed_to_several_leaves_becomes_separate_grads() -> None:
    a, b, c = (cr.tensor([1.0, 2.0], requires_grad=True) for _ in range(3))
    _Fan.apply(a, b, c).sum().backward()
    assert not np.shares_memory(a.grad._data, b.grad._data)
    assert not np.shares_memory(a.grad._data, c.grad._data)
    assert not np.shares_memory(b.grad._data, c.grad._data)
    a.grad._data += 1
    assert c.grad.tolist() == [2.0, 2.0] and b.grad.tolist() == [2.0, 2.0]


@pytest.mark.parametrize("order", range(4))
def test_one_array_handed_to_a_leaf_and_a_node_gives_right_grads(order: int) -> None:
    a = cr.tensor([1.0, 2.0], requires_grad=True)
    b = cr.tensor([1.0, 2.0], requires_grad=True)
    h = a * 1.0
    args = [(a, h, b), (h, a, b), (a, b, h), (b, h, a)][order]
    (a * 3 + _Fan.apply(*args) + a * 0.5).sum().backward()
    assert a.grad.tolist() == [7.5, 7.5] and b.grad.tolist() == [2.0, 2.0]
