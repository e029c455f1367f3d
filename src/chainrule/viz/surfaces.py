"""2-D loss surfaces and optimizer paths on them, with the real ``chainrule.optim`` classes.

Each surface is a function of two tensors written with chainrule ops, so the
same code evaluates the contour grid and gives the gradient (autograd) that
the optimizers follow.
"""
from __future__ import annotations

import functools
from typing import Any, Callable, NamedTuple

import numpy as np

from .. import ops
from ..autograd.grad_mode import no_grad
from ..nn.parameter import Parameter
from ..tensor import Tensor


class Surface(NamedTuple):
    """A loss surface: f(x, y), the plotted box, a start point and known minima."""

    title: str
    fn: Callable[[Any, Any], Any]
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    start: tuple[float, float]
    minima: tuple[tuple[float, float], ...]
    log_levels: bool  # contour levels spaced logarithmically (steep valleys)


def _bowl(x: Any, y: Any) -> Any:
    return 0.1 * x ** 2 + 2.0 * y ** 2


def _rosenbrock(x: Any, y: Any) -> Any:
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2


_WELLS = ((2.0, 2.0, 2.0, 1.2), (-2.5, -1.0, 1.5, 1.0), (1.5, -2.5, 1.0, 0.7),
          (-2.0, 2.5, 0.8, 0.6))  # (centre x, centre y, depth, width) of each well


def _wells(x: Any, y: Any) -> Any:
    """A shallow bowl with four Gaussian wells of different depths: several local minima."""
    f = 0.05 * (x ** 2 + y ** 2)
    for cx, cy, depth, width in _WELLS:
        f = f - depth * ops.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * width ** 2))
    return f


SURFACES: dict[str, Surface] = {
    "bowl": Surface("Convex bowl 0.1x² + 2y²", _bowl, (-5.0, 5.0), (-2.0, 2.0), (-4.5, 1.5),
                    ((0.0, 0.0),), False),
    "rosenbrock": Surface("Rosenbrock (1−x)² + 100(y−x²)²", _rosenbrock, (-2.0, 2.0),
                          (-1.0, 3.0), (-1.2, 1.0), ((1.0, 1.0),), True),
    # the wells' minima, found by running GD to convergence from each centre
    "wells": Surface("Several local minima", _wells, (-5.0, 5.0), (-5.0, 5.0), (-4.0, 4.2),
                     ((1.864, 1.864), (-2.341, -0.936), (1.428, -2.377), (-1.901, 2.382)),
                     False),
}

# optimizer name -> (class name in chainrule.optim, options, learning rate per surface)
OPTIMIZERS: dict[str, tuple[str, dict[str, Any], dict[str, float]]] = {
    "GD": ("SGD", {}, {"bowl": 0.2, "rosenbrock": 1e-3, "wells": 0.5}),
    "Momentum": ("SGD", {"momentum": 0.9}, {"bowl": 0.05, "rosenbrock": 2e-4, "wells": 0.1}),
    "Nesterov": ("SGD", {"momentum": 0.9, "nesterov": True},
                 {"bowl": 0.05, "rosenbrock": 2e-4, "wells": 0.1}),
    "Adagrad": ("Adagrad", {}, {"bowl": 1.0, "rosenbrock": 0.5, "wells": 0.5}),
    "RMSprop": ("RMSprop", {}, {"bowl": 0.05, "rosenbrock": 0.01, "wells": 0.05}),
    "Adam": ("Adam", {}, {"bowl": 0.2, "rosenbrock": 0.05, "wells": 0.1}),
}


def surface(name: str) -> Surface:
    if name not in SURFACES:
        raise ValueError(f"surface: expected a name in {', '.join(SURFACES)}, got {name!r}")
    return SURFACES[name]


def evaluate(s: Surface, xx: np.ndarray, yy: np.ndarray) -> np.ndarray:
    """f on a grid (float64, no graph)."""
    with no_grad():
        out = s.fn(Tensor(xx, dtype="float64"), Tensor(yy, dtype="float64"))
    return np.asarray(out._data, dtype=np.float64)


def make_optimizer(name: str, params: list[Parameter], surface_name: str,
                   lr: float | None = None) -> Any:
    """The chainrule.optim optimizer behind a name of ``OPTIMIZERS`` (its lr for the surface)."""
    from .. import optim
    if name not in OPTIMIZERS:
        raise ValueError(f"optimizer paths: expected optimizer names in "
                         f"{', '.join(OPTIMIZERS)}, got {name!r}")
    cls_name, options, lrs = OPTIMIZERS[name]
    rate = lr if lr is not None else lrs.get(surface_name, 0.01)
    return getattr(optim, cls_name)(params, lr=rate, **options)


def run_path(s: Surface, make: Callable[[list[Parameter]], Any], start: tuple[float, float],
             steps: int) -> np.ndarray:
    """Positions visited by an optimizer from ``start`` (stops early if it diverges).

    Shape
    -----
    (k, 2) with k <= steps + 1 (the start included).
    """
    p = Parameter(Tensor(np.asarray(start, dtype=np.float64)))
    opt = make([p])
    path = [p._data.copy()]
    span = max(s.xlim[1] - s.xlim[0], s.ylim[1] - s.ylim[0])
    for _ in range(steps):
        opt.zero_grad()
        loss = s.fn(p[0], p[1])
        loss.backward()
        opt.step()
        point = p._data.copy()
        path.append(point)
        if not np.all(np.isfinite(point)) or np.abs(point).max() > 10 * span:
            break
    return np.asarray(path)


def optimizer_paths(surface_name: str, optimizers: list[str] | None = None, steps: int = 150,
                    start: tuple[float, float] | None = None,
                    lrs: dict[str, float] | None = None) -> dict[str, np.ndarray]:
    """name -> path of each optimizer from the same start on a surface.

    Example
    -------
    >>> paths = optimizer_paths("bowl", ["GD", "Adam"], steps=200)
    >>> [bool(abs(p[-1]).max() < 0.05) for p in paths.values()]
    [True, True]
    """
    surface(surface_name)
    names = tuple(OPTIMIZERS) if optimizers is None else tuple(optimizers)
    for name in names:
        if name not in OPTIMIZERS:
            raise ValueError(f"optimizer paths: expected optimizer names in "
                             f"{', '.join(OPTIMIZERS)}, got {name!r}")
    if steps < 1:
        raise ValueError(f"optimizer paths: expected steps >= 1, got {steps}")
    begin = tuple(float(v) for v in start) if start is not None else None
    rates = tuple(sorted((lrs or {}).items()))
    return {name: path.copy() for name, path in
            _paths(surface_name, names, steps, begin, rates).items()}


@functools.lru_cache(maxsize=32)
def _paths(surface_name: str, names: tuple[str, ...], steps: int,
           start: tuple[float, ...] | None, rates: tuple[tuple[str, float], ...]
           ) -> dict[str, np.ndarray]:
    """The runs behind optimizer_paths, kept: an example prints them and then draws them."""
    s, lrs = SURFACES[surface_name], dict(rates)
    return {name: run_path(s, _maker(name, surface_name, lrs.get(name)),
                           start if start is not None else s.start,  # type: ignore[arg-type]
                           steps) for name in names}


def _maker(name: str, surface_name: str, lr: float | None) -> Callable[[list[Parameter]], Any]:
    return lambda params: make_optimizer(name, params, surface_name, lr)


def starts_grid(s: Surface, n: int = 3) -> list[tuple[float, float]]:
    """n x n starting points spread over the surface's box (inset by 15%)."""
    (x0, x1), (y0, y1) = s.xlim, s.ylim
    xs = np.linspace(x0 + 0.15 * (x1 - x0), x1 - 0.15 * (x1 - x0), n)
    ys = np.linspace(y0 + 0.15 * (y1 - y0), y1 - 0.15 * (y1 - y0), n)
    return [(float(a), float(b)) for b in ys for a in xs]
