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

from _disturbance import (CANARY_LIMIT, STALL_LIMIT, Canary, best_canary,  # noqa: F401
                          clean_times, cpu_stall_us)

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
