"""ONNX graph -> trainable chainrule module.

The graph is read as data and mapped node by node onto chainrule layers (Gemm and
MatMul + Add -> ``nn.Linear``, BatchNormalization -> ``nn.BatchNorm1d``,
LayerNormalization -> ``nn.LayerNorm``, the activations -> their modules) and a few
glue ops (Add, Sub, Mul, Div, Erf, Concat, Cast, Reshape, Flatten, Identity, Dropout)
whose constants become buffers. A plain chain of layers comes back as
``nn.Sequential``; anything else as :class:`ImportedGraph`, which runs the nodes in
order. Either is a normal Module: it trains, explains and exports again.

Classifiers from skl2onnx have two outputs, a label and probabilities (a tensor,
or a ZipMap of dicts): the module returns the probabilities, shape (N, C), taken
before the ZipMap; the labels are their argmax mapped through ``module.classes_``
(set from the graph's class list when it has one).
"""
from __future__ import annotations

import os
from typing import Any

import numpy as np

from .. import nn
from ..autograd.function import Function
from ..nn.modules.module import Module
from ..ops.activation import _erf
from ..tensor import Tensor, _make
from . import OnnxImportError, _onnx

LAYER_OPS = {"Gemm", "MatMul", "Relu", "Sigmoid", "Tanh", "LeakyRelu", "Elu", "Gelu", "Softplus",
             "Softmax", "LogSoftmax", "BatchNormalization", "LayerNormalization", "PRelu"}
GLUE_OPS = {"Add", "Sub", "Mul", "Div", "Erf", "Concat", "Cast", "Reshape", "Flatten",
            "Identity", "Dropout", "Neg", "Sqrt"}
SUPPORTED = sorted(LAYER_OPS | GLUE_OPS)


class Erf(Function):
    """y = erf(x); dy/dx = 2/sqrt(pi) exp(-x^2)"""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _erf(x).astype(x.dtype)

    @staticmethod
    def backward(ctx, grad_out):
        (x,) = ctx.saved_arrays
        return (grad_out * (2.0 / np.sqrt(np.pi)) * np.exp(-x * x),)


def _load(source: Any) -> Any:
    onnx = _onnx()
    from google.protobuf.message import DecodeError
    if isinstance(source, onnx.ModelProto):
        return source
    where = "onnx import"
    try:
        if isinstance(source, (bytes, bytearray)):
            proto = onnx.load_from_string(bytes(source))
        else:
            where = f"onnx import: {os.fspath(source)}"
            if not os.path.isfile(source):
                got = "something else" if os.path.exists(source) else "no such file"
                raise OnnxImportError(f"{where}: expected a regular file, got {got}")
            proto = onnx.load(os.fspath(source), load_external_data=False)
    except (DecodeError, ValueError, RuntimeError, UnicodeDecodeError) as exc:
        if isinstance(exc, OnnxImportError):
            raise
        raise OnnxImportError(f"{where}: expected an ONNX model, got a file that does not parse "
                              f"(truncated or another format)") from None
    if not proto.graph.node or not proto.graph.output:
        raise OnnxImportError(f"{where}: expected an ONNX model with a graph, got none")
    return proto


def _attrs(node: Any) -> dict[str, Any]:
    from onnx import helper
    out = {a.name: helper.get_attribute_value(a) for a in node.attribute}
    # strings come as bytes; float attributes are float32 (1e-5 -> 9.99999974e-06): round back
    return {k: v.decode() if isinstance(v, bytes) else float(f"{v:.7g}") if isinstance(v, float)
            else v for k, v in out.items()}


def _output(graph: Any, producers: dict[str, Any]) -> str:
    names = [o.name for o in graph.output]
    if len(names) == 1:
        return names[0]
    for name in names:  # a classifier: its probabilities, before ZipMap
        node = producers.get(name)
        if node is not None and node.op_type == "ZipMap":
            return node.input[0]
    probs = [n for n in names if "prob" in n.lower()]
    return probs[0] if probs else names[0]


def _needed(out: str, producers: dict[str, Any], consts: dict[str, np.ndarray]) -> list[Any]:
    """The nodes ``out`` depends on, inputs first."""
    order: list[Any] = []
    seen: set[str] = set()
    stack: list[tuple[str, bool]] = [(out, False)]
    while stack:
        name, expanded = stack.pop()
        node = producers.get(name)
        if node is None or name in consts or (not expanded and node.name + name in seen):
            continue
        if expanded:
            if node not in order:
                order.append(node)
            continue
        seen.add(node.name + name)
        stack.append((name, True))
        stack.extend((i, False) for i in node.input if i)
    return order


class ImportedGraph(Module):
    """An imported ONNX graph run node by node; layers in ``self.layers``, constants as buffers.

    Shape
    -----
    input as the graph's input -> output as the graph's chosen output.
    """

    def __init__(self, program: list[tuple[str, list[str], str, dict[str, Any]]],
                 layers: list[Module], consts: dict[str, np.ndarray], input_name: str,
                 output_name: str) -> None:
        super().__init__()
        self.layers = nn.ModuleList(layers)
        self.program, self.input_name, self.output_name = program, input_name, output_name
        self.const_keys: dict[str, str] = {}
        for i, (name, arr) in enumerate(consts.items()):
            self.const_keys[name] = f"const{i}"
            self.register_buffer(f"const{i}", _make(np.array(arr)))

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        from .. import ops
        env: dict[str, Any] = {self.input_name: input}
        for k, v in self.const_keys.items():
            env[k] = getattr(self, v)
        for op, ins, out, at in self.program:
            xs = [env[i] for i in ins]
            if op == "layer":
                env[out] = self.layers[at["index"]](xs[0])
            elif op in ("Add", "Sub", "Mul", "Div"):
                env[out] = getattr(ops, op.lower())(xs[0], xs[1])
            elif op == "Neg":
                env[out] = -xs[0]
            elif op == "Sqrt":
                env[out] = ops.sqrt(xs[0])
            elif op == "Erf":
                env[out] = Erf.apply(xs[0])
            elif op == "Concat":
                env[out] = ops.cat(xs, dim=at.get("axis", 0))
            elif op == "Reshape":
                shape = [input.shape[0] if i == 0 and s == 0 else int(s)
                         for i, s in enumerate(np.asarray(xs[1]._data).tolist())]
                env[out] = xs[0].reshape(*shape)
            elif op == "Flatten":
                env[out] = xs[0].flatten(at.get("axis", 1)) if xs[0].ndim > 1 else xs[0]
            else:
                raise RuntimeError(f"ImportedGraph: no rule for {op}")
        return env[self.output_name]  # type: ignore[no-any-return]


def _set(t: Any, array: np.ndarray) -> None:
    t._data = array


def _linear(w: np.ndarray, b: np.ndarray | None) -> nn.Linear:
    out_f, in_f = w.shape
    layer = nn.Linear(in_f, out_f, bias=b is not None)
    _set(layer.weight, np.ascontiguousarray(w, dtype=np.float32))
    if b is not None:
        _set(layer.bias, np.asarray(b, dtype=np.float32).reshape(out_f).copy())
    return layer


def _layer(node: Any, at: dict[str, Any], c: list[np.ndarray | None], opset: int) -> Module:
    op = node.op_type
    if op == "Gemm":
        if at.get("transA", 0) or c[1] is None:
            raise OnnxImportError(f"onnx import: node {node.name!r} (Gemm): expected a constant "
                                  "weight and no transA")
        w = (c[1] if at.get("transB", 0) else c[1].T) * at.get("alpha", 1.0)
        b = None if len(c) < 3 or c[2] is None else c[2] * at.get("beta", 1.0)
        return _linear(w, b)
    if op == "MatMul":
        return _linear(c[1].T, None)  # type: ignore[union-attr]
    simple = {"Relu": nn.ReLU, "Sigmoid": nn.Sigmoid, "Tanh": nn.Tanh}
    if op in simple:
        return simple[op]()
    if op == "LeakyRelu":
        return nn.LeakyReLU(at.get("alpha", 0.01))
    if op == "Elu":
        return nn.ELU(at.get("alpha", 1.0))
    if op == "Gelu":
        return nn.GELU(at.get("approximate", "none"))
    if op == "Softplus":
        return nn.Softplus()
    if op in ("Softmax", "LogSoftmax"):
        axis = at.get("axis", -1 if opset >= 13 else 1)
        return (nn.Softmax if op == "Softmax" else nn.LogSoftmax)(dim=axis)
    if op == "PRelu":
        slope = np.asarray(c[1], np.float32).reshape(-1)
        layer = nn.PReLU(num_parameters=slope.size)
        _set(layer.weight, slope.copy())
        return layer
    if op == "BatchNormalization":
        scale, bias, mean, var = (np.asarray(a, np.float32) for a in c[1:5])  # type: ignore
        bn = nn.BatchNorm1d(scale.size, eps=at.get("epsilon", 1e-5))
        _set(bn.weight, scale.copy())
        _set(bn.bias, bias.copy())
        _set(bn.running_mean, mean.copy())
        _set(bn.running_var, var.copy())
        return bn
    scale = np.asarray(c[1], np.float32)  # LayerNormalization
    if at.get("axis", -1) not in (-scale.ndim,):
        raise OnnxImportError(f"onnx import: node {node.name!r} (LayerNormalization): expected "
                              f"normalisation over the last {scale.ndim} axes")
    ln = nn.LayerNorm(scale.shape, eps=at.get("epsilon", 1e-5), bias=len(c) > 2)
    _set(ln.weight, scale.copy())
    if len(c) > 2 and c[2] is not None:
        _set(ln.bias, np.asarray(c[2], np.float32).copy())
    return ln


def import_model(source: Any) -> Module:
    """See :func:`chainrule.onnx.import_model`."""
    from onnx import numpy_helper
    proto = _load(source)
    graph = proto.graph
    opset = next((o.version for o in proto.opset_import if o.domain in ("", "ai.onnx")), 13)
    consts: dict[str, np.ndarray] = {}
    for init in graph.initializer:
        if init.data_location == 1:  # external data: never follow paths from a file
            raise OnnxImportError(f"onnx import: initializer {init.name!r} refers to external "
                                  "data; only self-contained models are read")
        consts[init.name] = numpy_helper.to_array(init)
    for node in graph.node:
        if node.op_type == "Constant":
            consts[node.output[0]] = numpy_helper.to_array(_attrs(node)["value"])
    producers = {o: n for n in graph.node for o in n.output if n.op_type != "Constant"}
    inputs = [i.name for i in graph.input if i.name not in consts]
    if len(inputs) != 1:
        raise OnnxImportError(f"onnx import: expected a graph with one input, got {inputs}")
    out = _output(graph, producers)
    program: list[tuple[str, list[str], str, dict[str, Any]]] = []
    layers: list[Module] = []
    used: dict[str, np.ndarray] = {}
    nodes = _needed(out, producers, consts)
    fused: set[str] = set()
    alias: dict[str, str] = {}  # Identity, Dropout and Cast to float pass their input on
    for k, node in enumerate(nodes):
        op, at = node.op_type, _attrs(node)
        if node.output[0] in fused:
            continue
        if op not in LAYER_OPS and op not in GLUE_OPS:
            raise OnnxImportError(f"onnx import: unsupported op {op!r} (node {node.name!r}); "
                                  f"supported: {', '.join(SUPPORTED)}")
        if op == "Cast" and at.get("to") not in (1, 11):
            raise OnnxImportError(f"onnx import: node {node.name!r} (Cast): expected a cast to "
                                  "float, got another type")
        if op in ("Identity", "Dropout", "Cast"):
            alias[node.output[0]] = alias.get(node.input[0], node.input[0])
            continue
        c = [consts.get(i) for i in node.input]
        dynamic = [alias.get(i, i) for i in node.input if i and i not in consts]
        if op in LAYER_OPS and (op != "MatMul" or c[1] is not None):
            layer = _layer(node, at, c, opset)
            nxt = nodes[k + 1] if k + 1 < len(nodes) else None
            if op == "MatMul" and nxt is not None and nxt.op_type == "Add" and \
                    node.output[0] in nxt.input and any(i in consts for i in nxt.input):
                bias = next(consts[i] for i in nxt.input if i in consts)
                if np.size(bias) == layer.out_features:  # type: ignore[attr-defined]
                    layer = _linear(c[1].T, bias)  # type: ignore[union-attr]
                    fused.add(nxt.output[0])
                    program.append(("layer", dynamic[:1], nxt.output[0], {"index": len(layers)}))
                    layers.append(layer)
                    continue
            program.append(("layer", dynamic[:1], node.output[0], {"index": len(layers)}))
            layers.append(layer)
            continue
        ins = [alias.get(i, i) for i in node.input if i]
        for i in ins:
            if i in consts:
                used[i] = consts[i]
        program.append((op, ins, node.output[0], at))
    out = alias.get(out, out)
    chain = all(p[0] == "layer" for p in program) and all(
        p[1] == ([inputs[0]] if i == 0 else [program[i - 1][2]]) for i, p in enumerate(program))
    module: Module
    if chain and program and program[-1][2] == out:
        module = nn.Sequential(*layers)
    else:
        module = ImportedGraph(program, layers, used, inputs[0], out)
    if "classes" in consts:
        module.classes_ = consts["classes"]  # type: ignore[attr-defined]
    return module.eval()
