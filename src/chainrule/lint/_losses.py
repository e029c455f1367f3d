"""Lints on what reaches a loss: probabilities where logits belong (and back), float64 data.

``check_loss`` is called by the loss modules when the linter is on. It reads
the name of the node that made the input (``input.grad_fn``), so it costs a
few attribute reads; only NLLLoss on an unknown node looks at the values.
"""
from __future__ import annotations

from typing import Any

import weakref

import numpy as np

from ._core import state, warn

_LOG_PROBS = frozenset({"LogSoftmax", "Log"})
_RAW_SCORES = frozenset({"Linear", "MatMul", "Add", "Addmm", "Bilinear"})
_GRAPH_LIMIT = 10_000  # nodes walked at most when looking for the model's parameters


def check_loss(loss: Any, input: Any, target: Any) -> None:  # noqa: A002
    """Warn when ``input`` cannot be what the loss ``loss`` expects (see the module doc)."""
    state.losses += 1
    kind = type(loss).__name__
    fn = getattr(input, "grad_fn", None)
    op = type(fn).__name__ if fn is not None else ""
    if kind == "CrossEntropyLoss" and op in ("Softmax", "LogSoftmax"):
        warn(f"CrossEntropyLoss got the output of {op}: it applies log-softmax itself and "
             f"expects raw scores (logits), so {op} is applied twice and learning slows or "
             f"stalls; fix: remove the {op} layer before the loss (apply softmax only to read "
             "probabilities at prediction time), or use NLLLoss after LogSoftmax")
    elif kind == "BCEWithLogitsLoss" and op == "Sigmoid":
        warn("BCEWithLogitsLoss got the output of Sigmoid: it applies the sigmoid itself and "
             "expects raw scores (logits), so the sigmoid is applied twice; fix: remove the "
             "Sigmoid layer before the loss, or keep it and use BCELoss")
    elif kind == "NLLLoss" and op and op not in _LOG_PROBS and (
            op in _RAW_SCORES or (input._data.size and float(input._data.max()) > 0)):
        warn(f"NLLLoss got raw scores (the output of {op}): it expects log-probabilities "
             "(values <= 0) and only picks -input[target]; fix: add LogSoftmax(dim=1) before "
             "NLLLoss, or use CrossEntropyLoss on the raw scores")
    elif kind == "BCELoss" and op in _RAW_SCORES:
        warn(f"BCELoss got raw scores (the output of {op}): it expects probabilities in "
             "[0, 1]; fix: add Sigmoid before BCELoss, or better use BCEWithLogitsLoss on the "
             "raw scores (numerically stable)")
    if fn is not None:
        state.last_output = weakref.ref(fn)  # for the optimizer's check of parameters it lacks
        if input._data.dtype == np.float64 and not loss.__dict__.get("_lint_dtype"):
            loss.__dict__["_lint_dtype"] = True  # walk the graph once per loss module
            _check_float64(fn)


def graph_leaves(root: Any, limit: int = _GRAPH_LIMIT) -> list[Any]:
    """The leaf tensors reachable from the node ``root`` (at most ``limit`` nodes walked)."""
    seen = {id(root)}
    stack, leaves = [root], []
    while stack and len(seen) < limit:
        for p in getattr(stack.pop(), "next", ()):
            if p is None or id(p) in seen:
                continue
            seen.add(id(p))
            if hasattr(p, "_data"):
                leaves.append(p)
            else:
                stack.append(p)
    return leaves


def _check_float64(root: Any) -> None:
    if any(p._data.dtype == np.float32 for p in graph_leaves(root)):
        warn("float64 input into a float32 model: NumPy silently promotes every layer to "
             "float64 (twice the memory, slower) and the loss is float64; fix: convert the data "
             "once, X.astype(np.float32) or x.float() (or model.double() if float64 is wanted)")
