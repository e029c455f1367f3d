"""ReLU6, Hardtanh, SELU, CELU, Mish, ..., KLDivLoss, CosineSimilarity: values, gradients
and reprs against torch."""
from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
import chainrule.nn.functional as F

torch = pytest.importorskip("torch")

MODULES = [
    ("ReLU6", {}), ("ReLU6", {"inplace": True}), ("Hardtanh", {}),
    ("Hardtanh", {"min_val": -2.0, "max_val": 0.5}), ("SELU", {}), ("CELU", {}),
    ("CELU", {"alpha": 0.5}), ("Mish", {}), ("LogSigmoid", {}), ("Softsign", {}),
    ("Tanhshrink", {}), ("Softmin", {"dim": 1}), ("Hardswish", {}), ("Hardsigmoid", {}),
    ("Threshold", {"threshold": 0.1, "value": 20.0}), ("GLU", {}), ("GLU", {"dim": 0}),
]


def _x() -> np.ndarray:
    x = np.random.default_rng(0).uniform(-8, 8, size=(4, 6))
    x[np.abs(x) < 0.05] = 0.5  # away from kinks
    for k in (-3.0, 3.0, 6.0, 0.1, -2.0, -1.0, 1.0):
        x[np.abs(x - k) < 0.05] += 0.2
    return x


@pytest.mark.parametrize("name, kwargs", MODULES)
def test_module_matches_torch(name: str, kwargs: dict[str, object]) -> None:
    x = _x()
    ours, theirs = getattr(cr.nn, name)(**kwargs), getattr(torch.nn, name)(**kwargs)
    assert repr(ours) == repr(theirs)
    cx, tx = cr.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    cy, ty = ours(cx), theirs(tx.clone() if kwargs.get("inplace") else tx)
    np.testing.assert_allclose(cy.detach().numpy(), ty.detach().numpy(), rtol=1e-10, atol=1e-12)
    g = np.random.default_rng(1).normal(size=tuple(ty.shape))
    (cy * cr.tensor(g)).sum().backward()
    (ty * torch.tensor(g)).sum().backward()
    # rtol 1e-7: torch's float64 hardsigmoid backward multiplies by a float32 1/6
    np.testing.assert_allclose(cx.grad.numpy(), tx.grad.numpy(), rtol=1e-7, atol=1e-12)


@pytest.mark.parametrize("name", ["relu6", "hardtanh", "selu", "celu", "mish", "logsigmoid",
                                  "softsign", "tanhshrink", "hardswish", "hardsigmoid", "glu"])
def test_functional_matches_torch(name: str) -> None:
    x = _x().astype(np.float32)
    ours = getattr(F, name)(cr.tensor(x))
    theirs = getattr(torch.nn.functional, name)(torch.tensor(x))
    assert ours.dtype == np.float32
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-5, atol=1e-6)


def test_logsigmoid_is_stable() -> None:
    assert F.logsigmoid(cr.tensor([-200.0, 200.0])).tolist() == [-200.0, 0.0]


@pytest.mark.filterwarnings("ignore:reduction. .mean. divides:UserWarning")
@pytest.mark.parametrize("reduction", ["mean", "batchmean", "sum", "none"])
@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div_matches_torch(reduction: str, log_target: bool) -> None:
    rng = np.random.default_rng(2)
    inp = np.log(rng.dirichlet(np.ones(5), size=3))
    tgt = rng.dirichlet(np.ones(5), size=3)
    tgt[0, 1] = 0.0
    if log_target:
        tgt = np.log(tgt + 1e-3)
    ci = cr.tensor(inp, requires_grad=True)
    ti = torch.tensor(inp, requires_grad=True)
    ours = cr.nn.KLDivLoss(reduction=reduction, log_target=log_target)(ci, cr.tensor(tgt))
    theirs = torch.nn.KLDivLoss(reduction=reduction, log_target=log_target)(
        ti, torch.tensor(tgt))
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-10)
    ours.sum().backward()
    theirs.sum().backward()
    np.testing.assert_allclose(ci.grad.numpy(), ti.grad.numpy(), rtol=1e-10)


def test_distances_match_torch() -> None:
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    for dim in (0, 1):
        np.testing.assert_allclose(
            cr.nn.CosineSimilarity(dim=dim)(cr.tensor(a), cr.tensor(b)).numpy(),
            torch.nn.CosineSimilarity(dim=dim)(torch.tensor(a), torch.tensor(b)).numpy(),
            rtol=1e-10)
    for p in (1.0, 2.0):
        np.testing.assert_allclose(
            cr.nn.PairwiseDistance(p=p)(cr.tensor(a), cr.tensor(b)).numpy(),
            torch.nn.PairwiseDistance(p=p)(torch.tensor(a), torch.tensor(b)).numpy(),
            rtol=1e-10)
    assert repr(cr.nn.CosineSimilarity()) == repr(torch.nn.CosineSimilarity())
