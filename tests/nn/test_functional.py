"""chainrule.nn.functional: the names exist as in torch, one_hot, normalize, and the
activations' parity with torch.nn.functional."""
import numpy as np
import pytest

import chainrule as cr
import chainrule.nn.functional as F

torch = pytest.importorskip("torch")
TF = torch.nn.functional


def test_every_public_name_exists_in_torch_functional():
    for name in F.__all__:
        assert hasattr(TF, name), name


@pytest.mark.parametrize("name,kw", [("relu", {}), ("leaky_relu", {"negative_slope": 0.1}),
                                     ("sigmoid", {}), ("tanh", {}), ("softmax", {"dim": 0}),
                                     ("log_softmax", {"dim": -1}), ("gelu", {}), ("elu", {}),
                                     ("silu", {}), ("softplus", {"beta": 0.5})])
def test_activation_functions_match_torch(name, kw):
    x = np.random.default_rng(0).standard_normal((4, 3)) + 0.05
    cx, tx = cr.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    cy, ty = getattr(F, name)(cx, **kw), getattr(TF, name)(tx, **kw)
    np.testing.assert_allclose(cy._data, ty.detach().numpy(), rtol=1e-10, atol=1e-14)
    cy.sum().backward()
    ty.sum().backward()
    np.testing.assert_allclose(cx.grad._data, tx.grad.numpy(), rtol=1e-10, atol=1e-14)


def test_softmax_dtype_argument():
    assert F.softmax(cr.ones(2, 3), dim=1, dtype=cr.float64).dtype == np.float64


def test_linear_matches_torch():
    rng = np.random.default_rng(1)
    x, w, b = rng.standard_normal((3, 4)), rng.standard_normal((2, 4)), rng.standard_normal(2)
    np.testing.assert_allclose(F.linear(cr.tensor(x), cr.tensor(w), cr.tensor(b))._data,
                               TF.linear(*map(torch.tensor, (x, w, b))).numpy(), rtol=1e-12)
    np.testing.assert_allclose(F.linear(cr.tensor(x), cr.tensor(w))._data,
                               TF.linear(torch.tensor(x), torch.tensor(w)).numpy(), rtol=1e-12)


def test_one_hot_matches_torch_and_checks_range():
    labels = np.array([[0, 2], [1, 1]])
    assert np.array_equal(F.one_hot(cr.tensor(labels), 4)._data,
                          TF.one_hot(torch.tensor(labels), 4).numpy())
    assert F.one_hot(cr.tensor([0, 2])).shape == (2, 3)
    assert F.one_hot(cr.tensor([1])).dtype == np.int64
    with pytest.raises(RuntimeError, match=r"one_hot: expected class values < num_classes=3, "
                       r"got 3"):  # RuntimeError, as torch
        F.one_hot(cr.tensor([0, 3]), 3)
    with pytest.raises(RuntimeError, match="got -1"):
        F.one_hot(cr.tensor([-1, 0]), 3)
    with pytest.raises(TypeError, match=r"one_hot: expected an integer \(int64\) tensor of class "
                       r"indices, got dtype float32"):
        F.one_hot(cr.tensor([0.0, 1.0]))


@pytest.mark.parametrize("p,dim", [(2.0, 1), (1.0, 0), (3.0, -1)])
def test_normalize_matches_torch(p, dim):
    x = np.random.default_rng(2).standard_normal((3, 4))
    cx, tx = cr.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    cy, ty = F.normalize(cx, p, dim), TF.normalize(tx, p, dim)
    np.testing.assert_allclose(cy._data, ty.detach().numpy(), rtol=1e-10)
    g = np.random.default_rng(3).standard_normal(x.shape)
    cy.backward(cr.tensor(g))
    ty.backward(torch.tensor(g))
    np.testing.assert_allclose(cx.grad._data, tx.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_normalize_keeps_zero_vectors_finite():
    y = F.normalize(cr.zeros(2, 3))
    assert np.array_equal(y._data, np.zeros((2, 3), np.float32))
