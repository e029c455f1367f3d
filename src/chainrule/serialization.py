"""``chainrule.save`` / ``chainrule.load``: PyTorch's ``torch.save(obj, f)`` without pickle.

What tutorials save: state_dicts, checkpoints (dicts of state_dicts, numbers
and strings), tensors and lists of them. The file is a NumPy ``.npz`` archive:
one array per tensor plus a JSON description of the containers around them,
read back with ``allow_pickle=False``, so loading a file never runs code
(as ``torch.load(..., weights_only=True)``). A path is written atomically
(temporary file, fsync, rename).
"""
from __future__ import annotations

import io
import json
import os
from collections import OrderedDict
from typing import Any, BinaryIO

import numpy as np

from .tensor import Tensor, _make

__all__ = ["load", "save"]

_FORMAT = "chainrule.save/1"
_STRUCTURE = "__structure__"


def _encode(obj: Any, arrays: dict[str, np.ndarray], where: str) -> Any:
    if isinstance(obj, Tensor):
        key = f"t{len(arrays)}"
        arrays[key] = obj._data
        from .nn.parameter import Parameter
        kind = "parameter" if isinstance(obj, Parameter) else "tensor"
        return {"$": kind, "key": key, "requires_grad": bool(obj.requires_grad)}
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind not in "biufc":
            raise TypeError(f"save: expected numeric arrays, got dtype {obj.dtype} at {where}")
        key = f"t{len(arrays)}"
        arrays[key] = obj
        return {"$": "ndarray", "key": key}
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, (int, np.integer)):
        return {"$": "int", "v": int(obj)}
    if isinstance(obj, (float, np.floating)):
        return {"$": "float", "v": repr(float(obj))}
    if isinstance(obj, dict):
        items = []
        for k, v in obj.items():
            if not isinstance(k, (str, int)) or isinstance(k, bool):
                raise TypeError(f"save: expected str or int dict keys, got "
                                f"{type(k).__name__} at {where}")
            items.append([k, _encode(v, arrays, f"{where}[{k!r}]")])
        return {"$": "odict" if isinstance(obj, OrderedDict) else "dict", "items": items}
    if isinstance(obj, (list, tuple)):
        return {"$": type(obj).__name__ if type(obj) in (list, tuple) else "list",
                "items": [_encode(v, arrays, f"{where}[{i}]") for i, v in enumerate(obj)]}
    raise TypeError(f"save: expected tensors, arrays, numbers, strings, None, and dicts, lists "
                    f"or tuples of them, got {type(obj).__name__} at {where}; chainrule never "
                    "pickles objects (save the model's state_dict(), not the model)")


def save(obj: Any, f: str | os.PathLike[str] | BinaryIO, pickle_module: Any = None,
         pickle_protocol: int = 2, _use_new_zipfile_serialization: bool = True) -> None:
    """Save tensors and containers of them to ``f`` (a path or a binary file object).

    Example
    -------
    >>> import io, chainrule as cr
    >>> buf = io.BytesIO()
    >>> cr.save({"w": cr.ones(2), "epoch": 3}, buf); _ = buf.seek(0)
    >>> cr.load(buf)
    {'w': tensor([1., 1.]), 'epoch': 3}
    """
    if pickle_module is not None:
        raise ValueError("save: expected pickle_module=None, got a module; chainrule never "
                         "pickles")
    arrays: dict[str, np.ndarray] = {}
    structure = {"format": _FORMAT, "obj": _encode(obj, arrays, "obj")}
    arrays[_STRUCTURE] = np.frombuffer(json.dumps(structure).encode(), dtype=np.uint8)
    if hasattr(f, "write"):
        np.savez(f, **arrays)  # type: ignore[arg-type]
        return
    buf = io.BytesIO()
    np.savez(buf, **arrays)  # type: ignore[arg-type]
    from .train.files import atomic_write_bytes
    atomic_write_bytes(os.fspath(f), buf.getvalue())


def _decode(node: Any, arrays: Any, where: str) -> Any:
    if node is None or isinstance(node, (bool, str)):
        return node
    if isinstance(node, list):  # never written; a hand-edited file
        raise ValueError(f"load: expected a chainrule.save file, got a bare list at {where}")
    kind = node.get("$") if isinstance(node, dict) else None
    if kind in ("tensor", "parameter", "ndarray"):
        key = node.get("key")
        if key not in arrays.files or key == _STRUCTURE:
            raise ValueError(f"load: expected array {key!r} in the file, got none at {where}")
        arr = np.array(arrays[key])  # a writable copy, not a view of the archive
        if kind == "ndarray":
            return arr
        if kind == "parameter":
            from .nn.parameter import Parameter
            return Parameter(arr, requires_grad=bool(node.get("requires_grad", True)))
        t = _make(arr)
        if node.get("requires_grad"):
            t.requires_grad_(True)
        return t
    if kind == "int":
        return int(node["v"])
    if kind == "float":
        return float(node["v"])
    if kind in ("dict", "odict"):
        pairs = [(k, _decode(v, arrays, f"{where}[{k!r}]")) for k, v in node["items"]]
        return OrderedDict(pairs) if kind == "odict" else dict(pairs)
    if kind in ("list", "tuple"):
        items = [_decode(v, arrays, f"{where}[{i}]") for i, v in enumerate(node["items"])]
        return tuple(items) if kind == "tuple" else items
    raise ValueError(f"load: expected a chainrule.save file, got an unknown entry {kind!r} at "
                     f"{where}")


def load(f: str | os.PathLike[str] | BinaryIO, map_location: Any = None,
         pickle_module: Any = None, *, weights_only: bool | None = None, mmap: Any = None,
         **pickle_load_args: Any) -> Any:
    """Load what :func:`save` wrote (tensors come back as Tensors, containers as saved).

    ``map_location`` may be None or "cpu"; ``weights_only`` is accepted (loading
    never runs code whatever its value).
    """
    if map_location is not None and not str(map_location).startswith("cpu") \
            and not callable(map_location) and not isinstance(map_location, dict):
        raise ValueError(f"load: expected map_location None or 'cpu' (chainrule runs on the "
                         f"CPU), got {map_location!r}")
    try:
        arrays = np.load(f, allow_pickle=False)
    except (ValueError, OSError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        raise ValueError(f"load: expected a file written by chainrule.save, got {f!r} "
                         f"({exc}); a file from torch.save is a pickle, which chainrule never "
                         "loads: export it with safetensors") from None
    with arrays:
        if not hasattr(arrays, "files") or _STRUCTURE not in arrays.files:
            raise ValueError(f"load: expected a file written by chainrule.save, got {f!r} "
                             "(no structure entry); a file from torch.save holds a pickle, which "
                             "chainrule never loads: export it with safetensors")
        try:
            structure = json.loads(bytes(arrays[_STRUCTURE]).decode())
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError(f"load: expected a JSON structure in {f!r}, got {exc}") from None
        if not isinstance(structure, dict) or structure.get("format") != _FORMAT:
            got = structure.get("format") if isinstance(structure, dict) else structure
            raise ValueError(f"load: expected format {_FORMAT!r}, got {got!r}")
        return _decode(structure.get("obj"), arrays, "obj")
