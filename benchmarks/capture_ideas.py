"""What each part of the captured step buys (µs per step, one BLAS thread, thread CPU time).

    python benchmarks/capture_ideas.py [--quick]

Rows: the eager step; the captured step with every op replaying its own forward/backward
(fresh arrays: capture without ``out=``); with the replay rules but ReLU in its own buffer
(``out=`` buffers, gradients written into the flat buffer, no fused activation); everything
(ReLU in place on the Linear output: the fused Linear+ReLU forward). Writes
results/capture_ideas.md. Best of repeats of thread CPU time, robust to other load.
"""
from __future__ import annotations

import argparse
import sys
import time
import timeit
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _harness as H  # noqa: E402

VARIANTS = ("eager", "captured, generic replay (fresh arrays)",
            "captured, rules, ReLU not fused", "captured, rules + fused Linear+ReLU")


def _measure(batch: int, opt: str, quick: bool) -> dict[str, float]:
    import numpy as np
    from threadpoolctl import threadpool_limits

    import _data
    import chainrule as cr
    from chainrule._compile import _rules
    x_all, y_all, _, _ = _data.load(None, 0)
    params = _data.init_params(_data.layer_sizes([256, 128]), 0)
    n = max(10, 4000 // batch // (4 if quick else 1))
    rng = np.random.default_rng(0)
    batches = [(cr.from_numpy(x_all[i]), cr.from_numpy(y_all[i]))
                for i in (rng.integers(0, len(x_all), batch) for _ in range(n))]
    out: dict[str, float] = {}
    for v, name in enumerate(VARIANTS):
        _rules.ENABLED = v != 1
        _rules.FUSE_ACTIVATION = v == 3
        layers: list[Any] = []
        for i, (w, b) in enumerate(params):
            lin = cr.nn.Linear(w.shape[1], w.shape[0])
            with cr.no_grad():
                lin.weight.copy_(w)
                lin.bias.copy_(b)
            layers += [lin, cr.nn.ReLU()] if i < len(params) - 1 else [lin]
        model = cr.nn.Sequential(*layers)
        loss_fn = cr.nn.CrossEntropyLoss()
        o = (cr.optim.SGD(model.parameters(), lr=1e-4, momentum=0.9) if opt == "sgd"
             else cr.optim.Adam(model.parameters(), lr=1e-5))

        def step(xb: Any, yb: Any, o: Any = o, model: Any = model,
                 loss_fn: Any = loss_fn) -> None:
            o.zero_grad()
            loss_fn(model(xb), yb).backward()
            o.step()
        fn = step if v == 0 else cr.compile(step, fullgraph=True)

        def epoch(fn: Any = fn) -> None:
            for xb, yb in batches:
                fn(xb, yb)
        with threadpool_limits(1):
            epoch()
            best = min(timeit.repeat(epoch, number=1, repeat=3 if quick else 7,
                                     timer=time.thread_time))
        out[name] = best / n * 1e6
    _rules.ENABLED = _rules.FUSE_ACTIVATION = True
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    import json
    parts = ["# What capture buys, part by part (µs per step)", "",
             H.machine_description("One BLAS thread in the worker."),
             "- MLP 784-256-128-10, synthetic MNIST-shaped data, thread CPU time (robust to other "
             "load on this shared machine), best of repeats over a fixed set of batches.", ""]
    rows = []
    for opt in ("sgd", "adam"):
        for batch in (32, 128, 512):
            res = H.run_worker([__file__, "--worker", str(batch), opt, str(int(args.quick))],
                               timeout=900)
            print(opt, batch, json.dumps(res), flush=True)
            base = res[VARIANTS[0]]
            rows.append([f"{opt} {batch}", *(f"{res[k]:.0f} ({res[k] / base:.2f})"
                                               for k in VARIANTS)])
    parts += [H.md_table(["optimizer, batch", *VARIANTS], rows), "",
              "Each cell: µs per step (ratio to eager)."]
    text = "\n".join(parts)
    print(text)
    if not args.no_write:
        print("wrote", H.write_result("capture_ideas", text, args.quick))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        import json
        print(json.dumps(_measure(int(sys.argv[2]), sys.argv[3], sys.argv[4] == "1")))
    else:
        main()
