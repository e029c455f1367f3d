"""An uploaded CSV: read in memory by the same reader, checks and messages as ``chainrule train``.

The bytes never reach a file the page can name: on Linux they go into an
anonymous in-memory file (``memfd``) that :func:`chainrule.tabular.read.read_frame`
reads like any path, with the upload's name in its messages. The target is the
last column (classes); the numeric columns are the features the page can plot.
"""
from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["MAX_BYTES", "MAX_CLASSES", "MAX_ROWS", "Upload", "read_upload", "safe_name"]

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000  # more rows are subsampled (the playground trains while you watch)
MAX_CLASSES = 10


@dataclass
class Upload:
    """The numeric feature columns (NaN where a cell is missing), class labels and names."""

    X: np.ndarray  # noqa: N815  (scikit-learn's name)
    y: np.ndarray
    target_names: list[str]
    feature_names: list[str]
    name: str


def safe_name(name: Any) -> str:
    """A file name fit for messages: the last path part, printable, at most 60 characters.

    Example
    -------
    >>> safe_name("../../etc/passwd"), safe_name(None)
    ('passwd', 'upload.csv')
    """
    text = re.split(r"[\\/]", str(name or ""))[-1]
    text = re.sub(r"[^\w.\- ]", "_", text).strip()[:60]
    return text or "upload.csv"


def _frame(data: bytes, name: str) -> Any:
    from ..tabular.read import read_frame

    def read(path: str) -> Any:
        try:
            return read_frame(path, where=name)
        except (ValueError, TypeError) as exc:
            raise ValueError(str(exc).replace(path, name)) from None

    if hasattr(os, "memfd_create"):
        fd = os.memfd_create("chainrule-upload")
        try:
            os.write(fd, data)
            return read(f"/proc/self/fd/{fd}")
        finally:
            os.close(fd)
    with tempfile.TemporaryDirectory(prefix="chainrule-upload-") as tmp:  # pragma: no cover
        path = os.path.join(tmp, "upload.csv")
        with open(path, "wb") as f:
            f.write(data)
        return read(path)


def read_upload(data: bytes, filename: Any = None) -> tuple[Upload, str]:
    """Classes and numeric features from CSV bytes (the target in the last column).

    Returns the upload and a note ("" or what was changed, e.g. rows subsampled).
    Raises ValueError with the command line's message (file, row and column).

    Example
    -------
    >>> up, note = read_upload(b"w,h,kind\\n1,2,cat\\n30,60,dog\\n2,3,cat\\n", "pets.csv")
    >>> up.feature_names, up.target_names, up.y.tolist(), note
    (['w', 'h'], ['cat', 'dog'], [0, 1, 0], '')
    """
    from ..tabular.table import check_mixed_columns, split_target
    name = safe_name(filename)
    if len(data) > MAX_BYTES:
        raise ValueError(f"upload: expected a CSV file of at most {MAX_BYTES // 2**20} MB, got "
                         f"{len(data) / 2**20:.1f} MB")
    if not data.strip():
        raise ValueError(f"{name}: expected a header row and data rows, got an empty file")
    if b"\0" in data[:65536]:
        raise ValueError(f"{name}, row 1: expected CSV text, got binary content (NUL bytes)")
    frame = _frame(data, name)
    inputs, _, y, classes, task = split_target(frame)
    check_mixed_columns(frame, inputs)
    target = f"the target column ({frame.names[-1]!r}, the last one)"
    if task == "regression" or classes is None:
        raise ValueError(f"{name}: expected class labels in {target}, got numbers that look "
                         "like regression (not integers, or more than 20 values)")
    if len(classes) > MAX_CLASSES:
        raise ValueError(f"{name}: expected at most {MAX_CLASSES} classes in {target}, got "
                         f"{len(classes)}")
    numeric = [n for n in inputs if frame.columns[n].dtype.kind in "fiu"]
    if len(numeric) < 2:
        raise ValueError(f"{name}: expected at least 2 numeric feature columns and a target, "
                         f"got {len(numeric)} ({numeric}); the playground plots two of them")
    x = np.stack([np.asarray(frame.columns[n], np.float32) for n in numeric], axis=1)
    y = np.asarray(y, np.int64)
    note = ""
    if len(x) > MAX_ROWS:
        keep = np.sort(np.random.default_rng(0).choice(len(x), MAX_ROWS, replace=False))
        note = f"{len(x)} rows: a random {MAX_ROWS} of them are used"
        x, y = x[keep], y[keep]
    return Upload(x, y, list(classes), numeric, name), note


def pick(upload: Upload, i: int, j: int) -> tuple[np.ndarray, np.ndarray]:
    """Columns ``i`` and ``j`` and the labels, without the rows where either cell is missing."""
    n = upload.X.shape[1]
    if max(i, j) >= n:
        raise ValueError(f"features: expected two column indices below {n}, got [{i}, {j}]")
    x = upload.X[:, [i, j]]
    keep = np.isfinite(x).all(axis=1)
    y = upload.y[keep]
    if keep.sum() < 10 or len(np.unique(y)) < 2:
        raise ValueError(f"features: expected columns {upload.feature_names[i]!r} and "
                         f"{upload.feature_names[j]!r} to have at least 10 complete rows and 2 "
                         f"classes, got {int(keep.sum())} rows")
    return x[keep], y
