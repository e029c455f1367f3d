"""From a read table to features and targets: choosing the target, inferring the task, labels.

:func:`split_target` is what ``chainrule train`` does with a table: the target
column(s) chosen by name, names (``--target a,b`` for several regression
outputs) or index (default: the last column), the task inferred from it (text
or at most 20 integer values: classes; other numbers: regression), and every
bad target cell reported with its file, row (line) and column.
:func:`read_table` is what ``evaluate`` and ``predict`` do: the run's feature
columns matched by name (in any order, extra columns ignored), the target when
present; :func:`encode_labels` maps it through the run's class names.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from .preprocess import is_missing
from .read import Frame, read_frame

__all__ = ["MAX_CLASSES", "check_missing", "check_mixed_columns", "encode_labels", "read_table",
           "split_target", "target_columns"]

MAX_CLASSES = 20  # integer-valued targets with at most this many values are classes


def target_columns(names: list[str], target: str | int | None, where: str) -> list[str]:
    """The target column names: by exact name, comma-separated names or an index.

    Example
    -------
    >>> target_columns(["a", "b", "c"], None, "f"), target_columns(["a", "b", "c"], "-2", "f")
    (['c'], ['b'])
    >>> target_columns(["a", "b", "c"], "a,c", "f.csv")
    ['a', 'c']
    """
    n = len(names)
    if n < 2:
        raise ValueError(f"{where}, row 1: expected at least 2 columns (features and a target), "
                         f"got {n}: {names}; is the delimiter right (--delimiter)?")
    if target is None:
        return [names[-1]]
    if isinstance(target, str) and target.strip() in names:
        return [target.strip()]
    text = str(target).strip()
    try:
        k = int(text)
    except ValueError:
        parts = [p.strip() for p in text.split(",")]
        absent = [p for p in parts if p not in names]
        if absent:
            raise ValueError(f"--target: expected column names or an index of {where}, got "
                             f"{absent[0]!r}; the columns are {names[:12]}") from None
        if len(set(parts)) != len(parts) or len(parts) >= n:
            raise ValueError(f"--target: expected distinct columns leaving at least one "
                             f"feature, got {parts}") from None
        return parts
    if not -n <= k < n:
        raise ValueError(f"--target: expected a column index in [{-n}, {n}), got {k}; the "
                         f"columns are {names[:12]}")
    return [names[k % n]]


def check_mixed_columns(frame: Frame, names: list[str]) -> None:
    """Refuse a column of numbers with a few text cells (at most 5 %): typos, not categories.

    Example
    -------
    >>> f = Frame(["a"], {"a": np.array(["1", "2", "x"], dtype=object)}, "f.csv")
    >>> try:
    ...     check_mixed_columns(f, ["a"])
    ... except ValueError as e:
    ...     print(str(e)[:59])
    f.csv, row 4, column 1 ('a'): expected a number (the column
    """
    for name in names:
        col = frame.columns[name]
        if col.dtype.kind != "O":
            continue
        miss = is_missing(col)
        numeric = np.zeros(len(col), bool)
        for i, v in enumerate(col.tolist()):
            if not miss[i]:
                try:
                    float(v)
                    numeric[i] = True
                except (TypeError, ValueError):
                    pass
        seen = int((~miss).sum())
        text = seen - int(numeric.sum())
        if seen and numeric.sum() * 2 >= seen and 0 < text <= max(1, seen // 20):
            i = int(np.flatnonzero(~miss & ~numeric)[0])
            raise ValueError(f"{frame.where}, row {frame.line(i)}, column "
                             f"{frame.names.index(name) + 1} ({name!r}): expected a number (the "
                             f"column is mostly numbers), got {col[i]!r}; fix the cell, or "
                             "empty it to have it imputed")


def check_missing(frame: Frame, names: list[str]) -> None:
    """``--missing error``: refuse the first missing cell, naming its row and column."""
    for name in names:
        miss = is_missing(frame.columns[name])
        if miss.any():
            i = int(np.argmax(miss))
            raise ValueError(f"{frame.where}, row {frame.line(i)}, column "
                             f"{frame.names.index(name) + 1} ({name!r}): expected a value "
                             "(--missing error), got a missing cell; drop --missing error to "
                             "impute it")


def _class_name(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


def split_target(frame: Frame, target: str | int | None = None, task: str | None = None
                 ) -> tuple[list[str], list[str], np.ndarray, list[str] | None, str]:
    """Feature names, target names, encoded ``y``, class names (or None) and the task.

    Shape
    -----
    y: (N,) int64 class indices, (N,) float32 for one regression target, (N, K) for K.

    Example
    -------
    >>> cols = {"x": np.array([1.0, 2.0, 3.0]), "y": np.array(["b", "a", "b"], dtype=object)}
    >>> f = Frame(["x", "y"], cols, "f.csv")
    >>> split_target(f)[1:]
    (['y'], array([1, 0, 1]), ['a', 'b'], 'binary')
    """
    where = frame.where
    names = target_columns(frame.names, target, where)
    features = [n for n in frame.names if n not in names]
    for name in names:
        miss = is_missing(frame.columns[name])
        if miss.any():
            i = int(np.argmax(miss))
            raise ValueError(f"{where}, row {frame.line(i)}, column {frame.names.index(name) + 1}"
                             f" ({name!r}): expected a target value, got an empty or missing "
                             "cell")
    if len(names) > 1:
        if task not in (None, "regression"):
            raise ValueError(f"--target: several target columns {names} make a regression "
                             f"task, got --task {task}")
        cols = []
        for name in names:
            c = frame.columns[name]
            if c.dtype.kind not in "fiu":
                raise ValueError(f"{where}, column {name!r}: expected numbers for a regression "
                                 f"target, got text such as {c[0]!r}")
            cols.append(np.asarray(c, np.float64))
        return features, names, np.stack(cols, axis=1).astype(np.float32), None, "regression"
    name = names[0]
    raw = frame.columns[name]
    at = f"column {frame.names.index(name) + 1} ({name!r})"
    if raw.dtype.kind in "fiu":
        y = np.asarray(raw, np.float64)
        values = np.unique(y)
        integral = bool(np.all(values == np.round(values)))
        if task == "regression" or (task is None and not (integral and
                                                          len(values) <= MAX_CLASSES)):
            if not np.isfinite(y.astype(np.float32)).all():
                i = int(np.argmax(~np.isfinite(y.astype(np.float32))))
                raise ValueError(f"{where}, row {frame.line(i)}, {at}: expected a target within "
                                 f"float32 range, got {y[i]!r}")
            return features, names, y.astype(np.float32), None, "regression"
        classes = [_class_name(v) for v in values]
        labels = np.searchsorted(values, y).astype(np.int64)
    else:
        text = np.array([str(v).strip() for v in raw.tolist()], dtype=object)
        if task == "regression":
            for i, v in enumerate(text):
                try:
                    float(v)
                except ValueError:
                    raise ValueError(f"{where}, row {frame.line(i)}, {at}: expected a numeric "
                                     f"target for regression, got {v!r}") from None
            return features, names, text.astype(np.float64).astype(np.float32), None, \
                "regression"
        classes_arr, labels = np.unique(text.astype(str), return_inverse=True)
        classes, labels = [str(c) for c in classes_arr], labels.astype(np.int64)
    if len(classes) < 2:
        raise ValueError(f"{where}, {at}: expected at least 2 classes to learn, got only "
                         f"{classes[0]!r} in every row; pick another --target or use "
                         "--task regression")
    inferred = task or ("binary" if len(classes) == 2 else "multiclass")
    if inferred == "binary" and len(classes) > 2:
        raise ValueError(f"{where}, {at}: expected at most 2 classes for --task binary, got "
                         f"{len(classes)}: {classes[:10]}")
    return features, names, labels, classes, inferred


def read_table(source: Any, feature_names: list[str] | None, target: str | None = None,
               n_features: int | None = None, require_target: bool = False,
               delimiter: str | None = None
               ) -> tuple[Frame, np.ndarray | None, Frame]:
    """The columns a run needs (by name, as a Frame), its target column(s) (or None), the file.

    Shape
    -----
    columns: name -> (rows,); target: (rows,) or (rows, K) raw values, or None when absent.

    Example
    -------
    >>> import os, tempfile
    >>> p = os.path.join(tempfile.mkdtemp(), "d.csv")
    >>> _ = open(p, "w").write("b,y,a\\n2,cat,1\\n4,dog,3\\n")
    >>> cols, t, _ = read_table(p, ["a", "b"], target="y")
    >>> cols.columns["a"].tolist(), t.tolist()
    ([1.0, 3.0], ['cat', 'dog'])
    """
    frame = read_frame(source, delimiter=delimiter,
                       where=None if not isinstance(source, (str, Path)) else str(source))
    where = frame.where
    wanted = [] if target is None else [t.strip() for t in
                                        ([target] if target in frame.names else
                                         str(target).split(","))]
    present = bool(wanted) and all(t in frame.names for t in wanted)
    if require_target and not present:
        raise ValueError(f"{where}, row 1: expected a target column {target!r}, got columns "
                         f"{frame.names[:12]}; pass --target COLUMN")
    if feature_names is None:
        cols = [n for n in frame.names if not (present and n in wanted)]
        if n_features is not None and len(cols) != n_features:
            raise ValueError(f"{where}: expected {n_features} feature columns, got {len(cols)}")
    else:
        missing = [n for n in feature_names if n not in frame.names]
        if missing:
            raise ValueError(f"{where}, row 1: expected the feature columns the model was "
                             f"trained on {feature_names[:12]}, missing {missing[:12]}")
        cols = list(feature_names)
    columns = Frame(cols, {n: frame.columns[n] for n in cols}, where, frame.source,
                    frame.delimiter)
    columns.line = frame.line  # type: ignore[method-assign]  # share the lazily read lines
    y = None
    if present:
        ys = [frame.columns[t] for t in wanted]
        y = ys[0] if len(ys) == 1 else np.stack([np.asarray(v, np.float64) for v in ys], 1)
    return columns, y, frame


def _key(label: Any) -> Any:
    try:
        return float(label)
    except (TypeError, ValueError):
        return str(label).strip()


def encode_labels(values: Any, frame: Frame | None, task: str, class_names: list[str] | None,
                  where: str) -> np.ndarray:
    """Class indices through ``class_names`` (classification) or float values (regression).

    Example
    -------
    >>> encode_labels(np.array(["dog", "cat", "1.0"], dtype=object), None, "multiclass",
    ...               ["1", "cat", "dog"], "f.csv").tolist()
    [2, 1, 0]
    """
    v = np.asarray(values)

    def row(i: int) -> str:
        return f"row {frame.line(i)}" if frame is not None else f"row index {i}"
    if task == "regression":
        try:
            out = np.asarray(v, np.float64)
        except (TypeError, ValueError):
            out = np.array([_key(c) if isinstance(_key(c), float) else np.nan
                            for c in v.ravel()]).reshape(v.shape)
        bad = ~np.isfinite(out.reshape(len(out), -1)).all(axis=1)
        if bad.any():
            i = int(np.argmax(bad))
            raise ValueError(f"{where}, {row(i)}: expected a finite numeric target, got "
                             f"{v[i]!r}")
        return out  # float64: metrics of targets beyond float32 stay finite
    lookup = {_key(name): k for k, name in enumerate(class_names or [])}
    labels = np.empty(len(v), np.int64)
    for i, c in enumerate(v.tolist()):
        k = lookup.get(_key(c))
        if k is None:
            raise ValueError(f"{where}, {row(i)}: expected a class among {class_names}, got "
                             f"{c!r}")
        labels[i] = k
    return labels
