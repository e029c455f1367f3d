"""Losses: values and gradients (input and target) against PyTorch in float64, every
reduction and option; the errors for wrong shapes, dtypes and class indices."""
import numpy as np
import pytest

import chainrule as cr
import chainrule.nn.functional as F

torch = pytest.importorskip("torch")
TF = torch.nn.functional
RTOL = 1e-10
REDUCTIONS = ["mean", "sum", "none"]


def _both(v):
    if isinstance(v, np.ndarray):
        return cr.tensor(v), torch.tensor(v)
    return v, v


def compare(name, x, *args, grad_args=(), **kw):
    """Run F.<name> and torch's with the same float64 data; compare value and gradients
    of the input and of the positional args listed in ``grad_args``."""
    cx, tx = cr.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    cargs, targs = [], []
    for i, a in enumerate(args):
        c, t = _both(a)
        if i in grad_args:
            c.requires_grad_(True)
            t.requires_grad_(True)
        cargs.append(c)
        targs.append(t)
    ckw, tkw = {}, {}
    for k, v in kw.items():
        ckw[k], tkw[k] = _both(v)
    cout = getattr(F, name)(cx, *cargs, **ckw)
    tout = getattr(TF, name)(tx, *targs, **tkw)
    np.testing.assert_allclose(cout._data, tout.detach().numpy(), rtol=RTOL, atol=1e-12)
    g = np.random.default_rng(1).standard_normal(tuple(tout.shape))
    cout.backward(cr.tensor(g))
    tout.backward(torch.tensor(g))
    np.testing.assert_allclose(cx.grad._data, tx.grad.numpy(), rtol=RTOL, atol=1e-12)
    for i in grad_args:
        np.testing.assert_allclose(cargs[i].grad._data, targs[i].grad.numpy(), rtol=RTOL,
                                   atol=1e-12)
    return cout


@pytest.fixture
def rng():
    return np.random.default_rng(0)


# ---- regression -----------------------------------------------------------------------------
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name,kw", [("mse_loss", {}), ("l1_loss", {}),
                                     ("huber_loss", {"delta": 0.7}), ("huber_loss", {}),
                                     ("smooth_l1_loss", {"beta": 0.5}),
                                     ("smooth_l1_loss", {"beta": 0.0}), ("smooth_l1_loss", {})])
def test_regression_losses_match_torch(rng, name, kw, reduction):
    x, y = rng.standard_normal((7, 3)), rng.standard_normal((7, 3))
    compare(name, x, y, grad_args=(0,), reduction=reduction, **kw)


def test_regression_modules_match_functional(rng):
    x, y = cr.tensor(rng.standard_normal(5)), cr.tensor(rng.standard_normal(5))
    pairs = [(cr.nn.MSELoss(), F.mse_loss(x, y)), (cr.nn.L1Loss(reduction="sum"),
             F.l1_loss(x, y, reduction="sum")), (cr.nn.HuberLoss(delta=0.3),
             F.huber_loss(x, y, delta=0.3)), (cr.nn.SmoothL1Loss(beta=2.0),
             F.smooth_l1_loss(x, y, beta=2.0))]
    for module, expected in pairs:
        np.testing.assert_allclose(module(x, y)._data, expected._data, rtol=1e-12)


def test_mse_float32_gives_float32_scalar():
    out = cr.nn.MSELoss()(cr.ones(4, 1), cr.zeros(4, 1))
    assert out.dtype == np.float32 and out.shape == ()


# ---- binary cross-entropy ---------------------------------------------------------------------
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
def test_bce_matches_torch(rng, reduction, weighted):
    p, t = rng.uniform(0.02, 0.98, (6, 4)), rng.uniform(0, 1, (6, 4))
    kw = {"weight": rng.uniform(0.5, 2, (4,))} if weighted else {}
    compare("binary_cross_entropy", p, t, grad_args=(0,), reduction=reduction, **kw)


def test_bce_clamps_log_at_minus_100_as_torch():
    p, t = np.array([0.0, 1.0, 0.5]), np.array([1.0, 0.0, 1.0])
    out = compare("binary_cross_entropy", p, t, reduction="none")
    assert out._data[0] == pytest.approx(100.0) and out._data[1] == pytest.approx(100.0)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("opts", ["none", "weight", "pos_weight", "both"])
def test_bce_with_logits_matches_torch(rng, reduction, opts):
    z, t = rng.standard_normal((5, 3)) * 4, rng.uniform(0, 1, (5, 3))
    kw = {}
    if opts in ("weight", "both"):
        kw["weight"] = rng.uniform(0.5, 2, (5, 1))
    if opts in ("pos_weight", "both"):
        kw["pos_weight"] = rng.uniform(0.5, 3, (3,))
    compare("binary_cross_entropy_with_logits", z, t, grad_args=(0,), reduction=reduction, **kw)


def test_bce_with_logits_is_stable_for_huge_logits():
    z = cr.tensor([1000.0, -1000.0], requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(z, cr.tensor([0.0, 1.0]), reduction="none")
    np.testing.assert_allclose(loss._data, [1000.0, 1000.0])
    loss.sum().backward()
    np.testing.assert_allclose(z.grad._data, [1.0, -1.0])


def test_bce_modules_hold_weights_as_buffers():
    w, pw = cr.tensor([1.0, 2.0]), cr.tensor([3.0, 1.0])
    m = cr.nn.BCEWithLogitsLoss(w, pos_weight=pw)
    assert list(m.state_dict()) == ["weight", "pos_weight"]
    x, t = cr.tensor([[0.3, -0.2]]), cr.tensor([[1.0, 0.0]])
    np.testing.assert_allclose(
        m(x, t)._data, F.binary_cross_entropy_with_logits(x, t, w, pos_weight=pw)._data)
    np.testing.assert_allclose(cr.nn.BCELoss(w)(x.sigmoid(), t)._data,
                               F.binary_cross_entropy(x.sigmoid(), t, w)._data)


def test_bce_accepts_integer_targets_as_floats():
    p = cr.tensor([0.8, 0.3])
    a = F.binary_cross_entropy(p, cr.tensor([1, 0]))
    b = F.binary_cross_entropy(p, cr.tensor([1.0, 0.0]))
    assert a.item() == pytest.approx(b.item())


# ---- cross-entropy and NLL --------------------------------------------------------------------
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("smoothing", [0.0, 0.25])
@pytest.mark.parametrize("ignore", [False, True])
def test_cross_entropy_indices_match_torch(rng, reduction, weighted, smoothing, ignore):
    x, t = rng.standard_normal((8, 5)) * 3, rng.integers(0, 5, 8)
    if ignore:
        t[[1, 6]] = 3
    kw = {"weight": rng.uniform(0.2, 2, 5)} if weighted else {}
    compare("cross_entropy", x, t, reduction=reduction, label_smoothing=smoothing,
            ignore_index=3 if ignore else -100, **kw)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_nd_input_matches_torch(rng, reduction):
    x, t = rng.standard_normal((3, 4, 2, 5)), rng.integers(0, 4, (3, 2, 5))
    t[0, 1, 2] = -100
    compare("cross_entropy", x, t, weight=rng.uniform(0.5, 2, 4), reduction=reduction,
            label_smoothing=0.1)


def test_cross_entropy_unbatched_input_matches_torch(rng):
    compare("cross_entropy", rng.standard_normal(5), np.array(2), reduction="none")
    compare("cross_entropy", rng.standard_normal(5), np.array(4), label_smoothing=0.3)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("smoothing", [0.0, 0.2])
def test_cross_entropy_probabilities_match_torch(rng, reduction, weighted, smoothing):
    x = rng.standard_normal((6, 4))
    p = rng.random((6, 4))
    p /= p.sum(1, keepdims=True)
    kw = {"weight": rng.uniform(0.2, 2, 4)} if weighted else {}
    compare("cross_entropy", x, p, grad_args=(0,), reduction=reduction,
            label_smoothing=smoothing, **kw)


def test_cross_entropy_probabilities_nd(rng):
    x, p = rng.standard_normal((2, 3, 4)), rng.random((2, 3, 4))
    compare("cross_entropy", x, p / p.sum(1, keepdims=True))


def test_cross_entropy_all_ignored_mean_is_nan_as_torch():
    out = compare("cross_entropy", np.zeros((2, 3)), np.array([-100, -100]))
    assert np.isnan(out.item())


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
def test_nll_loss_matches_torch(rng, reduction, weighted):
    x, t = rng.standard_normal((7, 4)), rng.integers(0, 4, 7)
    t[3] = 1
    kw = {"weight": rng.uniform(0.2, 2, 4)} if weighted else {}
    compare("nll_loss", x, t, reduction=reduction, ignore_index=1, **kw)
    compare("nll_loss", rng.standard_normal((2, 4, 3)), rng.integers(0, 4, (2, 3)),
            reduction=reduction, **kw)


def test_cross_entropy_is_log_softmax_then_nll(rng):
    x, t = cr.tensor(rng.standard_normal((5, 3))), cr.tensor(rng.integers(0, 3, 5))
    np.testing.assert_allclose(F.cross_entropy(x, t)._data,
                               F.nll_loss(F.log_softmax(x, 1), t)._data, rtol=1e-6)
    loss = cr.nn.CrossEntropyLoss(label_smoothing=0.1)
    nll = cr.nn.NLLLoss()
    assert loss(x, t).item() > nll(cr.nn.LogSoftmax(1)(x), t).item()


def test_cross_entropy_is_stable_for_huge_logits():
    x = cr.tensor([[1000.0, -1000.0, 0.0]], requires_grad=True)
    loss = cr.nn.CrossEntropyLoss()(x, cr.tensor([1]))
    assert loss.item() == pytest.approx(2000.0)
    loss.backward()
    np.testing.assert_allclose(x.grad._data, [[1.0, -1.0, 0.0]], atol=1e-6)


def test_cross_entropy_module_options():
    w = cr.tensor([1.0, 2.0, 0.5])
    m = cr.nn.CrossEntropyLoss(w, ignore_index=0, reduction="sum", label_smoothing=0.1)
    x, t = cr.tensor([[0.1, 0.2, 0.3], [1.0, 0.0, -1.0]]), cr.tensor([0, 2])
    expected = F.cross_entropy(x, t, w, ignore_index=0, reduction="sum", label_smoothing=0.1)
    assert m(x, t).item() == pytest.approx(expected.item())
    assert list(m.state_dict()) == ["weight"]


# ---- errors -----------------------------------------------------------------------------------
@pytest.mark.parametrize("fn", [F.mse_loss, F.l1_loss, F.huber_loss, F.smooth_l1_loss,
                                F.binary_cross_entropy_with_logits])
def test_shape_mismatch_raises_with_hint(fn):
    with pytest.raises(ValueError, match=r"expected input and target of the same shape, got "
                       r"input \(8, 1\) and target \(8,\); use input\.squeeze\(1\) or "
                       r"target\.view\(-1, 1\)"):
        fn(cr.zeros(8, 1), cr.zeros(8))
    with pytest.raises(ValueError, match=r"got input \(8,\) and target \(8, 1\); use "
                       r"target\.squeeze\(1\) or input\.view\(-1, 1\)"):
        fn(cr.zeros(8), cr.zeros(8, 1))
    with pytest.raises(ValueError, match=r"got input \(2, 3\) and target \(3, 2\); reshape"):
        fn(cr.zeros(2, 3), cr.zeros(3, 2))


def test_module_shape_mismatch_raises():
    with pytest.raises(ValueError, match=r"mse_loss: expected input and target of the same "
                       r"shape, got input \(8, 1\) and target \(8,\)"):
        cr.nn.MSELoss()(cr.zeros(8, 1), cr.zeros(8))


def test_bad_reduction_raises():
    with pytest.raises(ValueError, match="mse_loss: expected reduction 'mean', 'sum' or 'none', "
                       "got 'avg'"):
        F.mse_loss(cr.zeros(2), cr.zeros(2), reduction="avg")
    with pytest.raises(ValueError, match="CrossEntropyLoss: expected reduction"):
        cr.nn.CrossEntropyLoss(reduction="average")


def test_bce_rejects_values_outside_unit_interval():
    with pytest.raises(ValueError, match=r"binary_cross_entropy: expected input probabilities "
                       r"in \[0, 1\], got values in \[-0\.5, 1\.2\]; apply sigmoid first"):
        F.binary_cross_entropy(cr.tensor([-0.5, 1.2]), cr.tensor([0.0, 1.0]))
    with pytest.raises(ValueError, match="BCEWithLogitsLoss"):
        cr.nn.BCELoss()(cr.tensor([2.0]), cr.tensor([1.0]))


def test_bce_weight_must_broadcast():
    with pytest.raises(ValueError, match=r"expected pos_weight broadcastable to the input shape "
                       r"\(4, 3\), got shape \(4,\)"):
        F.binary_cross_entropy_with_logits(cr.zeros(4, 3), cr.zeros(4, 3),
                                           pos_weight=cr.ones(4))


def test_float_class_targets_raise_type_error():
    with pytest.raises(TypeError, match=r"cross_entropy: expected integer class indices \(int64\)"
                       r" for a target of shape \(3,\), got dtype float32; use target\.long\(\)"):
        F.cross_entropy(cr.zeros(3, 4), cr.tensor([0.0, 1.0, 2.0]))
    with pytest.raises(TypeError, match="nll_loss: expected integer class indices"):
        cr.nn.NLLLoss()(cr.zeros(3, 4), cr.tensor([0.0, 1.0, 2.0]))


def test_class_index_out_of_range_raises_index_error():
    with pytest.raises(IndexError, match=r"cross_entropy: expected class indices in \[0, 4\) "
                       r"\(or ignore_index=-100\), got 4"):
        cr.nn.CrossEntropyLoss()(cr.zeros(3, 4), cr.tensor([0, 4, 1]))
    with pytest.raises(IndexError, match=r"got -1"):
        F.cross_entropy(cr.zeros(3, 4), cr.tensor([0, -1, 1]))
    with pytest.raises(IndexError, match=r"nll_loss: expected class indices in \[0, 4\)"):
        F.nll_loss(cr.zeros(3, 4), cr.tensor([0, 7, 1]))


def test_cross_entropy_target_shape_errors():
    with pytest.raises(ValueError, match=r"expected target of shape \(3,\) \(class indices\) or "
                       r"\(3, 4\) \(class probabilities\), got shape \(3, 2\)"):
        F.cross_entropy(cr.zeros(3, 4), cr.zeros(3, 2, dtype=cr.int64))
    with pytest.raises(ValueError, match=r"one-hot targets\? use target\.argmax\(1\)"):
        F.cross_entropy(cr.zeros(3, 4), cr.zeros(3, 4, dtype=cr.int64))
    with pytest.raises(ValueError, match=r"expected weight of shape \(4,\) \(one per class\), "
                       r"got shape \(3,\)"):
        F.cross_entropy(cr.zeros(3, 4), cr.tensor([0, 1, 2]), weight=cr.ones(3))
    with pytest.raises(ValueError, match="expected label_smoothing in"):
        F.cross_entropy(cr.zeros(3, 4), cr.tensor([0, 1, 2]), label_smoothing=1.5)


def test_loss_requires_tensor_input():
    with pytest.raises(TypeError, match="mse_loss: expected input to be a chainrule Tensor, got "
                       "list"):
        F.mse_loss([1.0], cr.tensor([1.0]))


def test_loss_reprs_match_torch():
    pairs = [(cr.nn.CrossEntropyLoss(cr.ones(3)), torch.nn.CrossEntropyLoss(torch.ones(3))),
             (cr.nn.HuberLoss(), torch.nn.HuberLoss()), (cr.nn.MSELoss(), torch.nn.MSELoss()),
             (cr.nn.BCEWithLogitsLoss(pos_weight=cr.ones(2)),
              torch.nn.BCEWithLogitsLoss(pos_weight=torch.ones(2))),
             (cr.nn.NLLLoss(), torch.nn.NLLLoss()), (cr.nn.L1Loss(), torch.nn.L1Loss())]
    for c, t in pairs:
        assert repr(c) == repr(t)
