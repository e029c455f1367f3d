"""One playground session: its data, model, optimizer and training loop, on the real library.

A Session is driven from worker threads (never the event loop). chainrule's grad
mode and graph recording are process-wide flags, so every call into the
library runs under :data:`LIBRARY_LOCK`: sessions interleave epoch by epoch,
and a ``no_grad`` or ``record`` block of one can never switch off another's graph.
Evaluations run under ``no_grad`` (in eval mode, so the training-loop linter has
nothing to say about them).
"""
from __future__ import annotations

import secrets
import threading
import time
from typing import Any

import numpy as np

from . import snapshot
from .settings import validate

__all__ = ["LIBRARY_LOCK", "PLANNED_EPOCHS", "Session"]

LIBRARY_LOCK = threading.Lock()
PLANNED_EPOCHS = 300  # the horizon of the step and cosine schedules
HISTORY_POINTS = 200  # loss curve and per-weight history: 200 to 400 points (decimated)


def _generate(s: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    from ..data import synthetic
    n, noise, seed = s["samples"], s["noise"], s["seed"]
    if s["dataset"] == "gaussians":
        return synthetic.blobs(n, centers=np.array([[2.0, 2.0], [-2.0, -2.0]]),
                               cluster_std=0.5 + 1.5 * noise, seed=seed)
    return getattr(synthetic, s["dataset"])(n, noise=noise, seed=seed)


class Session:
    """A model being trained for one browser page, with what the page needs to draw it.

    Example
    -------
    >>> s = Session({"dataset": "xor", "hidden": "4"})
    >>> state = s.advance(budget_s=0.0, max_epochs=1)
    >>> state["epoch"], [w["name"] for w in state["weights"]]
    (1, ['hidden0', 'output'])
    """

    def __init__(self, changes: dict[str, Any] | None = None) -> None:
        self.id = secrets.token_urlsafe(16)
        self.lock = threading.Lock()  # one worker at a time on this session
        self.touched = time.monotonic()
        self.playing = False
        self.upload: Any = None  # a DataBunch from an uploaded CSV
        self.upload_name = ""
        self.version = 0  # counts rebuilds: the page drops states of an older network
        self.settings = validate(changes or {})
        self._configure(self.settings)

    # -- building -------------------------------------------------------------------------
    def _data(self, s: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, list[str], list[str]]:
        if s["dataset"] != "upload":
            x, y = _generate(s)
            return x, y, [str(c) for c in range(int(y.max()) + 1)], ["x1", "x2"]
        from .upload import pick
        b = self.upload
        if b is None:
            raise ValueError("dataset: expected an uploaded CSV file first, got none; choose a "
                             "file with 'upload CSV'")
        i, j = s["features"]
        x, y = pick(b, i, j)
        return x, y, list(b.target_names), [b.feature_names[i], b.feature_names[j]]

    def configure(self, changes: dict[str, Any]) -> None:
        """Validate ``changes`` over the current settings and rebuild data, model and optimizer.

        Nothing changes when the settings are refused.
        """
        with self.lock:
            self._configure(changes)

    def _configure(self, changes: dict[str, Any]) -> None:
        from .. import nn
        from .. import random as _random
        from ..data import train_test_split
        from ..tabular.preprocess import Preprocessor
        from ..tabular.recipe import make_optimizer, make_scheduler
        from ..tabular.run import build_model
        s = validate(changes, self.settings)
        x_all, y, classes, features = self._data(s)
        head = s["head"]
        if head == "sigmoid" and len(classes) != 2:
            raise ValueError(f"output head: expected softmax for {len(classes)} classes, got "
                             "sigmoid (one logit fits two classes)")
        if s["test_ratio"] > 0:
            counts = np.bincount(y)
            if counts.min() < 2 or len(y) * s["test_ratio"] < len(classes):
                raise ValueError(f"test ratio: expected a split that leaves every class in "
                                 f"both parts, got {s['test_ratio']:g} of {len(y)} samples; "
                                 "lower it to 0 or add samples")
            x_tr, x_te, y_tr, y_te = train_test_split(x_all, y, test_size=s["test_ratio"],
                                                      stratify=y, seed=s["seed"])
        else:
            x_tr, x_te, y_tr, y_te = x_all, x_all[:0], y, y[:0]
        # the command line's preprocessing (standardised numbers), saved with the run
        pre = Preprocessor().fit({features[0]: x_tr[:, 0], features[1]: x_tr[:, 1]},
                                 where=f"dataset {s['dataset']}")
        config = {"type": "MLP", "args": {
            "in_features": int(pre.n_features_out), "hidden_sizes": list(s["hidden"]),
            "out_features": 1 if head == "sigmoid" else len(classes),
            "activation": s["activation"], "dropout": float(s["dropout"])}}
        with LIBRARY_LOCK:
            _random.manual_seed(s["seed"])
            model = build_model(config)
            opt_name = "sgd" if s["optimizer"] == "momentum" else s["optimizer"]
            momentum = {"sgd": 0.0, "momentum": 0.9}.get(s["optimizer"])
            optimizer = make_optimizer(opt_name, model.parameters(), s["lr"], momentum,
                                       s["l2"])
            steps = -(-len(x_tr) // s["batch_size"])
            scheduler = make_scheduler(s["schedule"], optimizer, PLANNED_EPOCHS, steps)
        self.settings, self.classes, self.features = s, classes, features
        self.raw = (np.asarray(x_tr, np.float32), y_tr, np.asarray(x_te, np.float32), y_te)
        self.x_train = np.asarray(pre.transform(x_tr), np.float32)
        self.x_test = np.asarray(pre.transform(x_te), np.float32) if len(x_te) else None
        self.y_train, self.y_test = y_tr, y_te
        self.preprocessor, self.model = pre, model
        self.model_config: dict[str, Any] = config
        self.loss_fn = nn.BCEWithLogitsLoss() if head == "sigmoid" else nn.CrossEntropyLoss()
        self.optimizer, self.scheduler = optimizer, scheduler
        self.rng = np.random.default_rng(s["seed"])
        self.epoch, self.steps = 0, 0
        self.version += 1
        self.last_batch = np.arange(min(s["batch_size"], len(x_tr)))
        self.curves: dict[str, list[float]] = {"epoch": [], "train": [], "test": []}
        self.trace: list[tuple[int, np.ndarray, np.ndarray]] = []  # (epoch, values, grads)
        self.extent = snapshot.extent(x_all)
        self.task = "binary" if head == "sigmoid" else "multiclass"
        with LIBRARY_LOCK:
            self._log()

    def target(self, y: np.ndarray) -> Any:
        from ..tensor import _make
        if self.task == "binary":
            return _make(np.asarray(y, np.float32).reshape(-1, 1))
        return _make(np.asarray(y, np.int64))

    # -- training --------------------------------------------------------------------------
    def _loss(self, x: np.ndarray, y: np.ndarray) -> float:
        from ..autograd.grad_mode import no_grad
        from ..tensor import _make
        self.model.eval()
        with no_grad():
            return float(self.loss_fn(self.model(_make(x)), self.target(y)).item())

    def _log(self) -> None:
        """Record the losses and every parameter's value and last gradient (after an epoch)."""
        train = self._loss(self.x_train, self.y_train)
        test = self._loss(self.x_test, self.y_test) if self.x_test is not None else float("nan")
        for key, v in (("epoch", float(self.epoch)), ("train", train), ("test", test)):
            self.curves[key].append(v)
        params = list(self.model.parameters())
        values = np.concatenate([p._data.ravel() for p in params])
        grads = np.concatenate([(p.grad._data if p.grad is not None else np.zeros_like(p._data))
                                .ravel() for p in params])
        self.trace.append((self.epoch, values.copy(), grads.copy()))
        if len(self.curves["epoch"]) > 2 * HISTORY_POINTS:  # keep the first, halve the rest
            for key in self.curves:
                self.curves[key] = self.curves[key][:1] + self.curves[key][2::2]
            self.trace = self.trace[:1] + self.trace[2::2]

    def _epoch(self) -> None:
        from ..tensor import _make
        model, opt, bs = self.model, self.optimizer, self.settings["batch_size"]
        model.train()
        order = self.rng.permutation(len(self.x_train))
        for k in range(0, len(order), bs):
            idx = order[k:k + bs]
            loss = self.loss_fn(model(_make(self.x_train[idx])), self.target(self.y_train[idx]))
            opt.zero_grad()
            loss.backward()
            opt.step()
            self.steps += 1
            self.last_batch = idx
        self.epoch += 1
        if self.scheduler is not None and self.epoch <= PLANNED_EPOCHS:
            if self.settings["schedule"] == "plateau":
                self.scheduler.step(self.curves["train"][-1])
            else:
                self.scheduler.step()
        self._log()

    def advance(self, budget_s: float = 0.05, max_epochs: int | None = None) -> dict[str, Any]:
        """Train whole epochs for about ``budget_s`` seconds (at least one); return the state."""
        with self.lock:
            start, done = time.perf_counter(), 0
            while True:
                with LIBRARY_LOCK:
                    self._epoch()
                done += 1
                if (max_epochs is not None and done >= max_epochs) or \
                        time.perf_counter() - start >= budget_s:
                    break
            if not np.isfinite(self.curves["train"][-1]):
                self.playing = False
            return self.state()

    def state(self) -> dict[str, Any]:
        """What the page draws: epoch, losses, curves, boundary, neuron outputs and weights."""
        with LIBRARY_LOCK:
            drawing = snapshot.draw(self.model, self.preprocessor, self.extent, self.task)
        c = self.curves
        return {"version": self.version, "epoch": self.epoch, "steps": self.steps,
                "playing": self.playing,
                "lr": float(self.optimizer.param_groups[0]["lr"]),
                "train_loss": snapshot.finite(c["train"][-1]),
                "test_loss": snapshot.finite(c["test"][-1]),
                "curves": {k: [snapshot.finite(v) for v in c[k]] for k in c}, **drawing}

    def describe(self) -> dict[str, Any]:
        """The settings and the data points (sent when the page (re)builds)."""
        x_tr, y_tr, x_te, y_te = self.raw
        return {"version": self.version, "settings": self.settings, "classes": self.classes,
                "features": self.features,
                "upload": self.upload_name or None,
                "columns": list(self.upload.feature_names) if self.upload is not None else None,
                "extent": self.extent, "layers": [2, *self.settings["hidden"],
                                                  self.model_config["args"]["out_features"]],
                "train": {"x": np.round(x_tr, 4).tolist(), "y": y_tr.tolist()},
                "test": {"x": np.round(x_te, 4).tolist(), "y": y_te.tolist()}}

    def explain(self, param: str) -> dict[str, Any]:
        """∂L/∂param for the last batch, narrated by chainrule.explain, and its history."""
        from .focus import narrate
        with self.lock, LIBRARY_LOCK:
            return narrate(self, param)

    def surface(self, a: Any, b: Any) -> dict[str, Any]:
        """The training loss over weights ``a`` and ``b``, and their path (see serve.surface)."""
        from .surface import surface
        with self.lock:
            return surface(self, a, b, LIBRARY_LOCK)

    def run_zip(self) -> bytes:
        """The trained run as a zip of a run folder (``chainrule predict`` reads it)."""
        from .export import run_zip
        with self.lock, LIBRARY_LOCK:
            return run_zip(self)

