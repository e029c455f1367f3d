"""Helpers of the fault suite: tiny training runs in-process or in a forked child, write hooks.

A *write point* is one step of an atomic write at which a crash leaves a different state on
disk: the temporary file half written (``write``), complete but not yet renamed (``rename``),
and renamed (``renamed``, before the folder's fsync and the sweep of stale temporaries). The
hooks wrap ``chainrule.train.files._write_chunks`` and ``os.replace``. A crash is
``os._exit`` in a forked child (no cleanup, no flushing: as a power cut for the process); a
full disk is ``OSError(ENOSPC)`` raised by the writer.
"""
from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import json
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterator

from chainrule.cli import main
from chainrule.train import files

CRASH = 77  # the exit status of a child crashed at a write point
TINY = ["--dataset", "blobs", "--samples", "48", "--hidden", "4", "--batch-size", "12",
        "--val-split", "0.25", "--verbose", "0", "--no-figures", "--seed", "3"]
TEMP = re.compile(r"^\..*\.tmp$")
_SESSION = os.getppid() if os.environ.get("PYTEST_XDIST_WORKER") else os.getpid()  # pytest's
COUNTS = Path(os.environ.get("CHAINRULE_FAULT_COUNTS") or
              Path(tempfile.gettempdir()) / f"chainrule-fault-counts-{_SESSION}.jsonl")


def record(**counts: int) -> None:
    """Add this test's counts to the suite's record (summed and printed at the end)."""
    with open(COUNTS, "a") as f:
        f.write(json.dumps(counts) + "\n")
    print("fault counts:", counts)


def train_args(out: Path, epochs: int, *extra: str) -> list[str]:
    return ["train", *TINY, "--epochs", str(epochs), "--out", str(out), *extra]


def resume_args(out: Path, epochs: int | None) -> list[str]:
    tail = [] if epochs is None else ["--epochs", str(epochs)]
    return ["train", "--resume", str(out), "--verbose", "0", "--no-figures", *tail]


def run_cli(args: list[Any]) -> tuple[int, str, str]:
    """``chainrule ARGS`` in this process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def folder_digest(d: Path) -> dict[str, str]:
    """Every regular file's SHA-256 (to show that a refused command changed nothing)."""
    return {p.name: sha256(p) for p in sorted(Path(d).iterdir())
            if p.is_file() and not p.is_symlink() and p.name != ".lock"}


def temporaries(d: Path) -> list[str]:
    return sorted(p.name for p in Path(d).iterdir() if TEMP.match(p.name))


def one_line_error(code: int, err: str) -> str:
    """Assert a clean refusal: exit 2, one short line, no traceback; return the line."""
    lines = err.strip().splitlines()
    assert code == 2, err[-2000:]
    assert "Traceback" not in err and len(lines) == 1, err[-2000:]
    assert lines[0].startswith("chainrule: error: ") and len(lines[0]) <= 500, lines[0][:600]
    assert "[Errno" not in lines[0] and ".tmp" not in lines[0], lines[0]
    return lines[0]


@contextlib.contextmanager
def write_hooks(on_point: Callable[[str, int], None]) -> Iterator[list[str]]:
    """Call ``on_point(kind, n)`` at each write point (n counts from 1); yields the kinds seen."""
    seen: list[str] = []
    real_chunks, real_replace = files._write_chunks, os.replace

    def chunks(f: Any, data: bytes) -> None:
        seen.append("write")
        half = len(data) // 2
        real_chunks(f, data[:half])
        f.flush()
        on_point("write", len(seen))  # a crash here leaves a half-written temporary file
        real_chunks(f, data[half:])

    def replace(src: Any, dst: Any, **kw: Any) -> None:
        seen.append("rename")
        on_point("rename", len(seen))
        real_replace(src, dst, **kw)
        seen.append("renamed")
        on_point("renamed", len(seen))

    files._write_chunks = chunks  # type: ignore[assignment]
    os.replace = replace  # type: ignore[assignment]
    try:
        yield seen
    finally:
        files._write_chunks = real_chunks  # type: ignore[assignment]
        os.replace = real_replace


def count_points(args: list[str]) -> list[str]:
    """The write points of ``chainrule ARGS`` run to the end in this process."""
    with write_hooks(lambda kind, n: None) as seen:
        code, _, err = run_cli(args)
    assert code == 0, err
    return list(seen)


def child_stdio(log: Path) -> None:
    """In a forked child: stdout and stderr (the fds and Python's streams) go to ``log``."""
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    sys.stdout = open(1, "w", buffering=1, closefd=False)  # not pytest's capture
    sys.stderr = open(2, "w", buffering=1, closefd=False)


def in_child(fn: Callable[[], int], log: Path) -> int:
    """Run ``fn`` in a forked child (stdout/stderr to ``log``); return its wait status."""
    pid = os.fork()
    if pid == 0:  # the child never returns into pytest
        code = 70
        try:
            child_stdio(log)
            code = fn()
        except BaseException:  # noqa: BLE001 - report anything, then exit
            import traceback
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    return os.waitpid(pid, 0)[1]


def crash_at(args: list[str], k: int, log: Path) -> int:
    """Run ``chainrule ARGS`` in a child that dies (os._exit) at write point ``k``."""
    def fn() -> int:
        def on_point(kind: str, n: int) -> None:
            if n == k:
                os._exit(CRASH)
        with write_hooks(on_point):
            return main(args)
    return in_child(fn, log)


@contextlib.contextmanager
def disk_full_at(k: int) -> Iterator[None]:
    """The k-th call of the writer raises ENOSPC (as a full disk would), in this process."""
    real = files._write_chunks
    calls = [0]

    def chunks(f: Any, data: bytes) -> None:
        calls[0] += 1
        if calls[0] == k:
            real(f, data[: len(data) // 3])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(f, data)
    files._write_chunks = chunks  # type: ignore[assignment]
    try:
        yield
    finally:
        files._write_chunks = real  # type: ignore[assignment]


def recover(d: Path, epochs: int, reference: str) -> str:
    """Bring a damaged folder to a finished run; assert byte-identical weights; how it went.

    A folder with a checkpoint resumes (or finishes its model files, or is already complete);
    one without is refused by ``--resume`` with one line and trained afresh with ``--out``.
    Either way no temporary file survives, and the folder loads as a run.
    """
    from chainrule.tabular.run import load_run
    from chainrule.train.checkpoint import has_checkpoint, read_checkpoint
    if has_checkpoint(d):
        read_checkpoint(d)  # the previous checkpoint is whole: never a half-written one
        code, _, err = run_cli(resume_args(d, epochs))
        if code == 2:
            assert "more than the" in one_line_error(code, err)
            how = "complete"
        else:
            assert code == 0, err
            how = "resumed"
    else:
        one_line_error(*run_cli(resume_args(d, epochs))[::2])
        code, _, err = run_cli(train_args(d, epochs))
        assert code == 0, err
        how = "afresh"
    assert sha256(d / "model.safetensors") == reference, how
    assert not temporaries(d), temporaries(d)
    assert load_run(d).epochs == epochs
    return how
