"""The model of a run folder as data (``{"type": "MLP", "args": {...}}``, an allow-list of
types), and what its outputs mean (class indices and probabilities, or values).

Configs are validated and their sizes bounded before anything is built, so a
damaged or hostile ``model.json`` raises ModelFileError instead of allocating.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..train.errors import ModelFileError

__all__ = ["MAX_WIDTH", "build_model", "config_sizes", "outputs_to_predictions"]

MAX_WIDTH = 1 << 24  # features, units or outputs of one layer
_MLP_ARGS = {"in_features", "hidden_sizes", "out_features", "activation", "output_activation",
             "dropout", "norm"}


def _builders() -> dict[str, Any]:
    from .. import nn
    from .embed import EmbeddingMLP  # text columns embedded (tabular/embed.py)
    return {"MLP": nn.MLP, "Linear": nn.Linear, "EmbeddingMLP": EmbeddingMLP}


def build_model(config: dict[str, Any], source: object = "model config") -> Any:
    """A freshly initialised model from ``{"type": "MLP", "args": {...}}`` (an allow-list).

    Example
    -------
    >>> m = build_model({"type": "MLP", "args": {"in_features": 2, "hidden_sizes": [8],
    ...                                          "out_features": 3}})
    >>> m(__import__("chainrule").zeros(4, 2)).shape
    chainrule.Size([4, 3])
    """
    config_sizes(config, source)  # validated, bounded: nothing huge is allocated
    kind: str = config["type"]
    builders = _builders()
    try:
        return builders[kind](**config["args"])
    except (TypeError, ValueError) as exc:
        raise ModelFileError(source, f"cannot build {kind} from its arguments ({exc})") from None


def _width(value: Any, what: str, source: object) -> int:
    if type(value) is not int or not 1 <= value <= MAX_WIDTH:
        raise ModelFileError(source, f"expected {what} an integer in [1, {MAX_WIDTH}], got "
                             f"{value!r:.40}")
    return value


def config_sizes(config: Any, source: object = "model config") -> list[int]:
    """The layer widths ``[in, *hidden, out]`` of a model config, validated without building it.

    Example
    -------
    >>> config_sizes({"type": "MLP", "args": {"in_features": 2, "hidden_sizes": [8],
    ...                                       "out_features": 3}})
    [2, 8, 3]
    """
    if not isinstance(config, dict) or not isinstance(config.get("args"), dict):
        raise ModelFileError(source, "expected a model config {'type': ..., 'args': {...}}, got "
                             f"{type(config).__name__}")
    kind, args = config.get("type"), config["args"]
    if kind not in _builders():
        raise ModelFileError(source, f"expected a model type among {sorted(_builders())}, got "
                             f"{kind!r:.40}")
    if kind == "Linear":
        return [_width(args.get("in_features"), "in_features", source),
                _width(args.get("out_features"), "out_features", source)]
    if kind == "EmbeddingMLP":
        from .embed import check_embeddings
        try:
            check_embeddings(args.get("embeddings"), _width(args.get("in_features"),
                                                            "in_features", source))
        except ValueError as exc:
            raise ModelFileError(source, str(exc)) from None
    unknown = sorted(set(args) - _MLP_ARGS - ({"embeddings"} if kind == "EmbeddingMLP" else
                                               set()))
    if unknown:
        raise ModelFileError(source, f"expected MLP arguments among {sorted(_MLP_ARGS)}, got "
                             f"{unknown!r:.80}")
    hidden = args.get("hidden_sizes", [])
    hidden = [hidden] if type(hidden) is int else hidden
    if not isinstance(hidden, list) or len(hidden) > 64:
        raise ModelFileError(source, f"expected hidden_sizes a list of at most 64 widths, got "
                             f"{hidden!r:.60}")
    return [_width(args.get("in_features"), "in_features", source),
            *(_width(h, "a hidden width", source) for h in hidden),
            _width(args.get("out_features"), "out_features", source)]


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
