"""nn.utils: gradient clipping as torch (same total norm and coefficient), vectors."""
import numpy as np
import pytest

import chainrule as cr
from chainrule.nn import utils

torch = pytest.importorskip("torch")


def _pairs(rng):
    arrays = [rng.standard_normal((3, 4)), rng.standard_normal(4), rng.standard_normal((2, 2))]
    cs, ts = [], []
    for a in arrays:
        c = cr.nn.Parameter(cr.tensor(a))
        c.grad = cr.tensor(a * 3)
        t = torch.nn.Parameter(torch.tensor(a))
        t.grad = torch.tensor(a * 3)
        cs.append(c)
        ts.append(t)
    return cs, ts


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0, float("inf")])
@pytest.mark.parametrize("max_norm", [0.5, 1e6])
def test_clip_grad_norm_matches_torch(norm_type, max_norm):
    cs, ts = _pairs(np.random.default_rng(0))
    ctotal = utils.clip_grad_norm_(cs, max_norm, norm_type)
    ttotal = torch.nn.utils.clip_grad_norm_(ts, max_norm, norm_type)
    np.testing.assert_allclose(ctotal._data, ttotal.numpy(), rtol=1e-10)
    for c, t in zip(cs, ts):
        np.testing.assert_allclose(c.grad._data, t.grad.numpy(), rtol=1e-10)


def test_clip_grad_norm_edge_cases():
    p = cr.nn.Parameter(cr.ones(2))
    assert utils.clip_grad_norm_(p, 1.0).item() == 0.0  # no gradients yet
    p.grad = cr.tensor([float("inf"), 1.0])
    with pytest.raises(RuntimeError, match="expected a finite total norm of order 2.0, got inf"):
        utils.clip_grad_norm_([p], 1.0, error_if_nonfinite=True)
    q = cr.nn.Parameter(cr.ones(2))
    q.grad = cr.tensor([3.0, 4.0])
    total = utils.clip_grad_norm_(q, 1.0)
    assert total.dtype == np.float32 and total.item() == pytest.approx(5.0)
    assert float(q.grad.norm()) == pytest.approx(1.0, rel=1e-5)


def test_clip_grad_value_matches_torch():
    cs, ts = _pairs(np.random.default_rng(1))
    utils.clip_grad_value_(cs, 0.7)
    torch.nn.utils.clip_grad_value_(ts, 0.7)
    for c, t in zip(cs, ts):
        np.testing.assert_allclose(c.grad._data, t.grad.numpy())


def test_parameters_vector_round_trip():
    model = cr.nn.Linear(3, 2)
    vec = utils.parameters_to_vector(model.parameters())
    tvec = torch.nn.utils.parameters_to_vector(
        [torch.tensor(p._data) for p in model.parameters()])
    np.testing.assert_allclose(vec._data, tvec.numpy())
    weight = model.weight._data
    utils.vector_to_parameters(cr.arange(8.0), model.parameters())
    assert model.weight._data is weight  # copied in place
    assert model.weight.tolist() == [[0, 1, 2], [3, 4, 5]] and model.bias.tolist() == [6, 7]
    with pytest.raises(ValueError, match=r"expected a vector of 8 elements \(the parameters' "
                       r"total\), got shape \(7,\)"):
        utils.vector_to_parameters(cr.zeros(7), model.parameters())
    with pytest.raises(TypeError, match="expected a Tensor, got list"):
        utils.vector_to_parameters([0.0] * 8, model.parameters())


def test_parameters_to_vector_is_differentiable():
    model = cr.nn.Linear(2, 1)
    (utils.parameters_to_vector(model.parameters()) ** 2).sum().backward()
    np.testing.assert_allclose(model.weight.grad._data, 2 * model.weight._data)
