"""``chainrule.cuda``: the CUDA queries PyTorch code makes, answered for a CPU-only library.

chainrule runs on NumPy, so ``is_available()`` is False and there are no devices; the
seeding calls are accepted and do nothing (as PyTorch's do without a GPU). A GPU backend
through CuPy is planned (see ``chainrule._device``).

Example
-------
>>> import chainrule as cr
>>> "cuda" if cr.cuda.is_available() else "cpu"
'cpu'
"""
from __future__ import annotations

from typing import Any


def is_available() -> bool:
    """False: chainrule has no GPU backend yet."""
    return False


def device_count() -> int:
    """0: no CUDA devices."""
    return 0


def is_initialized() -> bool:
    return False


def manual_seed(seed: int) -> None:
    """Accepted and ignored (no GPU generators), as PyTorch without CUDA."""


def manual_seed_all(seed: int) -> None:
    """Accepted and ignored (no GPU generators), as PyTorch without CUDA."""


def empty_cache() -> None:
    """Nothing to free: no GPU memory."""


def _unavailable(name: str) -> Any:
    def fn(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(f"chainrule.cuda.{name}: chainrule runs on the CPU with NumPy and has "
                           "no CUDA device (a GPU backend through CuPy is planned); check "
                           "chainrule.cuda.is_available() first")
    fn.__name__ = name
    return fn


current_device = _unavailable("current_device")
get_device_name = _unavailable("get_device_name")
set_device = _unavailable("set_device")
synchronize = _unavailable("synchronize")

__all__ = ["current_device", "device_count", "empty_cache", "get_device_name", "is_available",
           "is_initialized", "manual_seed", "manual_seed_all", "set_device", "synchronize"]
