"""Load: 20 sessions training at once through the API (HTTP + WebSocket) on a real server.

The duration is ``CHAINRULE_LOAD_SECONDS`` (default 8 s in the suite, longer for a
session that has not yet had 3 updates on a crowded machine; the figures
in the notes come from a 30 s run: ``CHAINRULE_LOAD_SECONDS=30 pytest -s
tests/serve/test_load.py``). Measured: the gap between consecutive state updates a
page receives (p50/p95/max), the round trip of a pause, epochs per session, and
the server's resident memory (sampled, and its peak).
"""
from __future__ import annotations

import asyncio
import json
import os
import time

import numpy as np
import pytest

httpx = pytest.importorskip("httpx")
websockets = pytest.importorskip("websockets")

pytestmark = pytest.mark.slow
SESSIONS = 20
SECONDS = float(os.environ.get("CHAINRULE_LOAD_SECONDS", "8"))
MIN_UPDATES = 3  # a session listens past SECONDS (up to CAP) until it has seen this many
CAP = max(90.0, 3 * SECONDS)
DATASETS = ["spirals", "moons", "circles", "xor", "gaussians"]


async def _session(client, ws_base: str, k: int, start: float) -> dict:
    r = await client.post("/api/session", json={"dataset": DATASETS[k % 5], "seed": k})
    assert r.status_code == 201, r.text
    sid = r.json()["id"]
    gaps, epochs, losses = [], [], []
    async with websockets.connect(f"{ws_base}/api/session/{sid}/live",
                                  max_size=1 << 22) as ws:
        assert (await client.post(f"/api/session/{sid}/play")).status_code == 200
        last = time.perf_counter()
        while True:
            end = start + (SECONDS if len(epochs) >= MIN_UPDATES else CAP)
            left = end - time.perf_counter()
            if left <= 0:
                break
            try:
                raw = await asyncio.wait_for(ws.recv(), timeout=left)
            except asyncio.TimeoutError:
                break
            now = time.perf_counter()
            msg = json.loads(raw)
            assert msg["type"] == "state", msg
            gaps.append(now - last)
            last = now
            epochs.append(msg["epoch"])
            losses.append(msg["train_loss"])
        t = time.perf_counter()
        r = await client.post(f"/api/session/{sid}/pause")
        pause = time.perf_counter() - t
        assert r.status_code == 200, r.text
    await client.delete(f"/api/session/{sid}")
    return {"gaps": gaps[1:], "epochs": epochs, "losses": losses, "pause": pause}


async def _load(url: str, server) -> tuple[list[dict], list[float]]:
    rss: list[float] = []
    stop = asyncio.Event()

    async def sample() -> None:
        while not stop.is_set():
            rss.append(server.rss_mb()[0])
            await asyncio.sleep(0.5)

    sampler = asyncio.ensure_future(sample())
    ws_base = url.rstrip("/").replace("http://", "ws://")
    limits = httpx.Limits(max_connections=SESSIONS * 2)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        start = time.perf_counter() + 1.0
        results = await asyncio.gather(*(_session(client, ws_base, k, start)
                                         for k in range(SESSIONS)))
    stop.set()
    await sampler
    return list(results), rss


def test_twenty_sessions_train_at_once(server, tmp_path):
    results, rss = asyncio.run(_load(server.url, server))
    gaps = np.concatenate([r["gaps"] for r in results]) * 1000
    epochs = [r["epochs"][-1] for r in results]
    peak = server.rss_mb()[1]
    report = {"sessions": SESSIONS, "seconds": SECONDS, "updates": int(len(gaps)),
              "update_gap_ms": {"p50": float(np.percentile(gaps, 50)),
                                "p95": float(np.percentile(gaps, 95)),
                                "max": float(gaps.max())},
              "pause_ms_p95": float(np.percentile([r["pause"] * 1000 for r in results], 95)),
              "epochs_per_session": {"min": min(epochs), "median": float(np.median(epochs)),
                                     "max": max(epochs)},
              "rss_mb": {"start": rss[0], "max_sampled": max(rss), "peak_hwm": peak}}
    (tmp_path / "load.json").write_text(json.dumps(report, indent=2))
    print("\nload test:", json.dumps(report))
    for r in results:  # every session progressed, in order, and learned something
        assert len(r["epochs"]) >= MIN_UPDATES and r["epochs"] == sorted(r["epochs"])
        assert r["epochs"][-1] > 1
    assert float(np.median([r["losses"][-1] < r["losses"][0] for r in results])) == 1.0
    assert max(rss) < 1024, rss  # bounded: well under a GiB for 20 sessions
