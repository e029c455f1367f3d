"""Turning a list of samples into a batch: ``default_collate`` and ``default_convert``.

The rules are ``torch.utils.data.default_collate``'s, type by type: Tensors are
stacked; NumPy arrays and NumPy scalars become Tensors of their dtype and are
stacked; Python floats become a float64 Tensor, ints an int64 one (bools a
bool one); strings and bytes stay a list; a mapping is collated key by key, a
namedtuple field by field, a tuple into a *list* of collated fields (as
PyTorch, for backwards compatibility), another sequence into its own type.
"""
from __future__ import annotations

import collections.abc
import copy
import re
from typing import Any, Callable

import numpy as np

from ..tensor import Tensor, _make

__all__ = ["collate", "default_collate", "default_collate_fn_map", "default_convert"]

_STR_OR_OBJECT = re.compile(r"[SaUO]")
_ERR = ("default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; "
        "found {}")


def _collate_tensor(batch: list[Any], *, collate_fn_map: Any = None) -> Tensor:
    return _make(np.stack([t._data for t in batch]))


def _collate_array(batch: list[Any], *, collate_fn_map: Any = None) -> Tensor:
    if _STR_OR_OBJECT.search(batch[0].dtype.str) is not None:
        raise TypeError(_ERR.format(batch[0].dtype))
    return _make(np.stack([np.asarray(b) for b in batch]))


def _collate_numpy_scalar(batch: list[Any], *, collate_fn_map: Any = None) -> Tensor:
    return _make(np.asarray(batch))


def _collate_float(batch: list[Any], *, collate_fn_map: Any = None) -> Tensor:
    return _make(np.asarray(batch, dtype=np.float64))  # as torch.tensor(batch, dtype=float64)


def _collate_int(batch: list[Any], *, collate_fn_map: Any = None) -> Tensor:
    arr = np.asarray(batch)
    return _make(arr if arr.dtype == np.bool_ else arr.astype(np.int64))


def _collate_str(batch: list[Any], *, collate_fn_map: Any = None) -> list[Any]:
    return batch


default_collate_fn_map: dict[Any, Callable[..., Any]] = {
    Tensor: _collate_tensor,
    np.ndarray: _collate_array,
    (np.bool_, np.number, np.object_): _collate_numpy_scalar,
    float: _collate_float,
    int: _collate_int,
    str: _collate_str,
    bytes: _collate_str,
}


def collate(batch: list[Any], *,
            collate_fn_map: dict[Any, Callable[..., Any]] | None = None) -> Any:
    """Collate ``batch`` with the functions of ``collate_fn_map`` (by element type).

    Containers (mappings, namedtuples, sequences) are walked as
    :func:`default_collate` does; leaves go to the first matching entry of the map.
    """
    elem = batch[0]
    elem_type = type(elem)
    if collate_fn_map is not None:
        if elem_type in collate_fn_map:
            return collate_fn_map[elem_type](batch, collate_fn_map=collate_fn_map)
        for kind in collate_fn_map:
            if isinstance(elem, kind):
                return collate_fn_map[kind](batch, collate_fn_map=collate_fn_map)
    if isinstance(elem, collections.abc.Mapping):
        fields = {key: collate([d[key] for d in batch], collate_fn_map=collate_fn_map)
                  for key in elem}
        try:
            if isinstance(elem, collections.abc.MutableMapping):
                clone = copy.copy(elem)
                clone.update(fields)
                return clone
            return elem_type(fields)  # type: ignore[call-arg]
        except TypeError:
            return fields
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # namedtuple
        return elem_type(*(collate(list(s), collate_fn_map=collate_fn_map)
                           for s in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        size = len(elem)
        if any(len(e) != size for e in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        columns = [collate(list(s), collate_fn_map=collate_fn_map) for s in zip(*batch)]
        if isinstance(elem, tuple):
            return columns  # a list, as PyTorch ("backwards compatibility")
        try:
            if isinstance(elem, collections.abc.MutableSequence):
                clone = copy.copy(elem)  # type: ignore[arg-type]
                for i, c in enumerate(columns):
                    clone[i] = c
                return clone
            return elem_type(columns)  # type: ignore[call-arg]
        except TypeError:
            return columns
    raise TypeError(_ERR.format(elem_type))


def default_collate(batch: list[Any]) -> Any:
    """Stack a list of samples into a batch, field by field, as PyTorch's ``default_collate``.

    Example
    -------
    >>> import numpy as np
    >>> xb, yb = default_collate([(np.zeros(2, np.float32), 1), (np.ones(2, np.float32), 0)])
    >>> tuple(xb.shape), yb.tolist(), yb.dtype
    ((2, 2), [1, 0], chainrule.int64)
    >>> default_collate([{"x": 0.5}, {"x": 1.5}])["x"].dtype
    chainrule.float64
    """
    return collate(batch, collate_fn_map=default_collate_fn_map)


def default_convert(data: Any) -> Any:
    """NumPy arrays (and scalars) to Tensors, walking containers; other values unchanged.

    What a DataLoader yields per sample when automatic batching is off
    (``batch_size=None``).

    Example
    -------
    >>> import numpy as np
    >>> default_convert({"x": np.arange(2), "name": "a"})
    {'x': tensor([0, 1]), 'name': 'a'}
    """
    if isinstance(data, Tensor):
        return data
    if isinstance(data, np.ndarray):
        if _STR_OR_OBJECT.search(data.dtype.str) is not None:
            return data
        return _make(data)
    if isinstance(data, (np.bool_, np.number)):
        return _make(np.asarray(data))
    if isinstance(data, collections.abc.Mapping):
        fields = {k: default_convert(v) for k, v in data.items()}
        try:
            return type(data)(fields)  # type: ignore[call-arg]
        except TypeError:
            return fields
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        items = [default_convert(d) for d in data]
        try:
            return type(data)(items)  # type: ignore[call-arg]
        except TypeError:
            return items
    return data
