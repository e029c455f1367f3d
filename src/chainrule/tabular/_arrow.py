"""Reading CSV and Parquet with pyarrow, straight into the columns a :class:`Frame` holds.

The CSV file is handed to ``pyarrow.csv.read_csv`` a few MiB at a time, each
piece ending at a line end outside quotes; every number column is parsed to
float32 and copied into one preallocated array per column (sized from the
first piece, grown in place if needed and trimmed in place at the end), so the
peak memory is the result plus one piece and its parse. Text and boolean
columns are kept as Arrow arrays until the end. pyarrow's buffers come from the
system allocator, which gives them back as soon as a piece is done.
"""
from __future__ import annotations

import csv
import os
import re
from typing import Any, Iterator

import numpy as np

from ._frame import NULLS, Frame, _check_names, _float32

__all__ = ["from_arrow_table", "read_arrow_csv", "read_parquet"]

PIECE = 1 << 20  # bytes of CSV parsed at a time (2 MiB: +0.3x the result in memory)
PIECE_ROWS = 1024  # ...or this many rows, up to 16 MiB (wide tables: per-piece cost is per column)
_CONVERSION = re.compile(r"In CSV column #(\d+): .*CSV conversion error to (\w+): invalid "
                         r"value '(.*)'", re.S)


class _RefusedError(Exception):
    """pyarrow cannot read this file as it is: the Python reader names the line at fault."""


def _from_arrow(chunks: list[Any]) -> np.ndarray:
    import pyarrow as pa
    import pyarrow.compute as pc
    arr = pa.chunked_array(chunks) if chunks else pa.chunked_array([], pa.float64())
    t = arr.type
    if pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t):
        return _float32(pc.cast(arr, pa.float64()).to_numpy())
    if pa.types.is_boolean(t):
        return arr.to_numpy(zero_copy_only=False) if arr.null_count else \
            np.asarray(arr.to_numpy(zero_copy_only=False), bool)
    if pa.types.is_null(t):
        return np.full(len(arr), np.nan, np.float32)
    if not (pa.types.is_string(t) or pa.types.is_large_string(t)):
        arr = pc.cast(arr, pa.string())
    return np.asarray(arr.to_numpy(zero_copy_only=False), dtype=object)


def from_arrow_table(table: Any, where: str) -> Frame:
    """The frame of an Arrow table (polars, or a Parquet file read whole)."""
    names = _check_names([str(n) for n in table.column_names], where)
    columns = {n: _from_arrow(table.column(j).chunks) for j, n in enumerate(names)}
    if not names or len(columns[names[0]]) == 0:
        raise ValueError(f"{where}: expected data rows, got none")
    return Frame(names, columns, where)


def _numeric(t: Any) -> bool:
    import pyarrow as pa
    return bool(pa.types.is_integer(t) or pa.types.is_floating(t))


class _Columns:
    """Number columns as float32 arrays grown and trimmed in place; the others as Arrow chunks."""

    def __init__(self, numeric: list[bool], capacity: int) -> None:
        self.numeric = numeric
        self.capacity = max(capacity, 1)
        self.out = [np.empty(self.capacity, np.float32) if num else None for num in numeric]
        self.chunks: list[list[Any]] = [[] for _ in numeric]
        self.rows = 0

    def add(self, table: Any) -> None:
        m, k = table.num_rows, self.rows
        if k + m > self.capacity:
            self.capacity = max(k + m, int(self.capacity * 1.25))
            for dest in self.out:  # realloc: no copy for large arrays (mremap)
                if dest is not None:
                    dest.resize(self.capacity, refcheck=False)
        batch = not hasattr(table, "itercolumns")  # a record batch: its columns are arrays
        with np.errstate(over="ignore"):  # float64 Parquet values beyond float32
            for j, dest in enumerate(self.out):
                col = table.column(j)
                chunks = [col] if batch else col.chunks
                if dest is None:
                    self.chunks[j].extend(chunks)
                    continue
                i = k
                for chunk in chunks:
                    dest[i:i + len(chunk)] = chunk.to_numpy(zero_copy_only=False)
                    i += len(chunk)
        self.rows = k + m

    def columns(self) -> list[np.ndarray]:
        cols = []
        for j, dest in enumerate(self.out):
            if dest is not None:
                dest.resize(self.rows, refcheck=False)  # in place: no second copy
                cols.append(dest)
            else:
                if _longest(self.chunks[j]) > csv.field_size_limit():
                    raise _RefusedError  # as the Python reader: a row-naming error
                cols.append(_from_arrow(self.chunks[j]))
                self.chunks[j].clear()
        return cols


def _longest(chunks: list[Any]) -> int:
    """The longest text cell in bytes (0 for other columns)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    longest = 0
    for c in chunks:
        if pa.types.is_string(c.type) or pa.types.is_large_string(c.type):
            longest = max(longest, pc.max(pc.binary_length(c)).as_py() or 0)
    return longest


def _pieces(path: str, sizes: list[int]) -> Iterator[tuple[memoryview, bool]]:
    """The bytes of the (maybe gzip'ed) file in pieces of about ``sizes[0]`` (which the caller
    may change between pieces) that end at a line end outside double quotes (the last piece
    ends where the file does), and whether each holds a quote; a piece is only valid until the
    next is asked for."""
    import pyarrow as pa
    buf = bytearray(2 * sizes[0])
    have = 0
    with pa.input_stream(path, compression="detect") as stream:
        while True:
            size = sizes[0]
            if have + size > len(buf):  # a line longer than a piece, or a larger piece
                buf = buf[:have] + bytearray(2 * size)
            view = memoryview(buf)
            got = stream.readinto(view[have:have + size])
            end = have + got
            cut = end if got == 0 else _line_end(buf, end)
            if cut:
                yield view[:cut], buf.find(b'"', 0, cut) >= 0
            view.release()
            if got == 0:
                return
            rest = end - cut
            arr = np.frombuffer(buf, np.uint8)
            arr[:rest] = arr[cut:end]  # numpy moves overlapping bytes correctly
            del arr
            have = rest


def _line_end(buf: bytearray, end: int) -> int:
    """The index after the last newline of ``buf[:end]`` outside quotes (0: none)."""
    cut = buf.rfind(b"\n", 0, end) + 1
    if buf.find(b'"', 0, cut) < 0:
        return cut
    while cut and buf.count(b'"', 0, cut) % 2:  # inside a quoted value: step back a line
        cut = buf.rfind(b"\n", 0, cut - 1) + 1
    return cut


def _estimate_rows(path: str, piece_bytes: int, piece_rows: int) -> int:
    """Rows of the whole file guessed from the first piece (pages never written cost nothing)."""
    size = os.path.getsize(path)
    if path.endswith(".gz"):
        with open(path, "rb") as f:  # gzip's trailer: the unpacked size modulo 2**32
            f.seek(-4, os.SEEK_END)
            unpacked = int.from_bytes(f.read(4), "little")
        size = unpacked if unpacked >= size else 4 * size
    return int(size / max(piece_bytes, 1) * piece_rows * 1.05) + 1024


def _options(delimiter: str, types: dict[str, Any], names: list[str] | None, size: int,
             quoted: bool) -> tuple[Any, Any, Any]:
    import pyarrow as pa
    import pyarrow.csv as pcsv
    block = max(1 << 16, size // max(2, min(pa.cpu_count(), 8)))  # blocks parsed in parallel
    return (pcsv.ReadOptions(block_size=block, column_names=names),
            pcsv.ParseOptions(delimiter=delimiter, newlines_in_values=quoted),
            pcsv.ConvertOptions(null_values=NULLS, strings_can_be_null=True,
                                column_types=types, timestamp_parsers=[]))


def _parse(piece: tuple[memoryview, bool], delimiter: str, types: dict[str, Any],
           names: list[str] | None) -> Any:
    import pyarrow as pa
    import pyarrow.csv as pcsv
    data, quoted = piece
    read, parse, convert = _options(delimiter, types, names, len(data), quoted)
    return pcsv.read_csv(pa.py_buffer(data), read_options=read, parse_options=parse,
                         convert_options=convert, memory_pool=pa.system_memory_pool())


def _retype(exc: Exception, names: list[str], types: dict[str, Any]) -> None:
    """Widen the column a conversion error names (to float32 or text), or refuse the file."""
    import pyarrow as pa
    m = _CONVERSION.match(str(exc))
    if m is None or not names:
        raise _RefusedError from None
    name = names[int(m.group(1))]
    try:
        float(m.group(3))
        as_number = m.group(2) not in ("double", "float")
    except ValueError:
        as_number = False
    want = pa.float32() if as_number else pa.string()
    if types.get(name) == want:
        raise _RefusedError from None
    types[name] = want


def _read_once(path: str, delimiter: str, where: str, types: dict[str, Any]
               ) -> tuple[list[str], list[np.ndarray]]:
    """One pass over the file with the column types known so far (ArrowInvalid: retype)."""
    import pyarrow as pa
    names: list[str] | None = None
    cols: _Columns | None = None
    sizes = [PIECE]
    for piece in _pieces(path, sizes):
        if names is None:
            table = _parse(piece, delimiter, types, None)  # the header and the types
            names = list(table.schema.names)
            _check_names(names, where)
            fixed = {n: pa.float32() if _numeric(t) else t
                     for n, t in zip(names, table.schema.types) if n not in types}
            types.update(fixed)  # every piece then has the same types (or an ArrowInvalid)
            if any(t == pa.float32() for t in fixed.values()):
                table = _parse(piece, delimiter, types, None)
            numeric = [t == pa.float32() for t in table.schema.types]
            cols = _Columns(numeric, _estimate_rows(path, len(piece[0]), table.num_rows))
            # wide tables: pieces of at least ~PIECE_ROWS rows (per-piece cost is per column)
            row_bytes = len(piece[0]) // max(table.num_rows, 1)
            sizes[0] = min(max(PIECE, row_bytes * PIECE_ROWS), 16 * PIECE)
        else:
            table = _parse(piece, delimiter, types, names)
        assert cols is not None
        cols.add(table)
        del table
    if names is None or cols is None:
        raise _RefusedError
    return names, cols.columns()


def read_arrow_csv(path: str, delimiter: str, where: str) -> Frame | None:
    """The frame of a CSV file (plain or ``.gz``); None when pyarrow refuses it.

    A column whose type changes further down (a number column with a text
    cell, integers then decimals) is read again from the start with the wider type.
    """
    import pyarrow as pa
    types: dict[str, Any] = {}
    names: list[str] = []
    for _ in range(64):
        try:
            names, cols = _read_once(path, delimiter, where, types)
        except pa.ArrowInvalid as exc:
            try:
                _retype(exc, names or _header(path, delimiter), types)
            except _RefusedError:
                return None
            continue
        except _RefusedError:
            return None
        checked = _check_names(names, where)
        if not checked or len(cols[0]) == 0:
            raise ValueError(f"{where}: expected data rows after the header, got none")
        return Frame(checked, dict(zip(checked, cols)), where, path, delimiter)
    return None


def _header(path: str, delimiter: str) -> list[str]:
    for piece in _pieces(path, [1 << 16]):
        return list(_parse(piece, delimiter, {}, None).schema.names)
    return []


def read_parquet(path: str, where: str) -> Frame:
    """The frame of a Parquet file, one column of one row group at a time (numbers straight
    into a float32 array: the peak is the result plus one column chunk)."""
    import pyarrow.parquet as pq
    pf = pq.ParquetFile(path)
    schema = pf.schema_arrow
    names = _check_names([str(n) for n in schema.names], where)
    rows, groups = pf.metadata.num_rows, range(pf.metadata.num_row_groups)
    if not names or rows == 0:
        raise ValueError(f"{where}: expected data rows, got none")
    columns = []
    for name, t in zip(schema.names, schema.types):
        if not _numeric(t):
            columns.append(_from_arrow([c for g in groups for c in
                                        pf.read_row_group(g, [name], use_threads=False)
                                        .column(0).chunks]))
            continue
        out = np.empty(rows, np.float32)
        k = 0
        for g in groups:
            for c in pf.read_row_group(g, [name], use_threads=False).column(0).chunks:
                with np.errstate(over="ignore"):
                    out[k:k + len(c)] = c.to_numpy(zero_copy_only=False)
                k += len(c)
        if np.isinf(out).any():  # maybe beyond float32: float64 then, as from a CSV
            out = _from_arrow([c for g in groups for c in
                               pf.read_row_group(g, [name], use_threads=False).column(0).chunks])
        columns.append(out)
    return Frame(names, dict(zip(names, columns)), where)
