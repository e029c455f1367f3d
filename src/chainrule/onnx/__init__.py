"""ONNX export and import (extra ``onnx``: ``pip install "chainrule[onnx]"``).

:func:`export` writes a chainrule model as an ONNX file, traced from one forward
pass (as ``torch.onnx.export``); :func:`import_model` reads an MLP-shaped ONNX
graph (from chainrule, ``torch.onnx.export`` or skl2onnx) into a trainable
chainrule module; :func:`export_run` writes a run folder, preprocessing included.
Nothing read from a file is ever executed: the graph is data, mapped op by op onto
an allow-list.

Example
-------
>>> import io, numpy as np, chainrule as cr
>>> from chainrule import onnx as cro
>>> model = cr.nn.MLP(3, [8], 2, activation="gelu")
>>> buf = io.BytesIO(); _ = cro.export(model, cr.zeros(1, 3), buf)
>>> back = cro.import_model(buf.getvalue())
>>> x = np.ones((4, 3), np.float32)
>>> bool(np.allclose(back(cr.tensor(x)).detach().numpy(), model(cr.tensor(x)).detach().numpy(),
...                  atol=1e-6))
True
"""
from __future__ import annotations

import os
from typing import IO, Any, Sequence

import numpy as np

from ..nn.modules.module import Module
from ..tensor import Tensor
from ._trace import ExportError

__all__ = ["ExportError", "OnnxImportError", "export", "export_run", "import_model"]


class OnnxImportError(ValueError):
    """An ONNX file that cannot be read: truncated, foreign, or with an unsupported op."""


def _onnx() -> Any:
    try:
        import onnx
    except ImportError:
        raise ImportError('chainrule.onnx needs the onnx package: pip install "chainrule[onnx]"'
                          ) from None
    return onnx


def _check_modules(model: Module) -> None:
    from ._export import SUPPORTED_MODULES
    for name, m in model.named_modules():
        cls = type(m)
        if next(m.children(), None) is None and cls.__module__.startswith("chainrule.") and \
                cls.__name__ not in SUPPORTED_MODULES:
            raise ExportError(f"onnx.export: cannot export {name or 'the model'} "
                              f"({cls.__name__}); supported modules: "
                              f"{', '.join(SUPPORTED_MODULES)}")


def _dynamic(dynamic_axes: Any, name: str, rank: int) -> dict[int, str]:
    if dynamic_axes is None:
        return {0: "batch"} if rank else {}
    axes = dynamic_axes.get(name, {})
    if isinstance(axes, (list, tuple)):
        return {int(a): f"{name}_dim{a}" for a in axes}
    return {int(k): str(v) for k, v in axes.items()}


def _value_info(name: str, shape: tuple[int, ...], dyn: dict[int, str], elem: int) -> Any:
    from onnx import helper
    dims = [dyn.get(i, d) for i, d in enumerate(shape)]
    return helper.make_tensor_value_info(name, elem, dims)


def export(model: Module, args: Any, f: str | os.PathLike[str] | IO[bytes] | None = None, *,
           input_names: Sequence[str] | None = None, output_names: Sequence[str] | None = None,
           dynamic_axes: dict[str, Any] | None = None, opset_version: int | None = None) -> Any:
    """Write ``model`` as ONNX, traced from ``model(args)`` in eval mode; returns the ModelProto.

    ``args`` is one example input (a Tensor, array or a 1-tuple). The batch axis
    (0) is dynamic unless ``dynamic_axes`` says otherwise (PyTorch's form:
    ``{"input": {0: "batch"}, "output": [0]}``). Float64 models export as float64.

    Shape
    -----
    args (N, *) -> the model's output (N, *); any N works in the exported file.
    """
    onnx = _onnx()
    from ._export import DEFAULT_OPSET, LAYERS, Builder, emit, op_step
    from ._trace import trace, walk
    if not isinstance(model, Module):
        raise TypeError(f"onnx.export: expected a chainrule nn.Module, got {type(model).__name__}")
    if isinstance(args, tuple):
        if len(args) != 1:
            raise ExportError(f"onnx.export: expected one input, got {len(args)}")
        args = args[0]
    arr = np.asarray(args._data if isinstance(args, Tensor) else args)
    if arr.dtype.kind != "f":
        arr = arr.astype(np.float32)
    opset = DEFAULT_OPSET if opset_version is None else int(opset_version)
    if not 17 <= opset <= onnx.defs.onnx_opset_version():
        raise ExportError(f"onnx.export: expected opset_version between 17 and "
                          f"{onnx.defs.onnx_opset_version()}, got {opset}")
    _check_modules(model)
    x = Tensor(arr.copy(), requires_grad=True)
    modes = [(m, m.training) for m in model.modules()]
    model.eval()
    try:
        out, layers = trace(model, x, LAYERS)
    finally:
        for m, mode in modes:
            m.training = mode
    names = {id(p): n for n, p in list(model.named_parameters()) + list(model.named_buffers())}
    b = Builder(opset, names)
    in_name = (list(input_names) if input_names else ["input"])[0]
    out_name = (list(output_names) if output_names else ["output"])[0]
    dtype = arr.dtype

    def value(p: Any) -> str:
        if p is x:
            return in_name
        if isinstance(p, Tensor):
            return b.param(p, dtype)
        return b.values[id(p)]

    for key, step in walk(out, layers, op_step):
        b.values[id(key)] = emit(b, step, [value(p) for p in step.inputs], dtype)
    last = value(out.grad_fn if out.grad_fn is not None else out)
    b.nodes.append(b.h.make_node("Identity", [last], [out_name], name="output_node"))
    elem = onnx.helper.np_dtype_to_tensor_dtype(dtype)
    graph = b.h.make_graph(
        b.nodes, "chainrule", [_value_info(in_name, arr.shape, _dynamic(dynamic_axes, in_name,
                                                                          arr.ndim), elem)],
        [_value_info(out_name, tuple(out.shape), _dynamic(dynamic_axes, out_name, out.ndim),
                     elem)], list(b.inits.values()))
    proto = b.h.make_model(graph, opset_imports=[b.h.make_opsetid("", opset)],
                           producer_name="chainrule")
    proto.ir_version = min(proto.ir_version, 10)
    onnx.checker.check_model(proto, full_check=True)
    if f is not None:
        _write(proto.SerializeToString(), f)
    return proto


def _write(data: bytes, f: Any) -> None:
    if hasattr(f, "write"):
        f.write(data)
        return
    from ..train.files import atomic_write_bytes
    atomic_write_bytes(os.fspath(f), data)


def import_model(source: Any) -> Module:
    """A trainable chainrule module from an MLP-shaped ONNX graph (path, bytes or ModelProto).

    See :mod:`chainrule.onnx._import` for the ops read and how classifier outputs
    (labels and probabilities) are handled.
    """
    from ._import import import_model as _imp
    return _imp(source)


def export_run(run_dir: str | os.PathLike[str], f: Any, opset_version: int | None = None) -> Any:
    """A run folder as one ONNX model from raw feature columns to what ``predict`` outputs."""
    from ._run import export_run as _exp
    return _exp(run_dir, f, opset_version)
