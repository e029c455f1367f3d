"""save(path)/load(path) for the estimators: safetensors arrays + a JSON manifest, no pickle.

A saved estimator is a folder: ``arrays.safetensors`` (parameters, running
statistics, label arrays) and ``estimator.json`` (class, hyperparameters,
fitted scalars, the arrays' checksum). The JSON is written last, atomically,
so a folder is either the previous good state or the new one.
"""
from __future__ import annotations

import hashlib
import importlib
from pathlib import Path
from typing import Any

import numpy as np

from ..train import files
from ..train.errors import ModelFileError

FORMAT = "chainrule.sklearn/1"


def _checksum(arrays: dict[str, np.ndarray]) -> str:
    h = hashlib.sha256()
    for key in sorted(arrays):
        a = np.ascontiguousarray(arrays[key])
        h.update(f"{key}|{a.dtype.str}|{a.shape}|".encode())
        h.update(a.tobytes())
    return h.hexdigest()


def _jsonable(value: Any, where: str) -> Any:
    if isinstance(value, (np.integer, np.floating, np.bool_)):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return {"__float__": repr(value)}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_jsonable(v, where) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v, where) for k, v in value.items()}
    if isinstance(value, type) or callable(value):
        mod, name = getattr(value, "__module__", ""), getattr(value, "__qualname__", "")
        if mod and name and "<" not in name:
            return {"__callable__": f"{mod}:{name}"}
    if isinstance(value, np.dtype) or isinstance(getattr(value, "dtype", None), np.dtype):
        return str(np.dtype(value))  # NumPy's name: also for chainrule.float32
    raise TypeError(f"save: expected JSON-able parameters, got {where}={value!r}; use an int "
                    "random_state and importable classes/functions")


def _unjson(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"__float__"}:
            return float(value["__float__"])
        if set(value) == {"__callable__"}:
            mod, name = value["__callable__"].split(":")
            obj: Any = importlib.import_module(mod)
            for part in name.split("."):
                obj = getattr(obj, part)
            return obj
        return {k: _unjson(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unjson(v) for v in value]
    return value


def labels_to_json(classes: np.ndarray) -> dict[str, Any]:
    """``classes_`` as JSON (strings, ints, floats or bools keep their kind)."""
    return {"dtype": classes.dtype.str if classes.dtype.kind != "O" else "O",
            "values": [c.item() if hasattr(c, "item") else c for c in classes.tolist()]}


def labels_from_json(obj: dict[str, Any]) -> np.ndarray:
    return np.asarray(obj["values"], dtype=object if obj["dtype"] == "O" else obj["dtype"])


class PersistMixin:
    """``save(path)`` and ``load(path)`` (class method) through safetensors and JSON."""

    def _persist(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        raise NotImplementedError

    def _restore(self, arrays: dict[str, np.ndarray], state: dict[str, Any]) -> None:
        raise NotImplementedError

    def save(self, path: str | Path) -> Path:
        """Save the fitted estimator into the folder ``path`` (created; files replaced atomically).

        Example
        -------
        >>> import tempfile, numpy as np
        >>> from chainrule.sklearn import MLPRegressor
        >>> X = np.random.default_rng(0).normal(size=(40, 3)); y = X.sum(axis=1)
        >>> est = MLPRegressor(hidden_layer_sizes=(8,), max_iter=300, random_state=0).fit(X, y)
        >>> folder = est.save(tempfile.mkdtemp() + "/reg")
        >>> bool(np.allclose(MLPRegressor.load(folder).predict(X), est.predict(X)))
        True
        """
        from sklearn.utils.validation import check_is_fitted
        check_is_fitted(self)
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        arrays, state = self._persist()
        params = {k: _jsonable(v, k) for k, v in self.get_params(deep=False).items()}  # type: ignore[attr-defined]
        arrays = {k: np.ascontiguousarray(v) for k, v in arrays.items()}
        files.save_arrays(folder / "arrays.safetensors", arrays)
        cls = type(self)
        files.write_json(folder / "estimator.json", {
            "format": FORMAT, "class": f"{cls.__module__}:{cls.__qualname__}",
            "params": params, "state": _jsonable(state, "state"),
            "checksum": _checksum(arrays)})
        return folder

    @classmethod
    def load(cls, path: str | Path) -> Any:
        """Load an estimator saved by :meth:`save` (validated completely before it is built)."""
        folder = Path(path)
        meta = files.read_json(folder / "estimator.json")
        got = meta.get("format") if isinstance(meta, dict) else meta
        if got != FORMAT:
            raise ModelFileError(folder / "estimator.json",
                                 f"expected format {FORMAT!r}, got {got!r}")
        name = meta["class"].split(":")[-1]
        if name != cls.__qualname__:
            raise ModelFileError(folder, f"expected a saved {cls.__qualname__}, got {name}")
        arrays = files.load_arrays(folder / "arrays.safetensors")
        if _checksum(arrays) != meta.get("checksum"):
            raise ModelFileError(folder, "arrays do not match estimator.json (a save was "
                                       "interrupted or the files were mixed)")
        est = cls(**{k: _unjson(v) for k, v in meta["params"].items()})
        est._restore(arrays, _unjson(meta["state"]))
        return est


_STATE = ("n_iter_", "t_", "n_outputs_", "n_layers_", "out_activation_", "loss_", "loss_curve_",
          "best_loss_", "validation_scores_", "best_validation_score_", "n_features_in_")


def mlp_state(self: Any) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """The arrays and JSON state of a fitted MLPClassifier/MLPRegressor."""
    arrays = {"params": self._flat}
    for i, r in enumerate(getattr(self, "_running", None) or []):
        arrays[f"running.{i}"] = r
    state = {k: getattr(self, k) for k in _STATE if hasattr(self, k)}
    state["units"] = self._layout.units
    if hasattr(self, "feature_names_in_"):
        state["feature_names_in_"] = [str(f) for f in self.feature_names_in_]
    return arrays, state


def mlp_restore(self: Any, arrays: dict[str, np.ndarray], state: dict[str, Any]) -> None:
    """Rebuild a fitted MLP from :func:`mlp_state`'s output."""
    from ._engine import Layout
    units = state.pop("units")
    self._layout = Layout(units, bool(self.batch_norm))
    flat = arrays["params"]
    if flat.shape != (self._layout.size,):
        raise ValueError(f"load: expected {self._layout.size} parameters for layers "
                         f"{units}, got shape {flat.shape}")
    self._flat = flat.copy()
    n_running = sum(1 for k in arrays if k.startswith("running."))
    self._running = [arrays[f"running.{i}"].copy() for i in range(n_running)] or None
    if "feature_names_in_" in state:
        self.feature_names_in_ = np.asarray(state.pop("feature_names_in_"), dtype=object)
    for k, v in state.items():
        setattr(self, k, v)
    self._net_cache = self._solver = None
