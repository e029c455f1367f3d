"""Activation layers: forward and input gradient against torch (float64), PReLU's own
Function (parity and gradcheck), softmax properties, reprs."""
import numpy as np
import pytest

import chainrule as cr
from chainrule import nn

torch = pytest.importorskip("torch")

CASES = [
    ("ReLU", {}), ("LeakyReLU", {}), ("LeakyReLU", {"negative_slope": 0.2}), ("Sigmoid", {}),
    ("Tanh", {}), ("Softmax", {"dim": 1}), ("Softmax", {"dim": 0}), ("LogSoftmax", {"dim": 1}),
    ("GELU", {}), ("GELU", {"approximate": "tanh"}), ("ELU", {}), ("ELU", {"alpha": 0.5}),
    ("SiLU", {}), ("Softplus", {}), ("Softplus", {"beta": 2.0, "threshold": 3.0}),
    ("Identity", {}), ("PReLU", {}), ("PReLU", {"num_parameters": 4, "init": 0.1}),
]


def _away_from_kinks(shape, rng):
    x = rng.standard_normal(shape) * 2
    return np.where(np.abs(x) < 1e-2, 0.5, x)


@pytest.mark.parametrize("name,kw", CASES)
def test_activation_matches_torch(name, kw):
    rng = np.random.default_rng(0)
    c, t = getattr(nn, name)(**kw), getattr(torch.nn, name)(**kw)
    if name == "PReLU":
        c.double()
        t.double()
        with torch.no_grad():
            t.weight.copy_(torch.tensor(rng.uniform(0.05, 0.5, kw.get("num_parameters", 1))))
        c.weight._data[...] = t.weight.detach().numpy()
    x = _away_from_kinks((5, 4), rng)
    cx, tx = cr.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    cy, ty = c(cx), t(tx)
    np.testing.assert_allclose(cy._data, ty.detach().numpy(), rtol=1e-10, atol=1e-13)
    g = rng.standard_normal(x.shape)
    cy.backward(cr.tensor(g))
    ty.backward(torch.tensor(g))
    np.testing.assert_allclose(cx.grad._data, tx.grad.numpy(), rtol=1e-10, atol=1e-13)
    if name == "PReLU":
        np.testing.assert_allclose(c.weight.grad._data, t.weight.grad.numpy(), rtol=1e-10)
    assert repr(c) == repr(t)


def test_inplace_flag_is_shown_like_torch_but_computes_out_of_place():
    x = cr.tensor([-1.0, 1.0])
    for name, kw in [("ReLU", {"inplace": True}), ("ELU", {"alpha": 0.5, "inplace": True}),
                     ("LeakyReLU", {"inplace": True}), ("SiLU", {"inplace": True})]:
        m = getattr(nn, name)(**kw)
        assert repr(m) == repr(getattr(torch.nn, name)(**kw))
        m(x)
    assert x.tolist() == [-1.0, 1.0]


@pytest.mark.parametrize("shape", [(3, 4), (2, 4, 3), (5,)])
def test_prelu_gradcheck(shape):
    rng = np.random.default_rng(1)
    x = cr.tensor(_away_from_kinks(shape, rng), requires_grad=True)
    n = 4 if len(shape) >= 2 else 1
    w = cr.nn.Parameter(cr.tensor(rng.uniform(0.1, 0.4, n)).double())
    assert cr.gradcheck(nn.functional.prelu, (x, w))


def test_prelu_channel_errors():
    with pytest.raises(ValueError, match=r"prelu: expected input with 3 channels in dim 1 \(one "
                       r"per weight\), got shape \(2, 4\)"):
        nn.PReLU(3)(cr.zeros(2, 4))
    with pytest.raises(ValueError, match="expected num_parameters >= 1"):
        nn.PReLU(0)


def test_softmax_outputs_are_probabilities():
    x = cr.randn(6, 10) * 30
    p = nn.Softmax(dim=1)(x)._data
    assert (p >= 0).all() and (p <= 1).all()
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-6)
    lp = nn.LogSoftmax(dim=1)(x)._data
    np.testing.assert_allclose(np.exp(lp), p, rtol=1e-5, atol=1e-7)


def test_softmax_without_dim_warns_and_uses_torch_legacy_choice():
    x = cr.randn(2, 3, 4)
    with pytest.warns(UserWarning, match="implicit dimension choice"):
        y = nn.Softmax()(x)
    np.testing.assert_allclose(y._data.sum(axis=0), 1.0, rtol=1e-6)  # dim 0 for 3-D, as torch


def test_gelu_rejects_unknown_approximation():
    with pytest.raises(ValueError, match="GELU: expected approximate='none' or 'tanh', got 'fast'"):
        nn.GELU("fast")
