"""BatchNorm1d and LayerNorm against torch (float64): outputs, gradients, running stats over
several train steps, eval output; gradchecks of both Functions; errors."""
import numpy as np
import pytest

import chainrule as cr
from chainrule import nn

torch = pytest.importorskip("torch")


def _copy_params(c, t):
    with torch.no_grad():
        for (cn, cp), (tn, tp) in zip(c.named_parameters(), t.named_parameters()):
            assert cn == tn
            tp.copy_(torch.tensor(cp._data))


def _step(c, t, x, rng):
    cx, tx = cr.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    cy, ty = c(cx), t(tx)
    np.testing.assert_allclose(cy._data, ty.detach().numpy(), rtol=1e-10, atol=1e-12)
    g = rng.standard_normal(x.shape)
    cy.backward(cr.tensor(g))
    ty.backward(torch.tensor(g))
    np.testing.assert_allclose(cx.grad._data, tx.grad.numpy(), rtol=1e-9, atol=1e-11)
    for cp, tp in zip(c.parameters(), t.parameters()):
        np.testing.assert_allclose(cp.grad._data, tp.grad.numpy(), rtol=1e-9, atol=1e-11)


@pytest.mark.parametrize("shape", [(8, 3), (4, 3, 5)])
@pytest.mark.parametrize("momentum", [0.1, None])
@pytest.mark.parametrize("affine", [True, False])
def test_batchnorm_training_steps_running_stats_and_eval_match_torch(shape, momentum, affine):
    rng = np.random.default_rng(0)
    c = nn.BatchNorm1d(3, momentum=momentum, affine=affine, dtype=cr.float64)
    t = torch.nn.BatchNorm1d(3, momentum=momentum, affine=affine, dtype=torch.float64)
    if affine:
        with cr.no_grad():
            c.weight.copy_(rng.uniform(0.5, 2, 3))
            c.bias.copy_(rng.standard_normal(3))
        _copy_params(c, t)
    for _ in range(4):
        _step(c, t, rng.standard_normal(shape) * 3 + 1, rng)
    for name, buf in t.named_buffers():
        np.testing.assert_allclose(getattr(c, name)._data, buf.numpy(), rtol=1e-10)
    assert int(c.num_batches_tracked.item()) == 4
    c.eval()
    t.eval()
    _step(c, t, rng.standard_normal(shape), rng)
    assert int(c.num_batches_tracked.item()) == 4
    assert repr(c) == repr(t)


def test_batchnorm_without_running_stats_uses_batch_stats_in_eval():
    rng = np.random.default_rng(1)
    c = nn.BatchNorm1d(2, track_running_stats=False, dtype=cr.float64).eval()
    t = torch.nn.BatchNorm1d(2, track_running_stats=False, dtype=torch.float64).eval()
    _step(c, t, rng.standard_normal((6, 2)), rng)
    assert list(c.state_dict()) == list(t.state_dict()) == ["weight", "bias"]
    assert repr(c) == repr(t)


def test_batchnorm_state_dict_keys_match_torch():
    assert list(nn.BatchNorm1d(4).state_dict()) == list(torch.nn.BatchNorm1d(4).state_dict())


@pytest.mark.parametrize("batch_stats", [True, False])
@pytest.mark.parametrize("shape", [(5, 3), (3, 3, 4)])
def test_batchnorm_gradcheck(batch_stats, shape):
    rng = np.random.default_rng(2)
    x = cr.tensor(rng.standard_normal(shape), requires_grad=True)
    w = cr.tensor(rng.uniform(0.5, 2, 3), requires_grad=True)
    b = cr.tensor(rng.standard_normal(3), requires_grad=True)
    rm, rv = cr.tensor(rng.standard_normal(3)), cr.tensor(rng.uniform(0.5, 2, 3))

    def f(x, w, b):
        return nn.functional.batch_norm(x, rm.clone(), rv.clone(), w, b, training=batch_stats)
    assert cr.gradcheck(f, (x, w, b))


def test_batchnorm_errors_leave_state_unchanged():
    bn = nn.BatchNorm1d(3)
    with pytest.raises(ValueError, match=r"BatchNorm1d\(3, eps=1e-05, momentum=0.1, affine=True, "
                       r"bias=True, track_running_stats=True\): expected input of shape \(N, 3\) "
                       r"or \(N, 3, L\), got shape \(8, 4\)"):
        bn(cr.zeros(8, 4))
    with pytest.raises(ValueError, match="expected more than 1 value per channel when training"):
        bn(cr.zeros(1, 3))
    assert int(bn.num_batches_tracked.item()) == 0
    bn.eval()(cr.zeros(1, 3))  # one sample is fine in eval mode
    with pytest.raises(ValueError, match=r"model\.1 \(BatchNorm1d 3\): expected input of shape"):
        nn.Sequential(nn.Linear(2, 4), nn.BatchNorm1d(3))(cr.zeros(5, 2))


@pytest.mark.parametrize("normalized_shape,shape", [(4, (3, 4)), ((2, 4), (3, 2, 4)),
                                                    (4, (2, 3, 4))])
@pytest.mark.parametrize("affine", [True, False])
def test_layernorm_matches_torch(normalized_shape, shape, affine):
    rng = np.random.default_rng(3)
    c = nn.LayerNorm(normalized_shape, elementwise_affine=affine, dtype=cr.float64)
    t = torch.nn.LayerNorm(normalized_shape, elementwise_affine=affine, dtype=torch.float64)
    if affine:
        with cr.no_grad():
            c.weight.copy_(rng.uniform(0.5, 2, c.weight.shape))
            c.bias.copy_(rng.standard_normal(c.bias.shape))
        _copy_params(c, t)
    _step(c, t, rng.standard_normal(shape) * 2 + 3, rng)
    assert repr(c) == repr(t)


def test_layernorm_gradcheck_and_errors():
    rng = np.random.default_rng(4)
    x = cr.tensor(rng.standard_normal((3, 2, 4)), requires_grad=True)
    w = cr.tensor(rng.uniform(0.5, 2, (2, 4)), requires_grad=True)
    b = cr.tensor(rng.standard_normal((2, 4)), requires_grad=True)
    assert cr.gradcheck(lambda x, w, b: nn.functional.layer_norm(x, (2, 4), w, b), (x, w, b))
    with pytest.raises(ValueError, match=r"LayerNorm\(\(4,\), eps=1e-05, elementwise_affine=True, "
                       r"bias=True\): expected input with trailing shape \(4,\), got shape "
                       r"\(3, 5\)"):
        nn.LayerNorm(4)(cr.zeros(3, 5))
    with pytest.raises(ValueError, match="expected normalized_shape of positive ints"):
        nn.LayerNorm(0)
