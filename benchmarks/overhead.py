"""Per-node overhead of tiny ops, chainrule beside PyTorch (4×4 float32 tensors).

    python benchmarks/overhead.py [--quick]

Cases: ``(a*b).sum()`` (2 nodes) and a 10-op chain (mul, add, tanh, mul, sub, sigmoid, mul,
add, relu, sum), each forward only and forward + backward. Each (framework, round) is a fresh
process; rounds alternate A B A B. Median µs per call; writes results/overhead.md.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _harness as H  # noqa: E402

CASES = ("mul_sum", "chain10")
NODES = {"mul_sum": 2, "chain10": 10}


def _chain(a: Any, b: Any) -> Any:
    t = a * b
    t = t + a
    t = t.tanh()
    t = t * b
    t = t - a
    t = t.sigmoid()
    t = t * 2.0
    t = t + b
    t = t.relu()
    return t.sum()


def _cases(fw: str) -> dict[str, Callable[[], Any]]:
    import numpy as np
    rng = np.random.default_rng(0)
    an, bn = rng.standard_normal((2, 4, 4), dtype=np.float32)
    if fw == "torch":
        import torch
        torch.set_num_threads(H.blas_threads())
        a = torch.tensor(an, requires_grad=True)
        b = torch.tensor(bn, requires_grad=True)
        no_grad: Any = torch.no_grad
    else:
        import chainrule as cr
        a = cr.tensor(an, requires_grad=True)
        b = cr.tensor(bn, requires_grad=True)
        no_grad = cr.no_grad

    def fwd_mul() -> Any:
        return (a * b).sum()

    def bwd_mul() -> None:
        (a * b).sum().backward()

    def fwd_chain() -> Any:
        return _chain(a, b)

    def bwd_chain() -> None:
        _chain(a, b).backward()

    def nograd_chain() -> Any:
        with no_grad():
            return _chain(a, b)

    return {"mul_sum forward": fwd_mul, "mul_sum forward+backward": bwd_mul,
            "chain10 forward": fwd_chain, "chain10 forward+backward": bwd_chain,
            "chain10 forward, no_grad": nograd_chain}


def _measure(fw: str, seconds: float) -> dict[str, float]:
    """Median µs per call over blocks of calls (after a warm-up)."""
    out = {}
    for name, fn in _cases(fw).items():
        for _ in range(200):
            fn()
        n = 200
        blocks: list[float] = []
        start = time.perf_counter()
        end = start + seconds
        while len(blocks) < 5 or (time.perf_counter() < end and len(blocks) < 10_000):
            s0 = H.cpu_stall_us()
            t = time.perf_counter()
            for _ in range(n):
                fn()
            dt = time.perf_counter() - t
            s1 = H.cpu_stall_us()
            disturbed = s0 is not None and s1 is not None and (s1 - s0) / 1e6 > H.STALL_LIMIT * dt
            if not disturbed or time.perf_counter() > start + 10 * seconds:
                blocks.append(dt / n * 1e6)
        out[name] = statistics.median(blocks)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--rounds", type=int, default=None)
    ap.add_argument("--seconds", type=float, default=None, help="per case per process")
    ap.add_argument("--quiet", type=float, default=None,
                    help="wait (up to 60 s) for this idle share of the CPUs before each run "
                         "(default 0.8; 0 with --quick)")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--before", default=None, metavar="CHECKOUT",
                    help="another checkout (git worktree add /tmp/b4 REV): its chainrule runs "
                         "too, alternating, and the table gains a now / before column")
    ap.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.quiet is None:
        args.quiet = 0.0 if args.quick else 0.8
    seconds = args.seconds or (0.2 if args.quick else 1.0)
    if args.worker:
        print(json.dumps(_measure(args.worker, seconds)))
        return
    rounds = args.rounds or (2 if args.quick else 5)
    fws = ["chainrule", "torch"] + (["chainrule@before"] if args.before else [])
    res: dict[str, list[dict[str, float]]] = {fw: [] for fw in fws}
    for r in range(rounds):
        for fw in (fws if r % 2 == 0 else fws[::-1]):
            src = str(Path(args.before) / "src") if fw.endswith("@before") else None
            res[fw].append(H.run_worker([__file__, "--worker", fw.removesuffix("@before"),
                                         "--seconds", str(seconds)], quiet=args.quiet, src=src))
    rows = []
    for name in (k for k in res["chainrule"][0] if k != "idle_at_start"):
        c = statistics.median(x[name] for x in res["chainrule"])
        t = statistics.median(x[name] for x in res["torch"])
        nodes = NODES[name.split()[0]]
        row = [name, f"{c:.1f}", f"{t:.1f}", f"{c / t:.2f}", f"{c / nodes:.2f}", f"{t / nodes:.2f}"]
        if args.before:
            before = statistics.median(x[name] for x in res["chainrule@before"])
            row.append(f"{c / before:.2f}")
        rows.append(row)
    mb = statistics.median(x["mul_sum forward+backward"] for x in res["chainrule"])
    text = "\n".join([
        "# Per-node overhead on 4×4 float32 tensors", "",
        H.machine_description("Workers run without OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE."),
        f"- {rounds} rounds, each a fresh process per framework (alternating), {seconds} s per "
        "case per process; value = median over rounds of the median µs per call over blocks of 200 "
        f"calls; blocks with a CPU-stall share above {H.STALL_LIMIT:.0%} (another process ran) "
        "are dropped.", "",
        (f"- before: chainrule of {args.before} (same rounds, alternating)\n" if args.before
         else "")
        + H.md_table(["case", "chainrule µs", "PyTorch µs", "chainrule / PyTorch",
                      "chainrule µs/node", "PyTorch µs/node"]
                     + (["now / before"] if args.before else []), rows), "",
        f"Target (issue 15) `(a*b).sum().backward()` ≤ 8 µs: {mb:.1f} µs, "
        f"{'met' if mb <= 8 else 'NOT met'}.", ""])
    print(text)
    if not args.no_write:
        print("wrote", H.write_result("overhead", text, args.quick))


if __name__ == "__main__":
    main()
