"""A real ``chainrule serve`` process on 127.0.0.1 and a free port, for browser and load tests."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest


@dataclass
class Server:
    url: str
    pid: int

    def rss_mb(self) -> tuple[float, float]:
        """The server's resident memory now and at its peak (VmRSS, VmHWM), in MiB."""
        fields = {}
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                fields[key] = value.strip()
        return (int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024)


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    pytest.importorskip("uvicorn")
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "chainrule", "serve", "--port", "0",
                             "--max-sessions", "24"], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=env)
    found: list[str] = []
    lines: list[str] = []

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            m = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
            if m and not found:
                found.append(m.group(1))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    for _ in range(600):
        if found or proc.poll() is not None:
            break
        threading.Event().wait(0.05)
    if not found:
        proc.kill()
        pytest.fail("chainrule serve did not start: " + "".join(lines))
    yield Server(found[0], proc.pid)
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
    errors = [ln for ln in lines if "Traceback" in ln or " 500 " in ln]
    assert not errors, "".join(lines)
