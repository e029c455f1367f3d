"""Run several programs in one interpreter (one ``import torch``), each as ``__main__``.

``python _run_programs.py [--chainrule] OUT.json programs/a.py programs/b.py ...`` writes
``{"a": {"stdout": ..., "error": null or a traceback}, ...}``. With ``--chainrule``
``import torch`` is answered by chainrule (see ``_torch_alias.py``).
"""
from __future__ import annotations

import contextlib
import io
import json
import random
import runpy
import sys
import traceback
from pathlib import Path

import numpy as np


def main(argv: list[str]) -> None:
    args = argv[1:]
    if args and args[0] == "--chainrule":
        from _torch_alias import TorchToChainrule
        sys.meta_path.insert(0, TorchToChainrule())
        args = args[1:]
    out_path, programs = args[0], args[1:]
    results = {}
    for program in programs:
        random.seed(0)
        np.random.seed(0)
        buf = io.StringIO()
        error = None
        sys.argv = [program]
        try:
            with contextlib.redirect_stdout(buf):
                runpy.run_path(program, run_name="__main__")
        except BaseException:  # noqa: BLE001  (reported to the test, which fails)
            error = traceback.format_exc(limit=-8)
        results[Path(program).stem] = {"stdout": buf.getvalue(), "error": error}
    Path(out_path).write_text(json.dumps(results))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main(sys.argv)
