"""The training loss over two chosen weights, with the path the optimizer took through them.

Every other weight keeps its current value; the two are swept over a square
grid centred on where they are now (wide enough to hold their whole history),
and the loss is the model's own on the training set. The weights are restored
afterwards, whatever happens.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .focus import parse_param
from .snapshot import finite_list

__all__ = ["SIZE", "surface"]

SIZE = 25  # odd: the centre of the grid is the current point


def _offset(named: dict[str, Any], name: str, index: tuple[int, ...]) -> int:
    names = list(named)
    start = sum(named[n]._data.size for n in names[:names.index(name)])
    return start + int(np.ravel_multi_index(index, named[name].shape))


def surface(session: Any, a: Any, b: Any, lock: Any, size: int = SIZE) -> dict[str, Any]:
    """The loss on a ``size`` x ``size`` grid over weights ``a`` (x) and ``b`` (y), and the path.

    ``lock`` is taken around each row's forward passes (the library's global
    modes), so other sessions train between rows.
    """
    from ..autograd.grad_mode import no_grad
    from ..tensor import _make
    model = session.model
    named = dict(model.named_parameters())
    shapes = {k: tuple(p.shape) for k, p in named.items()}
    (na, ia), (nb, ib) = parse_param(a, shapes), parse_param(b, shapes)
    if (na, ia) == (nb, ib):
        raise ValueError(f"b: expected a weight other than a, got {b!r} twice")
    pa, pb = named[na]._data, named[nb]._data
    here = np.array([pa[ia], pb[ib]], np.float64)
    if not np.isfinite(here).all():
        raise ValueError("surface: expected finite weights, got NaN or infinity (training "
                         "diverged); reset, or lower the learning rate")
    oa, ob = _offset(named, na, ia), _offset(named, nb, ib)
    path = np.array([[t[1][oa], t[1][ob]] for t in session.trace], np.float64)
    reach = np.abs(path - here).max(axis=0) if len(path) else np.zeros(2)
    half = np.maximum(1.2 * reach, np.maximum(0.5, 0.5 * np.abs(here)))
    xs = np.linspace(here[0] - half[0], here[0] + half[0], size)
    ys = np.linspace(here[1] - half[1], here[1] + half[1], size)
    x, y = _make(session.x_train), session.target(session.y_train)
    loss = np.empty((size, size))
    saved = (pa[ia].copy(), pb[ib].copy())
    model.eval()
    try:
        for r, vb in enumerate(ys[::-1]):  # top row first, as an image
            with lock, no_grad():
                pb[ib] = vb
                for c, va in enumerate(xs):
                    pa[ia] = va
                    loss[r, c] = float(session.loss_fn(model(x), y).item())
    finally:
        pa[ia], pb[ib] = saved
    finite = np.isfinite(loss)
    if not finite.any():
        raise ValueError("surface: expected a finite loss somewhere on the grid, got none "
                         "(training diverged); reset, or lower the learning rate")
    return {"a": f"{na}[{','.join(map(str, ia))}]", "b": f"{nb}[{','.join(map(str, ib))}]",
            "size": size, "extent": [float(xs[0]), float(xs[-1]), float(ys[0]), float(ys[-1])],
            "loss": finite_list(loss.ravel()),
            "min": float(loss[finite].min()), "max": float(loss[finite].max()),
            "path": finite_list(path), "current": finite_list(here)}
