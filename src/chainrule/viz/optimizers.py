"""Optimizer paths on loss surfaces, and plain GD from several starts (sensitivity to init)."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ._mpl import COLORS, cmap, figure
from .surfaces import (OPTIMIZERS, SURFACES, Surface, evaluate, make_optimizer,
                       optimizer_paths, run_path, starts_grid, surface)

STEPS = {"bowl": 100, "rosenbrock": 1500, "wells": 200}


def _contours(ax: Any, s: Surface, resolution: int = 200) -> None:
    xx, yy = np.meshgrid(np.linspace(*s.xlim, resolution), np.linspace(*s.ylim, resolution))
    zz = evaluate(s, xx, yy)
    if s.log_levels:
        shifted = zz - zz.min() + 1e-3
        levels = np.geomspace(shifted.min() * 10, shifted.max(), 25)
        ax.contourf(xx, yy, shifted, levels=levels, cmap=cmap("Greys_r"), alpha=0.35,
                    locator=None, norm=_lognorm(levels))
        ax.contour(xx, yy, shifted, levels=levels, colors="0.55", linewidths=0.5)
    else:
        ax.contourf(xx, yy, zz, levels=25, cmap=cmap("Greys_r"), alpha=0.35)
        ax.contour(xx, yy, zz, levels=25, colors="0.55", linewidths=0.5)
    for m in s.minima:
        ax.plot(*m, marker="*", color="gold", markeredgecolor="k", markersize=13, zorder=5)
    ax.set_xlim(*s.xlim)
    ax.set_ylim(*s.ylim)
    ax.set_xlabel("θ₁")
    ax.set_ylabel("θ₂")


def _lognorm(levels: np.ndarray) -> Any:
    from matplotlib.colors import LogNorm
    return LogNorm(vmin=levels[0], vmax=levels[-1])


def _clip(path: np.ndarray, s: Surface) -> np.ndarray:
    """The path up to where it leaves the plotted box for good (a diverging run)."""
    pad = 0.5 * max(s.xlim[1] - s.xlim[0], s.ylim[1] - s.ylim[0])
    inside = ((path[:, 0] > s.xlim[0] - pad) & (path[:, 0] < s.xlim[1] + pad) &
              (path[:, 1] > s.ylim[0] - pad) & (path[:, 1] < s.ylim[1] + pad))
    if inside.all():
        return path
    return path[:max(int(np.argmin(inside)), 1) + 1]


def plot_optimizer_paths(surface_name: str = "all", optimizers: Sequence[str] | None = None,
                         steps: int | None = None,
                         start: tuple[float, float] | None = None) -> Any:
    """GD, momentum, Nesterov, Adagrad, RMSprop and Adam from the same start.

    ``surface_name``: "bowl" (convex, ill-conditioned), "rosenbrock" (a curved
    valley), "wells" (several local minima) or "all" (three panels). The paths
    are made by the real ``chainrule.optim`` classes with a learning rate per
    surface (``surfaces.OPTIMIZERS``); the legend gives each one's final loss.
    Returns a Figure, 6 x 5 inches per panel.

    Example
    -------
    >>> fig = plot_optimizer_paths("bowl", ["GD", "Momentum"], steps=30)
    >>> fig.axes[0].get_title()
    'Convex bowl 0.1x² + 2y²'
    """
    if surface_name != "all":
        surface(surface_name)  # validates the name
    names = list(SURFACES) if surface_name == "all" else [surface_name]
    opts = list(OPTIMIZERS) if optimizers is None else list(optimizers)
    fig = figure(6.0 * len(names), 5.0)
    axes = fig.subplots(1, len(names), squeeze=False)[0]
    for ax, name in zip(axes, names):
        s = SURFACES[name]
        _contours(ax, s)
        paths = optimizer_paths(name, opts, steps or STEPS[name], start)
        for i, (opt, path) in enumerate(paths.items()):
            shown = _clip(path, s)
            final = evaluate(s, path[-1:, 0], path[-1:, 1])[0]
            label = f"{opt}: f = {final:.3g}" if np.isfinite(final) else f"{opt}: diverged"
            ax.plot(shown[:, 0], shown[:, 1], color=COLORS[i % len(COLORS)], lw=1.6,
                    label=label, marker="." if len(shown) < 60 else None, markersize=3)
            ax.plot(*shown[-1], marker="o", color=COLORS[i % len(COLORS)],
                    markeredgecolor="k", markersize=6)
        ax.plot(*paths[opts[0]][0], marker="s", color="white", markeredgecolor="k",
                markersize=8, zorder=6)
        ax.set_title(s.title, fontsize=11)
        ax.legend(fontsize=8, loc="lower right", framealpha=0.85)
    counts = ", ".join(str(steps or STEPS[n]) for n in names)
    fig.suptitle(f"Optimizers from the same start (□), {counts} steps; ★ minimum")
    return fig


def plot_initialization(surface_name: str = "wells", starts: Sequence[tuple[float, float]] |
                        None = None, lr: float | None = None, steps: int = 200) -> Any:
    """Plain gradient descent from several starting points: each path ends in the minimum
    of the basin it started in, so the result depends on the initialisation.

    Paths are coloured by the minimum they reach; the legend counts the starts per
    minimum and gives its loss. Returns a Figure (7 x 6 inches).

    Example
    -------
    >>> fig = plot_initialization(steps=20)
    >>> len(fig.axes[0].get_lines()) > 9
    True
    """
    s = surface(surface_name)
    points = list(starts) if starts is not None else starts_grid(s, 4)
    fig = figure(7.0, 6.0)
    ax = fig.add_subplot()
    _contours(ax, s)
    ends: dict[int, list[float]] = {}
    for start in points:
        path = run_path(s, lambda ps: make_optimizer("GD", ps, surface_name, lr), start, steps)
        end = path[-1]
        k = int(np.argmin([np.hypot(*(end - np.asarray(m))) for m in s.minima])) \
            if np.all(np.isfinite(end)) else -1
        color = COLORS[k % len(COLORS)] if k >= 0 else "0.3"
        shown = _clip(path, s)
        ax.plot(shown[:, 0], shown[:, 1], color=color, lw=1.4)
        ax.plot(*shown[0], marker="s", color=color, markeredgecolor="k", markersize=6)
        ends.setdefault(k, []).append(float(evaluate(s, end[:1], end[1:])[0]))
    for k, values in sorted(ends.items()):
        mx, my = s.minima[k] if k >= 0 else (0, 0)
        where = "diverged" if k < 0 else f"minimum ({mx:.2f}, {my:.2f}), f = {np.mean(values):.3g}"
        ax.plot([], [], color=COLORS[k % len(COLORS)] if k >= 0 else "0.3", lw=2,
                label=f"{len(values)} start{'s' if len(values) > 1 else ''} → {where}")
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2)
    ax.set_title(f"Gradient descent is sensitive to initialization ({len(points)} starts, "
                 f"{steps} steps)", fontsize=11)
    return fig
