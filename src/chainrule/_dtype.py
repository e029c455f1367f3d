"""dtypes as NumPy dtypes, with PyTorch's names and default (float32)."""
from __future__ import annotations

from typing import Any

import numpy as np

float16 = np.dtype("float16")
float32 = np.dtype("float32")
float64 = np.dtype("float64")
int8 = np.dtype("int8")
int16 = np.dtype("int16")
int32 = np.dtype("int32")
uint8 = np.dtype("uint8")
int64 = np.dtype("int64")
bool_ = np.dtype("bool")
half, float, double, long = float16, float32, float64, int64  # noqa: A001  (PyTorch aliases)
short, int = int16, int32  # noqa: A001

DTypeLike = Any
_default: list[np.dtype] = [float32]


def set_default_dtype(dtype: DTypeLike) -> None:
    """Set the dtype of tensors made from Python floats (float32 unless changed).

    Example
    -------
    >>> import chainrule as cr
    >>> cr.set_default_dtype(cr.float64); cr.tensor(1.5).dtype
    dtype('float64')
    >>> cr.set_default_dtype(cr.float32)
    """
    d = np.dtype(dtype)
    if d.kind != "f":
        raise TypeError(f"set_default_dtype: expected a floating point dtype, got {d}")
    _default[0] = d


def get_default_dtype() -> np.dtype:
    """The current default floating point dtype."""
    return _default[0]


def as_dtype(dtype: DTypeLike) -> np.dtype:
    """Turn a dtype-like (np.float32, "float64", chainrule.int64) into a NumPy dtype."""
    try:
        return np.dtype(dtype)
    except TypeError:
        raise TypeError(
            f"dtype: expected a dtype such as chainrule.float32, got {dtype!r}") from None
