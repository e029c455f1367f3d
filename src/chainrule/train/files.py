"""Files without pickle: atomic writes, JSON, and safetensors weights with PyTorch's key names.

Every write goes to a temporary file in the destination's folder, is flushed
and fsync'ed, then moved over the destination with ``os.replace``: a crash or
an error midway leaves the previous file intact. Every read validates what it
reads and raises :class:`~chainrule.train.ModelFileError` (naming the file,
and the keys and shapes at fault) for a missing, empty, truncated, corrupted
or mismatched file; loading never executes code.
"""
from __future__ import annotations

import errno
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ModelFileError
from .reading import (_CHECKSUM_KEY, _checksum, _load_arrays, _safetensors_numpy,  # noqa: F401
                      load_arrays, parse_json, read_bytes, read_header, read_json)

__all__ = ["atomic_write_bytes", "atomic_write_text", "check_arrays", "load_arrays",
           "load_weights", "parse_json", "read_bytes", "read_header", "read_json", "save_arrays",
           "save_weights", "sweep_temporaries", "write_json"]

_CHUNK = 1 << 20


def _write_chunks(f: Any, data: bytes) -> None:
    """Write ``data`` in chunks (a seam for tests that make the writer fail midway)."""
    view = memoryview(data)
    for start in range(0, len(view), _CHUNK):
        f.write(view[start:start + _CHUNK])


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_TMP = re.compile(r"^\..+\.(\d+)\.[^.]+\.tmp$")  # .<name>.<pid>.<random>.tmp


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def sweep_temporaries(folder: str | Path) -> list[Path]:
    """Remove the temporary files that writers which died (crash, SIGKILL) left in ``folder``.

    A temporary file names its writer's process id; only those of processes
    that no longer run are removed. Returns the paths removed.
    """
    removed: list[Path] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        m = _TMP.match(name)
        if m and not _alive(int(m.group(1))):
            try:
                os.unlink(Path(folder) / name)
                removed.append(Path(folder) / name)
            except OSError:
                pass
    return removed


def _write_error(path: Path, exc: OSError) -> OSError:
    """An OSError naming the destination (never the temporary file), with its errno kept."""
    why = exc.strerror or str(exc)
    if exc.errno == errno.ENOSPC:
        why = "no space left on device"
    err = OSError(f"{path}: cannot be written ({why}); the previous file, if any, is unchanged")
    err.errno = exc.errno
    return err


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temporary file, fsync, ``os.replace``).

    An error (a full disk, say) raises an OSError naming ``path`` and leaves
    the previous file intact; temporary files left by writers that died are
    removed after the next successful write into the same folder.

    Example
    -------
    >>> import tempfile, pathlib
    >>> p = atomic_write_bytes(pathlib.Path(tempfile.mkdtemp()) / "a.bin", b"abc")
    >>> p.read_bytes()
    b'abc'
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.",
                                   suffix=".tmp")
    except OSError as exc:
        raise _write_error(path, exc) from None
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give what open() would
        with os.fdopen(fd, "wb") as f:
            _write_chunks(f, data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise _write_error(path, exc) from None
        raise
    try:  # make the rename durable (POSIX); harmless where directories cannot be opened
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass
    sweep_temporaries(path.parent)
    return path


def atomic_write_text(path: str | Path, text: str) -> Path:
    """Write UTF-8 text atomically; see :func:`atomic_write_bytes`."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def write_json(path: str | Path, obj: Any) -> Path:
    """Write strict JSON (no NaN tokens) atomically, indented for reading."""
    try:
        text = json.dumps(obj, indent=1, allow_nan=False)
    except ValueError:  # NaN or infinity: JSON has no token for them
        raise ValueError(f"{path}: expected finite numbers to write, got NaN or infinity; "
                         "nothing was written") from None
    return atomic_write_text(path, text + "\n")


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


def check_finite(path: object, arrays: dict[str, np.ndarray]) -> None:
    """Raise ModelFileError if a float array holds NaN or infinity (naming the first key)."""
    for key in sorted(arrays):
        a = arrays[key]
        if a.dtype.kind in "fc" and not np.isfinite(a).all():
            bad = int(a.size - np.count_nonzero(np.isfinite(a)))
            raise ModelFileError(path, f"{key}: expected finite values, got {bad} NaN or "
                                 "infinite")


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
        elif a.dtype != e.dtype:
            problems.append(f"{key}: expected dtype {e.dtype}, got {a.dtype}")
    if problems:
        raise ModelFileError(path, f"does not fit the {what}: " + "; ".join(problems))
    check_finite(path, arrays)


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
