"""The ``chainrule`` command: one module per subcommand.

Each module in ``SUBCOMMANDS`` exposes ``register(subparsers)``, which adds its
parser and sets ``func`` (a callable taking the parsed args and returning an
exit code). User mistakes raise :class:`UsageError` (or ValueError/OSError from
the library; ImportError for a missing optional dependency): ``main`` prints
one line ``chainrule: error: ...`` and exits 2, never a traceback.
"""
from __future__ import annotations

import argparse
import importlib
import sys
from typing import Sequence

SUBCOMMANDS = ("train", "evaluate", "predict", "datasets", "explain", "plot", "serve", "export")


class UsageError(Exception):
    """A mistake by the user: printed as one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="chainrule", description="Train, inspect and explain small neural "
                     "networks on NumPy.")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    for name in SUBCOMMANDS:
        try:
            module = importlib.import_module(f"chainrule.cli.{name}_cmd")
        except ModuleNotFoundError as exc:
            if exc.name != f"chainrule.cli.{name}_cmd":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``chainrule`` console script."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if getattr(args, "func", None) is None:
            parser.print_help()
            return 2
        return int(args.func(args) or 0)
    except UsageError as exc:
        print(f"chainrule: error: {exc}", file=sys.stderr)
        return 2
    except (ValueError, OSError, TypeError, IndexError, KeyError, ImportError) as exc:
        # library errors about the user's input, and a missing optional dependency (the
        # message names the extra to install)
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"chainrule: error: {msg}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("chainrule: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
