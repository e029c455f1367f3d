"""nn.init: moments of large tensors match the formulas, bounds, gains and fans as torch,
generators make draws repeatable, fills are in place."""
import math

import numpy as np
import pytest

import chainrule as cr
from chainrule.nn import init

torch = pytest.importorskip("torch")


def big(*shape):
    return cr.empty(*shape, dtype=cr.float64)


def test_uniform_and_normal_moments():
    g = cr.Generator(0)
    u = init.uniform_(big(400, 500), -2.0, 4.0, generator=g)._data
    assert u.min() >= -2 and u.max() <= 4
    assert abs(u.mean() - 1.0) < 0.02 and abs(u.var() - 36 / 12) < 0.03
    n = init.normal_(big(400, 500), 3.0, 0.5, generator=g)._data
    assert abs(n.mean() - 3.0) < 0.005 and abs(n.std() - 0.5) < 0.005


@pytest.mark.parametrize("shape", [(300, 500), (50, 40, 3, 3)])
def test_xavier_variance(shape):
    t = big(*shape)
    fan_in, fan_out = init._calculate_fan_in_and_fan_out(t)
    var = 2.0 / (fan_in + fan_out)
    u = init.xavier_uniform_(t, generator=cr.Generator(1))._data
    assert abs(u.var() / var - 1) < 0.02 and np.abs(u).max() <= math.sqrt(3 * var)
    n = init.xavier_normal_(big(*shape), gain=2.0, generator=cr.Generator(2))._data
    assert abs(n.var() / (4 * var) - 1) < 0.02


@pytest.mark.parametrize("mode", ["fan_in", "fan_out"])
@pytest.mark.parametrize("nonlinearity,a", [("relu", 0), ("leaky_relu", 0.2), ("tanh", 0)])
def test_kaiming_variance(mode, nonlinearity, a):
    t = big(400, 300)
    fan = 300 if mode == "fan_in" else 400
    var = init.calculate_gain(nonlinearity, a) ** 2 / fan
    u = init.kaiming_uniform_(t, a, mode, nonlinearity, generator=cr.Generator(3))._data
    assert abs(u.var() / var - 1) < 0.02 and np.abs(u).max() <= math.sqrt(3 * var)
    n = init.kaiming_normal_(big(400, 300), a, mode, nonlinearity, cr.Generator(4))._data
    assert abs(n.var() / var - 1) < 0.02


def test_gains_and_fans_match_torch():
    for name, param in [("linear", None), ("sigmoid", None), ("tanh", None), ("relu", None),
                        ("leaky_relu", None), ("leaky_relu", 0.3), ("selu", None),
                        ("conv2d", None)]:
        assert init.calculate_gain(name, param) == pytest.approx(
            torch.nn.init.calculate_gain(name, param))
    for shape in [(3, 4), (5, 2, 3), (6, 4, 3, 2)]:
        assert init._calculate_fan_in_and_fan_out(cr.empty(*shape)) == \
            torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(*shape))


def test_same_generator_seed_same_numbers():
    for fn in (init.uniform_, init.normal_, init.xavier_uniform_, init.xavier_normal_,
               init.kaiming_uniform_, init.kaiming_normal_):
        a = fn(cr.empty(5, 4), generator=cr.Generator(9))._data
        b = fn(cr.empty(5, 4), generator=cr.Generator(9))._data
        c = fn(cr.empty(5, 4), generator=cr.Generator(10))._data
        assert np.array_equal(a, b) and not np.array_equal(a, c)
    cr.manual_seed(5)
    a = init.normal_(cr.empty(3))._data
    cr.manual_seed(5)
    assert np.array_equal(a, init.normal_(cr.empty(3))._data)


def test_fills_in_place_on_parameters_and_keeps_dtype():
    p = cr.nn.Parameter(cr.empty(2, 3))
    arr = p._data
    assert init.constant_(p, 0.5) is p and p._data is arr and (arr == 0.5).all()
    assert init.zeros_(p)._data.sum() == 0 and init.ones_(p)._data.sum() == 6
    assert init.kaiming_uniform_(p).dtype == np.float32 and p.requires_grad and p.grad is None


def test_init_errors():
    with pytest.raises(ValueError, match=r"expected a tensor with at least 2 dimensions to "
                       r"compute fan in and fan out, got shape \(5,\)"):
        init.xavier_uniform_(cr.empty(5))
    with pytest.raises(ValueError, match="expected mode 'fan_in' or 'fan_out', got 'fan'"):
        init.kaiming_normal_(cr.empty(2, 2), mode="fan")
    with pytest.raises(ValueError, match="calculate_gain: expected one of"):
        init.calculate_gain("swish")
    with pytest.raises(ValueError, match="expected a number as negative_slope"):
        init.calculate_gain("leaky_relu", True)
    with pytest.raises(TypeError, match="uniform_: expected a chainrule Tensor, got ndarray"):
        init.uniform_(np.zeros(3))
    with pytest.warns(UserWarning, match="zero-element"):
        init.normal_(cr.empty(0, 3))


def test_trunc_normal_eye_orthogonal_like_torch() -> None:
    w = cr.nn.init.trunc_normal_(cr.empty(20000), mean=0.5, std=1.0, a=-1.0, b=1.5,
                                 generator=cr.Generator(0)).numpy()
    t = torch.nn.init.trunc_normal_(torch.empty(20000), mean=0.5, std=1.0, a=-1.0, b=1.5).numpy()
    assert w.min() >= -1.0 and w.max() <= 1.5 and w.dtype == np.float32
    assert abs(w.mean() - t.mean()) < 0.03 and abs(w.std() - t.std()) < 0.03
    assert cr.nn.init.eye_(cr.empty(2, 3)).tolist() == torch.nn.init.eye_(
        torch.empty(2, 3)).tolist()
    for shape in ((4, 6), (6, 4), (3, 2, 2)):
        q = cr.nn.init.orthogonal_(cr.empty(*shape), gain=2.0).numpy().reshape(shape[0], -1)
        small = min(q.shape)
        gram = q @ q.T if q.shape[0] == small else q.T @ q
        np.testing.assert_allclose(gram, 4.0 * np.eye(small), atol=1e-5)
    with pytest.raises(ValueError, match="2-D"):
        cr.nn.init.eye_(cr.empty(3))
    with pytest.raises(ValueError, match="a < b"):
        cr.nn.init.trunc_normal_(cr.empty(3), a=1.0, b=0.0)
