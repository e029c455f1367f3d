"""The fault suite: crashes at every write point, signals, a full disk, hostile run-folder files.

Each test records what it tried (write points, signals, hostile files, failures) in a JSON-lines
file; the summary at the end of the session prints the totals. The folder's helpers live in
``fault_harness.py`` beside this file.
"""
import json
import os
import sys
from pathlib import Path

import pytest

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from fault_harness import COUNTS  # noqa: E402 (after the path above)


def pytest_configure(config):
    if not hasattr(config, "workerinput"):
        COUNTS.unlink(missing_ok=True)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if hasattr(config, "workerinput"):
        return
    path = COUNTS
    if not path.exists():
        return
    totals: dict[str, int] = {}
    for line in path.read_text().splitlines():
        for key, value in json.loads(line).items():
            totals[key] = totals.get(key, 0) + int(value)
    path.unlink(missing_ok=True)
    terminalreporter.write_line("fault suite: " + ", ".join(f"{k} {v}" for k, v in
                                                          sorted(totals.items())))


@pytest.fixture(autouse=True)
def _no_fsync(monkeypatch):
    """fsync guards against power loss, not the process crashes simulated here; it only costs
    time (the atomic writes still go through a temporary file and one rename)."""
    monkeypatch.setattr(os, "fsync", lambda fd: None)
