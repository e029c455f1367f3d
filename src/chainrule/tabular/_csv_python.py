"""The CSV reader without pyarrow: Python's ``csv`` module, naming the line of every fault."""
from __future__ import annotations

import csv

import numpy as np

from ..data.csvfile import _decode_line
from ._columns import MISSING_TOKENS
from ._frame import Frame, _blank, _check_names, _float32, _open_text

__all__ = ["read_python"]


def _column(cells: list[str]) -> np.ndarray:
    """Text cells -> float32 with NaN (all numbers or missing) or object with None."""
    miss = [c.strip().lower() in MISSING_TOKENS for c in cells]
    try:
        vals = np.array([np.nan if m else float(c) for c, m in zip(cells, miss)], np.float64)
    except ValueError:
        return np.array([None if m else c.strip() for c, m in zip(cells, miss)], dtype=object)
    return _float32(vals)


def read_python(path: str, delimiter: str, where: str) -> Frame:
    """The frame of a CSV file (plain or ``.gz``); errors name the file, line and column."""
    _decode_line(path, where)
    rows: list[list[str]] = []
    lines: list[int] = []
    header: list[str] | None = None
    with _open_text(path) as f:
        reader = csv.reader(f, delimiter=delimiter)
        try:
            for row in reader:
                if _blank(row):
                    continue
                if header is None:
                    header = _check_names(row, where)
                    continue
                if len(row) != len(header):
                    raise ValueError(f"{where}, row {reader.line_num}: expected {len(header)} "
                                     f"columns as in the header, got {len(row)}")
                rows.append(row)
                lines.append(reader.line_num)
        except csv.Error as exc:
            raise ValueError(f"{where}, row {reader.line_num}: expected CSV text, got "
                             f"unreadable content ({exc})") from None
    if header is None:
        raise ValueError(f"{where}: expected a header row and data rows, got an empty file")
    if not rows:
        raise ValueError(f"{where}: expected data rows after the header, got none")
    columns = {}
    for j, n in enumerate(header):
        columns[n] = _column([r[j] for r in rows])
    return Frame(header, columns, where, path, delimiter, np.array(lines, np.int64))
