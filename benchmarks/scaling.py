"""How the epoch time and peak memory grow with width, depth and batch size, beside PyTorch
(and the hand-written NumPy reference). SGD (lr 0.05, momentum 0.9), ReLU MLPs on 784 inputs.

    python benchmarks/scaling.py [--data PATH.npz] [--quick]

Each configuration is a fresh process under ``/usr/bin/time -v`` (peak RSS; ru_maxrss when
that is absent), alternating implementations. Writes results/scaling.md.
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

IMPLS = ("chainrule-captured", "chainrule", "torch", "numpy")


def sweeps(quick: bool) -> dict[str, list[tuple[str, list[int], int]]]:
    """name -> [(label, hidden sizes, batch)]."""
    widths = (64, 256, 1024) if quick else (64, 128, 256, 512, 1024, 2048)
    depths = (1, 4) if quick else (1, 2, 4, 8)
    batches = (32, 512) if quick else (16, 32, 64, 128, 256, 512, 1024)
    return {
        "width (2 hidden layers of the width, batch 128)":
            [(str(w), [w, w], 128) for w in widths],
        "depth (hidden layers of 256, batch 128)": [(str(d), [256] * d, 128) for d in depths],
        "batch size (784-256-128-10)": [(str(b), [256, 128], b) for b in batches],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", default=None)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--rounds", type=int, default=None)
    ap.add_argument("--epochs", type=int, default=None, help="per process, warm-up included")
    ap.add_argument("--quiet", type=float, default=None,
                    help="wait (up to 60 s) for this idle share of the CPUs before each run "
                         "(default 0.8; 0 with --quick)")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                    help="cpu: one thread and process CPU time (busy machine; scaling-cpu.md)")
    args = ap.parse_args()
    if args.quiet is None:
        args.quiet = 0.0 if args.quick else 0.8
    rounds = args.rounds or (1 if args.quick else 3)
    epochs = args.epochs or (2 if args.quick else 3)
    n_train = 2000 if args.quick else 0
    t0 = time.perf_counter()
    worker = str(H.HERE / "_worker.py")
    res: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    plan = sweeps(args.quick)
    def run(sweep: str, label: str, hidden: list[int], batch: int, impl: str) -> None:
        argv = [worker, "--impl", impl, "--hidden", ",".join(map(str, hidden)),
                "--batch", str(batch), "--opt", "sgd", "--epochs", str(epochs),
                "--eval-after", str(epochs), "--n-train", str(n_train), "--clock", args.clock]
        if args.data:
            argv += ["--data", args.data]
        out = H.run_worker(argv, time_v=True, quiet=args.quiet)
        res.setdefault((sweep, label, impl), []).append(out)
        kept, dropped = H.clean_times([out])
        med = statistics.median(kept) * 1e3 if kept else float("nan")
        print(f"{sweep[:10]} {label:5s} {impl:10s} {med:8.1f} ms ({dropped} disturbed)",
              flush=True)

    for r in range(rounds):
        order = IMPLS if r % 2 == 0 else IMPLS[::-1]
        for sweep, configs in plan.items():
            for label, hidden, batch in configs:
                for impl in order:
                    run(sweep, label, hidden, batch, impl)
    def clean(key: tuple[str, str, str]) -> list[float]:
        best = H.best_canary(o for k, v in res.items() if k[2] == key[2] for o in v)
        return H.clean_times(res[key], best)[0]

    need = 1 if args.quick else 3
    for _ in range(3):  # configurations with too few undisturbed epochs
        todo = [(sw, lb, h, b, i) for sw, cs in plan.items() for lb, h, b in cs for i in IMPLS
                if len(clean((sw, lb, i))) < need]
        for job in todo:
            run(*job)
    parts = ["# Scaling: epoch time and peak memory", "",
             H.machine_description("Workers run without OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE."),
             f"- {'2,000' if n_train else '8,000'} training images "
             f"({args.data or 'synthetic'}), SGD; {rounds} round(s) × {epochs} epochs per process "
             "(first is warm-up). Epoch ms = median over the timed epochs no other process "
             f"disturbed (CPU-stall share ≤ {H.STALL_LIMIT:.0%} from /proc/pressure/cpu, canaries "
             f"around the epoch within {H.CANARY_LIMIT}× of the best). Peak RSS "
             "from "
             "`/usr/bin/time -v` (whole process, import included; ru_maxrss without it); growth = "
             "peak − RSS after setup.",
             "- chainrule: the captured step (`chainrule.compile`, what `fit` runs); eager beside"
             " it." + (" Clock: process CPU time, one thread everywhere (other processes on this "
                       "shared machine do not count; nothing dropped)." if args.clock == "cpu"
                       else ""), ""]
    for sweep, configs in plan.items():
        rows = []
        for label, _, _ in configs:
            med = {i: statistics.median(clean((sweep, label, i)) or
                                        [t for o in res[(sweep, label, i)] for t in o["times"]])
                   for i in IMPLS}
            mem = {i: max(o.get("maxrss_kb_time", o["maxrss_kb"]) for o in res[(sweep, label, i)])
                   / 1024 for i in IMPLS}
            grow = {i: max(o["train_peak_kb"] - o["rss_start_kb"] for o in res[(sweep, label, i)])
                    / 1024 for i in IMPLS}
            c = med["chainrule-captured"]
            rows.append([label, *(f"{med[i] * 1e3:.1f}" for i in IMPLS),
                         f"{c / med['torch']:.2f}", f"{c / med['numpy']:.2f}",
                         *(f"{mem[i]:.0f} / {grow[i]:.0f}" for i in IMPLS)])
        parts += [f"## {sweep}", "", H.md_table(
            [sweep.split(" (")[0], "captured ms", "eager ms", "PyTorch ms", "NumPy ms",
             "captured / PyTorch", "captured / NumPy", "captured MB (peak / growth)",
             "eager MB", "PyTorch MB", "NumPy MB"], rows), ""]
    parts.append(f"Total wall time {time.perf_counter() - t0:.0f} s.")
    text = "\n".join(parts) + "\n"
    print(text)
    if not args.no_write:
        print("wrote", H.write_result("scaling" if args.clock == "wall" else "scaling-cpu", text,
                                      args.quick))


if __name__ == "__main__":
    main()
