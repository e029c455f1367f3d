"""The callbacks that watch a monitored value: ``EarlyStopping`` and ``ModelCheckpoint``."""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from .callbacks import Callback, _monitored

_MAX_WORDS = ("acc", "accuracy", "auc", "r2", "precision", "recall", "f1")


def _resolve_mode(mode: str, monitor: str, where: str) -> str:
    if mode not in ("auto", "min", "max"):
        raise ValueError(f"{where}: expected mode 'auto', 'min' or 'max', got {mode!r}")
    if mode != "auto":
        return mode
    name = monitor.removeprefix("val_")
    return "max" if name in _MAX_WORDS or name.endswith("_accuracy") else "min"


def _weights(model: Any) -> dict[str, np.ndarray]:
    from ..tensor import Tensor
    return {k: np.array(v._data if isinstance(v, Tensor) else v)
            for k, v in model.state_dict().items()}


def _set_weights(model: Any, weights: dict[str, np.ndarray]) -> None:
    from ..tensor import Tensor
    model.load_state_dict({k: Tensor(v) for k, v in weights.items()})


class EarlyStopping(Callback):
    """Stop when ``monitor`` has not improved by ``min_delta`` for ``patience`` epochs.

    With ``restore_best_weights=True`` the best epoch's weights are put back at
    the end of training, whether or not training stopped early (Keras restores
    them only when it fired).

    Example
    -------
    >>> EarlyStopping(monitor="val_accuracy", patience=5).mode
    'max'
    """

    def __init__(self, monitor: str = "val_loss", patience: int = 0, min_delta: float = 0.0,
                 mode: str = "auto", restore_best_weights: bool = False,
                 baseline: float | None = None, start_from_epoch: int = 0,
                 verbose: int = 0) -> None:
        if not isinstance(patience, int) or patience < 0:
            raise ValueError(f"EarlyStopping: expected patience >= 0, got {patience!r}")
        self.monitor, self.patience = monitor, patience
        self.min_delta = abs(float(min_delta))
        self.mode = _resolve_mode(mode, monitor, "EarlyStopping")
        self.restore_best_weights, self.baseline = restore_best_weights, baseline
        self.start_from_epoch, self.verbose = start_from_epoch, verbose
        self._reset()

    def _reset(self) -> None:
        self.wait, self.stopped_epoch, self.best_epoch = 0, -1, -1
        self.best = -math.inf if self.mode == "max" else math.inf
        if self.baseline is not None:
            self.best = float(self.baseline)
        self.best_weights: dict[str, np.ndarray] | None = None

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        if self.loop is None or self.loop.epoch == 0:  # not resuming a checkpoint
            self._reset()

    def _improved(self, value: float) -> bool:
        if self.mode == "max":
            return value > self.best + self.min_delta
        return value < self.best - self.min_delta

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        value = _monitored(logs or {}, self.monitor, "EarlyStopping")
        if epoch < self.start_from_epoch or math.isnan(value):
            return
        if self._improved(value) or (self.best_epoch < 0 and self.baseline is None):
            self.best, self.best_epoch, self.wait = value, epoch, 0
            if self.restore_best_weights:
                self.best_weights = _weights(self.model)
            return
        self.wait += 1
        if self.wait >= self.patience:  # Keras: patience epochs without improvement
            self.stopped_epoch = epoch
            self.loop.stop_training = True

    def on_train_end(self, logs: dict[str, Any] | None = None) -> None:
        if self.stopped_epoch >= 0 and self.verbose:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping (best {self.monitor} "
                  f"{self.best:.6g} at epoch {self.best_epoch + 1})")
        if self.restore_best_weights and self.best_weights is not None:
            _set_weights(self.model, self.best_weights)

    def state_dict(self) -> dict[str, Any]:
        return {"wait": self.wait, "best": self.best, "best_epoch": self.best_epoch,
                "best_weights": self.best_weights}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.wait, self.best = int(state["wait"]), float(state["best"])
        self.best_epoch, self.best_weights = int(state["best_epoch"]), state["best_weights"]
        self.stopped_epoch = -1


class ModelCheckpoint(Callback):
    """Save the weights (safetensors, atomic) after each epoch, or only when ``monitor`` improves.

    ``filepath`` may contain ``{epoch}`` and log keys, e.g. ``"w-{epoch:03d}.safetensors"``.
    """

    def __init__(self, filepath: str | Path, monitor: str = "val_loss",
                 save_best_only: bool = False, mode: str = "auto", verbose: int = 0) -> None:
        self.filepath, self.monitor, self.save_best_only = str(filepath), monitor, save_best_only
        self.mode = _resolve_mode(mode, monitor, "ModelCheckpoint")
        self.verbose = verbose
        self.best = -math.inf if self.mode == "max" else math.inf

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        from .files import save_weights
        logs = logs or {}
        if self.save_best_only:
            value = _monitored(logs, self.monitor, "ModelCheckpoint")
            better = value > self.best if self.mode == "max" else value < self.best
            if not better:
                return
            self.best = value
        path = Path(self.filepath.format(epoch=epoch + 1, **logs))
        save_weights(self.model, path)
        if self.verbose:
            print(f"Epoch {epoch + 1}: saved weights to {path}")
