"""F.elu_ and friends inside a graph, hardtanh/relu6 at their bounds, and contiguous() copies:
values and gradients as PyTorch's."""
from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
import chainrule.nn.functional as F

torch = pytest.importorskip("torch")
TF = torch.nn.functional
V = [-1.5, -1.0, 0.0, 0.5, 1.0, 3.0, 6.0, 7.0]


@pytest.mark.parametrize("name", ["elu_", "leaky_relu_", "hardtanh_", "celu_", "selu_",
                                  "relu_", "threshold_"])
def test_in_place_functional_in_a_graph_matches_torch(name: str) -> None:
    args = (0.5, -2.0) if name == "threshold_" else ()
    a = cr.tensor(V, dtype=cr.float64, requires_grad=True)
    b = torch.tensor(V, dtype=torch.float64, requires_grad=True)
    outs = []
    for x, fn in ((a, getattr(F, name)), (b, getattr(TF, name))):
        y = x * 2
        r = fn(y, *args)
        assert r is y
        (y * y).sum().backward()
        outs.append(y.detach().numpy())
    np.testing.assert_allclose(outs[0], outs[1], rtol=1e-12)
    np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-12)


@pytest.mark.parametrize("name,args", [("hardtanh", ()), ("hardtanh", (-0.5, 3.0)),
                                       ("relu6", ())])
def test_hardtanh_and_relu6_gradients_are_zero_on_the_bounds_as_torch(name: str,
                                                                      args: tuple) -> None:
    a, b = cr.tensor(V, requires_grad=True), torch.tensor(V, requires_grad=True)
    getattr(F, name)(a, *args).sum().backward()
    getattr(TF, name)(b, *args).sum().backward()
    assert a.grad.tolist() == b.grad.tolist()


def test_contiguous_copies_a_transposed_tensor_as_torch() -> None:
    x, tx = cr.arange(6.0).reshape(2, 3), torch.arange(6.0).reshape(2, 3)
    for t in (x, tx):
        c = t.t().contiguous()
        assert c.is_contiguous()
        c.add_(1)
    assert x.tolist() == tx.tolist()
    assert x.contiguous() is x
