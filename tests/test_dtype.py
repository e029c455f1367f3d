"""chainrule.dtype beside torch.dtype: names, printing, attributes, finfo, iinfo; NumPy interop."""
from __future__ import annotations

import copy

import numpy as np
import pytest

import chainrule as cr

NAMES = ("float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "uint16",
         "uint32", "uint64", "bool", "half", "float", "double", "short", "int", "long")


@pytest.mark.parametrize("name", NAMES)
def test_dtype_prints_and_behaves_as_torch(name: str) -> None:
    torch = pytest.importorskip("torch")
    c, t = getattr(cr, name), getattr(torch, name)
    assert repr(c).replace("chainrule", "torch") == repr(t)
    assert str(c).replace("chainrule", "torch") == str(t)
    assert isinstance(c, cr.dtype)
    for attr in ("is_floating_point", "is_complex", "is_signed", "itemsize"):
        assert getattr(c, attr) == getattr(t, attr), attr
    assert cr.zeros(2, dtype=c).dtype is c
    assert (torch.zeros(2, dtype=t).numpy().dtype == np.dtype(c))


def test_a_tensors_dtype_is_the_one_object_and_equals_numpys() -> None:
    t = cr.tensor([1.0, 2.0])
    assert t.dtype is cr.float32 and cr.tensor([1, 2]).dtype is cr.int64
    assert (t > 1).dtype is cr.bool
    for same in (np.float32, np.dtype("float32"), "float32", cr.float):
        assert t.dtype == same and same == t.dtype
    for other in (np.float64, "int64", cr.int32, None, "no such type", t):
        assert t.dtype != other
    assert hash(cr.float32) == hash(np.dtype("float32"))
    assert {np.dtype("float32"): "yes"}[t.dtype] == "yes"
    assert t.dtype in (np.float32, np.float64)
    assert copy.deepcopy(t.dtype) is cr.float32 and copy.copy(cr.int8) is cr.int8
    assert cr.get_default_dtype() is cr.float32


def test_numpy_takes_chainrule_dtypes() -> None:
    assert np.zeros(3, dtype=cr.int16).dtype == np.int16
    assert np.arange(3).astype(cr.float64).dtype == np.float64
    assert np.dtype(cr.uint8) == np.uint8
    assert np.issubdtype(cr.float16, np.floating) and not np.issubdtype(cr.int64, np.floating)
    assert np.result_type(cr.float32, np.float64) == np.float64
    assert cr.float32.kind == "f" and cr.int64.char == "l" and cr.bool.name == "bool"


def test_dtypes_are_read_only_and_errors_name_them() -> None:
    with pytest.raises(AttributeError, match="read-only"):
        cr.float32.itemsize = 8  # type: ignore[misc]
    with pytest.raises(TypeError, match="floating point dtype, got chainrule.int64"):
        cr.set_default_dtype(cr.int64)
    with pytest.raises(TypeError, match="expected a dtype such as chainrule.float32"):
        cr.zeros(2, dtype=object())
    assert cr.float32.to_real() is cr.float32


@pytest.mark.parametrize("name", ["float16", "float32", "float64"])
def test_finfo_matches_torch(name: str) -> None:
    torch = pytest.importorskip("torch")
    c, t = cr.finfo(getattr(cr, name)), torch.finfo(getattr(torch, name))
    for attr in ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution"):
        assert getattr(c, attr) == getattr(t, attr), attr
    assert cr.finfo().eps == torch.finfo().eps
    with pytest.raises(TypeError, match="floating point dtype, got chainrule.int32"):
        cr.finfo(cr.int32)


@pytest.mark.parametrize("name", ["int8", "int16", "int32", "int64", "uint8", "bool"])
def test_iinfo_matches_torch(name: str) -> None:
    torch = pytest.importorskip("torch")
    if name == "bool":
        with pytest.raises(TypeError):
            torch.iinfo(torch.bool)
        with pytest.raises(TypeError, match="integer dtype, got chainrule.bool"):
            cr.iinfo(cr.bool)
        return
    c, t = cr.iinfo(getattr(cr, name)), torch.iinfo(getattr(torch, name))
    assert (c.bits, c.min, c.max) == (t.bits, t.min, t.max)
    with pytest.raises(TypeError, match="integer dtype, got chainrule.float32"):
        cr.iinfo(cr.float32)
