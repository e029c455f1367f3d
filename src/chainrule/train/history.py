"""History: what ``fit`` returns, one row of logs per epoch (loss, metrics, val_*, lr, time)."""
from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from typing import Any

from .errors import ModelFileError

__all__ = ["History"]


class History:
    """Per-epoch logs of a training run, as Keras's: ``history["loss"]`` is a list of floats.

    Attributes
    ----------
    epoch : list[int]
        Epoch numbers (0-based, as Keras).
    history : dict[str, list[float]]
        One list per key, aligned with ``epoch``.

    Example
    -------
    >>> h = History()
    >>> h.append(0, {"loss": 0.9, "accuracy": 0.5}); h.append(1, {"loss": 0.4, "accuracy": 0.8})
    >>> h["loss"], h.last()["accuracy"], len(h)
    ([0.9, 0.4], 0.8, 2)
    """

    def __init__(self) -> None:
        self.epoch: list[int] = []
        self.history: dict[str, list[float]] = {}

    def append(self, epoch: int, logs: dict[str, float]) -> None:
        """Add one epoch's logs (keys seen for the first time are padded with NaN)."""
        n = len(self.epoch)
        for key, value in logs.items():
            self.history.setdefault(key, [math.nan] * n).append(float(value))
        for key, values in self.history.items():
            if key not in logs:
                values.append(math.nan)
        self.epoch.append(int(epoch))

    def update_last(self, logs: dict[str, float]) -> None:
        """Add or overwrite values of the last epoch."""
        epoch = self.epoch.pop()
        last = {k: v.pop() for k, v in self.history.items()}
        self.append(epoch, {**last, **logs})

    def __getitem__(self, key: str) -> list[float]:
        return self.history[key]

    def __contains__(self, key: object) -> bool:
        return key in self.history

    def __len__(self) -> int:
        return len(self.epoch)

    def keys(self) -> list[str]:
        return list(self.history)

    def last(self) -> dict[str, float]:
        """The logs of the last epoch."""
        return {k: v[-1] for k, v in self.history.items()} if self.epoch else {}

    def rows(self) -> list[dict[str, float]]:
        """One dict per epoch, with the key ``epoch``."""
        return [{"epoch": e, **{k: v[i] for k, v in self.history.items()}}
                for i, e in enumerate(self.epoch)]

    def __repr__(self) -> str:
        return f"History(epochs={len(self)}, keys={self.keys()})"

    # ---- files ------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Plain data: ``{"epoch": [...], "history": {key: [...]}}``; NaN and inf become None."""
        return {"epoch": list(self.epoch),
                "history": {k: [x if math.isfinite(x) else None for x in v]
                            for k, v in self.history.items()}}

    @classmethod
    def from_dict(cls, data: Any, source: object = "history") -> History:
        """Rebuild from :meth:`to_dict`'s data; raises ModelFileError if malformed."""
        h = cls()
        try:
            epochs = [int(e) for e in data["epoch"]]
            hist = {str(k): [math.nan if x is None else float(x) for x in v]
                    for k, v in data["history"].items()}
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelFileError(source, f"expected a history with 'epoch' and 'history' "
                                 f"lists, got malformed data ({exc})") from None
        if any(len(v) != len(epochs) for v in hist.values()):
            raise ModelFileError(source, "expected one value per epoch for every history key, "
                                 "got lists of different lengths")
        h.epoch, h.history = epochs, hist
        return h

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=1, allow_nan=False)

    def to_csv(self) -> str:
        """CSV text: a header ``epoch,<keys>`` then one row per epoch, counted from 1."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["epoch", *self.history])
        for i, e in enumerate(self.epoch):
            writer.writerow([e + 1, *(repr(v[i]) for v in self.history.values())])
        return out.getvalue()

    def save(self, directory: str | Path) -> list[Path]:
        """Write ``history.json`` and ``history.csv`` atomically into ``directory``."""
        from .files import atomic_write_text
        d = Path(directory)
        return [atomic_write_text(d / "history.json", self.to_json()),
                atomic_write_text(d / "history.csv", self.to_csv())]

    @classmethod
    def load(cls, path: str | Path) -> History:
        """Read a ``history.json`` written by :meth:`save`."""
        from .files import read_json
        return cls.from_dict(read_json(path), path)
