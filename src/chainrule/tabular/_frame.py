"""The read table (:class:`Frame`) and what both CSV readers share: names, missing cells."""
from __future__ import annotations

import csv
import gzip
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..data.csvfile import check_distinct
from ._columns import MISSING_TOKENS

__all__ = ["NULLS", "Frame"]

NULLS = sorted({t for tok in MISSING_TOKENS for t in (tok, tok.upper(), tok.capitalize())}
               | {"NaN", "N/A"})


@dataclass
class Frame:
    """Named columns of equal length; ``lines`` gives the file line of each row when known."""

    names: list[str]
    columns: dict[str, np.ndarray]
    where: str
    source: Any = None
    delimiter: str | None = None
    _lines: np.ndarray | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.columns[self.names[0]]) if self.names else 0

    def line(self, i: int) -> int:
        """The file line of data row ``i`` (1-based; the header is line 1 when it is first)."""
        if self._lines is None and isinstance(self.source, (str, Path)) and \
                self.delimiter is not None:
            self._lines = _line_numbers(self.source, self.delimiter)
        if self._lines is not None and 0 <= i < len(self._lines):
            return int(self._lines[i])
        return i + 2

    def take(self, index: np.ndarray) -> dict[str, np.ndarray]:
        """The columns restricted to rows ``index``."""
        return {n: c[index] for n, c in self.columns.items()}


def _open_text(path: str) -> io.TextIOBase:
    raw: Any = gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")


def _blank(row: list[str]) -> bool:
    """An empty line (skipped); a line of empty cells is a row of missing values."""
    return not row or (len(row) == 1 and not row[0].strip())


def _line_numbers(path: str | Path, delimiter: str) -> np.ndarray:
    """The file line of every data row (read again, only when an error needs one)."""
    lines = []
    with _open_text(str(path)) as f:
        reader = csv.reader(f, delimiter=delimiter)
        header = False
        try:
            for row in reader:
                if _blank(row):
                    continue
                if header:
                    lines.append(reader.line_num)
                header = True
        except csv.Error:
            pass  # the rows before it keep their lines; later ones are counted from 2
    return np.array(lines, np.int64)


def _check_names(names: list[str], where: str) -> list[str]:
    out = [n.strip() or f"column{j + 1}" for j, n in enumerate(names)]
    check_distinct(out, where)

    def number(s: str) -> bool:
        try:
            float(s)
        except ValueError:
            return False
        return True
    if out and all(number(n) for n in out):
        raise ValueError(f"{where}, row 1: expected a header row of column names, got numbers "
                         f"{out[:6]}; the first row looks like data: add a header line")
    return out


def _float32(vals: np.ndarray) -> np.ndarray:
    """float64 values as float32, or kept as float64 when some overflow float32 (the consumer
    reports range errors with the row)."""
    with np.errstate(over="ignore"):
        out = vals.astype(np.float32)
    too_big = np.isfinite(vals) & ~np.isfinite(out)
    if too_big.any():
        out = vals
    return out
