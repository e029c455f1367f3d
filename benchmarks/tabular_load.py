"""Loading a big numeric table: chainrule's ``read_frame`` against pandas, time and peak memory.

Writes a numeric CSV of ``--mb`` MB (20 columns of 6-decimal numbers), the same
gzip'ed, and as Parquet, then reads each with ``chainrule.tabular.read.read_frame``
(float32 columns, what ``chainrule train`` works from) and with pandas
(``read_csv`` / ``read_parquet``, then ``to_numpy(np.float32)``: the same array).

How it is measured, so that the figures are honest:
- every read runs in a fresh Python process (``python -c``); chainrule and pandas
  alternate, ``--repeats`` times each, so a burst of load from other work hits both;
- time: wall clock of the read alone (imports done before), the minimum over the
  repeats, and the process CPU time (all threads) of that run;
- memory: the process's peak resident size (``VmHWM`` in ``/proc/self/status``, which
  counts everything: NumPy, pyarrow's buffers and threads, the allocator's caches)
  minus its resident size after the imports, the largest over the repeats, against
  the bytes of the float32 array made (``nbytes``);
- the run-queue wait of the timed run (``/proc/self/task/*/schedstat``: time its
  threads were ready but had no CPU, over the wall time) says how much other work got
  in the way; a run that aborts at exit after printing its figures (pyarrow's threads at
  interpreter shutdown, rare) is counted and its figures kept.

    python benchmarks/tabular_load.py [--mb 50] [--repeats 5]
"""
from __future__ import annotations

import argparse
import gzip
import os
import platform
import shutil
import subprocess
import sys
import tempfile

import numpy as np

CHILD = r"""
import resource, sys, time
import numpy as np, pandas as pd, pyarrow, pyarrow.csv, pyarrow.parquet
from chainrule.tabular.read import read_frame
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize()
def waits():  # per thread: nanoseconds spent ready to run but waiting for a CPU
    import glob
    out = {}
    for name in glob.glob("/proc/self/task/*/schedstat"):
        try:
            with open(name) as f:
                out[name] = int(f.read().split()[1])
        except (OSError, IndexError, ValueError):
            pass
    return out
who, path = sys.argv[1], sys.argv[2]
base = rss()
w0, c0 = waits(), resource.getrusage(resource.RUSAGE_SELF)
t0 = time.perf_counter()
if who == "chainrule":
    columns = read_frame(path).columns  # float32 columns, one array each
    nbytes = sum(c.nbytes for c in columns.values())
    assert all(c.dtype == np.float32 for c in columns.values())
elif path.endswith(".parquet"):
    X = pd.read_parquet(path).to_numpy(np.float32)
    nbytes = X.nbytes
else:
    X = pd.read_csv(path).to_numpy(np.float32)
    nbytes = X.nbytes
seconds = time.perf_counter() - t0
c1, w1 = resource.getrusage(resource.RUSAGE_SELF), waits()
waited = sum(v - w0.get(k, 0) for k, v in w1.items()) / 1e9
cpu = c1.ru_utime + c1.ru_stime - c0.ru_utime - c0.ru_stime
with open("/proc/self/status") as f:  # VmHWM: the peak resident size since exec
    peak = 1024 * int(next(ln.split()[1] for ln in f if ln.startswith("VmHWM")))
print(seconds, cpu, max(peak - base, 0), nbytes, waited / seconds, flush=True)
"""


ABORTS = {"chainrule": 0, "pandas": 0}


def write_files(folder: str, mb: int) -> tuple[dict[str, str], int, int]:
    """The CSV of about ``mb`` MB, its .gz and a Parquet copy; their paths, rows, columns."""
    import pandas as pd
    cols = 20
    rows = int(mb * 1e6 / (cols * 9))
    df = pd.DataFrame(np.random.default_rng(0).random((rows, cols)),
                      columns=[f"c{j}" for j in range(cols)])
    paths = {"csv": os.path.join(folder, "big.csv"), "csv.gz": os.path.join(folder, "big.csv.gz"),
             "parquet": os.path.join(folder, "big.parquet")}
    df.to_csv(paths["csv"], index=False, float_format="%.6f")
    with open(paths["csv"], "rb") as src, gzip.open(paths["csv.gz"], "wb", compresslevel=6) as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
    df.to_parquet(paths["parquet"])
    return paths, rows, cols


def measure(path: str, repeats: int) -> dict[str, list[tuple[float, ...]]]:
    """``repeats`` fresh-process reads by chainrule and by pandas, alternated."""
    runs: dict[str, list[tuple[float, ...]]] = {"chainrule": [], "pandas": []}
    for i in range(repeats):
        for who in (("chainrule", "pandas") if i % 2 == 0 else ("pandas", "chainrule")):
            done = subprocess.run([sys.executable, "-c", CHILD, who, path],
                                  capture_output=True, text=True)
            out = done.stdout.split()
            if len(out) != 5:
                raise RuntimeError(f"{who} on {path} failed: {done.stderr[-2000:]}")
            ABORTS[who] += done.returncode != 0
            runs[who].append(tuple(float(v) for v in out))
    return runs


def _cpu_name() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            name = next(ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name"))
    except (OSError, StopIteration):
        name = platform.processor() or "unknown CPU"
    return f"{name}, {os.cpu_count()} cores"


def _summary(runs: list[tuple[float, ...]]) -> tuple[float, float, float, float, float]:
    best = min(runs, key=lambda r: r[0])  # the fastest run: its time, CPU and wait share
    return best[0], best[1], max(r[2] for r in runs) / 1e6, runs[0][3] / 1e6, best[4]


def load_measurement(mb: int, repeats: int) -> str:
    """The Markdown note: each file kind, chainrule vs pandas (time, CPU, peak memory)."""
    load0 = os.getloadavg()
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        paths, rows, cols = write_files(tmp, mb)
        sizes = {k: os.path.getsize(p) / 1e6 for k, p in paths.items()}
        for kind, path in paths.items():
            runs = measure(path, repeats)
            (t_c, cpu_c, m_c, arr, st_c), (t_p, cpu_p, m_p, arr_p, st_p) = \
                _summary(runs["chainrule"]), _summary(runs["pandas"])
            wins = sum(a[0] < b[0] for a, b in zip(runs["chainrule"], runs["pandas"]))
            lines.append(
                f"| {kind} ({sizes[kind]:.1f} MB) | {t_c:.2f} s (CPU {cpu_c:.2f}, waited "
                f"{st_c:.0%}) | {t_p:.2f} s (CPU {cpu_p:.2f}, waited {st_p:.0%}) | "
                f"{t_c / t_p:.2f} ({wins}/{repeats} runs faster) | +{m_c:.1f} MB "
                f"({m_c / arr:.2f}x) | +{m_p:.1f} MB ({m_p / arr_p:.2f}x) |")
            print(lines[-1], file=sys.stderr, flush=True)
    load1 = os.getloadavg()
    import pandas as pd
    import pyarrow as pa
    head = (f"CSV load: {rows} rows x {cols} numeric columns, float32 array {arr:.1f} MB; "
            f"{_cpu_name()}, load average {load0[0]:.1f} before, {load1[0]:.1f} after "
            f"(shared machine); pandas {pd.__version__}, pyarrow {pa.__version__}. Each read "
            f"in a fresh process, chainrule and pandas alternated, {repeats} each; time = "
            "fastest wall clock (its CPU time over all threads, and the time its threads "
            "waited for a CPU over the wall time); memory = largest peak resident size (VmHWM) "
            "above the size after imports, against the float32 array's bytes.\n\n"
            "| file | chainrule read_frame | pandas + to_numpy(float32) | time ratio | "
            "chainrule peak memory | pandas peak memory |\n|---|---|---|---|---|---|")
    aborts = f"\naborts at exit after the figures: {ABORTS}" if any(ABORTS.values()) else ""
    return "\n".join([head, *lines]) + aborts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=int, default=50)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    print(load_measurement(args.mb, args.repeats))


if __name__ == "__main__":
    main()
