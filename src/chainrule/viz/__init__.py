"""Seeing inside: graph drawings and the course's plots (matplotlib, the ``viz`` extra).

Importing this package is light: its functions load on first use, and
matplotlib and graphviz are imported only by the functions that draw. Every
plot function returns a matplotlib Figure (made without pyplot: no display
needed; ``fig.savefig("f.png")``; Jupyter shows it inline). Importing
:func:`draw_graph` installs a global module forward hook that tags graph nodes
with the module that made them (for ``collapse_modules``).

Example
-------
>>> from chainrule import viz
>>> fig = viz.plot_activations(["relu", "tanh"])
>>> fig.get_size_inches().round(1).tolist()
[6.0, 2.6]
"""
from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "activation_curves": "activations", "plot_activations": "activations",
    "plot_decision_boundary": "decision", "predict_grid": "decision",
    "plot_history": "history", "plot_confusion_matrix": "confusion",
    "plot_optimizer_paths": "optimizers", "plot_initialization": "optimizers",
    "optimizer_paths": "surfaces", "SURFACES": "surfaces", "OPTIMIZERS": "surfaces",
    "plot_lr_schedules": "schedules", "lr_sequence": "schedules",
    "plot_closed_form_vs_gd": "closed_form", "save_run_figures": "run",
    "draw_graph": "graph", "has_dot": "graph",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'chainrule.viz' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
