"""Closed form vs gradient descent on linear regression's loss, for a few learning rates."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ._mpl import COLORS, cmap, figure


def regression_data(n_samples: int = 50, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """y = 1.5x + 2 + noise with x in [0, 4]: one feature, so the loss lives on (w, b).

    Shape
    -----
    X: (n_samples, 1), y: (n_samples,), float64.
    """
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.0, 4.0, n_samples)
    return x[:, None], 1.5 * x + 2.0 + rng.normal(0.0, 0.5, n_samples)


def _loss_grid(X: np.ndarray, y: np.ndarray, ws: np.ndarray, bs: np.ndarray) -> np.ndarray:
    x = X[:, 0]
    r = ws[..., None] * x + bs[..., None] - y
    return np.mean(r * r, axis=-1)


def gd_path(X: np.ndarray, y: np.ndarray, lr: float, steps: int,
            start: tuple[float, float] = (-1.0, -1.0)) -> tuple[np.ndarray, np.ndarray]:
    """(w, b) after each step of ``chainrule.optim.SGD`` on the mean squared error, and the
    losses; stops early when the loss overflows.

    Shape
    -----
    path: (k, 2), losses: (k,), k <= steps + 1.
    """
    from ..nn.parameter import Parameter
    from ..optim import SGD
    from ..tensor import Tensor
    w = Parameter(Tensor(np.asarray([start[0]], dtype=np.float64)))
    b = Parameter(Tensor(np.asarray([start[1]], dtype=np.float64)))
    xt, yt = Tensor(X[:, 0]), Tensor(y)
    opt = SGD([w, b], lr=lr)
    path, losses = [], []
    for _ in range(steps + 1):
        opt.zero_grad()
        loss = ((w * xt + b - yt) ** 2).mean()
        path.append([w._data[0], b._data[0]])
        losses.append(loss.item())
        if not np.isfinite(losses[-1]) or losses[-1] > 1e8:
            break
        loss.backward()
        opt.step()
    return np.asarray(path), np.asarray(losses)


def plot_closed_form_vs_gd(X: Any = None, y: Any = None, lrs: Sequence[float] | None = None,
                           steps: int = 150) -> Any:
    """GD paths on the loss contours of 1-feature linear regression, ending (or not) at the
    normal-equation solution from ``chainrule.linear_model.LinearRegression``.

    ``lrs``: by default three learning rates relative to the largest stable one
    2/λ_max (λ_max the top eigenvalue of the loss's Hessian): too small (0.05×),
    about right (0.7×) and too large (1.05×, it diverges). Left: the paths on the
    contours; right: loss against step (log scale). Returns a Figure (12 x 5 inches).

    Example
    -------
    >>> fig = plot_closed_form_vs_gd(steps=10)
    >>> fig.get_size_inches().tolist()
    [12.0, 5.0]
    """
    from ..linear_model import LinearRegression
    if X is None or y is None:
        X, y = regression_data()
    X = np.asarray(X, dtype=np.float64).reshape(len(X), -1)
    y = np.asarray(y, dtype=np.float64).reshape(-1)
    if X.shape[1] != 1:
        raise ValueError(f"plot_closed_form_vs_gd: expected one feature (N, 1), got shape "
                         f"{X.shape}")
    ols = LinearRegression().fit(X, y)
    w_star, b_star = float(ols.coef_[0]), float(ols.intercept_)
    x = X[:, 0]
    hessian = 2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
    evals, evecs = np.linalg.eigh(hessian)
    lam = float(evals.max())
    # start down the flat valley, a little off its floor: the steep direction shows the
    # zig-zag (or the blow-up) and the flat one the slow crawl
    flat, steep = evecs[:, 0] * np.sign(evecs[0, 0] or 1), evecs[:, 1]
    s0 = np.array([w_star, b_star]) - 3.0 * flat + 0.3 * steep
    start = (float(s0[0]), float(s0[1]))
    if lrs is None:
        limit = 2 / lam
        lrs = [0.05 * limit, 0.7 * limit, 1.05 * limit]
        labels = ["too small", "about right", "too large"]
    else:
        labels = ["" for _ in lrs]
    fig = figure(12.0, 5.0)
    ax, ax2 = fig.subplots(1, 2)
    w_lo, w_hi = min(start[0], w_star) - 1.0, max(start[0], w_star) + 1.0
    b_lo, b_hi = min(start[1], b_star) - 1.0, max(start[1], b_star) + 1.0
    ws, bs = np.meshgrid(np.linspace(w_lo, w_hi, 200), np.linspace(b_lo, b_hi, 200))
    zz = _loss_grid(X, y, ws, bs)
    levels = np.geomspace(max(zz.min(), 1e-3), zz.max(), 20)
    ax.contour(ws, bs, zz, levels=levels, cmap=cmap("viridis"), linewidths=0.8)
    best = float(np.mean((w_star * x + b_star - y) ** 2))
    for i, (lr, label) in enumerate(zip(lrs, labels)):
        path, losses = gd_path(X, y, lr, steps, start)
        inside = ((path[:, 0] >= w_lo) & (path[:, 0] <= w_hi) & (path[:, 1] >= b_lo) &
                  (path[:, 1] <= b_hi))
        shown = path if inside.all() else path[:int(np.argmin(inside)) + 1]  # up to its exit
        name = f"lr = {lr:.3g}" + (f" ({label})" if label else "")
        ax.plot(shown[:, 0], shown[:, 1], marker=".", color=COLORS[i % len(COLORS)], lw=1.3,
                label=name)
        ax2.plot(np.arange(len(losses)), losses, color=COLORS[i % len(COLORS)], label=name)
    ax.plot(w_star, b_star, marker="*", color="gold", markeredgecolor="k", markersize=16,
            zorder=5, label=f"normal equation: w = {w_star:.3f}, b = {b_star:.3f}")
    ax.set_xlim(ws.min(), ws.max())
    ax.set_ylim(bs.min(), bs.max())
    ax.set_xlabel("w (slope)")
    ax.set_ylabel("b (intercept)")
    ax.set_title("GD on the MSE contours vs the closed-form solution", fontsize=11)
    ax.legend(fontsize=8, loc="lower left")
    ax2.axhline(best, color="k", ls="--", lw=1, label=f"closed form: {best:.3g}")
    ax2.set_yscale("log")
    ax2.set_ylim(best * 0.5, max(10 * zz.max(), best * 10))
    ax2.set_xlabel("step")
    ax2.set_ylabel("mean squared error")
    ax2.set_title("Loss per step", fontsize=11)
    ax2.grid(alpha=0.3)
    ax2.legend(fontsize=8)
    return fig
