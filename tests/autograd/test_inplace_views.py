"""In-place ops on views inside the graph, against PyTorch: what raises, what is rebased.

chainrule records an in-place change of a tensor and rebases the live views of that tensor
onto its new node; an in-place change made through a view of a tensor still in use raises
(PyTorch would rebase the base; chainrule does not).
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import chainrule as cr

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(1)
XA = RNG.uniform(0.2, 1.2, (2, 3))


def _both(a: np.ndarray) -> tuple[Any, Any]:
    return cr.tensor(a.copy(), requires_grad=True), torch.tensor(a.copy(), requires_grad=True)


@pytest.mark.parametrize("view", [lambda x: x[0], lambda x: x[0:1], lambda x: x.view(2, 1)])
def test_a_view_of_a_leaf_that_requires_grad_raises_as_torch(view: Any) -> None:
    x, tx = _both(np.array([1.0, 2.0]))
    msg = "a view of a leaf Variable that requires grad is being used in an in-place operation"
    with pytest.raises(RuntimeError, match=msg):
        view(tx).mul_(2)
    with pytest.raises(RuntimeError, match=msg):
        view(x).mul_(2)


@pytest.mark.parametrize("change", [lambda v: v.mul_(2), lambda v: v.zero_(),
                                    lambda v: v.__setitem__(0, 5.0), lambda v: v.sub_(0.7).relu_(),
                                    lambda v: v.exp_()],
                         ids=["mul_", "zero_", "setitem", "relu_", "exp_"])
@pytest.mark.parametrize("view", [lambda y: y[0], lambda y: y[:, 1], lambda y: y.view(-1),
                                  lambda y: y.t(), lambda y: y[:, 1:][0]],
                         ids=["row", "column", "view", "t", "view_of_view"])
def test_in_place_through_a_view_changes_the_base_graph_as_torch(change: Any, view: Any) -> None:
    x, tx = _both(XA)
    c = RNG.standard_normal((2, 3))
    for lib, a in ((cr, x), (torch, tx)):
        y = a * 2
        sibling = y[1]            # another view of y, used after the change
        v = view(y)
        change(v)
        loss = (y * lib.tensor(c)).sum() + (v * 3).sum() + (sibling ** 2).sum()
        loss.backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-12, atol=1e-15)


def test_element_assignment_idioms_and_a_tensor_without_grad_as_base() -> None:
    """``d[k] += e[k]`` (Python: v = d[k]; v += e[k]; d[k] = v), as manual backprop code does."""
    c = RNG.standard_normal((3, 2))
    x, tx = _both(XA)
    for lib, e in ((cr, x), (torch, tx)):
        d = lib.zeros(3, 2, dtype=lib.float64)
        for k in range(2):
            d[k] += e[k, :2]
        d[2] *= e[1, 1:]
        d[:, 0] -= e[0, 2]
        (d * lib.tensor(c)).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-12, atol=1e-15)


def test_one_element_taken_by_integer_indexing_is_a_view_as_torch() -> None:
    """x[i, j] is a 0-d view (as PyTorch's), so in-place ops on it reach x, in the graph
    (d[i, j] += v, y[0, 1].mul_(2)) and under no_grad (w[1].fill_(2))."""
    x, tx = _both(XA)
    v = cr.tensor(3.0, dtype=cr.float64, requires_grad=True)
    tv = torch.tensor(3.0, dtype=torch.float64, requires_grad=True)
    for a, e in ((x, v), (tx, tv)):
        y = a * 2
        y[0, 1].mul_(2)
        y[1, 0] += e * a[0, 0]
        (y * y).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(v.grad.numpy(), tv.grad.numpy(), rtol=1e-12)
    w = cr.zeros(3)
    with cr.no_grad():
        w[1].fill_(2.0)
    assert w.tolist() == [0.0, 2.0, 0.0]


def test_a_view_of_storage_only_a_saved_array_holds_raises_clearly() -> None:
    x = cr.tensor(XA, requires_grad=True)
    v = x.exp()[0]        # Exp saved its output; the tensor is gone
    with pytest.raises(RuntimeError, match="in-place operation on a view of another tensor"):
        v.mul_(2)


def test_a_view_whose_base_is_gone_is_changed_as_torch() -> None:
    x, tx = _both(XA)
    for a in (x, tx):
        v = (a * 2).view(-1)[1:]
        v.mul_(3)
        v.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-12)


@pytest.mark.parametrize("change", [lambda y: y.mul_(3), lambda y: y.exp_(),
                                    lambda y: y.__setitem__(0, 0.0)],
                         ids=["mul_", "exp_", "setitem"])
@pytest.mark.parametrize("view", [lambda y: y[0], lambda y: y[:, 1:], lambda y: y.t(),
                                  lambda y: y.reshape(3, 2)[1:]],
                         ids=["row", "cols", "t", "reshape"])
def test_live_views_are_rebased_after_the_base_changes_as_torch(change: Any, view: Any) -> None:
    x, tx = _both(XA)
    c = RNG.standard_normal(view(cr.zeros(2, 3)).shape)
    for lib, a in ((cr, x), (torch, tx)):
        y = a * 2
        v = view(y)
        change(y)
        (v * lib.tensor(c)).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-12, atol=1e-15)


def test_a_view_used_before_the_change_keeps_its_old_gradient_as_torch() -> None:
    x, tx = _both(XA)
    for a in (x, tx):
        y = a * 2
        col = y[:, 0]
        y[:, 1] = col + 3    # col was read before y changed
        y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-12)
