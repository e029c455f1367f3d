"""Devices: where a tensor's storage lives, as ``torch.device``.

chainrule computes with NumPy, so every tensor lives on the CPU. The device
object and a small registry of device kinds keep room for a GPU backend: a kind
names the array module that holds its storage (NumPy for "cpu"; CuPy, whose
arrays follow NumPy's API, for a future "cuda"). Kinds PyTorch knows but
chainrule cannot run on ("cuda", "mps", ...) can be named, as in PyTorch, and
raise a clear error when a tensor is asked to live there.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class DeviceKind:
    """A registered device type: its name and the array module of its storage."""

    name: str
    xp: Any  # the array module (numpy for "cpu")


# Device types PyTorch accepts in device strings; only registered kinds can hold tensors.
KNOWN_TYPES = ("cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve",
               "fpga", "maia", "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia",
               "privateuseone")
KINDS: dict[str, DeviceKind] = {"cpu": DeviceKind("cpu", np)}


def register_kind(kind: DeviceKind) -> None:
    """Make ``kind.name`` a usable device type (how a CuPy "cuda" backend would plug in)."""
    KINDS[kind.name] = kind


class device:  # noqa: N801  (PyTorch's name)
    """Where a tensor's storage lives: ``device("cpu")``, ``device("cpu", 0)``, ``"cpu:0"``.

    Compares equal to a device of the same type and index (not to strings, as PyTorch);
    ``str(d)`` is ``"cpu"`` or ``"cpu:0"``.

    Example
    -------
    >>> import chainrule as cr
    >>> cr.device("cpu"), str(cr.device("cpu", 0)), cr.zeros(2).device == cr.device("cpu")
    (device(type='cpu'), 'cpu:0', True)
    """

    __slots__ = ("type", "index")
    type: str
    index: int | None

    def __init__(self, type: Any, index: int | None = None) -> None:  # noqa: A002
        if isinstance(type, device):
            if index is not None:
                raise TypeError("device: expected no index with a device object")
            type, index = type.type, type.index  # noqa: A001
        if not isinstance(type, str):
            raise TypeError(f"device: expected a device string such as 'cpu', got "
                            f"{builtins_type(type).__name__}")
        name, _, idx = type.partition(":")
        if name not in KNOWN_TYPES:
            raise RuntimeError(f"Expected one of {', '.join(KNOWN_TYPES)} device type at start "
                               f"of device string: {type}")
        if idx:
            if index is not None:
                raise RuntimeError(f"device: type {type!r} already has an index; got index="
                                   f"{index} too")
            if not idx.isdigit():
                raise RuntimeError(f"Invalid device string: '{type}'")
            index = int(idx)
        if index is not None and (not isinstance(index, int) or index < 0):
            raise RuntimeError(f"Device index must not be negative, got {index}")
        object.__setattr__(self, "type", name)
        object.__setattr__(self, "index", index)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"device: attribute {name!r} is read-only")

    def __repr__(self) -> str:
        if self.index is None:
            return f"device(type={self.type!r})"
        return f"device(type={self.type!r}, index={self.index})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> int:
        return hash(("device", self.type, self.index))

    def __reduce__(self) -> Any:
        return (device, (self.type, self.index))


builtins_type = type
CPU = device("cpu")
_default: list[device] = [CPU]


def as_device(d: Any, where: str) -> device:
    """Check that ``d`` (a device, a string or None) names a device chainrule can use."""
    if d is None:
        return _default[0]
    if isinstance(d, int) and not isinstance(d, bool):
        d = f"cuda:{d}"  # an int is an accelerator index, as in PyTorch
    dev = d if isinstance(d, device) else device(d)
    if dev.type not in KINDS:  # a value chainrule cannot use: ValueError (DESIGN.md)
        raise ValueError(
            f"{where}: expected device 'cpu', got {str(dev)!r}; chainrule runs on the CPU with "
            f"NumPy (a GPU backend through CuPy is planned). Write device = 'cuda' if "
            f"chainrule.cuda.is_available() else 'cpu' to run the same code on both")
    return dev


def set_default_device(d: Any) -> None:
    """Set the device of new tensors (only ``"cpu"`` today; ``None`` resets it).

    Example
    -------
    >>> import chainrule as cr
    >>> cr.set_default_device("cpu"); cr.get_default_device()
    device(type='cpu')
    """
    _default[0] = CPU if d is None else as_device(d, "set_default_device")


def get_default_device() -> device:
    """The device of new tensors (``device(type='cpu')``)."""
    return _default[0]
