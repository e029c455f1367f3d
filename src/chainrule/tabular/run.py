"""Run folders: a trained model with everything needed to use it again, as plain files.

A run folder holds ``model.safetensors`` (weights, PyTorch's key names),
``model.json`` (the architecture as data, the task, feature and class names),
``preprocess.json`` (the table job's preprocessing; ``scaler.json`` in older runs),
``history.json``/``history.csv``
and, when written by ``chainrule train``, ``train.json`` (its settings),
``checkpoint.safetensors`` (one file, for ``--resume``) and ``.lock``. Nothing is
pickled: loading rebuilds the model from an allow-list of layer types.

``model.json`` is written last and records the SHA-256 of the weights and of
every side file (``files``), so a set of files from two saves (a crash midway)
is refused, never mixed. Every file is validated completely (sizes against
the weights before anything is allocated, shapes, dtypes, finite values,
class names against the output width) and any fault raises ModelFileError.
A side file added by another part of the job (preprocessing) is written with
``save_run(..., files={name: data})`` and read back, hash-checked, with
:func:`read_run_json` (its parsed data is in ``Run.files``).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..train.errors import ModelFileError
from ..train.files import (_load_arrays, check_arrays, parse_json, read_bytes, read_json,
                          save_weights, write_json)
from ..train.history import History
from ._model import MAX_WIDTH, build_model, config_sizes, outputs_to_predictions

__all__ = ["Run", "build_model", "load_run", "outputs_to_predictions", "read_run_json",
           "save_run"]

MODEL_FORMAT, VERSION, KNOWN_VERSIONS = "chainrule-model", 2, (1, 2)
WEIGHTS, MODEL_JSON, SCALER_JSON = "model.safetensors", "model.json", "scaler.json"
TRAIN_JSON, HISTORY_JSON, LOCK = "train.json", "history.json", ".lock"
TASKS = ("binary", "multiclass", "regression")
PREPROCESS_JSON = "preprocess.json"  # written by the table job (tabular/preprocess.py)
# the model configs of model.json (an allow-list of types) are built and checked in _model.py
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
    files: dict[str, Any] = field(default_factory=dict)
    epochs: int | None = None

    @property
    def preprocessing(self) -> tuple[Any, Any]:
        """The run's (Preprocessor, TargetScaler or None) from ``preprocess.json``, or (None, None).

        Raises ModelFileError naming the file if it is damaged or does not fit the model.
        """
        data = self.files.get(PREPROCESS_JSON)
        if data is None:
            return None, None
        if "_preprocessing" not in self.__dict__:
            from .preprocess import from_run_file
            sizes = config_sizes(self.config, self.directory / MODEL_JSON)
            self.__dict__["_preprocessing"] = from_run_file(
                data, self.directory / PREPROCESS_JSON, sizes[0], sizes[-1])
        return self.__dict__["_preprocessing"]  # type: ignore[no-any-return]

    @property
    def input_names(self) -> list[str] | None:
        """The raw columns a table needs (before preprocessing); else ``feature_names``."""
        pre = self.preprocessing[0]
        return pre.feature_names_in_ if pre is not None else self.feature_names

    def transform(self, X: Any) -> np.ndarray:  # noqa: N803
        """Raw features (columns by name, or an array in column order) -> model inputs."""
        pre = self.preprocessing[0]
        if pre is not None:
            return pre.transform(X, where=str(self.directory / PREPROCESS_JSON))  # type: ignore
        x = np.asarray(X, dtype=np.float32)
        if self.scaler is not None:
            with np.errstate(all="ignore"):
                x = np.asarray(self.scaler.transform(x), dtype=np.float32)
            if not np.isfinite(x).all():
                row = int(np.flatnonzero(~np.isfinite(x).all(axis=1))[0])
                raise ValueError(f"{self.directory}: expected features that standardise to "
                                 f"finite values, got an overflow in data row {row + 1}")
        return x

    def outputs(self, X: np.ndarray) -> np.ndarray:  # noqa: N803
        """The model's raw outputs for raw features ``X``."""
        from ..train.loop import predict
        with np.errstate(all="ignore"):
            x = self.transform(X)
            _finite_rows(x, "feature values within float32 range after preprocessing")
            out = predict(self.model, x)
            target = self.preprocessing[1]  # regression trained on standardised targets
            out = out if target is None else target.inverse_transform(out)
        _finite_rows(out, "finite model outputs (values far outside the training range?)")
        return out

    def predict(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:  # noqa: N803
        """Predictions (class indices or values) and class probabilities (or None)."""
        with np.errstate(all="ignore"):
            return outputs_to_predictions(self.outputs(X), self.task)


def _finite_rows(a: np.ndarray, what: str) -> None:
    """Refuse NaN or infinity, naming the first data row (1-based) that holds one."""
    bad = ~np.isfinite(np.asarray(a, dtype=np.float64)).reshape(len(a), -1).all(axis=1)
    if bad.any():
        raise ValueError(f"expected {what}, got NaN or infinity in data row "
                         f"{int(np.argmax(bad)) + 1} ({int(bad.sum())} rows in all)")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def save_run(directory: str | Path, *, model: Any, model_config: dict[str, Any], task: str,
             class_names: list[str] | None = None, feature_names: list[str] | None = None,
             target: str | None = None, scaler: Any = None,
             history: History | None = None, files: dict[str, Any] | None = None
             ) -> list[Path]:
    """Write the model, its description, the scaler, side files and the history into ``directory``.

    Each file is written atomically, ``model.json`` last with the SHA-256 of the
    others (``files`` maps extra JSON file names to their data); returns the paths.
    """
    if task not in TASKS:
        raise ValueError(f"save_run: expected task in {TASKS}, got {task!r}")
    d = Path(directory)
    paths = [save_weights(model, d / WEIGHTS)]
    sides = {**({SCALER_JSON: scaler.to_dict()} if scaler is not None else {}), **(files or {})}
    hashes = {}
    for name, data in sides.items():
        paths.append(write_json(d / name, data))
        hashes[name] = _sha256(read_bytes(d / name))
    if history is not None:
        paths += history.save(d)
    meta = {"format": MODEL_FORMAT, "version": VERSION, "model": model_config, "task": task,
            "class_names": class_names, "feature_names": feature_names, "target": target,
            "epochs": None if history is None else len(history),
            "weights_sha256": _sha256(read_bytes(d / WEIGHTS)), "files": hashes}
    paths.append(write_json(d / MODEL_JSON, meta))  # last: it commits the set
    return paths


def _names(meta: dict[str, Any], key: str, source: Path) -> list[str] | None:
    value = meta.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ModelFileError(source, f"expected {key!r} a list of strings, got {value!r:.80}")
    if len(value) > MAX_WIDTH:
        raise ModelFileError(source, f"expected at most {MAX_WIDTH} {key}, got {len(value)}")
    return value


def read_run_json(directory: str | Path, name: str, meta: dict[str, Any]) -> Any:
    """A run's JSON side file, checked against the SHA-256 that ``model.json`` recorded for it."""
    path = Path(directory) / name
    if Path(name).name != name or name.startswith("."):
        raise ModelFileError(Path(directory) / MODEL_JSON, f"expected plain file names in "
                             f"'files', got {name!r:.60}")
    raw = read_bytes(path, 64 << 20)
    recorded = (meta.get("files") or {}).get(name)
    if recorded is not None and recorded != _sha256(raw):
        raise ModelFileError(path, f"does not match {MODEL_JSON} (written by another save, or "
                             f"an interrupted one){_finish_hint(directory)}")
    try:
        return parse_json(raw, path)
    except UnicodeDecodeError:
        raise ModelFileError(path, "expected UTF-8 JSON, got undecodable bytes") from None


def _finish_hint(directory: str | Path) -> str:
    if (Path(directory) / "checkpoint.safetensors").exists():
        return f"; finish the run with: chainrule train --resume {directory}"
    return ""


def _scaler(d: Path, meta: dict[str, Any], n_features: int) -> Any:
    from ..data import StandardScaler
    path = d / SCALER_JSON
    state = read_run_json(d, SCALER_JSON, meta)
    try:
        scaler = StandardScaler.from_dict(state)
    except (ValueError, TypeError) as exc:
        raise ModelFileError(path, str(exc)) from None
    if getattr(scaler, "n_features_in_", None) != n_features:
        raise ModelFileError(path, f"expected a fitted scaler for {n_features} features, got "
                             f"{getattr(scaler, 'n_features_in_', None)}")
    for key in ("mean_", "var_", "scale_"):
        a = getattr(scaler, key, None)
        if a is not None and (a.shape != (n_features,) or not np.isfinite(a).all()):
            raise ModelFileError(path, f"expected {key.rstrip('_')} as {n_features} finite "
                                 "numbers, got others")
    if scaler.scale_ is not None and not (scaler.scale_ > 0).all():
        k = int(np.flatnonzero(~(scaler.scale_ > 0))[0])
        raise ModelFileError(path, f"expected positive scales, got {scaler.scale_[k]} for "
                             f"feature {k}")
    return scaler


def load_run(directory: str | Path) -> Run:
    """Load a run folder written by :func:`save_run` (or ``chainrule train``).

    Raises ModelFileError, naming the file, if the folder or a file is missing,
    damaged, or does not fit the others; nothing is allocated from a size that
    the weights do not confirm.
    """
    d = Path(directory)
    if not d.is_dir():
        raise ModelFileError(d, "expected a run folder, got " +
                             ("a file" if d.exists() else "no such folder"))
    source = d / MODEL_JSON
    if not source.exists() and not source.is_symlink() and \
            (d / "checkpoint.safetensors").exists():
        raise ModelFileError(source, f"no such file: the run was interrupted before its model "
                             f"files were written{_finish_hint(d)}")
    meta = read_json(source)
    if not isinstance(meta, dict) or meta.get("format") != MODEL_FORMAT:
        raise ModelFileError(source, f"expected a {MODEL_FORMAT} description, got something else")
    if meta.get("version") not in KNOWN_VERSIONS:
        raise ModelFileError(source, f"expected format version in {KNOWN_VERSIONS}, got "
                             f"{meta.get('version')!r:.40}")
    task = meta.get("task")
    if task not in TASKS:
        raise ModelFileError(source, f"expected task in {TASKS}, got {task!r:.40}")
    class_names, features = _names(meta, "class_names", source), _names(meta, "feature_names",
                                                                          source)
    sizes = config_sizes(meta.get("model"), source)
    n_in, n_out = sizes[0], sizes[-1]
    if task == "regression" and class_names is not None:
        raise ModelFileError(source, "expected no class_names for a regression model, got "
                             f"{len(class_names)}")
    if task != "regression":
        want = 2 if task == "binary" else n_out
        if class_names is None or len(class_names) != want or (task == "binary" and n_out != 1):
            got = None if class_names is None else len(class_names)
            raise ModelFileError(source, f"expected {want} class names for a {task} model with "
                                 f"{n_out} outputs, got {got}")
        if len(set(class_names)) != len(class_names):
            raise ModelFileError(source, "expected distinct class names, got duplicates")
    if features is not None and len(features) != n_in:
        raise ModelFileError(source, f"expected {n_in} feature names (in_features), got "
                             f"{len(features)}")
    target, epochs = meta.get("target"), meta.get("epochs")
    if target is not None and not isinstance(target, str):
        raise ModelFileError(source, f"expected target a string, got {target!r:.40}")
    if epochs is not None and (type(epochs) is not int or epochs < 0):
        raise ModelFileError(source, f"expected epochs a non-negative integer, got {epochs!r:.40}")
    files = meta.get("files", {})
    if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
        raise ModelFileError(source, "expected 'files' a map of file names to SHA-256 digests")
    arrays, _, raw = _load_arrays(d / WEIGHTS)
    if meta["version"] >= 2 and meta.get("weights_sha256") != _sha256(raw):
        raise ModelFileError(d / WEIGHTS, f"does not match {MODEL_JSON} (written by another "
                             f"save, or an interrupted one){_finish_hint(d)}")
    n_params = sum(a * b + b for a, b in zip(sizes, sizes[1:]))
    if n_params > sum(a.size for a in arrays.values()) + (1 << 20):  # before allocating it
        raise ModelFileError(source, f"expected a model the size of {WEIGHTS}, got sizes "
                             f"{sizes!s:.80} ({n_params} parameters)")
    model = build_model(meta["model"], source)
    expected = {k: np.asarray(v._data) for k, v in model.state_dict().items()}
    check_arrays(d / WEIGHTS, arrays, expected)
    from ..tensor import _make
    model.load_state_dict({k: _make(arrays[k]) for k in expected})
    model.eval()
    needs_scaler = SCALER_JSON in files or (meta["version"] == 1 and (d / TRAIN_JSON).exists())
    scaler = _scaler(d, meta, n_in) if needs_scaler or (d / SCALER_JSON).exists() else None
    extra = {name: read_run_json(d, name, meta) for name in files if name != SCALER_JSON}
    history = History.load(d / HISTORY_JSON) if (d / HISTORY_JSON).exists() else None
    run = Run(d, model, meta["model"], task, class_names, features, target, scaler, history,
              extra, epochs)
    _ = run.preprocessing  # validated now: a damaged preprocess.json fails at load
    return run
