"""The IDX file format of MNIST: a magic number, big-endian dimensions, raw data.

Header: two zero bytes, a type code (0x08 uint8, 0x09 int8, 0x0B int16,
0x0C int32, 0x0D float32, 0x0E float64), the number of dimensions, then one
big-endian uint32 per dimension; the data follows in C order, big-endian.
"""
from __future__ import annotations

import gzip
import os
import zlib

import numpy as np

__all__ = ["parse_idx", "read_idx", "write_idx"]

_TYPES: dict[int, np.dtype] = {0x08: np.dtype("u1"), 0x09: np.dtype("i1"), 0x0B: np.dtype(">i2"),
          0x0C: np.dtype(">i4"), 0x0D: np.dtype(">f4"), 0x0E: np.dtype(">f8")}
_CODES = {dt.newbyteorder("="): code for code, dt in _TYPES.items()}


def parse_idx(buffer: bytes, name: str = "IDX data") -> np.ndarray:
    """Decode the bytes of an (uncompressed) IDX file into an array; ``name`` is for errors.

    Example
    -------
    >>> parse_idx(bytes([0, 0, 8, 2, 0, 0, 0, 1, 0, 0, 0, 2, 7, 9]))
    array([[7, 9]], dtype=uint8)
    """
    if len(buffer) < 4:
        raise ValueError(f"{name}: expected an IDX file of at least 4 bytes, got "
                         f"{len(buffer)} bytes")
    head = bytes(buffer[:4])
    if head[:2] != b"\0\0" or head[2] not in _TYPES or head[3] == 0:
        hint = ("; it looks gzip-compressed" if head[:2] == b"\x1f\x8b" else
                "; is it an IDX file (as MNIST's train-images-idx3-ubyte)?")
        raise ValueError(f"{name}: expected an IDX magic number 0x0000TTDD (TT a type code "
                         f"in {sorted(hex(c) for c in _TYPES)}, DD >= 1 dimensions), got "
                         f"0x{head.hex()}{hint}")
    dtype, ndim = _TYPES[head[2]], head[3]
    offset = 4 + 4 * ndim
    if len(buffer) < offset:
        raise ValueError(f"{name}: expected a header of {offset} bytes for {ndim} dimensions, "
                         f"got {len(buffer)} bytes; the file is truncated")
    shape = tuple(int(d) for d in np.frombuffer(buffer, ">u4", ndim, 4))
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    got = len(buffer) - offset
    if got != expected:
        what = "the file is truncated" if got < expected else "the file has trailing bytes"
        raise ValueError(f"{name}: expected {expected} bytes of data for shape {shape} of "
                         f"{dtype.newbyteorder('=')}, got {got}; {what}")
    data = np.frombuffer(buffer, dtype, offset=offset).reshape(shape)
    return data.astype(dtype.newbyteorder("="))  # a native, writable copy


def read_idx(path: str | os.PathLike[str], name: str | None = None) -> np.ndarray:
    """Read an IDX file, gzip-compressed (``.gz``, detected by content) or not.

    ``name`` replaces the path in error messages.

    Shape
    -----
    As stored: MNIST images ``(n, 28, 28)`` uint8, labels ``(n,)`` uint8.
    """
    with open(path, "rb") as f:
        raw = f.read()
    name = os.fspath(path) if name is None else name
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (EOFError, OSError, zlib.error) as exc:
            raise ValueError(f"{name}: expected a complete gzip file, got a truncated or "
                             f"corrupt one ({exc})") from None
    return parse_idx(raw, name)


def write_idx(path: str | os.PathLike[str], array: np.ndarray) -> None:
    """Write ``array`` as an IDX file, gzip-compressed when ``path`` ends with ``.gz``.

    Example
    -------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "x.gz")
    >>> write_idx(p, np.arange(6, dtype=np.uint8).reshape(2, 3)); read_idx(p).tolist()
    [[0, 1, 2], [3, 4, 5]]
    """
    arr = np.asarray(array)
    code = _CODES.get(arr.dtype.newbyteorder("="))
    if code is None or arr.ndim == 0:
        raise ValueError(f"write_idx: expected an array of at least 1 dimension of dtype "
                         f"uint8, int8, int16, int32, float32 or float64, got {arr.dtype} "
                         f"with shape {arr.shape}")
    header = bytes([0, 0, code, arr.ndim]) + np.asarray(arr.shape, ">u4").tobytes()
    body = header + np.ascontiguousarray(arr, _TYPES[code]).tobytes()
    if os.fspath(path).endswith(".gz"):
        body = gzip.compress(body, mtime=0)
    with open(path, "wb") as f:
        f.write(body)
