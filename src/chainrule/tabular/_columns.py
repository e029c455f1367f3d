"""Column helpers of the preprocessing: missing cells, kinds, text to numbers."""
from __future__ import annotations

import math
from typing import Any, Mapping

import numpy as np

__all__ = ["MISSING_TOKENS", "is_missing"]

MISSING_TOKENS = ("", "na", "n/a", "nan", "null", "none", "?")
_TRUE, _FALSE = ("true", "yes", "t", "y"), ("false", "no", "f", "n")


def is_missing(values: np.ndarray) -> np.ndarray:
    """A boolean mask of missing cells: NaN/inf numbers, None or a missing token in text.

    Example
    -------
    >>> is_missing(np.array(["a", "", None, "NA", "?"], dtype=object)).tolist()
    [False, True, True, True, True]
    """
    v = np.asarray(values)
    if v.dtype.kind in "fc":
        return ~np.isfinite(v)
    if v.dtype.kind in "iub":
        return np.zeros(v.shape, bool)
    return np.fromiter((c is None or (isinstance(c, float) and not math.isfinite(c)) or
                        (isinstance(c, str) and c.strip().lower() in MISSING_TOKENS)
                        for c in v.tolist()), bool, len(v))


def _cell_text(c: Any) -> str:
    """A cell as category text: 2.0 read as a number matches "2" read as text."""
    if isinstance(c, float) and c.is_integer():
        return str(int(c))
    return str(c).strip()


def _text(values: np.ndarray, missing: np.ndarray) -> np.ndarray:
    return np.array([("" if m else _cell_text(c)) for c, m in zip(values.tolist(), missing)],
                    dtype=object)


def _as_numbers(values: np.ndarray, missing: np.ndarray) -> np.ndarray | None:
    """Text that is all numbers (or missing) as float64, else None."""
    v = np.asarray(values)
    if v.dtype.kind in "fiu":
        return v.astype(np.float64)
    if v.dtype.kind == "b":
        return v.astype(np.float64)
    out = np.full(len(v), np.nan)
    for i, (c, m) in enumerate(zip(v.tolist(), missing)):
        if m:
            continue
        try:
            out[i] = float(c)
        except (TypeError, ValueError):
            return None
    return out


def _kind(values: np.ndarray, missing: np.ndarray) -> str:
    v = np.asarray(values)
    if v.dtype.kind == "b":
        return "boolean"
    if v.dtype.kind in "fiu":
        return "numeric"
    words = {str(c).strip().lower() for c, m in zip(v.tolist(), missing) if not m}
    if words and words <= set(_TRUE + _FALSE):
        return "boolean"
    return "numeric" if _as_numbers(v, missing) is not None else "category"


def _bool_numbers(values: np.ndarray, missing: np.ndarray) -> np.ndarray:
    v = np.asarray(values)
    if v.dtype.kind in "biuf":
        out = v.astype(np.float64)
    else:
        out = np.array([1.0 if str(c).strip().lower() in _TRUE else 0.0 for c in v.tolist()])
    out[missing] = np.nan
    return out


def _unit_table(columns: Mapping[str, Any]) -> bool:
    """Whether every numeric column lies in [0, 1] (an image or a table of shares)."""
    seen = False
    for raw in columns.values():
        v = np.asarray(raw)
        if v.dtype.kind in "fiu" and v.size:
            ok = np.isfinite(v) if v.dtype.kind == "f" else np.ones(v.shape, bool)
            if ok.any():
                seen = True
                if v[ok].min() < 0 or v[ok].max() > 1:
                    return False
    return seen
