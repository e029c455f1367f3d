"""Reading files the CLI did not write itself: regular files only, bounded, validated.

Every reader here refuses, with a :class:`~chainrule.train.ModelFileError`
that names the file, what is not a regular file (a FIFO, a device, a folder),
what is larger than a sane bound, JSON that is malformed, non-strict (NaN
tokens) or nested too deeply, and safetensors files whose header does not fit
their length (shapes, dtypes, offsets), before anything is allocated from it.
"""
from __future__ import annotations

import errno
import hashlib
import json
import math
import os
import stat
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ModelFileError

__all__ = ["load_arrays", "parse_json", "read_bytes", "read_header", "read_json"]

_CHECKSUM_KEY = "chainrule.sha256"


MAX_JSON_BYTES = 64 << 20  # a run's JSON files are small; a bigger one is not ours
MAX_JSON_DEPTH = 64


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def read_bytes(path: str | Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file; anything else (FIFO, device, folder) raises ModelFileError.

    Never blocks on a FIFO and never reads past ``limit`` bytes (nor a device's
    endless stream): the file is opened non-blocking and checked with fstat first.

    Example
    -------
    >>> try:
    ...     read_bytes("/dev/zero")
    ... except ModelFileError as exc:
    ...     print(exc)
    /dev/zero: expected a regular file, got a character device
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        broken = os.path.islink(path)
        raise ModelFileError(path, "a broken symbolic link" if broken else "no such file") \
            from None
    except OSError as exc:
        why = "a symbolic link loop" if exc.errno == errno.ELOOP else \
            f"cannot be read ({exc.strerror or exc})"
        raise ModelFileError(path, why) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise ModelFileError(path, f"expected a regular file, got {_kind(st.st_mode)}")
        if limit is not None and st.st_size > limit:
            raise ModelFileError(path, f"expected at most {limit} bytes, got {st.st_size}")
        chunks, total = [], 0
        while True:
            block = os.read(fd, 1 << 20)
            if not block:
                break
            chunks.append(block)
            total += len(block)
            if limit is not None and total > limit:
                raise ModelFileError(path, f"expected at most {limit} bytes, got more")
        return b"".join(chunks)
    except OSError as exc:
        raise ModelFileError(path, f"cannot be read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)



def _depth(obj: Any) -> int:
    """The nesting depth of parsed JSON, without recursion."""
    deepest, stack = 0, [(obj, 1)]
    while stack:
        node, d = stack.pop()
        deepest = max(deepest, d)
        if deepest > MAX_JSON_DEPTH:
            return deepest
        if isinstance(node, dict):
            stack.extend((v, d + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, d + 1) for v in node)
    return deepest


def _no_constant(token: str) -> Any:
    raise ValueError(f"{token} is not valid JSON")


def parse_json(raw: bytes | str, path: object) -> Any:
    """Strict JSON (no NaN/Infinity tokens, nesting at most MAX_JSON_DEPTH) or ModelFileError."""
    text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    if not text.strip():
        raise ModelFileError(path, "expected JSON, got an empty file")
    try:
        obj = json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise ModelFileError(path, f"expected JSON nested at most {MAX_JSON_DEPTH} deep, got "
                             "deeper") from None
    except ValueError as exc:
        raise ModelFileError(path, f"expected valid JSON, got a truncated or corrupted file "
                             f"({exc})") from None
    if _depth(obj) > MAX_JSON_DEPTH:
        raise ModelFileError(path, f"expected JSON nested at most {MAX_JSON_DEPTH} deep, got "
                             "deeper")
    return obj


def read_json(path: str | Path) -> Any:
    """Parse a JSON file; a missing, empty, malformed, huge or irregular file: ModelFileError."""
    raw = read_bytes(path, MAX_JSON_BYTES)
    try:
        return parse_json(raw, path)
    except UnicodeDecodeError as exc:
        raise ModelFileError(path, f"expected UTF-8 JSON, got a truncated or corrupted file "
                             f"({exc.reason} at byte {exc.start})") from None


def _checksum(arrays: dict[str, np.ndarray]) -> str:
    h = hashlib.sha256()
    for key in sorted(arrays):
        a = arrays[key]
        h.update(f"{key}|{a.dtype.str}|{a.shape}|".encode())
        h.update(a.tobytes())
    return h.hexdigest()


def _safetensors_numpy() -> Any:
    try:
        import safetensors.numpy as stn
    except ImportError:
        raise ImportError('chainrule: model files need safetensors; pip install '
                          '"chainrule[files]"') from None
    return stn


MAX_WEIGHTS_BYTES = 8 << 30  # a sanity bound: models trained here are far smaller
MAX_HEADER_BYTES = 100 << 20  # safetensors' own limit
_DTYPES = {"F16": 2, "F32": 4, "F64": 8, "I8": 1, "I16": 2, "I32": 4, "I64": 8, "U8": 1,
           "U16": 2, "U32": 4, "U64": 8, "BOOL": 1}


def read_header(raw: bytes, path: object) -> dict[str, Any]:
    """Validate a safetensors file's header against its length; return the parsed header.

    Every tensor must have a known dtype, a shape of non-negative integers, and
    offsets inside the data that match its shape (checked with Python integers,
    so huge shapes cannot overflow); the metadata must map strings to strings.
    """
    def bad(what: str) -> ModelFileError:
        return ModelFileError(path, f"expected a safetensors file, got {what}")
    if len(raw) < 8:
        raise bad(f"{len(raw)} bytes (truncated)")
    n = int.from_bytes(raw[:8], "little")
    if n > min(len(raw) - 8, MAX_HEADER_BYTES):
        raise bad(f"a header length of {n} bytes in a file of {len(raw)} (truncated or corrupted)")
    try:
        header = parse_json(raw[8:8 + n], path)
    except UnicodeDecodeError:
        raise bad("a header that is not UTF-8") from None
    if not isinstance(header, dict):
        raise bad(f"a header of type {type(header).__name__}")
    size = len(raw) - 8 - n
    spans = []
    for key, info in header.items():
        if key == "__metadata__":
            if not isinstance(info, dict) or not all(isinstance(v, str) for v in info.values()):
                raise bad("metadata that is not a map of strings")
            continue
        if not isinstance(info, dict) or set(info) != {"dtype", "shape", "data_offsets"}:
            raise bad(f"a malformed entry for {key!r}")
        dtype, shape, offsets = info["dtype"], info["shape"], info["data_offsets"]
        if dtype not in _DTYPES:
            raise bad(f"an unknown dtype {dtype!r:.20} for {key!r}")
        if not isinstance(shape, list) or len(shape) > 8 or not all(
                type(d) is int and d >= 0 for d in shape):
            raise bad(f"an invalid shape {shape!r:.60} for {key!r}")
        if not (isinstance(offsets, list) and len(offsets) == 2 and
                all(type(o) is int for o in offsets) and 0 <= offsets[0] <= offsets[1] <= size):
            raise bad(f"offsets {offsets!r:.60} of {key!r} outside the {size} data bytes")
        if offsets[1] - offsets[0] != math.prod(shape) * _DTYPES[dtype]:
            raise bad(f"{key!r} of shape {shape!r:.60} ({dtype}) in "
                      f"{offsets[1] - offsets[0]} bytes")
        spans.append(tuple(offsets))
    spans.sort()
    if any(a[1] > b[0] for a, b in zip(spans, spans[1:])):
        raise bad("overlapping tensors")
    return header


def load_arrays(path: str | Path, limit: int = MAX_WEIGHTS_BYTES
                ) -> dict[str, np.ndarray]:
    """Load a safetensors file into NumPy arrays, checking its header and checksum first."""
    return _load_arrays(path, limit)[0]


def _load_arrays(path: str | Path, limit: int = MAX_WEIGHTS_BYTES
                 ) -> tuple[dict[str, np.ndarray], dict[str, str], bytes]:
    """Arrays, metadata and the raw bytes of a validated safetensors file."""
    stn = _safetensors_numpy()
    raw = read_bytes(path, limit)
    if not raw:
        raise ModelFileError(path, "expected a safetensors file, got an empty file")
    header = read_header(raw, path)
    try:
        arrays = stn.load(raw)
    except Exception as exc:  # the Rust parser raises its own error type
        raise ModelFileError(path, f"expected a safetensors file, got a truncated or corrupted "
                             f"one ({exc})") from None
    meta = header.get("__metadata__") or {}
    expected = meta.get(_CHECKSUM_KEY)
    if expected is not None and expected != _checksum(arrays):
        raise ModelFileError(path, "checksum mismatch: the file is corrupted")
    return arrays, meta, raw


