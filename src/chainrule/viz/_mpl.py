"""Matplotlib, imported only when a plot is drawn; figures made without pyplot (no display).

Every plot function returns a :class:`matplotlib.figure.Figure` built directly
(not through ``pyplot``), so nothing depends on a GUI backend and no global
figure registry grows: save it with ``fig.savefig(path)``; Jupyter shows it
inline.
"""
from __future__ import annotations

from typing import Any

EXTRA = 'pip install "chainrule[viz]"'

# One palette for every figure (colour-blind safe, Okabe-Ito).
COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C564B",
          "#000000"]


def figure(width: float, height: float, **kwargs: Any) -> Any:
    """A new Figure of ``width`` x ``height`` inches (100 dpi) with constrained layout."""
    try:
        from matplotlib.figure import Figure
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError(f"chainrule.viz: expected matplotlib to draw figures, got none; "
                          f"{EXTRA}") from None
    kwargs.setdefault("layout", "constrained")
    return Figure(figsize=(width, height), dpi=100, **kwargs)


def cmap(name: str) -> Any:
    from matplotlib import colormaps
    return colormaps[name]


def save(fig: Any, path: Any, dpi: int = 100) -> Any:
    """Write ``fig`` to ``path`` (format from the suffix: png, svg, pdf); return the Path."""
    from pathlib import Path
    p = Path(path)
    if p.suffix.lower() not in (".png", ".svg", ".pdf", ".jpg", ".jpeg"):
        raise ValueError(f"save figure: expected a file name ending in .png, .svg or .pdf, "
                         f"got {str(path)!r}")
    p.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(p, dpi=dpi)
    return p
