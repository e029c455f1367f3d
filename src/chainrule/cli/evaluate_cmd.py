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
    p.add_argument("run_dir", metavar="RUN_DIR")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--data", metavar="FILE.csv")
    src.add_argument("--dataset", metavar="NAME", help="a named dataset (generated ones use "
                     "the run's options when it was trained on the same name)")
    p.add_argument("--target", metavar="COLUMN", help="target column (default: the run's)")
    p.set_defaults(func=run)


def load_labelled(args: argparse.Namespace, run: Any) -> tuple[np.ndarray, np.ndarray, str]:
    """Raw features (run's column order), encoded targets and a name for the data."""
    from ..tabular.table import encode_labels, read_table
    if args.data is not None:
        target = args.target or run.target
        raw, cells, lines = read_table(args.data, run.feature_names, target,
                                       n_features=_in_features(run), require_target=True)
        assert cells is not None  # require_target
        return raw, encode_labels(cells, lines, run.task, run.class_names, args.data), args.data
    if args.target is not None:
        raise UsageError("--target: applies to --data FILE.csv, got --dataset")
    return (*_named(args.dataset, run), args.dataset)


def _in_features(run: Any) -> int | None:
    args = run.config.get("args", {}) if isinstance(run.config, dict) else {}
    value = args.get("in_features")
    return int(value) if isinstance(value, int) else None


def _named(name: str, run: Any) -> tuple[np.ndarray, np.ndarray]:
    from ..data import DATASETS, load_dataset
    from ..train.files import read_json
    opts: dict[str, Any] = {}
    train_json = Path(run.directory) / "train.json"
    if name in DATASETS and DATASETS[name].source == "generated" and train_json.exists():
        s = read_json(train_json).get("settings", {})
        if s.get("dataset") == name:
            opts = {"n_samples": s.get("samples"), "noise": s.get("noise"), "seed": s.get("seed")}
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
    from ..train.files import read_json
    from ..tabular.recipe import default_loss, make_loss
    name = None
    if (Path(run.directory) / "train.json").exists():
        name = read_json(Path(run.directory) / "train.json").get("settings", {}).get("loss")
    task = "binary" if run.task == "binary" else run.task
    if not isinstance(name, str):
        name = default_loss(task)
    return make_loss(name, task)[0]


def run(args: argparse.Namespace) -> int:
    from ..train import evaluate, metrics
    from ..tabular.recipe import encode_targets
    from ..tabular.run import load_run
    run_ = load_run(args.run_dir)
    raw, y, source = load_labelled(args, run_)
    x = run_.transform(raw)
    if x.shape[1] != _in_features(run_) and _in_features(run_) is not None:
        raise UsageError(f"{source}: expected {_in_features(run_)} features, got {x.shape[1]}")
    loss = _loss(run_)
    is_reg = run_.task == "regression"
    names = ["mse", "mae", "r2"] if is_reg else ["accuracy", "precision", "recall", "f1"]
    logs = evaluate(run_.model, (x, encode_targets(y, run_.task)), loss=loss, metrics=names)
    kind = run_.task + ("" if is_reg else f" ({len(run_.class_names or [])} classes)")
    print(f"Evaluating {args.run_dir} on {source}: {len(x)} samples, {kind}")
    print(f"{'metric':<12}{'value':>10}")
    for key in ["loss", *names]:
        print(f"{key:<12}{logs[key]:>10.4f}")
    if not is_reg:
        pred, _ = run_.predict(raw)
        classes = run_.class_names or []
        cm = metrics.confusion_matrix(y, pred, num_classes=len(classes))
        w = max(6, *(len(c) + 1 for c in classes), len(str(cm.max())) + 1)
        print("\nconfusion matrix (rows: true class, columns: predicted)")
        print(" " * w + "".join(f"{c:>{w}}" for c in classes))
        for c, row in zip(classes, cm):
            print(f"{c:>{w}}" + "".join(f"{v:>{w}}" for v in row))
    return 0
