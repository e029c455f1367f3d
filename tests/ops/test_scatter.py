"""The scatter/index family and the selections beside PyTorch where the op table does not
reach: integer and bool dtypes, NaN, ties, 0-d tensors, in-place forms, torch.index_put_, and
errors for bad input. (Float values and gradients are in op_table_compat4.py.)"""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

import chainrule as cr

torch = pytest.importorskip("torch")
NAN = float("nan")


def _same(r: Any, t: Any) -> None:
    if isinstance(t, tuple):
        assert isinstance(r, tuple) and len(r) == len(t)
        for a, b in zip(r, t):
            _same(a, b)
        return
    assert isinstance(r, cr.Tensor)
    assert r.shape == tuple(t.shape), (r.shape, t.shape)
    assert str(r.dtype).split(".")[-1] == str(t.dtype).split(".")[-1], (r.dtype, t.dtype)
    np.testing.assert_allclose(r.numpy(), t.numpy(), rtol=1e-6, atol=0)


def _run(call: Any) -> tuple[Any, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # index_reduce is "in beta" in torch
        t = call(torch)
    return call(cr), t


CALLS = {
    "cummax-nan": lambda m: tuple(m.cummax(m.tensor([1., 3., 3., 2., NAN, 5., NAN, 1.]), 0)),
    "cummin-nan": lambda m: tuple(m.cummin(m.tensor([1., 3., 3., 2., NAN, 5., NAN, 1.]), 0)),
    "cummax-int-ties": lambda m: tuple(m.cummax(m.tensor([[1, 3, 3, 2], [4, 4, 0, 4]]), 1)),
    "cummin-int": lambda m: tuple(m.tensor([[5, 3], [3, 7], [1, 1]]).cummin(0)),
    "cummax-bool": lambda m: tuple(m.cummax(m.tensor([False, True, False]), 0)),
    "cummax-0d": lambda m: tuple(m.cummax(m.tensor(2.5), -1)),
    "cummax-empty": lambda m: tuple(m.cummax(m.zeros(0), 0)),
    "mode-ties": lambda m: tuple(m.mode(m.tensor([[1., 2., 2., 3., 3., 1.],
                                                  [5., 4., 4., 5., 0., 4.]]))),
    "mode-int": lambda m: tuple(m.mode(m.tensor([3, 1, 3, 1, 2]))),
    "mode-dim0-keepdim": lambda m: tuple(m.mode(m.tensor([[1, 2], [2, 2]]), 0, True)),
    "mode-0d": lambda m: tuple(m.mode(m.tensor(2.0))),
    "nanmedian-flat": lambda m: m.nanmedian(m.tensor([1., NAN, 3., 2.])),
    "nanmedian-int": lambda m: m.nanmedian(m.tensor([1, 5, 2, 4])),
    "nanmedian-ties": lambda m: tuple(m.nanmedian(m.tensor([[2., 1., 2., 2.], [NAN, 1., 1., 3.]]),
                                                  1, keepdim=True)),
    "nanmedian-all-nan-value": lambda m: m.nanmedian(m.tensor([[NAN, NAN], [1., 2.]]), 1).values,
    "nanmedian-empty": lambda m: m.nanmedian(m.zeros(0)),
    "median-ties-as-nanmedian": lambda m: tuple(m.nanmedian(m.tensor([3., 1., 3., 3.]), 0)),
    "frexp-special": lambda m: tuple(m.frexp(m.tensor([0., 1., -3.5, 1e-40, float("inf")]))),
    "frexp-float64": lambda m: tuple(m.frexp(m.tensor([1.5, 1024.], dtype=m.float64))),
    "nextafter-promote": lambda m: m.nextafter(m.tensor([1., 2.]),
                                               m.tensor([2., 0.], dtype=m.float64)),
    "nextafter-0d": lambda m: m.nextafter(m.tensor([1., 2.]), m.tensor(3., dtype=m.float64)),
    "sgn": lambda m: m.sgn(m.tensor([-2., 0., 3.])),
    "sgn-int": lambda m: m.tensor([-2, 0, 3]).sgn(),
    "renorm-small-rows-unchanged": lambda m: m.renorm(m.tensor([[0.1, 0.2], [3., 4.]]), 2, 0, 1.),
    "diag_embed-int": lambda m: m.diag_embed(m.tensor([[1, 2], [3, 4]]), 1),
    "diagonal_scatter-cast": lambda m: m.diagonal_scatter(m.zeros(2, 3), m.tensor([1, 2])),
    "select_scatter-int": lambda m: m.select_scatter(m.zeros(2, 2, dtype=m.int64),
                                                     m.tensor([7, 8]), 1, 0),
    "slice_scatter-clamped": lambda m: m.slice_scatter(m.zeros(3, 4), m.ones(3, 4), 1, -10, 100),
    "slice_scatter-empty": lambda m: m.slice_scatter(m.zeros(3, 4), m.ones(3, 0), 1, 3, 1),
    "masked_scatter-int": lambda m: m.masked_scatter(m.zeros(2, 3, dtype=m.int64),
                                                     m.tensor([True, False, True]),
                                                     m.arange(10).reshape(2, 5)),
    "put-int-accumulate": lambda m: m.put(m.zeros(2, 2, dtype=m.int64), m.tensor([[0, 3, 0]]),
                                          m.tensor([1, 2, 5]), accumulate=True),
    "index_add-int-alpha": lambda m: m.index_add(m.zeros(3, dtype=m.int64), 0, m.tensor([0, 0]),
                                                 m.ones(2, dtype=m.int64), alpha=2),
    "index_add-int32-index": lambda m: m.index_add(m.zeros(3, 2), 0, m.tensor([0, 2, 0]).int(),
                                                   m.arange(6.).reshape(3, 2)),
    "index_add-0d": lambda m: m.index_add(m.zeros(()), 0, m.tensor(0), m.ones(())),
    "index_copy-int": lambda m: m.index_copy(m.zeros(3, 2, dtype=m.int32), 0, m.tensor([2, 0]),
                                             m.ones(2, 2, dtype=m.int32)),
    "index_fill-negative": lambda m: m.index_fill(m.zeros(3, 2), 1, m.tensor([-1]), 1),
    "index_fill-bool": lambda m: m.zeros(2, 3, dtype=m.bool).index_fill(1, m.tensor([1]), True),
    "index_put-bool-int": lambda m: m.index_put(m.zeros(3, 2, dtype=m.int64),
                                                (m.tensor([True, False, True]),),
                                                m.tensor([5, 1])),
    "index_put-2d-accumulate": lambda m: m.index_put(m.zeros(3, 2), (m.tensor([0, 0]),
                                                                     m.tensor([1, 1])),
                                                     m.tensor([5., 1.]), accumulate=True),
    **{f"scatter_reduce-int-{r}-{s}": (lambda m, r=r, s=s: m.scatter_reduce(
        m.tensor([1, -1, 3, 4]), 0, m.tensor([0, 1, 0, 1, 3]), m.tensor([5, -2, 2, 7, 3]), r,
        include_self=s)) for r in ("sum", "prod", "mean", "amax", "amin") for s in (True, False)},
    **{f"index_reduce-int-{r}-{s}": (lambda m, r=r, s=s: m.index_reduce(
        m.tensor([[1, 2], [3, 4]]), 1, m.tensor([1, 1, 0]), m.tensor([[6, -1, 2], [3, 9, 4]]), r,
        include_self=s)) for r in ("prod", "mean", "amax", "amin") for s in (True, False)},
    "scatter_reduce-bool-amax": lambda m: m.scatter_reduce(
        m.tensor([True, False]), 0, m.tensor([1, 1]), m.tensor([False, True]), "amax"),
    "scatter_reduce-2d-small-index": lambda m: m.scatter_reduce(
        m.arange(4.).reshape(2, 2), 1, m.tensor([[1, 0, 1]]), m.arange(5.).reshape(1, 5), "sum"),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_values_and_dtypes_match_torch(name: str) -> None:
    r, t = _run(CALLS[name])
    _same(r, t)


INPLACE = {  # each returns the tensor it changed
    "index_add_": lambda m, x: x.index_add_(0, m.tensor([0, 2, 0]), m.arange(6.).reshape(3, 2)),
    "index_copy_": lambda m, x: x.index_copy_(0, m.tensor([2, 0]), m.arange(4.).reshape(2, 2)),
    "index_fill_": lambda m, x: x.index_fill_(1, m.tensor([1]), -1.0),
    "index_put_": lambda m, x: x.index_put_((m.tensor([0, 2]), m.tensor([1, 0])),
                                            m.tensor([5., 6.]), True),
    "index_reduce_": lambda m, x: x.index_reduce_(0, m.tensor([1, 1]), m.arange(4.).reshape(2, 2),
                                                  "amax"),
    "scatter_reduce_": lambda m, x: x.scatter_reduce_(1, m.tensor([[0, 0], [1, 0], [1, 1]]),
                                                      m.ones(3, 2), "prod"),
    "masked_scatter_": lambda m, x: x.masked_scatter_(m.tensor([[True], [False], [True]]),
                                                      m.arange(6.)),
    "put_": lambda m, x: x.put_(m.tensor([5, 0]), m.tensor([9., 8.])),
    "renorm_": lambda m, x: x.renorm_(2, 0, 1.0),
    "nextafter_": lambda m, x: x.nextafter_(m.zeros(3, 2)),
    "sgn_": lambda m, x: x.sgn_(),
}


@pytest.mark.parametrize("name", sorted(INPLACE))
def test_in_place_forms_match_torch(name: str) -> None:
    def call(m: Any) -> Any:
        x = m.arange(6.).reshape(3, 2) - 2.5
        assert INPLACE[name](m, x) is x
        return x
    r, t = _run(call)
    _same(r, t)


def test_torch_index_put_in_place_function() -> None:
    x, t = cr.zeros(3), torch.zeros(3)
    assert cr.index_put_(x, (cr.tensor([0, 2]),), cr.tensor([1., 2.])) is x
    torch.index_put_(t, (torch.tensor([0, 2]),), torch.tensor([1., 2.]))
    _same(x, t)


def test_in_place_forms_refuse_leaves_that_require_grad() -> None:
    x = cr.zeros(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="in-place"):
        x.index_add_(0, cr.tensor([0]), cr.ones(1))
    with cr.no_grad():
        x.index_add_(0, cr.tensor([0]), cr.ones(1))
    assert x.tolist() == [1.0, 0.0, 0.0]


def test_grad_of_cummax_and_mode_reach_the_selected_elements() -> None:
    x = cr.tensor([1.0, 3.0, 3.0, 2.0], requires_grad=True)
    t = torch.tensor([1.0, 3.0, 3.0, 2.0], requires_grad=True)
    cr.cummax(x, 0).values.sum().backward()
    torch.cummax(t, 0).values.sum().backward()
    assert x.grad is not None and x.grad.tolist() == t.grad.tolist() == [1.0, 1.0, 2.0, 0.0]
    x.grad, t.grad = None, None
    cr.mode(x).values.backward()
    torch.mode(t).values.backward()
    assert x.grad.tolist() == t.grad.tolist()


def test_scatter_reduce_ties_share_the_gradient_as_torch() -> None:
    for include_self in (True, False):
        grads = []
        for m in (cr, torch):
            x = m.tensor([3.0, 1.0], requires_grad=True)
            s = m.tensor([3.0, 3.0, 0.5], requires_grad=True)
            y = m.scatter_reduce(x, 0, m.tensor([0, 0, 1]), s, "amax", include_self=include_self)
            (y * m.tensor([1.0, 2.0])).sum().backward()
            grads.append(x.grad.tolist() + s.grad.tolist())
        assert grads[0] == pytest.approx(grads[1])


ERRORS = [
    lambda m: m.cummax(m.tensor([1.0, 2.0]), 1),
    lambda m: m.mode(m.zeros(0)),
    lambda m: m.nanmedian(m.zeros(2, 0), 1),
    lambda m: m.frexp(m.tensor([1, 2])),
    lambda m: m.nextafter(m.tensor([1, 2]), m.tensor([2, 3])),
    lambda m: m.nextafter(m.ones(2), m.ones(3)),
    lambda m: m.renorm(m.tensor([1.0, 2.0]), 2, 0, 1.0),
    lambda m: m.renorm(m.ones(2, 2), 0, 0, 1.0),
    lambda m: m.renorm(m.ones(2, 2), 2, 0, -1.0),
    lambda m: m.renorm(m.ones(2, 2, dtype=m.int64), 2, 0, 1.0),
    lambda m: m.diag_embed(m.ones(2, 2), 0, 1, 1),
    lambda m: m.diag_embed(m.tensor(1.0)),
    lambda m: m.diagonal_scatter(m.zeros(3, 4), m.ones(2)),
    lambda m: m.select_scatter(m.zeros(3, 4), m.ones(3), 0, 1),
    lambda m: m.select_scatter(m.zeros(3, 4), m.ones(4), 0, 5),
    lambda m: m.slice_scatter(m.zeros(3, 4), m.ones(3, 3), 1, -2),
    lambda m: m.masked_scatter(m.zeros(3), m.tensor([True, False, True]), m.ones(1)),
    lambda m: m.masked_scatter(m.zeros(3), m.tensor([1, 0, 1]), m.ones(4)),
    lambda m: m.masked_scatter(m.zeros(3), m.tensor([True, False, True]), m.ones(4).long()),
    lambda m: m.zeros(1, 3).masked_scatter_(m.ones(2, 3) > 0, m.ones(9)),
    lambda m: m.put(m.zeros(3), m.tensor([3]), m.ones(1)),
    lambda m: m.put(m.zeros(3), m.tensor([0, 1]), m.ones(1)),
    lambda m: m.put(m.zeros(3), m.tensor([0]), m.ones(1).long()),
    lambda m: m.index_add(m.zeros(3, 2), 0, m.tensor([0., 1.]), m.ones(2, 2)),
    lambda m: m.index_add(m.zeros(3, 2), 0, m.tensor([0, 3]), m.ones(2, 2)),
    lambda m: m.index_add(m.zeros(3, 2), 0, m.tensor([[0, 1]]), m.ones(2, 2)),
    lambda m: m.index_add(m.zeros(3, 2), 0, m.tensor([0, 1]), m.ones(2, 1)),
    lambda m: m.index_add(m.zeros(3, 2), 0, m.tensor([0, 1]), m.ones(2, 2).double()),
    lambda m: m.index_copy(m.zeros(3), 0, m.tensor([0]), m.ones(1).double()),
    lambda m: m.index_fill(m.zeros(3, 2), 1, m.tensor([5]), 1.0),
    lambda m: m.index_fill(m.zeros(3, 2), 1, m.tensor([1]), m.tensor([1.0])),
    lambda m: m.index_put(m.zeros(3, 2), (m.tensor([0, 5]),), m.tensor(1.0)),
    lambda m: m.index_put(m.zeros(3, 2), (m.tensor([0., 1.]),), m.tensor(1.0)),
    lambda m: m.index_put(m.zeros(3, 2), m.tensor([0, 1]), m.tensor(1.0)),
    lambda m: m.index_put(m.zeros(3, 2), (m.tensor([0, 2]),), m.tensor([1.0, 2.0, 3.0])),
    lambda m: m.index_put(m.zeros(3, 2), (m.tensor([0, 2]),), m.tensor([1, 2])),
    lambda m: m.scatter_reduce(m.ones(4), 0, m.tensor([0]), m.ones(1), "foo"),
    lambda m: m.scatter_reduce(m.ones(4), 0, m.tensor([5]), m.ones(1), "sum"),
    lambda m: m.scatter_reduce(m.ones(4), 0, m.tensor([0, 1]), m.ones(1), "sum"),
    lambda m: m.scatter_reduce(m.ones(4), 0, m.tensor([0.]), m.ones(1), "sum"),
    lambda m: m.scatter_reduce(m.ones(4), 0, m.tensor([0]), m.ones(1).double(), "sum"),
    lambda m: m.scatter_reduce(m.ones(2, 2), 0, m.tensor([[1, 0, 1]]), m.ones(1, 5), "sum"),
    lambda m: m.index_reduce(m.ones(2), 0, m.tensor([0]), m.ones(1), "sum"),
    lambda m: m.index_reduce(m.ones(2, 2), 0, m.tensor([0]), m.ones(1, 3), "amax"),
]


@pytest.mark.parametrize("call", ERRORS, ids=[str(i) for i in range(len(ERRORS))])
def test_bad_input_raises_as_torch(call: Any) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        with pytest.raises((RuntimeError, IndexError, TypeError, ValueError)):
            call(torch)
    with pytest.raises((IndexError, TypeError, ValueError)):
        call(cr)


@pytest.mark.parametrize("reduce", ["sum", "prod", "mean", "amax", "amin"])
def test_scatter_reduce_with_ties_and_zeros_matches_torch(reduce: str) -> None:
    rng = np.random.default_rng(7)
    for _ in range(5):  # small integers: many ties, several zeros per output element
        x, s = rng.integers(-2, 3, (3, 4)).astype(float), rng.integers(-2, 3, (3, 6)).astype(float)
        idx, g = rng.integers(0, 4, (3, 6)), rng.standard_normal((3, 4))
        for include_self in (True, False):
            out = []
            for m in (cr, torch):
                xs, ss = m.tensor(x, requires_grad=True), m.tensor(s, requires_grad=True)
                y = m.scatter_reduce(xs, 1, m.tensor(idx), ss, reduce, include_self=include_self)
                (y * m.tensor(g)).sum().backward()
                out.append([y.detach().numpy(), xs.grad.numpy(), ss.grad.numpy()])
            for a, b in zip(*out):
                np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_renorm_with_zero_slices_and_inf_norm_ties_matches_torch() -> None:
    a = np.array([[0., 0., 0.], [3., 4., 0.], [0.1, 0.2, 0.2], [1., -1., 1.]])
    g = np.random.default_rng(0).standard_normal(a.shape)
    for p, maxnorm in [(2, 1.0), (1, 0.5), (float("inf"), 0.9), (3, 1.0)]:
        for dim in (0, 1):
            out = []
            for m in (cr, torch):
                x = m.tensor(a, requires_grad=True)
                y = m.renorm(x, p, dim, maxnorm)
                (y * m.tensor(g)).sum().backward()
                out.append([y.detach().numpy(), x.grad.numpy()])
            for r, t in zip(*out):
                np.testing.assert_allclose(r, t, rtol=1e-12, atol=1e-14)


OUT = {  # calls with out= (one tensor, or a (values, indices) pair)
    "cummax": lambda m, x, out: m.cummax(x, 1, out=out),
    "cummin": lambda m, x, out: m.cummin(x, 0, out=out),
    "mode": lambda m, x, out: m.mode(x, 1, out=out),
    "nanmedian": lambda m, x, out: m.nanmedian(x, 0, True, out=out),
    "frexp": lambda m, x, out: m.frexp(x, out=out),
    "index_add": lambda m, x, out: m.index_add(x, 0, m.tensor([1]), m.ones(1, 3), alpha=2,
                                               out=out),
    "index_copy": lambda m, x, out: m.index_copy(x, 1, m.tensor([0]), m.ones(2, 1), out=out),
    "index_reduce": lambda m, x, out: m.index_reduce(x, 0, m.tensor([1]), m.ones(1, 3), "amin",
                                                     out=out),
    "renorm": lambda m, x, out: m.renorm(x, 2, 0, 1.0, out=out),
    "nextafter": lambda m, x, out: m.nextafter(x, m.zeros(()), out=out),
    "sgn": lambda m, x, out: m.sgn(x, out=out),
}


@pytest.mark.parametrize("name", sorted(OUT))
def test_out_writes_into_the_given_tensors_as_torch(name: str) -> None:
    pair = name in ("cummax", "cummin", "mode", "nanmedian", "frexp")

    def call(m: Any) -> Any:
        x = m.tensor([[0.5, -1.5, 2.0], [3.0, 0.25, -0.75]])
        out: Any = m.empty(0)
        if pair:
            out = (m.empty(0), m.empty(0, dtype=m.int32 if name == "frexp" else m.int64))
        r = OUT[name](m, x, out)
        assert all(a is b for a, b in zip(r, out)) if pair else r is out
        return tuple(out) if pair else out
    r, t = _run(call)
    _same(r, t)


def test_in_place_forms_on_tensors_in_the_graph_match_torch() -> None:
    out = []
    for m in (cr, torch):
        x = m.tensor([1.0, 2.0, 3.0], requires_grad=True)
        s = m.tensor([0.5, 4.0], requires_grad=True)
        y = x * 2
        y.index_add_(0, m.tensor([0, 2]), s * 3)
        y.masked_scatter_(y > 5, s)
        y.index_fill_(0, m.tensor([0]), 0.0)
        y.scatter_reduce_(0, m.tensor([1, 1]), s, "prod")
        (y * m.tensor([1.0, 2.0, 3.0])).sum().backward()
        out.append((y.tolist(), x.grad.tolist(), s.grad.tolist()))
    assert out[0] == out[1] == ([0.0, 8.0, 0.5], [0.0, 8.0, 0.0], [35.0, 4.0])
    for m in (cr, torch):  # scatter_reduce saved its result: changing it breaks backward
        x = m.tensor([1.0, 2.0], requires_grad=True)
        y = (x * 1).scatter_reduce_(0, m.tensor([0]), x[:1] * 1, "prod")
        y.index_add_(0, m.tensor([1]), m.ones(1))
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            y.sum().backward()


def test_selections_match_torch_on_random_inputs_with_ties_and_nan() -> None:
    rng = np.random.default_rng(1)
    for trial in range(100):
        shape = tuple(int(n) for n in rng.integers(1, 6, rng.integers(1, 4)))
        a = rng.integers(-2, 3, shape).astype(np.float32)  # many ties
        if trial % 2:
            a[rng.random(shape) < 0.3] = NAN
        d = int(rng.integers(-len(shape), len(shape)))
        calls = [lambda m, x, d=d: m.cummax(x, d), lambda m, x, d=d: m.cummin(x, d),
                 lambda m, x, d=d: m.nanmedian(x, d), lambda m, x: (m.nanmedian(x),)]
        if not trial % 2:  # torch's mode with NaN depends on where its sort leaves them
            calls.append(lambda m, x, d=d: m.mode(x, d))
        for k, call in enumerate(calls):
            r, t = call(cr, cr.tensor(a)), call(torch, torch.tensor(a))
            for i, (u, v) in enumerate(zip(r, t)):
                u, v = u.numpy(), v.numpy()
                if k == 2 and i == 1:  # torch's index of an all-NaN slice is unspecified
                    some = ~np.isnan(np.moveaxis(a, d, -1)).all(-1)
                    u, v = u[some], v[some]
                np.testing.assert_array_equal(u, v)


RANDOM_INDEX_CALLS = {  # p: the trial's index (with repeats and negatives), sizes and mask
    "index_add": lambda m, a, s, p: m.index_add(a, 0, m.tensor(p["idx"] % p["n"]), s, alpha=0.5),
    "index_put": lambda m, a, s, p: m.index_put(a, (m.tensor(p["idx"]),), s, accumulate=True),
    "put": lambda m, a, s, p: m.put(a, m.tensor(p["idx"] * p["c"]), s[:, 0], accumulate=True),
    "masked_scatter": lambda m, a, s, p: m.masked_scatter(
        a, m.tensor(p["mask"]), m.cat([s.reshape(-1), a.reshape(-1)])),
    "index_reduce": lambda m, a, s, p: m.index_reduce(a, 0, m.tensor(p["idx"] % p["n"]), s,
                                                      "mean", include_self=False),
}


def test_index_ops_match_torch_on_random_inputs_with_repeated_indices() -> None:
    rng = np.random.default_rng(3)
    for _ in range(20):
        n, k, c = int(rng.integers(1, 5)), int(rng.integers(1, 6)), int(rng.integers(1, 4))
        x, src, g = rng.standard_normal((n, c)), rng.standard_normal((k, c)), \
            rng.standard_normal((n, c))
        p = {"n": n, "c": c, "idx": rng.integers(-n, n, k), "mask": rng.random((n, c)) < 0.5}
        for name, call in RANDOM_INDEX_CALLS.items():
            out = []
            for m in (cr, torch):
                a, s = m.tensor(x, requires_grad=True), m.tensor(src, requires_grad=True)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", UserWarning)
                    y = call(m, a, s, p)
                (y * m.tensor(g)).sum().backward()
                out.append([y.detach().numpy(), a.grad.numpy(), s.grad.numpy()])
            for r, t in zip(*out):
                np.testing.assert_allclose(r, t, rtol=1e-12, atol=1e-12, err_msg=name)
