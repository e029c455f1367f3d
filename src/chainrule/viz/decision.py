"""The decision boundary of a 2-D classifier, with its data and probability shading."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..autograd.grad_mode import no_grad
from ..tensor import Tensor
from ._mpl import COLORS, cmap, figure


def _probabilities(out: np.ndarray, output: str) -> np.ndarray:
    """(N, C) class probabilities from a model's outputs (logits or probabilities)."""
    out = np.asarray(out, dtype=np.float64)
    if out.ndim == 1:
        out = out[:, None]
    if output == "auto":
        in_unit = bool(np.all((out >= 0) & (out <= 1)))
        sums_to_one = out.shape[1] > 1 and bool(np.allclose(out.sum(axis=1), 1, atol=1e-4))
        output = "probabilities" if in_unit and (out.shape[1] == 1 or sums_to_one) else "logits"
    if out.shape[1] == 1:
        p = out[:, 0] if output == "probabilities" else np.exp(-np.logaddexp(0.0, -out[:, 0]))
        return np.stack([1 - p, p], axis=1)
    if output == "probabilities":
        return out
    z = out - out.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def predict_grid(model: Any, X: np.ndarray, resolution: int = 200, margin: float = 0.5,
                 output: str = "auto", transform: Any = None
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Class probabilities of ``model`` on a grid covering ``X`` (2 features).

    Shape
    -----
    X: (N, 2) -> xx, yy: (resolution, resolution), proba: (resolution, resolution, C).
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"decision boundary: expected X with 2 features (N, 2), got shape "
                         f"{X.shape}")
    if output not in ("auto", "logits", "probabilities"):
        raise ValueError(f"decision boundary: expected output 'auto', 'logits' or "
                         f"'probabilities', got {output!r}")
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], resolution),
                         np.linspace(lo[1], hi[1], resolution))
    proba = predict_proba(model, np.stack([xx.ravel(), yy.ravel()], axis=1), output, transform)
    return xx, yy, proba.reshape(resolution, resolution, -1)


def predict_proba(model: Any, points: np.ndarray, output: str = "auto",
                  transform: Any = None) -> np.ndarray:
    """(N, C) class probabilities of ``model`` at ``points`` (eval mode, no graph)."""
    x = np.asarray(points, dtype=np.float32)
    if transform is not None:
        x = np.asarray(transform(x), dtype=np.float32)
    was_training = getattr(model, "training", None)
    if hasattr(model, "eval"):
        model.eval()
    try:
        with no_grad():
            out = model(Tensor(x))
    finally:
        if was_training and hasattr(model, "train"):
            model.train()
    return _probabilities(out._data if isinstance(out, Tensor) else np.asarray(out), output)


def plot_decision_boundary(model: Any, X: Any, y: Any, class_names: Sequence[str] | None = None,
                           title: str | None = None, resolution: int = 200,
                           output: str = "auto", transform: Any = None, ax: Any = None) -> Any:
    """The regions a 2-D classifier assigns to each class, shaded by its confidence.

    ``model``: a chainrule Module (or any callable on a Tensor) giving one logit or
    probability per sample (binary) or one per class. Binary: shading is p(class 1)
    and the line p = 0.5; multi-class: each region in its class colour, paler where
    the model is unsure. ``transform`` maps raw grid points to model inputs (e.g. a
    scaler). Returns the Figure (6 x 5 inches unless ``ax`` is given).

    Example
    -------
    >>> import numpy as np, chainrule as cr
    >>> model = cr.nn.Linear(2, 1)
    >>> X = np.random.default_rng(0).normal(size=(20, 2)); y = (X[:, 0] > 0).astype(int)
    >>> fig = plot_decision_boundary(model, X, y)
    >>> fig.get_size_inches().tolist()
    [6.0, 5.0]
    """
    X = np.asarray(X._data if isinstance(X, Tensor) else X, dtype=np.float64)
    labels = np.asarray(y._data if isinstance(y, Tensor) else y).reshape(-1)
    if len(labels) != len(X):
        raise ValueError(f"decision boundary: expected one label per sample ({len(X)}), got "
                         f"{len(labels)}")
    xx, yy, proba = predict_grid(model, X, resolution, output=output, transform=transform)
    fig = figure(6, 5) if ax is None else ax.figure
    ax = ax if ax is not None else fig.add_subplot()
    n_classes = max(proba.shape[2], int(labels.max()) + 1 if labels.size else 0)
    names = list(class_names) if class_names is not None else [str(c) for c in range(n_classes)]
    if proba.shape[2] == 2:
        cs = ax.contourf(xx, yy, proba[..., 1], levels=np.linspace(0, 1, 11), cmap=cmap("RdBu_r"),
                         alpha=0.75)
        ax.contour(xx, yy, proba[..., 1], levels=[0.5], colors="k", linewidths=1.5)
        fig.colorbar(cs, ax=ax, label=f"p({names[1] if len(names) > 1 else '1'})")
        point_colors = ["#2166ac", "#b2182b"]
        edge = "white"
    else:
        from matplotlib.colors import to_rgb
        cls = proba.argmax(axis=2)
        conf = proba.max(axis=2)
        base = np.array([to_rgb(COLORS[c % len(COLORS)]) for c in range(proba.shape[2])])
        strength = ((conf - 1 / proba.shape[2]) / (1 - 1 / proba.shape[2]))[..., None]
        img = 1 - (1 - base[cls]) * (0.1 + 0.4 * np.clip(strength, 0, 1))
        ax.imshow(img, origin="lower", extent=(xx.min(), xx.max(), yy.min(), yy.max()),
                  aspect="auto", interpolation="bilinear")
        ax.contour(xx, yy, cls, levels=np.arange(proba.shape[2]) + 0.5, colors="k",
                   linewidths=1.0)
        point_colors = [COLORS[c % len(COLORS)] for c in range(n_classes)]
    edge = "white" if proba.shape[2] == 2 else "black"
    for c in np.unique(labels):
        m = labels == c
        ci = int(c)
        ax.scatter(X[m, 0], X[m, 1], s=18, color=point_colors[ci % len(point_colors)],
                   edgecolors=edge, linewidths=0.6,
                   label=names[ci] if ci < len(names) else str(ci))
    ax.legend(loc="upper right", fontsize=8, framealpha=0.8)
    ax.set_xlim(xx.min(), xx.max())
    ax.set_ylim(yy.min(), yy.max())
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
    acc = float(np.mean(predict_proba(model, X, output, transform).argmax(axis=1) == labels))
    ax.set_title(f"{title or 'Decision boundary'} (training accuracy {acc:.0%})", fontsize=11)
    return fig
