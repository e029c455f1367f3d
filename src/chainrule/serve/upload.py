"""An uploaded CSV: read in memory by the same loader as ``chainrule train --data``.

The bytes never reach a file the page can name: on Linux they go into an
anonymous in-memory file (``memfd``) that :func:`chainrule.data.load_csv` reads
like any path, and its messages name the upload instead of that path.
"""
from __future__ import annotations

import os
import re
import tempfile
from typing import Any

import numpy as np

__all__ = ["MAX_BYTES", "MAX_CLASSES", "MAX_ROWS", "read_upload", "safe_name"]

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000  # more rows are subsampled (the playground trains while you watch)
MAX_CLASSES = 10


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


def _load(data: bytes, name: str) -> Any:
    from ..data import load_csv
    if hasattr(os, "memfd_create"):
        fd = os.memfd_create("chainrule-upload")
        try:
            os.write(fd, data)
            path = f"/proc/self/fd/{fd}"
            try:
                return load_csv(path)
            except (ValueError, TypeError) as exc:
                raise ValueError(str(exc).replace(path, name)) from None
        finally:
            os.close(fd)
    with tempfile.TemporaryDirectory(prefix="chainrule-upload-") as tmp:  # pragma: no cover
        path = os.path.join(tmp, "upload.csv")
        with open(path, "wb") as f:
            f.write(data)
        try:
            return load_csv(path)
        except (ValueError, TypeError) as exc:
            raise ValueError(str(exc).replace(path, name)) from None


def read_upload(data: bytes, filename: Any = None) -> tuple[Any, str]:
    """A classification DataBunch from CSV bytes (features, then the target in the last column).

    Returns the bunch and a note ("" or what was changed, e.g. rows subsampled).
    Raises ValueError with the loader's message (file, row and column) otherwise.
    """
    name = safe_name(filename)
    if len(data) > MAX_BYTES:
        raise ValueError(f"upload: expected a CSV file of at most {MAX_BYTES // 2**20} MB, got "
                         f"{len(data) / 2**20:.1f} MB")
    if b"\0" in data[:65536]:
        raise ValueError(f"load_csv: {name}: expected CSV text, got binary content (NUL bytes)")
    bunch = _load(data, name)
    bunch.name, bunch.description = name, f"uploaded CSV file {name}"
    target = f"the target column ({name}'s last column)"
    if bunch.task == "regression":
        raise ValueError(f"upload: expected class labels in {target}, got numbers that look "
                         "like regression (not integers, or more than 20 values)")
    n_classes = len(bunch.target_names or [])
    if n_classes < 2:
        raise ValueError(f"upload: expected at least 2 classes in {target}, got 1: "
                         f"{bunch.target_names}")
    if n_classes > MAX_CLASSES:
        raise ValueError(f"upload: expected at most {MAX_CLASSES} classes in {target}, got "
                         f"{n_classes}")
    if bunch.X.shape[1] < 2:
        raise ValueError(f"upload: expected at least 2 numeric feature columns and a target, "
                         f"got {bunch.X.shape[1]} feature column")
    note = ""
    if len(bunch.X) > MAX_ROWS:
        keep = np.sort(np.random.default_rng(0).choice(len(bunch.X), MAX_ROWS, replace=False))
        note = f"{len(bunch.X)} rows: a random {MAX_ROWS} of them are used"
        bunch.X, bunch.y = bunch.X[keep], bunch.y[keep]
    return bunch, note
