"""``chainrule serve``: a playground in the browser that trains the real library.

Needs the ``serve`` extra (Starlette, uvicorn): ``pip install "chainrule[serve]"``.
:func:`create_app` builds the ASGI app; the page is shipped in ``static/``.
"""
from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def create_app(*args: Any, **kwargs: Any) -> Any:
    """The Starlette app (see :func:`chainrule.serve.app.create_app`)."""
    from .app import create_app as _create
    return _create(*args, **kwargs)
