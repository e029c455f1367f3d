"""``chainrule evaluate RUN_DIR --data FILE.csv``: the metrics of a trained run on labelled data."""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np

from . import UsageError


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("evaluate", help="metrics of a trained run on labelled data",
                              description="Print the loss and metrics of a run folder's model "
                              "on a CSV file (or a named dataset), with the confusion matrix "
                              "for classifiers.")
    p.add_argument("run_dir", metavar="RUN_DIR", help="a run folder written by chainrule train")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--data", metavar="FILE.csv", help="a labelled table (CSV, .csv.gz or "
                     "Parquet) with the run's feature columns and its target")
    src.add_argument("--dataset", metavar="NAME", help="a named dataset; a generated one is "
                     "drawn afresh (the run's options, another seed), not the training samples")
    p.add_argument("--target", metavar="COLUMN", help="target column (default: the run's)")
    p.add_argument("--delimiter", metavar="CHAR", help="CSV delimiter (default: sniffed)")
    p.add_argument("--metrics", metavar="a,b", help="metrics to print (default: loss,accuracy,"
                   "precision,recall,f1 or mse,rmse,mae,r2)")
    p.set_defaults(func=run)


def load_labelled(args: argparse.Namespace, run: Any) -> tuple[np.ndarray, np.ndarray, str]:
    """Raw features (run's column order), encoded targets and a name for the data."""
    from ..tabular.table import encode_labels, read_table
    if args.data is not None:
        target = args.target or run.target
        names = getattr(run, "input_names", run.feature_names)
        raw, cells, frame = read_table(args.data, names, target, require_target=True,
                                       n_features=None if names else _in_features(run),
                                       delimiter=getattr(args, "delimiter", None))
        assert cells is not None  # require_target
        y = encode_labels(cells, frame, run.task, run.class_names, frame.where)
        return raw, y, args.data  # type: ignore[return-value]
    if args.target is not None:
        raise UsageError("--target: applies to --data FILE.csv, got --dataset")
    return (*_named(args.dataset, run), args.dataset)


def _in_features(run: Any) -> int | None:
    args = run.config.get("args", {}) if isinstance(run.config, dict) else {}
    value = args.get("in_features")
    return int(value) if isinstance(value, int) else None


def _named(name: str, run: Any) -> tuple[np.ndarray, np.ndarray]:
    from ..data import DATASETS, load_dataset
    opts: dict[str, Any] = {}
    train_json = Path(run.directory) / "train.json"
    generated = name in DATASETS and DATASETS[name].source == "generated"
    seed = 0
    if generated and train_json.exists():
        from ._safety import read_train_json
        s = read_train_json(run.directory)["settings"]  # validated: a damaged file is named
        if s.get("dataset") == name:
            opts = {"n_samples": s.get("samples"), "noise": s.get("noise")}
            seed = int(s.get("seed") or 0)
    if generated:
        if name == "blobs":  # the centres come from the seed: keep the run's, draw new samples
            opts["centers"] = np.random.default_rng(seed).uniform(-10.0, 10.0, (3, 2))
        opts["seed"] = seed + 1
        print(f"{name}: fresh samples (seed {seed + 1}; the run trained on seed {seed})")
    elif name in DATASETS:
        print(f"{name}: the whole dataset, including the rows the run trained on")
    bunch = load_dataset(name, **opts)
    raw = np.asarray(bunch.X, np.float32).reshape(len(bunch.X), -1)
    if (bunch.task == "regression") != (run.task == "regression"):
        raise UsageError(f"--dataset: expected data for a {run.task} model, got {name} "
                         f"({bunch.task})")
    if run.task != "regression":
        names = bunch.target_names or [str(c) for c in range(int(bunch.y.max()) + 1)]
        if list(names) != list(run.class_names or []):
            raise UsageError(f"--dataset: expected the classes {run.class_names}, got {names}")
    return raw, np.asarray(bunch.y)


def _loss(run: Any) -> Any:
    from ..tabular.recipe import default_loss, make_loss
    name = None
    if (Path(run.directory) / "train.json").exists():
        from ._safety import read_train_json
        name = read_train_json(run.directory)["settings"].get("loss")
    task = "binary" if run.task == "binary" else run.task
    if not isinstance(name, str):
        name = default_loss(task)
    return make_loss(name, task)[0]


def run(args: argparse.Namespace) -> int:
    import warnings
    with np.errstate(all="ignore"), warnings.catch_warnings():  # overflow: one message
        warnings.simplefilter("ignore", RuntimeWarning)
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    from ..tabular.report import check_metrics, compute_metrics, format_table, legend
    from ..tabular.run import load_run
    from ..train import metrics
    names = None if args.metrics is None else check_metrics(
        [m.strip() for m in args.metrics.split(",") if m.strip()])
    run_ = load_run(args.run_dir)
    raw, y, source = load_labelled(args, run_)
    is_reg = run_.task == "regression"
    try:
        pred, proba = run_.predict(raw)
    except ValueError as exc:
        raise ValueError(f"{source}: {exc}") from None
    logs = compute_metrics(run_.task, y, pred, proba, names)
    kind = run_.task + ("" if is_reg else f" ({len(run_.class_names or [])} classes)")
    print(f"Evaluating {args.run_dir} on {source}: {len(y)} samples, {kind}")
    print(format_table([("value", logs)]))
    print(f"({legend(run_.task, run_.class_names)})")
    if not is_reg:
        classes = run_.class_names or []
        cm = metrics.confusion_matrix(y, pred, labels=np.arange(len(classes)))
        w = max(6, *(len(c) + 1 for c in classes), len(str(cm.max())) + 1)
        print("\nconfusion matrix (rows: true class, columns: predicted)")
        print(" " * w + "".join(f"{c:>{w}}" for c in classes))
        for c, row in zip(classes, cm):
            print(f"{c:>{w}}" + "".join(f"{v:>{w}}" for v in row))
    return 0
