"""Data, initial weights and batch orders shared by every MLP runner (identical across them)."""
from __future__ import annotations

import math
from typing import Any

import numpy as np

N_TRAIN, N_TEST, N_FEATURES, N_CLASSES = 8000, 2000, 784, 10


def load(path: str | None, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(X_train, y_train, X_test, y_test): float32 X, int64 y.

    ``path``: an .npz with X, y, train_idx, test_idx (as /work/shared/data/mnist10k.npz);
    otherwise synthetic data of the same shape (sparse class prototypes, mixed, plus noise, in
    [0, 1]).
    """
    if path:
        with np.load(path, allow_pickle=False) as z:
            X, y = z["X"].astype(np.float32), z["y"].astype(np.int64)
            tr, te = z["train_idx"], z["test_idx"]
        return (np.ascontiguousarray(X[tr]), np.ascontiguousarray(y[tr]),
                np.ascontiguousarray(X[te]), np.ascontiguousarray(y[te]))
    rng = np.random.default_rng(seed + 1000)  # sparse prototypes; each image mixes in another
    protos = rng.random((N_CLASSES, N_FEATURES), dtype=np.float32)
    protos *= rng.random((N_CLASSES, N_FEATURES)) < 0.2
    y = rng.integers(0, N_CLASSES, N_TRAIN + N_TEST)
    other = rng.integers(0, N_CLASSES, len(y))
    X = rng.standard_normal((len(y), N_FEATURES), dtype=np.float32)
    X *= 0.3
    X += 0.55 * protos[y]
    X += 0.45 * protos[other]
    np.clip(X, 0, 1, out=X)
    return X[:N_TRAIN].copy(), y[:N_TRAIN].copy(), X[N_TRAIN:].copy(), y[N_TRAIN:].copy()


def layer_sizes(hidden: list[int]) -> list[int]:
    return [N_FEATURES, *hidden, N_CLASSES]


def init_params(sizes: list[int], seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """PyTorch's nn.Linear default: W, b ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)), float32."""
    rng = np.random.default_rng(seed)
    out = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        bound = 1 / math.sqrt(fan_in)
        w = rng.uniform(-bound, bound, (fan_out, fan_in)).astype(np.float32)
        b = rng.uniform(-bound, bound, fan_out).astype(np.float32)
        out.append((w, b))
    return out


def epoch_orders(n: int, epochs: int, seed: int = 0) -> list[np.ndarray]:
    """One shuffled index order per epoch (every runner sees the same batches)."""
    rng = np.random.default_rng(seed + 1)
    return [rng.permutation(n) for _ in range(epochs)]


def matmul_flops(sizes: list[int], n: int) -> float:
    """Matmul flops of one epoch on n samples: forward, dW, and dX except for the input layer."""
    mn = [a * b for a, b in zip(sizes[:-1], sizes[1:])]
    return 2.0 * n * (2 * sum(mn) + sum(mn[1:]))


OPTIMIZERS: dict[str, dict[str, Any]] = {
    "sgd": {"lr": 0.05, "momentum": 0.9},
    "adam": {"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8},
}
