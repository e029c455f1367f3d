"""The decision boundary: probabilities on a grid, the course's perceptron and XOR pictures."""
from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
from chainrule.viz.decision import _probabilities, plot_decision_boundary, predict_grid

from .conftest import assert_picture


def _fit(model, data, y, loss, epochs=300, lr=0.05):
    opt = cr.optim.Adam(model.parameters(), lr=lr)
    xt = cr.tensor(data, dtype="float32")
    for _ in range(epochs):
        opt.zero_grad()
        loss(model(xt), y).backward()
        opt.step()
    return model


def test_probabilities_from_logits_and_probabilities():
    p = _probabilities(np.array([[0.0], [100.0], [-100.0]]), "auto")
    np.testing.assert_allclose(p[:, 1], [0.5, 1.0, 0.0], atol=1e-12)
    p = _probabilities(np.array([[0.2], [0.9]]), "auto")  # in [0, 1]: already probabilities
    np.testing.assert_allclose(p[:, 1], [0.2, 0.9])
    p = _probabilities(np.array([[1.0, 1.0, 1.0]]), "logits")
    np.testing.assert_allclose(p, [[1 / 3] * 3])


def test_perceptron_separates_a_linear_dataset():
    from chainrule.data import linear
    X, y = linear(200, noise=0.05, seed=0)
    cr.manual_seed(0)
    model = _fit(cr.nn.Perceptron(2), X, cr.tensor(y.reshape(-1, 1), dtype="float32"),
                 cr.nn.BCELoss(), epochs=200, lr=0.1)
    xx, yy, proba = predict_grid(model, X, resolution=50)
    assert xx.shape == yy.shape == (50, 50) and proba.shape == (50, 50, 2)
    assert proba.min() < 0.05 and proba.max() > 0.95  # both regions present
    fig = plot_decision_boundary(model, X, y, class_names=["below", "above"],
                                 title="Perceptron in 2-D")
    assert_picture(fig, (6.0, 5.0), min_colors=30)
    title = fig.axes[0].get_title()
    assert title.startswith("Perceptron in 2-D") and "training accuracy" in title
    assert float(title.split("accuracy ")[1].rstrip("%)")) >= 95


def test_xor_needs_a_hidden_layer():
    from chainrule.data import xor
    X, y = xor(200, noise=0.1, seed=0)
    target = cr.tensor(y.reshape(-1, 1), dtype="float32")
    cr.manual_seed(0)
    linear = _fit(cr.nn.Linear(2, 1), X, target, cr.nn.BCEWithLogitsLoss())
    mlp = _fit(cr.nn.MLP(2, [8], 1, activation="tanh"), X, target, cr.nn.BCEWithLogitsLoss())
    acc = {}
    for name, model in (("linear", linear), ("mlp", mlp)):
        fig = plot_decision_boundary(model, X, y)
        acc[name] = float(fig.axes[0].get_title().split("accuracy ")[1].rstrip("%)"))
    assert acc["linear"] < 75 and acc["mlp"] > 90


def test_multiclass_and_model_mode_restored():
    from chainrule.data import blobs
    X, y = blobs(150, centers=3, seed=0)
    cr.manual_seed(0)
    model = _fit(cr.nn.MLP(2, [8], 3), X, cr.tensor(y), cr.nn.CrossEntropyLoss(), epochs=100)
    model.train()
    fig = plot_decision_boundary(model, X, y, class_names=["a", "b", "c"])
    assert model.training  # eval() for the grid, then back to train mode
    assert_picture(fig, (6.0, 5.0), min_colors=30)
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["a", "b", "c"]


def test_errors():
    model = cr.nn.Linear(3, 1)
    with pytest.raises(ValueError, match=r"expected X with 2 features \(N, 2\), got shape "
                                         r"\(4, 3\)"):
        plot_decision_boundary(model, np.zeros((4, 3)), np.zeros(4))
    with pytest.raises(ValueError, match="one label per sample"):
        plot_decision_boundary(cr.nn.Linear(2, 1), np.zeros((4, 2)), np.zeros(3))
    with pytest.raises(ValueError, match="expected output"):
        predict_grid(cr.nn.Linear(2, 1), np.zeros((4, 2)), output="odds")
