"""What the page draws, computed by the model itself on a grid over the plane.

Images travel as base64 bytes (one byte per pixel, rows from the top of the
plane down): the class probabilities for the boundary, and each neuron's
output scaled to [-1, 1] (byte 0 is -1, 255 is +1) for its thumbnail.
"""
from __future__ import annotations

import base64
import math
from typing import Any

import numpy as np

__all__ = ["GRID", "THUMB", "draw", "extent", "finite", "finite_list"]

GRID = 48  # boundary resolution; thumbnails take every second pixel
THUMB = GRID // 2


def finite(v: float) -> float | None:
    """``v`` as a JSON number, or None for NaN and infinity.

    Example
    -------
    >>> finite(0.5), finite(float("nan"))
    (0.5, None)
    """
    return float(v) if math.isfinite(v) else None


def finite_list(values: Any, digits: int = 6) -> Any:
    """An array as nested JSON lists, rounded, with None for NaN and infinity.

    Example
    -------
    >>> finite_list(np.array([[1.23456789, np.nan]]), 3)
    [[1.235, None]]
    """
    a = np.round(np.asarray(values, np.float64), digits)
    out = a.astype(object)
    out[~np.isfinite(a)] = None
    return out.tolist()


def extent(points: np.ndarray) -> list[float]:
    """[x_min, x_max, y_min, y_max] around the points with a 10% margin.

    Example
    -------
    >>> extent(np.array([[0.0, 0.0], [10.0, 1.0]]))
    [-1.0, 11.0, -0.1, 1.1]
    """
    lo, hi = points.min(axis=0).astype(float), points.max(axis=0).astype(float)
    pad = np.maximum((hi - lo) * 0.1, 1e-3)
    lo, hi = lo - pad, hi + pad
    return [round(float(v), 4) for v in (lo[0], hi[0], lo[1], hi[1])]


def _bytes(values: np.ndarray) -> str:
    """Values in [-1, 1] as base64 bytes."""
    q = np.clip(np.round((np.nan_to_num(values) + 1.0) * 127.5), 0, 255).astype(np.uint8)
    return base64.b64encode(q.tobytes()).decode("ascii")


def _scaled(v: np.ndarray) -> np.ndarray:
    m = float(np.abs(v).max()) if v.size else 0.0
    return v / m if m > 1e-12 and math.isfinite(m) else np.zeros_like(v)


def draw(model: Any, preprocessor: Any, box: list[float], task: str) -> dict[str, Any]:
    """The boundary, every neuron's output over the plane and the weights, in eval mode.

    The forward pass runs module by module through the model, so each hidden
    activation is read where the model computes it.
    """
    from ..autograd.grad_mode import no_grad
    from ..tensor import _make
    xs = np.linspace(box[0], box[1], GRID)
    ys = np.linspace(box[3], box[2], GRID)  # top row first
    gx, gy = np.meshgrid(xs, ys)
    raw = np.c_[gx.ravel(), gy.ravel()].astype(np.float32)
    x = _make(np.asarray(preprocessor.transform(raw), np.float32))
    model.eval()
    layers: list[list[np.ndarray]] = [[raw[:, 0], raw[:, 1]]]
    weights = []
    logits = None
    for name, module in model.named_children():
        with no_grad():
            x = module(x)
        if name.startswith("act"):
            out = x._data
            layers.append([out[:, k] for k in range(out.shape[1])])
        if name.startswith("hidden") or name == "output":
            weights.append({"name": name, "weight": finite_list(module.weight._data, 5),
                            "bias": finite_list(module.bias._data, 5)})
        if name == "output":
            logits = x._data.astype(np.float64)
    if logits is None:
        raise RuntimeError("draw: expected an MLP with an 'output' layer, got none")
    if task == "binary":
        p1 = np.exp(-np.logaddexp(0.0, -logits[:, 0]))
        probs = np.stack([1 - p1, p1], axis=1)
        outputs = [p1]
    else:
        z = np.exp(logits - logits.max(axis=1, keepdims=True))
        probs = z / z.sum(axis=1, keepdims=True)
        outputs = [probs[:, k] for k in range(probs.shape[1])]
    thumb = (slice(None, None, 2), slice(None, None, 2))
    neurons = [[_bytes(_scaled(v.reshape(GRID, GRID)[thumb] - (0 if i else v.mean())))
                for v in layer] for i, layer in enumerate(layers)]
    neurons.append([_bytes(2 * p.reshape(GRID, GRID)[thumb] - 1) for p in outputs])
    return {"boundary": {"size": GRID, "classes": probs.shape[1],
                         "probs": _bytes(2 * probs.ravel() - 1)},
            "neurons": {"size": THUMB, "layers": neurons}, "weights": weights}
