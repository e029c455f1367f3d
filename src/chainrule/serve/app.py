"""The playground's ASGI app (Starlette): a JSON API, a WebSocket of live states, the page.

Security: requests carry data only (settings are validated field by field,
uploads are size-limited and parsed in memory, nothing is evaluated); a
state-changing request or a WebSocket from another origin is refused (403);
on loopback, only loopback host names are served (DNS rebinding); no request
names a path on the server.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
from importlib import resources
from typing import Any, AsyncIterator
from urllib.parse import unquote, urlsplit

from .manager import BusyError, Manager, UnknownSessionError
from .upload import MAX_BYTES, read_upload

__all__ = ["JSON_LIMIT", "LOOPBACK_HOSTS", "create_app"]

JSON_LIMIT = 64 * 1024
PAGE_HEADERS = {  # the page runs its own scripts only, talks to this server only, is not framed
    "content-security-policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                               "base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
    "x-content-type-options": "nosniff", "x-frame-options": "DENY",
    "referrer-policy": "no-referrer", "cache-control": "no-store"}
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1", "[::1]", "testserver"]
_SAFE = ("GET", "HEAD", "OPTIONS")


class _TooLargeError(Exception):
    """A request body over its limit; the argument says what was expected."""


def _cross_origin(headers: dict[bytes, bytes]) -> str | None:
    """Why a request from a browser on another site is refused, or None."""
    if headers.get(b"sec-fetch-site", b"") == b"cross-site":
        return "a cross-site request"
    origin = headers.get(b"origin")
    if origin is None:
        return None  # not sent by a browser page (curl, the tests' clients)
    host = headers.get(b"host", b"").decode("latin-1")
    if urlsplit(origin.decode("latin-1")).netloc != host:
        return f"a request from origin {origin.decode('latin-1')!r} (this server is {host})"
    return None


class _SameOrigin:
    """ASGI middleware: refuse state-changing requests and WebSockets from another origin."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        kind = scope["type"]
        if kind in ("http", "websocket") and (kind == "websocket" or
                                              scope["method"] not in _SAFE):
            why = _cross_origin(dict(scope["headers"]))
            if why is not None:
                if kind == "websocket":
                    await send({"type": "websocket.close", "code": 1008})
                    return
                body = json.dumps({"error": f"request: expected the playground's own page, got "
                                            f"{why}; refused"}).encode()
                await send({"type": "http.response.start", "status": 403,
                            "headers": [(b"content-type", b"application/json")]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


async def _body(request: Any, limit: int, what: str) -> bytes:
    """The body, read in memory and refused (413) as soon as it passes ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _TooLargeError(what)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _TooLargeError(what)
        chunks.append(chunk)
    return b"".join(chunks)


async def _json(request: Any) -> dict[str, Any]:
    raw = await _body(request, JSON_LIMIT, f"request: expected settings of at most "
                                           f"{JSON_LIMIT // 1024} KB of JSON, got more")
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ValueError("request: expected a JSON object, got text that is not JSON") from None
    if not isinstance(data, dict):
        raise ValueError(f"request: expected a JSON object, got {type(data).__name__}")
    return data


def create_app(max_sessions: int = 8, workers: int | None = None, idle_timeout: float = 900.0,
               allowed_hosts: list[str] | None = None) -> Any:
    """The playground app; ``allowed_hosts=None`` serves loopback names only ('*' for any).

    Example
    -------
    >>> app = create_app(max_sessions=2)
    >>> app.state.manager.max_sessions
    2
    """
    try:
        from starlette.applications import Starlette
        from starlette.middleware import Middleware
        from starlette.middleware.trustedhost import TrustedHostMiddleware
        from starlette.requests import Request
        from starlette.responses import HTMLResponse, JSONResponse, Response
        from starlette.routing import Mount, Route, WebSocketRoute
        from starlette.staticfiles import StaticFiles
        from starlette.websockets import WebSocket, WebSocketDisconnect
    except ImportError:
        raise ImportError('chainrule serve needs Starlette and uvicorn: pip install '
                          '"chainrule[serve]"') from None
    manager = Manager(max_sessions, workers, idle_timeout)
    static = resources.files("chainrule.serve") / "static"
    index = (static / "index.html").read_text(encoding="utf-8")

    def error(status: int, message: str) -> Response:
        return JSONResponse({"error": message}, status_code=status)

    def api(handler: Any) -> Any:
        async def endpoint(request: Request) -> Response:
            try:
                return await handler(request)
            except BusyError as exc:
                return error(503, str(exc))
            except UnknownSessionError as exc:
                return error(404, str(exc.args[0]))
            except _TooLargeError as exc:
                return error(413, str(exc))
            except (ValueError, TypeError, IndexError) as exc:
                return error(400, str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
            except ImportError as exc:  # an optional package this feature needs (its extra)
                return error(501, str(exc))
        return endpoint

    def session_of(request: Request) -> Any:
        return manager.get(request.path_params["sid"])

    async def full(session: Any, status: int = 200, **extra: Any) -> Response:
        described, state = await manager.call(lambda: (session.describe(), session.state()))
        return JSONResponse({"id": session.id, **described, "state": state, **extra},
                            status_code=status)

    async def create(request: Request) -> Response:
        session = await manager.create(await _json(request))
        return await full(session, 201)

    async def configure(request: Request) -> Response:
        session = session_of(request)
        await manager.rebuild(session, await _json(request))
        return await full(session)

    async def command(request: Request) -> Response:
        session, what = session_of(request), request.path_params["command"]
        if what == "play":
            manager.play(session)
            return JSONResponse({"playing": True, "epoch": session.epoch})
        if what == "pause":  # answered at once; the slice in progress still publishes
            manager.stop(session)
            return JSONResponse({"playing": False, "epoch": session.epoch})
        if what == "step":
            return JSONResponse(await manager.step(session))
        if what == "reset":
            await manager.rebuild(session, {})
            return await full(session)
        raise ValueError(f"command: expected play, pause, step or reset, got {what!r}")

    async def upload(request: Request) -> Response:
        session = session_of(request)
        data = await _body(request, MAX_BYTES, f"upload: expected a CSV file of at most "
                                               f"{MAX_BYTES // 2**20} MB, got more")
        name = unquote(request.headers.get("x-filename") or "")
        bunch, note = await manager.call(read_upload, data, name)
        await manager.pause(session)
        previous = (session.upload, session.upload_name)
        session.upload, session.upload_name = bunch, bunch.name
        try:
            await manager.rebuild(session, {"dataset": "upload", "features": [0, 1]})
        except ValueError:
            session.upload, session.upload_name = previous
            raise
        return await full(session, note=note)

    async def explain(request: Request) -> Response:
        session = session_of(request)
        return JSONResponse(await manager.call(session.explain, request.query_params.get("param")))

    async def surface(request: Request) -> Response:
        session, q = session_of(request), request.query_params
        return JSONResponse(await manager.call(session.surface, q.get("a"), q.get("b")))

    async def download(request: Request) -> Response:
        data = await manager.call(session_of(request).run_zip)
        return Response(data, media_type="application/zip", headers={
            "content-disposition": 'attachment; filename="chainrule-playground-run.zip"'})

    async def delete(request: Request) -> Response:
        manager.remove(request.path_params["sid"])
        return JSONResponse({"deleted": True})

    async def health(request: Request) -> Response:
        return JSONResponse({"sessions": len(manager.sessions), "playing": len(manager.runners),
                             "max_sessions": manager.max_sessions, "workers": manager.workers})

    async def page(request: Request) -> Response:
        return HTMLResponse(index, headers=PAGE_HEADERS)

    async def live(ws: WebSocket) -> None:
        session = manager.sessions.get(ws.path_params["sid"])
        if session is None:
            await ws.close(code=4404)
            return
        await ws.accept()
        queue = manager.subscribe(session)

        async def pump() -> None:
            while True:
                item = await queue.get()
                await ws.send_text(json.dumps(item))
                if item["type"] == "expired":
                    await ws.close()
                    return

        sender = asyncio.ensure_future(pump())
        try:
            while True:
                await ws.receive_text()  # the page sends nothing but its presence
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            sender.cancel()
            manager.unsubscribe(session, queue)

    @contextlib.asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        task = asyncio.ensure_future(manager.expiry_loop())
        try:
            yield
        finally:
            task.cancel()
            manager.close()

    sid = "/api/session/{sid}"
    routes = [Route("/", page), Route("/api/health", api(health)),
              Route("/api/session", api(create), methods=["POST"]),
              Route(sid, api(delete), methods=["DELETE"]),
              Route(sid + "/config", api(configure), methods=["POST"]),
              Route(sid + "/upload", api(upload), methods=["POST"]),
              Route(sid + "/explain", api(explain)),
              Route(sid + "/surface", api(surface)),
              Route(sid + "/run.zip", api(download)),
              Route(sid + "/{command}", api(command), methods=["POST"]),
              WebSocketRoute(sid + "/live", live),
              Mount("/static", StaticFiles(packages=[("chainrule.serve", "static")]))]
    hosts = LOOPBACK_HOSTS if allowed_hosts is None else allowed_hosts
    app = Starlette(routes=routes, lifespan=lifespan,
                    middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=hosts),
                                Middleware(_SameOrigin)])
    app.state.manager = manager
    return app
