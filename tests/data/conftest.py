"""A local HTTP server for the download tests (no test reaches the internet)."""
from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest


class _Server:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.requests: list[str] = []
        outer = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                outer.requests.append(self.path)
                if self.path.startswith("/short/"):  # promise more bytes than are sent
                    body = (outer.folder / self.path[len("/short/"):]).read_bytes()
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body) + 1000))
                    self.end_headers()
                    self.wfile.write(body)
                    self.close_connection = True
                    return
                super().do_GET()

            def log_message(self, *args: object) -> None:
                pass

        handler = functools.partial(Handler, directory=str(folder))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,),
                                       daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


@pytest.fixture
def file_server(tmp_path: Path) -> Iterator[_Server]:
    """Serves the files written into ``server.folder``; ``server.requests`` logs the paths."""
    folder = tmp_path / "served"
    folder.mkdir()
    server = _Server(folder)
    try:
        yield server
    finally:
        server.close()
