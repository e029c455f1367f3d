"""The checkpoint's state as JSON: tags for what JSON lacks, arrays kept aside by path.

Tensors and arrays become ``{"__tensor__": path}`` / ``{"__ndarray__": path}`` pointing
to arrays of the same safetensors file; tuples, non-string keys and non-finite floats
are tagged. Decoding never executes code and refuses unknown tags.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from ..tensor import Tensor, _make
from .errors import ModelFileError

__all__ = ["copy_state", "decode", "encode"]


def encode(obj: Any, path: str, arrays: dict[str, np.ndarray]) -> Any:
    if isinstance(obj, Tensor):
        arrays[path] = np.array(obj._data)
        return {"__tensor__": path}
    if isinstance(obj, np.ndarray):
        arrays[path] = np.array(obj)
        return {"__ndarray__": path}
    if isinstance(obj, np.generic):
        obj = obj.item()
    if obj is None or isinstance(obj, (bool, int, str)):
        return obj
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else {"__float__": repr(obj)}
    if isinstance(obj, tuple):
        return {"__tuple__": [encode(v, f"{path}/{i}", arrays) for i, v in enumerate(obj)]}
    if isinstance(obj, list):
        return [encode(v, f"{path}/{i}", arrays) for i, v in enumerate(obj)]
    if isinstance(obj, dict):
        if all(isinstance(k, str) and not k.startswith("__") for k in obj):
            return {k: encode(v, f"{path}/{k}", arrays) for k, v in obj.items()}
        return {"__items__": [[encode(k, f"{path}/key{i}", arrays),
                               encode(v, f"{path}/{k}", arrays)]
                              for i, (k, v) in enumerate(obj.items())]}
    raise TypeError(f"save_checkpoint: expected plain data, arrays or Tensors in the state, got "
                    f"{type(obj).__name__} at {path!r}")


def decode(obj: Any, arrays: dict[str, np.ndarray], source: Path) -> Any:
    if isinstance(obj, list):
        return [decode(v, arrays, source) for v in obj]
    if not isinstance(obj, dict):
        return obj
    if len(obj) == 1:
        (tag, value), = obj.items()
        if tag in ("__tensor__", "__ndarray__"):
            if value not in arrays:
                raise ModelFileError(source, f"missing array {value!r} in checkpoint.safetensors")
            arr = arrays[value]
            return _make(arr) if tag == "__tensor__" else arr
        if tag == "__float__":
            if value not in ("inf", "-inf", "nan"):
                raise ModelFileError(source, f"expected inf, -inf or nan, got {value!r}")
            return float(value)
        if tag == "__tuple__":
            return tuple(decode(v, arrays, source) for v in value)
        if tag == "__items__":
            return {decode(k, arrays, source): decode(v, arrays, source) for k, v in value}
    if any(k.startswith("__") for k in obj):
        raise ModelFileError(source, f"unknown tag among the keys {sorted(obj)}")
    return {k: decode(v, arrays, source) for k, v in obj.items()}


def copy_state(obj: Any) -> Any:
    """A copy of nested state that later in-place updates of its arrays cannot change."""
    if isinstance(obj, Tensor):
        return _make(np.array(obj._data))
    if isinstance(obj, np.ndarray):
        return np.array(obj)
    if isinstance(obj, list):
        return [copy_state(v) for v in obj]
    if isinstance(obj, tuple):
        return tuple(copy_state(v) for v in obj)
    if isinstance(obj, dict):
        return {k: copy_state(v) for k, v in obj.items()}
    return obj
