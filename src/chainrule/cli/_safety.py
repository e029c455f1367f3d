"""Safe training runs for ``chainrule train``: the run folder's lock, and stopping on a signal.

SIGINT and SIGTERM only set a flag; training stops at the next safe point
(the end of a batch or of an epoch), commits the checkpoint of the last
completed epoch and writes the model files from it, then prints the command
that resumes the run. A second signal does the same (it cannot corrupt a
write in progress: every file is committed by one rename).
"""
from __future__ import annotations

import contextlib
import signal
import sys
from pathlib import Path
from typing import Any, Iterator

from ..train.callbacks import Callback

__all__ = ["SafeStop", "StopRequestedError", "StoppedEarlyError", "read_train_json"]


class StopRequestedError(Exception):
    """Raised from a batch callback to stop an epoch midway (caught by ``chainrule train``)."""


class StoppedEarlyError(Exception):
    """A signal stopped training before its first epoch completed: there is nothing to keep."""

    def __init__(self, code: int) -> None:
        super().__init__("stopped before the first epoch completed; nothing to save")
        self.code = code
        print(f"chainrule: {self}", file=sys.stderr)


class SafeStop(Callback):
    """A callback that stops training at a safe point once a handled signal has arrived."""

    def __init__(self) -> None:
        self.signum: int | None = None

    def _handler(self, signum: int, frame: Any) -> None:
        if self.signum is None:
            name = signal.Signals(signum).name
            print(f"\nchainrule: {name} received; stopping at a safe point and saving the run",
                  file=sys.stderr, flush=True)
        self.signum = signum

    @contextlib.contextmanager
    def installed(self) -> Iterator[SafeStop]:
        """Handle SIGINT and SIGTERM with this callback's flag while the block runs."""
        previous = {}
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                previous[sig] = signal.signal(sig, self._handler)
            except ValueError:  # not the main thread: leave signals alone
                pass
        try:
            yield self
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def on_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        if self.signum is not None:
            raise StopRequestedError

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        if self.signum is not None:
            self.loop.stop_training = True  # checkpoint callbacks run after this one


def read_train_json(directory: str | Path) -> dict[str, Any]:
    """``train.json`` of a run folder, validated: format, version, settings, counters.

    Raises ModelFileError naming the file; the settings are checked by
    ``make_settings`` (its message names the option at fault).
    """
    from ..tabular.job import FORMAT, make_settings
    from ..train.errors import ModelFileError
    from ..train.files import read_json
    path = Path(directory) / "train.json"
    meta = read_json(path)
    if not isinstance(meta, dict) or meta.get("format") != FORMAT or \
            not isinstance(meta.get("settings"), dict):
        raise ModelFileError(path, f"expected a {FORMAT} file, got something else")
    if meta.get("version") not in (1,):
        raise ModelFileError(path, f"expected format version 1, got {meta.get('version')!r:.40}")
    planned = meta.get("planned_epochs")
    if planned is not None and (type(planned) is not int or planned < 0):
        raise ModelFileError(path, f"expected planned_epochs a non-negative integer, got "
                             f"{planned!r:.40}")
    sha = meta.get("data_sha256")
    if sha is not None and not isinstance(sha, str):
        raise ModelFileError(path, f"expected data_sha256 a string, got {sha!r:.40}")
    try:
        # runs from before --categorical one-hot encoded every text column
        settings = make_settings(**{"categorical": "onehot", **meta["settings"]})
    except (ValueError, TypeError) as exc:
        raise ModelFileError(path, f"settings: {exc}") from None
    samples = settings.get("samples")
    if samples is not None and samples > 10_000_000:
        raise ModelFileError(path, f"settings: expected samples at most 10000000, got {samples}")
    return {**meta, "settings": settings}


def safe_prepare(settings: dict[str, Any], **kwargs: Any) -> Any:
    """``tabular.job.prepare`` with NumPy's overflow warnings turned into one message.

    Values too large for float32 (a feature of 1e300, a target of 1e39) never print a
    RuntimeWarning: the reader's own checks name the row; anything that still overflows in
    the standardisation is refused here, naming the feature.
    """
    import warnings

    import numpy as np

    from ..tabular.job import prepare
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        job = prepare(settings, **kwargs)
    where = settings.get("data") or settings.get("dataset")
    describe = getattr(job, "preprocess_file", None)
    if describe is not None:
        import json
        try:
            json.dumps(describe(), allow_nan=False)
        except ValueError:
            raise ValueError(f"{where}: expected feature values whose mean and spread are "
                             "finite in float64, got an overflow (a value near 1e300?); "
                             "rescale the column") from None
    for split, x in (("training", job.X_train), ("validation", job.X_val)):
        if x is None or np.isfinite(x).all():
            continue
        col = int(np.argmax(~np.isfinite(x).all(axis=0)))
        names = job.feature_names or []
        name = repr(names[col]) if col < len(names) else str(col)
        raise ValueError(f"{where}: expected feature values whose standardisation is finite, "
                         f"got an overflow in feature {name} of the {split} data; rescale it")
    return job
