"""``chainrule predict RUN_DIR --data FILE.csv --out PRED.csv``: predictions of a trained run."""
from __future__ import annotations

import argparse
import csv
import io
from typing import Any

import numpy as np




def register(subparsers: Any) -> None:
    p = subparsers.add_parser("predict", help="predictions of a trained run on a CSV file",
                              description="Write a CSV with a `prediction` column (class name "
                              "or value) and, for classifiers, one probability column per "
                              "class (`prob_<class>`). Feature columns are matched by name; "
                              "other columns (such as the target) are ignored.")
    p.add_argument("run_dir", metavar="RUN_DIR", help="a run folder written by chainrule train")
    p.add_argument("--data", metavar="FILE.csv", required=True, help="a table (CSV, .csv.gz or "
                   "Parquet) with the run's feature columns; unseen categories and missing "
                   "cells are handled as in training")
    p.add_argument("--delimiter", metavar="CHAR", help="CSV delimiter (default: sniffed)")
    p.add_argument("--out", metavar="PRED.csv", help="output file (default: standard output)")
    p.set_defaults(func=run)


def predictions_csv(run: Any, features: Any) -> str:
    """The CSV text of predictions (and probabilities) for raw ``features``."""
    pred, proba = run.predict(features)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if proba is None:
        values = pred.reshape(len(pred), -1)
        names = (run.target or "").split(",")
        header = ["prediction"] if values.shape[1] == 1 else \
            [f"prediction_{n}" for n in names] if len(names) == values.shape[1] else \
            [f"prediction_{i}" for i in range(values.shape[1])]
        writer.writerow(header)
        writer.writerows([[repr(float(v)) for v in row] for row in values])
    else:
        classes = run.class_names
        writer.writerow(["prediction", *(f"prob_{c}" for c in classes)])
        for k, row in zip(pred, proba):
            writer.writerow([classes[int(k)], *(f"{p:.6g}" for p in row)])
    return out.getvalue()


def _check_out(args: argparse.Namespace) -> None:
    """--out must not overwrite the input table nor a file of the run folder."""
    import os
    from pathlib import Path

    from . import UsageError
    if args.out is None:
        return
    out = Path(args.out)
    if out.is_dir():
        raise UsageError(f"--out: expected a file name, got the folder {args.out!r}")
    if not out.exists():
        return
    for other, what in ((Path(args.data), "--data"), *((p, "a file of the run") for p in
                                                       Path(args.run_dir).glob("*"))):
        try:
            same = os.path.samefile(out, other)
        except OSError:
            same = False
        if same:
            raise UsageError(f"--out: expected a new file, got {args.out!r}, which is "
                             f"{what}; it would be overwritten")


def run(args: argparse.Namespace) -> int:
    import warnings
    with np.errstate(all="ignore"), warnings.catch_warnings():  # overflow: one message
        warnings.simplefilter("ignore", RuntimeWarning)
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    from ..train.files import atomic_write_text
    from ..tabular.run import load_run
    from ..tabular.table import read_table
    from .evaluate_cmd import _in_features
    _check_out(args)
    run_ = load_run(args.run_dir)
    names = getattr(run_, "input_names", run_.feature_names)
    features, _, _ = read_table(args.data, names, run_.target,
                                n_features=None if names else _in_features(run_),
                                delimiter=args.delimiter)
    try:
        text = predictions_csv(run_, features)
    except ValueError as exc:
        raise ValueError(f"{args.data}: {exc}") from None
    if args.out is None:
        print(text, end="")
    else:
        atomic_write_text(args.out, text)
        print(f"Wrote {text.count(chr(10)) - 1} predictions to {args.out}")
    return 0
