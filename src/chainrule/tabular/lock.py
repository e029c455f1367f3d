"""One writer per run folder: an exclusive ``fcntl.flock`` on ``RUN/.lock``, held while training.

The lock is taken before anything else in the folder is written, and the
kernel releases it when the process ends however it ends (a crash, SIGKILL),
so a lock is never stale. The lock file records the holder's process id and
command line, for the message of a second process that finds it taken.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from types import TracebackType

__all__ = ["RunLock", "RunLockedError"]

LOCK = ".lock"


class RunLockedError(OSError):
    """Another process holds the run folder's lock."""


class RunLock:
    """Hold the exclusive lock of run folder ``directory`` (a context manager).

    Example
    -------
    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> with RunLock(d):
    ...     try:
    ...         RunLock(d).acquire()
    ...     except RunLockedError as exc:
    ...         print("taken" in str(exc))
    True
    """

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.path = self.directory / LOCK
        self._fd: int | None = None

    def acquire(self) -> RunLock:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX: no locking
            return self
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = _holder(fd)
            os.close(fd)
            raise RunLockedError(f"{self.directory}: expected a run folder no other process is "
                                 f"writing, got one taken by {holder}; wait for it to finish "
                                 "or choose another folder") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()} since {time.strftime('%Y-%m-%d %H:%M:%S')}: "
                 f"{' '.join(['chainrule', *sys.argv[1:]])[:200]}\n".encode())
        self._fd = fd
        return self

    def release(self, remove: bool = False) -> None:
        """Release the lock; ``remove`` also deletes the lock file (when leaving no trace)."""
        if self._fd is None:
            return
        if remove:
            self.path.unlink(missing_ok=True)
        os.close(self._fd)  # closing the descriptor releases the flock
        self._fd = None

    def __enter__(self) -> RunLock:
        return self.acquire()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()


def _holder(fd: int) -> str:
    try:
        text = os.pread(fd, 300, 0).decode("utf-8", "replace").strip()
    except OSError:
        text = ""
    return f"another process ({text})" if text else "another process"
