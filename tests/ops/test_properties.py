"""Property tests (hypothesis) over shapes and values: broadcasting gradients sum back to the
input's shape, reduction gradients, shape round trips, softmax is a distribution."""
from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import chainrule as cr

SETTINGS = settings(max_examples=40, deadline=None, database=None)
FLOATS = st.floats(-10, 10, allow_nan=False, width=64)


def _unbroadcast(g: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Reference: sum g over the axes that broadcasting added or stretched (a loop, on purpose
    unlike the engine's single call)."""
    while g.ndim > len(shape):
        g = g.sum(axis=0)
    for i, n in enumerate(shape):
        if n == 1 and g.shape[i] != 1:
            g = g.sum(axis=i, keepdims=True)
    return g


@st.composite
def broadcast_pair(draw: Any) -> tuple[np.ndarray, np.ndarray]:
    shapes = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4,
                                                     max_side=3)).input_shapes
    return tuple(draw(hnp.arrays(np.float64, s, elements=FLOATS)) for s in shapes)  # type: ignore


@SETTINGS
@given(broadcast_pair(), st.sampled_from(["add", "sub", "mul", "maximum"]))
def test_broadcast_gradients_sum_back_to_each_input_shape(pair: Any, op: str) -> None:
    a_np, b_np = pair
    a = cr.tensor(a_np, requires_grad=True)
    b = cr.tensor(b_np, requires_grad=True)
    y = getattr(cr, op)(a, b)
    g = np.random.default_rng(0).standard_normal(y.shape)
    y.backward(g)
    assert a.grad.shape == a.shape and b.grad.shape == b.shape
    A, B = np.broadcast_arrays(a_np, b_np)
    local = {"add": (1.0, 1.0), "sub": (1.0, -1.0), "mul": (B, A),
             "maximum": (np.where(A > B, 1.0, np.where(A == B, 0.5, 0.0)),
                         np.where(A < B, 1.0, np.where(A == B, 0.5, 0.0)))}[op]
    np.testing.assert_allclose(a.grad._data, _unbroadcast(g * local[0], a.shape), atol=1e-12)
    np.testing.assert_allclose(b.grad._data, _unbroadcast(g * local[1], b.shape), atol=1e-12)


@st.composite
def array_and_dims(draw: Any) -> tuple[np.ndarray, Any, bool]:
    x = draw(hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=4, max_side=4),
                        elements=FLOATS))
    dims = draw(st.none() | st.lists(st.integers(0, x.ndim - 1), min_size=1, max_size=x.ndim,
                                     unique=True).map(tuple))
    return x, dims, draw(st.booleans())


@SETTINGS
@given(array_and_dims())
def test_sum_and_mean_gradients(case: Any) -> None:
    x_np, dims, keepdim = case
    x = cr.tensor(x_np, requires_grad=True)
    s = x.sum(dims, keepdim=keepdim)
    np.testing.assert_allclose(s._data, x_np.sum(axis=dims, keepdims=keepdim), atol=1e-12)
    m = x.mean(dims, keepdim=keepdim)
    (s.sum() + 2 * m.sum()).backward()
    n = x_np.size if dims is None else int(np.prod([x_np.shape[d] for d in dims]))
    np.testing.assert_allclose(x.grad._data, np.full(x_np.shape, 1.0 + 2.0 / n))


@SETTINGS
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=4, max_side=4),
                  elements=FLOATS), st.randoms(use_true_random=False))
def test_permute_and_reshape_round_trips(x_np: np.ndarray, rnd: Any) -> None:
    x = cr.tensor(x_np, requires_grad=True)
    order = list(range(x.ndim))
    rnd.shuffle(order)
    back = x.permute(*order).permute(*np.argsort(order).tolist())
    flat = x.reshape(-1).reshape(x.shape)
    np.testing.assert_array_equal(back._data, x_np)
    np.testing.assert_array_equal(flat._data, x_np)
    np.testing.assert_array_equal(x.permute(*order)._data, np.transpose(x_np, order))
    g = np.arange(x_np.size, dtype=np.float64).reshape(x_np.shape)
    (back * g).sum().backward()
    (flat * g).sum().backward()
    np.testing.assert_array_equal(x.grad._data, 2 * g)  # round trips pass gradients unchanged


@SETTINGS
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=5),
                  elements=st.floats(-1e4, 1e4, allow_nan=False)), st.data())
def test_softmax_is_a_distribution_and_log_softmax_agrees(x_np: np.ndarray, data: Any) -> None:
    dim = data.draw(st.integers(-x_np.ndim, x_np.ndim - 1))
    x = cr.tensor(x_np)
    p = x.softmax(dim)._data
    assert ((p >= 0) & (p <= 1)).all()
    np.testing.assert_allclose(p.sum(axis=dim), 1.0, rtol=1e-12)
    lp = x.log_softmax(dim)._data
    assert np.isfinite(lp).all() and (lp <= 1e-12).all()
    np.testing.assert_allclose(np.exp(lp), p, atol=1e-12)
    lse = x.logsumexp(dim)._data
    assert (lse >= x_np.max(axis=dim) - 1e-9).all()


@SETTINGS
@given(st.data())
def test_matmul_matches_numpy_for_broadcast_batches(data: Any) -> None:
    n, k, m = (data.draw(st.integers(1, 3)) for _ in range(3))
    batch = data.draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=2, max_side=3))
    a_np = data.draw(hnp.arrays(np.float64, batch.input_shapes[0] + (n, k), elements=FLOATS))
    b_np = data.draw(hnp.arrays(np.float64, batch.input_shapes[1] + (k, m), elements=FLOATS))
    a, b = cr.tensor(a_np, requires_grad=True), cr.tensor(b_np, requires_grad=True)
    y = a @ b
    np.testing.assert_allclose(y._data, a_np @ b_np, atol=1e-9)
    g = np.ones(y.shape)
    y.backward(g)
    np.testing.assert_allclose(a.grad._data, _unbroadcast(g @ np.swapaxes(b_np, -1, -2),
                                                         a_np.shape), atol=1e-9)
    np.testing.assert_allclose(b.grad._data, _unbroadcast(np.swapaxes(a_np, -1, -2) @ g,
                                                         b_np.shape), atol=1e-9)
