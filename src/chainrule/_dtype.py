"""dtypes: PyTorch's names and printing over NumPy's element types, float32 by default.

``chainrule.float32`` is a :class:`dtype`, as ``torch.float32`` is a ``torch.dtype``: it prints
``chainrule.float32`` and has torch's attributes (``is_floating_point``, ``itemsize``, ...).
It is also a NumPy dtype-like: it compares equal to ``np.float32``, ``np.dtype("float32")``
and ``"float32"``, hashes as they do, and NumPy accepts it wherever it takes a dtype (through
its ``.dtype`` attribute). ``Tensor.dtype`` returns one; the array behind a tensor keeps
NumPy's own dtype.
"""
from __future__ import annotations

import builtins
from typing import Any, TypeAlias

import numpy as np

DTypeLike = Any
DType: TypeAlias = "dtype"  # the class below, in annotations inside it (``dtype`` is its slot)


class dtype:  # noqa: N801  (torch.dtype)
    """A tensor's element type, one object per type: ``chainrule.float32 is t.dtype``.

    Example
    -------
    >>> import chainrule as cr
    >>> cr.tensor([1.0]).dtype, cr.float64.itemsize, cr.int64.is_floating_point
    (chainrule.float32, 8, False)
    >>> cr.float32 == "float32", np.zeros(2, dtype=cr.int8).dtype
    (True, dtype('int8'))
    """

    __slots__ = ("dtype", "_name")
    dtype: np.dtype  # NumPy's protocol: np.dtype(x) reads this

    def __init__(self, np_dtype: np.dtype[Any], name: str) -> None:
        object.__setattr__(self, "dtype", np_dtype)
        object.__setattr__(self, "_name", name)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{self!r}: dtypes are read-only")

    @property
    def is_floating_point(self) -> bool:
        return self.dtype.kind == "f"

    @property
    def is_complex(self) -> bool:
        return self.dtype.kind == "c"

    @property
    def is_signed(self) -> bool:
        return self.dtype.kind in "fic"

    @property
    def itemsize(self) -> builtins.int:
        return self.dtype.itemsize

    def __getattr__(self, name: str) -> Any:  # NumPy's attributes: kind, char, name, type, str
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.dtype, name)

    def __repr__(self) -> str:
        return f"chainrule.{self._name}"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, dtype):
            return self.dtype == other.dtype
        if other is None:  # np.dtype(None) is float64
            return False
        try:
            return builtins.bool(self.dtype == np.dtype(other))  # type: ignore[call-overload]
        except (TypeError, ValueError):
            return False

    def __hash__(self) -> builtins.int:
        return hash(self.dtype)

    def __reduce__(self) -> tuple[Any, tuple[str]]:  # copy/deepcopy give the one object
        return _by_name, (self._name,)

    def to_real(self) -> DType:
        return self

    def to_complex(self) -> DType:
        raise TypeError(f"{self!r}.to_complex: chainrule has no complex dtypes")


_BY_NP: dict[np.dtype, dtype] = {}


def _define(name: str) -> dtype:
    d = dtype(np.dtype(name), name)
    _BY_NP[d.dtype] = d
    return d


float16 = _define("float16")
float32 = _define("float32")
float64 = _define("float64")
int8 = _define("int8")
int16 = _define("int16")
int32 = _define("int32")
int64 = _define("int64")
uint8 = _define("uint8")
uint16 = _define("uint16")
uint32 = _define("uint32")
uint64 = _define("uint64")
bool_ = _define("bool")
half, float, double, long = float16, float32, float64, int64  # noqa: A001  (PyTorch aliases)
short, int = int16, int32  # noqa: A001


def _by_name(name: str) -> dtype:
    return of(np.dtype(name))


def of(np_dtype: np.dtype) -> dtype:
    """The chainrule dtype of a NumPy dtype (``Tensor.dtype``)."""
    d = _BY_NP.get(np_dtype)
    if d is None:  # a type torch has no name for (complex, strings): printed by NumPy's name
        d = _BY_NP.setdefault(np_dtype, dtype(np_dtype, np_dtype.name))
    return d


_default: list[np.dtype] = [float32.dtype]


def set_default_dtype(d: DTypeLike) -> None:
    """Set the dtype of tensors made from Python floats (float32 unless changed).

    Example
    -------
    >>> import chainrule as cr
    >>> cr.set_default_dtype(cr.float64); cr.tensor(1.5).dtype
    chainrule.float64
    >>> cr.set_default_dtype(cr.float32)
    """
    nd = as_dtype(d)
    if nd.kind != "f":
        raise TypeError(f"set_default_dtype: expected a floating point dtype, got {of(nd)!r}")
    _default[0] = nd


def get_default_dtype() -> dtype:
    """The current default floating point dtype (``chainrule.float32`` unless changed)."""
    return _BY_NP[_default[0]]


def float_dtype(d: DTypeLike = None) -> np.dtype:
    """NumPy's dtype for ``dtype=d`` of a creation function or layer: the default when None."""
    return _default[0] if d is None else as_dtype(d)


def as_dtype(d: DTypeLike) -> np.dtype:
    """Turn a dtype-like (chainrule.int64, np.float32, "float64") into a NumPy dtype."""
    if isinstance(d, dtype):
        return d.dtype
    try:
        return np.dtype(d)
    except TypeError:
        raise TypeError(
            f"dtype: expected a dtype such as chainrule.float32, got {d!r}") from None


class finfo:  # noqa: N801  (torch.finfo)
    """Machine limits of a floating point dtype, with torch's attribute names.

    Example
    -------
    >>> import chainrule as cr
    >>> cr.finfo(cr.float32).eps, cr.finfo().max > 1e38
    (1.1920928955078125e-07, True)
    """

    def __init__(self, type: DTypeLike = None) -> None:  # noqa: A002  (torch's name)
        nd = _default[0] if type is None else as_dtype(type)
        if nd.kind != "f":
            raise TypeError(f"finfo: expected a floating point dtype, got {of(nd)!r}")
        fi = np.finfo(nd)
        self.dtype = str(nd)
        self.bits, self.resolution = fi.bits, builtins.float(str(fi.resolution))
        self.eps, self.max, self.min = (builtins.float(v) for v in (fi.eps, fi.max, fi.min))
        self.tiny = self.smallest_normal = builtins.float(fi.smallest_normal)

    def __repr__(self) -> str:
        return (f"finfo(resolution={self.resolution}, min={self.min:g}, max={self.max:g}, "
                f"eps={self.eps:g}, smallest_normal={self.tiny:g}, tiny={self.tiny:g}, "
                f"dtype={self.dtype})")


class iinfo:  # noqa: N801  (torch.iinfo)
    """Limits of an integer dtype, with torch's attribute names.

    Example
    -------
    >>> import chainrule as cr
    >>> cr.iinfo(cr.int8).min, cr.iinfo(cr.uint8).max
    (-128, 255)
    """

    def __init__(self, type: DTypeLike) -> None:  # noqa: A002  (torch's name)
        nd = as_dtype(type)
        if nd.kind not in "iu":
            raise TypeError(f"iinfo: expected an integer dtype, got {of(nd)!r}")
        ii = np.iinfo(nd)
        self.dtype, self.bits = str(nd), ii.bits
        self.min, self.max = builtins.int(ii.min), builtins.int(ii.max)

    def __repr__(self) -> str:
        return f"iinfo(min={self.min}, max={self.max}, dtype={self.dtype})"
