"""Shared benchmark plumbing: environment, machine description, subprocess workers, GEMM peak,
statistics and Markdown output. Benchmarks are not tests: nothing here asserts on time.
"""
from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Sequence

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
# Set for old OpenBLAS builds on this machine; they force an older (slower) kernel on a
# current numpy. Benchmark subprocesses run without them (tests and CI never change them).
_DROPPED_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def bench_env(keep_openblas_env: bool = False, src: str | None = None) -> dict[str, str]:
    """Environment of a worker: ``src`` (this checkout's, or another's) importable, OpenBLAS
    overrides dropped."""
    env = dict(os.environ)
    if not keep_openblas_env:
        for k in _DROPPED_ENV:
            env.pop(k, None)
    src = src or str(ROOT / "src")
    env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def blas_info() -> list[dict[str, Any]]:
    """What threadpoolctl sees in this process (call after importing numpy)."""
    import numpy  # noqa: F401
    try:
        import threadpoolctl
    except ImportError:
        return []
    keys = ("internal_api", "version", "architecture", "num_threads", "threading_layer")
    return [{k: i.get(k) for k in keys} for i in threadpoolctl.threadpool_info()]


def blas_threads() -> int:
    """Number of BLAS threads numpy uses (torch is given the same)."""
    for i in blas_info():
        if i.get("internal_api") in ("openblas", "mkl", "blis"):
            return int(i["num_threads"])
    return os.cpu_count() or 1


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine_description(env_note: str) -> str:
    """Markdown bullet list: CPU, cores, Python, numpy/torch versions and the BLAS kernel in use."""
    info = run_worker([str(HERE / "_harness.py"), "--describe"], timeout=120)
    lines = [
        f"- CPU: {cpu_model()}, {os.cpu_count()} logical cores, load average at start "
        f"{os.getloadavg()[0]:.2f}",
        f"- Python {platform.python_version()}, numpy {info['numpy']}, torch {info['torch']}, "
        f"scikit-learn {info['sklearn']}",
        f"- numpy BLAS (threadpoolctl, in the workers): {info['blas']}",
        f"- torch: {info['torch_blas']}, torch.set_num_threads({info['threads']}) to match numpy",
        f"- {env_note}",
    ]
    return "\n".join(lines)


def _describe() -> dict[str, Any]:
    import numpy as np
    out: dict[str, Any] = {"numpy": np.__version__}
    out["blas"] = ", ".join(
        f"{b['internal_api']} {b['version']} kernel {b['architecture']} threads {b['num_threads']}"
        for b in blas_info()) or "unknown"
    out["threads"] = blas_threads()
    try:
        import torch
        out["torch"] = torch.__version__
        cfg = torch.__config__.show()
        out["torch_blas"] = ("MKL" if "BLAS_INFO=mkl" in cfg else "BLAS") + ", CPU capability " + \
            next((ln.split(":")[1].strip() for ln in cfg.splitlines()
                  if "CPU capability" in ln), "?")
    except ImportError:
        out["torch"] = out["torch_blas"] = "absent"
    try:
        import sklearn
        out["sklearn"] = sklearn.__version__
    except ImportError:
        out["sklearn"] = "absent"
    return out


def cpu_idle_share(seconds: float = 0.5) -> float:
    """Share of all CPUs idle over ``seconds`` (Linux /proc/stat; 1.0 when unknown)."""
    def sample() -> tuple[int, int]:
        vals = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        return vals[3] + vals[4], sum(vals)
    try:
        idle0, tot0 = sample()
        time.sleep(seconds)
        idle1, tot1 = sample()
    except (OSError, ValueError, IndexError):
        return 1.0
    return (idle1 - idle0) / max(tot1 - tot0, 1)


def wait_quiet(min_idle: float = 0.8, max_wait: float = 60.0) -> float:
    """Wait (at most ``max_wait`` s) until the CPUs are ``min_idle`` idle; returns the share seen.

    Other people's processes share this machine; starting a run in a quiet moment cuts the
    noise (it cannot remove it: they may start during the run).
    """
    end = time.monotonic() + max_wait
    idle = cpu_idle_share()
    while idle < min_idle and time.monotonic() < end:
        idle = cpu_idle_share()
    return idle


def run_worker(argv: Sequence[str], timeout: float = 900, time_v: bool = False,
               keep_openblas_env: bool = False, quiet: float = 0.0,
               src: str | None = None) -> dict[str, Any]:
    """Run ``python argv...`` in a fresh process; its last stdout line is a JSON object.

    With ``time_v`` the process runs under ``/usr/bin/time -v`` (when present) and the
    result gains ``maxrss_kb_time`` (peak resident set size of the whole process). With
    ``quiet`` > 0 it first waits (up to a minute) for that idle share of the CPUs and records
    the share seen as ``idle_at_start``. ``src``: import chainrule from that ``src`` folder
    (a baseline checkout, for before/after runs) instead of this checkout's.
    """
    idle = wait_quiet(quiet) if quiet > 0 else None
    cmd = [sys.executable, *argv]
    use_time = time_v and Path("/usr/bin/time").exists()
    if use_time:
        cmd = ["/usr/bin/time", "-v", *cmd]
    p = subprocess.run(cmd, capture_output=True, text=True, env=bench_env(keep_openblas_env, src),
                       timeout=timeout, cwd=str(ROOT))
    if p.returncode != 0:
        raise RuntimeError(f"worker {' '.join(argv)} failed ({p.returncode}):\n{p.stderr[-3000:]}")
    res: dict[str, Any] = json.loads(p.stdout.strip().splitlines()[-1])
    if idle is not None:
        res["idle_at_start"] = idle
    if use_time:
        for line in p.stderr.splitlines():
            if "Maximum resident set size" in line:
                res["maxrss_kb_time"] = int(line.split(":")[1])
    return res


def gemm_gflops(n: int = 1024, repeat: int = 20) -> dict[str, float]:
    """float32 GEMM rate (GFLOP/s) of numpy and torch at n×n×n in fresh worker processes."""
    return run_worker([str(HERE / "_harness.py"), "--gemm", str(n), str(repeat)], timeout=300)


def _gemm(n: int, repeat: int) -> dict[str, float]:
    import numpy as np
    rng = np.random.default_rng(0)
    a = rng.random((n, n), dtype=np.float32)
    b = rng.random((n, n), dtype=np.float32)
    c = np.empty((n, n), np.float32)
    out: dict[str, float] = {}

    def best(fn: Any) -> float:
        fn()
        ts = []
        for _ in range(repeat):
            t = time.perf_counter()
            fn()
            ts.append(time.perf_counter() - t)
        return 2 * n ** 3 / min(ts) / 1e9

    out["numpy"] = best(lambda: np.matmul(a, b, out=c))
    try:
        import torch
        torch.set_num_threads(blas_threads())
        ta, tb, tc = torch.from_numpy(a), torch.from_numpy(b), torch.empty(n, n)
        out["torch"] = best(lambda: torch.matmul(ta, tb, out=tc))
    except ImportError:
        pass
    return out


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


def rss_kb() -> int:
    """Current resident set size of this process (Linux), in kB."""
    try:
        return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") \
            // 1024
    except (OSError, ValueError):
        return 0


def reset_peak_rss() -> bool:
    """Reset the peak RSS (Linux VmHWM) so that a later ``peak_rss_kb`` covers what follows."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def peak_rss_kb() -> int:
    """Peak RSS since start or since ``reset_peak_rss`` (VmHWM), else ru_maxrss, in kB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return maxrss_kb()


def maxrss_kb() -> int:
    import resource
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


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


def clean_times(runs: Sequence[dict[str, Any]], canary: float | None = None
                ) -> tuple[list[float], int]:
    """Timed epochs of these worker results that nothing disturbed, and how many were dropped.

    An epoch is disturbed when its CPU-stall share (PSI) exceeds ``STALL_LIMIT`` or, given the
    run's best ``canary``, when the canary before or after it ran more than ``CANARY_LIMIT``
    times slower. Without PSI and canaries every epoch is kept.
    """
    kept: list[float] = []
    dropped = 0
    for res in runs:
        n = len(res["times"])
        stalls = res.get("stalls") or [None] * n
        cans = res.get("canaries") or [None] * (n + 1)
        for i, (t, s) in enumerate(zip(res["times"], stalls)):
            slow = canary is not None and any(
                c is not None and c > CANARY_LIMIT * canary for c in cans[i:i + 2])
            if (s is not None and s > STALL_LIMIT) or slow:
                dropped += 1
            else:
                kept.append(t)
    return kept, dropped


def summary(times: Sequence[float]) -> tuple[float, float, float]:
    """(median, min, max) of a sample."""
    return statistics.median(times), min(times), max(times)


def fmt_ms(times: Sequence[float]) -> str:
    med, lo, hi = summary(times)
    return f"{med * 1e3:.1f} ({lo * 1e3:.1f}–{hi * 1e3:.1f})"


def md_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def write_result(name: str, text: str, quick: bool) -> Path:
    """Write ``results/<name>.md`` (``<name>-quick.md`` for quick runs, not meant to commit)."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / (f"{name}-quick.md" if quick else f"{name}.md")
    path.write_text(text)
    return path


if __name__ == "__main__":
    if sys.argv[1] == "--describe":
        print(json.dumps(_describe()))
    elif sys.argv[1] == "--gemm":
        print(json.dumps(_gemm(int(sys.argv[2]), int(sys.argv[3]))))
