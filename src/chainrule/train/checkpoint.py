"""Resumable checkpoints: one ``checkpoint.safetensors`` file, committed by one atomic rename.

A checkpoint holds everything that decides the next epoch: the model's
weights, the optimizer's and scheduler's ``state_dict()``, the epoch and step
counters, the history so far, the states of callbacks that have one
(EarlyStopping), and the random states of initialisation and dropout (the
library's generator, and any generator a module holds) and of shuffling (the
loader's generator). Resuming from it gives the same weights, bit for bit, as
training straight through.

Nested state is written as JSON with tags for what JSON lacks (arrays point
to tensors of the same file; tuples, non-string keys and non-finite floats are
tagged) and stored in the safetensors metadata, with its own SHA-256: the
arrays and the state are one file, written by one ``os.replace``, so the
previous checkpoint stays whole until the new one is committed. Loading
never executes code, and validates the whole state against the running fit
(model keys, shapes, dtypes and finite values; the optimizer's kind, state keys
and shapes; counters; scheduler, history) before any of it is applied.
"""
from __future__ import annotations

import hashlib
import json
import math
import time
from pathlib import Path
from typing import Any

import numpy as np

from .. import random as _random
from ..tensor import Tensor, _make
from ._checkpoint_codec import copy_state
from ._checkpoint_codec import decode as _decode
from ._checkpoint_codec import encode as _encode
from .callbacks import Callback
from ._checkpoint_check import check_state
from .errors import ModelFileError
from .files import _checksum, _load_arrays, _raw, atomic_write_bytes, parse_json
from .history import History

__all__ = ["BackupAndRestore", "checkpoint_bytes", "has_checkpoint", "load_checkpoint",
           "read_checkpoint", "save_checkpoint"]

FORMAT, VERSION = "chainrule-checkpoint", 2
CHECKPOINT = ARRAYS = "checkpoint.safetensors"
META = "checkpoint.json"  # version 1 kept the state beside the arrays; refused now
_STATE_KEY, _STATE_SHA = "chainrule.checkpoint", "chainrule.checkpoint.sha256"


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


def _capture(loop: Any, copy: bool = False, history_rows: int | None = None,
             modules: dict[str, _random.Generator] | None = None) -> dict[str, Any]:
    gens = {"default": _random.default_generator.get_state()}
    if loop.generator is not _random.default_generator:
        gens["loader"] = loop.generator.get_state()
    modules = _module_generators(loop.model) if modules is None else modules
    gens.update({f"module:{k}": g.get_state() for k, g in modules.items()})
    return {
        "format": FORMAT, "version": VERSION, "epoch": loop.epoch, "step": loop.step,
        "model": {k: _make(np.array(_raw(v))) if copy else v
                  for k, v in loop.model.state_dict().items()},
        "optimizer": loop.optimizer.state_dict(),
        "scheduler": None if loop.scheduler is None else loop.scheduler.state_dict(),
        "rng": gens, "history": loop.history.to_dict() if history_rows is None else
        _HistoryRows(loop.history, history_rows),
        "callbacks": {k: cb.state_dict() for k, cb in _callbacks_by_key(loop)},
    }


class _HistoryRows:
    """The first ``rows`` epochs of a live History (append-only): copied only when written."""

    def __init__(self, history: History, rows: int) -> None:
        self.history, self.rows = history, rows

    def to_dict(self) -> dict[str, Any]:
        data = self.history.to_dict()
        n = self.rows
        return {"epoch": data["epoch"][:n], "history": {k: v[:n] for k, v in
                                                        data["history"].items()}}


def _snapshot(loop: Any, modules: dict[str, _random.Generator] | None = None
              ) -> dict[str, Any]:
    """The running fit's state, copied: cheap to take, encoded only if it must be written."""
    state = _capture(loop, copy=True, history_rows=len(loop.history), modules=modules)
    for key in ("scheduler", "callbacks"):
        state[key] = copy_state(state[key])
    state["optimizer_type"] = type(loop.optimizer).__name__
    return state


def checkpoint_bytes(loop: Any, state: dict[str, Any] | None = None) -> bytes:
    """The running fit's state (or a :func:`_snapshot` of it) as the bytes of one safetensors
    file, the state JSON in its metadata."""
    from .files import _safetensors_numpy
    arrays: dict[str, np.ndarray] = {}
    if state is None:
        state = {**_capture(loop), "optimizer_type": type(loop.optimizer).__name__}
    elif isinstance(state["history"], _HistoryRows):
        state = {**state, "history": state["history"].to_dict()}
    state = _encode(state, "", arrays)
    text = json.dumps(state, allow_nan=False, separators=(",", ":"))
    arrs = {k: np.ascontiguousarray(v) for k, v in arrays.items()}
    meta = {_STATE_KEY: text, _STATE_SHA: hashlib.sha256(text.encode()).hexdigest(),
            "chainrule.sha256": _checksum(arrs)}
    return bytes(_safetensors_numpy().save(arrs, metadata=meta))


def save_checkpoint(directory: str | Path, loop: Any, data: bytes | None = None) -> list[Path]:
    """Write the running fit's state (or ``data`` from :func:`checkpoint_bytes`) atomically."""
    path = Path(directory) / CHECKPOINT
    return [atomic_write_bytes(path, checkpoint_bytes(loop) if data is None else data)]


def has_checkpoint(directory: str | Path) -> bool:
    """Whether ``directory`` holds a checkpoint file (valid or not)."""
    d = Path(directory)
    return (d / CHECKPOINT).exists() or (d / META).exists()


def _nonneg_int(value: Any) -> bool:
    return type(value) is int and value >= 0


def read_checkpoint(directory: str | Path) -> dict[str, Any]:
    """The decoded state of a checkpoint, validated on its own (not yet against a fit).

    Raises ModelFileError for a missing, damaged, unknown-version or inconsistent file.
    """
    d = Path(directory)
    path = d / CHECKPOINT
    if not path.exists() and (d / META).exists():
        raise ModelFileError(d / META, f"expected a {CHECKPOINT} of format version {VERSION}, "
                             "got a version 1 checkpoint (two files); start the run afresh")
    arrays, meta, _ = _load_arrays(path)
    text = meta.get(_STATE_KEY)
    if text is None:
        raise ModelFileError(path, "expected a chainrule checkpoint, got a safetensors file "
                             "without its state")
    if meta.get(_STATE_SHA) != hashlib.sha256(text.encode()).hexdigest():
        raise ModelFileError(path, "checksum mismatch of the state: the file is corrupted")
    raw = parse_json(text, path)
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise ModelFileError(path, f"expected a {FORMAT} state, got something else")
    if raw.get("version") != VERSION:
        raise ModelFileError(path, f"expected format version {VERSION}, got "
                             f"{raw.get('version')!r:.40}")
    for key in ("epoch", "step", "model", "optimizer", "rng", "history", "optimizer_type"):
        if key not in raw:
            raise ModelFileError(path, f"missing key {key!r}")
    for key in ("epoch", "step"):
        if not _nonneg_int(raw[key]):
            raise ModelFileError(path, f"expected {key} a non-negative integer, got "
                                 f"{raw[key]!r:.40}")
    try:
        state = _decode(raw, arrays, path)
    except (TypeError, ValueError, AttributeError) as exc:
        if isinstance(exc, ModelFileError):
            raise
        raise ModelFileError(path, f"expected tagged state data, got malformed data ({exc})") \
            from None
    if not isinstance(state["model"], dict):
        raise ModelFileError(path, "expected the model's state as a map of tensors")
    state["history"] = History.from_dict(state["history"], path)
    if state["history"].epoch != list(range(state["epoch"])):
        raise ModelFileError(path, f"expected a history of epochs 0..{state['epoch'] - 1}, got "
                             f"{len(state['history'])} rows")
    return state


def load_checkpoint(directory: str | Path, loop: Any) -> dict[str, Any]:
    """Restore a fit's state from ``directory``; on any error nothing is changed.

    Raises ModelFileError (naming the file and what is wrong) for a missing,
    damaged or mismatched checkpoint.
    """
    d = Path(directory)
    path = d / CHECKPOINT
    state = read_checkpoint(d)
    check_state(state, loop, path)
    undo = _capture(loop, copy=True)
    try:
        _apply(state, loop, path)
    except Exception as exc:
        _apply(undo, loop, path)
        if isinstance(exc, ModelFileError):
            raise
        raise ModelFileError(path, f"does not fit this model/optimizer ({exc})") from None
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
    history = state["history"]
    loop.history = history if isinstance(history, History) else History.from_dict(history, d)
    loop.epoch, loop.step = int(state["epoch"]), int(state["step"])
    saved = state.get("callbacks") or {}
    for key, cb in _callbacks_by_key(loop):
        if key in saved:
            cb.load_state_dict(saved[key])


class BackupAndRestore(Callback):
    """Save a resumable checkpoint into ``backup_dir`` every ``save_freq`` epochs and the last.

    ``save_seconds`` saves instead (or as well) at the end of the first epoch that
    ends at least that many seconds after the last save: a crash then loses at most
    that much training (plus the epoch in progress), and small fast runs write one
    checkpoint, after the last epoch. ``save_freq=None`` saves on time (or only at the
    end). If ``backup_dir`` already holds a checkpoint when training begins, training
    resumes from it (as Keras's BackupAndRestore) unless ``restore=False``; the
    checkpoint is kept at the end unless ``delete_checkpoint=True``. With
    ``keep_last=True`` a copy of the state at the end of every epoch is kept in
    memory (encoded only when needed) so that :meth:`save_last` can commit the last
    completed epoch when training is interrupted midway through the next.

    Example
    -------
    >>> BackupAndRestore("runs/x", save_freq=None, save_seconds=10).save_seconds
    10.0
    """

    saves_checkpoints = True

    def __init__(self, backup_dir: str | Path, save_freq: int | None = 1,
                 delete_checkpoint: bool = False, restore: bool = True,
                 keep_last: bool = False, save_seconds: float | None = None) -> None:
        if save_freq is not None and (not isinstance(save_freq, int) or
                                      isinstance(save_freq, bool) or save_freq < 1):
            raise ValueError(f"BackupAndRestore: expected save_freq >= 1 or None, got "
                             f"{save_freq!r}")
        if save_seconds is not None and (isinstance(save_seconds, bool) or not isinstance(
                save_seconds, (int, float)) or not 0 <= save_seconds < math.inf):
            raise ValueError(f"BackupAndRestore: expected save_seconds a number >= 0 or None, "
                             f"got {save_seconds!r}")
        self.backup_dir, self.save_freq = Path(backup_dir), save_freq
        self.save_seconds = None if save_seconds is None else float(save_seconds)
        self.delete_checkpoint, self.restore, self.keep_last = delete_checkpoint, restore, \
            keep_last
        self.saved_epoch: int | None = None  # the epoch of the last checkpoint written
        self._last: tuple[int, dict[str, Any]] | None = None
        self._saved_at = time.monotonic()
        self._modules: dict[str, _random.Generator] | None = None  # found once per fit

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        if self.restore and self.loop.epoch == 0 and has_checkpoint(self.backup_dir):
            load_checkpoint(self.backup_dir, self.loop)
        self._saved_at, self._modules, self._last = time.monotonic(), None, None

    def _due(self, epoch: int) -> bool:
        loop = self.loop
        if loop.epoch >= loop.epochs or loop.stop_training:
            return True
        if self.save_freq is not None and (epoch + 1) % self.save_freq == 0:
            return True
        return self.save_seconds is not None and \
            time.monotonic() - self._saved_at >= self.save_seconds

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        # the training state, before on_train_end hooks (EarlyStopping restoring the best
        # weights) change the model
        if self._due(epoch):
            save_checkpoint(self.backup_dir, self.loop)
            self.saved_epoch, self._last = self.loop.epoch, None
            self._saved_at = time.monotonic()
        elif self.keep_last:
            if self._modules is None:
                self._modules = _module_generators(self.loop.model)
            self._last = (self.loop.epoch, _snapshot(self.loop, self._modules))

    def save_last(self) -> int | None:
        """Commit the state of the last completed epoch if it is not on disk yet; its epoch."""
        if self._last is not None and self._last[0] != self.saved_epoch:
            save_checkpoint(self.backup_dir, None, checkpoint_bytes(None, self._last[1]))
            self.saved_epoch = self._last[0]
        return self.saved_epoch

    def on_train_end(self, logs: dict[str, Any] | None = None) -> None:
        if self.delete_checkpoint:
            for name in (CHECKPOINT, META):
                (self.backup_dir / name).unlink(missing_ok=True)
