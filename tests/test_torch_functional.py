"""chainrule's top-level copies of nn.functional with PyTorch's top-level signatures (weight
first in batch_norm, embedding(weight, indices), integer reductions, rrelu's generator),
compared with torch's own top-level functions."""
from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr

torch = pytest.importorskip("torch")
RNG = np.random.default_rng(0)


def _both(x: np.ndarray, grad: bool = True) -> tuple[cr.Tensor, object]:
    return cr.tensor(x, requires_grad=grad), torch.tensor(x, requires_grad=grad)


def _close(a: cr.Tensor, b: object, rtol: float = 1e-10) -> None:
    np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=rtol, atol=1e-12)


@pytest.mark.parametrize("reduction", [0, 1, 2, "sum"])
def test_losses_with_integer_reductions_equal_torchs(reduction: int | str) -> None:
    tr = {"sum": 2}.get(reduction, reduction) if isinstance(reduction, str) else reduction
    x1, x2, x3 = (RNG.standard_normal((5, 3)) for _ in range(3))
    y = np.array([1.0, -1.0, 1.0, -1.0, 1.0])
    p = RNG.random((5, 3))
    counts = RNG.poisson(2.0, (5, 3)).astype(float)
    cases = [
        ("binary_cross_entropy_with_logits", (x1, p), {}),
        ("binary_cross_entropy_with_logits", (x1, p, p + 0.5, np.array([1.0, 2.0, 0.5])), {}),
        ("cosine_embedding_loss", (x1, x2, y), {"margin": 0.2}),
        ("hinge_embedding_loss", (x1[:, 0], y), {"margin": 0.5}),
        ("kl_div", (np.log(p), p[::-1].copy()), {}),
        ("kl_div", (np.log(p), np.log(p[::-1].copy())), {"log_target": True}),
        ("margin_ranking_loss", (x1[:, 0], x2[:, 0], y), {"margin": 0.1}),
        ("poisson_nll_loss", (x1, counts, True, False, 1e-8), {}),
        ("poisson_nll_loss", (p, counts, False, True, 1e-8), {}),
        ("triplet_margin_loss", (x1, x2, x3), {"margin": 0.5, "swap": True}),
    ]
    for name, args, kw in cases:
        ours, theirs = [], []
        for i, a in enumerate(args):
            if isinstance(a, np.ndarray):
                c, t = _both(a, grad=i == 0)
                ours.append(c)
                theirs.append(t)
            else:
                ours.append(a)
                theirs.append(a)
        if name == "poisson_nll_loss":
            cl = getattr(cr, name)(*ours, reduction)
            tl = getattr(torch, name)(*theirs, tr)
        else:
            cl = getattr(cr, name)(*ours, reduction=reduction, **kw)
            tl = getattr(torch, name)(*theirs, reduction=tr, **kw)
        _close(cl, tl)
        cl.sum().backward()
        tl.sum().backward()
        np.testing.assert_allclose(ours[0].grad.numpy(), theirs[0].grad.numpy(), rtol=1e-9,
                                   atol=1e-12, err_msg=name)


def test_bad_integer_reduction() -> None:
    with pytest.raises(ValueError, match=r"kl_div: expected reduction 0 \('none'\), 1"):
        cr.kl_div(cr.zeros(2), cr.ones(2), 3)


@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_takes_weight_first_as_torch(training: bool) -> None:
    x = RNG.standard_normal((6, 3))
    w, b = RNG.random(3) + 0.5, RNG.standard_normal(3)
    cx, tx = _both(x)
    crm, crv = cr.zeros(3, dtype=cr.float64), cr.ones(3, dtype=cr.float64)
    trm, trv = torch.zeros(3, dtype=torch.float64), torch.ones(3, dtype=torch.float64)
    cy = cr.batch_norm(cx, cr.tensor(w), cr.tensor(b), crm, crv, training, 0.2, 1e-5, True)
    ty = torch.batch_norm(tx, torch.tensor(w), torch.tensor(b), trm, trv, training, 0.2, 1e-5,
                          True)
    _close(cy, ty)
    np.testing.assert_allclose(crv.numpy(), trv.numpy(), rtol=1e-12)
    np.testing.assert_allclose(crm.numpy(), trm.numpy(), rtol=1e-12, atol=1e-15)
    (cy * cr.tensor(x)).sum().backward()
    (ty * torch.tensor(x)).sum().backward()
    np.testing.assert_allclose(cx.grad.numpy(), tx.grad.numpy(), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("padding_idx", [-1, 0, 2])
def test_embedding_takes_weight_first_as_torch(padding_idx: int) -> None:
    w = RNG.standard_normal((4, 3))
    idx = np.array([[0, 2, 2], [3, 0, 1]])
    cw, tw = _both(w)
    cy, ty = cr.embedding(cw, cr.tensor(idx), padding_idx), torch.embedding(
        tw, torch.tensor(idx), padding_idx)
    _close(cy, ty)
    cy.sum().backward()
    ty.sum().backward()
    np.testing.assert_allclose(cw.grad.numpy(), tw.grad.numpy())


def test_rms_norm_pdist_prelu_dropout_rrelu_at_the_top_level() -> None:
    x = RNG.standard_normal((4, 3))
    _close(cr.rms_norm(cr.tensor(x), [3], cr.tensor(np.arange(1.0, 4)), 1e-6),
           torch.rms_norm(torch.tensor(x), [3], torch.tensor(np.arange(1.0, 4)), 1e-6))
    _close(cr.pdist(cr.tensor(x), 1.5), torch.pdist(torch.tensor(x), 1.5))
    a = np.array([0.1, 0.2, 0.3])
    _close(cr.prelu(cr.tensor(x), cr.tensor(a)), torch.prelu(torch.tensor(x), torch.tensor(a)))
    _close(cr.rrelu(cr.tensor(x)), torch.rrelu(torch.tensor(x)))
    g = cr.Generator().manual_seed(0)
    y = cr.rrelu(cr.tensor(-np.ones(1000)), 0.1, 0.2, True, g)   # generator is 5th, as torch
    assert 0.1 <= -y.numpy().max() and -y.numpy().min() <= 0.2
    z = cr.tensor(x.copy())
    assert cr.rrelu_(z) is z
    _close(z, torch.rrelu_(torch.tensor(x)))
    d = cr.ones(1000)
    assert cr.dropout_(d, 0.25, True) is d
    vals = sorted(set(d.tolist()))
    assert vals == [0.0, pytest.approx(1 / 0.75)] and 0.2 < (d == 0).float().mean().item() < 0.3
    e = cr.ones(3)
    assert cr.dropout_(e, 0.5, False) is e and e.tolist() == [1.0, 1.0, 1.0]


def test_tensor_prelu_method_matches_torch() -> None:
    x = np.random.default_rng(3).standard_normal((4, 3, 2)).astype(np.float32)
    w = np.array([0.1, -0.2, 0.3], np.float32)
    a, wa = cr.tensor(x, requires_grad=True), cr.tensor(w, requires_grad=True)
    b, wb = torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True)
    out, ref = a.prelu(wa), b.prelu(wb)
    np.testing.assert_allclose(out.numpy(force=True), ref.detach().numpy(), rtol=1e-6)
    out.sum().backward(), ref.sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-6)
    np.testing.assert_allclose(wa.grad.numpy(), wb.grad.numpy(), rtol=1e-5)
