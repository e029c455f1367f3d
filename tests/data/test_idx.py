"""IDX files: round trips for every type, and clear errors for foreign or cut files."""
from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest

from chainrule.data import read_idx, write_idx
from chainrule.data.idx import parse_idx


@pytest.mark.parametrize("dtype", ["uint8", "int8", "int16", "int32", "float32", "float64"])
@pytest.mark.parametrize("suffix", [".idx", ".gz"])
def test_round_trip(tmp_path: Path, dtype: str, suffix: str) -> None:
    a = (np.arange(24) - 5).astype(dtype).reshape(2, 3, 4)
    p = tmp_path / f"a{suffix}"
    write_idx(p, a)
    b = read_idx(p)
    assert b.dtype == np.dtype(dtype) and b.shape == (2, 3, 4)
    np.testing.assert_array_equal(a, b)
    b[0, 0, 0] = 1  # a writable, native copy


def test_mnist_style_header_is_big_endian() -> None:
    raw = bytes([0, 0, 8, 1, 0, 0, 1, 0]) + bytes(range(256))
    a = parse_idx(raw)
    assert a.shape == (256,) and a[255] == 255
    raw = bytes([0, 0, 0x0C, 1, 0, 0, 0, 1]) + (258).to_bytes(4, "big")
    assert parse_idx(raw).tolist() == [258]


def _header(code: int, *dims: int) -> bytes:
    return bytes([0, 0, code, len(dims)]) + np.asarray(dims, ">u4").tobytes()


@pytest.mark.parametrize(("raw", "match"), [
    (b"\0\0", "at least 4 bytes, got 2 bytes"),
    (b"\x1f\x8b\x08\x00rest", "got 0x1f8b0800; it looks gzip-compressed"),
    (b"PK\x03\x04rest", "expected an IDX magic number .* got 0x504b0304"),
    (bytes([0, 0, 0x07, 1, 0, 0, 0, 1, 0]), "got 0x00000701"),
    (bytes([0, 0, 8, 0]), "got 0x00000800"),
    (bytes([0, 0, 8, 3, 0, 0, 0, 2]), "header of 16 bytes for 3 dimensions, got 8 bytes; the "
                                      "file is truncated"),
    (_header(8, 2, 3) + bytes(5), r"expected 6 bytes of data for shape \(2, 3\) of uint8, got 5; "
                                  "the file is truncated"),
    (_header(0x0D, 2) + bytes(12), r"expected 8 bytes .* float32, got 12; the file has trailing"),
])
def test_parse_errors(raw: bytes, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        parse_idx(raw, "f.idx")


def test_read_errors_name_the_file(tmp_path: Path) -> None:
    p = tmp_path / "cut.gz"
    p.write_bytes(gzip.compress(_header(8, 100) + bytes(100))[:-12])
    with pytest.raises(ValueError, match=r"cut\.gz: expected a complete gzip file, got a "
                       "truncated or corrupt one"):
        read_idx(p)
    p2 = tmp_path / "short.gz"
    p2.write_bytes(gzip.compress(_header(8, 100) + bytes(99)))
    with pytest.raises(ValueError, match=r"short\.gz: expected 100 bytes"):
        read_idx(p2)
    with pytest.raises(ValueError, match="as shown"):
        read_idx(p2, name="as shown")


def test_write_rejects_unsupported_dtypes(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="got int64"):
        write_idx(tmp_path / "x", np.arange(3))
    with pytest.raises(ValueError, match=r"shape \(\)"):
        write_idx(tmp_path / "x", np.uint8(3))
