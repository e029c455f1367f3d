"""The functions without a gradient (sorting, searching, counting, comparing, one_hot) and the
keyword / ``out=`` forms, each compared with PyTorch: values, dtypes, shapes, errors."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

import chainrule as cr

torch = pytest.importorskip("torch")

X = [[0.5, -1.5, 2.0], [3.0, 0.0, -0.25]]
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
}


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
