"""chainrule's `train` defaults against scikit-learn's MLP defaults on real tables.

Each dataset is written as CSV (train / held-out test, the same split for
both), with a text column and 3 % missing cells added (seeded) to the
scikit-learn toy sets. chainrule runs its command line with default options
(``chainrule train --data train.csv --target target``), scikit-learn a Pipeline
(SimpleImputer + StandardScaler for numbers, SimpleImputer + OneHotEncoder for
text) with ``MLPClassifier()`` / ``MLPRegressor()`` defaults, and ordinary least
squares for regression. Held-out accuracy or R², and train time (the minimum of
``--repeats`` runs: the machine is shared; one BLAS thread each) are printed as a
Markdown table. chainrule is timed three ways in the same run: the whole command
in a fresh process (``python -m chainrule train ...``: interpreter start, imports
from compiled bytecode, reading the CSV, preprocessing, training, checkpoint and
run folder), the same command in-process (``chainrule.cli.main``, imports already
done), and the Python API in-process (``tabular.job.prepare`` on the training
DataFrame, then ``train.fit`` with the command's early stopping: no files), which is
what compares with scikit-learn's ``Pipeline.fit`` on a DataFrame already in memory.
``--clock cpu`` times CPU (user + system, a fresh process's included) instead of wall
time: on a machine shared by many, wall times of the same run move by 2-10x.

    python benchmarks/tabular.py [--repeats 3] [--only iris,wine] [--clock cpu] [--out FILE]

The CSV load measurement (``--load-mb 50``, or ``benchmarks/tabular_load.py``) writes
a numeric CSV of that size (and its .gz and Parquet copies) and reads each with
``read_frame`` and with pandas in fresh processes, alternated: the fastest time of
the repeats, and the peak resident size above the size after imports against the
float32 array's bytes (see ``tabular_load.py``).
"""
from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one BLAS thread for both: the machine is shared

import numpy as np  # noqa: E402

from _tabular_data import _score, _sklearn, datasets  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CLOCK = "wall"  # or "cpu": this process's CPU time plus its children's (--clock cpu)


def _now() -> float:
    """Seconds on the chosen clock: wall time, or CPU time (user + system) of this process and
    its finished children, which a busy shared machine inflates far less."""
    if CLOCK == "wall":
        return time.perf_counter()
    import resource
    me, kids = resource.getrusage(resource.RUSAGE_SELF), \
        resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _command_env(tmp: str) -> dict[str, str]:
    """A fresh process as a user's: bytecode cached (here under ``tmp``, not in the tree)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = os.path.join(tmp, "pycache")
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    return env


def run_chainrule(task: str, train_csv: str, test_csv: str, out: str, extra: list[str],
                  env: dict[str, str] | None = None) -> tuple[float, float]:
    """``chainrule train`` with its defaults, in a fresh process (``env``) or in this one."""
    import subprocess

    from chainrule.cli import main
    from chainrule.tabular.run import load_run
    from chainrule.tabular.table import encode_labels, read_table
    args = ["train", "--data", train_csv, "--target", "target", "--out", out, "--verbose", "0",
            "--no-figures", *extra]
    t0 = _now()
    if env is not None:
        code = subprocess.run([sys.executable, "-m", "chainrule", *args], env=env,
                              stdout=subprocess.DEVNULL).returncode
    else:
        with contextlib.redirect_stdout(io.StringIO()):
            code = main(args)
    seconds = _now() - t0
    if code != 0:
        raise RuntimeError(f"chainrule train failed with exit code {code}")
    run = load_run(out)
    cols, y, frame = read_table(test_csv, run.input_names, "target")
    pred, _ = run.predict(cols)
    if task == "regression":
        return _score(task, np.asarray(y, np.float64), pred), seconds
    truth = encode_labels(y, frame, run.task, run.class_names, test_csv)
    return _score(task, truth, pred), seconds


def run_chainrule_api(task: str, df, tr, te, extra: list[str]) -> tuple[float, float]:
    """The command's read + preprocess + fit through the Python API, on the DataFrame in
    memory (as scikit-learn's ``fit``): ``prepare`` then ``fit`` with the command's early
    stopping; no run folder, no checkpoint."""
    from chainrule.tabular.job import make_settings, prepare
    from chainrule.tabular.recipe import metric_names
    from chainrule.tabular.run import outputs_to_predictions
    from chainrule.tabular.table import encode_labels
    from chainrule.train import EarlyStopping, fit, predict
    if extra:
        raise ValueError("the in-process API measurement takes the command's defaults only")
    train_df, test_df = df.iloc[tr].reset_index(drop=True), df.iloc[te].reset_index(drop=True)
    t0 = _now()
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        job = prepare(make_settings(data="train.csv", target="target"), data=train_df)
    s = job.settings
    monitor = "val_loss" if job.X_val is not None else "loss"
    callbacks = [EarlyStopping(monitor, patience=s["early_stopping"],
                               restore_best_weights=True)] if s["early_stopping"] else []
    fit(job.model, (job.X_train, job.y_train), loss=job.loss, optimizer=job.optimizer,
        epochs=s["epochs"], batch_size=s["batch_size"],
        val_data=None if job.X_val is None else (job.X_val, job.y_val),
        metrics=metric_names(job.task), scheduler=job.scheduler, callbacks=callbacks,
        verbose=0, seed=s["seed"])
    seconds = _now() - t0
    x = job.preprocessor.transform({n: test_df[n].to_numpy() for n in job.input_names})
    out = predict(job.model, x)
    if job.target_scaler is not None:
        out = job.target_scaler.inverse_transform(out)
    pred, _ = outputs_to_predictions(out, job.task)
    y = test_df["target"].to_numpy()
    if task == "regression":
        return _score(task, np.asarray(y, np.float64), pred), seconds
    return _score(task, encode_labels(y, None, job.task, job.class_names, "test"), pred), seconds


def run_sklearn(task: str, df, tr, te, ols: bool = False) -> tuple[float, float]:
    pipe, feats = _sklearn(task, df, ols=ols)
    t0 = _now()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pipe.fit(df.iloc[tr][feats], df.iloc[tr]["target"])
    seconds = _now() - t0
    return _score(task, df.iloc[te]["target"], pipe.predict(df.iloc[te][feats])), seconds


def benchmark(repeats: int, only: set[str] | None, extra: list[str]) -> list[dict]:
    import subprocess
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        env = _command_env(tmp)
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], env=env,
                       check=True)  # bytecode, as an installed package has
        for name, task, df, tr, te in datasets(only):
            train_csv, test_csv = os.path.join(tmp, f"{name}-train.csv"), \
                os.path.join(tmp, f"{name}-test.csv")
            df.iloc[tr].to_csv(train_csv, index=False)
            df.iloc[te].to_csv(test_csv, index=False)
            n = 1 if name == "mnist10k" else repeats
            runs: dict[str, list[tuple[float, float]]] = {"cmd": [], "main": [], "api": [],
                                                          "sk": []}
            for i in range(n):  # alternated, so that a burst of load hits all alike
                runs["cmd"].append(run_chainrule(task, train_csv, test_csv,
                                                 os.path.join(tmp, f"{name}-c{i}"), extra, env))
                runs["main"].append(run_chainrule(task, train_csv, test_csv,
                                                  os.path.join(tmp, f"{name}-m{i}"), extra))
                if not extra:
                    runs["api"].append(run_chainrule_api(task, df, tr, te, extra))
                runs["sk"].append(run_sklearn(task, df, tr, te))
            row = {"dataset": name, "task": task, "rows": f"{len(tr)}/{len(te)}",
                   "chainrule": runs["cmd"][0][0], "sklearn": runs["sk"][0][0],
                   "load": os.getloadavg()[0]}
            for key, label in (("cmd", "command_s"), ("main", "main_s"), ("api", "api_s"),
                               ("sk", "sklearn_s")):
                row[label] = min((t for _, t in runs[key]), default=float("nan"))
            if runs["api"]:
                row["api_score"] = runs["api"][0][0]
            if task == "regression":
                row["ols"] = run_sklearn(task, df, tr, te, ols=True)[0]
            rows.append(row)
            print(_line(row), file=sys.stderr, flush=True)
    return rows


def _line(r: dict) -> str:
    ols = f"{r['ols']:.4f}" if "ols" in r else ""
    metric = "R²" if r["task"] == "regression" else "accuracy"
    sk = r["sklearn_s"]
    return (f"| {r['dataset']} | {r['rows']} | {metric} | {r['chainrule']:.4f} | "
            f"{r['sklearn']:.4f} | {ols} | {r['command_s']:.2f} | {r['main_s']:.2f} | "
            f"{r['api_s']:.2f} | {sk:.2f} | {r['command_s'] / sk:.2f} | {r['main_s'] / sk:.2f} | "
            f"**{r['api_s'] / sk:.2f}** |")


def table(rows: list[dict]) -> str:
    head = ("| dataset | train/test rows | metric | chainrule | scikit-learn MLP | OLS | "
            "command s (process) | command s (in-process) | API s (in-process) | "
            "scikit-learn fit s | ratio: process | ratio: in-process command | "
            "ratio: API |\n" + "|---" * 13 + "|")
    lines = [head, *(_line(r) for r in rows)]
    cls = [r for r in rows if r["task"] == "classification"]
    if cls:
        tot = {k: sum(r[k] for r in cls) for k in ("command_s", "main_s", "api_s", "sklearn_s")}
        sk = tot["sklearn_s"]
        lines.append(f"| total (classification) | | accuracy (mean) | "
                     f"{np.mean([r['chainrule'] for r in cls]):.4f} | "
                     f"{np.mean([r['sklearn'] for r in cls]):.4f} | | "
                     f"{tot['command_s']:.2f} | {tot['main_s']:.2f} | {tot['api_s']:.2f} | "
                     f"{sk:.2f} | {tot['command_s'] / sk:.2f} | {tot['main_s'] / sk:.2f} | "
                     f"**{tot['api_s'] / sk:.2f}** |")
    diffs = [f"{r['dataset']} {r['api_score'] - r['chainrule']:+.2e}" for r in rows
             if "api_score" in r and abs(r["api_score"] - r["chainrule"]) > 1e-12]
    lines.append("\nAPI score = command score on every row" if not diffs else
                 "\nAPI score - command score: " + ", ".join(diffs))
    loads = ", ".join(f"{r['load']:.1f}" for r in rows)
    lines.append(f"load average (1 min) after each row: {loads}; clock: {CLOCK}")
    return "\n".join(lines)


def load_measurement(mb: int, repeats: int) -> str:
    """The CSV load measurement (``tabular_load.py``): read_frame vs pandas, time and memory."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from tabular_load import load_measurement as measure
    return measure(mb, repeats)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--only", help="comma-separated dataset names")
    ap.add_argument("--out", help="write the Markdown table here")
    ap.add_argument("--load-mb", type=int, default=0, help="also measure loading a CSV of N MB")
    ap.add_argument("--clock", choices=("wall", "cpu"), default="wall", help="train times in "
                    "wall time, or CPU time (user + system, children included): steadier on a "
                    "busy machine")
    ap.add_argument("extra", nargs="*", help="options for chainrule train (after --)")
    args = ap.parse_args()
    global CLOCK
    CLOCK = args.clock
    only = set(args.only.split(",")) if args.only else None
    text = ""
    if not only or args.only != "load":
        rows = benchmark(args.repeats, only, args.extra)
        text = table(rows)
        print(text)
    if args.load_mb:
        note = load_measurement(args.load_mb, args.repeats)
        print(note)
        text += "\n\n" + note
    if args.out:
        Path(args.out).write_text(text + "\n")


if __name__ == "__main__":
    main()
