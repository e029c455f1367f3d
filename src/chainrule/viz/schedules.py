"""Learning-rate schedules over steps, from the real ``chainrule.optim.lr_scheduler`` classes."""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from ._mpl import COLORS, figure

BASE_LR = 0.1


def _schedules(steps: int) -> dict[str, Callable[[Any], Any]]:
    from ..optim import lr_scheduler as S
    quarter = max(steps // 4, 1)
    return {
        "StepLR(step_size, γ=0.5)": lambda o: S.StepLR(o, step_size=quarter, gamma=0.5),
        "MultiStepLR(milestones, γ=0.1)": lambda o: S.MultiStepLR(
            o, milestones=[steps // 2, 3 * steps // 4], gamma=0.1),
        "ExponentialLR(γ)": lambda o: S.ExponentialLR(o, gamma=0.01 ** (1 / steps)),
        "CosineAnnealingLR(T_max)": lambda o: S.CosineAnnealingLR(o, T_max=steps),
        "CosineAnnealingWarmRestarts(T_0)": lambda o: S.CosineAnnealingWarmRestarts(
            o, T_0=quarter),
        "LinearLR (warm-up)": lambda o: S.LinearLR(o, start_factor=0.1, total_iters=quarter),
        "OneCycleLR(max_lr)": lambda o: S.OneCycleLR(o, max_lr=BASE_LR, total_steps=steps + 1),
        "CyclicLR(triangular)": lambda o: S.CyclicLR(o, base_lr=BASE_LR / 10, max_lr=BASE_LR,
                                                     step_size_up=max(steps // 8, 1)),
        "PolynomialLR(power=2)": lambda o: S.PolynomialLR(o, total_iters=steps, power=2.0),
    }


def lr_sequence(make: Callable[[Any], Any], steps: int, momentum: float = 0.9) -> np.ndarray:
    """The learning rate at each of ``steps`` steps of a scheduler on a one-weight SGD."""
    from ..nn.parameter import Parameter
    from ..optim import SGD
    from ..tensor import Tensor
    opt = SGD([Parameter(Tensor([0.0]))], lr=BASE_LR, momentum=momentum)
    sched = make(opt)
    out = []
    for _ in range(steps):
        out.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return np.asarray(out)


def plot_lr_schedules(names: Sequence[str] | None = None, steps: int = 100) -> Any:
    """One panel per scheduler: the learning rate it sets at every step (base lr 0.1).

    ``names``: keys of the built-in set (StepLR, MultiStepLR, ExponentialLR,
    CosineAnnealingLR, CosineAnnealingWarmRestarts, LinearLR warm-up, OneCycleLR,
    CyclicLR, PolynomialLR); all by default. Returns a Figure, 3 panels per row,
    4 x 2.6 inches each.

    Example
    -------
    >>> fig = plot_lr_schedules(steps=20)
    >>> len(fig.axes)
    9
    """
    if steps < 2:
        raise ValueError(f"plot_lr_schedules: expected steps >= 2, got {steps}")
    table = _schedules(steps)
    chosen = list(table) if names is None else list(names)
    for n in chosen:
        if n not in table:
            raise ValueError(f"plot_lr_schedules: expected names among {', '.join(table)}, "
                             f"got {n!r}")
    ncols = min(3, len(chosen))
    nrows = -(-len(chosen) // ncols)
    fig = figure(4.0 * ncols, 2.6 * nrows)
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for i, (ax, name) in enumerate(zip(axes, chosen)):
        lrs = lr_sequence(table[name], steps)
        ax.plot(np.arange(steps), lrs, color=COLORS[i % len(COLORS)], lw=1.8)
        ax.fill_between(np.arange(steps), lrs, color=COLORS[i % len(COLORS)], alpha=0.12)
        ax.set_title(name, fontsize=10)
        ax.set_ylim(0, BASE_LR * 1.1)
        ax.set_xlim(0, steps - 1)
        ax.grid(alpha=0.3)
        ax.set_xlabel("step")
        ax.set_ylabel("lr")
    for ax in axes[len(chosen):]:
        ax.remove()
    fig.suptitle(f"Learning-rate schedules (chainrule.optim.lr_scheduler, base lr {BASE_LR})")
    return fig
