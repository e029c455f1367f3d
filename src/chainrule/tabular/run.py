"""Run folders: a trained model with everything needed to use it again, as plain files.

A run folder holds ``model.safetensors`` (weights, PyTorch's key names),
``model.json`` (the architecture as data, the task, feature and class names),
``scaler.json`` (the input standardisation), ``history.json``/``history.csv``
and, when written by ``chainrule train``, ``train.json`` (its settings) and
``checkpoint.safetensors``/``checkpoint.json`` (for ``--resume``). Nothing is
pickled: loading rebuilds the model from an allow-list of layer types.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..train.errors import ModelFileError
from ..train.files import load_weights, read_json, save_weights, write_json
from ..train.history import History

__all__ = ["Run", "build_model", "load_run", "outputs_to_predictions", "save_run"]

MODEL_FORMAT, VERSION = "chainrule-model", 1
WEIGHTS, MODEL_JSON, SCALER_JSON = "model.safetensors", "model.json", "scaler.json"
TASKS = ("binary", "multiclass", "regression")


def _builders() -> dict[str, Any]:
    from .. import nn
    return {"MLP": nn.MLP, "Linear": nn.Linear}


def build_model(config: dict[str, Any], source: object = "model config") -> Any:
    """A freshly initialised model from ``{"type": "MLP", "args": {...}}`` (an allow-list).

    Example
    -------
    >>> m = build_model({"type": "MLP", "args": {"in_features": 2, "hidden_sizes": [8],
    ...                                          "out_features": 3}})
    >>> m(__import__("chainrule").zeros(4, 2)).shape
    (4, 3)
    """
    builders = _builders()
    if not isinstance(config, dict) or not isinstance(config.get("args"), dict):
        raise ModelFileError(source, "expected a model config {'type': ..., 'args': {...}}, got "
                             f"{type(config).__name__}")
    kind = config.get("type")
    if kind not in builders:
        raise ModelFileError(source, f"expected a model type among {sorted(builders)}, got "
                             f"{kind!r}")
    try:
        return builders[kind](**config["args"])
    except (TypeError, ValueError) as exc:
        raise ModelFileError(source, f"cannot build {kind} from its arguments ({exc})") from None


def outputs_to_predictions(outputs: np.ndarray, task: str) -> tuple[np.ndarray,
                                                                     np.ndarray | None]:
    """Class indices and probabilities (classification) or values (regression) from outputs.

    Binary outputs are one logit per sample; multi-class outputs are C logits.

    Shape
    -----
    outputs: (N, 1) or (N, C) -> predictions (N,) and probabilities (N, C) or None.

    Example
    -------
    >>> import numpy as np
    >>> pred, proba = outputs_to_predictions(np.array([[0.0], [2.0]]), "binary")
    >>> pred.tolist(), proba[:, 1].round(3).tolist()
    ([0, 1], [0.5, 0.881])
    """
    out = np.asarray(outputs, dtype=np.float64)
    if task == "regression":
        return (out[:, 0] if out.ndim == 2 and out.shape[1] == 1 else out), None
    if task == "binary":
        logit = out.reshape(len(out))
        p = np.exp(-np.logaddexp(0.0, -logit))  # sigmoid without overflow
        return (logit > 0).astype(np.int64), np.stack([1 - p, p], axis=1)
    z = out - out.max(axis=1, keepdims=True)
    e = np.exp(z)
    return out.argmax(axis=1), e / e.sum(axis=1, keepdims=True)


@dataclass
class Run:
    """A loaded run folder: the model (in eval mode) and what describes its inputs and outputs."""

    directory: Path
    model: Any
    config: dict[str, Any]
    task: str
    class_names: list[str] | None
    feature_names: list[str] | None
    target: str | None
    scaler: Any
    history: History | None

    def transform(self, X: np.ndarray) -> np.ndarray:  # noqa: N803
        """Standardise raw features as in training (float32)."""
        x = np.asarray(X, dtype=np.float32)
        if self.scaler is not None:
            x = np.asarray(self.scaler.transform(x), dtype=np.float32)
        return x

    def outputs(self, X: np.ndarray) -> np.ndarray:  # noqa: N803
        """The model's raw outputs for raw features ``X``."""
        from ..train.loop import predict
        return predict(self.model, self.transform(X))

    def predict(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:  # noqa: N803
        """Predictions (class indices or values) and class probabilities (or None)."""
        return outputs_to_predictions(self.outputs(X), self.task)


def save_run(directory: str | Path, *, model: Any, model_config: dict[str, Any], task: str,
             class_names: list[str] | None = None, feature_names: list[str] | None = None,
             target: str | None = None, scaler: Any = None,
             history: History | None = None) -> list[Path]:
    """Write the model, its description, the scaler and the history into ``directory``.

    Each file is written atomically; returns the paths written.
    """
    if task not in TASKS:
        raise ValueError(f"save_run: expected task in {TASKS}, got {task!r}")
    d = Path(directory)
    meta = {"format": MODEL_FORMAT, "version": VERSION, "model": model_config, "task": task,
            "class_names": class_names, "feature_names": feature_names, "target": target}
    paths = [save_weights(model, d / WEIGHTS), write_json(d / MODEL_JSON, meta)]
    if scaler is not None:
        paths.append(write_json(d / SCALER_JSON, scaler.to_dict()))
    if history is not None:
        paths += history.save(d)
    return paths


def _names(meta: dict[str, Any], key: str, source: Path) -> list[str] | None:
    value = meta.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ModelFileError(source, f"expected {key!r} a list of strings, got {value!r:.80}")
    return value


def load_run(directory: str | Path) -> Run:
    """Load a run folder written by :func:`save_run` (or ``chainrule train``).

    Raises ModelFileError, naming the file, if the folder or a file is missing,
    damaged, or does not fit the others.
    """
    d = Path(directory)
    if not d.is_dir():
        raise ModelFileError(d, "expected a run folder, got " +
                             ("a file" if d.exists() else "no such folder"))
    meta = read_json(d / MODEL_JSON)
    source = d / MODEL_JSON
    if not isinstance(meta, dict) or meta.get("format") != MODEL_FORMAT:
        raise ModelFileError(source, f"expected a {MODEL_FORMAT} description, got something else")
    if meta.get("task") not in TASKS:
        raise ModelFileError(source, f"expected task in {TASKS}, got {meta.get('task')!r}")
    class_names = _names(meta, "class_names", source)
    if meta["task"] != "regression" and not class_names:
        raise ModelFileError(source, "expected class_names for a classifier, got none")
    model = build_model(meta.get("model"), source)  # type: ignore[arg-type]
    load_weights(model, d / WEIGHTS)
    model.eval()
    scaler = None
    if (d / SCALER_JSON).exists():
        from ..data import StandardScaler
        try:
            scaler = StandardScaler.from_dict(read_json(d / SCALER_JSON))
        except (ValueError, TypeError) as exc:
            if isinstance(exc, ModelFileError):
                raise
            raise ModelFileError(d / SCALER_JSON, str(exc)) from None
    history = History.load(d / "history.json") if (d / "history.json").exists() else None
    target = meta.get("target")
    return Run(d, model, meta["model"], meta["task"], class_names,
               _names(meta, "feature_names", source), target if isinstance(target, str) else None,
               scaler, history)
