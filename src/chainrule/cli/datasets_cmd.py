"""``chainrule datasets``: the named datasets, with their task and a description."""
from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("datasets", help="list the named datasets",
                              description="List the datasets usable with `chainrule train "
                              "--dataset NAME`: generated ones (seeded), scikit-learn's "
                              "bundled ones (needs scikit-learn) and downloaded ones.")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..data import list_datasets
    infos = list_datasets()
    width = max(len(d.name) for d in infos) + 2
    print(f"{'name':<{width}}{'task':<12}{'source':<11}description")
    for d in infos:
        print(f"{d.name:<{width}}{d.task:<12}{d.source:<11}{d.description}")
    return 0
