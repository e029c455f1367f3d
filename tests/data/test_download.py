"""The cache folder and the all-or-nothing downloader."""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from chainrule.data import get_cache_dir
from chainrule.data.download import fetch_files, sha256_file


def test_cache_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CHAINRULE_HOME", str(tmp_path / "x"))
    assert get_cache_dir() == tmp_path / "x"
    monkeypatch.delenv("CHAINRULE_HOME")
    assert get_cache_dir() == Path.home() / ".cache" / "chainrule"


def test_sha256_file(tmp_path: Path) -> None:
    p = tmp_path / "f"
    p.write_bytes(b"abc" * 1000)
    assert sha256_file(p) == hashlib.sha256(b"abc" * 1000).hexdigest()


def test_falls_back_to_the_next_mirror(file_server: Any, tmp_path: Path) -> None:
    (file_server.folder / "a.bin").write_bytes(b"hello")
    sums = {"a.bin": hashlib.sha256(b"hello").hexdigest()}
    dest = tmp_path / "cache" / "deep"
    (path,) = fetch_files(["a.bin"], dest, [file_server.url + "missing/", file_server.url],
                          sums, "test")
    assert path.read_bytes() == b"hello"
    assert file_server.requests == ["/missing/a.bin", "/a.bin"]


def test_all_or_nothing(file_server: Any, tmp_path: Path) -> None:
    (file_server.folder / "a.bin").write_bytes(b"good")
    (file_server.folder / "b.bin").write_bytes(b"bad")
    sums = {"a.bin": hashlib.sha256(b"good").hexdigest(), "b.bin": "f" * 64}
    dest = tmp_path / "cache" / "deep"
    with pytest.raises(ValueError, match=r"test: expected SHA-256 f{64} for .*b\.bin"):
        fetch_files(["a.bin", "b.bin"], dest, [file_server.url], sums, "test")
    assert not (tmp_path / "cache").exists()  # folders it made are removed too
    with pytest.raises(OSError, match="HTTP 404"):
        fetch_files(["zzz.bin"], dest, [file_server.url], {"zzz.bin": "0" * 64}, "test")
    assert not (tmp_path / "cache").exists()


def test_validate_hook_runs_before_anything_is_kept(file_server: Any, tmp_path: Path) -> None:
    (file_server.folder / "a.bin").write_bytes(b"x")
    sums = {"a.bin": hashlib.sha256(b"x").hexdigest()}
    seen = []

    def reject(path: Path, name: str) -> None:
        seen.append((path.parent, name))
        raise ValueError("rejected")

    (tmp_path / "keep").mkdir()
    with pytest.raises(ValueError, match="rejected"):
        fetch_files(["a.bin"], tmp_path / "keep", [file_server.url], sums, "t", validate=reject)
    assert seen == [(tmp_path / "keep", "a.bin")]
    assert list((tmp_path / "keep").iterdir()) == []  # existing folder kept, empty
