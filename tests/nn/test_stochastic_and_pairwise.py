"""RReLU, FeatureAlphaDropout, gumbel_softmax, pdist and MultiLabelMarginLoss beside PyTorch:
deterministic parts equal torch's values and gradients; random parts by their distributions."""
from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
import chainrule.nn.functional as F

torch = pytest.importorskip("torch")
TF = torch.nn.functional


def _pair(x: np.ndarray) -> tuple[cr.Tensor, object]:
    return cr.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)


# ---- rrelu ------------------------------------------------------------------------------------
@pytest.mark.parametrize("lower, upper", [(1 / 8, 1 / 3), (0.0, 0.5), (0.2, 0.2)])
def test_rrelu_eval_equals_torch(lower: float, upper: float) -> None:
    x = np.array([[-2.0, -0.5, 0.0, 0.3, 4.0], [1.0, -1e-3, -7.0, 2.0, -0.1]])
    cx, tx = _pair(x)
    cy, ty = F.rrelu(cx, lower, upper), TF.rrelu(tx, lower, upper)
    np.testing.assert_allclose(cy.detach().numpy(), ty.detach().numpy(), rtol=1e-12)
    (cy * cr.tensor(x)).sum().backward()
    (ty * torch.tensor(x)).sum().backward()
    np.testing.assert_allclose(cx.grad.numpy(), tx.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(cr.rrelu(cr.tensor(x), lower, upper).detach().numpy(),
                               torch.rrelu(torch.tensor(x), lower, upper).numpy(), rtol=1e-12)
    m, tm = cr.nn.RReLU(lower, upper).eval(), torch.nn.RReLU(lower, upper).eval()
    np.testing.assert_allclose(m(cr.tensor(x)).numpy(), tm(torch.tensor(x)).numpy(), rtol=1e-12)
    assert repr(m) == repr(tm)


def test_rrelu_training_slopes_are_uniform_and_the_gradient_is_the_slope() -> None:
    x = cr.tensor(-np.linspace(0.0, 3.0, 20000) + 1.0, requires_grad=True)
    y = F.rrelu(x, 0.1, 0.3, training=True, generator=cr.Generator().manual_seed(0))
    y.sum().backward()
    xs, ys, g = x.detach().numpy(), y.detach().numpy(), x.grad.numpy()
    pos = xs > 0
    assert np.array_equal(ys[pos], xs[pos]) and np.all(g[pos] == 1)
    slopes = g[~pos]
    assert slopes.min() >= 0.1 and slopes.max() <= 0.3
    assert abs(slopes.mean() - 0.2) < 0.003 and abs(slopes.std() - 0.2 / 12 ** 0.5) < 0.003
    neg = ~pos & (xs < 0)
    np.testing.assert_allclose(ys[neg] / xs[neg], slopes[neg[~pos]], rtol=1e-12)
    assert len(np.unique(slopes)) > 1000                     # one draw per element
    # torch samples the same law: compare quantiles of its slopes
    tx = torch.full((20000,), -1.0, dtype=torch.float64)
    ts = -TF.rrelu(tx, 0.1, 0.3, training=True).detach().numpy()
    q = [0.1, 0.5, 0.9]
    np.testing.assert_allclose(np.quantile(slopes, q), np.quantile(ts, q), atol=0.01)


def test_rrelu_module_training_mode_and_in_place_versions() -> None:
    m = cr.nn.RReLU(0.1, 0.3)
    cr.manual_seed(1)
    a = m(cr.full((1000,), -1.0))
    assert len(set(a.tolist())) > 100 and -0.3 <= min(a.tolist()) and max(a.tolist()) <= -0.1
    cr.manual_seed(1)
    assert m(cr.full((1000,), -1.0)).tolist() == a.tolist()   # the library's generator
    x = cr.tensor([-1.0, 2.0])
    out = F.rrelu_(x, 0.1, 0.3)
    assert out is x and x.tolist() == pytest.approx([-0.2, 2.0])
    y = cr.tensor([-1.0, 2.0])
    assert cr.rrelu_(y, 0.1, 0.3, True, cr.Generator().manual_seed(0)) is y
    assert -0.3 <= y.tolist()[0] <= -0.1 and y.tolist()[1] == 2.0
    x3 = cr.tensor([-1.0])
    assert F.rrelu(x3, inplace=True) is x3
    with pytest.raises(ValueError, match="rrelu: expected lower <= upper"):
        F.rrelu(cr.ones(2), 0.5, 0.1)
    with pytest.raises(ValueError, match="RReLU: expected lower <= upper"):
        cr.nn.RReLU(0.5, 0.1)


# ---- feature alpha dropout --------------------------------------------------------------------
def test_feature_alpha_dropout_values_like_torch() -> None:
    # torch on ones: two values only, per channel; the same pair of values here
    tvals = np.unique(TF.feature_alpha_dropout(torch.ones(400, 3, 2), 0.3, True).detach().numpy())
    y = F.feature_alpha_dropout(cr.ones(400, 3, 2), 0.3, True).detach().numpy()
    np.testing.assert_allclose(np.unique(y), tvals, rtol=1e-6)
    assert np.all(y[:, :, 0] == y[:, :, 1])                    # whole channels
    np.testing.assert_allclose(F.feature_alpha_dropout(cr.ones(2, 3), 1.0, True).detach().numpy(),
                               TF.feature_alpha_dropout(torch.ones(2, 3), 1.0, True).numpy())
    x = cr.ones(2, 3)
    assert F.feature_alpha_dropout(x, 0.3, False) is x
    assert F.feature_alpha_dropout(x, 0.0, True) is x
    m, tm = cr.nn.FeatureAlphaDropout(0.2), torch.nn.FeatureAlphaDropout(0.2)
    assert repr(m) == repr(tm) and m.eval()(x) is x


def test_feature_alpha_dropout_keeps_selu_statistics_and_gradient() -> None:
    g = cr.Generator().manual_seed(0)
    x = cr.tensor(np.random.default_rng(0).standard_normal((4000, 8, 5)), requires_grad=True)
    y = F.feature_alpha_dropout(x, 0.25, True, generator=g)
    yn = y.detach().numpy()
    assert abs(yn.mean()) < 0.03 and abs(yn.std() - 1.0) < 0.03  # mean 0, variance 1 kept
    dropped = np.all(yn == yn[:, :, :1], axis=2) & (np.ptp(x.detach().numpy(), axis=2) > 0)
    assert abs(dropped.mean() - 0.25) < 0.01
    y.sum().backward()
    a = 1 / np.sqrt((1.7580993408473766 ** 2 * 0.25 + 1) * 0.75)
    expected = np.broadcast_to(np.where(dropped[:, :, None], 0.0, a), x.shape)
    np.testing.assert_allclose(x.grad.numpy(), expected, rtol=1e-12)
    with pytest.raises(ValueError, match=r"at least 2 dimensions \(N, C, \*\), got shape \(3,\)"):
        F.feature_alpha_dropout(cr.ones(3), 0.5, True)
    with pytest.raises(ValueError, match="expected p in"):
        cr.nn.FeatureAlphaDropout(1.5)


# ---- gumbel softmax ---------------------------------------------------------------------------
def test_gumbel_softmax_soft_samples_are_distributions_with_the_gumbel_law() -> None:
    cr.manual_seed(0)
    logits = cr.tensor([[1.0, 0.0, -1.0, 2.0]]).expand(20000, 4)
    y = F.gumbel_softmax(logits, tau=0.5).detach().numpy()
    assert y.shape == (20000, 4) and np.all(y >= 0)
    np.testing.assert_allclose(y.sum(1), 1.0, rtol=1e-6)
    # argmax of a Gumbel-perturbed softmax is a categorical sample of softmax(logits)
    freq = np.bincount(y.argmax(1), minlength=4) / len(y)
    p = np.exp([1.0, 0.0, -1.0, 2.0]) / np.exp([1.0, 0.0, -1.0, 2.0]).sum()
    np.testing.assert_allclose(freq, p, atol=0.012)
    # same law as torch: compare the mean of the soft samples
    torch.manual_seed(0)
    ty = TF.gumbel_softmax(torch.tensor([[1.0, 0.0, -1.0, 2.0]]).expand(20000, 4), tau=0.5)
    np.testing.assert_allclose(y.mean(0), ty.detach().numpy().mean(0), atol=0.012)
    # a lower temperature gives sharper samples
    cold = F.gumbel_softmax(logits, tau=0.1).detach().numpy()
    assert cold.max(1).mean() > y.max(1).mean() > 0.5


def test_gumbel_softmax_hard_is_one_hot_with_the_soft_gradient() -> None:
    logits_np = np.random.default_rng(0).standard_normal((6, 5))
    w = cr.tensor(np.random.default_rng(1).standard_normal((6, 5)))
    x1 = cr.tensor(logits_np, requires_grad=True)
    y = F.gumbel_softmax(x1, tau=0.7, hard=True, dim=1, generator=cr.Generator().manual_seed(3))
    assert set(np.unique(y.detach().numpy())) == {0.0, 1.0}
    np.testing.assert_array_equal(y.detach().numpy().sum(1), 1.0)
    (y * w).sum().backward()
    x2 = cr.tensor(logits_np, requires_grad=True)
    soft = F.gumbel_softmax(x2, tau=0.7, dim=1, generator=cr.Generator().manual_seed(3))
    assert np.array_equal(y.detach().numpy().argmax(1), soft.detach().numpy().argmax(1))
    (soft * w).sum().backward()
    np.testing.assert_allclose(x1.grad.detach().numpy(), x2.grad.detach().numpy(), rtol=1e-12)
    # and that gradient is the softmax Jacobian at the sampled point, as torch's
    s = soft.detach().numpy() / 1.0
    expected = s * (w.detach().numpy() - (s * w.detach().numpy()).sum(1, keepdims=True)) / 0.7
    np.testing.assert_allclose(x2.grad.detach().numpy(), expected, rtol=1e-10)
    y0 = F.gumbel_softmax(cr.zeros(3, 4), hard=True, dim=0)
    np.testing.assert_array_equal(y0.detach().numpy().sum(0), 1.0)


# ---- pdist ------------------------------------------------------------------------------------
@pytest.mark.parametrize("p", [2.0, 1.0, 3.0, 0.5, 0.0, float("inf")])
def test_pdist_values_and_gradients_equal_torch(p: float) -> None:
    x = np.random.default_rng(0).standard_normal((6, 4))
    x[3] = x[1]                          # a zero distance (gradient 0 there, as torch)
    x[4, 2] = x[0, 2]                    # a zero coordinate difference
    cx, tx = _pair(x)
    cy, ty = F.pdist(cx, p), TF.pdist(tx, p)
    np.testing.assert_allclose(cy.detach().numpy(), ty.detach().numpy(), rtol=1e-10, atol=1e-12)
    w = np.arange(1, 16, dtype=float)
    (cy * cr.tensor(w)).sum().backward()
    (ty * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(cx.grad.numpy(), tx.grad.numpy(), rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(cr.pdist(cr.tensor(x), p).detach().numpy(),
                               torch.pdist(torch.tensor(x), p).detach().numpy(), rtol=1e-10)


def test_pdist_checks_and_float32() -> None:
    y = F.pdist(cr.ones(3, 2))
    assert y.dtype == cr.float32 and tuple(y.shape) == (3,)
    assert tuple(F.pdist(cr.ones(1, 2)).shape) == (0,)
    with pytest.raises(ValueError, match=r"pdist: expected a 2-D input \(N, M\), got shape \(3,\)"):
        F.pdist(cr.ones(3))
    with pytest.raises(ValueError, match="pdist: expected p >= 0, got -1"):
        F.pdist(cr.ones(3, 2), -1)


# ---- multilabel margin loss ---------------------------------------------------------------------
TARGETS = [[3, 0, -1, 1], [3, 3, -1, 1], [-1, 3, 0, 1], [0, 1, 2, 3], [2, -1, -1, -1]]


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_multilabel_margin_loss_equals_torch(reduction: str) -> None:
    x = np.random.default_rng(0).standard_normal((5, 4))
    t = np.array(TARGETS)
    cx, tx = _pair(x)
    cl = F.multilabel_margin_loss(cx, cr.tensor(t), reduction=reduction)
    tl = TF.multilabel_margin_loss(tx, torch.tensor(t), reduction=reduction)
    np.testing.assert_allclose(cl.detach().numpy(), tl.detach().numpy(), rtol=1e-12)
    w = np.arange(1, 6.0) if reduction == "none" else 1.0
    (cl * cr.tensor(w)).sum().backward()
    (tl * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(cx.grad.numpy(), tx.grad.numpy(), rtol=1e-12, atol=1e-15)
    m, tm = cr.nn.MultiLabelMarginLoss(reduction=reduction), torch.nn.MultiLabelMarginLoss(
        reduction=reduction)
    np.testing.assert_allclose(m(cr.tensor(x), cr.tensor(t)).detach().numpy(),
                               tm(torch.tensor(x), torch.tensor(t)).detach().numpy(), rtol=1e-12)
    assert repr(m) == repr(tm)
    # one sample as a vector
    for i in range(5):
        a = F.multilabel_margin_loss(cr.tensor(x[i]), cr.tensor(t[i]), reduction=reduction)
        b = TF.multilabel_margin_loss(torch.tensor(x[i]), torch.tensor(t[i]),
                                      reduction=reduction)
        assert tuple(a.shape) == tuple(b.shape)
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-12)


def test_multilabel_margin_loss_errors() -> None:
    x = cr.zeros(1, 4)
    with pytest.raises(IndexError, match=r"expected target classes in \[0, 3\].*got 4"):
        F.multilabel_margin_loss(x, cr.tensor([[4, 0, -1, 1]]))
    F.multilabel_margin_loss(x, cr.tensor([[1, -1, 7, 9]]))     # after -1: ignored, as torch
    with pytest.raises(ValueError, match=r"expected target of the input's shape \(1, 4\)"):
        F.multilabel_margin_loss(x, cr.tensor([[3, 0, -1]]))
    with pytest.raises(ValueError, match=r"expected input of shape \(C\) or \(N, C\)"):
        F.multilabel_margin_loss(cr.zeros(2, 3, 4), cr.zeros(2, 3, 4).long())
    with pytest.raises(TypeError, match="expected an integer target"):
        F.multilabel_margin_loss(x, cr.zeros(1, 4))
    with pytest.raises(ValueError, match="expected reduction"):
        F.multilabel_margin_loss(x, cr.tensor([[1, -1, 0, 0]]), reduction="avg")
