"""load_mnist against a local server: download, verify, cache, and refuse bad files."""
from __future__ import annotations

import gzip
import hashlib
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from chainrule.data import load_dataset, load_mnist, write_idx
from chainrule.data.mnist import FILES, SHA256

N_TRAIN, N_TEST = 6, 3


def _publish(folder: Path, *, labels_max: int = 9) -> dict[str, str]:
    """Write small MNIST-like files into ``folder``; return their SHA-256 sums."""
    rng = np.random.default_rng(0)
    arrays = {
        FILES[0]: rng.integers(0, 256, (N_TRAIN, 4, 4), dtype=np.uint8),
        FILES[1]: np.array([0, 1, 2, 3, 4, labels_max], np.uint8),
        FILES[2]: rng.integers(0, 256, (N_TEST, 4, 4), dtype=np.uint8),
        FILES[3]: np.array([7, 8, 9], np.uint8),
    }
    for name, a in arrays.items():
        write_idx(folder / name, a)
    return {name: _sha(folder / name) for name in FILES}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_downloads_verifies_and_parses(file_server: Any, tmp_path: Path) -> None:
    sums = _publish(file_server.folder)
    cache = tmp_path / "cache"
    X_tr, y_tr, X_te, y_te = load_mnist(cache, base_url=file_server.url, checksums=sums)
    assert X_tr.shape == (N_TRAIN, 16) and X_tr.dtype == np.float32
    assert 0.0 <= X_tr.min() and X_tr.max() <= 1.0
    raw = gzip.decompress((file_server.folder / FILES[0]).read_bytes())
    np.testing.assert_array_equal(np.round(X_tr * 255).astype(np.uint8).ravel(),
                                  np.frombuffer(raw, np.uint8, offset=16))
    assert y_tr.dtype == np.int64 and y_tr.tolist() == [0, 1, 2, 3, 4, 9]
    assert X_te.shape == (N_TEST, 16) and y_te.tolist() == [7, 8, 9]
    assert _files(cache) == sorted(FILES)  # no temporary files left
    assert sorted(file_server.requests) == sorted("/" + f for f in FILES)


def test_cached_second_call_makes_no_request(file_server: Any, tmp_path: Path) -> None:
    sums = _publish(file_server.folder)
    first = load_mnist(tmp_path / "cache", base_url=file_server.url, checksums=sums)
    n = len(file_server.requests)
    second = load_mnist(tmp_path / "cache", base_url=file_server.url, checksums=sums)
    assert len(file_server.requests) == n == 4
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    offline = load_mnist(tmp_path / "cache", download=False, checksums=sums)  # no server needed
    np.testing.assert_array_equal(offline[1], first[1])


def test_raw_images(file_server: Any, tmp_path: Path) -> None:
    sums = _publish(file_server.folder)
    X_tr, *_ = load_mnist(tmp_path / "cache", base_url=file_server.url, checksums=sums,
                          flatten=False, normalize=False)
    assert X_tr.shape == (N_TRAIN, 4, 4) and X_tr.dtype == np.uint8


def test_bad_checksum_leaves_nothing(file_server: Any, tmp_path: Path) -> None:
    sums = _publish(file_server.folder)
    sums[FILES[2]] = "0" * 64
    cache = tmp_path / "cache"
    with pytest.raises(ValueError, match=r"load_mnist: expected SHA-256 0{64} for http://127\.0"
                       r".*t10k-images-idx3-ubyte\.gz, got [0-9a-f]{64}"):
        load_mnist(cache, base_url=file_server.url, checksums=sums)
    assert _files(cache) == [] and not cache.exists()


def test_published_checksums_reject_other_files(file_server: Any, tmp_path: Path) -> None:
    _publish(file_server.folder)
    with pytest.raises(ValueError, match=f"expected SHA-256 {SHA256['mnist'][FILES[0]]}"):
        load_mnist(tmp_path / "cache", base_url=file_server.url)
    assert _files(tmp_path / "cache") == []


def test_truncated_file_is_refused_and_not_kept(file_server: Any, tmp_path: Path) -> None:
    sums = _publish(file_server.folder)
    path = file_server.folder / FILES[0]
    path.write_bytes(path.read_bytes()[:-20])  # a cut .gz that matches its (injected) sum
    sums[FILES[0]] = _sha(path)
    with pytest.raises(ValueError, match=r"train-images-idx3-ubyte\.gz \(as downloaded\): "
                       "expected a complete gzip file"):
        load_mnist(tmp_path / "cache", base_url=file_server.url, checksums=sums)
    assert _files(tmp_path / "cache") == []
    write_idx(path, np.zeros((N_TRAIN, 4, 4), np.uint8))
    path.write_bytes(gzip.compress(gzip.decompress(path.read_bytes())[:-3]))  # cut inside
    sums[FILES[0]] = _sha(path)
    with pytest.raises(ValueError, match="the file is truncated"):
        load_mnist(tmp_path / "cache", base_url=file_server.url, checksums=sums)
    assert _files(tmp_path / "cache") == []


def test_foreign_and_inconsistent_files(file_server: Any, tmp_path: Path) -> None:
    sums = _publish(file_server.folder, labels_max=12)
    with pytest.raises(ValueError, match=r"labels in \[0, 9\], got 12"):
        load_mnist(tmp_path / "cache", base_url=file_server.url, checksums=sums)
    (file_server.folder / FILES[1]).write_bytes(b"<html>not found</html>")
    sums[FILES[1]] = _sha(file_server.folder / FILES[1])
    with pytest.raises(ValueError, match="expected an IDX magic number"):
        load_mnist(tmp_path / "cache", base_url=file_server.url, checksums=sums)
    write_idx(file_server.folder / FILES[1], np.zeros(N_TRAIN + 1, np.uint8))
    sums = {name: _sha(file_server.folder / name) for name in FILES}
    with pytest.raises(ValueError, match="as many train labels as images, got 7 labels for 6"):
        load_mnist(tmp_path / "cache", base_url=file_server.url, checksums=sums)


def test_http_errors(file_server: Any, tmp_path: Path) -> None:
    sums = _publish(file_server.folder)
    with pytest.raises(OSError, match=r"could not download http://127\.0\.0\.1:\d+/nothing/"
                       r"train-images-idx3-ubyte\.gz: HTTP 404"):
        load_mnist(tmp_path / "cache", base_url=file_server.url + "nothing/", checksums=sums)
    with pytest.raises(OSError, match=r"expected \d+ bytes from http://127.0.0.1:\d+/short/"
                       r"train-images-idx3-ubyte\.gz, got \d+; the download was cut short"):
        load_mnist(tmp_path / "cache", base_url=file_server.url + "short/", checksums=sums)
    assert _files(tmp_path / "cache") == []


def test_corrupt_cache_file_is_fetched_again(file_server: Any, tmp_path: Path) -> None:
    sums = _publish(file_server.folder)
    load_mnist(tmp_path / "cache", base_url=file_server.url, checksums=sums)
    cached = tmp_path / "cache" / "mnist" / FILES[3]
    cached.write_bytes(b"garbage")
    with pytest.raises(FileNotFoundError, match="pass download=True"):
        load_mnist(tmp_path / "cache", download=False, checksums=sums)
    n = len(file_server.requests)
    load_mnist(tmp_path / "cache", base_url=file_server.url, checksums=sums)
    assert file_server.requests[n:] == ["/" + FILES[3]] and _sha(cached) == sums[FILES[3]]


def test_environment_variables(file_server: Any, tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    sums = _publish(file_server.folder)
    monkeypatch.setenv("CHAINRULE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CHAINRULE_FASHION_MNIST_URL", file_server.url)
    load_mnist(kind="fashion", checksums=sums)
    assert _files(tmp_path / "home" / "fashion_mnist") == sorted(FILES)
    b = load_dataset("fashion_mnist", checksums=sums)
    assert b.target_names[0] == "T-shirt/top" and b.X_test.shape == (N_TEST, 16)
    assert b.task == "multiclass" and len(b.feature_names) == 16


def test_argument_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="kind 'mnist' or 'fashion', got 'kmnist'"):
        load_mnist(tmp_path / "cache", kind="kmnist")
    with pytest.raises(ValueError, match="unknown names"):
        load_mnist(tmp_path / "cache", checksums={"train.gz": "0"})
    with pytest.raises(FileNotFoundError, match="pass download=True"):
        load_mnist(tmp_path / "empty", download=False)
    assert not (tmp_path / "empty").exists()


def test_published_checksums_table() -> None:
    for kind in ("mnist", "fashion"):
        assert sorted(SHA256[kind]) == sorted(FILES)
        assert all(len(h) == 64 and int(h, 16) >= 0 for h in SHA256[kind].values())
