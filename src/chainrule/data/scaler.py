"""StandardScaler: zero mean, unit variance per feature (scikit-learn's, storable as JSON)."""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import _dtype
from ..tensor import Tensor, _make


class NotFittedError(ValueError, AttributeError):
    """An estimator was used before ``fit`` (a ValueError, as scikit-learn's)."""


class StandardScaler:
    """Standardise features: ``z = (x - mean_) / scale_``, as scikit-learn's StandardScaler.

    ``scale_`` is the population standard deviation (ddof=0); a constant
    feature gets scale 1, so it maps to 0 instead of dividing by zero. Inputs
    must be finite. Statistics are computed and stored in float64; outputs
    keep a floating input's dtype (integers become the default float dtype)
    and a Tensor comes back as a Tensor.

    Shape
    -----
    ``X``: ``(n_samples, n_features)``.

    Example
    -------
    >>> import numpy as np
    >>> sc = StandardScaler().fit(np.array([[0.0, 1.0], [2.0, 1.0]]))
    >>> sc.mean_.tolist(), sc.scale_.tolist(), sc.transform(np.array([[4.0, 3.0]])).tolist()
    ([1.0, 1.0], [1.0, 1.0], [[3.0, 2.0]])
    """

    def __init__(self, *, with_mean: bool = True, with_std: bool = True) -> None:
        self.with_mean = with_mean
        self.with_std = with_std

    # ---- validation ---------------------------------------------------------------------
    def _check(self, X: Any, where: str, fitting: bool = False) -> np.ndarray:
        arr = np.asarray(X._data if isinstance(X, Tensor) else X)
        if arr.dtype.kind not in "fiub":
            raise TypeError(f"StandardScaler.{where}: expected numbers, got dtype {arr.dtype}")
        if arr.ndim != 2:
            raise ValueError(f"StandardScaler.{where}: expected a 2-D array (n_samples, "
                             f"n_features), got shape {arr.shape}; use X.reshape(-1, 1) for "
                             "a single feature")
        if not fitting:
            if not hasattr(self, "n_features_in_"):
                raise NotFittedError("This StandardScaler instance is not fitted yet. Call "
                                     "'fit' with appropriate arguments before using this "
                                     "estimator.")
            if arr.shape[1] != self.n_features_in_:
                raise ValueError(f"X has {arr.shape[1]} features, but StandardScaler is "
                                 f"expecting {self.n_features_in_} features as input.")
        if arr.dtype.kind == "f" and not np.isfinite(arr).all():
            row, col = np.argwhere(~np.isfinite(arr))[0]
            raise ValueError(f"StandardScaler.{where}: expected finite values, got "
                             f"{arr[row, col]} at row {row}, column {col}")
        return arr

    @staticmethod
    def _wrap(out: np.ndarray, like: Any, src: np.ndarray) -> Any:
        dtype = src.dtype if src.dtype.kind == "f" else _dtype.float_dtype()
        out = out.astype(dtype, copy=False)
        return _make(out) if isinstance(like, Tensor) else out

    # ---- estimator API ------------------------------------------------------------------
    def fit(self, X: Any, y: Any = None) -> StandardScaler:
        """Compute ``mean_``, ``var_`` and ``scale_`` from ``X``; returns self."""
        arr = self._check(X, "fit", fitting=True)
        if arr.shape[0] == 0:
            raise ValueError(f"StandardScaler.fit: expected at least one sample, got shape "
                             f"{arr.shape}")
        x64 = arr.astype(np.float64)
        n = x64.shape[0]
        mean = x64.mean(axis=0)
        var = x64.var(axis=0)
        self.n_features_in_ = int(arr.shape[1])
        self.n_samples_seen_ = int(n)
        # as scikit-learn: mean_ is kept whenever either option is on, var_ with with_std
        self.mean_: np.ndarray | None = mean if self.with_mean or self.with_std else None
        self.var_: np.ndarray | None = var if self.with_std else None
        if self.with_std:
            eps = np.finfo(np.float64).eps  # constant features, up to rounding (sklearn's test)
            constant = var <= n * eps * var + (n * mean * eps) ** 2
            self.scale_: np.ndarray | None = np.where(constant, 1.0, np.sqrt(var))
        else:
            self.scale_ = None
        return self

    def transform(self, X: Any) -> Any:
        """Standardise ``X`` with the fitted statistics."""
        arr = self._check(X, "transform")
        out = arr.astype(np.float64)
        if self.with_mean and self.mean_ is not None:
            out -= self.mean_
        if self.scale_ is not None:
            out /= self.scale_
        return self._wrap(out, X, arr)

    def fit_transform(self, X: Any, y: Any = None) -> Any:
        """``fit(X)`` then ``transform(X)``."""
        return self.fit(X).transform(X)

    def inverse_transform(self, X: Any) -> Any:
        """Undo :meth:`transform`: ``x = z * scale_ + mean_``."""
        arr = self._check(X, "inverse_transform")
        out = arr.astype(np.float64)
        if self.scale_ is not None:
            out *= self.scale_
        if self.with_mean and self.mean_ is not None:
            out += self.mean_
        return self._wrap(out, X, arr)

    # ---- storage ------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The scaler as plain Python data (lists, floats, bools), ready for ``json.dump``.

        Example
        -------
        >>> import json, numpy as np
        >>> sc = StandardScaler().fit(np.array([[1.0], [3.0]]))
        >>> StandardScaler.from_dict(json.loads(json.dumps(sc.to_dict()))).mean_.tolist()
        [2.0]
        """
        fitted = hasattr(self, "n_features_in_")

        def plain(a: np.ndarray | None) -> list[float] | None:
            return None if a is None else [float(v) for v in a]

        return {
            "type": "StandardScaler", "with_mean": bool(self.with_mean),
            "with_std": bool(self.with_std),
            "n_features_in": self.n_features_in_ if fitted else None,
            "n_samples_seen": self.n_samples_seen_ if fitted else None,
            "mean": plain(self.mean_) if fitted else None,
            "var": plain(self.var_) if fitted else None,
            "scale": plain(self.scale_) if fitted else None,
        }

    @classmethod
    def from_dict(cls, state: dict[str, Any]) -> StandardScaler:
        """Rebuild a scaler from :meth:`to_dict`'s output."""
        if not isinstance(state, dict) or state.get("type", "StandardScaler") != "StandardScaler":
            raise ValueError(f"StandardScaler.from_dict: expected a dict from "
                             f"StandardScaler.to_dict(), got {type(state).__name__}"
                             + (f" of type {state.get('type')!r}" if isinstance(state, dict)
                                else ""))
        sc = cls(with_mean=bool(state.get("with_mean", True)),
                 with_std=bool(state.get("with_std", True)))
        n = state.get("n_features_in")
        if n is None:
            return sc
        arrays = {}
        for key, needed in (("mean", sc.with_mean or sc.with_std), ("var", sc.with_std),
                            ("scale", sc.with_std)):
            v = state.get(key)
            if needed and (v is None or len(v) != n):
                raise ValueError(f"StandardScaler.from_dict: expected '{key}' a list of {n} "
                                 f"numbers, got {v!r:.60}")
            arrays[key] = None if not needed else np.asarray(v, dtype=np.float64)
        sc.n_features_in_ = int(n)
        sc.n_samples_seen_ = int(state.get("n_samples_seen") or 0)
        sc.mean_, sc.var_, sc.scale_ = arrays["mean"], arrays["var"], arrays["scale"]
        return sc

    def __repr__(self) -> str:
        args = [f"{k}=False" for k in ("with_mean", "with_std") if not getattr(self, k)]
        return f"StandardScaler({', '.join(args)})"
