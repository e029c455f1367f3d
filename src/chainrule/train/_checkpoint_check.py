"""Validation of a decoded checkpoint against the running fit, before any of it is applied.

The optimizer's saved state is compared with a reference: an optimizer of the
same kind and hyperparameters, stepped once on zero gradients over zero copies
of the parameters, whose ``state_dict()`` shows the keys, shapes and dtypes a
genuine checkpoint has. Nothing of the running fit is touched here.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ModelFileError
from .files import _raw, check_arrays

__all__ = ["check_state"]


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _reference(optimizer: Any) -> dict[str, Any] | None:
    from ..nn import Parameter
    from ..tensor import _make
    groups = []
    for g in optimizer.param_groups:
        params = []
        for p in g["params"]:
            q = Parameter(_make(np.zeros_like(p._data)))
            q.grad = _make(np.zeros_like(p._data))
            params.append(q)
        groups.append({**{k: v for k, v in g.items() if k != "params"}, "params": params})
    try:
        ref = type(optimizer)(groups, lr=groups[0]["lr"])
        with np.errstate(all="ignore"):
            ref.step()
        return ref.state_dict()  # type: ignore[no-any-return]
    except Exception:  # an optimizer that needs a closure (LBFGS) or other arguments
        return None


def _same_kind(saved: Any, ref: Any) -> bool:
    if isinstance(ref, bool) or ref is None or isinstance(ref, str):
        return type(saved) is type(ref)
    if isinstance(ref, (int, float)):
        return _number(saved)
    if isinstance(ref, (tuple, list)):
        return isinstance(saved, (tuple, list)) and len(saved) == len(ref) and \
            all(_same_kind(s, r) for s, r in zip(saved, ref))
    return True


def check_optimizer(saved: Any, optimizer: Any, path: Path) -> None:
    """Raise ModelFileError unless ``saved`` is a state_dict that ``optimizer`` can take whole."""
    name = type(optimizer).__name__

    def bad(what: str) -> ModelFileError:
        return ModelFileError(path, f"optimizer state ({name}): {what}")
    ref = _reference(optimizer)
    if not isinstance(saved, dict) or set(saved) != {"state", "param_groups"}:
        raise bad("expected 'state' and 'param_groups'")
    if ref is None:  # no reference: the optimizer's own load_state_dict checks (and undo)
        return
    groups = saved["param_groups"]
    if not isinstance(groups, list) or len(groups) != len(ref["param_groups"]):
        raise bad(f"expected {len(ref['param_groups'])} parameter groups")
    for i, (g, r) in enumerate(zip(groups, ref["param_groups"])):
        if not isinstance(g, dict) or set(g) != set(r):
            keys = sorted(g) if isinstance(g, dict) else type(g).__name__
            raise bad(f"group {i}: expected the keys {sorted(r)}, got {keys!s:.120}")
        if g["params"] != r["params"]:
            raise bad(f"group {i}: expected the parameters {r['params']!s:.60}")
        for k, v in g.items():
            if k != "params" and (not _same_kind(v, r[k]) or (_number(v) and v < 0)):
                raise bad(f"group {i}: expected {k} like {r[k]!r:.30}, got {v!r:.40}")
    state = saved["state"]
    if not isinstance(state, dict):
        raise bad("expected 'state' a map")
    for key, entry in state.items():
        if type(key) is not int or key not in ref["state"]:
            raise bad(f"expected state keys among the parameter indices, got {key!r:.30}")
        want = ref["state"][key]
        if not isinstance(entry, dict) or set(entry) != set(want):
            got = sorted(entry) if isinstance(entry, dict) else type(entry).__name__
            raise bad(f"parameter {key}: expected the keys {sorted(want)}, got {got!s:.120}")
        for k, v in entry.items():
            r = want[k]
            if hasattr(r, "_data") or isinstance(r, np.ndarray):
                r_arr, v_arr = np.asarray(_raw(r)), _raw(v)
                if not isinstance(v_arr, np.ndarray) or v_arr.shape != r_arr.shape or \
                        v_arr.dtype != r_arr.dtype:
                    raise bad(f"parameter {key}: expected {k} of shape {r_arr.shape} "
                              f"({r_arr.dtype})")
                if v_arr.dtype.kind == "f" and not np.isfinite(v_arr).all():
                    raise bad(f"parameter {key}: expected finite values in {k}")
            elif isinstance(r, int) and not isinstance(r, bool):
                if type(v) is not int or v < 0:
                    raise bad(f"parameter {key}: expected {k} a non-negative integer, got "
                              f"{v!r:.30}")
            elif not _same_kind(v, r):
                raise bad(f"parameter {key}: expected {k} like {r!r:.30}, got {v!r:.30}")


def _check_keys(saved: Any, fresh: dict[str, Any], what: str, path: Path) -> None:
    if not isinstance(saved, dict) or set(saved) != set(fresh):
        got = sorted(saved) if isinstance(saved, dict) else type(saved).__name__
        raise ModelFileError(path, f"{what}: expected the keys {sorted(fresh)}, got {got!s:.120}")
    for k, v in saved.items():
        r = fresh[k]
        if _number(r) or isinstance(r, float):
            if not (isinstance(v, (int, float)) and not isinstance(v, bool)):
                raise ModelFileError(path, f"{what}: expected {k} a number, got {v!r:.30}")


def check_state(state: dict[str, Any], loop: Any, path: Path) -> None:
    """Raise ModelFileError unless the whole decoded ``state`` fits the running fit ``loop``."""
    model = {k: np.asarray(_raw(v)) for k, v in state["model"].items()}
    expected = {k: np.asarray(_raw(v)) for k, v in loop.model.state_dict().items()}
    check_arrays(path, model, expected)
    kind = type(loop.optimizer).__name__
    if state["optimizer_type"] != kind:
        raise ModelFileError(path, f"expected the state of a {kind} optimizer, got "
                             f"{state['optimizer_type']!r:.40}")
    check_optimizer(state["optimizer"], loop.optimizer, path)
    if (state.get("scheduler") is None) != (loop.scheduler is None):
        raise ModelFileError(path, "expected a checkpoint "
                             f"{'with' if loop.scheduler is not None else 'without'} a "
                             "scheduler state, got the other")
    if loop.scheduler is not None:
        _check_keys(state["scheduler"], loop.scheduler.state_dict(), "scheduler state", path)
    if state["epoch"] > loop.epochs:
        raise ModelFileError(path, f"the checkpoint is at epoch {state['epoch']}, past the "
                             f"{loop.epochs} epochs asked for")
    if state["step"] > state["epoch"] * loop.steps_per_epoch:
        raise ModelFileError(path, f"expected at most {loop.steps_per_epoch} steps per epoch, "
                             f"got {state['step']} steps in {state['epoch']} epochs")
    rng = state["rng"]
    if not isinstance(rng, dict) or "default" not in rng or not all(
            isinstance(v, dict) and isinstance(v.get("state"), dict) for v in rng.values()):
        raise ModelFileError(path, "expected random generator states, got malformed ones")
    saved = state.get("callbacks") or {}
    if not isinstance(saved, dict):
        raise ModelFileError(path, "expected callback states as a map")
    from .checkpoint import _callbacks_by_key
    for key, cb in _callbacks_by_key(loop):
        if key in saved:
            _check_keys(saved[key], cb.state_dict() or {}, f"callback {key}", path)
