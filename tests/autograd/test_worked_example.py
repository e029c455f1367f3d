"""The course's worked example of backpropagation, by hand and by the engine.

Model ŷ = θ1·θ2·x, loss L = (ŷ − y)². Forward: a = θ1·x, b = θ2·a (= ŷ), c = b − y, L = c².
Backward by the chain rule: ∂L/∂θ1 = 2(θ1θ2x − y)·x·θ2 and ∂L/∂θ2 = 2(θ1θ2x − y)·x·θ1.
"""
from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr

VALUES = [(0.5, -1.0, 2.0, 3.0), (1.0, 2.0, 1.5, 0.0), (-0.3, 0.8, -2.0, 1.0), (2.0, 0.5, 1.0, 1.0)]


@pytest.mark.parametrize("theta1,theta2,x,y", VALUES)
def test_forward_values_and_gradients_match_the_hand_derivation(
        theta1: float, theta2: float, x: float, y: float) -> None:
    t1 = cr.tensor(theta1, dtype=cr.float64, requires_grad=True)
    t2 = cr.tensor(theta2, dtype=cr.float64, requires_grad=True)
    a = t1 * x
    b = t2 * a
    c = b - y
    L = c ** 2
    assert a.item() == pytest.approx(theta1 * x)
    assert b.item() == pytest.approx(theta1 * theta2 * x)
    assert c.item() == pytest.approx(theta1 * theta2 * x - y)
    assert L.item() == pytest.approx((theta1 * theta2 * x - y) ** 2)
    for t in (a, b, c):
        t.retain_grad()
    L.backward()
    residual = theta1 * theta2 * x - y
    assert c.grad.item() == pytest.approx(2 * residual)  # ∂L/∂c
    assert b.grad.item() == pytest.approx(2 * residual)  # ∂c/∂b = 1
    assert a.grad.item() == pytest.approx(2 * residual * theta2)  # ∂b/∂a = θ2
    assert t1.grad.item() == pytest.approx(2 * residual * x * theta2)
    assert t2.grad.item() == pytest.approx(2 * residual * x * theta1)


def test_the_example_passes_gradcheck_and_matches_torch() -> None:
    torch = pytest.importorskip("torch")
    t = cr.tensor([0.5, -1.0], dtype=cr.float64, requires_grad=True)

    def loss(t: cr.Tensor) -> cr.Tensor:
        return (t[0] * t[1] * 2.0 - 3.0) ** 2

    assert cr.gradcheck(loss, (t,))
    loss(t).backward()
    tt = torch.tensor([0.5, -1.0], dtype=torch.float64, requires_grad=True)
    ((tt[0] * tt[1] * 2.0 - 3.0) ** 2).backward()
    np.testing.assert_allclose(t.grad._data, tt.grad.numpy(), rtol=1e-12)
