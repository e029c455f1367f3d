"""&, |, ^, ~, <<, >> and bitwise_* on bool and integer tensors against PyTorch: values, dtypes
(PyTorch's promotion with 0-d tensors and Python numbers), in-place forms and errors."""
from __future__ import annotations

import operator
from typing import Any

import numpy as np
import pytest

import chainrule as cr

torch = pytest.importorskip("torch")

A = [[5, -3, 0], [7, 2, -8]]
B = [3, 6, -1]
DTYPES = ["bool", "int8", "uint8", "int16", "int32", "int64"]


def _t(m: Any, data: Any, dtype: str) -> Any:
    d = getattr(m, dtype)
    if dtype == "bool":
        return m.tensor(np.asarray(data) > 0, dtype=d)
    return m.tensor(np.abs(data) if dtype == "uint8" else data, dtype=d)


def _same(r: Any, t: Any) -> None:
    assert isinstance(r, cr.Tensor)
    assert r.shape == tuple(t.shape)
    assert str(r.dtype).split(".")[-1] == str(t.dtype).split(".")[-1], (r.dtype, t.dtype)
    np.testing.assert_array_equal(r.numpy(), t.numpy())


OPS = {"&": operator.and_, "|": operator.or_, "^": operator.xor}


@pytest.mark.parametrize("op", sorted(OPS))
@pytest.mark.parametrize("da", DTYPES)
@pytest.mark.parametrize("db", ["bool", "int8", "uint8", "int64"])
def test_binary_operators_match_torch(op: str, da: str, db: str) -> None:
    fn = OPS[op]
    _same(fn(_t(cr, A, da), _t(cr, B, db)), fn(_t(torch, A, da), _t(torch, B, db)))


@pytest.mark.parametrize("other", [True, 1, 6, -2, 300, "0-d", "0-d-bool"])  # 300 wraps
@pytest.mark.parametrize("da", DTYPES)
@pytest.mark.parametrize("name", ["bitwise_and", "bitwise_or", "bitwise_xor"])
def test_scalars_and_0d_tensors_promote_as_torch(name: str, da: str, other: Any) -> None:
    def call(m: Any, reflected: bool) -> Any:
        o = other
        if other == "0-d":
            o = m.tensor(6)
        elif other == "0-d-bool":
            o = m.tensor(True)
        x = _t(m, A, da)
        if reflected:
            return {"bitwise_and": operator.and_, "bitwise_or": operator.or_,
                    "bitwise_xor": operator.xor}[name](o, x)
        return getattr(m, name)(x, o)
    _same(call(cr, False), call(torch, False))
    _same(call(cr, True), call(torch, True))


@pytest.mark.parametrize("da", DTYPES)
def test_invert_and_bitwise_not_match_torch(da: str) -> None:
    _same(~_t(cr, A, da), ~_t(torch, A, da))
    _same(cr.bitwise_not(_t(cr, A, da)), torch.bitwise_not(_t(torch, A, da)))
    _same(_t(cr, A, da).bitwise_not(), _t(torch, A, da).bitwise_not())


@pytest.mark.parametrize("da", ["int8", "int32", "int64"])
def test_shifts_match_torch(da: str) -> None:
    a, s = [[5, -3, 1], [7, 2, -8]], [1, 2, 3]
    for fn in (operator.lshift, operator.rshift):
        _same(fn(_t(cr, a, da), _t(cr, s, da)), fn(_t(torch, a, da), _t(torch, s, da)))
        _same(fn(_t(cr, a, da), 2), fn(_t(torch, a, da), 2))
        _same(fn(3, _t(cr, s, da)), fn(3, _t(torch, s, da)))


def test_mask_from_comparisons() -> None:
    x, t = cr.tensor([-0.5, 0.3, 0.9, 1.5]), torch.tensor([-0.5, 0.3, 0.9, 1.5])
    _same((x > 0) & (x < 1), (t > 0) & (t < 1))
    _same((x < 0) | (x > 1), (t < 0) | (t > 1))
    _same(~((x > 0) ^ (x > 1)), ~((t > 0) ^ (t > 1)))
    assert x[(x > 0) & (x < 1)].tolist() == pytest.approx([0.3, 0.9])


@pytest.mark.parametrize("op", ["&=", "|=", "^=", "<<=", ">>="])
@pytest.mark.parametrize("da,db", [("int32", "int32"), ("int32", "int64"), ("int64", "bool"),
                                   ("bool", "bool"), ("int8", "int8")])
def test_in_place_operators_match_torch(op: str, da: str, db: str) -> None:
    if op in ("<<=", ">>=") and "bool" in (da, db):
        return
    results = []
    for m in (cr, torch):
        x, y = _t(m, A, da), _t(m, [3, 6, 1] if op in ("<<=", ">>=") else B, db)
        before = x
        x = {"&=": operator.iand, "|=": operator.ior, "^=": operator.ixor,
             "<<=": operator.ilshift, ">>=": operator.irshift}[op](x, y)
        assert x is before
        results.append(x)
    _same(*results)
    for m in (cr, torch):
        x = _t(m, A, "int32")
        assert x.bitwise_and_(m.tensor([1, 1, 1], dtype=m.int32)) is x


@pytest.mark.parametrize("call", [
    lambda m: m.tensor([1.0, 2.0]) & m.tensor([1.0, 2.0]),
    lambda m: m.tensor([1, 2]) | 1.5,
    lambda m: ~m.tensor([1.0]),
    lambda m: m.bitwise_xor(m.tensor([0.5]), m.tensor([True])),
    lambda m: m.tensor([1, 2, 3]) & m.tensor([1, 2]),
])
def test_bad_input_raises_as_torch(call: Any) -> None:
    with pytest.raises((TypeError, RuntimeError, NotImplementedError)):
        call(torch)
    with pytest.raises((TypeError, ValueError)):
        call(cr)


def test_bool_in_place_with_an_int_result_raises_as_torch() -> None:
    for m in (torch, cr):
        x = m.tensor([True, False])
        with pytest.raises(RuntimeError, match="can't be cast"):
            x &= m.tensor([1, 2])
        assert x.tolist() == [True, False]


def test_out_argument() -> None:
    out, tout = cr.empty(0, dtype=cr.int64), torch.empty(0, dtype=torch.int64)
    r = cr.bitwise_and(cr.tensor([12, 10]), cr.tensor([6, 3]), out=out)
    torch.bitwise_and(torch.tensor([12, 10]), torch.tensor([6, 3]), out=tout)
    assert r is out
    _same(out, tout)
