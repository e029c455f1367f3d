"""TargetScaler: regression targets standardised for training, predictions mapped back."""
from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["TargetScaler"]


class TargetScaler:
    """Standardise regression targets for training; :meth:`inverse_transform` maps outputs back.

    Shape
    -----
    y: (N,) or (N, K); stored per output as ``center`` and ``scale`` lists.

    Example
    -------
    >>> t = TargetScaler().fit(np.array([200000.0, 206000.0]))
    >>> t.transform(np.array([203000.0])).tolist(), t.inverse_transform(np.array([[1.0]])).tolist()
    ([[0.0]], [[206000.0]])
    """

    def __init__(self) -> None:
        self.center_: np.ndarray | None = None
        self.scale_: np.ndarray | None = None

    def fit(self, y: Any) -> TargetScaler:
        a = np.asarray(y, np.float64).reshape(len(y), -1)
        self.center_ = a.mean(axis=0)
        std = a.std(axis=0)
        self.scale_ = np.where(std > 1e-12 * np.maximum(np.abs(self.center_), 1.0), std, 1.0)
        return self

    def _check(self) -> tuple[np.ndarray, np.ndarray]:
        if self.center_ is None or self.scale_ is None:
            raise ValueError("TargetScaler: expected a fitted scaler, got an unfitted one")
        return self.center_, self.scale_

    def transform(self, y: Any) -> np.ndarray:
        """(N, K) float32 standardised targets."""
        c, s = self._check()
        return ((np.asarray(y, np.float64).reshape(len(y), -1) - c) / s).astype(np.float32)

    def inverse_transform(self, z: Any) -> np.ndarray:
        """(N, K) float64 values in the target's units."""
        c, s = self._check()
        return np.asarray(z, np.float64).reshape(len(z), -1) * s + c

    def to_dict(self) -> dict[str, Any]:
        c, s = self._check()
        return {"center": c.tolist(), "scale": s.tolist()}

    @classmethod
    def from_dict(cls, data: Any) -> TargetScaler:
        t = cls()
        if not isinstance(data, dict):
            raise ValueError(f"expected a target dict, got {type(data).__name__}")
        c, s = data.get("center"), data.get("scale")
        ok = isinstance(c, list) and isinstance(s, list) and len(c) == len(s) > 0 and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
            for v in c + s) and all(v > 0 for v in s)
        if not ok:
            raise ValueError(f"expected target center and scale lists of finite numbers (scale "
                             f"> 0), got {data!r:.100}")
        t.center_, t.scale_ = np.array(c, np.float64), np.array(s, np.float64)
        return t
