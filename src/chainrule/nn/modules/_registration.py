"""How a Module registers what is assigned to it: parameters, buffers and sub-modules.

Registered objects live in the registries (``_parameters``, ``_buffers``,
``_modules``) and also in the instance ``__dict__``, so ``self.weight`` is a
plain attribute read; assignment keeps both in step.
"""
from __future__ import annotations

from typing import Any

from ...tensor import Tensor
from ..parameter import Parameter

_REGISTRIES = ("_parameters", "_buffers", "_modules")


class _Registration:
    """The registering half of :class:`~chainrule.nn.Module` (a Module is one)."""

    __dict__: dict[str, Any]
    _parameters: dict[str, Parameter | None]
    _buffers: dict[str, Tensor | None]
    _non_persistent_buffers_set: set[str]
    _modules: dict[str, Any]

    def __setattr__(self, name: str, value: Any) -> None:
        d = self.__dict__
        if "_modules" not in d and isinstance(value, (Parameter, _Registration)):
            raise AttributeError(f"{type(self).__name__}: cannot assign {type(value).__name__} "
                                 f"{name!r} before Module.__init__() call")
        if isinstance(value, Parameter):
            self._unregister(name, keep="_parameters")
            if name not in d["_parameters"]:
                d.pop(name, None)
            self.register_parameter(name, value)
        elif isinstance(value, _Registration):
            self._unregister(name, keep="_modules")
            d["_modules"][name] = value
            d[name] = value
        elif "_modules" in d and (name in d["_parameters"] or name in d["_modules"]):
            kind = "parameter" if name in d["_parameters"] else "module"
            if value is not None:
                want = "chainrule.nn.Parameter" if kind == "parameter" else "a Module"
                raise TypeError(f"{type(self).__name__}: expected {want} or None for {kind} "
                                f"{name!r}, got {type(value).__name__}")
            d["_parameters" if kind == "parameter" else "_modules"][name] = None
            d[name] = None
        elif "_buffers" in d and name in d["_buffers"]:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(f"{type(self).__name__}: expected a Tensor or None for buffer "
                                f"{name!r}, got {type(value).__name__}")
            d["_buffers"][name] = value
            d[name] = value
        else:
            object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        d = self.__dict__
        if any(name in d[reg] for reg in _REGISTRIES if reg in d):
            self._unregister(name)
        else:
            object.__delattr__(self, name)

    def _unregister(self, name: str, keep: str = "") -> None:
        """Forget ``name`` in the registries (but ``keep``, so a re-assignment keeps its place)."""
        d = self.__dict__
        for reg in _REGISTRIES:
            if reg != keep and name in d[reg]:
                del d[reg][name]
                d.pop(name, None)
        d["_non_persistent_buffers_set"].discard(name)

    def _check_name(self, name: Any, kind: str) -> None:
        if not isinstance(name, str):
            raise TypeError(f"{type(self).__name__}: expected a str {kind} name, got "
                            f"{type(name).__name__}")
        if name == "" or "." in name:
            raise KeyError(f"{type(self).__name__}: expected a non-empty {kind} name without "
                           f"'.', got {name!r}")
        if (name in self.__dict__ and not any(name in self.__dict__[r] for r in _REGISTRIES)) \
                or hasattr(type(self), name):
            raise KeyError(f"{type(self).__name__}: expected a new {kind} name, got {name!r} "
                           "(an attribute of that name already exists)")

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Add a parameter (or None, a declared but absent one such as ``bias=False``)."""
        if "_parameters" not in self.__dict__:
            raise AttributeError("cannot assign parameter before Module.__init__() call")
        self._check_name(name, "parameter")
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"{type(self).__name__}: expected chainrule.nn.Parameter or None "
                            f"for parameter {name!r}, got {type(param).__name__}")
        self._unregister(name, keep="_parameters")
        self._parameters[name] = param
        self.__dict__[name] = param

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Add a tensor that is state but not learned (e.g. BatchNorm's running mean).

        Persistent buffers are part of ``state_dict``.
        """
        if "_buffers" not in self.__dict__:
            raise AttributeError("cannot assign buffer before Module.__init__() call")
        self._check_name(name, "buffer")
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(f"{type(self).__name__}: expected a Tensor or None for buffer "
                            f"{name!r}, got {type(tensor).__name__}")
        self._unregister(name, keep="_buffers")
        self._buffers[name] = tensor
        self.__dict__[name] = tensor
        if not persistent:
            self._non_persistent_buffers_set.add(name)

    def add_module(self, name: str, module: Any) -> None:
        """Add a sub-module under ``name`` (as ``self.name = module``)."""
        if module is not None and not isinstance(module, _Registration):
            raise TypeError(f"{type(self).__name__}: expected a Module or None for {name!r}, "
                            f"got {type(module).__name__}")
        self._check_name(name, "module")
        self._unregister(name, keep="_modules")
        self._modules[name] = module
        self.__dict__[name] = module

    register_module = add_module

    def get_submodule(self, target: str) -> Any:
        """The sub-module at a dotted path (``"0.linear"``); ``""`` is this module."""
        mod: Any = self
        for part in target.split(".") if target else ():
            child = mod._modules.get(part)
            if child is None:
                raise AttributeError(f"get_submodule: expected a sub-module path of "
                                     f"{type(self).__name__}, got {target!r} (no {part!r})")
            mod = child
        return mod
