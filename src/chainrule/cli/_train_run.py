"""The training part of ``chainrule train``: fit with early stopping, checkpoints and safe
stops, then the run folder, the figures and the final metric table."""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np

from . import UsageError

SAVE_SECONDS = 10.0  # default checkpoint cadence: at most every 10 s of training


def check_save_every(args: argparse.Namespace) -> tuple[int | None, float | None]:
    """``--save-every`` as (epochs, None) or (None, seconds); the default is on time."""
    text = args.save_every
    if text is None:
        return None, SAVE_SECONDS
    try:
        if str(text).strip().endswith("s"):
            seconds = float(str(text).strip()[:-1])
            if 0 <= seconds < float("inf"):
                return None, seconds
        elif int(text) >= 1:
            return int(text), None
    except ValueError:
        pass
    raise UsageError(f"--save-every: expected a number of epochs >= 1 or seconds such as 30s, "
                     f"got {text!r}")


def train(job: Any, out: Path, epochs: int, args: argparse.Namespace, resume: bool) -> int:
    import sys

    from ..train import BackupAndRestore, EarlyStopping, fit
    from ..train.checkpoint import has_checkpoint, read_checkpoint
    from ._safety import SafeStop, StoppedEarlyError, StopRequestedError
    from ..tabular.recipe import metric_names
    from ..tabular.run import save_run
    s, verbose = job.settings, args.verbose
    if verbose:
        print(job.describe() + (f" (resuming {out})" if resume else ""), flush=True)
    callbacks: list[Any] = []
    if s["early_stopping"]:
        monitor = "val_loss" if job.X_val is not None else "loss"
        callbacks.append(EarlyStopping(monitor, patience=s["early_stopping"],
                                       restore_best_weights=True, verbose=verbose))
    every, seconds = check_save_every(args)
    backup = BackupAndRestore(out, save_freq=every, save_seconds=seconds, restore=False,
                              keep_last=True)
    stop = SafeStop()
    val = (job.X_val, job.y_val) if job.X_val is not None else None

    def run_fit(n: int, extra: list[Any], resume_from: Path | None, verbose: int) -> Any:
        cbs = [*callbacks, *extra]
        if s["early_stopping"]:  # a fresh one: its state comes from the checkpoint
            cbs[0] = EarlyStopping(cbs[0].monitor, patience=s["early_stopping"],
                                   restore_best_weights=True, verbose=verbose)
        return fit(job.model, (job.X_train, job.y_train), loss=job.loss,
                   optimizer=job.optimizer, epochs=n, batch_size=s["batch_size"], val_data=val,
                   metrics=metric_names(job.task), scheduler=job.scheduler, callbacks=cbs,
                   verbose=verbose, seed=s["seed"], resume=resume_from)
    with stop.installed():
        try:
            history = run_fit(epochs, [stop, backup], out if resume else None, verbose)
        except StopRequestedError:  # midway through an epoch: back to the last completed one
            done = backup.save_last()
            if done is None and not has_checkpoint(out):
                raise StoppedEarlyError(128 + (stop.signum or 2)) from None
            history = run_fit(done if done is not None else read_checkpoint(out)["epoch"], [],
                              out, 0)
    save_run(out, model=job.model, model_config=job.model_config, task=job.task,
             class_names=job.class_names, feature_names=job.feature_names, target=job.target,
             history=history, files={"preprocess.json": job.preprocess_file()})
    if stop.signum is not None and len(history) < epochs:
        print(f"chainrule: stopped after epoch {len(history)} of {epochs}; the run is saved in "
              f"{out}. Resume with:\n  chainrule train --resume {out} --epochs {epochs}",
              file=sys.stderr)
        return 128 + stop.signum
    figures = [] if args.no_figures else _figures(out, history, job)
    if verbose:
        print(_table(job))
    extra = f" ({len(figures)} figures)" if figures else ""
    print(f"Run saved to {out}{extra}")  # even with --verbose 0: where the run is
    return 0


def _figures(out: Path, history: Any, job: Any) -> list[Any]:
    """The viz figures, if matplotlib and chainrule.viz.save_run_figures are there."""
    import sys
    try:
        from ..viz import save_run_figures  # type: ignore[attr-defined]
    except ImportError:
        return []
    try:
        return list(save_run_figures(out, history, job.model, job.X_train, job.y_train,
                                     job.task, job.class_names, val=(job.X_val, job.y_val),
                                     target_scaler=job.target_scaler,
                                     target_name=job.target,
                                     feature_names=job.feature_names))
    except ImportError:
        return []
    except Exception as exc:  # a figure must never lose a finished run
        print(f"chainrule: figures skipped ({type(exc).__name__}: {exc})", file=sys.stderr)
        return []


def _table(job: Any) -> str:
    from ..tabular.report import compute_metrics, format_table, legend
    from ..tabular.run import outputs_to_predictions
    from ..train import predict
    splits = [("train", job.X_train, job.y_train)]
    if job.X_val is not None:
        splits.append(("val", job.X_val, job.y_val))
    cols = []
    for name, x, y in splits:
        out = predict(job.model, x)
        if job.target_scaler is not None:
            out = job.target_scaler.inverse_transform(out)
        pred, proba = outputs_to_predictions(out, job.task)
        truth = job.raw_targets(y) if job.task == "regression" else np.asarray(y).reshape(-1)
        cols.append((name, compute_metrics(job.task, truth, pred, proba,
                                           job.settings.get("metrics"))))
    return "\n" + format_table(cols) + f"\n({legend(job.task, job.class_names)})\n"
