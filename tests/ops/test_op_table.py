"""The op table drives three tests per (op, shapes): forward against a NumPy reference,
float64 gradcheck, and forward + gradient parity with PyTorch (float64 and float32).
A meta-test fails when a public differentiable op or Tensor method has no row."""
from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pytest
from op_case import Case, sample
from op_table import CASES

import chainrule as cr
from chainrule._tensor_ops import TensorOps

PARAMS = [pytest.param(c, s, id=f"{c.name}-{'-'.join(str(x).replace(' ', '') for x in s)}")
          for c in CASES for s in c.shapes]
TOL = {"float64": dict(rtol=1e-10, atol=1e-12), "float32": dict(rtol=1e-5, atol=1e-6)}


def _outputs(out: Any) -> list[Any]:
    return list(out) if isinstance(out, (tuple, list)) else [out]


@pytest.mark.parametrize("case,shapes", PARAMS)
def test_forward_matches_numpy(case: Case, shapes: Any) -> None:
    arrays = sample(case, shapes, np.float64)
    outs = _outputs(case.fn(*[cr.tensor(a) for a in arrays]))
    refs = _outputs(case.run_ref(*[a.copy() for a in arrays]))
    assert len(outs) == len(refs)
    for o, r in zip(outs, refs):
        r = np.asarray(r)
        assert isinstance(o, cr.Tensor) and isinstance(o._data, np.ndarray)
        assert o.shape == r.shape and o.dtype == r.dtype, (o.shape, o.dtype, r.shape, r.dtype)
        np.testing.assert_allclose(o._data, r, **TOL["float64"])


@pytest.mark.parametrize("case,shapes", PARAMS)
def test_gradcheck(case: Case, shapes: Any) -> None:
    inputs = [cr.tensor(a, requires_grad=True) for a in sample(case, shapes, np.float64)]
    assert cr.gradcheck(case.fn, inputs, **case.gradcheck)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("case,shapes", PARAMS)
def test_torch_parity(case: Case, shapes: Any, dtype: str) -> None:
    torch = pytest.importorskip("torch")
    arrays = sample(case, shapes, dtype)
    xs = [cr.tensor(a, requires_grad=True) for a in arrays]
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    outs, touts = _outputs(case.fn(*xs)), _outputs(case.run_torch(*ts))
    assert len(outs) == len(touts)
    rng = np.random.default_rng(1)
    loss, tloss = 0, 0
    for o, t in zip(outs, touts):
        assert o.shape == tuple(t.shape)
        assert o.dtype == t.detach().numpy().dtype, (o.dtype, t.dtype)
        np.testing.assert_allclose(o._data, t.detach().numpy(), **TOL[dtype])
        assert o.requires_grad == t.requires_grad
        if t.requires_grad:  # a random upstream gradient, the same for both
            g = rng.standard_normal(o.shape).astype(o.dtype)
            loss, tloss = loss + (o * g).sum(), tloss + (t * torch.tensor(g)).sum()
    if isinstance(loss, int):
        return
    loss.backward()
    tloss.backward()
    for x, t in zip(xs, ts):
        if t.grad is None:
            assert x.grad is None
            continue
        assert x.grad is not None and x.grad.shape == x.shape and x.grad.dtype == x.dtype
        np.testing.assert_allclose(x.grad._data, t.grad.numpy(), **TOL[dtype])


# ---- the meta-test: every public op has a row ------------------------------------------------
# no gradient: each is called here (args after x) and compared with torch in test_search.py
NONDIFF_CALLS: dict[str, tuple[Any, ...]] = {
    "argmax": (), "argmin": (), "sign": (), "floor": (), "round": (), "argsort": (),
    "eq": (0.5,), "ne": (0.5,), "lt": (0.5,), "le": (0.5,), "gt": (0.5,), "ge": (0.5,),
    "all": (), "any": (), "allclose": (0.5,), "isclose": (0.5,), "equal": (0.5,),
    "count_nonzero": (), "nonzero": (), "unique": (), "histc": (), "histogram": (3,), "numel": (),
    "ceil": (), "trunc": (), "fix": (), "floor_divide": (0.5,), "greater": (0.5,),
    "greater_equal": (0.5,), "less": (0.5,), "less_equal": (0.5,), "not_equal": (0.5,),
    "isnan": (), "isinf": (), "isfinite": (), "isposinf": (), "isneginf": (), "signbit": (),
    "logical_not": (), "logical_and": (0.5,), "logical_or": (0.5,), "logical_xor": (0.5,),
    "isin": ([0.5],), "broadcast_shapes": None, "argwhere": (), "heaviside": (0.5,),
    "bucketize": ([0.0, 1.0],), "searchsorted": None, "unique_consecutive": (), "sgn": (),
}
NONDIFF_INT = {"bincount", "one_hot", "gcd", "lcm", "bitwise_and", "bitwise_or", "bitwise_xor",
               "bitwise_not", "bitwise_left_shift", "bitwise_right_shift"}
NONDIFF_FUNCTIONS = set(NONDIFF_CALLS) | NONDIFF_INT  # NONDIFF_INT: these take int tensors
NONDIFF_METHODS = NONDIFF_FUNCTIONS | {"__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__",
                                       "long", "int", "bool", "multinomial",
                                       "__and__", "__rand__", "__or__", "__ror__", "__xor__",
                                       "__rxor__", "__invert__", "__lshift__", "__rlshift__",
                                       "__rshift__", "__rrshift__"}


def _public_methods() -> list[str]:
    return [n for n, v in vars(TensorOps).items()
            if (callable(v) or isinstance(v, property)) and n not in NONDIFF_METHODS
            and (not n.startswith("_") or (n.startswith("__") and n not in ("__init__",)))]


def _covered(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """Run every row once, recording the public functions and methods it calls directly."""
    called: set[str] = set()
    depth = [0]

    def recorder(name: str, fn: Any) -> Any:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if depth[0] == 0:
                called.add(name)
            depth[0] += 1
            try:
                return fn(*args, **kwargs)
            finally:
                depth[0] -= 1
        return wrapper

    for n in cr.ops.__all__:
        monkeypatch.setattr(cr, n, recorder(n, getattr(cr, n)))
    for n in _public_methods():
        v = vars(TensorOps)[n]
        if isinstance(v, property):
            monkeypatch.setattr(TensorOps, n, property(recorder(f"Tensor.{n}", v.fget)))
        else:
            monkeypatch.setattr(TensorOps, n, recorder(f"Tensor.{n}", v))
    for case in CASES:
        arrays = sample(case, case.shapes[0], np.float64)
        case.fn(*[cr.tensor(a, requires_grad=True) for a in arrays])
    return called


def test_every_public_op_has_a_case(monkeypatch: pytest.MonkeyPatch) -> None:
    required = {n for n in cr.ops.__all__ if n not in NONDIFF_FUNCTIONS}
    required |= {f"Tensor.{n}" for n in _public_methods()}
    missing = required - _covered(monkeypatch)
    assert not missing, f"ops without a row in tests/ops/op_table.py: {sorted(missing)}"


@pytest.mark.parametrize("name", sorted(NONDIFF_FUNCTIONS))
def test_ops_listed_as_nondifferentiable_record_no_graph(name: str) -> None:
    x = cr.tensor([0.5, -1.5, 2.0], requires_grad=True)
    fn = getattr(cr, name)
    if NONDIFF_CALLS.get(name, ()) is None:  # not a tensor function (broadcast_shapes)
        return
    if name in NONDIFF_INT:
        i = cr.tensor([0, 2, 2])
        out = fn(i) if name in ("bincount", "one_hot", "bitwise_not") else fn(i, i)
    else:
        out = fn(x, *NONDIFF_CALLS[name])
    for o in _outputs(out):
        assert not isinstance(o, cr.Tensor) or (not o.requires_grad and o.grad_fn is None)
