"""Resumable checkpoints: ``checkpoint.safetensors`` (arrays) + ``checkpoint.json`` (the rest).

A checkpoint holds everything that decides the next epoch: the model's
weights, the optimizer's and scheduler's ``state_dict()``, the epoch and step
counters, the history so far, the states of callbacks that have one
(EarlyStopping), and the random states of initialisation and dropout (the
library's generator, and any generator a module holds) and of shuffling (the
loader's generator). Resuming from it gives the same weights, bit for bit, as
training straight through.

Nested state is written as JSON with tags for what JSON lacks (arrays point
into the safetensors file; tuples, non-string keys and non-finite floats are
tagged); loading never executes code. The JSON names the arrays file's
checksum, so a pair from two different saves is refused.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from .. import random as _random
from ..tensor import Tensor, _make
from .callbacks import Callback
from .errors import ModelFileError
from .files import _checksum, _raw, check_arrays, load_arrays, read_json, save_arrays, write_json
from .history import History

__all__ = ["BackupAndRestore", "load_checkpoint", "save_checkpoint"]

FORMAT, VERSION = "chainrule-checkpoint", 1
ARRAYS, META = "checkpoint.safetensors", "checkpoint.json"


def _encode(obj: Any, path: str, arrays: dict[str, np.ndarray]) -> Any:
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
        return {"__tuple__": [_encode(v, f"{path}/{i}", arrays) for i, v in enumerate(obj)]}
    if isinstance(obj, list):
        return [_encode(v, f"{path}/{i}", arrays) for i, v in enumerate(obj)]
    if isinstance(obj, dict):
        if all(isinstance(k, str) and not k.startswith("__") for k in obj):
            return {k: _encode(v, f"{path}/{k}", arrays) for k, v in obj.items()}
        return {"__items__": [[_encode(k, f"{path}/key{i}", arrays),
                               _encode(v, f"{path}/{k}", arrays)]
                              for i, (k, v) in enumerate(obj.items())]}
    raise TypeError(f"save_checkpoint: expected plain data, arrays or Tensors in the state, got "
                    f"{type(obj).__name__} at {path!r}")


def _decode(obj: Any, arrays: dict[str, np.ndarray], source: Path) -> Any:
    if isinstance(obj, list):
        return [_decode(v, arrays, source) for v in obj]
    if not isinstance(obj, dict):
        return obj
    if len(obj) == 1:
        (tag, value), = obj.items()
        if tag in ("__tensor__", "__ndarray__"):
            if value not in arrays:
                raise ModelFileError(source, f"missing array {value!r} in {ARRAYS}")
            arr = arrays[value]
            return _make(arr) if tag == "__tensor__" else arr
        if tag == "__float__":
            if value not in ("inf", "-inf", "nan"):
                raise ModelFileError(source, f"expected inf, -inf or nan, got {value!r}")
            return float(value)
        if tag == "__tuple__":
            return tuple(_decode(v, arrays, source) for v in value)
        if tag == "__items__":
            return {_decode(k, arrays, source): _decode(v, arrays, source) for k, v in value}
    if any(k.startswith("__") for k in obj):
        raise ModelFileError(source, f"unknown tag among the keys {sorted(obj)}")
    return {k: _decode(v, arrays, source) for k, v in obj.items()}


def _module_generators(model: Any) -> dict[str, _random.Generator]:
    found: dict[str, _random.Generator] = {}
    named = getattr(model, "named_modules", None)
    for name, module in (named() if named else [("", model)]):
        for attr, value in vars(module).items():
            if isinstance(value, _random.Generator) and value is not _random.default_generator:
                found[f"{name}.{attr}" if name else attr] = value
    return found


def _callbacks_by_key(loop: Any) -> list[tuple[str, Callback]]:
    """Callbacks with a state, keyed ``<ClassName>#<n>`` (n-th of that class)."""
    out: list[tuple[str, Callback]] = []
    for cb in loop.callbacks.callbacks:
        if cb.state_dict() is not None:
            key = type(cb).__name__
            n = sum(1 for k, _ in out if k.split("#")[0] == key)
            out.append((f"{key}#{n}", cb))
    return out


def _capture(loop: Any, copy: bool = False) -> dict[str, Any]:
    gens = {"default": _random.default_generator.get_state()}
    if loop.generator is not _random.default_generator:
        gens["loader"] = loop.generator.get_state()
    gens.update({f"module:{k}": g.get_state() for k, g in _module_generators(loop.model).items()})
    return {
        "format": FORMAT, "version": VERSION, "epoch": loop.epoch, "step": loop.step,
        "model": {k: _make(np.array(_raw(v))) if copy else v
                  for k, v in loop.model.state_dict().items()},
        "optimizer": loop.optimizer.state_dict(),
        "scheduler": None if loop.scheduler is None else loop.scheduler.state_dict(),
        "rng": gens, "history": loop.history.to_dict(),
        "callbacks": {k: cb.state_dict() for k, cb in _callbacks_by_key(loop)},
    }


def save_checkpoint(directory: str | Path, loop: Any) -> list[Path]:
    """Write the running fit's state into ``directory`` (two files, each atomic)."""
    arrays: dict[str, np.ndarray] = {}
    meta = _encode(_capture(loop), "", arrays)
    meta["arrays_sha256"] = _checksum({k: np.ascontiguousarray(v) for k, v in arrays.items()})
    d = Path(directory)
    return [save_arrays(d / ARRAYS, arrays), write_json(d / META, meta)]


def _read(directory: Path) -> dict[str, Any]:
    meta = read_json(directory / META)
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ModelFileError(directory / META, f"expected a {FORMAT} file, got something else")
    if meta.get("version") != VERSION:
        raise ModelFileError(directory / META, f"expected version {VERSION}, got "
                             f"{meta.get('version')!r}")
    arrays = load_arrays(directory / ARRAYS)
    if meta.get("arrays_sha256") != _checksum(arrays):
        raise ModelFileError(directory / ARRAYS, f"does not match {META} (files from "
                             "different saves, or corrupted)")
    state = _decode({k: v for k, v in meta.items() if k != "arrays_sha256"}, arrays,
                    directory / META)
    for key in ("epoch", "step", "model", "optimizer", "rng", "history"):
        if key not in state:
            raise ModelFileError(directory / META, f"missing key {key!r}")
    return state


def load_checkpoint(directory: str | Path, loop: Any) -> dict[str, Any]:
    """Restore a fit's state from ``directory``; on any error nothing is changed.

    Raises ModelFileError (naming the file and what is wrong) for a missing,
    damaged or mismatched checkpoint.
    """
    d = Path(directory)
    state = _read(d)
    model_arrays = {k: np.asarray(_raw(v)) for k, v in state["model"].items()}
    expected = {k: np.asarray(_raw(v)) for k, v in loop.model.state_dict().items()}
    check_arrays(d / ARRAYS, model_arrays, expected)
    if (state.get("scheduler") is None) != (loop.scheduler is None):
        raise ModelFileError(d / META, "expected a checkpoint "
                             f"{'with' if loop.scheduler is not None else 'without'} a "
                             "scheduler state, got the other")
    if state["epoch"] > loop.epochs:
        raise ModelFileError(d / META, f"the checkpoint is at epoch {state['epoch']}, past the "
                             f"{loop.epochs} epochs asked for")
    undo = _capture(loop, copy=True)
    try:
        _apply(state, loop, d)
    except Exception as exc:
        _apply(undo, loop, d)
        if isinstance(exc, ModelFileError):
            raise
        raise ModelFileError(d, f"does not fit this model/optimizer ({exc})") from None
    return state


def _apply(state: dict[str, Any], loop: Any, d: Path) -> None:
    loop.model.load_state_dict({k: v if isinstance(v, Tensor) else _make(np.asarray(v))
                                for k, v in state["model"].items()})
    loop.optimizer.load_state_dict(state["optimizer"])
    if loop.scheduler is not None:
        loop.scheduler.load_state_dict(state["scheduler"])
    rng = state["rng"]
    _random.default_generator.set_state(rng["default"])
    if "loader" in rng:
        loop.generator.set_state(rng["loader"])
    for name, gen in _module_generators(loop.model).items():
        if f"module:{name}" in rng:
            gen.set_state(rng[f"module:{name}"])
    loop.history = History.from_dict(state["history"], d / META)
    loop.epoch, loop.step = int(state["epoch"]), int(state["step"])
    saved = state.get("callbacks") or {}
    for key, cb in _callbacks_by_key(loop):
        if key in saved:
            cb.load_state_dict(saved[key])


class BackupAndRestore(Callback):
    """Save a resumable checkpoint into ``backup_dir`` every ``save_freq`` epochs and the last.

    If ``backup_dir`` already holds a checkpoint when training begins, training
    resumes from it (as Keras's BackupAndRestore) unless ``restore=False``; the
    checkpoint is kept at the end unless ``delete_checkpoint=True``.
    """

    saves_checkpoints = True

    def __init__(self, backup_dir: str | Path, save_freq: int = 1,
                 delete_checkpoint: bool = False, restore: bool = True) -> None:
        if not isinstance(save_freq, int) or save_freq < 1:
            raise ValueError(f"BackupAndRestore: expected save_freq >= 1, got {save_freq!r}")
        self.backup_dir, self.save_freq = Path(backup_dir), save_freq
        self.delete_checkpoint, self.restore = delete_checkpoint, restore

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        if self.restore and self.loop.epoch == 0 and (self.backup_dir / META).exists():
            load_checkpoint(self.backup_dir, self.loop)

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        loop = self.loop
        last = loop.epoch >= loop.epochs or loop.stop_training
        if (epoch + 1) % self.save_freq == 0 or last:
            # the training state, before on_train_end hooks (EarlyStopping restoring the best
            # weights) change the model
            save_checkpoint(self.backup_dir, loop)

    def on_train_end(self, logs: dict[str, Any] | None = None) -> None:
        if self.delete_checkpoint:
            for name in (ARRAYS, META):
                (self.backup_dir / name).unlink(missing_ok=True)
