"""``chainrule train``: train an MLP on a named dataset or a CSV file and write a run folder.

With no arguments it trains on two generated spirals (seeded) and prints the
final metrics. ``--resume RUN_DIR --epochs N`` continues a run to N epochs in
total, exactly as if it had been trained N epochs straight. Schedules planned
over the number of epochs (step, cosine, onecycle) can resume an interrupted
run up to their planned length but not extend it; none and plateau extend.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from . import UsageError
from ._train_run import SAVE_SECONDS
from ._train_run import check_save_every as _check_save_every
from ._train_run import train as _train

EXAMPLES = """examples:
  chainrule train                                   # two spirals, MLP 128-64, Adam
  chainrule train --dataset moons --hidden 16,16 --epochs 50
  chainrule train --data houses.csv --target price --optimizer sgd --lr 0.05
  chainrule train --resume runs/spirals-20250101-120000 --epochs 200
"""
_RESUMABLE = ("epochs", "verbose", "no_figures", "save_every")


def register(subparsers: Any) -> None:
    from ..nn import ACTIVATIONS
    from ..tabular.job import DEFAULTS as D
    from ..tabular.job import GENERATED_DEFAULTS
    from ..tabular.recipe import DEFAULT_LR, LOSSES, OPTIMIZERS, SCHEDULES
    lrs = ", ".join(f"{k} {v:g}" for k, v in DEFAULT_LR.items())
    p = subparsers.add_parser(
        "train", help="train an MLP and write a run folder", epilog=EXAMPLES,
        description="Train a multi-layer perceptron; the task (binary, multiclass, regression), "
        "output layer and loss are inferred from the target unless given.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    src = p.add_argument_group("data")
    src.add_argument("--dataset", metavar="NAME", help="a named dataset (see `chainrule "
                     "datasets`); default: spirals")
    src.add_argument("--data", metavar="FILE.csv", help="a table with a header row: CSV (any "
                     "delimiter, .csv.gz) or Parquet; text columns are one-hot encoded or "
                     "embedded (--categorical) and missing cells imputed")
    src.add_argument("--target", metavar="COLUMN", help="target column of --data by name or "
                     "index (default: the last); a,b for several regression outputs")
    src.add_argument("--delimiter", metavar="CHAR", help="CSV delimiter (default: sniffed "
                     "among , ; tab |)")
    src.add_argument("--missing", choices=["impute", "error"], help="missing cells (empty, NA, "
                     "NaN, null, ?): impute (median or a 'missing' category, plus indicator "
                     "columns; default) or error")
    src.add_argument("--max-categories", type=int, metavar="N", help="one-hot columns per text "
                     f"column at most, rarer values share 'other' (default {D['max_categories']}; "
                     "with --categorical auto a column with more values is embedded instead)")
    src.add_argument("--categorical", choices=["auto", "onehot", "embed"],
                     help="text columns: onehot, embed (an integer code per value into a "
                     "learned nn.Embedding, concatenated with the other features; values seen "
                     "once or unseen share 'other') or auto (default: embed the columns with "
                     "more distinct values than --max-categories)")
    src.add_argument("--embed-dim", type=int, metavar="N", help="embedding width per embedded "
                     "column (default min(16, round(1.6 * codes ** 0.56)))")
    src.add_argument("--samples", type=int, metavar="N", help="samples of a generated dataset "
                     f"(default {GENERATED_DEFAULTS['samples']})")
    src.add_argument("--noise", type=float, metavar="X", help="noise of a generated dataset "
                     "(default: the dataset's; spirals 0.03)")
    src.add_argument("--task", choices=["binary", "multiclass", "regression"],
                     help="default: inferred from the target (text or at most 20 integer "
                     "values: classes)")
    src.add_argument("--val-split", type=float, metavar="F", help="held-out fraction (default "
                     f"{D['val_split']}; 0 for none)")
    m = p.add_argument_group("model and training")
    m.add_argument("--hidden", metavar="64,64", help="hidden layer widths (default "
                   f"{','.join(map(str, D['hidden']))}; 'none' for a linear model)")
    m.add_argument("--activation", choices=sorted(ACTIVATIONS), help=f"default {D['activation']}")
    m.add_argument("--dropout", type=float, metavar="P", help="dropout probability after "
                   f"each hidden layer (default {D['dropout']:g})")
    m.add_argument("--loss", choices=sorted(LOSSES), help="default: from the task")
    m.add_argument("--optimizer", choices=sorted(OPTIMIZERS), help=f"default {D['optimizer']}")
    m.add_argument("--lr", type=float, metavar="X", help=f"learning rate (default: {lrs})")
    m.add_argument("--momentum", type=float, metavar="X", help="sgd/rmsprop (sgd default 0.9)")
    m.add_argument("--weight-decay", type=float, metavar="X", help="L2 penalty (default "
                   f"{D['weight_decay']:g})")
    m.add_argument("--schedule", choices=list(SCHEDULES), help=f"default {D['schedule']}")
    m.add_argument("--epochs", type=int, metavar="N", help=f"default {D['epochs']}")
    m.add_argument("--batch-size", type=int, metavar="N", help=f"default {D['batch_size']}")
    m.add_argument("--early-stopping", type=int, metavar="PATIENCE",
                   help="stop after PATIENCE epochs without improvement of the validation "
                   f"loss and keep the best weights (default {D['early_stopping']}; 0: off)")
    m.add_argument("--seed", type=int, metavar="N", help=f"default {D['seed']}")
    o = p.add_argument_group("output")
    o.add_argument("--out", metavar="DIR", help="run folder (default runs/<dataset>-<time>)")
    o.add_argument("--resume", metavar="RUN_DIR", help="continue RUN_DIR to --epochs in total")
    o.add_argument("--no-figures", action="store_true", help="skip the PNG figures (faster)")
    o.add_argument("--save-every", metavar="N|Ts", help="write the checkpoint every N epochs, "
                   "or (Ts, e.g. 30s) at the end of the first epoch T seconds after the last "
                   f"save (default {SAVE_SECONDS:g}s: a crash loses at most that much "
                   "training; always after the last epoch, and on Ctrl-C or SIGTERM)")
    o.add_argument("--metrics", metavar="a,b", help="metrics of the final table (default: "
                   "loss,accuracy,precision,recall,f1 or mse,rmse,mae,r2; also "
                   "balanced_accuracy)")
    o.add_argument("--verbose", type=int, choices=[0, 1, 2], default=1,
                   help="0 silent, 1 progress bar (default), 2 one line per epoch")
    p.set_defaults(func=run)


def _settings(args: argparse.Namespace) -> dict[str, Any]:
    from ..tabular.job import DEFAULTS, make_settings
    return make_settings(**{k: getattr(args, k) for k in DEFAULTS})


def _out_dir(out: str | None, name: str) -> Path:
    if out is not None:
        d = Path(out)
        if d.exists() and not d.is_dir():
            raise UsageError(f"--out: expected a folder, got the file {out!r}")
        return d  # whether it holds a run is checked under its lock
    base = Path("runs") / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}"
    d, i = base, 1
    while d.exists():
        i += 1
        d = base.with_name(f"{base.name}-{i}")
    return d


def _holds_run(d: Path) -> bool:
    from ..train.checkpoint import has_checkpoint
    return (d / "model.json").exists() or has_checkpoint(d)


def run(args: argparse.Namespace) -> int:
    from ._safety import StoppedEarlyError
    try:
        return _run(args)
    except StoppedEarlyError as exc:  # a signal before the first epoch: nothing was kept
        return exc.code


def _run(args: argparse.Namespace) -> int:
    from ..train import files
    from ..tabular.job import FORMAT, VERSION
    from ._safety import safe_prepare
    from ..tabular.lock import RunLock
    _check_save_every(args)
    if args.resume is not None:
        return _resume(args)
    settings = _settings(args)
    job = safe_prepare(settings)
    out = _out_dir(args.out, job.name)
    created = not out.exists()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"--out: cannot create {str(out)!r} ({exc.strerror})") from None
    lock = RunLock(out).acquire()  # before anything is written; exit 2 if another holds it
    meta = {"format": FORMAT, "version": VERSION, "settings": job.settings,
            "planned_epochs": settings["epochs"], "data_sha256": job.data_sha256}
    try:
        if _holds_run(out):  # finished by another process between the check and the lock
            raise UsageError(f"--out: {str(out)!r} already holds a run; continue it with "
                             f"--resume {out} or choose another folder")
        files.sweep_temporaries(out)
        files.write_json(out / "train.json", meta)
        return _train(job, out, settings["epochs"], args, resume=False)
    except BaseException:
        from ..train.checkpoint import has_checkpoint
        if not has_checkpoint(out):  # nothing to resume: leave no trace
            (out / "train.json").unlink(missing_ok=True)
            if created and {p.name for p in out.iterdir()} <= {".lock"}:
                lock.release(remove=True)
                out.rmdir()
        raise
    finally:
        lock.release()


def _model_files_match(d: Path, epoch: int) -> bool:
    """Whether the run's model files were written from the checkpoint at ``epoch``."""
    from ..train.errors import ModelFileError
    from ..tabular.run import load_run
    try:
        return load_run(d).epochs == epoch
    except ModelFileError:
        return False


def _resume(args: argparse.Namespace) -> int:
    from ..train import files
    from ..tabular.lock import RunLock
    given = [k for k, v in vars(args).items()
             if v not in (None, False) and k not in (*_RESUMABLE, "resume", "func", "command")]
    if given:
        flags = ", ".join("--" + k.replace("_", "-") for k in given)
        raise UsageError(f"--resume: continues a run with its saved settings; only --epochs, "
                         f"--verbose, --no-figures and --save-every may be given, got {flags}")
    d = Path(args.resume)
    if not d.is_dir():
        raise UsageError(f"--resume: expected a run folder, got {str(d)!r} "
                         f"({'a file' if d.exists() else 'no such folder'})")
    with RunLock(d):
        files.sweep_temporaries(d)
        return _resume_locked(args, d)


def _resume_locked(args: argparse.Namespace, d: Path) -> int:
    from ..train import files
    from ..train.checkpoint import has_checkpoint, read_checkpoint
    from ._safety import read_train_json, safe_prepare
    meta = read_train_json(d)
    settings = meta["settings"]
    if not has_checkpoint(d):
        raise UsageError(f"--resume: {d} has no checkpoint (stopped before its first one); "
                         f"start it afresh: chainrule train --out {d} ...")
    done = read_checkpoint(d)["epoch"]
    if args.epochs is None or args.epochs == done:
        if _model_files_match(d, done):
            raise UsageError(f"--epochs: expected the total number of epochs, more than the "
                             f"{done} already trained, got {args.epochs}")
        args.epochs = done  # the model files lag behind the checkpoint: write them from it
    if args.epochs < done:
        raise UsageError(f"--epochs: expected the total number of epochs, more than the "
                         f"{done} already trained, got {args.epochs}")
    planned = int(meta.get("planned_epochs") or settings["epochs"])
    if settings["schedule"] in ("step", "cosine", "onecycle") and args.epochs > planned:
        raise UsageError(f"--epochs: the {settings['schedule']} schedule of this run was planned "
                         f"for {planned} epochs; expected at most {planned}, got {args.epochs}")
    job = safe_prepare(settings, planned_epochs=planned)
    if job.data_sha256 != meta.get("data_sha256"):
        raise UsageError(f"--resume: {settings['data']} has changed since the run was trained")
    code = _train(job, d, args.epochs, args, resume=True)
    if code:
        return code
    files.write_json(d / "train.json", {**meta, "settings": {**settings,
                                                             "epochs": args.epochs}})
    return code
