"""Where a training step's time goes: chainrule (public API) beside the hand-written NumPy step.

    python benchmarks/breakdown.py [--batches 4,32,128,512] [--quick]

Phases per step: batch gathering, forward, loss, backward, optimizer step (SGD momentum and
Adam). Measured with one BLAS thread and the thread's CPU time (``time.thread_time``), so
other processes on a busy machine barely move the numbers; best of several repeats. Width
784-256-128-10 (and a tiny 16-8-8-10 net with batch 4 for the fixed per-step cost).
Writes results/breakdown.md.
"""
from __future__ import annotations

import argparse
import sys
import time
import timeit
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _harness as H  # noqa: E402

PHASES = ("gather", "forward", "loss", "backward", "sgd step", "adam step", "total sgd",
          "total adam", "total sgd captured", "total adam captured")


def _best(fn: Callable[[], Any], number: int, repeat: int) -> float:
    fn()
    return min(timeit.repeat(fn, number=number, repeat=repeat, timer=time.thread_time)) \
        / number * 1e6


def _chainrule(x: Any, y: Any, sizes: list[int], batch: int, n: int, r: int) -> dict[str, float]:
    import numpy as np

    import chainrule as cr
    from chainrule import data, nn, optim
    layers: list[Any] = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    model = nn.Sequential(*layers)
    loss_fn = nn.CrossEntropyLoss()
    params = list(model.parameters())
    loader = data.DataLoader(data.TensorDataset(x, y), batch_size=batch, shuffle=True,
                             generator=cr.Generator(0))
    it = iter(loader)

    def gather() -> None:
        nonlocal it
        try:
            next(it)
        except StopIteration:
            it = iter(loader)

    xb, yb = cr.from_numpy(x[:batch]), cr.from_numpy(y[:batch])
    out = model(xb)
    res = {"gather": _best(gather, n, r), "forward": _best(lambda: model(xb), n, r),
           "loss": _best(lambda: loss_fn(out, yb), n, r)}

    def fwd_loss() -> None:
        for p in params:
            p.grad = None
        loss_fn(model(xb), yb)

    def fwd_loss_bwd() -> None:
        for p in params:
            p.grad = None
        loss_fn(model(xb), yb).backward()

    res["backward"] = _best(fwd_loss_bwd, n, r) - _best(fwd_loss, n, r)
    for name, opt in (("sgd", optim.SGD(params, lr=1e-9, momentum=0.9)),
                      ("adam", optim.Adam(params, lr=1e-9))):
        fwd_loss_bwd()
        res[f"{name} step"] = _best(opt.step, n, r)

    sgd = optim.SGD(params, lr=1e-9, momentum=0.9)

    def total() -> None:
        gather()
        sgd.zero_grad()
        loss_fn(model(xb), yb).backward()
        sgd.step()
    res["total sgd"] = _best(total, n, r)
    adam = optim.Adam(params, lr=1e-9)

    def total_adam() -> None:
        gather()
        adam.zero_grad()
        loss_fn(model(xb), yb).backward()
        adam.step()
    res["total adam"] = _best(total_adam, n, r)
    for name, o in (("sgd", sgd), ("adam", adam)):  # chainrule.compile: the captured step
        def step(xb: Any, yb: Any, o: Any = o) -> None:
            o.zero_grad()
            loss_fn(model(xb), yb).backward()
            o.step()
        captured = cr.compile(step, fullgraph=True)

        def total_captured(captured: Any = captured) -> None:
            gather()
            captured(xb, yb)
        res[f"total {name} captured"] = _best(total_captured, n, r)
    del np
    return res


def _numpy(x: Any, y: Any, sizes: list[int], batch: int, n: int, r: int) -> dict[str, float]:
    import numpy as np

    import _data
    from _run_numpy import Runner
    params = _data.init_params(sizes)
    runs = {o: Runner(params, o, _data.OPTIMIZERS[o], batch, x, y) for o in ("sgd", "adam")}
    ref = runs["sgd"]
    perm = np.random.default_rng(1).permutation(len(x))  # random rows, as the DataLoader's
    pos = 0

    def next_idx() -> np.ndarray:
        nonlocal pos
        if pos + batch > len(perm):
            pos = 0
        pos += batch
        return perm[pos - batch:pos]
    xb, yb = x[:batch], y[:batch]
    ref.step(xb, yb)
    acts, dacts, red, rows = ref._buffers(batch)
    L = len(ref.W)

    def forward() -> None:
        h = xb
        for i in range(L):
            np.matmul(h, ref.W[i].T, out=acts[i])
            acts[i] += ref.b[i]
            if i < L - 1:
                np.maximum(acts[i], 0, out=acts[i])
            h = acts[i]

    def loss() -> None:  # softmax cross-entropy and its gradient, as in Runner.step
        z = acts[-1]
        np.max(z, axis=1, keepdims=True, out=red)
        z -= red
        np.exp(z, out=z)
        np.sum(z, axis=1, keepdims=True, out=red)
        np.multiply(red, batch, out=red)
        z /= red
        z[rows, yb] -= 1.0 / batch

    def backward() -> None:
        g = acts[-1]
        for i in range(L - 1, -1, -1):
            inp = acts[i - 1] if i > 0 else xb
            np.matmul(g.T, inp, out=ref.gW[i])
            np.sum(g, axis=0, out=ref.gb[i])
            if i > 0:
                np.matmul(g, ref.W[i], out=dacts[i - 1])
                dacts[i - 1] *= inp > 0
                g = dacts[i - 1]

    def total() -> None:
        idx = next_idx()
        ref.step(x.take(idx, axis=0), y.take(idx))

    def total_adam() -> None:
        idx = next_idx()
        runs["adam"].step(x.take(idx, axis=0), y.take(idx))

    runs["adam"].step(xb, yb)
    def gather() -> None:
        idx = next_idx()
        x.take(idx, axis=0), y.take(idx)

    return {"gather": _best(gather, n, r),
            "forward": _best(forward, n, r), "loss": _best(loss, n, r),
            "backward": _best(backward, n, r), "sgd step": _best(ref._update, n, r),
            "adam step": _best(runs["adam"]._update, n, r), "total sgd": _best(total, n, r),
            "total adam": _best(total_adam, n, r)}


def _measure(batch: int, tiny: bool, quick: bool) -> dict[str, dict[str, float]]:
    import numpy as np
    from threadpoolctl import threadpool_limits
    rng = np.random.default_rng(0)
    n_in = 16 if tiny else 784
    sizes = [16, 8, 8, 10] if tiny else [784, 256, 128, 10]
    x = rng.random((8000, n_in), dtype=np.float32)
    y = rng.integers(0, 10, 8000)
    n = max(5, (2000 if tiny else 20000) // batch // (4 if quick else 1))
    r = 3 if quick else 7
    with threadpool_limits(1):
        return {"chainrule": _chainrule(x, y, sizes, batch, n, r),
                "numpy": _numpy(x, y, sizes, batch, n, r)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--batches", default="32,128,512")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    configs = [("16-8-8-10, batch 4 (fixed cost)", 4, True)] + [
        (f"784-256-128-10, batch {b}", int(b), False) for b in args.batches.split(",")]
    parts = ["# Where a training step's time goes (µs per step)", "",
             H.machine_description("Run without OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE when "
                                   "started through the harness; see the BLAS line."),
             "- One BLAS thread, thread CPU time (`time.thread_time`), best of repeats: "
             "robust to other load on the machine, but not the 2-thread wall time of mlp.py.",
             "- chainrule: nn.Sequential/Linear/ReLU, nn.CrossEntropyLoss, optim.SGD/Adam, "
             "DataLoader (its gather includes the per-epoch shuffle of 8,000 rows, amortised). "
             "NumPy: the hand-written reference of mlp.py (out= buffers, per-parameter in-place "
             "updates). `total sgd`: gather + zero_grad + forward + loss + backward + "
             "SGD step, measured as one; `captured`: the same step under chainrule.compile "
             "(beside the same NumPy total).", ""]
    import json
    for label, batch, tiny in configs:
        res = H.run_worker([__file__, "--worker", str(batch), str(int(tiny)),
                            str(int(args.quick))], timeout=900)
        ref = {p: res["numpy"][p.replace(" captured", "")] for p in PHASES}
        rows = [[p, f"{res['chainrule'][p]:.1f}", f"{ref[p]:.1f}",
                 f"{res['chainrule'][p] - ref[p]:+.1f}"] for p in PHASES]
        parts += [f"## {label}", "", H.md_table(["phase", "chainrule", "NumPy by hand",
                                                 "difference"], rows), ""]
        print(label, json.dumps(res), flush=True)
    text = "\n".join(parts)
    print(text)
    if not args.no_write:
        print("wrote", H.write_result("breakdown", text, args.quick))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        import json
        print(json.dumps(_measure(int(sys.argv[2]), sys.argv[3] == "1", sys.argv[4] == "1")))
    else:
        main()
