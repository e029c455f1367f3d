"""Module.state_dict / load_state_dict: validate everything, then copy in place."""
from __future__ import annotations

from collections import OrderedDict
from typing import Any, Mapping, NamedTuple

import numpy as np

from ...autograd.grad_mode import no_grad
from ...tensor import Tensor


class StateDictError(RuntimeError, ValueError):
    """A state_dict that does not fit the module (a RuntimeError as in PyTorch, and a
    ValueError as chainrule reports wrong shapes)."""


class _IncompatibleKeys(NamedTuple):
    missing_keys: list[str]
    unexpected_keys: list[str]

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return (f"_IncompatibleKeys(missing_keys={self.missing_keys}, "
                f"unexpected_keys={self.unexpected_keys})")


IncompatibleKeys = _IncompatibleKeys


def state_dict(module: Any, destination: Any, prefix: str,
               keep_vars: bool) -> OrderedDict[str, Tensor]:
    out: OrderedDict[str, Tensor] = OrderedDict() if destination is None else destination
    _save(module, out, prefix, keep_vars)
    return out


def _save(m: Any, out: dict[str, Tensor], prefix: str, keep_vars: bool) -> None:
    for name, p in m._parameters.items():
        if p is not None:
            out[prefix + name] = p if keep_vars else p.detach()
    for name, b in m._buffers.items():
        if b is not None and name not in m._non_persistent_buffers_set:
            out[prefix + name] = b if keep_vars else b.detach()
    for name, child in m._modules.items():
        if child is not None:
            _save(child, out, prefix + name + ".", keep_vars)


def _array(v: Any) -> np.ndarray:
    """A value of a state_dict as an array: chainrule tensors, NumPy arrays, and anything with
    ``.numpy()`` (PyTorch tensors, detached first when they can be) or ``__array__``."""
    if isinstance(v, Tensor):
        return v._data
    if hasattr(v, "numpy") and not isinstance(v, np.ndarray):
        v = v.detach() if hasattr(v, "detach") else v
        v = v.cpu() if hasattr(v, "cpu") else v
        return np.asarray(v.numpy())
    return np.asarray(v)


def _quoted(keys: list[str]) -> str:
    return ", ".join(f'"{k}"' for k in keys)


def load_state_dict(module: Any, sd: Mapping[str, Any], strict: bool) -> _IncompatibleKeys:
    if not isinstance(sd, Mapping):
        raise TypeError(f"load_state_dict: expected a mapping of names to tensors, got "
                        f"{type(sd).__name__}")
    targets = state_dict(module, None, "", keep_vars=True)
    missing = [k for k in targets if k not in sd]
    unexpected = [k for k in sd if k not in targets]
    problems: list[str] = []
    values: list[tuple[Tensor, np.ndarray]] = []
    for key, target in targets.items():
        if key not in sd:
            continue
        arr = _array(sd[key])
        if arr.dtype.kind not in "fiub":
            problems.append(f'  wrong type for "{key}": expected numbers, got dtype {arr.dtype}')
        elif arr.shape != target.shape:
            problems.append(f'  size mismatch for "{key}": expected shape {target.shape}, got '
                            f'{arr.shape}')
        else:
            values.append((target, arr))
    counts = [f"{len(problems)} mismatched"] if problems else []
    if strict:
        if unexpected:
            problems.insert(0, f"  unexpected keys: {_quoted(unexpected)}")
            counts.insert(0, f"{len(unexpected)} unexpected")
        if missing:
            problems.insert(0, f"  missing keys: {_quoted(missing)}")
            counts.insert(0, f"{len(missing)} missing")
    if problems:
        raise StateDictError(
            f"load_state_dict: expected the keys and shapes of {type(module).__name__}'s "
            f"state_dict, got {', '.join(counts)} (nothing was loaded):\n" + "\n".join(problems))
    with no_grad():
        for target, arr in values:
            target.copy_(arr)
    return _IncompatibleKeys(missing, unexpected)
