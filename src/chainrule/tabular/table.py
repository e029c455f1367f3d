"""Reading a CSV for a trained run: features matched by name, targets encoded by class name.

The columns are matched to the run's ``feature_names`` by header name (in any
order, extra columns ignored), so a file for ``chainrule predict`` need not
have the target column, and class labels are mapped through the run's
``class_names`` (so a file that lacks some class still encodes the others right).
Errors name the file, the row (line number) and the column.
"""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["encode_labels", "read_table"]


def _number(cell: str) -> float | None:
    try:
        return float(cell)
    except ValueError:
        return None


def read_table(path: str | Path, feature_names: list[str] | None, target: str | None = None,
               n_features: int | None = None, require_target: bool = False
               ) -> tuple[np.ndarray, list[str] | None, list[int]]:
    """Features ``X`` (float32, in ``feature_names`` order), the raw target cells and line numbers.

    Shape
    -----
    X: (rows, len(feature_names)); target: one string per row, or None when absent.

    Example
    -------
    >>> import os, tempfile
    >>> p = os.path.join(tempfile.mkdtemp(), "d.csv")
    >>> _ = open(p, "w").write("b,y,a\\n2,cat,1\\n4,dog,3\\n")
    >>> X, t, _ = read_table(p, ["a", "b"], target="y")
    >>> X.tolist(), t
    ([[1.0, 2.0], [3.0, 4.0]], ['cat', 'dog'])
    """
    where = str(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.reader(f)
            rows: list[list[str]] = []
            lines: list[int] = []
            header: list[str] | None = None
            for row in reader:
                if not any(cell.strip() for cell in row):
                    continue
                if header is None:
                    header = [c.strip() for c in row]
                elif len(row) != len(header):
                    raise ValueError(f"{where}, row {reader.line_num}: expected {len(header)} "
                                     f"columns as in the header, got {len(row)}")
                else:
                    rows.append(row)
                    lines.append(reader.line_num)
    except (csv.Error, UnicodeDecodeError) as exc:
        raise ValueError(f"{where}: expected CSV text, got unreadable content ({exc})") from None
    if header is None or not rows:
        raise ValueError(f"{where}: expected a header row and data rows, got "
                         f"{'an empty file' if header is None else 'no data rows'}")
    t = header.index(target) if target is not None and target in header else None
    if require_target and t is None:
        raise ValueError(f"{where}, row 1: expected a target column {target!r}, got columns "
                         f"{header}; pass --target COLUMN")
    if feature_names is None:
        cols = [j for j in range(len(header)) if j != t]
        if n_features is not None and len(cols) != n_features:
            raise ValueError(f"{where}: expected {n_features} feature columns, got {len(cols)}")
    else:
        missing = [name for name in feature_names if name not in header]
        if missing:
            raise ValueError(f"{where}, row 1: expected the feature columns the model was "
                             f"trained on {feature_names}, missing {missing}")
        cols = [header.index(name) for name in feature_names]
    x = np.empty((len(rows), len(cols)), np.float64)
    for i, row in enumerate(rows):
        for k, j in enumerate(cols):
            v = _number(row[j])
            if v is None or not np.isfinite(v):
                raise ValueError(f"{where}, row {lines[i]}, column {header[j]!r}: expected a "
                                 f"finite number, got {row[j].strip()!r}")
            x[i, k] = v
    target_cells = None if t is None else [row[t].strip() for row in rows]
    return x.astype(np.float32), target_cells, lines


def _key(label: str) -> Any:
    v = _number(label)
    return label.strip() if v is None else v


def encode_labels(cells: list[str], lines: list[int], task: str,
                  class_names: list[str] | None, where: str) -> np.ndarray:
    """Class indices through ``class_names`` (classification) or float values (regression).

    Example
    -------
    >>> encode_labels(["dog", "cat", "1.0"], [2, 3, 4], "multiclass", ["1", "cat", "dog"],
    ...               "f.csv").tolist()
    [2, 1, 0]
    """
    if task == "regression":
        out = np.empty(len(cells), np.float32)
        for i, c in enumerate(cells):
            v = _number(c)
            if v is None or not np.isfinite(v):
                raise ValueError(f"{where}, row {lines[i]}: expected a finite numeric target, "
                                 f"got {c!r}")
            out[i] = v
        return out
    lookup = {_key(name): k for k, name in enumerate(class_names or [])}
    labels = np.empty(len(cells), np.int64)
    for i, c in enumerate(cells):
        k = lookup.get(_key(c))
        if k is None:
            raise ValueError(f"{where}, row {lines[i]}: expected a class among "
                             f"{class_names}, got {c!r}")
        labels[i] = k
    return labels
