"""One MLP training run in a fresh process; prints one JSON line (epoch times, accuracy, memory).

python benchmarks/_worker.py --impl chainrule --hidden 256,128 --batch 32 --opt sgd
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

IMPLS = ("chainrule", "chainrule-captured", "torch", "torch-fused", "numpy", "jax", "sklearn32",
         "sklearn64")


def make_runner(impl: str, params: Any, opt: str, hp: dict[str, Any], batch: int, X: Any,
                y: Any, mode: str | None, seed: int) -> Any:
    import numpy as np
    if impl in ("chainrule", "chainrule-captured"):
        from _run_chainrule import Runner as CR
        mode = "captured" if impl == "chainrule-captured" else mode
        return CR(params, opt, hp, batch, X, y, mode=mode, seed=seed)
    if impl == "jax":
        from _run_jax import Runner as JR
        return JR(params, opt, hp, batch, X, y)
    if impl in ("torch", "torch-fused"):
        from _run_torch import Runner as TR
        return TR(params, opt, hp, batch, X, y, fused=impl == "torch-fused")
    if impl == "numpy":
        from _run_numpy import Runner as NR
        return NR(params, opt, hp, batch, X, y)
    from _run_sklearn import Runner as SR
    return SR(params, opt, hp, batch, X, y, dtype=np.float32 if impl == "sklearn32" else np.float64)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--impl", choices=IMPLS, required=True)
    ap.add_argument("--hidden", default="256,128")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--opt", choices=("sgd", "adam"), default="sgd")
    ap.add_argument("--epochs", type=int, default=6, help="all epochs, warm-up included")
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--eval-after", type=int, default=5)
    ap.add_argument("--data", default=None)
    ap.add_argument("--n-train", type=int, default=0, help="use the first n training rows")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--mode", default=None, help="chainrule runner mode: api or core")
    ap.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                    help="cpu: one thread everywhere (BLAS, torch, XLA) and process CPU time per "
                         "epoch, robust to other processes on a busy machine")
    a = ap.parse_args()
    if a.clock == "cpu":  # before numpy, torch or jax load
        import os
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = "1"
        os.environ["XLA_FLAGS"] = ("--xla_cpu_multi_thread_eigen=false "
                                   "intra_op_parallelism_threads=1")

    import _data
    import _harness
    import numpy as np
    Xtr, ytr, Xte, yte = _data.load(a.data, a.seed)
    if a.n_train:
        Xtr, ytr = Xtr[:a.n_train], ytr[:a.n_train]
    hidden = [int(h) for h in a.hidden.split(",") if h]
    sizes = _data.layer_sizes(hidden)
    params = _data.init_params(sizes, a.seed)
    orders = _data.epoch_orders(len(Xtr), a.epochs, a.seed)
    hp = _data.OPTIMIZERS[a.opt]
    runner = make_runner(a.impl, params, a.opt, hp, a.batch, Xtr, ytr, a.mode, a.seed)
    canary = _harness.Canary(torch=a.impl.startswith("torch"))  # before the memory baseline
    rss0 = _harness.rss_kb()
    peak_reset = _harness.reset_peak_rss()
    times: list[float] = []
    clock = time.process_time if a.clock == "cpu" else time.perf_counter
    stalls: list[float | None] = []
    canaries: list[float] = []
    faults: list[int] = []
    acc = None
    for e in range(a.epochs):
        if e >= a.warmup:
            canaries.append(canary())
        s0 = _harness.cpu_stall_us()
        f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        t = clock()
        runner.epoch(orders[e])
        dt = clock() - t
        f1 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        s1 = _harness.cpu_stall_us()
        if e >= a.warmup:
            times.append(dt)
            faults.append(f1 - f0)
            stalls.append(None if s0 is None or s1 is None or a.clock == "cpu"
                          else (s1 - s0) / 1e6 / dt)
        if e + 1 == a.eval_after:
            acc = runner.accuracy(Xte, yte)
    canaries.append(canary())  # canaries[i] and [i + 1] bracket timed epoch i
    if acc is None:
        acc = runner.accuracy(Xte, yte)
    out = {
        "impl": a.impl, "times": times, "stalls": stalls, "faults": faults, "clock": a.clock,
        "canaries": canaries if a.clock == "wall" else [],
        "acc": acc,
        "flops": _data.matmul_flops(sizes, len(Xtr)),
        "rss_start_kb": rss0, "maxrss_kb": _harness.maxrss_kb(),
        "train_peak_kb": _harness.peak_rss_kb() if peak_reset else _harness.maxrss_kb(),
        "mode": getattr(runner, "mode", None),
        "same_batches": getattr(runner, "same_batches", True),
        "loss_finite": bool(np.isfinite(acc)),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
