"""The fused loss Functions pass float64 central-difference gradchecks (input and target)."""
import numpy as np
import pytest

import chainrule as cr
import chainrule.nn.functional as F
from chainrule.ops import loss as L

REDUCTIONS = ["mean", "sum", "none"]


def t64(a, grad=True):
    return cr.tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


@pytest.fixture
def rng():
    return np.random.default_rng(0)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("fn,kw", [(L.MSELoss, {}), (L.L1Loss, {}), (L.HuberLoss, {"delta": 0.5}),
                                   (L.SmoothL1Loss, {"beta": 0.5}),
                                   (L.SmoothL1Loss, {"beta": 0.0})])
def test_regression_gradcheck(rng, fn, kw, reduction):
    x = rng.standard_normal((3, 4))
    y = x + rng.choice([-1, 1], (3, 4)) * rng.uniform(0.05, 1.5, (3, 4))  # away from kinks
    assert cr.gradcheck(lambda a, b: fn.apply(a, b, reduction=reduction, **kw),
                        (t64(x), t64(y)))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_gradcheck(rng, reduction):
    p, t, w = rng.uniform(0.1, 0.9, (3, 2)), rng.uniform(0, 1, (3, 2)), rng.uniform(0.5, 2, (2,))
    assert cr.gradcheck(lambda a, b: L.BCELoss.apply(a, b, weight=w, reduction=reduction),
                        (t64(p), t64(t)))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("pos", [None, np.array([0.5, 3.0])])
def test_bce_with_logits_gradcheck(rng, reduction, pos):
    z, t = rng.standard_normal((3, 2)) * 3, rng.uniform(0, 1, (3, 2))
    w = rng.uniform(0.5, 2, (3, 1))
    assert cr.gradcheck(
        lambda a, b: L.BCEWithLogitsLoss.apply(a, b, weight=w, pos_weight=pos,
                                               reduction=reduction), (t64(z), t64(t)))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("smoothing", [0.0, 0.3])
def test_cross_entropy_gradcheck(rng, reduction, weighted, smoothing):
    x, t = rng.standard_normal((5, 4)), np.array([0, 3, -100, 1, 3])
    w = rng.uniform(0.2, 2, 4) if weighted else None
    assert cr.gradcheck(
        lambda a: L.CrossEntropyLoss.apply(a, t, weight=w, reduction=reduction,
                                           label_smoothing=smoothing), (t64(x),))


def test_cross_entropy_nd_and_unbatched_gradcheck(rng):
    x, t = rng.standard_normal((2, 3, 4)), rng.integers(0, 3, (2, 4))
    assert cr.gradcheck(lambda a: L.CrossEntropyLoss.apply(a, t, label_smoothing=0.1),
                        (t64(x),))
    assert cr.gradcheck(lambda a: L.CrossEntropyLoss.apply(a, np.array(2)), (t64(x[0, :, 0]),))


def test_cross_entropy_probability_targets_gradcheck(rng):
    x, p = rng.standard_normal((3, 4)), rng.random((3, 4))
    p /= p.sum(1, keepdims=True)
    assert cr.gradcheck(lambda a, b: F.cross_entropy(a, b, weight=cr.tensor([1.0, 2, 1, 0.5]),
                                                     label_smoothing=0.2), (t64(x), t64(p)))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_nll_gradcheck(rng, reduction):
    x, t = rng.standard_normal((4, 3)), np.array([2, 0, 1, 1])
    w = rng.uniform(0.5, 2, 3)
    assert cr.gradcheck(
        lambda a: L.NLLLoss.apply(a, t, weight=w, ignore_index=0, reduction=reduction),
        (t64(x),))


def test_cross_entropy_backward_twice_raises_without_retain():
    x = t64(np.zeros((2, 3)))
    loss = L.CrossEntropyLoss.apply(x, np.array([0, 1]))
    loss.backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        loss.backward()
