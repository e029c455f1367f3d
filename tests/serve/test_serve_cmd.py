"""``chainrule serve``: options checked, a warning beyond loopback, the URL printed."""
from __future__ import annotations

import pytest

from chainrule.cli import main
from chainrule.cli.serve_cmd import is_loopback


@pytest.mark.parametrize("argv, words", [
    (["--port", "70000"], "--port"),
    (["--max-sessions", "0"], "--max-sessions"),
    (["--idle-timeout", "0"], "--idle-timeout"),
])
def test_bad_options_are_one_line_and_exit_2(argv, words, capsys):
    assert main(["serve", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("chainrule: error: ") and words in err and err.count("\n") == 1


def test_loopback_names():
    assert all(is_loopback(h) for h in ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
    assert not any(is_loopback(h) for h in ["0.0.0.0", "192.168.1.4", "example.com", "::"])


@pytest.mark.parametrize("host, warned", [("127.0.0.1", False), ("0.0.0.0", True)])
def test_serve_prints_the_url_and_warns_beyond_loopback(host, warned, monkeypatch, capsys):
    uvicorn = pytest.importorskip("uvicorn")
    seen = {}

    async def serve(self, sockets=None):  # stands in for binding: nothing listens
        seen["host"], seen["hosts"] = self.config.host, self.config.app
        self.started = True
        import asyncio
        await asyncio.sleep(0.2)

    monkeypatch.setattr(uvicorn.Server, "serve", serve)
    assert main(["serve", "--host", host, "--port", "8123"]) == 0
    out, err = capsys.readouterr()
    assert f"http://{host}:8123/" in out
    assert ("anyone who can reach this machine" in err) is warned
    assert seen["host"] == host
