"""chainrule.sklearn's MLP beside scikit-learn's, same hyperparameters, in one run.

MNIST digits (../shared/data/mnist10k.npz: 8,000 train / 2,000 test) given as
float64 and as float32, and a synthetic regression table (20,000 × 40,
standardised) given as float64: hidden (256, 128), adam, batch 200, 20
epochs, tol 0, n_iter_no_change 20, random_state 0 for both. Each fit and
predict is timed ``--repeats`` times, alternating the two libraries, in two
ways: CPU time of the calling thread with BLAS limited to one thread (robust
on a shared machine: other processes do not inflate it) and wall time with
BLAS's default threads. The minimum over repeats is reported (the least
disturbed run); the score is the same for every repeat of a configuration.

Usage: python benchmarks/sklearn_mlp.py [--data PATH] [--repeats 3] [--out FILE.md]
"""
from __future__ import annotations

import argparse
import platform
import subprocess
import time
import warnings
from typing import Any

import numpy as np

HYPER = dict(hidden_layer_sizes=(256, 128), solver="adam", batch_size=200, max_iter=20, tol=0.0,
             n_iter_no_change=20, random_state=0)


def _cpu() -> str:
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        fields = dict(line.split(":", 1) for line in out.splitlines() if ":" in line)
        return f"{fields['Model name'].strip()}, {fields['CPU(s)'].strip()} CPUs"
    except (OSError, KeyError, subprocess.CalledProcessError):
        return platform.processor() or "unknown CPU"


def _mnist(path: str) -> tuple[np.ndarray, ...]:
    with np.load(path, allow_pickle=False) as z:
        X, y, tr, te = z["X"], z["y"], z["train_idx"], z["test_idx"]
    return X[tr], y[tr], X[te], y[te]


def _table(seed: int = 0) -> tuple[np.ndarray, ...]:
    from sklearn.datasets import make_regression
    X, y = make_regression(25000, 40, n_informative=30, noise=5.0, random_state=seed)
    y = np.tanh(y / y.std()) + 0.1 * (X[:, 0] * X[:, 1])  # some nonlinearity
    X = (X - X.mean(0)) / X.std(0)
    return X[:20000], y[:20000], X[20000:], y[20000:]


def _time(est: Any, X: np.ndarray, y: np.ndarray, Xt: np.ndarray, yt: np.ndarray,
          cpu: bool) -> tuple[float, float, float]:
    import contextlib

    from threadpoolctl import threadpool_limits
    clock = time.thread_time if cpu else time.perf_counter
    limit = threadpool_limits(1) if cpu else contextlib.nullcontext()
    with warnings.catch_warnings(), limit:
        warnings.simplefilter("ignore")
        t0 = clock()
        est.fit(X, y)
        fit = clock() - t0
        pred = np.inf
        for _ in range(5):  # predict takes milliseconds: the best of 5 calls
            t0 = clock()
            est.predict(Xt)
            pred = min(pred, clock() - t0)
    return fit, pred, float(est.score(Xt, yt))


def gemm_floor(X: np.ndarray, n_out: int, epochs: int = 20, batch: int = 200) -> float:
    """CPU seconds (1 BLAS thread) of the matrix products alone of ``epochs`` epochs of the
    (256, 128) MLP: 3 forward, 3 weight-gradient and 2 input-gradient GEMMs per batch, the
    work both libraries must do whatever else they spend."""
    from threadpoolctl import threadpool_limits
    rng = np.random.default_rng(0)
    units = [X.shape[1], 256, 128, n_out]
    W = [rng.normal(size=(a, b)).astype(X.dtype) for a, b in zip(units[:-1], units[1:])]
    gW = [np.empty_like(w) for w in W]
    with threadpool_limits(1):
        t0 = time.thread_time()
        for _ in range(epochs):
            for s in range(0, len(X), batch):
                a = [X[s:s + batch]]
                for w in W:
                    a.append(a[-1] @ w)
                d = a[-1]
                for i in (2, 1, 0):
                    np.matmul(a[i].T, d, out=gW[i])
                    if i:
                        d = d @ W[i].T
        return time.thread_time() - t0


def run(data: str, repeats: int, clocks: tuple[str, ...] = ("cpu", "wall")
        ) -> list[dict[str, Any]]:
    from sklearn import neural_network as sk

    from chainrule import sklearn as cr
    Xtr, ytr, Xte, yte = _mnist(data)
    cases = [("MNIST float64", "Classifier", Xtr.astype(np.float64), ytr, Xte.astype(np.float64),
              yte),
             ("MNIST float32", "Classifier", Xtr.astype(np.float32), ytr, Xte.astype(np.float32),
              yte),
             ("table float64", "Regressor", *_table())]
    rows = []
    for name, kind, X, y, Xt, yt in cases:
        for cpu in [c == "cpu" for c in clocks]:
            best: dict[str, list[float]] = {}
            for _ in range(repeats):
                for lib, mod in (("scikit-learn", sk), ("chainrule", cr)):
                    est = getattr(mod, f"MLP{kind}")(**HYPER)
                    fit, pred, score = _time(est, X, y, Xt, yt, cpu)
                    b = best.setdefault(lib, [np.inf, np.inf, score])
                    b[0], b[1], b[2] = min(b[0], fit), min(b[1], pred), score
            s, c = best["scikit-learn"], best["chainrule"]
            floor = min(gemm_floor(X, 1 if kind == "Regressor" else 10)
                        for _ in range(repeats)) if cpu else float("nan")
            rows.append(dict(case=name, floor=floor, clock="CPU, 1 BLAS thread" if cpu else
                             "wall, default threads",
                             metric="accuracy" if kind == "Classifier" else "R²",
                             sk_fit=s[0], cr_fit=c[0], sk_pred=s[1], cr_pred=c[1],
                             sk_score=s[2], cr_score=c[2]))
            print(rows[-1], flush=True)
    return rows


def table(rows: list[dict[str, Any]], repeats: int) -> str:
    lines = [f"CPU: {_cpu()}; minimum of {repeats} runs each (shared machine), one process.", "",
             "| data | clock | fit sklearn (s) | fit chainrule (s) | fit speed-up | GEMM floor (s) "
             "| predict sklearn (ms) | predict chainrule (ms) | score sklearn | score chainrule |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['case']} | {r['clock']} | {r['sk_fit']:.2f} | {r['cr_fit']:.2f} | "
                     f"{r['sk_fit'] / r['cr_fit']:.2f}× | {r['floor']:.2f} | "
                     f"{1e3 * r['sk_pred']:.1f} | "
                     f"{1e3 * r['cr_pred']:.1f} | {r['sk_score']:.4f} ({r['metric']}) | "
                     f"{r['cr_score']:.4f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data/mnist10k.npz")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", default=None)
    parser.add_argument("--clocks", default="cpu,wall",
                        help="cpu (thread CPU time, 1 BLAS thread), wall (default threads)")
    args = parser.parse_args()
    clocks = tuple(c for c in args.clocks.split(",") if c in ("cpu", "wall"))
    text = table(run(args.data, args.repeats, clocks), args.repeats)
    print(text)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    main()
