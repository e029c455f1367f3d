"""The functions without a gradient (sorting, searching, counting, comparing, one_hot) and the
keyword / ``out=`` forms, each compared with PyTorch: values, dtypes, shapes, errors."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

import chainrule as cr

torch = pytest.importorskip("torch")

X = [[0.5, -1.5, 2.0], [3.0, 0.0, -0.25]]
XN = [[float("nan"), float("inf"), -float("inf")], [1.0, 0.0, -2.5]]
XP = [[0.5, 1.5, 2.0], [3.0, 0.75, 0.25]]
I = [3, 1, 3, 0, 2, 2, 2]
# name -> (call with m = the module, input data, input dtype name or None)
CASES: dict[str, tuple[Callable[..., Any], Any, str | None]] = {
    "argsort": (lambda m, x: m.argsort(x), X, None),
    "argsort-desc-dim0": (lambda m, x: m.argsort(x, dim=0, descending=True), X, None),
    "sort-indices": (lambda m, x: m.sort(x, 1).indices, X, None),
    "topk-indices": (lambda m, x: m.topk(x, 2, largest=False).indices, X, None),
    "unique": (lambda m, x: m.unique(x), I, None),
    "unique-inverse-counts": (lambda m, x: m.unique(x, return_inverse=True, return_counts=True),
                              I, None),
    "unique-2d": (lambda m, x: m.unique(x), [[2, 1], [1, 5]], None),
    "bincount": (lambda m, x: m.bincount(x), I, None),
    "bincount-minlength": (lambda m, x: m.bincount(x, minlength=7), I, None),
    "bincount-weights": (lambda m, x: m.bincount(x, m.linspace(0, 1, 7)), I, None),
    "bincount-weights64": (lambda m, x: m.bincount(x, m.linspace(0, 1, 7, dtype=m.float64)), I,
                           None),
    "histc": (lambda m, x: m.histc(x, bins=4, min=-2, max=3), X, None),
    "histc-auto-range": (lambda m, x: m.histc(x, bins=5), X, None),
    "histogram": (lambda m, x: tuple(m.histogram(x, bins=4)), X, None),
    "histogram-range": (lambda m, x: tuple(m.histogram(x, 3, range=(0.0, 3.0))), X, None),
    "isclose": (lambda m, x: m.isclose(x, x + 1e-7), X, None),
    "isclose-atol": (lambda m, x: m.isclose(x, m.zeros(3), atol=0.6), X, None),
    "all": (lambda m, x: m.all(x > -2), X, None),
    "all-dim": (lambda m, x: m.all(x > -1, dim=1), X, None),
    "any-keepdim": (lambda m, x: m.any(x > 2.5, 0, keepdim=True), X, None),
    "Tensor.all": (lambda m, x: (x > 0).all(), X, None),
    "Tensor.any-dim": (lambda m, x: (x > 0).any(1), X, None),
    "all-uint8": (lambda m, x: m.all(x), [1, 2], "uint8"),
    "nonzero": (lambda m, x: m.nonzero(x), X, None),
    "nonzero-tuple": (lambda m, x: m.nonzero(x, as_tuple=True), X, None),
    "where-1arg": (lambda m, x: m.where(x > 0), X, None),
    "count_nonzero": (lambda m, x: m.count_nonzero(x), X, None),
    "count_nonzero-dim": (lambda m, x: m.count_nonzero(x, dim=0), X, None),
    "one_hot": (lambda m, x: (m.nn.functional if m is torch else m).one_hot(x), I, None),
    "one_hot-classes": (lambda m, x: (m.nn.functional if m is torch else m).one_hot(x, 6),
                        [[0, 1], [5, 2]], None),
    "cumsum-int": (lambda m, x: m.cumsum(x, 0), I, None),
    "cumsum-bool": (lambda m, x: m.cumsum(x > 2, 0), I, None),
    "cumsum-dtype": (lambda m, x: m.cumsum(x, 1, dtype=m.float64), X, None),
    "Tensor.unique": (lambda m, x: x.unique(), I, None),
    "Tensor.bincount": (lambda m, x: x.bincount(), I, None),
    "Tensor.histc": (lambda m, x: x.histc(3), X, None),
    "Tensor.argsort": (lambda m, x: x.argsort(descending=True), X, None),
    "Tensor.nonzero": (lambda m, x: x.nonzero(), X, None),
    "Tensor.isclose": (lambda m, x: x.isclose(x), X, None),
    "Tensor.count_nonzero": (lambda m, x: x.count_nonzero(), X, None),
    "div-floor": (lambda m, x: m.div(x, 0.7, rounding_mode="floor"), X, None),
    "div-trunc": (lambda m, x: m.div(x, -0.7, rounding_mode="trunc"), X, None),
    "log10-int": (lambda m, x: m.log10(x + 1), I, None),
    "ceil": (lambda m, x: m.ceil(x), X, None),
    "trunc": (lambda m, x: m.trunc(x), X, None),
    "fix": (lambda m, x: m.fix(x), X, None),
    "floor_divide": (lambda m, x: m.floor_divide(x, 0.7), X, None),
    "floor_divide-int": (lambda m, x: m.floor_divide(x, 2), I, None),
    "greater": (lambda m, x: m.greater(x, 0.5), X, None),
    "greater_equal": (lambda m, x: m.greater_equal(x, 0.5), X, None),
    "less": (lambda m, x: m.less(x, 0.5), X, None),
    "less_equal": (lambda m, x: m.less_equal(x, 0.5), X, None),
    "not_equal": (lambda m, x: m.not_equal(x, 0.5), X, None),
    "isnan": (lambda m, x: m.isnan(x), XN, None),
    "isinf": (lambda m, x: m.isinf(x), XN, None),
    "isfinite": (lambda m, x: m.isfinite(x), XN, None),
    "isposinf": (lambda m, x: m.isposinf(x), XN, None),
    "isneginf": (lambda m, x: m.isneginf(x), XN, None),
    "signbit": (lambda m, x: m.signbit(x), X, None),
    "logical_not": (lambda m, x: m.logical_not(x), X, None),
    "logical_and": (lambda m, x: m.logical_and(x, x > 1), X, None),
    "logical_or": (lambda m, x: m.logical_or(x > 2, x < 0), X, None),
    "logical_xor": (lambda m, x: m.logical_xor(x > 0, x > 1), X, None),
    "isin": (lambda m, x: m.isin(x, m.tensor([1, 2])), I, None),
    "Tensor.isnan": (lambda m, x: x.isnan(), XN, None),
    "Tensor.ceil": (lambda m, x: x.ceil(), X, None),
    "Tensor.logical_not": (lambda m, x: x.logical_not(), X, None),
    "Tensor.greater": (lambda m, x: x.greater(0), X, None),
    "tril_indices": (lambda m, x: m.tril_indices(3, 4, 1), X, None),
    "triu_indices": (lambda m, x: m.triu_indices(4, 3, -1), X, None),
    "cartesian_prod": (lambda m, x: m.cartesian_prod(x[0], x[1][:2]), X, None),
    "combinations": (lambda m, x: m.combinations(x[0], 2), X, None),
    "combinations-repl": (lambda m, x: m.combinations(x[1], 2, with_replacement=True), X, None),
    "block_diag": (lambda m, x: m.block_diag(x, x[:1, :2]), X, None),
    "logspace": (lambda m, x: m.logspace(0, 2, 5), X, None),
    "logspace-base": (lambda m, x: m.logspace(-1, 1, 3, base=2.0, dtype=m.float64), X, None),
    "new_zeros": (lambda m, x: x.new_zeros(2, 3), X, None),
    "new_ones": (lambda m, x: x.new_ones((1, 2), dtype=m.int64), X, None),
    "new_full": (lambda m, x: x.new_full((2,), 7), I, None),
    "new_tensor": (lambda m, x: x.new_tensor([1, 2]), X, None),
    "reshape_as": (lambda m, x: x.reshape_as(x.T), X, None),
    "contiguous": (lambda m, x: x.T.contiguous(), X, None),
    "argwhere": (lambda m, x: m.argwhere(x), X, None),
    "heaviside": (lambda m, x: m.heaviside(x, m.tensor(0.5)), X, None),
    "gcd": (lambda m, x: m.gcd(x, m.tensor([2, 4, 6, 3, 9, 8, 1])), I, None),
    "lcm": (lambda m, x: m.lcm(x, m.tensor(4)), I, None),
    "bitwise_and": (lambda m, x: m.bitwise_and(x, m.tensor(2)), I, None),
    "bitwise_or": (lambda m, x: m.bitwise_or(x, m.tensor(4)), I, None),
    "bitwise_xor": (lambda m, x: m.bitwise_xor(x, x), I, None),
    "bitwise_not": (lambda m, x: m.bitwise_not(x), I, None),
    "bitwise_not-bool": (lambda m, x: m.bitwise_not(x > 1), I, None),
    "bitwise_left_shift": (lambda m, x: m.bitwise_left_shift(x, m.tensor(2)), I, None),
    "bitwise_right_shift": (lambda m, x: m.bitwise_right_shift(x, m.tensor(1)), I, None),
    "searchsorted": (lambda m, x: m.searchsorted(m.tensor([0.0, 1.0, 2.5]), x), X, None),
    "searchsorted-right": (lambda m, x: m.searchsorted(m.tensor([0.0, 0.5, 2.0]), x,
                                                       right=True), X, None),
    "searchsorted-rows": (lambda m, x: m.searchsorted(m.tensor([[0.0, 1.0], [-1.0, 3.0]]), x),
                          X, None),
    "bucketize": (lambda m, x: m.bucketize(x, m.tensor([0.0, 1.0, 2.5])), X, None),
    "bucketize-right-int32": (lambda m, x: m.bucketize(x, m.tensor([0.0, 0.5, 2.0]), right=True,
                                                       out_int32=True), X, None),
    "unique_consecutive": (lambda m, x: m.unique_consecutive(x, return_inverse=True,
                                                             return_counts=True),
                           [1, 1, 2, 2, 2, 1, 3, 3], None),
    "Tensor.unique_consecutive": (lambda m, x: x.unique_consecutive(), [1, 1, 2, 1], None),
    "Tensor.gcd": (lambda m, x: x.gcd(m.tensor(6)), I, None),
    "Tensor.argwhere": (lambda m, x: x.argwhere(), X, None),
    "torch.relu_": (lambda m, x: m.relu_(x.clone()), X, None),
    "torch.exp_": (lambda m, x: m.exp_(x.clone()), X, None),
    "torch.zero_": (lambda m, x: m.zero_(x.clone()), X, None),
    "torch.clamp_": (lambda m, x: m.clamp_(x.clone(), -1, 1), X, None),
    "Tensor.unsqueeze_": (lambda m, x: x.clone().unsqueeze_(1), X, None),
    "Tensor.squeeze_": (lambda m, x: x[:1].clone().squeeze_(0), X, None),
    "Tensor.t_": (lambda m, x: x.clone().t_(), X, None),
    "Tensor.transpose_": (lambda m, x: x.clone().transpose_(0, 1), X, None),
    "Tensor.eq_": (lambda m, x: x.clone().eq_(0.5), X, None),
    "Tensor.addcmul_": (lambda m, x: x.clone().addcmul_(x, x, value=2), X, None),
    "Tensor.fill_diagonal_": (lambda m, x: x.clone().fill_diagonal_(7.0), X, None),
    "Tensor.cumprod_": (lambda m, x: x.clone().cumprod_(1), X, None),
    "Tensor.bitwise_and_": (lambda m, x: x.clone().bitwise_and_(m.tensor(3)), I, None),
    "concat": (lambda m, x: m.concat([x, x[:1]]), X, None),
    "fill": (lambda m, x: m.fill(x, 2.5), X, None),
    "unravel_index": (lambda m, x: m.unravel_index(x, (2, 4)), [7, 0, 5], None),
    "Tensor.sum_to_size": (lambda m, x: x.sum_to_size(1, 3), X, None),
    "Tensor.histogram": (lambda m, x: tuple(x.histogram(3)), X, None),
    "dropout-p0": (lambda m, x: m.dropout(x, 0.0, True), X, None),
}


def test_small_predicates_as_torch() -> None:
    x, t = cr.tensor(X), torch.tensor(X)
    assert cr.is_same_size(x, x * 2) == torch.is_same_size(t, t * 2) is True
    assert cr.is_signed(x) == torch.is_signed(t) and cr.get_device(x) == torch.get_device(t)
    for v in (x, t):
        w = v.clone().requires_grad_()
        y = w * 2
        y.retain_grad()
        assert y.retains_grad and not (w * 3).retains_grad


@pytest.mark.parametrize("name", ["abs", "neg", "exp", "exp2", "expm1", "log1p", "sqrt", "sin",
                                  "cos", "tan", "sinh", "tanh", "atan", "sigmoid", "relu",
                                  "floor", "ceil", "round", "trunc", "frac", "reciprocal",
                                  "square", "sign", "erf", "tril", "triu"])
def test_in_place_methods_as_torch(name: str) -> None:
    x, t = cr.tensor(XP), torch.tensor(XP)
    keep = x.numpy()
    assert getattr(x, name + "_")() is x and x.numpy() is keep
    getattr(t, name + "_")()
    np.testing.assert_allclose(x.numpy(), t.numpy(), rtol=1e-6)
    w = cr.tensor(XP, requires_grad=True)
    with pytest.raises(RuntimeError, match="in-place"):
        getattr(w, name + "_")()


def test_in_place_methods_with_arguments_as_torch() -> None:
    x, t = cr.tensor(X), torch.tensor(X)
    for m in (x, t):
        m.pow_(2).clamp_min_(0.3).clamp_max_(4.0).lerp_(m * 0 + 1, 0.5).fmod_(0.7)
        m.scatter_(1, (cr if m is x else torch).tensor([[0], [2]]), -1.0)
        m.cumsum_(1)
    np.testing.assert_allclose(x.numpy(), t.numpy(), rtol=1e-6, atol=1e-6)
    with pytest.raises(RuntimeError, match="can't be cast"):
        cr.tensor([1, 2]).exp_()
    with pytest.raises(RuntimeError):
        torch.tensor([1, 2]).exp_()


def test_constants_dtypes_and_predicates_as_torch() -> None:
    for n in ("e", "pi", "inf"):
        assert getattr(cr, n) == getattr(torch, n)
    assert np.isnan(cr.nan) and cr.newaxis is torch.newaxis is None
    for n in ("int8", "int16", "int32", "int64", "uint8", "float16", "float32", "float64", "int",
              "short", "long", "half", "float", "double", "bool"):
        assert getattr(cr, n) == torch.empty(0, dtype=getattr(torch, n)).numpy().dtype, n
    assert isinstance(cr.float32, cr.dtype)
    x, t = cr.tensor(X), torch.tensor(X)
    for m, v in ((cr, x), (torch, t)):
        assert m.is_tensor(v) and not m.is_tensor(X) and m.is_floating_point(v)
        assert m.is_nonzero(m.tensor([1.5])) and v.is_signed()
        assert v.is_contiguous() and not v.T.is_contiguous() and v.ndimension() == 2
        assert v.is_same_size(v * 2) and not v.is_same_size(v[0])
    assert cr.typename(x) == "chainrule.FloatTensor" and torch.typename(t) == "torch.FloatTensor"
    assert cr.broadcast_shapes((2, 1), (3,)) == torch.broadcast_shapes((2, 1), (3,)) == (2, 3)
    cr.use_deterministic_algorithms(True)
    assert cr.are_deterministic_algorithms_enabled()
    cr.use_deterministic_algorithms(False)
    assert cr.asarray([1.0]).dtype == np.float32 and cr.detach(x) is not x


def test_set_printoptions_as_torch() -> None:
    data = [1.23456, 100.5, -0.5]
    try:
        for opts in (dict(precision=2), dict(precision=6), dict(profile="short")):
            cr.set_printoptions(**opts)
            torch.set_printoptions(**opts)
            assert repr(cr.tensor(data)) == repr(torch.tensor(data)), opts
    finally:
        cr.set_printoptions(profile="default")
        torch.set_printoptions(profile="default")


def _tensors(out: Any) -> list[Any]:
    return list(out) if isinstance(out, (tuple, list)) else [out]


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_torch(name: str) -> None:
    fn, data, dtype = CASES[name]
    x = cr.tensor(data, dtype=None if dtype is None else getattr(cr, dtype, np.dtype(dtype)))
    t = torch.tensor(data, dtype=None if dtype is None else getattr(torch, dtype))
    outs, touts = _tensors(fn(cr, x)), _tensors(fn(torch, t))
    assert len(outs) == len(touts)
    for o, r in zip(outs, touts):
        assert isinstance(o, cr.Tensor) and not o.requires_grad
        assert o.shape == tuple(r.shape) and o.dtype == r.numpy().dtype, (o.dtype, r.dtype)
        np.testing.assert_allclose(o.numpy(), r.numpy(), rtol=1e-6)


def test_python_bool_results_as_torch() -> None:
    x, t = cr.tensor(X), torch.tensor(X)
    for m, v in ((cr, x), (torch, t)):
        assert m.allclose(v, v + 1e-9) is True and m.allclose(v, v + 1) is False
        assert m.equal(v, v.clone()) is True and m.equal(v, v[:1]) is False
        assert v.equal(v) is True and v.allclose(v) is True


@pytest.mark.parametrize("call,exc", [
    (lambda m: m.bincount(m.tensor([-1, 2])), (RuntimeError, ValueError)),
    (lambda m: m.bincount(m.tensor([[1, 2]])), (RuntimeError, ValueError)),
    (lambda m: m.topk(m.tensor([1.0, 2.0]), 3), RuntimeError),
    (lambda m: (m.nn.functional if m is torch else m).one_hot(m.tensor([0, 3]), 2), RuntimeError),
    (lambda m: (m.nn.functional if m is torch else m).one_hot(m.tensor([0.0]), 2), (TypeError,
                                                                                   RuntimeError)),
    (lambda m: m.mm(m.ones(2, 3), m.ones(2, 3)), (RuntimeError, ValueError)),
    (lambda m: m.mm(m.ones(3), m.ones(3, 2)), (RuntimeError, ValueError)),
    (lambda m: m.bmm(m.ones(2, 2, 3), m.ones(3, 3, 2)), (RuntimeError, ValueError)),
    (lambda m: m.t(m.ones(2, 2, 2)), (RuntimeError, ValueError)),
    (lambda m: m.tril(m.ones(3)), (RuntimeError, ValueError)),
    (lambda m: m.masked_fill(m.ones(2), m.tensor([1, 0]), 0.0), (RuntimeError, TypeError)),
    (lambda m: m.masked_fill(m.ones(2), m.ones(3, 3) > 0, 0.0), (RuntimeError, ValueError)),
    (lambda m: m.meshgrid(m.ones(2, 2), indexing="ij"), (RuntimeError, ValueError)),
])
def test_bad_input_raises_as_torch(call: Any, exc: Any) -> None:
    with pytest.raises(exc):
        call(torch)
    with pytest.raises(exc):
        call(cr)


# ---- keyword forms and out= ------------------------------------------------------------------
OUT_CALLS: dict[str, Callable[..., Any]] = {
    "matmul": lambda m, a, b, **k: m.matmul(input=a, other=b, **k),
    "mm": lambda m, a, b, **k: m.mm(a, b.mT, **k),
    "add": lambda m, a, b, **k: m.add(input=a, other=b, alpha=2, **k),
    "sub": lambda m, a, b, **k: m.sub(a, other=b, **k),
    "mul": lambda m, a, b, **k: m.mul(a, b, **k),
    "div": lambda m, a, b, **k: m.div(a, b, **k),
    "pow": lambda m, a, b, **k: m.pow(a.abs(), exponent=2, **k),
    "exp": lambda m, a, b, **k: m.exp(input=a, **k),
    "log": lambda m, a, b, **k: m.log(a.abs(), **k),
    "sqrt": lambda m, a, b, **k: m.sqrt(a.abs(), **k),
    "neg": lambda m, a, b, **k: m.neg(a, **k),
    "sinh": lambda m, a, b, **k: m.sinh(a, **k),
    "where": lambda m, a, b, **k: m.where(a > 0, a, b, **k),
    "tril": lambda m, a, b, **k: m.tril(a, **k),
    "cumsum": lambda m, a, b, **k: m.cumsum(a, 1, **k),
    "all": lambda m, a, b, **k: m.all(a > -5, 1, **k),
}


@pytest.mark.parametrize("name", sorted(OUT_CALLS))
def test_out_writes_into_the_given_tensor_as_torch(name: str) -> None:
    fn = OUT_CALLS[name]
    a, b = np.array([[0.5, -1.0], [2.0, 1.5]]), np.array([[1.0, 2.0], [-0.5, 0.25]])
    ref = fn(torch, torch.tensor(a), torch.tensor(b))
    out, tout = cr.empty(0, dtype=ref.numpy().dtype), torch.empty(0, dtype=ref.dtype)
    r, tr = fn(cr, cr.tensor(a), cr.tensor(b), out=out), fn(torch, torch.tensor(a),
                                                             torch.tensor(b), out=tout)
    assert r is out and tr is tout
    assert out.shape == tuple(tout.shape) and out.dtype == tout.numpy().dtype
    np.testing.assert_allclose(out.numpy(), tout.numpy(), rtol=1e-12)
    same = cr.zeros(*out.shape, dtype=out.dtype)
    keep = same.numpy()
    fn(cr, cr.tensor(a), cr.tensor(b), out=same)  # the right shape: written in place
    assert same.numpy() is keep and np.array_equal(keep, out.numpy())


def test_out_refuses_autograd_and_bad_casts_as_torch() -> None:
    w, tw = cr.ones(2, requires_grad=True), torch.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="don't support automatic differentiation"):
        torch.exp(tw, out=torch.empty(2))
    with pytest.raises(RuntimeError, match="don't support automatic differentiation"):
        cr.exp(w, out=cr.empty(2))
    with cr.no_grad():
        cr.exp(w, out=cr.empty(2))
    with pytest.raises(RuntimeError, match="can't be cast"):
        torch.add(torch.ones(2), 0.5, out=torch.empty(2, dtype=torch.int64))
    with pytest.raises(RuntimeError, match="can't be cast"):
        cr.add(cr.ones(2), 0.5, out=cr.empty(2, dtype=cr.int64))
    o = cr.empty(2)
    assert cr.zeros(3, out=o) is o and o.tolist() == [0.0, 0.0, 0.0]


def test_where_needs_one_or_three_arguments() -> None:
    with pytest.raises(TypeError, match="condition"):
        cr.where(cr.ones(2) > 0, cr.ones(2))
