"""What a row of the op table is (Case), how its inputs are drawn (sample), and the NumPy
references that the table shares. The table itself is op_table.py.

Domains keep inputs valid and away from kinks: "real" N(0, 1); "pos" U(0.5, 2); "away" |x| in
(0.3, 2); "gt-1" U(-0.5, 2); "unit" U(-0.8, 0.8); "gt1" U(1.2, 3); "with0" N(0, 1) with a
zero; "distinct" values shared out over all
inputs, pairwise > 0.15 apart and > 0.08 from every multiple of 0.25 (no ties for max, no kinks
at 0 or ±0.5).
"""
from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np


try:
    import torch
    import torch.nn.functional as TF
except ImportError:  # the parity test skips; the others do not need torch
    torch = TF = None

SAME: Any = "same"
_erf = np.vectorize(math.erf, otypes=[np.float64])


@dataclass(frozen=True)
class Case:
    name: str
    fn: Callable[..., Any]
    torch_fn: Any
    ref: Any
    shapes: tuple[tuple[tuple[int, ...], ...], ...]
    domain: Any = "real"
    gradcheck: dict[str, float] = field(default_factory=dict)  # eps/atol/rtol overrides

    def run_torch(self, *xs: Any) -> Any:
        return (self.fn if self.torch_fn is SAME else self.torch_fn)(*xs)

    def run_ref(self, *xs: np.ndarray) -> Any:
        return (self.fn if self.ref is SAME else self.ref)(*xs)


def sample(case: Case, shapes: tuple[tuple[int, ...], ...], dtype: Any) -> list[np.ndarray]:
    """Inputs for ``case`` with ``shapes``: reproducible (seeded by the case), in its domain."""
    rng = np.random.default_rng(zlib.crc32(f"{case.name}{shapes}".encode()))
    doms = (case.domain,) * len(shapes) if isinstance(case.domain, str) else case.domain
    n = sum(int(np.prod(s)) for s, d in zip(shapes, doms) if d == "distinct")
    m = max(n, 4)
    pool = list((rng.permutation(2 * m) - m + 0.5) * 0.25 + rng.uniform(-0.04, 0.04, 2 * m))
    out = []
    for shape, dom in zip(shapes, doms):
        if dom == "distinct":
            k = int(np.prod(shape))
            x = np.array(pool[:k]).reshape(shape)
            del pool[:k]
        elif dom == "real":
            x = rng.standard_normal(shape)
        elif dom == "pos":
            x = rng.uniform(0.5, 2.0, shape)
        elif dom == "away":
            x = rng.choice([-1.0, 1.0], shape) * rng.uniform(0.3, 2.0, shape)
        elif dom == "gt-1":
            x = rng.uniform(-0.5, 2.0, shape)
        elif dom == "unit":
            x = rng.uniform(-0.8, 0.8, shape)
        elif dom == "gt1":
            x = rng.uniform(1.2, 3.0, shape)
        elif dom == "with0":
            x = rng.standard_normal(shape)
            x.reshape(-1)[0] = 0.0
        else:
            raise ValueError(f"sample: unknown domain {dom!r}")
        out.append(np.asarray(x, dtype=dtype))
    return out


def C(name: str, fn: Any, torch_fn: Any, ref: Any, shapes: Any, domain: Any = "real",
      **gradcheck: float) -> Case:
    return Case(name, fn, torch_fn, ref, shapes, domain, gradcheck)


def gelu_ref(x: np.ndarray, approximate: str = "none") -> np.ndarray:
    if approximate == "tanh":
        return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))
    return 0.5 * x * (1 + _erf(x / math.sqrt(2)))


def softmax_ref(x: np.ndarray, axis: int) -> np.ndarray:
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def softplus_ref(x: np.ndarray, beta: float = 1.0, threshold: float = 20.0) -> np.ndarray:
    return np.where(x * beta > threshold, x, np.log1p(np.exp(x * beta)) / beta)


def max_dim_ref(x: np.ndarray, dim: int, largest: bool = True) -> tuple[np.ndarray, np.ndarray]:
    return (x.max(dim), x.argmax(dim)) if largest else (x.min(dim), x.argmin(dim))
