"""chainrule model -> ONNX graph: one emitter per layer kind and per graph op.

The trace (``_trace``) says which layer or op made each value; here each becomes
standard ONNX nodes: Gemm (or MatMul + Add), Relu, LeakyRelu, Elu, Gelu, Sigmoid,
Tanh, Softplus, Softmax, LogSoftmax, BatchNormalization, LayerNormalization,
Flatten/Reshape, and Add/Sub/Mul/Div/MatMul between traced values.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..nn.modules.module import Module
from ..tensor import Tensor
from ._trace import ExportError, Step

DEFAULT_OPSET = 20
LAYERS = {"Linear", "BatchNorm1d", "LayerNorm", "ReLU", "Sigmoid", "Tanh", "LeakyReLU", "ELU",
          "GELU", "SiLU", "Softplus", "Softmax", "LogSoftmax", "Flatten", "PReLU"}
OPS = {"ReLU", "Sigmoid", "Tanh", "LeakyReLU", "ELU", "GELU", "SiLU", "Softplus", "Softmax",
       "LogSoftmax", "Linear", "Add", "Sub", "Mul", "Div", "MatMul", "Neg", "Reshape", "View",
       "Flatten", "Dropout"}
SUPPORTED_MODULES = sorted(LAYERS | {"Dropout", "Identity", "Sequential", "ModuleList", "MLP",
                                     "Perceptron", "ModuleDict"})


class Builder:
    """Collects ONNX nodes and initializers; hands out unique value names."""

    def __init__(self, opset: int, names: dict[int, str], prefix: str = "") -> None:
        from onnx import helper, numpy_helper
        self.h, self.nh, self.opset = helper, numpy_helper, opset
        self.nodes: list[Any] = []
        self.inits: dict[str, Any] = {}
        self.param_names = names  # id(leaf tensor) -> state_dict name
        self.values: dict[int, str] = {}
        self.count, self.prefix = 0, prefix

    def fresh(self, hint: str) -> str:
        self.count += 1
        return f"{self.prefix}{hint}_{self.count}"

    def const(self, array: Any, hint: str = "const", dtype: Any = np.float32) -> str:
        name = self.fresh(hint)
        self.inits[name] = self.nh.from_array(np.asarray(array, dtype=dtype), name)
        return name

    def param(self, t: Tensor, dtype: Any, transpose: bool = False) -> str:
        base = self.param_names.get(id(t)) or self.fresh("param")
        name = base + (".T" if transpose else "")
        if name not in self.inits:
            arr = np.asarray(t._data, dtype=dtype)
            self.inits[name] = self.nh.from_array(np.ascontiguousarray(arr.T if transpose
                                                                         else arr), name)
        return name

    def node(self, op: str, inputs: list[str], hint: str, **attrs: Any) -> str:
        out = self.fresh(hint)
        self.nodes.append(self.h.make_node(op, inputs, [out], name=out + "_node", **attrs))
        return out


def emit(b: Builder, step: Step, ins: list[str], dtype: Any) -> str:
    """The ONNX nodes of one step; returns the name of its output value."""
    m = step.module
    if m is not None:
        return _layer(b, m, step, ins[0], dtype)
    return _op(b, step, ins, dtype)


def _activation(b: Builder, kind: str, x: str, opts: dict[str, Any], dtype: Any) -> str:
    if kind == "ReLU":
        return b.node("Relu", [x], "relu")
    if kind == "Sigmoid":
        return b.node("Sigmoid", [x], "sigmoid")
    if kind == "Tanh":
        return b.node("Tanh", [x], "tanh")
    if kind == "LeakyReLU":
        return b.node("LeakyRelu", [x], "leaky_relu", alpha=float(opts["negative_slope"]))
    if kind == "ELU":
        return b.node("Elu", [x], "elu", alpha=float(opts["alpha"]))
    if kind == "SiLU":
        return b.node("Mul", [x, b.node("Sigmoid", [x], "sigmoid")], "silu")
    if kind == "Softmax":
        return b.node("Softmax", [x], "softmax", axis=int(opts["dim"]))
    if kind == "LogSoftmax":
        return b.node("LogSoftmax", [x], "log_softmax", axis=int(opts["dim"]))
    if kind == "GELU":
        return _gelu(b, x, opts["approximate"], dtype)
    if kind == "Softplus":
        beta = float(opts["beta"])
        if beta == 1.0:
            return b.node("Softplus", [x], "softplus")
        scaled = b.node("Mul", [x, b.const(beta, dtype=dtype)], "softplus_in")
        return b.node("Div", [b.node("Softplus", [scaled], "softplus"), b.const(beta, dtype=dtype)],
                      "softplus")
    raise ExportError(f"onnx.export: no emitter for {kind}")


def _gelu(b: Builder, x: str, approximate: str, dtype: Any) -> str:
    if b.opset >= 20:
        return b.node("Gelu", [x], "gelu", approximate=approximate)
    half = b.node("Mul", [x, b.const(0.5, dtype=dtype)], "gelu_half")
    if approximate == "tanh":  # 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
        cube = b.node("Mul", [b.node("Mul", [x, x], "gelu_sq"), x], "gelu_cube")
        inner = b.node("Add", [x, b.node("Mul", [cube, b.const(0.044715, dtype=dtype)], "g")],
                       "gelu_inner")
        t = b.node("Tanh", [b.node("Mul", [inner, b.const(np.sqrt(2 / np.pi), dtype=dtype)],
                                   "g")], "gelu_tanh")
    else:  # 0.5 x (1 + erf(x / sqrt 2))
        t = b.node("Erf", [b.node("Div", [x, b.const(np.sqrt(2.0), dtype=dtype)], "g")],
                   "gelu_erf")
    return b.node("Mul", [half, b.node("Add", [t, b.const(1.0, dtype=dtype)], "g")], "gelu")


def _flatten(b: Builder, x: str, in_shape: tuple[int, ...], out_shape: tuple[int, ...],
             hint: str) -> str:
    """Flatten (start 1, to the end) or a Reshape that keeps the batch axis dynamic."""
    if len(out_shape) == 2 and len(in_shape) >= 2 and out_shape[0] == in_shape[0]:
        return b.node("Flatten", [x], hint, axis=1)
    if not in_shape or not out_shape or out_shape[0] != in_shape[0]:
        raise ExportError(f"onnx.export: expected a reshape that keeps the batch axis, got "
                          f"{in_shape} -> {out_shape}")
    return b.node("Reshape", [x, b.const([0, *out_shape[1:]], dtype=np.int64)], hint)


def _layer(b: Builder, m: Module, step: Step, x: str, dtype: Any) -> str:
    kind = step.kind
    if kind == "Linear":
        w, bias = m.weight, m.bias
        if len(step.in_shapes[0]) == 2:
            ins = [x, b.param(w, dtype)] + ([b.param(bias, dtype)] if bias is not None else [])
            return b.node("Gemm", ins, "linear", transB=1)
        y = b.node("MatMul", [x, b.param(w, dtype, transpose=True)], "linear")
        return y if bias is None else b.node("Add", [y, b.param(bias, dtype)], "linear")
    if kind == "BatchNorm1d":
        if m.running_mean is None:
            raise ExportError("onnx.export: BatchNorm1d without running statistics "
                              "(track_running_stats=False) has no inference form")
        c = m.num_features
        scale = b.param(m.weight, dtype) if m.weight is not None else b.const(np.ones(c), "ones",
                                                                                dtype)
        shift = b.param(m.bias, dtype) if m.bias is not None else b.const(np.zeros(c), "zeros",
                                                                           dtype)
        return b.node("BatchNormalization", [x, scale, shift, b.param(m.running_mean, dtype),
                                             b.param(m.running_var, dtype)], "batch_norm",
                      epsilon=float(m.eps))
    if kind == "LayerNorm":
        ns = tuple(m.normalized_shape)
        scale = b.param(m.weight, dtype) if m.weight is not None else b.const(np.ones(ns), "ones",
                                                                                dtype)
        ins = [x, scale] + ([b.param(m.bias, dtype)] if m.bias is not None else [])
        return b.node("LayerNormalization", ins, "layer_norm", axis=-len(ns),
                      epsilon=float(m.eps))
    if kind == "Flatten":
        return _flatten(b, x, step.in_shapes[0], step.shape, "flatten")
    if kind == "PReLU":
        slope = np.asarray(m.weight._data, dtype=dtype)
        if slope.size > 1 and len(step.in_shapes[0]) > 2:
            slope = slope.reshape((-1,) + (1,) * (len(step.in_shapes[0]) - 2))
        return b.node("PRelu", [x, b.const(slope, "prelu_slope", dtype)], "prelu")
    opts = {k: getattr(m, k, None) for k in ("negative_slope", "alpha", "dim", "approximate",
                                              "beta")}
    if kind in ("Softmax", "LogSoftmax") and opts["dim"] is None:
        raise ExportError(f"onnx.export: {kind} needs an explicit dim to export")
    return _activation(b, kind, x, opts, dtype)


def _op(b: Builder, step: Step, ins: list[str], dtype: Any) -> str:
    kind, node = step.kind, step.node
    if kind in ("Add", "Sub", "Mul", "Div", "MatMul"):
        return b.node(kind, ins, kind.lower())
    if kind == "Neg":
        return b.node("Neg", ins, "neg")
    if kind == "Linear":
        if len(ins) < 3:
            raise ExportError("onnx.export: a linear op whose bias does not require grad "
                              "cannot be traced; use nn.Linear or give the bias requires_grad")
        if len(step.in_shapes[0]) == 2:
            return b.node("Gemm", ins, "linear", transB=1)
        wt = b.node("Transpose", [ins[1]], "weight_t", perm=[1, 0])
        return b.node("Add", [b.node("MatMul", [ins[0], wt], "linear"), ins[2]], "linear")
    if kind in ("Reshape", "View", "Flatten"):
        return _flatten(b, ins[0], step.in_shapes[0], step.shape, "reshape")
    if kind == "Dropout":
        return ins[0]
    d = node.__dict__
    opts = {"negative_slope": d.get("slope"), "alpha": d.get("alpha"), "dim": d.get("dim"),
            "approximate": d.get("approximate", "none"), "beta": d.get("beta", 1.0)}
    return _activation(b, kind, ins[0], opts, dtype)


def op_step(node: Any) -> Step:
    """The Step of a graph node that no recorded layer produced (a functional op)."""
    kind = type(node).__name__
    if kind not in OPS:
        raise ExportError(f"onnx.export: cannot export the op {kind} (made in the forward pass); "
                          f"supported ops: {', '.join(sorted(OPS))}; supported modules: "
                          f"{', '.join(SUPPORTED_MODULES)}")
    inputs = [p for p in node.next]
    if any(p is None for p in inputs):
        raise ExportError(f"onnx.export: the op {kind} has an input that is a constant made in "
                          "forward (not a parameter, buffer or the model input); register it as "
                          "a buffer or parameter to export it")
    return Step(kind, inputs, node=node, shape=tuple(node.shape),
                in_shapes=[tuple(getattr(p, "shape", ())) for p in inputs])
