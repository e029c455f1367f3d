"""Which timed epochs another process disturbed: the CPU-stall share (Linux PSI) of each epoch
and a canary workload timed around it (contention from outside this VM). Re-exported by
``_harness``."""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Sequence


def cpu_stall_us() -> int | None:
    """Cumulative µs during which some runnable task waited for a CPU (Linux PSI), or None.

    Our own threads fit the cores, so a stall during an epoch means other processes took
    CPU time from it: the harness counts such epochs as disturbed.
    """
    try:
        line = Path("/proc/pressure/cpu").read_text().split("\n", 1)[0]
        return int(line.rsplit("total=", 1)[1])
    except (OSError, ValueError, IndexError):
        return None


STALL_LIMIT = 0.05  # an epoch whose CPU-stall share exceeds this was disturbed by others
CANARY_LIMIT = 1.25  # ... or whose canary ran this much slower than the run's best canary


class Canary:
    """A fixed small workload (2-thread GEMMs and a memory-bound pass) timed around each epoch.

    Contention from outside this system (other VMs on the host) does not show in PSI; it
    shows as a slower canary. It runs on the framework being measured (torch's own thread
    pool for PyTorch, so no idle BLAS pool spins beside it); the driver compares each canary
    with the best canary of the same implementation in the run.
    """

    def __init__(self, torch: bool = False) -> None:
        import numpy as np
        rng = np.random.default_rng(0)
        a = rng.random((384, 384), dtype=np.float32)
        v = rng.random(1 << 20, dtype=np.float32)
        if torch:
            import torch as th
            ta, tc, tv = th.from_numpy(a), th.empty(384, 384), th.from_numpy(v)

            def work() -> None:
                th.matmul(ta, ta, out=tc)
                th.matmul(ta, ta, out=tc)
                tv.mul_(1.0)
        else:
            c = np.empty_like(a)

            def work() -> None:
                np.matmul(a, a, out=c)
                np.matmul(a, a, out=c)
                v.__imul__(1.0)
        self.work = work
        self()

    def __call__(self) -> float:
        best = float("inf")
        for _ in range(3):
            t = time.perf_counter()
            self.work()
            best = min(best, time.perf_counter() - t)
        return best


def best_canary(runs: Any) -> float | None:
    """The fastest canary of these worker results (the machine's undisturbed speed)."""
    vals = [c for res in runs for c in res.get("canaries", ()) if c is not None]
    return min(vals) if vals else None


def clean_times(runs: Sequence[dict[str, Any]], canary: float | None = None,
                stalls: bool = True) -> tuple[list[float], int]:
    """Timed epochs of these worker results that nothing disturbed, and how many were dropped.

    An epoch is disturbed when its CPU-stall share (PSI) exceeds ``STALL_LIMIT`` or, given the
    run's best ``canary``, when the canary before or after it ran more than ``CANARY_LIMIT``
    times slower. Without PSI and canaries every epoch is kept. ``stalls=False`` judges by the
    canary alone: for a framework whose own threads outnumber the cores (XLA's pool beside the
    Python thread), which stalls itself.
    """
    kept: list[float] = []
    dropped = 0
    for res in runs:
        n = len(res["times"])
        shares = (res.get("stalls") if stalls else None) or [None] * n
        cans = res.get("canaries") or [None] * (n + 1)
        for i, (t, s) in enumerate(zip(res["times"], shares)):
            slow = canary is not None and any(
                c is not None and c > CANARY_LIMIT * canary for c in cans[i:i + 2])
            if (s is not None and s > STALL_LIMIT) or slow:
                dropped += 1
            else:
                kept.append(t)
    return kept, dropped
