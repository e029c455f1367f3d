"""GaussianNLLLoss, PoissonNLLLoss, margin and embedding losses: values and gradients vs torch."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

import chainrule as cr

torch = pytest.importorskip("torch")
rng = np.random.default_rng(0)
X1, X2, X3 = rng.normal(size=(3, 6, 4))
SIGN = np.where(rng.random(6) < 0.5, -1.0, 1.0)
SIGN4 = np.where(rng.random((6, 4)) < 0.5, -1.0, 1.0)
LABELS = (rng.random((6, 4)) < 0.5).astype(np.float64)
VAR = rng.uniform(0.0, 2.0, size=(6, 4))
VAR[0, 0] = 1e-9  # clamped to eps in value only
COUNTS = rng.poisson(2.0, size=(6, 4)).astype(np.float64)

CASES: list[tuple[str, dict[str, Any], Callable[[Any], tuple[Any, ...]], int]] = [
    # (module name, kwargs, inputs from a library, how many leading inputs get gradients)
    ("GaussianNLLLoss", {}, lambda lib: (lib.tensor(X1), lib.tensor(X2), lib.tensor(VAR)), 3),
    ("GaussianNLLLoss", {"full": True, "reduction": "sum"},
     lambda lib: (lib.tensor(X1), lib.tensor(X2), lib.tensor(VAR[:, :1])), 3),
    ("GaussianNLLLoss", {"reduction": "none"},
     lambda lib: (lib.tensor(X1), lib.tensor(X2), lib.tensor(VAR[:, 0])), 3),
    ("PoissonNLLLoss", {}, lambda lib: (lib.tensor(X1), lib.tensor(COUNTS)), 1),
    ("PoissonNLLLoss", {"log_input": False, "full": True},
     lambda lib: (lib.tensor(np.abs(X1) + 0.1), lib.tensor(COUNTS)), 1),
    ("MarginRankingLoss", {"margin": 0.3}, lambda lib: (lib.tensor(X1[:, 0]), lib.tensor(X2[:, 0]),
                                                      lib.tensor(SIGN)), 2),
    ("SoftMarginLoss", {}, lambda lib: (lib.tensor(X1), lib.tensor(SIGN4)), 1),
    ("HingeEmbeddingLoss", {"margin": 0.5}, lambda lib: (lib.tensor(X1), lib.tensor(SIGN4)), 1),
    ("CosineEmbeddingLoss", {"margin": 0.1}, lambda lib: (lib.tensor(X1), lib.tensor(X2),
                                                        lib.tensor(SIGN)), 2),
    ("MultiLabelSoftMarginLoss", {}, lambda lib: (lib.tensor(X1), lib.tensor(LABELS)), 1),
    ("MultiLabelSoftMarginLoss", {"reduction": "none"},
     lambda lib: (lib.tensor(X1), lib.tensor(LABELS)), 1),
    ("TripletMarginLoss", {"margin": 2.0}, lambda lib: (lib.tensor(X1), lib.tensor(X2),
                                                      lib.tensor(X3)), 3),
    ("TripletMarginLoss", {"p": 1.0, "swap": True, "reduction": "sum"},
     lambda lib: (lib.tensor(X1), lib.tensor(X2), lib.tensor(X3)), 3),
]


@pytest.mark.parametrize("name, kwargs, make, n_grad", CASES)
def test_loss_matches_torch(name: str, kwargs: dict[str, Any], make: Callable[[Any], Any],
                            n_grad: int) -> None:
    ours_in, theirs_in = make(cr), make(torch)
    for t in (*ours_in[:n_grad], *theirs_in[:n_grad]):
        t.requires_grad_(True)
    ours = getattr(cr.nn, name)(**kwargs)(*ours_in)
    theirs = getattr(torch.nn, name)(**kwargs)(*theirs_in)
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-10,
                               atol=1e-12)
    ours.sum().backward()
    theirs.sum().backward()
    for a, b in zip(ours_in[:n_grad], theirs_in[:n_grad]):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_functional_names_and_errors() -> None:
    F = cr.nn.functional  # noqa: N806
    x, y = cr.tensor(X1), cr.tensor(X2)
    assert F.soft_margin_loss(x, cr.tensor(SIGN4)).shape == ()
    with pytest.raises(ValueError, match="reduction"):
        F.soft_margin_loss(x, cr.tensor(SIGN4), reduction="avg")
    with pytest.raises(ValueError, match="expected var of shape"):
        F.gaussian_nll_loss(x, y, cr.ones(3))
    with pytest.raises(ValueError, match="var >= 0"):
        F.gaussian_nll_loss(x, y, -cr.ones(6, 4, dtype=cr.float64))
    assert F.gaussian_nll_loss(x, y, 1.0).item() == pytest.approx(
        torch.nn.functional.gaussian_nll_loss(torch.tensor(X1), torch.tensor(X2),
                                              torch.ones(6, 4, dtype=torch.float64)).item())


@pytest.mark.parametrize("kwargs", [{}, {"p": 2, "margin": 0.5}, {"weight": True},
                                    {"reduction": "none"}])
def test_multi_margin_loss_matches_torch(kwargs: dict[str, Any]) -> None:
    y = np.array([0, 3, 1, 2, 3, 0])
    w = np.array([0.5, 1.0, 2.0, 1.5])
    ck = {**kwargs, "weight": cr.tensor(w)} if "weight" in kwargs else kwargs
    tk = {**kwargs, "weight": torch.tensor(w)} if "weight" in kwargs else kwargs
    cx, tx = cr.tensor(X1, requires_grad=True), torch.tensor(X1, requires_grad=True)
    ours = cr.nn.MultiMarginLoss(**ck)(cx, cr.tensor(y))
    theirs = torch.nn.MultiMarginLoss(**tk)(tx, torch.tensor(y))
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-10)
    ours.sum().backward()
    theirs.sum().backward()
    np.testing.assert_allclose(cx.grad.numpy(), tx.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_triplet_with_distance_matches_torch() -> None:
    def cos_dist(a: Any, b: Any) -> Any:
        return 1 - (a * b).sum(-1) / ((a * a).sum(-1) * (b * b).sum(-1)) ** 0.5

    for kwargs in ({}, {"distance_function": cos_dist, "margin": 0.5, "swap": True}):
        ours = cr.nn.TripletMarginWithDistanceLoss(**kwargs)(
            cr.tensor(X1), cr.tensor(X2), cr.tensor(X3))
        theirs = torch.nn.TripletMarginWithDistanceLoss(**kwargs)(
            torch.tensor(X1), torch.tensor(X2), torch.tensor(X3))
        assert ours.item() == pytest.approx(theirs.item(), rel=1e-10)
