"""Shared by the examples: the ``--save DIR`` option and saving a figure there."""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def parse_args(description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--save", metavar="DIR", help="write the figures into DIR (PNG)")
    return parser.parse_args()


def save(fig: Any, directory: str | None, name: str) -> None:
    """Write ``fig`` as DIR/name.png when --save was given."""
    if directory is None:
        return
    path = Path(directory) / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    print(f"saved {path}")
