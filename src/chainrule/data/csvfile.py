"""Reading a user's CSV file: a header row, numeric features, one target column."""
from __future__ import annotations

import csv
import os
from typing import Any

import numpy as np

from .bunch import TASKS, DataBunch

__all__ = ["load_csv"]

MAX_CLASSES = 20  # integer-valued targets with at most this many values are classes


def _number(cell: str) -> float | None:
    try:
        return float(cell)
    except ValueError:
        return None


def _describe(cell: str) -> str:
    return "an empty cell" if not cell.strip() else repr(cell)


def _class_names(values: np.ndarray) -> list[str]:
    return [str(int(v)) if float(v).is_integer() else str(v) for v in values]


def load_csv(path: str | os.PathLike[str], target: str | int | None = None,
             delimiter: str = ",", task: str | None = None) -> DataBunch:
    """Load a CSV file with a header row: numeric feature columns and a ``target`` column.

    ``target`` is a column name or index (default: the last column). The task
    is inferred unless given: a non-numeric target is classification with
    the sorted class names kept (as scikit-learn's LabelEncoder), integer
    values with at most 20 distinct values are classes too (class ``i`` is the
    ``i``-th smallest value), other numbers are regression (float32 ``y``).
    Errors name the file, row (line number) and column.

    Shape
    -----
    X: ``(n_rows, n_columns - 1)`` float32; y: ``(n_rows,)`` int64 or float32.

    Example
    -------
    >>> import os, tempfile
    >>> p = os.path.join(tempfile.mkdtemp(), "pets.csv")
    >>> _ = open(p, "w").write("weight,height,kind\\n4.1,25,cat\\n30,60,dog\\n3.5,23,cat\\n")
    >>> b = load_csv(p, target="kind")
    >>> b.X.shape, b.y.tolist(), b.target_names, b.task
    ((3, 2), [0, 1, 0], ['cat', 'dog'], 'binary')
    """
    if task is not None and task not in TASKS:
        raise ValueError(f"load_csv: expected task one of {TASKS} or None, got {task!r}")
    name = os.fspath(path)
    where = f"load_csv: {name}"
    header, rows, lines = _read(path, delimiter, where)
    columns = [h.strip() for h in header]
    t = _target_index(columns, target, where)
    feature_cols = [j for j in range(len(columns)) if j != t]
    X = _features(rows, lines, feature_cols, columns, where)
    y, target_names, inferred = _target(rows, lines, t, columns[t], task, where)
    return DataBunch(X=X, y=y, task=inferred, target_names=target_names,
                     feature_names=[columns[j] for j in feature_cols],
                     name=os.path.basename(name), description=f"CSV file {name}")


def _check_file(path: Any, where: str) -> None:
    """Refuse what is not a regular file before opening it (a FIFO would block forever)."""
    import stat
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise FileNotFoundError(f"{where}: expected a CSV file, got no such file") from None
    for test, what in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            raise ValueError(f"{where}: expected a regular CSV file, got {what}")


def _decode_line(path: Any, where: str) -> None:
    """Name the line of the first byte that is not UTF-8 (a ``.gz`` file is read unpacked)."""
    import gzip
    raw: Any = gzip.open(path, "rb") if str(path).endswith(".gz") else open(path, "rb")
    line, rest = 1, b""
    with raw:  # 1 MiB at a time, whole lines (a newline byte is never inside a character)
        while True:
            block = raw.read(1 << 20)
            data = rest + block
            cut = data.rfind(b"\n") + 1 if block else len(data)
            data, rest = data[:cut], data[cut:]
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as exc:
                line += data[:exc.start].count(b"\n")
                raise ValueError(f"{where}, row {line}: expected UTF-8 text, got the byte "
                                 f"0x{data[exc.start]:02x}; save the file as UTF-8") from None
            line += data.count(b"\n")
            if not block:
                return


def check_distinct(names: list[str], where: str) -> None:
    """Raise naming the first column name that repeats (row 1 of the file)."""
    seen: dict[str, int] = {}
    for j, n in enumerate(names):
        if n in seen:
            raise ValueError(f"{where}, row 1: expected distinct column names, got {n!r} twice "
                             f"(columns {seen[n] + 1} and {j + 1})")
        seen[n] = j


def _check_header(header: list[str], where: str) -> None:
    names = [h.strip() for h in header]
    check_distinct(names, where)
    if names and all(_number(n) is not None for n in names):
        raise ValueError(f"{where}, row 1: expected a header row of column names, got numbers "
                         f"{names[:6]}; the first row looks like data: add a header line")


def _read(path: Any, delimiter: str, where: str) -> tuple[list[str], list[list[str]], list[int]]:
    rows: list[list[str]] = []
    lines: list[int] = []
    _check_file(path, where)
    _decode_line(path, where)
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f, delimiter=delimiter)
        try:
            header = None
            for row in reader:
                if not any(cell.strip() for cell in row):
                    continue  # blank lines
                if header is None:
                    header = row
                    _check_header(header, where)
                    continue
                if len(row) != len(header):
                    raise ValueError(f"{where}, row {reader.line_num}: expected {len(header)} "
                                     f"columns as in the header, got {len(row)}")
                rows.append(row)
                lines.append(reader.line_num)
        except (csv.Error, UnicodeDecodeError) as exc:
            raise ValueError(f"{where}, row {reader.line_num + 1}: expected CSV text, got "
                             f"unreadable content ({exc})") from None
    if header is None:
        raise ValueError(f"{where}: expected a header row and data rows, got an empty file")
    if not rows:
        raise ValueError(f"{where}: expected data rows after the header, got none")
    if len(header) < 2:
        raise ValueError(f"{where}, row 1: expected at least 2 columns (features and a "
                         f"target), got {len(header)}: {header}; is the delimiter "
                         f"{delimiter!r} right?")
    return header, rows, lines


def _target_index(columns: list[str], target: str | int | None, where: str) -> int:
    n = len(columns)
    if target is None:
        return n - 1
    if isinstance(target, (int, np.integer)) and not isinstance(target, bool):
        if not -n <= target < n:
            raise ValueError(f"{where}: expected a target column index in [{-n}, {n}), got "
                             f"{target}; the columns are {columns}")
        return int(target) % n
    if not isinstance(target, str):
        raise TypeError(f"{where}: expected target a column name or index, got "
                        f"{type(target).__name__}")
    hits = [j for j, c in enumerate(columns) if c == target.strip()]
    if not hits:
        raise ValueError(f"{where}, row 1: expected a target column {target!r}, got columns "
                         f"{columns}")
    if len(hits) > 1:
        raise ValueError(f"{where}, row 1: expected one column named {target!r}, got "
                         f"{len(hits)} (columns {[h + 1 for h in hits]}); pass an index")
    return hits[0]


def _features(rows: list[list[str]], lines: list[int], cols: list[int], columns: list[str],
              where: str) -> np.ndarray:
    cells = [[row[j] for j in cols] for row in rows]
    try:
        X = np.array(cells, dtype=np.float64).reshape(len(rows), len(cols))
    except ValueError:  # find the first bad cell to name it
        for i, row in enumerate(cells):
            for k, cell in enumerate(row):
                if _number(cell) is None:
                    j = cols[k]
                    raise ValueError(f"{where}, row {lines[i]}, column {j + 1} "
                                     f"({columns[j]!r}): expected a number, got "
                                     f"{_describe(cell)}") from None
        raise
    if not np.isfinite(X).all():
        i, k = np.argwhere(~np.isfinite(X))[0]
        j = cols[k]
        raise ValueError(f"{where}, row {lines[i]}, column {j + 1} ({columns[j]!r}): expected "
                         f"a finite number, got {cells[i][k].strip()!r} (NaN or infinity)")
    with np.errstate(over="ignore"):
        X32 = X.astype(np.float32)
    if not np.isfinite(X32).all():
        i, k = np.argwhere(~np.isfinite(X32))[0]
        j = cols[k]
        raise ValueError(f"{where}, row {lines[i]}, column {j + 1} ({columns[j]!r}): expected "
                         f"a number within float32 range, got {cells[i][k].strip()!r}")
    return X32


def _target(rows: list[list[str]], lines: list[int], t: int, column: str, task: str | None,
            where: str) -> tuple[np.ndarray, list[str] | None, str]:
    raw = [row[t].strip() for row in rows]
    at = f"column {t + 1} ({column!r})"
    for i, v in enumerate(raw):
        if not v:
            raise ValueError(f"{where}, row {lines[i]}, {at}: expected a target value, got an "
                             "empty cell")
    numbers = [_number(v) for v in raw]
    if all(v is not None for v in numbers):
        y = np.array(numbers, dtype=np.float64)
        if not np.isfinite(y).all():
            i = int(np.argmax(~np.isfinite(y)))
            raise ValueError(f"{where}, row {lines[i]}, {at}: expected a finite target, got "
                             f"{raw[i]!r} (NaN or infinity)")
        values = np.unique(y)
        integral = bool(np.all(values == np.round(values)))
        if task == "regression" or (task is None and not (integral and
                                                          len(values) <= MAX_CLASSES)):
            return y.astype(np.float32), None, "regression"
        names = _class_names(values)
        labels = np.searchsorted(values, y).astype(np.int64)
    else:
        if task == "regression":
            i = next(i for i, v in enumerate(numbers) if v is None)
            raise ValueError(f"{where}, row {lines[i]}, {at}: expected a numeric target for "
                             f"regression, got {raw[i]!r}")
        names = sorted(set(raw))
        lookup = {c: k for k, c in enumerate(names)}
        labels = np.array([lookup[v] for v in raw], dtype=np.int64)
    inferred = task or ("binary" if len(names) <= 2 else "multiclass")
    if inferred == "binary" and len(names) > 2:
        raise ValueError(f"{where}, {at}: expected at most 2 classes for task='binary', got "
                         f"{len(names)}: {names[:10]}")
    return labels, names, inferred
