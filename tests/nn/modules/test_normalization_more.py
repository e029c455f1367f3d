"""RMSNorm, GroupNorm, Hardshrink, Softshrink and F's in-place activations vs torch."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import chainrule as cr
import chainrule.nn.functional as F

torch = pytest.importorskip("torch")
X = np.random.default_rng(0).normal(size=(3, 4, 5)) * 2


@pytest.mark.parametrize("name, args, kwargs", [
    ("RMSNorm", (5,), {}), ("RMSNorm", ((4, 5),), {"eps": 1e-3}),
    ("RMSNorm", (5,), {"elementwise_affine": False}), ("GroupNorm", (2, 4), {}),
    ("GroupNorm", (1, 4), {"affine": False}), ("GroupNorm", (4, 4), {"bias": False}),
    ("Hardshrink", (), {}), ("Softshrink", (0.3,), {}),
])
def test_module_matches_torch(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    ours = getattr(cr.nn, name)(*args, **kwargs, dtype=cr.float64) if "Norm" in name else \
        getattr(cr.nn, name)(*args, **kwargs)
    theirs = getattr(torch.nn, name)(*args, **kwargs, dtype=torch.float64) if "Norm" in name \
        else getattr(torch.nn, name)(*args, **kwargs)
    assert repr(ours) == repr(theirs)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    with cr.no_grad(), torch.no_grad():
        for (_, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters()):
            w = np.random.default_rng(1).normal(size=tuple(q.shape))
            p.copy_(cr.tensor(w))
            q.copy_(torch.tensor(w))
    cx, tx = cr.tensor(X, requires_grad=True), torch.tensor(X, requires_grad=True)
    cy, ty = ours(cx), theirs(tx)
    np.testing.assert_allclose(cy.detach().numpy(), ty.detach().numpy(), rtol=1e-9, atol=1e-12)
    g = np.random.default_rng(2).normal(size=X.shape)
    (cy * cr.tensor(g)).sum().backward()
    (ty * torch.tensor(g)).sum().backward()
    np.testing.assert_allclose(cx.grad.numpy(), tx.grad.numpy(), rtol=1e-8, atol=1e-10)
    for (_, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters()):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("name, args", [("relu_", ()), ("elu_", ()), ("leaky_relu_", (0.2,)),
                                        ("hardtanh_", ()), ("selu_", ()), ("celu_", ()),
                                        ("threshold_", (0.5, -1.0))])
def test_in_place_functional_matches_torch(name: str, args: tuple[Any, ...]) -> None:
    ours, theirs = cr.tensor(X.copy()), torch.tensor(X.copy())
    a = getattr(F, name)(ours, *args)
    b = getattr(torch.nn.functional, name)(theirs, *args)
    assert a is ours
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)
    np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-12)


def test_errors() -> None:
    with pytest.raises(ValueError, match="divisible"):
        cr.nn.GroupNorm(3, 4)
    with pytest.raises(ValueError, match="trailing shape"):
        F.rms_norm(cr.tensor(X), (4,))
