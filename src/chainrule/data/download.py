"""Downloading into the cache: checksum-verified, atomic, all files or none.

The cache is ``$CHAINRULE_HOME`` if set, else ``~/.cache/chainrule``.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Callable, Sequence

__all__ = ["fetch_files", "get_cache_dir", "sha256_file"]

_CHUNK = 1 << 20


def get_cache_dir() -> Path:
    """Where downloads are kept: ``$CHAINRULE_HOME`` or ``~/.cache/chainrule``.

    Example
    -------
    >>> isinstance(get_cache_dir(), Path)
    True
    """
    home = os.environ.get("CHAINRULE_HOME")
    return Path(home).expanduser() if home else Path.home() / ".cache" / "chainrule"


def sha256_file(path: str | os.PathLike[str]) -> str:
    """The SHA-256 hex digest of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _download(url: str, dest: Path, where: str, timeout: float) -> str:
    """Stream ``url`` into ``dest``; returns the SHA-256 of the bytes received."""
    import http.client
    import urllib.error
    import urllib.request

    digest = hashlib.sha256()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response, open(dest, "wb") as f:
            expected = response.headers.get("Content-Length")
            size = 0
            for chunk in iter(lambda: response.read(_CHUNK), b""):
                f.write(chunk)
                digest.update(chunk)
                size += len(chunk)
    except urllib.error.HTTPError as exc:
        raise OSError(f"{where}: could not download {url}: HTTP {exc.code} {exc.reason}") \
            from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", exc)
        raise OSError(f"{where}: could not download {url}: {reason}") from None
    if expected is not None and size != int(expected):
        raise OSError(f"{where}: expected {expected} bytes from {url}, got {size}; the "
                      "download was cut short, try again")
    return digest.hexdigest()


def _new_dirs(folder: Path) -> list[Path]:
    """The folders that ``mkdir(parents=True)`` would create, deepest first."""
    out = []
    while not folder.exists():
        out.append(folder)
        folder = folder.parent
    return out


def fetch_files(names: Sequence[str], folder: Path, base_urls: Sequence[str],
                checksums: dict[str, str], where: str, download: bool = True,
                validate: Callable[[Path, str], None] | None = None,
                timeout: float = 60.0) -> list[Path]:
    """Make sure ``folder/name`` exists with its SHA-256 for each name; return the paths.

    Missing (or corrupt) files are downloaded from the first of ``base_urls``
    that answers, each to a temporary file in ``folder``, verified against
    ``checksums[name]`` and passed to ``validate(path, name)`` (which raises
    on a bad file). Only when every file is good are they renamed into place
    (``os.replace``, atomic): on any error the temporary files, and folders
    this call created, are removed, so a failed call leaves the cache as it was.
    """
    paths = [folder / name for name in names]
    missing = [p for p in paths if not p.is_file() or sha256_file(p) != checksums[p.name]]
    if not missing:
        return paths
    if not download:
        raise FileNotFoundError(f"{where}: expected the files {[p.name for p in missing]} "
                                f"in {folder}, got none or corrupt ones; pass download=True")
    created = _new_dirs(folder)
    folder.mkdir(parents=True, exist_ok=True)
    temps: dict[Path, Path] = {}
    try:
        for path in missing:
            fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
            os.close(fd)
            tmp = Path(tmp_name)
            temps[path] = tmp
            errors = []
            for base in base_urls:
                url = base.rstrip("/") + "/" + path.name
                try:
                    got = _download(url, tmp, where, timeout)
                    break
                except OSError as exc:
                    errors.append(str(exc))
            else:
                raise OSError("; ".join(errors) if errors else f"{where}: no URL to download "
                              f"{path.name} from")
            want = checksums[path.name]
            if got != want:
                raise ValueError(f"{where}: expected SHA-256 {want} for {url}, got {got}; the "
                                 f"file is corrupt or not the expected one (nothing was kept)")
            if validate is not None:
                validate(tmp, path.name)
        for path, tmp in temps.items():
            os.replace(tmp, path)
        temps.clear()
    finally:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)
        for d in created:  # deepest first; only if still empty
            try:
                if not any(d.iterdir()):
                    d.rmdir()
            except OSError:
                break
    return paths
