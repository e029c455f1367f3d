"""The course as tests: Perceptron and XOR, the MLP's capacity, linear stacks collapse,
fitting sin, activations by name, MLP layout, num_parameters."""
import math

import numpy as np
import pytest

import chainrule as cr
from chainrule import nn

F = nn.functional
X_XOR = cr.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y_XOR = cr.tensor([[0.0], [1.0], [1.0], [0.0]])


def descend(model, loss_fn, x, y, steps, lr, momentum=0.0):
    """Gradient descent written out: backward, then p -= lr·v with v = momentum·v + grad."""
    velocity = {id(p): np.zeros_like(p._data) for p in model.parameters()}
    for _ in range(steps):
        loss = loss_fn(model(x), y)
        model.zero_grad()
        loss.backward()
        with cr.no_grad():
            for p in model.parameters():
                v = velocity[id(p)]
                v *= momentum
                v += p.grad._data
                p -= lr * v
    return loss.item()


@pytest.mark.parametrize("seed", range(3))
def test_a_single_perceptron_cannot_separate_xor(seed):
    cr.manual_seed(seed)
    p = nn.Perceptron(2)
    descend(p, F.binary_cross_entropy, X_XOR, Y_XOR, steps=1000, lr=1.0)
    accuracy = ((p(X_XOR)._data > 0.5) == (Y_XOR._data > 0.5)).mean()
    assert accuracy <= 0.75


@pytest.mark.parametrize("seed", range(5))
def test_an_mlp_with_one_hidden_layer_solves_xor(seed):
    cr.manual_seed(seed)
    model = nn.MLP(2, [4], 1, activation="tanh")
    loss = descend(model, F.binary_cross_entropy_with_logits, X_XOR, Y_XOR, steps=500, lr=0.5,
                   momentum=0.9)
    assert ((model(X_XOR)._data > 0) == (Y_XOR._data > 0.5)).all()
    assert loss < 0.05


def test_linear_layers_without_activation_collapse_to_one_linear():
    cr.manual_seed(0)
    stack = nn.Sequential(nn.Linear(3, 5, dtype=cr.float64), nn.Linear(5, 4, dtype=cr.float64),
                          nn.Linear(4, 2, dtype=cr.float64))
    w1, w2, w3 = (stack[i].weight._data for i in range(3))
    b1, b2, b3 = (stack[i].bias._data for i in range(3))
    one = nn.Linear(3, 2, dtype=cr.float64)
    one.load_state_dict({"weight": w3 @ w2 @ w1, "bias": w3 @ (w2 @ b1 + b2) + b3})
    x = cr.randn(10, 3, dtype=cr.float64)
    np.testing.assert_allclose(stack(x)._data, one(x)._data, rtol=1e-12, atol=1e-14)


def test_an_mlp_with_one_tanh_hidden_layer_fits_sin():
    cr.manual_seed(0)
    x = cr.linspace(-math.pi, math.pi, 100).reshape(-1, 1)
    model = nn.MLP(1, [16], 1, activation="tanh")
    loss = descend(model, F.mse_loss, x, x.sin(), steps=2000, lr=0.1, momentum=0.9)
    assert loss < 1e-3


def test_softmax_output_layer_gives_probabilities():
    model = nn.MLP(4, [8], 3, output_activation="softmax")
    p = model(cr.randn(16, 4) * 10)._data
    assert (p >= 0).all() and (p <= 1).all()
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-6)


@pytest.mark.parametrize("name", ["relu", "sigmoid", "leaky_relu", "tanh", "softmax", "linear",
                                  "gelu", "identity", "elu", "silu", "softplus", "ReLU"])
def test_activations_by_name(name):
    m = nn.get_activation(name)
    assert isinstance(m, nn.Module)
    assert m(cr.tensor([[0.5, -0.5]])).shape == (1, 2)


def test_activation_errors_and_factories():
    assert isinstance(nn.get_activation(nn.Tanh), nn.Tanh)
    assert nn.get_activation(lambda: nn.LeakyReLU(0.2)).negative_slope == 0.2
    with pytest.raises(ValueError, match="MLP: expected an activation name in elu, gelu, "):
        nn.MLP(2, [3], 1, activation="swish")
    with pytest.raises(TypeError, match=r"not nn\.ReLU\(\)"):
        nn.get_activation(nn.ReLU())
    with pytest.raises(TypeError, match="expected an activation name or a callable"):
        nn.get_activation(3)


def test_perceptron_layout():
    p = nn.Perceptron(3, activation="linear")
    assert p(cr.zeros(5, 3)).shape == (5, 1)
    assert list(p.state_dict()) == ["linear.weight", "linear.bias"]
    assert nn.num_parameters(p) == 4


def test_mlp_layout_and_keys():
    model = nn.MLP(4, [8, 6], 3, activation="gelu", dropout=0.2, norm="batch")
    assert [n for n, _ in model.named_children()] == [
        "hidden0", "norm0", "act0", "dropout0", "hidden1", "norm1", "act1", "dropout1", "output"]
    assert list(model.state_dict())[:7] == [
        "hidden0.weight", "hidden0.bias", "norm0.weight", "norm0.bias", "norm0.running_mean",
        "norm0.running_var", "norm0.num_batches_tracked"]
    assert isinstance(model[0], nn.Linear) and isinstance(model, nn.Sequential)
    assert model(cr.randn(5, 4)).shape == (5, 3)
    layer = nn.MLP(4, 8, 2, norm="layer")
    assert isinstance(layer.norm0, nn.LayerNorm) and nn.num_parameters(layer) == 40 + 16 + 18
    assert len(nn.MLP(3, [], 2)) == 1  # no hidden layer: logistic/linear regression
    broken = nn.MLP(4, [8, 6], 3)
    broken.hidden1 = nn.Linear(7, 6)  # replaced in place: the order is kept
    assert [n for n, _ in broken.named_children()][2] == "hidden1"
    with pytest.raises(ValueError, match=r"^model\.hidden1 \(Linear 7->6\): expected input "
                       r"with last dimension 7, got shape \(2, 8\)$"):
        broken(cr.zeros(2, 4))


def test_mlp_argument_errors():
    with pytest.raises(ValueError,
                       match="MLP: expected norm None, 'batch' or 'layer', got 'group'"):
        nn.MLP(2, [2], 1, norm="group")
    with pytest.raises(ValueError, match=r"MLP: expected dropout in \[0, 1\), got 1.0"):
        nn.MLP(2, [2], 1, dropout=1.0)


def test_num_parameters_counts_weights_and_biases_once():
    shared = nn.Linear(3, 3)
    model = nn.Sequential(shared, nn.ReLU(), shared, nn.Linear(3, 1, bias=False))
    assert nn.num_parameters(model) == 12 + 3
    model[3].weight.requires_grad_(False)
    assert nn.num_parameters(model, trainable_only=True) == 12
    with pytest.raises(TypeError, match="num_parameters: expected a Module, got list"):
        nn.num_parameters([])
