"""Callbacks: hooks into ``fit`` (Keras's protocol) and the common ones.

A callback sees the running loop as ``self.loop`` (model, optimizer, epoch,
step, history, ...) and the model as ``self.model``; setting
``self.loop.stop_training = True`` ends training after the current epoch.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any


__all__ = ["CSVLogger", "Callback", "CallbackList", "EarlyStopping", "LambdaCallback",
           "LearningRateScheduler", "ModelCheckpoint", "TerminateOnNaN"]


class Callback:
    """Base class: override any of the ``on_*`` hooks; ``logs`` is a dict of floats.

    Example
    -------
    >>> class StopAtLoss(Callback):
    ...     def on_epoch_end(self, epoch, logs=None):
    ...         if logs["loss"] < 0.1:
    ...             self.loop.stop_training = True
    """

    loop: Any = None

    @property
    def model(self) -> Any:
        return None if self.loop is None else self.loop.model

    def set_loop(self, loop: Any) -> None:
        self.loop = loop

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None: ...
    def on_train_end(self, logs: dict[str, Any] | None = None) -> None: ...
    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None: ...
    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None: ...
    def on_batch_begin(self, batch: int, logs: dict[str, Any] | None = None) -> None: ...
    def on_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None: ...

    def state_dict(self) -> dict[str, Any] | None:
        """State to keep in a resumable checkpoint (None: nothing to keep)."""
        return None

    def load_state_dict(self, state: dict[str, Any]) -> None: ...


def _overrides(cb: Callback, name: str) -> bool:
    attr = getattr(cb, name)
    return getattr(attr, "__func__", attr) is not getattr(Callback, name)


class CallbackList:
    """Calls each hook on every callback in order; batch hooks only on those that define them."""

    def __init__(self, callbacks: list[Callback], loop: Any) -> None:
        for cb in callbacks:
            if not isinstance(cb, Callback):
                raise TypeError(f"fit: expected callbacks derived from chainrule.train.Callback, "
                                f"got {type(cb).__name__}")
            cb.set_loop(loop)
        self.callbacks = callbacks
        self._find_batch_hooks()

    def _find_batch_hooks(self) -> None:
        self.batch_begin = [cb for cb in self.callbacks if _overrides(cb, "on_batch_begin")]
        self.batch_end = [cb for cb in self.callbacks if _overrides(cb, "on_batch_end")]

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        for cb in self.callbacks:
            cb.on_train_begin(logs)
        self._find_batch_hooks()  # a callback may pick its batch hooks when training begins

    def on_train_end(self, logs: dict[str, Any] | None = None) -> None:
        for cb in self.callbacks:
            cb.on_train_end(logs)

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        for cb in self.callbacks:
            cb.on_epoch_begin(epoch, logs)

    def on_epoch_end(self, epoch: int, logs: dict[str, Any]) -> None:
        for cb in self.callbacks:
            cb.on_epoch_end(epoch, logs)


def _monitored(logs: dict[str, Any], monitor: str, where: str) -> float:
    if monitor not in logs:
        raise ValueError(f"{where}: expected the monitored value {monitor!r} in the logs, got "
                         f"keys {sorted(logs)}; pass val_data or val_split for 'val_' values")
    return float(logs[monitor])


class CSVLogger(Callback):
    """Write the logs to a CSV file after every epoch (the whole file, atomically)."""

    def __init__(self, filename: str | Path, separator: str = ",", append: bool = False) -> None:
        self.filename, self.separator, self.append = Path(filename), separator, append

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        self.rows: list[dict[str, Any]] = []
        self.prefix = ""
        if self.append and self.filename.exists():
            self.prefix = self.filename.read_text(encoding="utf-8")

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        from .files import atomic_write_text
        self.rows.append({"epoch": epoch + 1, **(logs or {})})  # counted from 1
        keys = list(dict.fromkeys(k for row in self.rows for k in row))
        sep = self.separator
        lines = [] if self.prefix else [sep.join(keys)]
        lines += [sep.join(repr(r.get(k, "")) if isinstance(r.get(k), float) else
                           str(r.get(k, "")) for k in keys) for r in self.rows]
        atomic_write_text(self.filename, self.prefix + "\n".join(lines) + "\n")


class TerminateOnNaN(Callback):
    """Stop training quietly (instead of raising NonFiniteLossError) when the loss is NaN or inf.

    The batch with the bad loss is not applied to the weights; ``terminated_at`` is
    (epoch, batch), both counted from 1.
    """

    handles_nonfinite = True

    def __init__(self, verbose: int = 1) -> None:
        self.verbose = verbose
        self.terminated_at: tuple[int, int] | None = None

    def on_nonfinite(self, epoch: int, batch: int, loss: float) -> None:
        self.terminated_at = (epoch + 1, batch + 1)  # counted from 1, as the message
        if self.verbose:
            print(f"Epoch {epoch + 1}, batch {batch + 1}: invalid loss {loss}, terminating "
                  "training",
                  file=sys.stderr)


class LearningRateScheduler(Callback):
    """Step a chainrule/torch-style scheduler after each epoch or each batch.

    ``interval="auto"`` steps OneCycleLR and CyclicLR per batch, others per
    epoch. ReduceLROnPlateau is stepped per epoch with ``logs[monitor]``
    (default: ``val_loss`` when there is validation data, else ``loss``).
    """

    _PER_BATCH = ("OneCycleLR", "CyclicLR")

    def __init__(self, scheduler: Any, interval: str = "auto",
                 monitor: str | None = None) -> None:
        if interval not in ("auto", "epoch", "batch"):
            raise ValueError(f"LearningRateScheduler: expected interval 'auto', 'epoch' or "
                             f"'batch', got {interval!r}")
        if not callable(getattr(scheduler, "step", None)):
            raise TypeError(f"LearningRateScheduler: expected a scheduler with step(), got "
                            f"{type(scheduler).__name__}")
        self.scheduler, self.monitor = scheduler, monitor
        self.plateau = type(scheduler).__name__ == "ReduceLROnPlateau"
        if interval == "auto":
            interval = "batch" if type(scheduler).__name__ in self._PER_BATCH else "epoch"
        if self.plateau and interval == "batch":
            raise ValueError("LearningRateScheduler: ReduceLROnPlateau steps once per epoch on "
                             "a monitored value; use interval='epoch'")
        self.interval = interval
        if interval == "batch":
            self.on_batch_end = self._step_batch  # type: ignore[method-assign]

    def _step_batch(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        self.scheduler.step()

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        if self.interval != "epoch":
            return
        if self.plateau:
            logs = logs or {}
            monitor = self.monitor or ("val_loss" if "val_loss" in logs else "loss")
            self.scheduler.step(_monitored(logs, monitor, "ReduceLROnPlateau"))
        else:
            self.scheduler.step()


class LambdaCallback(Callback):
    """A callback from functions: ``LambdaCallback(on_epoch_end=lambda epoch, logs: ...)``."""

    def __init__(self, **hooks: Any) -> None:
        for name, fn in hooks.items():
            if not name.startswith("on_") or not hasattr(Callback, name):
                raise ValueError(f"LambdaCallback: expected hooks named on_*, got {name!r}")
            setattr(self, name, fn)


from ._monitor import EarlyStopping, ModelCheckpoint  # noqa: E402  (they subclass Callback)
