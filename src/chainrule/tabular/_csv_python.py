"""The CSV reader without pyarrow: Python's ``csv`` module, naming the line of every fault.

Rows are turned into columns a block at a time (number columns as float64 blocks,
joined as float32 at the end), so the memory is near the result's rather than a
list of every cell. A column that first looks numeric and holds text further down
is read again as text (the text cells are kept as written).
"""
from __future__ import annotations

import array
import csv
from typing import Any

import numpy as np

from ..data.csvfile import _decode_line
from ._columns import MISSING_TOKENS
from ._frame import Frame, _blank, _check_names, _float32, _open_text

__all__ = ["read_python"]

BLOCK_CELLS = 1 << 17  # cells turned into columns at a time


class _TextError(Exception):
    """Columns read as numbers hold text further down: read the file again."""

    def __init__(self, columns: set[int]) -> None:
        super().__init__(sorted(columns))
        self.columns = columns


def _numbers(cells: list[str]) -> np.ndarray | None:
    """Cells as float64 with NaN for missing ones, or None when one is text."""
    try:
        return np.array(list(map(float, cells)), np.float64)
    except ValueError:
        pass
    out = np.empty(len(cells), np.float64)
    for i, c in enumerate(cells):
        if c.strip().lower() in MISSING_TOKENS:
            out[i] = np.nan
            continue
        try:
            out[i] = float(c)
        except ValueError:
            return None
    return out


def _texts(cells: list[str]) -> list[str | None]:
    return [None if c.strip().lower() in MISSING_TOKENS else c.strip() for c in cells]


class _Blocks:
    def __init__(self, width: int, text: set[int]) -> None:
        self.text = text
        self.parts: list[list[Any]] = [[] for _ in range(width)]

    def add(self, rows: list[list[str]]) -> None:
        found = set()
        for j, part in enumerate(self.parts):
            cells = [r[j] for r in rows]
            if j in self.text:
                part.extend(_texts(cells))
                continue
            nums = _numbers(cells)
            if nums is not None:
                part.append(nums)
            elif part:
                found.add(j)  # earlier blocks were numbers: read again
            else:
                self.text.add(j)
                part.extend(_texts(cells))
        if found:
            raise _TextError(found)

    def column(self, j: int) -> np.ndarray:
        part = self.parts[j]
        if j in self.text:
            out = np.empty(len(part), dtype=object)
            out[:] = part
            return out
        nums = np.concatenate(part) if part else np.empty(0, np.float64)
        part.clear()
        return _float32(nums)


def _read(path: str, delimiter: str, where: str, text: set[int]) -> Frame:
    lines = array.array("q")
    header: list[str] | None = None
    rows: list[list[str]] = []
    blocks: _Blocks | None = None
    with _open_text(path) as f:
        reader = csv.reader(f, delimiter=delimiter)
        try:
            for row in reader:
                if _blank(row):
                    continue
                if header is None:
                    header = _check_names(row, where)
                    blocks = _Blocks(len(header), text)
                    size = max(64, BLOCK_CELLS // len(header))
                    continue
                if len(row) != len(header):
                    raise ValueError(f"{where}, row {reader.line_num}: expected {len(header)} "
                                     f"columns as in the header, got {len(row)}")
                rows.append(row)
                lines.append(reader.line_num)
                if len(rows) == size:
                    assert blocks is not None
                    blocks.add(rows)
                    rows = []
        except csv.Error as exc:
            raise ValueError(f"{where}, row {reader.line_num}: expected CSV text, got "
                             f"unreadable content ({exc})") from None
    if header is None or blocks is None:
        raise ValueError(f"{where}: expected a header row and data rows, got an empty file")
    if not lines:
        raise ValueError(f"{where}: expected data rows after the header, got none")
    if rows:
        blocks.add(rows)
    columns = {n: blocks.column(j) for j, n in enumerate(header)}
    return Frame(header, columns, where, path, delimiter, np.frombuffer(lines, np.int64))


def read_python(path: str, delimiter: str, where: str) -> Frame:
    """The frame of a CSV file (plain or ``.gz``); errors name the file, line and column."""
    _decode_line(path, where)
    text: set[int] = set()
    while True:  # each pass that fails has found more text columns
        try:
            return _read(path, delimiter, where, text)
        except _TextError as exc:
            text |= exc.columns
