"""``chainrule plot KIND``: the course's figures on demand, written to a file (no display).

    chainrule plot activations --out act.png
    chainrule plot optimizers --surface rosenbrock
    chainrule plot init | schedules | closed-form
    chainrule plot decision-boundary --run runs/spirals-... (also: history, confusion)
    chainrule plot graph --example course --out graph.svg
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from . import UsageError

KINDS = ("activations", "optimizers", "init", "schedules", "closed-form", "decision-boundary",
         "history", "confusion", "graph")
_RUN_KINDS = ("decision-boundary", "history", "confusion")
MAX_STEPS = 5000  # more steps show nothing more in a figure, and take minutes to draw


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "plot", help="draw a figure of the course (activations, optimizers, a run, a graph)",
        description="Draw one figure into a file (PNG, SVG or PDF; DOT for graphs). Kinds: "
        "activations (with derivatives by autograd), optimizers (paths of GD, momentum, "
        "Nesterov, Adagrad, RMSprop, Adam on loss surfaces), init (GD from several starts), "
        "schedules (learning-rate schedulers), closed-form (GD vs the normal equation), "
        "decision-boundary / history / confusion (of a run folder from `chainrule train`), "
        "graph (the computational graph of the course example or a formula).")
    p.add_argument("kind", choices=KINDS, help="what to draw")
    p.add_argument("--out", metavar="FILE", help="output file (default: KIND.png)")
    p.add_argument("--names", metavar="A,B", help="activations to draw (default: all)")
    p.add_argument("--surface", default=None,
                   choices=("all", "bowl", "rosenbrock", "wells"),
                   help="loss surface for optimizers (default all) and init (default wells)")
    p.add_argument("--steps", type=int, default=None, metavar="N", help="optimizer steps")
    p.add_argument("--run", metavar="DIR", help="a run folder written by `chainrule train`")
    p.add_argument("--example", choices=("course",), help="graph: the course's worked example")
    p.add_argument("--expression", metavar="FORMULA", help="graph: a formula, e.g. "
                   "\"(w*x + b - y)**2\" (with --values)")
    p.add_argument("--values", default="", metavar="NAME=VALUE,...",
                   help="values of the names for graph (as for `chainrule explain`)")
    p.set_defaults(func=run)


def _out(args: argparse.Namespace) -> Path:
    out = Path(args.out) if args.out else Path(args.kind.replace("-", "_") + ".png")
    allowed = (".png", ".svg", ".pdf") + ((".dot", ".gv") if args.kind == "graph" else ())
    if out.suffix.lower() not in allowed:
        raise UsageError(f"--out: expected a file ending in {', '.join(allowed)}, got {str(out)!r}")
    return out


def _check_unused(args: argparse.Namespace) -> None:
    used = {"activations": {"names"}, "optimizers": {"surface", "steps"},
            "init": {"surface", "steps"}, "schedules": {"steps"}, "closed-form": {"steps"},
            "decision-boundary": {"run"}, "history": {"run"}, "confusion": {"run"},
            "graph": {"example", "expression", "values"}}[args.kind]
    given = [k for k in ("names", "surface", "steps", "run", "example", "expression")
             if getattr(args, k) is not None] + (["values"] if args.values else [])
    extra = [k for k in given if k not in used]
    if extra:
        raise UsageError(f"plot {args.kind}: expected only "
                         f"{', '.join('--' + k for k in sorted(used)) or 'no options'}, got "
                         f"{', '.join('--' + k for k in extra)}")
    if args.steps is not None and not 1 <= args.steps <= MAX_STEPS:
        raise UsageError(f"--steps: expected a positive number at most {MAX_STEPS}, got "
                         f"{args.steps}")


def run(args: argparse.Namespace) -> int:
    _check_unused(args)
    out = _out(args)
    if args.kind == "graph":
        return _graph(args, out)
    fig = _figure(args)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=100)
    print(f"wrote {out}")
    return 0


def _figure(args: argparse.Namespace) -> Any:
    from .. import viz
    if args.kind == "activations":
        names = None if args.names is None else [n.strip() for n in args.names.split(",")]
        return viz.plot_activations(names)
    if args.kind == "optimizers":
        return viz.plot_optimizer_paths(args.surface or "all", steps=args.steps)
    if args.kind == "init":
        if args.surface == "all":
            raise UsageError("plot init: expected one --surface (bowl, rosenbrock, wells), got all")
        return viz.plot_initialization(args.surface or "wells", steps=args.steps or 200)
    if args.kind == "schedules":
        return viz.plot_lr_schedules(steps=args.steps or 100)
    if args.kind == "closed-form":
        return viz.plot_closed_form_vs_gd(steps=args.steps or 150)
    return _run_figure(args)


def _run_figure(args: argparse.Namespace) -> Any:
    from .. import viz
    from ..tabular.run import load_run
    if args.run is None:
        raise UsageError(f"plot {args.kind}: expected --run DIR (a folder written by "
                         "`chainrule train`), got none")
    r = load_run(args.run)
    if args.kind == "history":
        if r.history is None or not len(r.history):
            raise UsageError(f"plot history: expected {Path(args.run) / 'history.json'}, got none")
        return viz.plot_history(r.history, title=f"Training curves ({Path(args.run).name})")
    if r.task == "regression":
        raise UsageError(f"plot {args.kind}: expected a classification run, got a regression one")
    x, y = _training_data(Path(args.run))
    from ..tabular.run import outputs_to_predictions
    pred, _ = outputs_to_predictions(_outputs(r.model, x), r.task)
    labels = y.reshape(len(y), -1)[:, 0] if y.ndim > 1 else y
    labels = labels.astype("int64")
    if args.kind == "confusion":
        return viz.plot_confusion_matrix(y_true=labels, y_pred=pred, class_names=r.class_names,
                                         title="Training data")
    if x.shape[1] != 2:
        raise UsageError(f"plot decision-boundary: expected a run on 2-D data, got "
                         f"{x.shape[1]} features")
    return viz.plot_decision_boundary(r.model, x, labels, class_names=r.class_names,
                                      output="logits", title="Decision boundary")


def _outputs(model: Any, x: Any) -> Any:
    from ..train import predict
    return predict(model, x)


def _training_data(run_dir: Path) -> tuple[Any, Any]:
    """The run's training split, scaled as the model saw it (rebuilt from train.json)."""
    from ..tabular.job import prepare
    from ._safety import read_train_json
    path = run_dir / "train.json"
    if not path.exists():
        raise UsageError(f"plot: expected {path} (written by `chainrule train`) to rebuild the "
                         "training data, got none")
    job = prepare(read_train_json(run_dir)["settings"])  # validated: a damaged file is named
    return job.X_train, job.y_train


def _graph(args: argparse.Namespace, out: Path) -> int:
    from ..explain import course_example, from_expression
    from ..viz import draw_graph, has_dot
    from ..viz.graph import to_svg
    from .explain_cmd import parse_values
    values = parse_values(args.values)
    if (args.example is None) == (args.expression is None):
        raise UsageError("plot graph: expected --example course or --expression FORMULA (one "
                         "of them), got " + ("both" if args.example else "neither"))
    if args.example:
        tensors = course_example(**values)
        loss = tensors["L"]
    else:
        loss, tensors = from_expression(args.expression, values)
    loss.backward(retain_graph=True)
    dot = draw_graph(loss)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() in (".dot", ".gv"):
        out.write_text(dot.source, encoding="utf-8")
    elif out.suffix.lower() == ".svg":
        out.write_text(to_svg(dot), encoding="utf-8")  # the built-in layout without dot
    else:
        if not has_dot():
            raise UsageError(f"plot graph: expected graphviz's dot program to write "
                             f"{out.suffix[1:].upper()}, got none; install it (apt-get install "
                             "graphviz, brew install graphviz) or use --out FILE.svg or .dot")
        out.write_bytes(dot.pipe(format=out.suffix[1:].lower()))
    print(f"wrote {out}")
    return 0
