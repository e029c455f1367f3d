"""Linear (parity with torch, PyTorch's init bounds, errors), Identity, Flatten."""
import math

import numpy as np
import pytest

import chainrule as cr
from chainrule import nn

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("shape", [(5, 4), (2, 3, 4), (4,)])
def test_linear_matches_torch(bias, shape):
    rng = np.random.default_rng(0)
    c = nn.Linear(4, 3, bias=bias, dtype=cr.float64)
    t = torch.nn.Linear(4, 3, bias=bias, dtype=torch.float64)
    with torch.no_grad():
        t.weight.copy_(torch.tensor(c.weight._data))
        if bias:
            t.bias.copy_(torch.tensor(c.bias._data))
    x = rng.standard_normal(shape)
    cx, tx = cr.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    cy, ty = c(cx), t(tx)
    np.testing.assert_allclose(cy._data, ty.detach().numpy(), rtol=1e-10)
    g = rng.standard_normal(cy.shape)
    cy.backward(cr.tensor(g))
    ty.backward(torch.tensor(g))
    np.testing.assert_allclose(cx.grad._data, tx.grad.numpy(), rtol=1e-10)
    np.testing.assert_allclose(c.weight.grad._data, t.weight.grad.numpy(), rtol=1e-10)
    if bias:
        np.testing.assert_allclose(c.bias.grad._data, t.bias.grad.numpy(), rtol=1e-10)
    else:
        assert c.bias is None and [n for n, _ in c.named_parameters()] == ["weight"]


def test_linear_is_one_graph_node_and_gradchecks():
    layer = nn.Linear(3, 2, dtype=cr.float64)
    x = cr.randn(4, 3, dtype=cr.float64, requires_grad=True)
    y = layer(x)
    assert type(y.grad_fn).__name__ == "Linear"
    assert cr.gradcheck(lambda a, w, b: nn.functional.linear(a, w, b),
                        (x, layer.weight, layer.bias))


def test_default_init_follows_torch_bounds():
    cr.manual_seed(0)
    layer = nn.Linear(400, 300)
    bound = 1 / math.sqrt(400)  # kaiming_uniform_(a=√5) gives the same bound as the bias
    w, b = layer.weight._data, layer.bias._data
    assert w.dtype == np.float32 and w.shape == (300, 400)
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.99 * bound
    assert np.abs(b).max() <= bound and np.abs(b).max() > 0.9 * bound
    assert abs(w.var() - bound ** 2 / 3) < 0.02 * bound ** 2  # U(-a, a) has variance a²/3
    t = torch.nn.Linear(400, 300)
    assert np.abs(t.weight.detach().numpy()).max() <= bound


def test_default_init_is_reproducible_with_manual_seed():
    cr.manual_seed(3)
    a = nn.Linear(5, 4)
    cr.manual_seed(3)
    b = nn.Linear(5, 4)
    assert np.array_equal(a.weight._data, b.weight._data)
    assert np.array_equal(a.bias._data, b.bias._data)


def test_linear_wrong_width_raises_naming_the_layer():
    with pytest.raises(ValueError, match=r"Linear\(in_features=4, out_features=3, bias=True\): "
                       r"expected input with last dimension 4, got shape \(8, 5\)"):
        nn.Linear(4, 3)(cr.zeros(8, 5))
    with pytest.raises(ValueError, match=r"got shape \(\)"):
        nn.Linear(4, 3)(cr.tensor(1.0))


def test_linear_argument_errors():
    with pytest.raises(TypeError, match="Linear: expected in_features to be an int, got float"):
        nn.Linear(2.0, 3)
    with pytest.raises(ValueError, match="Linear: expected out_features >= 0, got -1"):
        nn.Linear(2, -1)
    with pytest.raises(ValueError, match="expected device None or 'cpu'"):
        nn.Linear(2, 2, device="cuda")


def test_identity_and_flatten():
    x = cr.randn(2, 3, 4, requires_grad=True)
    assert nn.Identity(54, unused=1)(x) is x
    assert nn.Flatten()(x).shape == (2, 12)
    assert nn.Flatten(0, 1)(x).shape == (6, 4)
    nn.Flatten()(x).sum().backward()
    assert x.grad.shape == (2, 3, 4)
    assert repr(nn.Flatten()) == repr(torch.nn.Flatten())
    assert repr(nn.Identity()) == "Identity()"


def test_flatten_unflatten_match_torch() -> None:
    torch = pytest.importorskip("torch")
    x = np.arange(2 * 3 * 4 * 5, dtype=np.float32).reshape(2, 3, 4, 5)
    for args in ((), (0, 1), (1, 2), (-2, -1), (0, -1)):
        ours = cr.nn.Flatten(*args)(cr.tensor(x))
        theirs = torch.nn.Flatten(*args)(torch.tensor(x))
        assert tuple(ours.shape) == tuple(theirs.shape)
        assert repr(cr.nn.Flatten(*args)) == repr(torch.nn.Flatten(*args))
    for dim, sizes in ((1, (3, 1)), (-1, (5, 1)), (2, (2, -1)), (0, (1, 2))):
        ours = cr.nn.Unflatten(dim, sizes)(cr.tensor(x))
        theirs = torch.nn.Unflatten(dim, sizes)(torch.tensor(x))
        assert tuple(ours.shape) == tuple(theirs.shape)
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    assert repr(cr.nn.Unflatten(1, (2, 3))) == repr(torch.nn.Unflatten(1, (2, 3)))
    w = cr.tensor(x, requires_grad=True)
    cr.nn.Unflatten(3, (5, 1))(w).sum().backward()
    assert w.grad.shape == w.shape
    with pytest.raises(ValueError, match="product"):
        cr.nn.Unflatten(1, (2, 2))(cr.tensor(x))
