"""Containers: Sequential (a chain), ModuleList and ModuleDict (registered collections)."""
from __future__ import annotations

from collections import OrderedDict
from typing import Any, Iterable, Iterator, Mapping, overload

from .module import Module

__all__ = ["ModuleDict", "ModuleList", "Sequential"]


def _index(n: int, idx: Any, where: str) -> int:
    if not isinstance(idx, int) or isinstance(idx, bool):
        raise TypeError(f"{where}: expected an int index or a slice, got {type(idx).__name__}")
    if not -n <= idx < n:
        raise IndexError(f"{where}: expected an index in [{-n}, {n}), got {idx}")
    return idx % n


def _check_module(m: Any, where: str) -> Module:
    if not isinstance(m, Module):
        raise TypeError(f"{where}: expected a Module, got {type(m).__name__}")
    return m


class _Indexed(Module):
    """Shared by Sequential and ModuleList: modules under the keys "0", "1", ..."""

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())  # type: ignore[arg-type]

    def _key(self, idx: int) -> str:
        return list(self._modules)[_index(len(self), idx, type(self).__name__)]

    def __setitem__(self, idx: int, module: Module) -> None:
        setattr(self, self._key(idx), _check_module(module, type(self).__name__))

    def __delitem__(self, idx: int | slice) -> None:
        keys = list(self._modules)[idx] if isinstance(idx, slice) else [self._key(idx)]
        for k in keys:
            delattr(self, k)
        self._renumber(list(self._modules.values()))

    def _renumber(self, modules: list[Any]) -> None:
        for k in list(self._modules):
            self._unregister(k)
        for i, m in enumerate(modules):
            self.add_module(str(i), m)

    def append(self, module: Module) -> Any:
        """Add ``module`` at the end."""
        self.add_module(str(len(self)), _check_module(module, f"{type(self).__name__}.append"))
        return self

    def extend(self, modules: Iterable[Module]) -> Any:
        for m in modules:
            self.append(m)
        return self

    def insert(self, index: int, module: Module) -> None:
        """Insert ``module`` before position ``index`` (keys are renumbered)."""
        _check_module(module, f"{type(self).__name__}.insert")
        mods = list(self._modules.values())
        n = len(mods)
        pos = max(0, min(n, index if index >= 0 else n + index))
        mods.insert(pos, module)
        self._renumber(mods)

    def pop(self, idx: int = -1) -> Module:
        m = self[idx]
        del self[idx]
        return m

    def __getitem__(self, idx: Any) -> Any:
        raise NotImplementedError  # pragma: no cover - overridden


class Sequential(_Indexed):
    """Modules applied in order: ``Sequential(a, b)(x) == b(a(x))``.

    Build it from modules (keys "0", "1", ...) or an ``OrderedDict`` of named
    modules. Indexing gives a module, slicing a Sequential; errors raised in a
    child name it: ``model.2 (Linear 64->10): expected input with last
    dimension 64, got shape (8, 5)``.

    Example
    -------
    >>> import chainrule as cr
    >>> model = cr.nn.Sequential(cr.nn.Linear(2, 3), cr.nn.ReLU(), cr.nn.Linear(3, 1))
    >>> model(cr.zeros(4, 2)).shape, len(model), type(model[:2]).__name__
    (chainrule.Size([4, 1]), 3, 'Sequential')
    """

    def __init__(self, *args: Any) -> None:
        super().__init__()
        if len(args) == 1 and isinstance(args[0], Mapping):
            for key, m in args[0].items():
                self.add_module(key, _check_module(m, "Sequential"))
        else:
            for i, m in enumerate(args):
                self.add_module(str(i), _check_module(m, "Sequential"))

    @overload
    def __getitem__(self, idx: slice) -> Sequential: ...
    @overload
    def __getitem__(self, idx: int) -> Module: ...

    def __getitem__(self, idx: Any) -> Any:
        if isinstance(idx, slice):
            return Sequential(OrderedDict(list(self._modules.items())[idx]))
        return self._modules[self._key(idx)]

    def forward(self, input: Any) -> Any:  # noqa: A002
        for m in self._modules.values():
            input = m(input)  # type: ignore[misc]  # noqa: A001
        return input


class ModuleList(_Indexed):
    """A list of modules whose parameters are registered (a plain list's are not).

    Example
    -------
    >>> import chainrule as cr
    >>> layers = cr.nn.ModuleList([cr.nn.Linear(2, 2) for _ in range(3)])
    >>> len(layers), len(list(layers.parameters()))
    (3, 6)
    """

    def __init__(self, modules: Iterable[Module] | None = None) -> None:
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def __getitem__(self, idx: Any) -> Any:
        if isinstance(idx, slice):
            return ModuleList(list(self._modules.values())[idx])  # type: ignore[arg-type]
        return self._modules[self._key(idx)]

    def __iadd__(self, modules: Iterable[Module]) -> ModuleList:
        return self.extend(modules)  # type: ignore[no-any-return]

    def __add__(self, other: Iterable[Module]) -> ModuleList:
        return ModuleList([*self, *other])

    def __repr__(self) -> str:
        """As PyTorch: runs of identical modules are shown once, ``(0-2): 3 x Linear(...)``."""
        reprs = [repr(m) for m in self]
        if not reprs:
            return f"{self._get_name()}()"
        runs: list[list[Any]] = []  # [start, end, repr]
        for i, r in enumerate(reprs):
            if runs and runs[-1][2] == r:
                runs[-1][1] = i
            else:
                runs.append([i, i, r])
        lines = []
        for start, end, r in runs:
            head = f"({start})" if start == end else f"({start}-{end}): {end - start + 1} x"
            text = f"{head}: {r}" if start == end else f"{head} {r}"
            lines.append("\n".join(ln if j == 0 else "  " + ln
                                   for j, ln in enumerate(text.split("\n"))))
        return f"{self._get_name()}(\n  " + "\n  ".join(lines) + "\n)"


class ModuleDict(Module):
    """A dict of modules whose parameters are registered, in insertion order.

    Example
    -------
    >>> import chainrule as cr
    >>> heads = cr.nn.ModuleDict({"age": cr.nn.Linear(4, 1), "kind": cr.nn.Linear(4, 3)})
    >>> heads["kind"](cr.zeros(2, 4)).shape, list(heads)
    (chainrule.Size([2, 3]), ['age', 'kind'])
    """

    def __init__(self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]] | None = None
                 ) -> None:
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key: str) -> Module:
        if key not in self._modules:
            raise KeyError(f"ModuleDict: expected one of the keys {list(self._modules)}, "
                           f"got {key!r}")
        return self._modules[key]  # type: ignore[return-value]

    def __setitem__(self, key: str, module: Module) -> None:
        self.add_module(key, _check_module(module, "ModuleDict"))

    def __delitem__(self, key: str) -> None:
        self[key]
        delattr(self, key)

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __contains__(self, key: object) -> bool:
        return key in self._modules

    def keys(self) -> Iterable[str]:
        return self._modules.keys()

    def items(self) -> Iterable[tuple[str, Module]]:
        return self._modules.items()  # type: ignore[return-value]

    def values(self) -> Iterable[Module]:
        return self._modules.values()  # type: ignore[return-value]

    def update(self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]]) -> None:
        pairs = modules.items() if isinstance(modules, Mapping) else modules
        for key, m in pairs:
            self[key] = m

    def pop(self, key: str) -> Module:
        m = self[key]
        del self[key]
        return m

    def clear(self) -> None:
        for k in list(self._modules):
            delattr(self, k)
