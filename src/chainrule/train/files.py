"""Files without pickle: atomic writes, JSON, and safetensors weights with PyTorch's key names.

Every write goes to a temporary file in the destination's folder, is flushed
and fsync'ed, then moved over the destination with ``os.replace``: a crash or
an error midway leaves the previous file intact. Every read validates what it
reads and raises :class:`~chainrule.train.ModelFileError` (naming the file,
and the keys and shapes at fault) for a missing, empty, truncated, corrupted
or mismatched file; loading never executes code.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ModelFileError

__all__ = ["atomic_write_bytes", "atomic_write_text", "check_arrays", "load_arrays",
           "load_weights", "read_json", "save_arrays", "save_weights", "write_json"]

_CHUNK = 1 << 20
_CHECKSUM_KEY = "chainrule.sha256"


def _write_chunks(f: Any, data: bytes) -> None:
    """Write ``data`` in chunks (a seam for tests that make the writer fail midway)."""
    view = memoryview(data)
    for start in range(0, len(view), _CHUNK):
        f.write(view[start:start + _CHUNK])


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temporary file, fsync, ``os.replace``).

    Example
    -------
    >>> import tempfile, pathlib
    >>> p = atomic_write_bytes(pathlib.Path(tempfile.mkdtemp()) / "a.bin", b"abc")
    >>> p.read_bytes()
    b'abc'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give what open() would
        with os.fdopen(fd, "wb") as f:
            _write_chunks(f, data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    try:  # make the rename durable (POSIX); harmless where directories cannot be opened
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass
    return path


def atomic_write_text(path: str | Path, text: str) -> Path:
    """Write UTF-8 text atomically; see :func:`atomic_write_bytes`."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def write_json(path: str | Path, obj: Any) -> Path:
    """Write strict JSON (no NaN tokens) atomically, indented for reading."""
    return atomic_write_text(path, json.dumps(obj, indent=1, allow_nan=False) + "\n")


def _read_bytes(path: str | Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise ModelFileError(path, "no such file") from None
    except IsADirectoryError:
        raise ModelFileError(path, "expected a file, got a directory") from None
    except OSError as exc:
        raise ModelFileError(path, f"cannot be read ({exc.strerror})") from None


def read_json(path: str | Path) -> Any:
    """Parse a JSON file; a missing, empty or malformed file raises ModelFileError."""
    raw = _read_bytes(path)
    if not raw.strip():
        raise ModelFileError(path, "expected JSON, got an empty file")
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ModelFileError(path, f"expected valid JSON, got a truncated or corrupted file "
                             f"({exc})") from None


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


def save_arrays(path: str | Path, arrays: dict[str, Any],
                metadata: dict[str, str] | None = None) -> Path:
    """Save named arrays as a safetensors file (atomic), with a checksum in its metadata.

    Example
    -------
    >>> import tempfile, pathlib, numpy as np
    >>> p = save_arrays(pathlib.Path(tempfile.mkdtemp()) / "w.safetensors", {"w": np.eye(2)})
    >>> load_arrays(p)["w"].tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    stn = _safetensors_numpy()
    arrs = {str(k): np.ascontiguousarray(np.asarray(v)) for k, v in arrays.items()}
    meta = {**(metadata or {}), _CHECKSUM_KEY: _checksum(arrs)}
    # safetensors writes metadata in hash order: one key keeps the bytes reproducible
    return atomic_write_bytes(path, stn.save(arrs, metadata=meta))


def load_arrays(path: str | Path) -> dict[str, np.ndarray]:
    """Load a safetensors file into NumPy arrays, checking its checksum when it has one."""
    stn = _safetensors_numpy()
    raw = _read_bytes(path)
    if not raw:
        raise ModelFileError(path, "expected a safetensors file, got an empty file")
    try:
        arrays = stn.load(raw)
        header_len = int.from_bytes(raw[:8], "little")
        header = json.loads(raw[8:8 + header_len].decode("utf-8"))
    except Exception as exc:  # the Rust parser raises its own error type
        raise ModelFileError(path, f"expected a safetensors file, got a truncated or corrupted "
                             f"one ({exc})") from None
    expected = (header.get("__metadata__") or {}).get(_CHECKSUM_KEY)
    if expected is not None and expected != _checksum(arrays):
        raise ModelFileError(path, "checksum mismatch: the file is corrupted")
    return arrays


def _state_arrays(model: Any) -> dict[str, np.ndarray]:
    return {k: np.asarray(_raw(v)) for k, v in model.state_dict().items()}


def _raw(value: Any) -> Any:
    from ..tensor import Tensor
    return value._data if isinstance(value, Tensor) else value


def check_arrays(path: object, arrays: dict[str, np.ndarray],
                 expected: dict[str, np.ndarray], what: str = "model") -> None:
    """Raise ModelFileError unless ``arrays`` has exactly the keys and shapes of ``expected``."""
    missing = sorted(set(expected) - set(arrays))
    unexpected = sorted(set(arrays) - set(expected))
    problems = []
    if missing:
        problems.append(f"missing keys {missing}")
    if unexpected:
        problems.append(f"unexpected keys {unexpected}")
    for key in sorted(set(arrays) & set(expected)):
        a, e = arrays[key], expected[key]
        if a.shape != e.shape:
            problems.append(f"{key}: expected shape {tuple(e.shape)}, got {tuple(a.shape)}")
        elif (a.dtype.kind == "f") != (e.dtype.kind == "f"):
            problems.append(f"{key}: expected dtype {e.dtype}, got {a.dtype}")
    if problems:
        raise ModelFileError(path, f"does not fit the {what}: " + "; ".join(problems))


def save_weights(model: Any, path: str | Path) -> Path:
    """Save ``model.state_dict()`` as safetensors (PyTorch's key names), atomically.

    Example
    -------
    >>> import tempfile, pathlib, chainrule as cr
    >>> class Tiny:  # anything with state_dict()/load_state_dict()
    ...     def __init__(self): self.w = cr.zeros(2)
    ...     def state_dict(self): return {"w": self.w}
    ...     def load_state_dict(self, sd): self.w.copy_(sd["w"])
    >>> p = save_weights(Tiny(), pathlib.Path(tempfile.mkdtemp()) / "model.safetensors")
    >>> load_weights(Tiny(), p).w
    tensor([0., 0.])
    """
    return save_arrays(path, _state_arrays(model))


def load_weights(model: Any, path: str | Path) -> Any:
    """Load weights saved by :func:`save_weights` into ``model`` (in place) and return it.

    The file must have exactly the model's keys and shapes; otherwise (or if
    the file is damaged) a ModelFileError names the file and what differs, and
    the model is left unchanged.
    """
    from ..tensor import Tensor
    arrays = load_arrays(path)
    expected = _state_arrays(model)
    check_arrays(path, arrays, expected)
    model.load_state_dict({k: Tensor(arrays[k].astype(expected[k].dtype, copy=False))
                           for k in expected})
    return model
