"""Activation functions and their derivatives, the derivatives computed by autograd."""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from .. import ops
from ..creation import linspace
from ..tensor import Tensor
from ._mpl import COLORS, figure


def _softmax_first(x: Tensor) -> Tensor:
    """p₁ of softmax([x, 0]): the probability of class 1 as its logit moves."""
    z = ops.stack([x, x * 0.0], dim=1)
    return ops.softmax(z, dim=1)[:, 0]


# name -> (function, label); the course's seven first, then the extras.
ACTIVATIONS: dict[str, tuple[Callable[[Tensor], Tensor], str]] = {
    "relu": (ops.relu, "ReLU: max(x, 0)"),
    "sigmoid": (ops.sigmoid, "Sigmoid: 1/(1+e⁻ˣ)"),
    "leaky_relu": (lambda x: ops.leaky_relu(x, 0.1), "Leaky ReLU (slope 0.1)"),
    "tanh": (ops.tanh, "Tanh"),
    "softmax": (_softmax_first, "Softmax: p₁ of [x, 0]"),
    "linear": (lambda x: x * 1.0, "Linear (identity)"),
    "gelu": (ops.gelu, "GELU: x·Φ(x)"),
    "elu": (ops.elu, "ELU (α = 1)"),
    "silu": (ops.silu, "SiLU: x·σ(x)"),
    "softplus": (ops.softplus, "Softplus: ln(1+eˣ)"),
}


def activation_curves(name: str, x_range: tuple[float, float] = (-5.0, 5.0),
                      num: int = 401) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """x, f(x) and f'(x) for one activation; f' by autograd (``y.sum().backward()``).

    Shape
    -----
    Three arrays of shape (num,).

    Example
    -------
    >>> x, y, dy = activation_curves("sigmoid", num=5)
    >>> float(dy[2])  # σ'(0) = 1/4
    0.25
    """
    if name not in ACTIVATIONS:
        raise ValueError(f"activation_curves: expected a name in {', '.join(ACTIVATIONS)}, "
                         f"got {name!r}")
    lo, hi = x_range
    if not lo < hi:
        raise ValueError(f"activation_curves: expected x_range (low, high) with low < high, got "
                         f"{x_range}")
    x = linspace(lo, hi, num, dtype="float64", requires_grad=True)
    y = ACTIVATIONS[name][0](x)
    y.sum().backward()  # each y_i depends on x_i only, so x.grad is f'(x)
    grad = x.grad
    if grad is None:  # pragma: no cover - every activation depends on x
        raise RuntimeError(f"activation_curves: {name} produced no gradient")
    return x._data.copy(), y._data.copy(), grad._data.copy()


def plot_activations(names: Sequence[str] | None = None,
                     x_range: tuple[float, float] = (-5.0, 5.0), ncols: int = 4) -> Any:
    """Each activation (solid) with its derivative (dashed), one panel each.

    ``names``: any of ``ACTIVATIONS`` (all ten by default: the course's seven, then
    ELU, SiLU and Softplus). Returns a matplotlib Figure (4 columns, 3 inches per panel).

    Example
    -------
    >>> fig = plot_activations(["relu", "sigmoid"])
    >>> [ax.get_title() for ax in fig.axes]
    ['ReLU: max(x, 0)', 'Sigmoid: 1/(1+e⁻ˣ)']
    """
    names = list(ACTIVATIONS) if names is None else list(names)
    if not names:
        raise ValueError("plot_activations: expected at least one activation name, got none")
    for n in names:
        if n not in ACTIVATIONS:
            raise ValueError(f"plot_activations: expected names in {', '.join(ACTIVATIONS)}, "
                             f"got {n!r}")
    ncols = max(1, min(ncols, len(names)))
    nrows = -(-len(names) // ncols)
    fig = figure(3.0 * ncols, 2.6 * nrows)
    axes = fig.subplots(nrows, ncols, squeeze=False)
    for i, name in enumerate(names):
        ax = axes[i // ncols][i % ncols]
        x, y, dy = activation_curves(name, x_range)
        ax.axhline(0, color="0.8", lw=0.8)
        ax.axvline(0, color="0.8", lw=0.8)
        ax.plot(x, y, color=COLORS[0], lw=2, label="f(x)")
        ax.plot(x, dy, color=COLORS[1], lw=1.6, ls="--", label="f′(x) (autograd)")
        ax.set_title(ACTIVATIONS[name][1], fontsize=10)
        ax.set_xlim(*x_range)
        ax.grid(alpha=0.3)
        if i == 0:
            ax.legend(fontsize=8, loc="upper left")
    for j in range(len(names), nrows * ncols):
        axes[j // ncols][j % ncols].remove()
    fig.suptitle("Activation functions and their derivatives")
    return fig
