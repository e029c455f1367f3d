"""Generated 2-D data sets: the course's pictures and TensorFlow Playground's sets.

Classification sets return ``(X float32 (n, 2), y int64 (n,))``; regression
sets return ``y float32 (n,)``. Samples come shuffled. ``seed`` is an int, a
``chainrule.Generator`` or None (the library's default generator, so
``chainrule.manual_seed`` makes them reproducible).
"""
from __future__ import annotations

import numpy as np

from .. import random as _random

__all__ = ["blobs", "circles", "linear", "moons", "plane", "sine", "spirals", "xor"]

Seed = int | _random.Generator | None


def _setup(where: str, n_samples: int, noise: float, seed: Seed,
           min_samples: int = 1) -> np.random.Generator:
    if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)) \
            or n_samples < min_samples:
        raise ValueError(f"{where}: expected n_samples an integer >= {min_samples}, "
                         f"got {n_samples!r}")
    if not isinstance(noise, (int, float, np.number)) or not noise >= 0:
        raise ValueError(f"{where}: expected noise a number >= 0, got {noise!r}")
    if seed is None:
        return _random.default_generator.np
    if isinstance(seed, _random.Generator):
        return seed.np
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"{where}: expected seed an int, a chainrule.Generator or None, "
                        f"got {type(seed).__name__}")
    return np.random.default_rng(int(seed))


def _finish(X: np.ndarray, y: np.ndarray, noise: float, rng: np.random.Generator,
            regression: bool = False) -> tuple[np.ndarray, np.ndarray]:
    perm = rng.permutation(len(X))
    X, y = X[perm], y[perm]
    if noise and not regression:
        X = X + rng.normal(0.0, noise, X.shape)
    return X.astype(np.float32), y.astype(np.float32 if regression else np.int64)


def _per_class(n_samples: int, k: int) -> list[int]:
    return [n_samples // k + (c < n_samples % k) for c in range(k)]


def xor(n_samples: int = 200, noise: float = 0.1,
        seed: Seed = None) -> tuple[np.ndarray, np.ndarray]:
    """XOR: points in [-1, 1]², class 1 where exactly one coordinate is positive.

    Shape
    -----
    X: ``(n_samples, 2)`` float32; y: ``(n_samples,)`` int64 in {0, 1}.

    Example
    -------
    >>> X, y = xor(100, noise=0.0, seed=0)
    >>> X.shape, bool(((X[:, 0] * X[:, 1] < 0) == (y == 1)).all())
    ((100, 2), True)
    """
    rng = _setup("xor", n_samples, noise, seed)
    X = rng.uniform(-1.0, 1.0, (n_samples, 2))
    X += np.sign(X) * 0.05 * (np.abs(X) < 0.05)  # keep clean points off the axes
    y = (X[:, 0] * X[:, 1] < 0).astype(np.int64)
    return _finish(X, y, noise, rng)


def circles(n_samples: int = 200, noise: float = 0.1, factor: float = 0.5,
            seed: Seed = None) -> tuple[np.ndarray, np.ndarray]:
    """Two concentric circles: outer radius 1 (class 0), inner radius ``factor`` (class 1).

    Shape
    -----
    X: ``(n_samples, 2)`` float32; y: ``(n_samples,)`` int64 in {0, 1}.

    Example
    -------
    >>> X, y = circles(100, noise=0.0, factor=0.3, seed=0)
    >>> bool(np.allclose(np.hypot(*X[y == 1].T), 0.3))
    True
    """
    rng = _setup("circles", n_samples, noise, seed, min_samples=2)
    if not 0 <= factor < 1:
        raise ValueError(f"circles: expected factor in [0, 1), got {factor!r}")
    n_out, n_in = _per_class(n_samples, 2)
    t_out = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    t_in = np.linspace(0, 2 * np.pi, n_in, endpoint=False)
    X = np.concatenate([np.c_[np.cos(t_out), np.sin(t_out)],
                        factor * np.c_[np.cos(t_in), np.sin(t_in)]])
    y = np.r_[np.zeros(n_out), np.ones(n_in)]
    return _finish(X, y, noise, rng)


def moons(n_samples: int = 200, noise: float = 0.1,
          seed: Seed = None) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles (scikit-learn's ``make_moons``).

    Shape
    -----
    X: ``(n_samples, 2)`` float32; y: ``(n_samples,)`` int64 in {0, 1}.

    Example
    -------
    >>> X, y = moons(50, seed=0); X.dtype, y.dtype, int(y.sum())
    (dtype('float32'), dtype('int64'), 25)
    """
    rng = _setup("moons", n_samples, noise, seed, min_samples=2)
    n_out, n_in = _per_class(n_samples, 2)
    t_out, t_in = np.linspace(0, np.pi, n_out), np.linspace(0, np.pi, n_in)
    X = np.concatenate([np.c_[np.cos(t_out), np.sin(t_out)],
                        np.c_[1 - np.cos(t_in), 0.5 - np.sin(t_in)]])
    y = np.r_[np.zeros(n_out), np.ones(n_in)]
    return _finish(X, y, noise, rng)


def spirals(n_samples: int = 200, noise: float = 0.05, arms: int = 2,
            seed: Seed = None) -> tuple[np.ndarray, np.ndarray]:
    """``arms`` interleaved spirals, one class each, radius 0 to 1 over 1.75 turns.

    Shape
    -----
    X: ``(n_samples, 2)`` float32; y: ``(n_samples,)`` int64 in [0, arms).

    Example
    -------
    >>> X, y = spirals(90, arms=3, seed=0); np.bincount(y).tolist()
    [30, 30, 30]
    """
    rng = _setup("spirals", n_samples, noise, seed)
    if isinstance(arms, bool) or not isinstance(arms, (int, np.integer)) or arms < 2:
        raise ValueError(f"spirals: expected arms an integer >= 2, got {arms!r}")
    if n_samples < arms:
        raise ValueError(f"spirals: expected n_samples >= arms ({arms}), got {n_samples}")
    parts, labels = [], []
    for c, m in enumerate(_per_class(n_samples, arms)):
        r = np.linspace(0.05, 1.0, m)
        theta = 2 * np.pi * c / arms + 1.75 * 2 * np.pi * r
        parts.append(np.c_[r * np.cos(theta), r * np.sin(theta)])
        labels.append(np.full(m, c))
    return _finish(np.concatenate(parts), np.concatenate(labels), noise, rng)


def blobs(n_samples: int = 200, centers: int | np.ndarray = 3, cluster_std: float = 1.0,
          seed: Seed = None) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian blobs, one class each, around ``centers`` (a count drawn in [-10, 10]², or points).

    Shape
    -----
    X: ``(n_samples, 2)`` float32 (or the centers' dimension); y: ``(n_samples,)`` int64.

    Example
    -------
    >>> X, y = blobs(60, centers=[[0, 0], [5, 5]], cluster_std=0.1, seed=0)
    >>> np.round(X[y == 1].mean(axis=0)).tolist()
    [5.0, 5.0]
    """
    rng = _setup("blobs", n_samples, cluster_std, seed)
    if isinstance(centers, (int, np.integer)) and not isinstance(centers, bool):
        if centers < 1:
            raise ValueError(f"blobs: expected centers >= 1, got {centers}")
        points = rng.uniform(-10.0, 10.0, (int(centers), 2))
    else:
        points = np.asarray(centers, dtype=np.float64)
        if points.ndim != 2 or len(points) < 1:
            raise ValueError(f"blobs: expected centers an int or an array (n_centers, "
                             f"n_features), got shape {points.shape}")
    k = len(points)
    if n_samples < k:
        raise ValueError(f"blobs: expected n_samples >= the {k} centers, got {n_samples}")
    sizes = _per_class(n_samples, k)
    y = np.repeat(np.arange(k), sizes)
    X = points[y] + rng.normal(0.0, cluster_std, (n_samples, points.shape[1]))
    return _finish(X, y, 0.0, rng)


def linear(n_samples: int = 200, noise: float = 0.1,
           seed: Seed = None) -> tuple[np.ndarray, np.ndarray]:
    """Two classes on either side of a random line through [-1, 1]²: linearly separable.

    Noise jitters the points but never across the line (a point pushed across
    is mirrored back, and every point keeps a margin of 0.02), so a
    perceptron always reaches 100% training accuracy.

    Shape
    -----
    X: ``(n_samples, 2)`` float32; y: ``(n_samples,)`` int64 in {0, 1}.

    Example
    -------
    >>> X, y = linear(200, noise=0.3, seed=1)
    >>> X.shape, sorted(set(y.tolist()))
    ((200, 2), [0, 1])
    """
    rng = _setup("linear", n_samples, noise, seed)
    angle = rng.uniform(0, 2 * np.pi)
    w = np.array([np.cos(angle), np.sin(angle)])  # unit normal of the line w.x + b = 0
    b = rng.uniform(-0.3, 0.3)
    X = rng.uniform(-1.0, 1.0, (n_samples, 2))
    side = np.where(X @ w + b > 0, 1.0, -1.0)
    if noise:
        X += rng.normal(0.0, noise, X.shape)
    d = X @ w + b
    X += ((side * np.maximum(np.abs(d), 0.02) - d)[:, None]) * w  # mirror back, keep a margin
    perm = rng.permutation(n_samples)
    return X[perm].astype(np.float32), (side[perm] > 0).astype(np.int64)


def sine(n_samples: int = 200, noise: float = 0.1,
         seed: Seed = None) -> tuple[np.ndarray, np.ndarray]:
    """Regression: ``y = sin(x) + noise``, x uniform in [-π, π].

    Shape
    -----
    X: ``(n_samples, 1)`` float32; y: ``(n_samples,)`` float32.

    Example
    -------
    >>> X, y = sine(100, noise=0.0, seed=0)
    >>> X.shape, bool(np.allclose(y, np.sin(X[:, 0]), atol=1e-6))
    ((100, 1), True)
    """
    rng = _setup("sine", n_samples, noise, seed)
    X = rng.uniform(-np.pi, np.pi, (n_samples, 1))
    y = np.sin(X[:, 0]) + (rng.normal(0.0, noise, n_samples) if noise else 0.0)
    return _finish(X, y, noise, rng, regression=True)


def plane(n_samples: int = 200, noise: float = 0.1,
          seed: Seed = None) -> tuple[np.ndarray, np.ndarray]:
    """Regression: a tilted plane ``y = 0.5 x1 - 0.3 x2 + 0.2 + noise``, x in [-1, 1]².

    Shape
    -----
    X: ``(n_samples, 2)`` float32; y: ``(n_samples,)`` float32.

    Example
    -------
    >>> X, y = plane(50, noise=0.0, seed=0)
    >>> bool(np.allclose(y, 0.5 * X[:, 0] - 0.3 * X[:, 1] + 0.2, atol=1e-6))
    True
    """
    rng = _setup("plane", n_samples, noise, seed)
    X = rng.uniform(-1.0, 1.0, (n_samples, 2))
    y = 0.5 * X[:, 0] - 0.3 * X[:, 1] + 0.2
    if noise:
        y = y + rng.normal(0.0, noise, n_samples)
    return _finish(X, y, noise, rng, regression=True)
