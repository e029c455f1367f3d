"""``chainrule export RUN_DIR --out FILE``: a trained run as ONNX, safetensors, or for PyTorch.

- ``onnx`` (default for ``.onnx``): one model from the raw feature columns (the
  run's preprocessing folded in) to what ``chainrule predict`` outputs;
- ``safetensors``: the network's weights (PyTorch's key names);
- ``torch``: those weights plus ``FILE.torch.json``, the architecture that a
  10-line PyTorch script rebuilds (see :mod:`chainrule.tabular.export`).
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from . import UsageError

FORMATS = ("onnx", "safetensors", "torch")


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "export", help="write a trained run as ONNX, safetensors or PyTorch files",
        description="Export a run folder: ONNX (raw columns in, predictions out), the "
                    "network's safetensors weights, or weights plus a PyTorch architecture file.")
    p.add_argument("run_dir", metavar="RUN_DIR", help="a run folder written by chainrule train")
    p.add_argument("--out", metavar="FILE", required=True,
                   help="the file to write (model.onnx, model.safetensors)")
    p.add_argument("--format", choices=FORMATS, default=None,
                   help="onnx, safetensors or torch (default: from the --out suffix, else onnx)")
    p.add_argument("--opset", type=int, default=None, metavar="N",
                   help="ONNX opset version (default 20, the lowest with RegexFullMatch)")
    p.set_defaults(func=run)


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    return "safetensors" if str(args.out).endswith(".safetensors") else "onnx"


def run(args: argparse.Namespace) -> int:
    from ..tabular.run import load_run
    from ..train.files import save_weights, write_json
    out = Path(args.out)
    if out.is_dir():
        raise UsageError(f"export: --out {out} is a folder; expected a file path")
    if not out.parent.is_dir():
        raise UsageError(f"export: --out {out}: no such folder {out.parent}")
    fmt = _format(args)
    if fmt == "onnx":
        from ..onnx import export_run
        export_run(args.run_dir, out, args.opset)
        print(f"wrote {out} (ONNX: raw columns in, predictions out)")
        return 0
    run_ = load_run(args.run_dir)
    if fmt == "safetensors":
        save_weights(run_.model, out)
        print(f"wrote {out}")
        return 0
    from ..tabular.export import torch_architecture
    try:
        arch = torch_architecture(run_.model)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    pre, target = run_.preprocessing
    arch.update(task=run_.task, class_names=run_.class_names, target=run_.target,
                preprocessing=None if pre is None else pre.to_dict(),
                target_scaling=None if target is None else target.to_dict())
    weights = out if out.suffix == ".safetensors" else out.with_suffix(".safetensors")
    arch_path = weights.with_suffix(".torch.json")
    save_weights(run_.model, weights)
    write_json(arch_path, arch)
    print(f"wrote {weights} and {arch_path} (rebuild with torch: see chainrule.tabular.export)")
    return 0
