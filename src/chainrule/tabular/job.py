"""The job behind ``chainrule train``: settings (plain JSON data) -> data, model, fit, run folder.

Settings are validated up front with messages that name the command-line
option at fault. The same settings rebuild the same job, so ``--resume``
replays data generation, the split and the model's construction, then
restores the checkpoint and continues, bit for bit.
"""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .recipe import (OPTIMIZERS, SCHEDULES, default_loss, default_lr, encode_targets, make_loss,
                     make_optimizer, make_scheduler, output_size)

__all__ = ["DEFAULTS", "Job", "make_settings", "prepare"]

FORMAT, VERSION = "chainrule-train", 1
DEFAULTS: dict[str, Any] = {
    "dataset": None, "data": None, "target": None, "samples": None, "noise": None,
    "task": None, "hidden": [128, 64], "activation": "relu", "dropout": 0.0, "loss": None,
    "optimizer": "adam", "lr": None, "momentum": None, "weight_decay": 0.0, "schedule": "none",
    "epochs": 100, "batch_size": 64, "val_split": 0.2, "early_stopping": 10, "seed": 0,
    "delimiter": None, "missing": "impute", "max_categories": 30, "metrics": None,
    "categorical": "auto", "embed_dim": None,
}
DEFAULT_DATASET = "spirals"
GENERATED_DEFAULTS = {"samples": 1000, "noise": {"spirals": 0.03}}


def _bad(option: str, expected: str, value: Any) -> ValueError:
    return ValueError(f"{option}: expected {expected}, got {value!r}")


def _int(s: dict[str, Any], key: str, option: str, minimum: int) -> None:
    v = s[key]
    if v is None:
        return
    if isinstance(v, bool) or not isinstance(v, int) or v < minimum:
        raise _bad(option, f"an integer >= {minimum}", v)


def make_settings(**overrides: Any) -> dict[str, Any]:
    """Defaults updated with ``overrides`` (None keeps a default), validated.

    Example
    -------
    >>> s = make_settings(hidden="32,16", lr=0.1)
    >>> s["hidden"], s["lr"], s["dataset"]
    ([32, 16], 0.1, 'spirals')
    """
    from ..nn import ACTIVATIONS
    from .run import TASKS
    unknown = sorted(set(overrides) - set(DEFAULTS))
    if unknown:
        raise ValueError(f"make_settings: expected options among {sorted(DEFAULTS)}, got "
                         f"{unknown}")
    s = dict(DEFAULTS)
    s.update({k: v for k, v in overrides.items() if v is not None})
    if s["data"] is None and s["dataset"] is None:
        s["dataset"] = DEFAULT_DATASET
    if s["data"] is not None and s["dataset"] is not None:
        raise ValueError("--data: expected either --dataset or --data, got both")
    if s["target"] is not None and s["data"] is None:
        raise ValueError("--target: applies to --data FILE.csv, got a named --dataset")
    if isinstance(s["hidden"], str):
        text = s["hidden"].strip()
        try:
            s["hidden"] = [] if text in ("", "none") else [int(v) for v in text.split(",")]
        except ValueError:
            raise _bad("--hidden", "comma-separated layer widths such as 64,64", text) from None
    if not isinstance(s["hidden"], list) or any(isinstance(v, bool) or not isinstance(v, int)
                                                or v < 1 for v in s["hidden"]):
        raise _bad("--hidden", "positive layer widths such as 64,64", s["hidden"])
    if s["activation"] not in ACTIVATIONS:
        raise _bad("--activation", f"one of {sorted(ACTIVATIONS)}", s["activation"])
    if s["task"] is not None and s["task"] not in TASKS:
        raise _bad("--task", f"one of {list(TASKS)}", s["task"])
    if s["optimizer"] not in OPTIMIZERS:
        raise _bad("--optimizer", f"one of {sorted(OPTIMIZERS)}", s["optimizer"])
    if s["schedule"] not in SCHEDULES:
        raise _bad("--schedule", f"one of {list(SCHEDULES)}", s["schedule"])
    for key, option in (("epochs", "--epochs"), ("batch_size", "--batch-size"),
                        ("samples", "--samples")):
        _int(s, key, option, 1)
    _int(s, "early_stopping", "--early-stopping", 0)  # 0: off
    _int(s, "seed", "--seed", 0)
    for key, option, lo, hi in (("dropout", "--dropout", 0.0, 1.0),
                                ("val_split", "--val-split", 0.0, 1.0),
                                ("noise", "--noise", 0.0, math.inf),
                                ("weight_decay", "--weight-decay", 0.0, math.inf),
                                ("momentum", "--momentum", 0.0, 1.0)):
        v = s[key]
        if v is not None and not (isinstance(v, (int, float)) and lo <= v < hi):
            raise _bad(option, f"a number in [{lo}, {hi})", v)
    if s["lr"] is not None and not (isinstance(s["lr"], (int, float)) and 0 < s["lr"] < math.inf):
        raise _bad("--lr", "a positive number", s["lr"])
    if s["missing"] not in ("impute", "error"):
        raise _bad("--missing", "'impute' or 'error'", s["missing"])
    _int(s, "max_categories", "--max-categories", 1)
    if s["categorical"] not in ("auto", "onehot", "embed"):
        raise _bad("--categorical", "'auto', 'onehot' or 'embed'", s["categorical"])
    _int(s, "embed_dim", "--embed-dim", 1)
    if s["embed_dim"] is not None and s["embed_dim"] > 1024:
        raise _bad("--embed-dim", "an integer in [1, 1024]", s["embed_dim"])
    if s["delimiter"] is not None and (not isinstance(s["delimiter"], str) or
                                       len(s["delimiter"]) != 1):
        raise _bad("--delimiter", "one character", s["delimiter"])
    if isinstance(s["metrics"], str):
        s["metrics"] = [m.strip() for m in s["metrics"].split(",") if m.strip()]
    if s["metrics"] is not None:
        from .report import check_metrics
        check_metrics(s["metrics"])
    return s


@dataclass
class Job:
    """Everything a training run is made of, built from settings by :func:`prepare`."""

    settings: dict[str, Any]
    name: str
    task: str
    class_names: list[str] | None
    feature_names: list[str] | None
    target: str | None
    data_sha256: str | None
    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray | None
    y_val: np.ndarray | None
    scaler: Any
    model: Any
    model_config: dict[str, Any]
    loss: Any
    optimizer: Any
    scheduler: Any
    preprocessor: Any = None
    target_scaler: Any = None
    input_names: list[str] | None = None

    def raw_targets(self, y: np.ndarray) -> np.ndarray:
        """Targets in their own units (regression targets are trained standardised)."""
        if self.target_scaler is None:
            return y
        out = self.target_scaler.inverse_transform(y)
        return out[:, 0] if out.shape[1] == 1 else out

    def preprocess_file(self) -> dict[str, Any]:
        """The data of the run folder's ``preprocess.json``."""
        return {**self.preprocessor.to_dict(), "target_names": (self.target or "").split(","),
                "target": None if self.target_scaler is None else self.target_scaler.to_dict()}

    def describe(self) -> str:
        from .preprocess import describe
        args = self.model_config["args"]
        width = args["in_features"] + sum(d - 1 for _, _, d in args.get("embeddings", []))
        sizes = [width, *self.settings["hidden"],
                 args["out_features"]]
        classes = f" ({len(self.class_names)} classes)" if self.class_names else ""
        val = f" / {len(self.X_val)} validation" if self.X_val is not None else ""
        text = (f"Training MLP {'-'.join(map(str, sizes))} ({self.settings['activation']}) on "
                f"{self.name}: {self.task}{classes}, {len(self.X_train)} train{val} samples, "
                f"{type(self.loss).__name__}, {type(self.optimizer).__name__} "
                f"lr={self.optimizer.param_groups[0]['lr']:g}")
        if "embeddings" in args:
            names = self.feature_names or []
            text += "; embeddings " + ", ".join(
                f"{names[j].removesuffix('@code') if j < len(names) else j} {n}x{d}"
                for j, n, d in args["embeddings"])
        if self.preprocessor is not None:
            text += "\n" + describe(self.preprocessor, self.target_scaler)
        return text


def _sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _load(s: dict[str, Any]) -> tuple[Any, str, str | None]:
    from ..data import DATASETS, load_dataset
    name = s["dataset"]
    info = DATASETS.get(name)
    if info is None:
        return load_dataset(name), name, None  # raises with the list of names
    opts: dict[str, Any] = {}
    if info.source == "generated":
        if s["noise"] is None:  # resolved here, so that train.json records the value used
            s["noise"] = GENERATED_DEFAULTS["noise"].get(name)  # type: ignore[attr-defined]
        s["samples"] = s["samples"] or GENERATED_DEFAULTS["samples"]
        opts = {"n_samples": s["samples"], "noise": s["noise"], "seed": s["seed"]}
    elif s["samples"] is not None or s["noise"] is not None:
        raise ValueError(f"--samples/--noise: apply to generated datasets, got --dataset {name}")
    return load_dataset(name, **opts), name, None


def _task(bunch: Any, requested: str | None, name: str) -> str:
    task = bunch.task
    if requested is None or requested == task:
        return str(task)
    n = len(bunch.target_names or [])
    if "regression" in (task, requested) or (requested == "binary" and n > 2):
        raise ValueError(f"--task: expected a task that fits {name} ({task}"
                         f"{f', {n} classes' if n else ''}), got {requested!r}")
    return requested


def _load_table(s: dict[str, Any], data: Any) -> tuple[Any, str, str | None]:
    from .read import check_source, read_frame
    if s["samples"] is not None or s["noise"] is not None:
        raise ValueError("--samples/--noise: apply to generated datasets, got --data")
    if data is not None:
        return read_frame(data), "table", None
    path = check_source(str(s["data"]))
    frame = read_frame(path, delimiter=s["delimiter"])
    name = Path(path).name.split(".")[0] or "data"
    return frame, name, _sha256(path)


def _split(n: int, y: np.ndarray, s: dict[str, Any], task: str
           ) -> tuple[np.ndarray, np.ndarray | None]:
    from ..data import train_test_split
    idx = np.arange(n)
    if s["val_split"] <= 0:
        return idx, None
    strat = y if task != "regression" else None
    try:
        tr, va = train_test_split(idx, test_size=s["val_split"], stratify=strat, seed=s["seed"])
    except ValueError:  # a class too small to stratify
        tr, va = train_test_split(idx, test_size=s["val_split"], seed=s["seed"])
    return np.sort(tr), np.sort(va)


def prepare(settings: dict[str, Any], planned_epochs: int | None = None,
            data: Any = None) -> Job:
    """Load and split the data, fit the preprocessing on the training split, build the model.

    ``data`` (a pandas or polars DataFrame, in Python) replaces ``--data FILE``.
    """
    from .. import random as _random
    from .preprocess import Preprocessor, TargetScaler
    from .run import build_model
    from .table import check_missing, check_mixed_columns, split_target
    s = dict(settings)
    if data is not None or s["data"] is not None:
        frame, name, sha = _load_table(s, data)
        inputs, targets, y_raw, classes, task = split_target(frame, s["target"], s["task"])
        check_mixed_columns(frame, inputs)
        if s["missing"] == "error":
            check_missing(frame, inputs)
        columns = {n: frame.columns[n] for n in inputs}
        target = ",".join(targets)
    else:
        bunch, name, sha = _load(s)
        task = _task(bunch, s["task"], name)
        x = np.asarray(bunch.X, dtype=np.float32)
        x = x.reshape(len(x), -1)
        names = list(bunch.feature_names) if bunch.feature_names is not None and \
            len(bunch.feature_names) == x.shape[1] else [f"x{j + 1}" for j in range(x.shape[1])]
        inputs, columns, y_raw = names, {n: x[:, j] for j, n in enumerate(names)}, bunch.y
        classes = None if task == "regression" else list(
            bunch.target_names or [str(c) for c in range(int(np.max(bunch.y)) + 1)])
        target = "target"
    s["loss"] = s["loss"] or default_loss(task)
    loss, task = make_loss(s["loss"], task)
    y = encode_targets(y_raw, task)
    tr, va = _split(len(y), y_raw, s, task)
    pre = Preprocessor(max_categories=s["max_categories"], missing=s["missing"],
                       categorical=s["categorical"])
    pre.fit({n: c[tr] for n, c in columns.items()}, where=f"--data {name}")
    x_tr = pre.transform({n: c[tr] for n, c in columns.items()})
    x_va = None if va is None else pre.transform({n: c[va] for n, c in columns.items()})
    y_tr, y_va = y[tr], None if va is None else y[va]
    tscaler = None
    if task == "regression":
        tscaler = TargetScaler().fit(y_tr)
        y_tr = tscaler.transform(y_tr)
        y_va = None if y_va is None else tscaler.transform(y_va)
    args: dict[str, Any] = {
        "in_features": int(x_tr.shape[1]), "hidden_sizes": list(s["hidden"]),
        "out_features": output_size(task, len(classes or []), y),
        "activation": s["activation"], "dropout": float(s["dropout"])}
    config: dict[str, Any] = {"type": "MLP", "args": args}
    if pre.embeddings:  # text columns as codes: an nn.Embedding each (tabular/embed.py)
        from .embed import embedding_size
        config["type"] = "EmbeddingMLP"
        args["embeddings"] = [[j, n, s["embed_dim"] or embedding_size(n)]
                              for j, n in pre.embeddings]
    _random.manual_seed(s["seed"])
    model = build_model(config)
    s["lr"] = s["lr"] if s["lr"] is not None else default_lr(s["optimizer"])
    optimizer = make_optimizer(s["optimizer"], model.parameters(), s["lr"], s["momentum"],
                               s["weight_decay"])
    steps = -(-len(x_tr) // s["batch_size"])
    scheduler = make_scheduler(s["schedule"], optimizer, planned_epochs or s["epochs"], steps)
    return Job(s, name, task, classes, pre.output_names, target, sha, x_tr, y_tr, x_va, y_va,
               None, model, config, loss, optimizer, scheduler, pre, tscaler, list(inputs))
