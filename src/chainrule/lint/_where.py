"""The user's line: the first stack frame outside chainrule's own files.

Used by the linter (warnings point at the user's line) and by anomaly mode
(each op remembers the line that created it). Walking a few frames costs about
a microsecond, so callers do it only when they are about to warn, or when
anomaly mode is on.
"""
from __future__ import annotations

import linecache
import os
import sys
from types import FrameType

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def is_library_file(filename: str) -> bool:
    """True for a file of the chainrule package itself."""
    return filename.startswith(_ROOT)


def user_frame(skip: int = 1) -> tuple[FrameType | None, int]:
    """The first frame outside chainrule, and its stacklevel as ``warnings.warn`` counts it
    from the caller of this function."""
    f: FrameType | None = sys._getframe(skip)
    level = 1
    while f is not None and f.f_code.co_filename.startswith(_ROOT):
        f = f.f_back
        level += 1
    if f is not None and f.f_code.co_filename.startswith("<frozen"):  # python -m chainrule
        return None, level
    return f, level


def user_site(skip: int = 2) -> tuple[str, int] | None:
    """(filename, line number) of the user's code that called into chainrule (None when
    chainrule itself was run, e.g. ``python -m chainrule``)."""
    f, _ = user_frame(skip)
    if f is None:
        return None
    return f.f_code.co_filename, f.f_lineno


def describe(site: tuple[str, int] | None) -> str:
    """``file.py:42: y = (x * 2).log()`` for a recorded site."""
    if site is None:
        return "chainrule's own code (no user code on the stack)"
    filename, lineno = site
    line = linecache.getline(filename, lineno).strip()
    short = os.path.basename(filename)
    return f"{short}:{lineno}: {line}" if line else f"{short}:{lineno}"
