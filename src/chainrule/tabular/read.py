"""Reading tables as users have them: CSV (any delimiter, gzip'ed), Parquet, pandas/polars frames.

:func:`read_frame` returns a :class:`Frame`: named 1-D columns, numbers as
float32 with NaN for missing cells, text as object arrays with None for missing
cells (``""``, ``NA``, ``NaN``, ``null``, ``?`` ...), booleans as bool. CSV
files go through pyarrow when the ``tables`` extra is installed (a few MiB at a
time straight into preallocated float32 columns: as fast as
``pandas.read_csv`` with under twice the result's memory, see ``_arrow``) and
through Python's ``csv`` module otherwise, or when pyarrow refuses a file: that
path names the line of a malformed row or of bytes that are not UTF-8. Errors
name the file, the row (line) and the column.
"""
from __future__ import annotations

import csv
import gzip
import os
import stat
from typing import Any

import numpy as np

from ._csv_python import read_python
from ._frame import NULLS, Frame, _check_names, _float32

__all__ = ["NULLS", "Frame", "check_source", "read_frame", "sniff_delimiter"]

_DELIMITERS = ",;\t|"
SMALL_FILE = 1 << 20  # bytes: below this the Python reader wins (no pyarrow import, ~0.3 s)


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


def _from_dataframe(df: Any, where: str) -> Frame:
    mod = type(df).__module__
    if mod.startswith("polars"):
        from ._arrow import from_arrow_table
        return from_arrow_table(df.to_arrow(), where)
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


def _arrow() -> Any:
    try:
        import pyarrow
    except ImportError:
        return None
    return pyarrow


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
        from ._arrow import read_parquet
        return read_parquet(path, where)
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
            from ._arrow import read_arrow_csv
            frame = read_arrow_csv(path, delimiter, where)
        except pa.ArrowException:
            frame = None  # the Python reader names the line at fault
        if frame is not None:
            return frame
    return read_python(path, delimiter, where)
