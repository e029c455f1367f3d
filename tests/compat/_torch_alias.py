"""Run a PyTorch program on chainrule: ``python _torch_alias.py program.py``.

Installs a meta-path finder that answers ``import torch`` (and ``torch.nn``,
``torch.utils.data``, ...) with chainrule's modules, then runs the program as
``__main__``. Used only by tests/compat; nothing else in the library aliases torch.
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import runpy
import sys
from types import ModuleType
from typing import Any, Sequence


class _Existing(importlib.abc.Loader):
    """Hand back an already imported chainrule module under the torch name."""

    def __init__(self, real: str) -> None:
        self.real = real

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return importlib.import_module(self.real)

    def exec_module(self, module: ModuleType) -> None:
        pass


class TorchToChainrule(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname: str, path: Sequence[str] | None = None,
                  target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if fullname != "torch" and not fullname.startswith("torch."):
            return None
        real = "chainrule" + fullname[len("torch"):]
        return importlib.machinery.ModuleSpec(fullname, _Existing(real))


def main(argv: list[str]) -> None:
    sys.meta_path.insert(0, TorchToChainrule())
    program = argv[1]
    sys.argv = argv[1:]
    runpy.run_path(program, run_name="__main__")


if __name__ == "__main__":
    main(sys.argv)
