"""Module: the base class of layers and models (parameters, sub-modules, buffers, hooks).

Attribute assignment registers: a :class:`Parameter` becomes a parameter, a
Module a sub-module, a Tensor given to :meth:`Module.register_buffer` a buffer.
Registered objects also live in the instance ``__dict__``, so ``self.weight``
is a plain attribute read on the training hot path.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping, TypeVar

import numpy as np

from ...lint import state as _lint
from ...tensor import Tensor
from ..parameter import Parameter
from . import _state_dict
from ._hooks import (LOCATED, RemovableHandle, _add, call_hooked, locate,
                     register_module_forward_hook, register_module_forward_pre_hook)
from ._registration import _Registration
from ._state_dict import IncompatibleKeys

__all__ = ["Module", "RemovableHandle", "register_module_forward_hook",
           "register_module_forward_pre_hook"]

T = TypeVar("T", bound="Module")


class Module(_Registration):
    """Base class for all layers and models: subclass it, assign layers in ``__init__``,
    write ``forward``.

    Example
    -------
    >>> import chainrule as cr
    >>> class Net(cr.nn.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.fc = cr.nn.Linear(2, 1)
    ...     def forward(self, x):
    ...         return self.fc(x).sigmoid()
    >>> net = Net()
    >>> [name for name, _ in net.named_parameters()]
    ['fc.weight', 'fc.bias']
    >>> net(cr.zeros(4, 2)).shape
    chainrule.Size([4, 1])
    """

    _hooked = False  # True while any forward hook applies (see _hooks)
    training: bool
    _parameters: dict[str, Parameter | None]
    _buffers: dict[str, Tensor | None]
    _non_persistent_buffers_set: set[str]
    _modules: dict[str, Module | None]
    _forward_hooks: dict[int, Callable[..., Any]]
    _forward_pre_hooks: dict[int, Callable[..., Any]]

    if TYPE_CHECKING:  # registered parameters, buffers and modules are plain attributes
        def __getattr__(self, name: str) -> Any: ...

    def __init__(self) -> None:
        sa = object.__setattr__
        sa(self, "training", True)
        sa(self, "_parameters", {})
        sa(self, "_buffers", {})
        sa(self, "_non_persistent_buffers_set", set())
        sa(self, "_modules", {})
        sa(self, "_forward_hooks", {})
        sa(self, "_forward_pre_hooks", {})

    # ---- calling -------------------------------------------------------------------------
    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f'Module [{type(self).__name__}] is missing the required '
                                  f'"forward" function')

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            if self._hooked:
                return call_hooked(self, args, kwargs)
            return self.forward(*args, **kwargs)
        except LOCATED as exc:
            locate(exc, self)
            raise

    def _where(self) -> str:
        """How errors raised by this module start: ``Linear(in_features=2, ...)``."""
        return f"{type(self).__name__}({self.extra_repr()})"

    def _short_name(self) -> str:
        """A short description for located errors: ``Linear 64->10``."""
        return type(self).__name__

    # ---- iteration -----------------------------------------------------------------------
    def named_modules(self, memo: set[Module] | None = None, prefix: str = "",
                      remove_duplicate: bool = True) -> Iterator[tuple[str, Module]]:
        """(dotted name, module) for this module and all below it, depth first."""
        if memo is None:
            memo = set()
        if remove_duplicate:
            if self in memo:
                return
            memo.add(self)
        yield prefix, self
        for name, m in self._modules.items():
            if m is not None:
                yield from m.named_modules(memo, f"{prefix}.{name}" if prefix else name,
                                           remove_duplicate)

    def modules(self) -> Iterator[Module]:
        for _, m in self.named_modules():
            yield m

    def named_children(self) -> Iterator[tuple[str, Module]]:
        seen: set[Module] = set()
        for name, m in self._modules.items():
            if m is not None and m not in seen:
                seen.add(m)
                yield name, m

    def children(self) -> Iterator[Module]:
        for _, m in self.named_children():
            yield m

    def _named(self, registry: str, prefix: str, recurse: bool,
               remove_duplicate: bool) -> Iterator[tuple[str, Any]]:
        mods = (self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate) if recurse
                else [(prefix, self)])
        seen: set[int] = set()
        for mod_prefix, m in mods:
            for name, t in getattr(m, registry).items():
                if t is None or (remove_duplicate and id(t) in seen):
                    continue
                seen.add(id(t))
                yield (f"{mod_prefix}.{name}" if mod_prefix else name), t

    def named_parameters(self, prefix: str = "", recurse: bool = True,
                         remove_duplicate: bool = True) -> Iterator[tuple[str, Parameter]]:
        """(dotted name, parameter) pairs; a shared parameter is listed once."""
        return self._named("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_buffers(self, prefix: str = "", recurse: bool = True,
                      remove_duplicate: bool = True) -> Iterator[tuple[str, Tensor]]:
        return self._named("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    # ---- modes and gradients ---------------------------------------------------------------
    def train(self: T, mode: bool = True) -> T:
        """Set training mode here and below (Dropout active, BatchNorm uses batch stats)."""
        if not isinstance(mode, bool):
            raise TypeError(f"train: expected mode to be a bool, got {type(mode).__name__}")
        object.__setattr__(self, "training", mode)
        for m in self.children():
            m.train(mode)
        return self

    def eval(self: T) -> T:
        """Set evaluation mode here and below (same as ``train(False)``)."""
        return self.train(False)

    def requires_grad_(self: T, requires_grad: bool = True) -> T:
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients of all parameters (None, or zeros in place)."""
        _lint.zero_grads += 1  # the linter's count (chainrule.lint._steps)
        _lint.eval_call = None
        for p in self.parameters():
            if p.grad is not None:
                if set_to_none:
                    p.grad = None
                else:
                    p.grad._data[...] = 0

    def apply(self: T, fn: Callable[[Module], Any]) -> T:
        """Call ``fn`` on every sub-module (children first) and then on this module."""
        for m in self.children():
            m.apply(fn)
        fn(self)
        return self

    # ---- dtype -----------------------------------------------------------------------------
    def to(self: T, *args: Any, **kwargs: Any) -> T:
        """Cast floating parameters and buffers to a dtype, in place, and return the module.

        PyTorch's forms: ``to(device)``, ``to(dtype)``, ``to(device, dtype)``, ``to(tensor)``
        (its dtype), ``to(device=..., dtype=...)``. The device must be the CPU (chainrule
        computes with NumPy); "cuda" raises with a hint.
        """
        from ..._device import KNOWN_TYPES, as_device, device as _device_cls
        dtype = kwargs.pop("dtype", None)
        dev = kwargs.pop("device", None)
        kwargs.pop("non_blocking", None)
        if kwargs:
            raise TypeError(f"to: unexpected keyword arguments {sorted(kwargs)}")
        for a in args:
            if isinstance(a, Tensor):
                dtype = a._data.dtype
            elif isinstance(a, _device_cls) or (isinstance(a, str) and
                                                a.partition(":")[0] in KNOWN_TYPES):
                dev = a
            else:
                dtype = a
        if dev is not None:
            as_device(dev, f"{type(self).__name__}.to")
        if dtype is not None:
            d = np.dtype(dtype)
            if d.kind != "f":
                raise TypeError(f"to: expected a floating point dtype, got {d}")
            for t in (*self.parameters(), *self.buffers()):
                if t._data.dtype.kind == "f" and t._data.dtype != d:
                    t._data = t._data.astype(d)
                    if t.grad is not None:
                        t.grad._data = t.grad._data.astype(d)
        return self

    def float(self: T) -> T:
        return self.to(np.float32)

    def double(self: T) -> T:
        return self.to(np.float64)

    def half(self: T) -> T:
        return self.to(np.float16)

    def type(self: T, dst_type: Any) -> T:
        """Cast all floating parameters and buffers to ``dst_type``."""
        return self.to(dst_type)

    def cpu(self: T) -> T:
        return self

    def cuda(self: T, device: Any = None) -> T:
        """Raises: chainrule runs on the CPU (a GPU backend is planned)."""
        return self.to("cuda" if device is None else device)

    # ---- state -------------------------------------------------------------------------------
    def state_dict(self, *, destination: Any = None, prefix: str = "",
                   keep_vars: bool = False) -> OrderedDict[str, Tensor]:
        """Parameters and persistent buffers by dotted name.

        As PyTorch, the values share memory with the module (copy them to keep a
        snapshot: ``{k: v.clone() for k, v in sd.items()}``).
        """
        return _state_dict.state_dict(self, destination, prefix, keep_vars)

    def load_state_dict(self, state_dict: Mapping[str, Any], strict: bool = True,
                        assign: bool = False) -> IncompatibleKeys:
        """Copy values into the existing parameters and buffers, in place.

        Every problem (missing keys, unexpected keys, size mismatches) is reported
        in one error, raised before anything is copied. With ``strict=False``
        missing and unexpected keys are returned instead of raised.
        """
        if assign:
            raise ValueError("load_state_dict: expected assign=False (values are always "
                             "copied in place), got assign=True")
        return _state_dict.load_state_dict(self, state_dict, strict)

    # ---- hooks -------------------------------------------------------------------------------
    def _hooks_changed(self) -> None:
        if self._forward_hooks or self._forward_pre_hooks:
            object.__setattr__(self, "_hooked", True)
        else:
            self.__dict__.pop("_hooked", None)

    def register_forward_pre_hook(self, hook: Callable[..., Any], *,
                                  prepend: bool = False) -> RemovableHandle:
        """Call ``hook(module, inputs)`` before forward; a non-None return replaces the inputs."""
        return _add(self._forward_pre_hooks, hook, prepend, self._hooks_changed)

    def register_forward_hook(self, hook: Callable[..., Any], *,
                              prepend: bool = False) -> RemovableHandle:
        """Call ``hook(module, inputs, output)`` after forward; a non-None return replaces it."""
        return _add(self._forward_hooks, hook, prepend, self._hooks_changed)

    # ---- repr --------------------------------------------------------------------------------
    def extra_repr(self) -> str:
        """The arguments shown in ``repr`` (override in layers)."""
        return ""

    def _get_name(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = [f"({name}): " + _indent(repr(m), 2) for name, m in self._modules.items()]
        lines = extra_lines + child_lines
        body = ""
        if len(extra_lines) == 1 and not child_lines:
            body = extra_lines[0]
        elif lines:
            body = "\n  " + "\n  ".join(lines) + "\n"
        return f"{self._get_name()}({body})"


def _indent(text: str, spaces: int) -> str:
    lines = text.split("\n")
    return "\n".join(lines[:1] + [" " * spaces + line for line in lines[1:]])
