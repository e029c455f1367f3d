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
        command = self.prog.split()[1:]  # "chainrule train" -> a hint, never "chainrule:" again
        hint = f" (see chainrule {' '.join(command)} --help)" if command else ""
        raise UsageError(f"{message}{hint}")


def _version() -> str:
    try:
        from importlib.metadata import version
        return version("chainrule")
    except Exception:  # not installed as a distribution (a source checkout)
        import chainrule
        return str(getattr(chainrule, "__version__", "unknown"))


class _VersionAction(argparse.Action):
    """``--version``: the version is looked up (importlib.metadata, ~0.1 s) only when asked."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help=str(kwargs.get("help", "")))

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        print(f"chainrule {_version()}")
        parser.exit()


def _one_line(exc: BaseException) -> str:
    """The first line of the message, without a repeated ``chainrule: error:`` prefix."""
    msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    for prefix in ("chainrule: error: ", "chainrule: "):
        if msg.startswith(prefix):
            msg = msg[len(prefix):]
    if len(msg) > 400:  # a message quotes user input: never a 2 MB line
        msg = msg[:300] + " ... " + msg[-95:]
    return msg


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="chainrule", description="Train, inspect and explain small neural "
                     "networks on NumPy.", epilog="`chainrule COMMAND --help` describes a "
                     "command. With no command: this usage, exit code 2 (as any usage error).")
    parser.add_argument("--version", action=_VersionAction, help="print the version and exit")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")
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
    except BrokenPipeError:  # the reader went away (`chainrule explain ... | head`): as cat does
        import os
        try:  # send what is still buffered nowhere, so Python's exit raises nothing more
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 141
    except (UsageError, ValueError, OSError, TypeError, IndexError, KeyError,
            ImportError) as exc:
        # user mistakes, library errors about the user's input, and a missing optional
        # dependency (the message names the extra to install)
        print(f"chainrule: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("chainrule: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
