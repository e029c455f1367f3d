"""MLP 784-256-128-10 training epochs: chainrule vs PyTorch, scikit-learn and hand-written NumPy.

    python benchmarks/mlp.py [--data /work/shared/data/mnist10k.npz] [--quick]

Every (implementation, batch size, optimizer) run is a fresh process; runs alternate
A B C A B C ... over several rounds so machine drift hits all. Writes
benchmarks/results/mlp.md (mlp-quick.md with --quick).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _harness as H  # noqa: E402

SELF_STALLING = ("jax",)  # XLA's thread pool beside the Python thread: PSI stalls of its own


def clean(results: dict[tuple[str, int, str], list[dict[str, Any]]],
          key: tuple[str, int, str]) -> tuple[list[float], int]:
    """Undisturbed epochs of one configuration (canaries against the best of its implementation)."""
    best = H.best_canary(res for k, v in results.items() if k[0] == key[0] for res in v)
    return H.clean_times(results[key], best, stalls=key[0] not in SELF_STALLING)


def run_medians(results: dict[tuple[str, int, str], list[dict[str, Any]]],
                key: tuple[str, int, str]) -> list[float | None]:
    """Median undisturbed epoch time of each run (process) of one configuration."""
    best = H.best_canary(res for k, v in results.items() if k[0] == key[0] for res in v)
    out: list[float | None] = []
    for res in results[key]:
        kept = H.clean_times([res], best, stalls=key[0] not in SELF_STALLING)[0]
        out.append(statistics.median(kept) if kept else None)
    return out


LABELS = {"chainrule-captured": "chainrule captured", "chainrule": "chainrule eager",
          "torch": "PyTorch", "torch-fused": "PyTorch fused=True", "numpy": "NumPy by hand",
          "jax": "JAX jit (optax)", "sklearn32": "sklearn float32", "sklearn64": "sklearn float64",
          "chainrule-captured@before": "chainrule captured, before",
          "chainrule@before": "chainrule eager, before"}


def base_impl(impls: list[str]) -> str | None:
    """The row the ratios divide by: the captured step (what fit runs), else eager."""
    return next((i for i in ("chainrule-captured", "chainrule") if i in impls), None)


def run_all(args: argparse.Namespace, impls: list[str], batches: list[int], opts: list[str],
            gemm: list[dict[str, float]]) -> dict[tuple[str, int, str], list[dict[str, Any]]]:
    """Rounds of every (optimizer, batch, implementation), alternating the order; then extra
    runs for configurations left with fewer than ``args.min_clean`` undisturbed epochs."""
    results: dict[tuple[str, int, str], list[dict[str, Any]]] = {}
    worker = str(H.HERE / "_worker.py")

    def run(impl: str, b: int, opt: str, label: str) -> None:
        argv = [worker, "--impl", impl.removesuffix("@before"), "--batch", str(b), "--opt", opt,
                "--epochs", str(args.epochs), "--eval-after", str(args.eval_after),
                "--clock", args.clock]
        if args.data:
            argv += ["--data", args.data]
        src = str(Path(args.before) / "src") if impl.endswith("@before") else None
        res = H.run_worker(argv, quiet=args.quiet, src=src)
        results.setdefault((impl, b, opt), []).append(res)
        kept, dropped = H.clean_times([res], stalls=impl not in SELF_STALLING)
        med = statistics.median(kept) * 1e3 if kept else float("nan")
        print(f"{label} {opt:4s} batch {b:3d} {impl:10s} median {med:7.1f} ms "
              f"({dropped} stalled epochs)  canary {min(res['canaries'] or [0]) * 1e3:.2f} ms  "
              f"acc {res['acc']:.4f}", flush=True)

    for r in range(args.rounds):
        if r:
            if args.clock == "wall":
                gemm.append(H.gemm_gflops())
        order = impls if r % 2 == 0 else impls[::-1]
        for opt in opts:
            for b in batches:
                for impl in order:
                    run(impl, b, opt, f"round {r + 1}")
    for extra in range(args.max_extra):
        short = [k for k in results if len(clean(results, k)[0]) < args.min_clean]
        if not short:
            break
        for impl, b, opt in short:
            run(impl, b, opt, f"extra {extra + 1}")
    return results


def report(args: argparse.Namespace, results: dict[tuple[str, int, str], list[dict[str, Any]]],
           impls: list[str], batches: list[int], opts: list[str], peak: float,
           gemm: list[dict[str, float]], elapsed: float) -> str:
    def times(impl: str, b: int, opt: str) -> list[float]:
        kept = clean(results, (impl, b, opt))[0]
        return kept or [t for res in results[(impl, b, opt)] for t in res["times"]]

    parts = [f"# MLP 784-256-128-10 training epoch ({'quick run' if args.quick else 'full run'})",
             "", H.machine_description(
                 "Workers run without OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE (set on this machine "
                 "for old OpenBLAS builds; they force the slower Haswell kernel)."),
             "- float32 GEMM peak (best of numpy/torch at 1024×1024×1024, measured before, "
             f"between rounds and after): {peak:.0f} GFLOP/s; measurements: "
             + ("; ".join(", ".join(f"{k} {v:.0f}" for k, v in g.items()) for g in gemm)
                or "none (--clock cpu); GEMM % is n/a"),
             f"- Data: {args.data or 'synthetic (prototypes + noise), same shape as MNIST'}; "
             f"8,000 training / 2,000 test images; {args.rounds} rounds × {args.epochs} epochs "
             f"per process (first epoch is warm-up, not timed); accuracy after epoch "
             f"{args.eval_after}; total wall time {elapsed:.0f} s",
             "- Epoch time: median (min–max) over the undisturbed timed epochs of all runs, ms. "
             "`× chainrule` = its median / the median of chainrule captured (`chainrule.compile`, "
             "what `fit` runs; above 1: chainrule is faster). "
             "`GEMM %`: matmul flops of an epoch / epoch time / GEMM peak.",
             "- SGD lr 0.05 momentum 0.9; Adam lr 1e-3. PyTorch gets the same initial weights and "
             "batches; sklearn gets the same batches (partial_fit, shuffle=False, alpha=0) but its "
             "own initialisation.",
             ""]
    idle = [res["idle_at_start"] for v in results.values() for res in v if "idle_at_start" in res]
    if idle:
        parts.append(f"- Noise: other people's processes share this machine. Each run waited "
                     f"(up to 60 s) for {args.quiet:.0%} idle CPUs; idle share seen at the starts: "
                     f"median "
                     f"{statistics.median(idle):.0%}, min {min(idle):.0%}. Load may still start "
                     "during a run: see the min–max spread.")
    dropped = sum(clean(results, k)[1] for k in results)
    total = sum(len(res["times"]) for v in results.values() for res in v)
    if args.clock == "cpu":
        parts.append("- Clock: process CPU time per epoch with one thread everywhere (OpenBLAS, "
                     "torch.set_num_threads(1), XLA without its Eigen thread pool), so time "
                     "other processes take from this one does not count (this machine is "
                     "shared). Nothing is dropped; cache and memory-bandwidth contention still "
                     "shows in the min–max spread. Not the 2-thread wall time of mlp.md (the BLAS "
                     "and torch thread lines above describe that default, not these workers).")
    else:
        parts.append(f"- Disturbed epochs are dropped and their configurations re-run (up to "
                     f"{args.max_extra} extra rounds): an epoch is disturbed when its CPU-stall "
                     f"share (/proc/pressure/cpu) exceeds {H.STALL_LIMIT:.0%} (another process "
                     f"took CPU time) or when a canary workload timed before or after it ran "
                     f"more than {H.CANARY_LIMIT}× slower than that implementation's best canary "
                     f"of the run (contention from outside this VM). Dropped: {dropped} of "
                     f"{total} epochs.")
    mode = {res.get("mode") for k, v in results.items() if k[0].startswith("chainrule")
            for res in v}
    same = all(res.get("same_batches", True) for v in results.values() for res in v)
    parts.append(f"- chainrule runner mode: {', '.join(sorted(str(m) for m in mode))}; "
                 f"same batches everywhere: {same}")
    parts.append("")
    for opt in opts:
        for b in batches:
            bi = base_impl(impls)
            base = statistics.median(times(bi, b, opt)) if bi else None
            rows = []
            for impl in impls:
                ts = times(impl, b, opt)
                med = statistics.median(ts)
                accs = [res["acc"] for res in results[(impl, b, opt)]]
                flops = results[(impl, b, opt)][0]["flops"]
                per_run = "/".join(f"{m * 1e3:.0f}" if m is not None else "-"
                                   for m in run_medians(results, (impl, b, opt)))
                rows.append([LABELS[impl], H.fmt_ms(ts), f"{med / base:.2f}" if base else "",
                             f"{statistics.median(accs):.4f}", f"{flops / med / 1e9 / peak:.1%}",
                             per_run])
            parts += [f"## {opt.upper()}, batch {b}", "",
                      H.md_table(["implementation", "epoch ms", "× chainrule", "test acc",
                                  "GEMM %", "median of each run, ms"], rows), ""]
    rows = []
    for impl in impls:
        runs = [res for b in batches for o in opts for res in results[(impl, b, o)]]
        peak_all = max(res["maxrss_kb"] for res in runs) / 1024
        peak_train = max(res["train_peak_kb"] for res in runs) / 1024
        grow = max(res["train_peak_kb"] - res["rss_start_kb"] for res in runs) / 1024
        rows.append([LABELS[impl], f"{peak_all:.0f}", f"{peak_train:.0f}", f"{grow:.1f}"])
    parts += ["## Memory (worker process, max over all configurations)", "",
              "Process peak: ru_maxrss (import and data loading included). Training peak: VmHWM "
              "reset after setup (model, optimizer, data), read after training. Growth: training "
              "peak − RSS after setup.", "",
              H.md_table(["implementation", "process peak MB", "training peak MB",
                          "growth in training MB"], rows), ""]
    if args.skipped:
        parts += ["## Skipped", "", *[f"- {s}" for s in args.skipped], ""]
    if base_impl(impls):
        parts += ["## Targets", "", *targets(results, impls, batches, opts, times), ""]
    return "\n".join(parts)


def targets(results: Any, impls: list[str], batches: list[int], opts: list[str],
            times: Any) -> list[str]:
    out = []

    def med(impl: str, b: int, opt: str) -> float:
        return statistics.median(times(impl, b, opt))

    name = LABELS[base_impl(impls) or "chainrule"]
    for opt in opts:
        for b in batches:
            c = med(base_impl(impls) or "chainrule", b, opt)
            if "torch" in impls:
                goal = 1.0 if b >= 512 else 0.8
                r = c / med("torch", b, opt)
                fastest = min(m for m in run_medians(results, ("torch", b, opt)) if m is not None)
                out.append(f"- {opt} batch {b}: {name} / PyTorch = {r:.2f} (target ≤ {goal}) "
                           f"{'met' if r <= goal else 'NOT met'}; against PyTorch's fastest run "
                           f"{c / fastest:.2f}")
            if "torch-fused" in impls:
                r = c / med("torch-fused", b, opt)
                out.append(f"- {opt} batch {b}: {name} / PyTorch fused=True = {r:.2f} "
                           "(for information; not a target)")
            if "numpy" in impls:
                r = c / med("numpy", b, opt)
                out.append(f"- {opt} batch {b}: {name} / NumPy by hand = {r:.2f} "
                           f"(target ≤ 1.0) {'met' if r <= 1.0 else 'NOT met'}")
            if "jax" in impls:
                goal = 1.0 if opt == "sgd" else 1.3
                r = c / med("jax", b, opt)
                out.append(f"- {opt} batch {b}: {name} / JAX = {r:.2f} (target ≤ {goal}) "
                           f"{'met' if r <= goal else 'NOT met'}")
            if "chainrule" in impls and name != LABELS["chainrule"]:
                r = c / med("chainrule", b, opt)
                out.append(f"- {opt} batch {b}: {name} / chainrule eager = {r:.2f} "
                           "(what capture buys)")
            for now in ("chainrule", "chainrule-captured"):
                if now in impls and now + "@before" in impls:
                    r = med(now, b, opt) / med(now + "@before", b, opt)
                    out.append(f"- {opt} batch {b}: {LABELS[now]} now / before = {r:.2f} "
                               "(must stay within noise)")
            if "sklearn64" in impls and opt == "adam":
                r = med("sklearn64", b, opt) / c
                out.append(f"- adam batch {b}: sklearn float64 / {name} = {r:.2f} "
                           f"(target ≥ 2) {'met' if r >= 2 else 'NOT met'}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", default=None, help="an .npz like /work/shared/data/mnist10k.npz")
    ap.add_argument("--quick", action="store_true", help="smoke run, about a minute")
    ap.add_argument("--rounds", type=int, default=None)
    ap.add_argument("--epochs", type=int, default=None, help="per process, warm-up included")
    ap.add_argument("--impls", default=None, help="comma list of " + ",".join(LABELS))
    ap.add_argument("--min-clean", type=int, default=None,
                    help="undisturbed epochs wanted per configuration (default 8; 1 with --quick)")
    ap.add_argument("--max-extra", type=int, default=None,
                    help="extra rounds for configurations lacking them (default 4; 1 with --quick)")
    ap.add_argument("--batches", default="32,128,512")
    ap.add_argument("--opts", default="sgd,adam")
    ap.add_argument("--quiet", type=float, default=None,
                    help="wait (up to 60 s) for this idle share of the CPUs before each run "
                         "(default 0.8; 0 with --quick)")
    ap.add_argument("--no-write", action="store_true", help="print the table, write no file")
    ap.add_argument("--before", default=None, metavar="CHECKOUT",
                    help="another checkout (git worktree add /tmp/b4 REV); the impls "
                         "chainrule@before and chainrule-captured@before run its src, in the "
                         "same alternating rounds, for before/after ratios")
    ap.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                    help="cpu: one thread everywhere and process CPU time per epoch (for a busy "
                         "machine: other processes do not count; results in mlp-cpu.md)")
    args = ap.parse_args()
    if args.quiet is None:
        args.quiet = 0.0 if args.quick else 0.8
    if args.rounds is None:
        args.rounds = 1 if args.quick else 3
    if args.epochs is None:
        args.epochs = 2 if args.quick else 6
    args.eval_after = min(5, args.epochs)
    if args.min_clean is None:
        args.min_clean = 1 if args.quick else 8
    if args.max_extra is None:
        args.max_extra = 1 if args.quick else 4
    impls = (args.impls.split(",") if args.impls else
             ["chainrule-captured", "chainrule", "torch", "numpy", "jax"] if args.quick
             else [k for k in LABELS if not k.endswith("@before")])
    args.skipped = []
    if any(i.endswith("@before") for i in impls) and not args.before:
        ap.error("the @before implementations need --before CHECKOUT")
    if "jax" in impls:
        import importlib.util
        missing = [m for m in ("jax", "optax") if importlib.util.find_spec(m) is None]
        if missing:
            impls.remove("jax")
            args.skipped.append(f"JAX: {', '.join(missing)} not installed (pip install jax "
                                "jaxlib optax); an optional peer")
    batches = [int(b) for b in args.batches.split(",")]
    opts = args.opts.split(",")
    t0 = time.perf_counter()
    wall = args.clock == "wall"  # a GEMM peak in wall time means nothing on a busy machine
    gemm = [H.gemm_gflops()] if wall else []
    results = run_all(args, impls, batches, opts, gemm)
    if wall:
        gemm.append(H.gemm_gflops())
    peak = max(v for g in gemm for v in g.values()) if gemm else float("nan")
    text = report(args, results, impls, batches, opts, peak, gemm, time.perf_counter() - t0)
    print(text)
    if not args.no_write:
        print("wrote", H.write_result("mlp" if args.clock == "wall" else "mlp-cpu", text,
                                      args.quick))


if __name__ == "__main__":
    main()
