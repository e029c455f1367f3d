"""``chainrule explain``: the chain rule narrated for the course's example or a small formula.

    chainrule explain --example course --values theta1=2,theta2=-3,x=0.5,y=1
    chainrule explain "(w*x + b - y)**2" --values w=0.5,x=2,b=0.1,y=1 --format markdown
"""
from __future__ import annotations

import argparse
import math
from typing import Any

from . import UsageError

EXAMPLES = ("course",)
_COURSE_NAMES = ("theta1", "theta2", "x", "y")


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "explain", help="narrate backpropagation (the chain rule) step by step",
        description="Print the forward values and every backward step (local derivative, "
        "upstream gradient and their product) of the course's worked example or of a small "
        "formula such as \"(w*x + b - y)**2\" (numbers, names, + - * / **, unary minus and "
        "exp, log, sin, cos, tanh, sigmoid, relu, sqrt, abs, ...).")
    p.add_argument("expression", nargs="?", help="a formula, e.g. \"(w*x + b - y)**2\"")
    p.add_argument("--example", choices=EXAMPLES,
                   help="the course's worked example: L = (θ1·θ2·x − y)²")
    p.add_argument("--values", default="", metavar="NAME=VALUE,...",
                   help="values of the names, e.g. w=0.5,x=2,b=0.1,y=1")
    p.add_argument("--wrt", default=None, metavar="NAME,...",
                   help="names to differentiate (default: all but x, y, t, target)")
    p.add_argument("--format", choices=("text", "markdown", "html"), default="text",
                   help="output format (default text)")
    p.set_defaults(func=run)


def parse_values(text: str) -> dict[str, float]:
    """``"a=1,b=-2.5"`` -> ``{"a": 1.0, "b": -2.5}``."""
    out: dict[str, float] = {}
    for item in filter(None, (s.strip() for s in text.split(","))):
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier():
            raise UsageError(f"--values: expected NAME=NUMBER pairs separated by commas, got "
                             f"{item!r}")
        try:
            v = float(value)
        except ValueError:
            raise UsageError(f"--values: expected a number for {name}, got {value.strip()!r}") \
                from None
        if not math.isfinite(v):
            raise UsageError(f"--values: expected a finite number for {name}, got {v}")
        if name in out:
            raise UsageError(f"--values: expected each name once, got {name} twice")
        out[name] = v
    return out


def run(args: argparse.Namespace) -> int:
    import numpy as np
    values = parse_values(args.values)
    try:  # a value outside a function's domain (log(-1), 1/0, overflow) is the user's to fix
        with np.errstate(all="raise"):
            return _run(args, values)
    except FloatingPointError as exc:
        given = f" at {args.values}" if args.values else ""
        raise UsageError(f"explain: expected values at which the formula and its derivatives "
                         f"are finite, got {exc}{given}") from None


def _run(args: argparse.Namespace, values: dict[str, float]) -> int:
    from ..explain import course_example, explain, from_expression

    if (args.example is None) == (args.expression is None):
        raise UsageError("explain: expected a formula or --example course (one of them), got "
                         + ("both" if args.example else "neither"))
    if args.example == "course":
        unknown = sorted(set(values) - set(_COURSE_NAMES))
        if unknown:
            raise UsageError(f"--values: expected names among {', '.join(_COURSE_NAMES)} for "
                             f"the course example, got {', '.join(unknown)}")
        tensors = course_example(**values)
        loss = tensors["L"]
    else:
        wrt = None if args.wrt is None else [s.strip() for s in args.wrt.split(",") if s.strip()]
        loss, tensors = from_expression(args.expression, values, wrt)
    text = explain(loss)
    if args.format == "markdown":
        print(text.to_markdown())
    elif args.format == "html":
        print(text.to_html())
    else:
        print(text)
    return 0
