"""Progress display for ``fit``: one tqdm bar per run on a terminal, plain lines otherwise.

``verbose=0`` prints nothing; ``verbose=1`` shows one bar for the whole run
(``Epoch k/N``, a fixed-width bar that advances by batch, elapsed and remaining
time, the running loss and metrics) when the output is a terminal and tqdm is
installed, else one line per epoch; ``verbose=2`` always prints one line per
epoch. Plain lines contain no control characters.
"""
from __future__ import annotations

import math
import sys
import time
from typing import IO, Any

from .callbacks import Callback

__all__ = ["ProgressBar", "format_logs"]

_REFRESH_S = 0.2
_BAR_FORMAT = "{desc} |{bar:24}| {percentage:3.0f}% [{elapsed}<{remaining}]{postfix}"


def _fmt_value(value: float) -> str:
    if not math.isfinite(value):
        return str(value)
    if value != 0 and (abs(value) < 1e-3 or abs(value) >= 1e5):
        return f"{value:.3e}"
    return f"{value:.4f}"


def format_logs(logs: dict[str, Any], skip: tuple[str, ...] = ("time",)) -> str:
    """``"loss: 0.1234 - accuracy: 0.9500"`` from a logs dict.

    Example
    -------
    >>> format_logs({"loss": 0.12345, "accuracy": 0.95, "lr": 0.0001, "time": 1.0})
    'loss: 0.1235 - accuracy: 0.9500 - lr: 1.000e-04'
    """
    return " - ".join(f"{k}: {_fmt_value(float(v))}" for k, v in logs.items() if k not in skip)


def _short(logs: dict[str, Any]) -> str:
    """The postfix of the bar: loss and metrics, compact (``loss 0.1234 val_loss 0.2``)."""
    keep = {k: v for k, v in logs.items() if k not in ("time", "lr")}
    return " ".join(f"{k} {_fmt_value(float(v))}" for k, v in keep.items())


def _tqdm() -> Any:
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    return tqdm


class ProgressBar(Callback):
    """The progress display that ``fit`` adds when ``verbose > 0``.

    Example
    -------
    >>> import io
    >>> bar = ProgressBar(verbose=2, file=io.StringIO())
    >>> bar.mode
    'lines'
    """

    def __init__(self, verbose: int = 1, file: IO[str] | None = None) -> None:
        self.verbose, self._file = verbose, file
        self.bar: Any = None
        self._tqdm: Any = None
        self.mode = "none" if verbose == 0 else ("lines" if verbose >= 2 else "auto")

    @property
    def file(self) -> IO[str]:
        return self._file if self._file is not None else sys.stdout

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        if self.mode == "auto":
            isatty = getattr(self.file, "isatty", None)
            tty = bool(isatty and isatty())
            self._tqdm = _tqdm() if tty else None
            self.mode = "bar" if self._tqdm is not None else "lines"
        if self.mode == "bar":
            self.on_batch_end = self._batch_end  # type: ignore[method-assign]

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self._t0 = time.perf_counter()
        if self.mode != "bar":
            return
        loop = self.loop
        epochs = loop.epochs if loop is not None else None
        steps = (loop.steps_per_epoch if loop is not None else None) or 1
        if self.bar is None:  # one bar for the run, in batches (a resumed run starts part-way)
            total = epochs * steps if epochs else None
            self.bar = self._tqdm(total=total, initial=epoch * steps, file=self.file,
                                  leave=True, dynamic_ncols=False, ncols=None,
                                  bar_format=_BAR_FORMAT, unit="batch")
            self._last = 0.0
        self.bar.set_description_str(f"Epoch {epoch + 1}/{epochs or '?'}", refresh=False)

    def _batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        bar = self.bar
        if bar is None:
            return
        bar.update(1)
        now = time.perf_counter()
        if now - self._last >= _REFRESH_S:
            self._last = now
            bar.set_postfix_str(_short(self.loop.running_logs()), refresh=False)

    def on_train_end(self, logs: dict[str, Any] | None = None) -> None:
        self.close()

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        logs = logs or {}
        if self.mode == "bar" and self.bar is not None:
            self.bar.set_postfix_str(_short(logs), refresh=True)
        elif self.mode == "lines":
            epochs = self.loop.epochs if self.loop is not None else "?"
            seconds = logs.get("time", time.perf_counter() - self._t0)
            steps = getattr(self.loop, "steps_per_epoch", None)
            rate = f" - {1000 * seconds / steps:.1f}ms/batch" if steps else ""
            print(f"Epoch {epoch + 1}/{epochs} - {seconds:.2f}s{rate} - {format_logs(logs)}",
                  file=self.file, flush=True)

    def close(self) -> None:
        """Close an open bar (after an error or an interrupt)."""
        if self.bar is not None:
            self.bar.close()
            self.bar = None
