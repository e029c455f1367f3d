"""`import chainrule` stays NumPy-only: no optional dependency is imported with it."""
from __future__ import annotations

import json
import subprocess
import sys

OPTIONAL = ("matplotlib", "graphviz", "sklearn", "onnx", "onnxruntime", "starlette", "uvicorn",
            "pandas", "pyarrow", "polars", "dask", "distributed", "torch", "safetensors", "scipy",
            "tqdm", "jax", "playwright", "threadpoolctl", "joblib")


def test_import_chainrule_loads_no_optional_dependency():
    code = ("import json, sys, chainrule, chainrule.nn, chainrule.optim, chainrule.train; "
            f"print(json.dumps([m for m in {OPTIONAL!r} if m in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def test_faces_are_importable_on_demand():
    code = ("import chainrule.onnx, chainrule.sklearn, chainrule.serve, chainrule.tabular, "
            "chainrule.utils.data; print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr[-2000:]
