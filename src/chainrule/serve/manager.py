"""Sessions and their training loops: a bounded worker pool, never the event loop.

Each playing session has one asyncio task that hands a slice of training
(about 50 ms of whole epochs) to the thread pool, publishes the resulting
state to the page's live connections, and goes round again; the pool's queue
shares the workers fairly between sessions. At most ``max_sessions`` sessions
exist at once (a new page is told the server is busy); a session without a
request from its page for ``idle_timeout`` seconds is removed, playing or not
(a forgotten tab does not train forever; the page starts a new session on its
next click).
"""
from __future__ import annotations

import asyncio
import os
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

from .session import Session

__all__ = ["BusyError", "Manager", "UnknownSessionError"]

SLICE_S = 0.05  # training time per slice of one playing session ...
SLICE_SHARED_S = 0.3  # ... shared by all playing sessions, down to MIN_SLICE_S each, so that
MIN_SLICE_S = 0.015  # every page still gets a few updates a second when many sessions play


class BusyError(Exception):
    """The server has as many sessions as it may hold."""


class UnknownSessionError(KeyError):
    """No session with this id (never created, expired, or deleted)."""


class Manager:
    """The live sessions of one app, their training tasks and their listeners."""

    def __init__(self, max_sessions: int = 8, workers: int | None = None,
                 idle_timeout: float = 900.0) -> None:
        if max_sessions < 1:
            raise ValueError(f"--max-sessions: expected an integer >= 1, got {max_sessions}")
        self.max_sessions, self.idle_timeout = max_sessions, idle_timeout
        self.workers = workers or max(2, min(4, os.cpu_count() or 2))
        self.pool = ThreadPoolExecutor(self.workers, thread_name_prefix="chainrule-serve")
        self.sessions: dict[str, Session] = {}
        self.runners: dict[str, asyncio.Task[None]] = {}
        self.listeners: dict[str, set[asyncio.Queue[dict[str, Any]]]] = {}
        self._creating = 0

    async def call(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run ``fn(*args)`` on a worker thread."""
        return await asyncio.get_running_loop().run_in_executor(self.pool, fn, *args)

    # -- sessions ---------------------------------------------------------------------------
    async def create(self, changes: dict[str, Any]) -> Session:
        self.expire()
        if len(self.sessions) + self._creating >= self.max_sessions:
            raise BusyError(f"server busy: {self.max_sessions} sessions are open (the limit set by "
                       "--max-sessions); try again in a minute or close another tab")
        self._creating += 1
        try:
            session = await self.call(Session, changes)
        finally:
            self._creating -= 1
        self.sessions[session.id] = session
        return session

    def get(self, sid: str) -> Session:
        session = self.sessions.get(sid)
        if session is None:
            raise UnknownSessionError("session: expected an open session, got an unknown or "
                                      "expired one; reload the page")
        session.touched = time.monotonic()
        return session

    def remove(self, sid: str, why: str = "closed") -> None:
        session = self.sessions.pop(sid, None)
        if session is None:
            return
        session.playing = False
        for q in self.listeners.pop(sid, set()):
            self._offer(q, {"type": "expired", "message": f"session {why}; reload the page"})

    def expire(self) -> list[str]:
        """Remove the sessions idle for longer than ``idle_timeout``; return their ids."""
        now = time.monotonic()
        old = [sid for sid, s in self.sessions.items()
               if now - s.touched > self.idle_timeout]
        for sid in old:
            self.remove(sid, "expired after being idle")
        return old

    async def expiry_loop(self) -> None:
        while True:
            await asyncio.sleep(max(0.5, min(30.0, self.idle_timeout / 4)))
            self.expire()

    # -- training ---------------------------------------------------------------------------
    def play(self, session: Session) -> None:
        session.playing = True
        if session.id not in self.runners:
            self.runners[session.id] = asyncio.ensure_future(self._run(session))

    async def _run(self, session: Session) -> None:
        try:
            while session.playing and session.id in self.sessions:
                budget = min(SLICE_S, max(MIN_SLICE_S, SLICE_SHARED_S / len(self.runners)))
                state = await self.call(session.advance, budget)
                self.publish(session, state)
                await asyncio.sleep(0.005)
        finally:
            self.runners.pop(session.id, None)

    def stop(self, session: Session) -> None:
        """Stop training after the slice in progress (its state is still published)."""
        session.playing = False

    async def pause(self, session: Session) -> None:
        """Stop the training task and wait until its slice is done."""
        session.playing = False
        task = self.runners.get(session.id)
        if task is not None:
            await asyncio.shield(task)

    async def step(self, session: Session) -> dict[str, Any]:
        await self.pause(session)
        state = await self.call(session.advance, 0.0, 1)
        self.publish(session, state)
        return dict(state)

    async def rebuild(self, session: Session, changes: dict[str, Any]) -> dict[str, Any]:
        await self.pause(session)
        await self.call(session.configure, changes)
        state = await self.call(session.state)
        self.publish(session, state)
        return dict(state)

    # -- live updates -----------------------------------------------------------------------
    @staticmethod
    def _offer(q: asyncio.Queue[dict[str, Any]], item: dict[str, Any]) -> None:
        if q.full():  # a slow page gets the newest state, not a backlog
            q.get_nowait()
        q.put_nowait(item)

    def publish(self, session: Session, state: dict[str, Any]) -> None:
        item = {"type": "state", **state}
        for q in self.listeners.get(session.id, ()):
            self._offer(q, item)

    def subscribe(self, session: Session) -> asyncio.Queue[dict[str, Any]]:
        q: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=1)
        self.listeners.setdefault(session.id, set()).add(q)
        return q

    def unsubscribe(self, session: Session, q: asyncio.Queue[dict[str, Any]]) -> None:
        self.listeners.get(session.id, set()).discard(q)

    def close(self) -> None:
        for s in self.sessions.values():
            s.playing = False
        self.pool.shutdown(wait=False, cancel_futures=True)
