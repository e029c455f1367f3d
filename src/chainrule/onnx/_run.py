"""A run folder as one ONNX model: raw columns in, what ``chainrule predict`` prints out.

The run's preprocessing (``preprocess.json``) is folded into the graph, one input
per raw column, named after it:

- a numeric column is a float input (N, 1), NaN for a missing cell:
  ``(where(isnan(x), fill, x) - center) / scale``, plus ``isnan(x)`` as its indicator;
- a boolean or text column is a string input (N, 1): RegexFullMatch recognises
  the true words, the missing tokens (empty, NA, NaN, null, none, ?; any case,
  surrounding spaces ignored) and each known category; ``other`` is one minus
  the rest, so unseen values land there as in ``predict``. An embedded text
  column (``EmbeddingMLP``) turns the same matches into its code (ArgMax) and
  looks its vector up with Gather; the vectors follow the other features.

A run without a preprocessing file (an older or a generated-data run) takes one
float input ``features`` (N, F), standardised by its ``scaler.json``. The output
is ``probabilities`` (N, C) for classification, or ``predictions`` (N,) or (N, K)
in the target's units for regression.
"""
from __future__ import annotations

import os
from typing import Any

import numpy as np

from ..tabular.preprocess import MISSING_TOKENS
from ._export import Builder

RUN_OPSET = 20  # RegexFullMatch


def _literal(text: str) -> str:
    """``text`` as an RE2 pattern that matches it exactly (non-alphanumerics as \\x{..})."""
    return "".join(ch if ch.isalnum() else f"\\x{{{ord(ch):x}}}" for ch in text)


def _words(words: Any) -> str:
    return r"\s*(?i:" + "|".join(_literal(w) for w in words) + r")\s*"


MISSING_PATTERN = _words(MISSING_TOKENS)
TRUE_PATTERN = _words(("true", "yes", "t", "y"))


def _column(b: Builder, c: dict[str, Any], x: str) -> list[str]:
    """The feature columns (N, 1) that one raw column becomes."""
    f = np.float32
    if c["kind"] == "numeric":
        nan = b.node("IsNaN", [x], "isnan")
        filled = b.node("Where", [nan, b.const([[c["fill"]]], dtype=f), x], "filled")
        out = [_scaled(b, filled, c)]
        return out + ([b.node("Cast", [nan], "indicator", to=1)] if c["indicator"] else [])
    miss = b.node("RegexFullMatch", [x], "missing", pattern=MISSING_PATTERN)
    if c["kind"] == "boolean":
        true = b.node("Cast", [b.node("RegexFullMatch", [x], "true", pattern=TRUE_PATTERN)],
                      "true", to=1)
        value = b.node("Where", [miss, b.const([[c["fill"]]], dtype=f), true], "bool")
        out = [_scaled(b, value, c)]
        return out + ([b.node("Cast", [miss], "indicator", to=1)] if c["indicator"] else [])
    hits = [b.node("Cast", [b.node("RegexFullMatch", [x], "eq",
                                   pattern=r"\s*" + _literal(v) + r"\s*")], "onehot", to=1)
            for v in c["categories"]]
    missing = b.node("Cast", [miss], "indicator", to=1)
    taken = hits + ([missing] if c["indicator"] else [])
    total = b.node("Mul", [missing, b.const([[0.0]], dtype=f)], "none") if not taken else \
        taken[0] if len(taken) == 1 else b.node("Sum", taken, "taken")
    other = b.node("Sub", [b.const([[1.0]], dtype=f), total], "other")
    return hits + [other] + ([missing] if c["indicator"] else [])


def _embedded(b: Builder, c: dict[str, Any], x: str, weight: Any) -> str:
    """An embedded text column's vectors (N, d): Gather(weight, ArgMax(one-hot of the code))."""
    block = _column(b, c, x)
    onehot = block[0] if len(block) == 1 else b.node("Concat", block, "codes", axis=1)
    code = b.node("ArgMax", [onehot], "code", axis=1, keepdims=0)
    return b.node("Gather", [b.const(np.asarray(weight._data, np.float32), "embedding"), code],
                  "embedded", axis=0)


def _scaled(b: Builder, x: str, c: dict[str, Any]) -> str:
    if c["center"] == 0.0 and c["scale"] == 1.0:
        return x
    centred = b.node("Sub", [x, b.const([[c["center"]]])], "centred")
    return b.node("Div", [centred, b.const([[c["scale"]]])], "scaled")


def _inputs(b: Builder, run: Any, pre: Any) -> tuple[list[Any], str]:
    from onnx import TensorProto, helper

    from ..tabular.run import config_sizes
    if pre is None:
        n = int(config_sizes(run.config)[0])
        info = [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["N", n])]
        x = "features"
        if run.scaler is not None:
            d = run.scaler.to_dict()
            mean = np.asarray(d["mean"], np.float32).reshape(1, -1)
            scale = np.asarray(d["scale"], np.float32).reshape(1, -1)
            x = b.node("Div", [b.node("Sub", [x, b.const(mean)], "centred"), b.const(scale)],
                       "scaled")
        return info, x
    info, pieces, vectors = [], [], []
    tables = iter(getattr(run.model, "embeddings", []))
    for c in pre.columns_:
        numeric = c["kind"] == "numeric"
        info.append(helper.make_tensor_value_info(
            c["name"], TensorProto.FLOAT if numeric else TensorProto.STRING, ["N", 1]))
        if c.get("encoding") == "embed":
            table = next(tables, None)
            if table is None:
                raise ValueError(f"onnx.export_run: expected an EmbeddingMLP for the embedded "
                                 f"column {c['name']!r}, got {type(run.model).__name__}")
            vectors.append(_embedded(b, c, c["name"], table.weight))
        else:
            pieces += _column(b, c, c["name"])
    pieces += vectors  # EmbeddingMLP: the embeddings after the other features
    return info, (pieces[0] if len(pieces) == 1 else b.node("Concat", pieces, "features",
                                                              axis=1))


def export_run(run_dir: str | os.PathLike[str], f: Any, opset_version: int | None = None) -> Any:
    """See :func:`chainrule.onnx.export_run`; returns the ModelProto."""
    from onnx import TensorProto, checker, helper

    from ..tabular.run import config_sizes, load_run
    from ..tensor import Tensor
    from . import _write, export
    run = load_run(os.fspath(run_dir))
    pre, target = run.preprocessing
    opset = max(RUN_OPSET, int(opset_version or RUN_OPSET))
    b = Builder(opset, {}, prefix="pre/")
    info, features = _inputs(b, run, pre)
    width = int(config_sizes(run.config)[0])
    model = run.model
    if hasattr(model, "embeddings"):  # EmbeddingMLP: the lookups are in the graph already
        model, width = model.mlp, model.mlp_in_features
    core = export(model, Tensor(np.zeros((1, width), np.float32)), None,
                  input_names=[features], output_names=["logits"], opset_version=opset)
    b.nodes += list(core.graph.node)
    inits = list(b.inits.values()) + list(core.graph.initializer)
    if run.task == "regression":
        name, y = "predictions", "logits"
        if target is not None:
            d = target.to_dict()
            y = b.node("Add", [b.node("Mul", [y, b.const(np.reshape(d["scale"], (1, -1)))],
                                      "unscaled"), b.const(np.reshape(d["center"], (1, -1)))],
                       "target")
            inits = list(b.inits.values()) + list(core.graph.initializer)
        k = int(core.graph.output[0].type.tensor_type.shape.dim[1].dim_value)
        if k == 1:
            y = b.node("Reshape", [y, b.const([-1], dtype=np.int64)], "flat")
            inits = list(b.inits.values()) + list(core.graph.initializer)
        b.nodes.append(helper.make_node("Identity", [y], [name]))
        out = helper.make_tensor_value_info(name, TensorProto.FLOAT, ["N"] + ([k] if k > 1 else []))
    else:
        if run.task == "binary":
            p = b.node("Sigmoid", ["logits"], "p")
            q = b.node("Sub", [b.const([[1.0]]), p], "q")
            b.nodes.append(helper.make_node("Concat", [q, p], ["probabilities"], axis=1))
        else:
            b.nodes.append(helper.make_node("Softmax", ["logits"], ["probabilities"], axis=1))
        inits = list(b.inits.values()) + list(core.graph.initializer)
        out = helper.make_tensor_value_info("probabilities", TensorProto.FLOAT,
                                            ["N", len(run.class_names or [])])
    graph = helper.make_graph(b.nodes, "chainrule-run", info, [out], inits)
    proto = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                              producer_name="chainrule")
    proto.ir_version = min(proto.ir_version, 10)
    names = run.class_names if run.task != "regression" else [run.target or "target"]
    helper.set_model_props(proto, {"task": run.task, "outputs": ",".join(names or [])})
    checker.check_model(proto, full_check=True)
    if f is not None:
        _write(proto.SerializeToString(), f)
    return proto
