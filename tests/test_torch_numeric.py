"""chainrule.range (inclusive end), chainrule.gradient (every spacing/dim/edge_order form) and
get/set_num_threads against PyTorch."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

import chainrule as cr

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("args, kw", [
    ((1, 4), {}), ((0, 1, 0.25), {}), ((0, 0.3, 0.1), {}), ((4, 1, -1), {}),
    ((1, 4), {"dtype": "int64"}), ((0, 2.5, 0.5), {"dtype": "float64"}), ((2, 2), {}),
])
def test_range_equals_torch_range(args: tuple, kw: dict) -> None:
    with pytest.warns(UserWarning, match="torch.range is deprecated"):
        ours = cr.range(*args, **{k: getattr(cr, v) for k, v in kw.items()})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = torch.range(*args, **{k: getattr(torch, v) for k, v in kw.items()})
    assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_range_errors_and_requires_grad() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert cr.range(0, 2, requires_grad=True).requires_grad
        with pytest.raises(ValueError, match="nonzero step"):
            cr.range(1, 4, 0)
        with pytest.raises(ValueError, match="expected end on the side of start"):
            cr.range(4, 1)
        with pytest.raises(TypeError, match='missing 1 required positional arguments: "end"'):
            cr.range(5)


F1 = np.array([1.0, 2.0, 4.0, 8.0, 16.0, 20.0])
F2 = np.arange(20.0).reshape(4, 5) ** 2 / 7


@pytest.mark.parametrize("x, kw", [
    (F1, {}), (F1, {"spacing": 2.0}), (F1, {"edge_order": 2}),
    (F1, {"spacing": 0.5, "edge_order": 2}),
    (F1, {"spacing": ("coords",)}), (F1, {"spacing": ("coords",), "edge_order": 2}),
    (F2, {}), (F2, {"dim": 1}), (F2, {"dim": -1, "spacing": 3}), (F2, {"spacing": [2.0, 3.0]}),
    (F2, {"spacing": 2.0, "dim": (0, 1)}), (F2, {"spacing": [2], "dim": [1]}),
    (F2, {"spacing": ("coords", "coords"), "edge_order": 2}), (F2, {"edge_order": 2, "dim": 0}),
    (F2[:3], {"edge_order": 2}), (F2[:2], {"dim": 0}),
], ids=str)
def test_gradient_equals_torch(x: np.ndarray, kw: dict) -> None:
    kw_c, kw_t = dict(kw), dict(kw)
    if isinstance(kw.get("spacing"), tuple):
        dims = range(x.ndim)
        coords = [np.cumsum(np.random.default_rng(d).random(x.shape[d]) + 0.2) for d in dims]
        kw_c["spacing"] = [cr.tensor(c) for c in coords]
        kw_t["spacing"] = [torch.tensor(c) for c in coords]
    cx, tx = cr.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ours, theirs = cr.gradient(cx, **kw_c), torch.gradient(tx, **kw_t)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-10,
                                   atol=1e-12)
    w = np.random.default_rng(5).standard_normal(x.shape)
    sum(((o * cr.tensor(w)).sum() for o in ours), cr.tensor(0.0)).backward()
    sum((t * torch.tensor(w)).sum() for t in theirs).backward()
    np.testing.assert_allclose(cx.grad.numpy(), tx.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_gradient_matches_numpy_and_keeps_float32() -> None:
    x = np.random.default_rng(1).standard_normal((5, 6)).astype(np.float32)
    ours = cr.gradient(cr.tensor(x), spacing=[0.5, 2.0], edge_order=2)
    for a, b in zip(ours, np.gradient(x, 0.5, 2.0, edge_order=2)):
        assert a.dtype == cr.float32
        np.testing.assert_allclose(a.numpy(), b, rtol=1e-5, atol=1e-5)
    ints = cr.gradient(cr.tensor([1, 2, 4]))[0]
    assert ints.dtype == cr.get_default_dtype() and ints.tolist() == [1.0, 1.5, 2.0]


def test_gradient_errors() -> None:
    m = cr.zeros(3, 4)
    with pytest.raises(ValueError, match="list of length equal to 'self.dim\\(\\) = 2'"):
        cr.gradient(m, spacing=[2.0])
    with pytest.raises(ValueError, match="at least edge_order\\+1 = 3, got size 2"):
        cr.gradient(cr.zeros(2), edge_order=2)
    with pytest.raises(ValueError, match="edge_order 1 or 2, got 3"):
        cr.gradient(m, edge_order=3)
    with pytest.raises(ValueError, match=r"coordinates of shape \(3,\) for dim 0, got shape \(4,"):
        cr.gradient(m, spacing=[cr.arange(4.0)], dim=0)
    with pytest.raises(ValueError, match="at least one dimension"):
        cr.gradient(cr.tensor(1.0))


def test_set_num_threads_limits_blas() -> None:
    threadpoolctl = pytest.importorskip("threadpoolctl")
    before = threadpoolctl.threadpool_info()
    try:
        cr.set_num_threads(1)
        assert cr.get_num_threads() == 1
        blas = [i["num_threads"] for i in threadpoolctl.threadpool_info()
                if i["user_api"] == "blas"]
        assert blas and all(n == 1 for n in blas)
    finally:
        for info in before:
            if info["user_api"] == "blas":
                threadpoolctl.threadpool_limits(info["num_threads"], user_api="blas")
    with pytest.raises(ValueError, match="positive integer, got 0"):
        cr.set_num_threads(0)
    with pytest.raises(ValueError, match="positive integer"):
        cr.set_num_threads(True)
