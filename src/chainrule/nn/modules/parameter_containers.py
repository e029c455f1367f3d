"""ParameterList and ParameterDict: registered collections of Parameters (as ``torch.nn``)."""
from __future__ import annotations

from typing import Any, Iterable, Iterator, Mapping

from ...tensor import Tensor
from ..parameter import Parameter
from .module import Module

__all__ = ["ParameterDict", "ParameterList"]


def _as_parameter(value: Any, where: str) -> Any:
    """Tensors become Parameters (as PyTorch); other values are kept as plain attributes."""
    if isinstance(value, Tensor) and not isinstance(value, Parameter):
        return Parameter(value)
    return value


_TYPENAMES = {"float32": "FloatTensor", "float64": "DoubleTensor", "float16": "HalfTensor",
              "int64": "LongTensor", "int32": "IntTensor", "int16": "ShortTensor",
              "int8": "CharTensor", "uint8": "ByteTensor", "bool": "BoolTensor"}


def _describe(p: Any, typename: bool = False) -> str:
    """``Parameter containing: [chainrule.float32 of size 2x3]`` (ParameterDict names the
    tensor type instead, ``chainrule.FloatTensor``, as PyTorch does)."""
    if isinstance(p, Tensor):
        size = "x".join(str(s) for s in p.shape)
        kind = "Parameter" if isinstance(p, Parameter) else "Tensor"
        dtype = str(p._data.dtype)
        name = _TYPENAMES.get(dtype, dtype) if typename else dtype
        return f"{kind} containing: [chainrule.{name} of size {size}]"
    return f"Object of type: {type(p).__name__}"


class ParameterList(Module):
    """A list of Parameters registered under "0", "1", ... (a plain list's are not).

    Tensors that are not Parameters are wrapped in one, as PyTorch.

    Example
    -------
    >>> import chainrule as cr
    >>> ws = cr.nn.ParameterList([cr.nn.Parameter(cr.zeros(2)) for _ in range(3)])
    >>> len(ws), [name for name, _ in ws.named_parameters()]
    (3, ['0', '1', '2'])
    """

    def __init__(self, values: Iterable[Any] | None = None) -> None:
        super().__init__()
        object.__setattr__(self, "_size", 0)
        if values is not None:
            self.extend(values)

    def _index(self, idx: int) -> str:
        if not isinstance(idx, int) or isinstance(idx, bool):
            raise TypeError(f"ParameterList: expected an int index or a slice, got "
                            f"{type(idx).__name__}")
        if not -self._size <= idx < self._size:
            raise IndexError(f"ParameterList: expected an index in [{-self._size}, "
                             f"{self._size}), got {idx}")
        return str(idx % self._size)

    def __getitem__(self, idx: Any) -> Any:
        if isinstance(idx, slice):
            return ParameterList([self[i] for i in range(self._size)[idx]])
        return getattr(self, self._index(idx))

    def __setitem__(self, idx: int, param: Any) -> None:
        setattr(self, self._index(idx), _as_parameter(param, "ParameterList"))

    def __len__(self) -> int:
        return int(self._size)

    def __iter__(self) -> Iterator[Any]:
        return (self[i] for i in range(self._size))

    def __iadd__(self, values: Iterable[Any]) -> ParameterList:
        return self.extend(values)

    def append(self, value: Any) -> ParameterList:
        """Add ``value`` at the end."""
        key = str(self._size)
        object.__setattr__(self, "_size", self._size + 1)
        setattr(self, key, _as_parameter(value, "ParameterList.append"))
        return self

    def extend(self, values: Iterable[Any]) -> ParameterList:
        if isinstance(values, Tensor) or not isinstance(values, Iterable):
            raise TypeError(f"ParameterList.extend: expected an iterable of Parameters, got "
                            f"{type(values).__name__}")
        for v in values:
            self.append(v)
        return self

    def extra_repr(self) -> str:
        return "\n".join(f"({i}): {_describe(p)}" for i, p in enumerate(self))

    def __repr__(self) -> str:
        lines = self.extra_repr().split("\n") if self._size else []
        return "ParameterList(" + "".join("\n    " + ln for ln in lines) + ("\n)" if lines
                                                                            else ")")


class ParameterDict(Module):
    """A dict of Parameters registered under their keys, in insertion order.

    Example
    -------
    >>> import chainrule as cr
    >>> pd = cr.nn.ParameterDict({"scale": cr.nn.Parameter(cr.ones(1))})
    >>> pd["shift"] = cr.zeros(1)   # a Tensor becomes a Parameter
    >>> list(pd.keys()), type(pd["shift"]).__name__
    (['scale', 'shift'], 'Parameter')
    """

    def __init__(self, parameters: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None
                 ) -> None:
        super().__init__()
        object.__setattr__(self, "_keys", {})
        if parameters is not None:
            self.update(parameters)

    def __getitem__(self, key: str) -> Any:
        if key not in self._keys:
            raise KeyError(f"ParameterDict: expected one of the keys {list(self._keys)}, got "
                           f"{key!r}")
        return getattr(self, key)

    def __setitem__(self, key: str, value: Any) -> None:
        if not isinstance(key, str):
            raise TypeError(f"ParameterDict: expected str keys, got {type(key).__name__}")
        self._keys[key] = None
        setattr(self, key, _as_parameter(value, "ParameterDict"))

    def __delitem__(self, key: str) -> None:
        self[key]
        del self._keys[key]
        delattr(self, key)

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._keys))

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def keys(self) -> Iterable[str]:
        return list(self._keys)

    def items(self) -> Iterable[tuple[str, Any]]:
        return [(k, self[k]) for k in self._keys]

    def values(self) -> Iterable[Any]:
        return [self[k] for k in self._keys]

    def get(self, key: str, default: Any = None) -> Any:
        return self[key] if key in self._keys else default

    def update(self, values: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> None:
        pairs = values.items() if isinstance(values, Mapping) else values
        for key, v in pairs:
            self[key] = v

    def pop(self, key: str) -> Any:
        v = self[key]
        del self[key]
        return v

    def clear(self) -> None:
        for k in list(self._keys):
            del self[k]

    def extra_repr(self) -> str:
        """As PyTorch: ``  (key): Parameter containing: [chainrule.FloatTensor of size 3]``."""
        return "\n".join(f"  ({k}): {_describe(v, typename=True)}" for k, v in self.items())
