"""The playground's settings: plain JSON from the page, validated with a message per field.

Every message names the field as the page labels it and follows the library's
template, ``<field>: expected <what>, got <what>``; the app answers it with a
400 and the page shows it.
"""
from __future__ import annotations

import math
from typing import Any

__all__ = ["ACTIVATIONS", "DATASETS", "DEFAULTS", "HEADS", "OPTIMIZERS", "SCHEDULES",
           "validate"]

DATASETS = ("spirals", "moons", "circles", "xor", "gaussians", "upload")
ACTIVATIONS = ("relu", "tanh", "sigmoid", "leaky_relu", "gelu", "elu", "silu", "softplus",
               "linear")
HEADS = ("sigmoid", "softmax")  # one logit + BCEWithLogitsLoss, or C logits + CrossEntropyLoss
OPTIMIZERS = ("sgd", "momentum", "adam", "adamw", "rmsprop", "adagrad")
SCHEDULES = ("none", "step", "cosine", "plateau")
MAX_LAYERS, MAX_WIDTH = 6, 32
DEFAULTS: dict[str, Any] = {
    "dataset": "spirals", "noise": 0.05, "samples": 400, "test_ratio": 0.3, "hidden": [8, 8],
    "activation": "tanh", "head": "softmax", "optimizer": "adam", "lr": 0.03,
    "schedule": "none", "batch_size": 16, "l2": 0.0, "dropout": 0.0, "seed": 0,
    "features": [0, 1],
}


def _bad(field: str, expected: str, value: Any) -> ValueError:
    return ValueError(f"{field}: expected {expected}, got {value!r:.60}")


def _number(s: dict[str, Any], key: str, field: str, lo: float, hi: float,
            open_lo: bool = False, open_hi: bool = True) -> None:
    v = s[key]
    ok = isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
    ok = ok and (v > lo if open_lo else v >= lo) and (v < hi if open_hi else v <= hi)
    if not ok:
        brackets = ("(" if open_lo else "[") + f"{lo:g}, {hi:g}" + (")" if open_hi else "]")
        raise _bad(field, f"a number in {brackets}", v)
    s[key] = float(v)


def _integer(s: dict[str, Any], key: str, field: str, lo: int, hi: int) -> None:
    v = s[key]
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
        raise _bad(field, f"an integer in [{lo}, {hi}]", s[key])
    s[key] = v


def _choice(s: dict[str, Any], key: str, field: str, options: tuple[str, ...]) -> None:
    if s[key] not in options:
        raise _bad(field, f"one of {', '.join(options)}", s[key])


def _hidden(value: Any) -> list[int]:
    field = "hidden layers"
    if isinstance(value, str):
        text = value.replace(" ", "")
        if text in ("", "none", "0"):
            return []
        try:
            value = [int(v) for v in text.split(",")]
        except ValueError:
            raise _bad(field, "comma-separated layer widths such as 8,8", text) from None
    if not isinstance(value, list) or any(isinstance(v, bool) or not isinstance(v, int)
                                          for v in value):
        raise _bad(field, "comma-separated layer widths such as 8,8", value)
    if len(value) > MAX_LAYERS or any(not 1 <= v <= MAX_WIDTH for v in value):
        raise _bad(field, f"at most {MAX_LAYERS} layers of 1 to {MAX_WIDTH} neurons", value)
    return list(value)


def validate(changes: Any, base: dict[str, Any] | None = None) -> dict[str, Any]:
    """``base`` (default: DEFAULTS) updated with ``changes`` (a dict from the page), validated.

    Example
    -------
    >>> s = validate({"hidden": "4, 2", "lr": 0.1})
    >>> s["hidden"], s["lr"], s["dataset"]
    ([4, 2], 0.1, 'spirals')
    >>> validate({"lr": -1})
    Traceback (most recent call last):
    ...
    ValueError: learning rate: expected a number in (0, 10], got -1
    """
    if not isinstance(changes, dict):
        raise _bad("settings", "a JSON object", type(changes).__name__)
    unknown = sorted(set(changes) - set(DEFAULTS))
    if unknown:
        raise ValueError(f"settings: expected fields among {sorted(DEFAULTS)}, got {unknown}")
    s = dict(DEFAULTS if base is None else base)
    s.update(changes)
    _choice(s, "dataset", "dataset", DATASETS)
    _choice(s, "activation", "activation", ACTIVATIONS)
    _choice(s, "head", "output head", HEADS)
    _choice(s, "optimizer", "optimizer", OPTIMIZERS)
    _choice(s, "schedule", "schedule", SCHEDULES)
    s["hidden"] = _hidden(s["hidden"])
    _number(s, "noise", "noise", 0.0, 1.0, open_hi=False)
    _number(s, "test_ratio", "test ratio", 0.0, 0.9, open_hi=False)
    _number(s, "lr", "learning rate", 0.0, 10.0, open_lo=True, open_hi=False)
    _number(s, "l2", "L2", 0.0, 1.0)
    _number(s, "dropout", "dropout", 0.0, 0.9, open_hi=False)
    _integer(s, "samples", "samples", 20, 2000)
    _integer(s, "batch_size", "batch size", 1, 1000)
    _integer(s, "seed", "seed", 0, 2**31 - 1)
    f = s["features"]
    if not (isinstance(f, list) and len(f) == 2 and all(isinstance(v, int) and
                                                        not isinstance(v, bool) and v >= 0
                                                        for v in f) and f[0] != f[1]):
        raise _bad("features", "two different column indices such as [0, 1]", f)
    return s
