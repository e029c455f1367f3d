"""Reading tables as users have them: CSV (any delimiter, gzip'ed), Parquet, pandas/polars frames.

:func:`read_frame` returns a :class:`Frame`: named 1-D columns, numbers as
float32 with NaN for missing cells, text as object arrays with None for missing
cells (``""``, ``NA``, ``NaN``, ``null``, ``?`` ...). CSV files go through
pyarrow's streaming reader when the ``tables`` extra is installed (faster than
``pandas.read_csv``; the columns are built block by block, so the peak memory
stays within twice the result) and through Python's ``csv`` module otherwise,
or when pyarrow refuses a file: that path names the line of a malformed row or
of bytes that are not UTF-8. Errors name the file, the row (line) and the column.
"""
from __future__ import annotations

import csv
import gzip
import io
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..data.csvfile import _decode_line
from .preprocess import MISSING_TOKENS

__all__ = ["Frame", "check_source", "read_frame"]

NULLS = sorted({t for tok in MISSING_TOKENS for t in (tok, tok.upper(), tok.capitalize())}
               | {"NaN", "N/A"})
_DELIMITERS = ",;\t|"
SMALL_FILE = 1 << 20  # bytes: below this the Python reader wins (no pyarrow import, ~0.3 s)


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


def check_source(path: str | os.PathLike[str], option: str = "--data") -> str:
    """The path as a string if it is a readable regular file; a clear ValueError otherwise.

    A FIFO, a device (such as /dev/null) or a folder is refused without opening it,
    so reading never blocks.
    """
    p = os.fspath(path)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        raise ValueError(f"{option}: expected a CSV or Parquet file, got {p!r} (no such "
                         "file)") from None
    except OSError as exc:
        raise ValueError(f"{option}: expected a readable file, got {p!r} ({exc.strerror})"
                         ) from None
    kinds = [(stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
             (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
             (stat.S_ISSOCK, "a socket")]
    for test, what in kinds:
        if test(st.st_mode):
            raise ValueError(f"{option}: expected a regular CSV or Parquet file, got {p!r} "
                             f"({what})")
    if st.st_size == 0:
        raise ValueError(f"{option}: expected a header row and data rows, got {p!r} (an empty "
                         "file)")
    return p


def _open_text(path: str) -> io.TextIOBase:
    raw: Any = gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")


def _sample(path: str, size: int = 1 << 16) -> str:
    raw: Any = gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")
    with raw:
        data = raw.read(size)
    return data.decode("utf-8-sig", errors="replace")


def sniff_delimiter(sample: str) -> str:
    """The delimiter of a CSV sample among , ; tab | (',' when unsure).

    Example
    -------
    >>> sniff_delimiter("a;b;c\\n1;2;3\\n"), sniff_delimiter("a\\n1\\n")
    (';', ',')
    """
    lines = [ln for ln in sample.splitlines() if ln.strip()][:50]
    if not lines:
        return ","
    try:
        d = csv.Sniffer().sniff("\n".join(lines), delimiters=_DELIMITERS).delimiter
    except csv.Error:
        d = ""
    if d and d in lines[0]:
        return d
    counts = {c: lines[0].count(c) for c in _DELIMITERS}
    best = max(counts, key=lambda c: counts[c])
    return best if counts[best] else ","


def _check_names(names: list[str], where: str) -> list[str]:
    out = [n.strip() or f"column{j + 1}" for j, n in enumerate(names)]
    seen: dict[str, int] = {}
    for j, n in enumerate(out):
        if n in seen:
            raise ValueError(f"{where}, row 1: expected distinct column names, got {n!r} twice "
                             f"(columns {seen[n] + 1} and {j + 1})")
        seen[n] = j

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


def _blank(row: list[str]) -> bool:
    """An empty line (skipped); a line of empty cells is a row of missing values."""
    return not row or (len(row) == 1 and not row[0].strip())


def _line_numbers(path: str | Path, delimiter: str) -> np.ndarray:
    lines = []
    with _open_text(str(path)) as f:
        reader = csv.reader(f, delimiter=delimiter)
        header = False
        for row in reader:
            if _blank(row):
                continue
            if header:
                lines.append(reader.line_num)
            header = True
    return np.array(lines, np.int64)


def _column(cells: list[str]) -> np.ndarray:
    """Text cells -> float32 with NaN (all numbers or missing) or object with None."""
    miss = [c.strip().lower() in MISSING_TOKENS for c in cells]
    try:
        vals = np.array([np.nan if m else float(c) for c, m in zip(cells, miss)], np.float64)
    except ValueError:
        return np.array([None if m else c.strip() for c, m in zip(cells, miss)], dtype=object)
    return _float32(vals)


def _float32(vals: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        out = vals.astype(np.float32)
    too_big = np.isfinite(vals) & ~np.isfinite(out)
    if too_big.any():
        out = vals  # keep the float64 values: range errors are reported by the consumer
    return out


def _read_python(path: str, delimiter: str, where: str) -> Frame:
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
    columns = {n: _column([r[j] for r in rows]) for j, n in enumerate(header)}
    return Frame(header, columns, where, path, delimiter, np.array(lines, np.int64))


def _arrow() -> Any:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return None
    return pyarrow


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


_CONVERSION = re.compile(r"In CSV column #(\d+): .*CSV conversion error to (\w+): invalid "
                         r"value '(.*)'", re.S)


def _max_rows(path: str) -> int | None:
    """An upper bound on the data rows of an uncompressed file (its line count), else None."""
    if path.endswith(".gz"):
        return None
    n = 1
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            n += block.count(b"\n")
    return n


def _numeric(t: Any) -> bool:
    import pyarrow as pa
    return bool(pa.types.is_integer(t) or pa.types.is_floating(t))


def _read_arrow(path: str, delimiter: str, where: str) -> Frame | None:
    """The frame via pyarrow's streaming reader; None when pyarrow refuses the file.

    A first look at the opening block finds the numeric columns; they are then
    parsed straight to float32 and copied out of each block as it comes, so the
    peak memory stays near the size of the result.
    """
    import pyarrow as pa
    import pyarrow.csv as pcsv
    types: dict[str, Any] = {}
    probed = False
    raw_names: list[str] = []
    for _ in range(64):
        try:
            with pa.input_stream(path, compression="detect") as stream:
                reader = pcsv.open_csv(
                    stream, read_options=pcsv.ReadOptions(block_size=1 << 20),
                    parse_options=pcsv.ParseOptions(delimiter=delimiter),
                    convert_options=pcsv.ConvertOptions(
                        null_values=NULLS, strings_can_be_null=True, column_types=types,
                        timestamp_parsers=[]))
                schema = reader.schema
                raw_names = list(schema.names)
                if not probed:
                    probed = True
                    types.update({n: pa.float32() for n, t in zip(raw_names, schema.types)
                                  if _numeric(t) and n not in types})
                    continue
                numeric = [_numeric(t) for t in schema.types]
                chunks: list[list[Any]] = [[] for _ in raw_names]
                bound = _max_rows(path)  # preallocated numbers: no second copy at the end
                out = [np.empty(bound, np.float32) if num and bound is not None else None
                       for num in numeric]
                k = 0
                for batch in reader:
                    m = batch.num_rows
                    if bound is not None and k + m > bound:
                        return None  # cannot happen (more rows than lines); be safe
                    for j in range(len(raw_names)):
                        col, dest = batch.column(j), out[j]
                        if dest is not None:
                            dest[k:k + m] = col.to_numpy(zero_copy_only=False)
                        elif numeric[j]:
                            chunks[j].append(np.asarray(col.to_numpy(zero_copy_only=False),
                                                        np.float32))
                        else:
                            chunks[j].append(col)
                    k += m
        except pa.ArrowInvalid as exc:
            m = _CONVERSION.match(str(exc))
            if m is None or not raw_names:
                return None
            name = raw_names[int(m.group(1))]
            try:
                float(m.group(3))
                as_number = m.group(2) not in ("double", "float")
            except ValueError:
                as_number = False
            types[name] = pa.float32() if as_number else pa.string()
            continue
        names = _check_names(raw_names, where)
        columns = {}
        for n, c, num, pre in zip(names, chunks, numeric, out):
            if pre is not None:
                columns[n] = pre[:k] if k > 0.9 * len(pre) else pre[:k].copy()
            elif num:
                columns[n] = np.concatenate(c) if c else np.empty(0, np.float32)
            else:
                columns[n] = _from_arrow(c)
            c.clear()
        if not names or len(columns[names[0]]) == 0:
            raise ValueError(f"{where}: expected data rows after the header, got none")
        return Frame(names, columns, where, path, delimiter)
    return None


def _from_dataframe(df: Any, where: str) -> Frame:
    mod = type(df).__module__
    if mod.startswith("polars"):
        return _from_arrow_table(df.to_arrow(), where)
    names = _check_names([str(c) for c in df.columns], where)
    columns = {}
    for n, col in zip(names, df.columns):
        s = df[col]
        kind = getattr(s.dtype, "kind", "O")
        if kind in "iuf":
            columns[n] = _float32(s.to_numpy(dtype=np.float64, na_value=np.nan))
        elif kind == "b":
            columns[n] = s.to_numpy()
        else:
            v = s.astype(object).to_numpy()
            columns[n] = np.array([None if (x is None or (isinstance(x, float) and x != x))
                                   else x if isinstance(x, (str, bool)) else str(x)
                                   for x in v], dtype=object)
    return Frame(names, columns, where)


def _from_arrow_table(table: Any, where: str) -> Frame:
    names = _check_names([str(n) for n in table.column_names], where)
    columns = {n: _from_arrow(table.column(j).chunks) for j, n in enumerate(names)}
    if not names or len(columns[names[0]]) == 0:
        raise ValueError(f"{where}: expected data rows, got none")
    return Frame(names, columns, where)


def read_frame(source: Any, *, delimiter: str | None = None, where: str | None = None,
               engine: str = "auto") -> Frame:
    """Read a CSV (``.csv``, ``.csv.gz``, any delimiter), a Parquet file or a DataFrame.

    ``delimiter`` None sniffs it from the first lines. ``engine``: "auto" (pyarrow
    when installed, for files from 1 MiB), "arrow" or "python".

    Example
    -------
    >>> import os, tempfile
    >>> p = os.path.join(tempfile.mkdtemp(), "d.csv")
    >>> _ = open(p, "w").write("age;city\\n31;Paris\\nNA;Rome\\n")
    >>> f = read_frame(p)
    >>> f.names, f.columns["age"].tolist(), f.columns["city"].tolist()
    (['age', 'city'], [31.0, nan], ['Paris', 'Rome'])
    """
    if hasattr(source, "columns") and not isinstance(source, (str, os.PathLike)):
        return _from_dataframe(source, where or "DataFrame")
    path = check_source(source)
    where = where or path
    if path.endswith((".parquet", ".pq")):
        pa = _arrow()
        if pa is None:
            raise ImportError(f'{where}: reading Parquet needs pyarrow; pip install '
                              '"chainrule[tables]"')
        import pyarrow.parquet as pq
        return _from_arrow_table(pq.read_table(path), where)
    if delimiter is None:
        delimiter = sniff_delimiter(_sample(path))
    elif len(delimiter) != 1:
        raise ValueError(f"--delimiter: expected one character, got {delimiter!r}")
    if not any(line.strip() for line in _sample(path, 1 << 12).splitlines()) and \
            not _sample(path).strip():
        raise ValueError(f"{where}: expected a header row and data rows, got an empty file")
    small = engine == "auto" and os.path.getsize(path) < SMALL_FILE
    pa = _arrow() if engine != "python" and not small else None
    if pa is not None:
        try:
            frame = _read_arrow(path, delimiter, where)
        except pa.ArrowException:
            frame = None  # the Python reader names the line at fault
        if frame is not None:
            return frame
    return _read_python(path, delimiter, where)
