"""Activation curves: derivatives by autograd match the formulas; the figure is drawn."""
from __future__ import annotations

import numpy as np
import pytest

from chainrule.viz.activations import ACTIVATIONS, activation_curves, plot_activations

from .conftest import assert_picture


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


DERIVATIVES = {
    "relu": lambda x: (x > 0).astype(float),
    "sigmoid": lambda x: _sigmoid(x) * (1 - _sigmoid(x)),
    "leaky_relu": lambda x: np.where(x > 0, 1.0, 0.1),
    "tanh": lambda x: 1 - np.tanh(x) ** 2,
    "softmax": lambda x: _sigmoid(x) * (1 - _sigmoid(x)),  # p1 of [x, 0] is σ(x)
    "linear": lambda x: np.ones_like(x),
    "elu": lambda x: np.where(x > 0, 1.0, np.exp(x)),
    "silu": lambda x: _sigmoid(x) * (1 + x * (1 - _sigmoid(x))),
    "softplus": _sigmoid,
}


@pytest.mark.parametrize("name", sorted(DERIVATIVES))
def test_autograd_derivative_matches_the_formula(name):
    x, _, dy = activation_curves(name, (-4, 4), num=81)
    away = np.abs(x) > 1e-3  # the kinks
    np.testing.assert_allclose(dy[away], DERIVATIVES[name](x)[away], rtol=1e-10, atol=1e-12)


def test_gelu_derivative_matches_torch():
    torch = pytest.importorskip("torch")
    x, y, dy = activation_curves("gelu", (-4, 4), num=81)
    t = torch.tensor(x, requires_grad=True)
    out = torch.nn.functional.gelu(t)
    out.sum().backward()
    np.testing.assert_allclose(y, out.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(dy, t.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_figure_has_a_panel_per_activation():
    fig = plot_activations()
    assert len(fig.axes) == len(ACTIVATIONS) == 10
    assert_picture(fig, (12.0, 7.8))
    for ax in fig.axes:
        assert len(ax.get_lines()) == 4  # two axes lines, f and f'


def test_errors():
    with pytest.raises(ValueError, match="got 'swish'"):
        plot_activations(["relu", "swish"])
    with pytest.raises(ValueError, match="at least one"):
        plot_activations([])
    with pytest.raises(ValueError, match="low < high"):
        activation_curves("relu", (1, -1))
