"""Making tensors: ``tensor``, ``zeros``, ``randn``, ... with PyTorch's names and dtypes."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from . import _device, _dtype
from .tensor import Tensor, _make

_Device = Any  # a chainrule.device, "cpu" or None (the default device)


def _shape(size: tuple[Any, ...], where: str) -> tuple[int, ...]:
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    try:
        shape = tuple(int(s) for s in size)
    except (TypeError, ValueError):
        raise TypeError(f"{where}: expected sizes as ints, got {size!r}") from None
    if any(s < 0 for s in shape):
        raise ValueError(f"{where}: expected non-negative sizes, got {shape}")
    return shape


def _float(dtype: Any) -> np.dtype:
    return _dtype.float_dtype(dtype)


def _finish(data: np.ndarray, requires_grad: bool, device: _Device = None,
            where: str = "tensor") -> Tensor:
    if device is not None:
        _device.as_device(device, where)
    t = _make(data)
    if requires_grad:
        t.requires_grad_(True)
    return t


def tensor(data: Any, dtype: Any = None, device: _Device = None, requires_grad: bool = False,
           pin_memory: bool = False, name: str | None = None) -> Tensor:
    """A new tensor copying ``data`` (Python floats -> float32, ints -> int64; arrays keep dtype).

    ``name`` labels the tensor in graph drawings and explanations.

    Example
    -------
    >>> import chainrule as cr
    >>> cr.tensor([1.0, 2.0], requires_grad=True)
    tensor([1., 2.], requires_grad=True)
    """
    if device is not None:
        _device.as_device(device, "tensor")
    return Tensor(data, dtype=dtype, requires_grad=requires_grad, name=name)


def as_tensor(data: Any, dtype: Any = None, device: _Device = None) -> Tensor:
    """``data`` as a tensor, sharing memory when it already is one (or a NumPy array) of
    ``dtype``; otherwise a copy, as ``torch.as_tensor``.

    Example
    -------
    >>> import numpy as np, chainrule as cr
    >>> a = np.zeros(2); t = cr.as_tensor(a); a[0] = 5; t
    tensor([5., 0.], dtype=chainrule.float64)
    """
    if device is not None:
        _device.as_device(device, "as_tensor")
    if isinstance(data, Tensor):
        return data if dtype is None else data.to(dtype)
    if isinstance(data, np.ndarray) and (dtype is None or data.dtype == _dtype.as_dtype(dtype)):
        return _make(data)
    return Tensor(data, dtype=dtype)


def zeros(*size: Any, out: Tensor | None = None, dtype: Any = None, device: _Device = None,
          requires_grad: bool = False) -> Tensor:
    """A tensor of zeros. Example: ``chainrule.zeros(2, 3)``."""
    if out is not None:
        d = out._data.dtype if dtype is None else _dtype.as_dtype(dtype)
        return _fill_out(out, np.zeros(_shape(size, "zeros"), d))
    return _finish(np.zeros(_shape(size, "zeros"), _float(dtype)), requires_grad, device, "zeros")


def ones(*size: Any, out: Tensor | None = None, dtype: Any = None, device: _Device = None,
         requires_grad: bool = False) -> Tensor:
    if out is not None:
        d = out._data.dtype if dtype is None else _dtype.as_dtype(dtype)
        return _fill_out(out, np.ones(_shape(size, "ones"), d))
    return _finish(np.ones(_shape(size, "ones"), _float(dtype)), requires_grad, device, "ones")


def empty(*size: Any, out: Tensor | None = None, dtype: Any = None, device: _Device = None,
          requires_grad: bool = False) -> Tensor:
    if out is not None:
        d = out._data.dtype if dtype is None else _dtype.as_dtype(dtype)
        return _fill_out(out, np.empty(_shape(size, "empty"), d))
    return _finish(np.empty(_shape(size, "empty"), _float(dtype)), requires_grad, device, "empty")


def _fill_out(out: Tensor, data: np.ndarray) -> Tensor:
    """Write a creation result into ``out`` (resized to it if needed), as PyTorch's ``out=``."""
    from .ops._util import write_out
    return write_out(out, _make(data), "out")


def full(size: Sequence[int], fill_value: Any, *, dtype: Any = None, device: _Device = None,
         requires_grad: bool = False) -> Tensor:
    """A tensor filled with ``fill_value`` (bool, int64 or the default float, by its type)."""
    if dtype is None and isinstance(fill_value, bool):
        dtype = np.bool_
    elif dtype is None and isinstance(fill_value, int):
        dtype = np.int64
    return _finish(np.full(_shape(tuple(size), "full"), fill_value, _float(dtype)), requires_grad,
                   device, "full")


def arange(start: float, end: float | None = None, step: float = 1, *, dtype: Any = None,
           device: _Device = None, requires_grad: bool = False) -> Tensor:
    """Values start, start+step, ... < end (ints give int64, floats the default dtype)."""
    if end is None:
        start, end = 0, start
    if step == 0:
        raise ValueError("arange: expected a non-zero step, got 0")
    if dtype is None:
        ints = all(isinstance(v, (int, np.integer)) for v in (start, end, step))
        dtype = np.int64 if ints else _dtype.float_dtype()
    return _finish(np.arange(start, end, step, dtype=_dtype.as_dtype(dtype)), requires_grad,
                   device, "arange")


def linspace(start: float, end: float, steps: int, *, dtype: Any = None, device: _Device = None,
             requires_grad: bool = False) -> Tensor:
    """``steps`` evenly spaced values from start to end inclusive."""
    if steps < 0:
        raise ValueError(f"linspace: expected steps >= 0, got {steps}")
    return _finish(np.linspace(start, end, steps, dtype=_float(dtype)), requires_grad, device,
                   "linspace")


def eye(n: int, m: int | None = None, *, dtype: Any = None, device: _Device = None,
        requires_grad: bool = False) -> Tensor:
    """The n×m identity matrix (n×n without m)."""
    return _finish(np.eye(n, m, dtype=_float(dtype)), requires_grad, device, "eye")


def _like(x: Tensor, dtype: Any) -> tuple[tuple[int, ...], np.dtype]:
    return x._data.shape, x._data.dtype if dtype is None else _dtype.as_dtype(dtype)


def zeros_like(input: Tensor, *, dtype: Any = None, device: _Device = None,  # noqa: A002
               requires_grad: bool = False) -> Tensor:
    """Zeros with ``input``'s shape and dtype."""
    return _finish(np.zeros(*_like(input, dtype)), requires_grad, device, "zeros_like")


def ones_like(input: Tensor, *, dtype: Any = None, device: _Device = None,  # noqa: A002
              requires_grad: bool = False) -> Tensor:
    """Ones with ``input``'s shape and dtype."""
    return _finish(np.ones(*_like(input, dtype)), requires_grad, device, "ones_like")


def empty_like(input: Tensor, *, dtype: Any = None, device: _Device = None,  # noqa: A002
               requires_grad: bool = False) -> Tensor:
    """Uninitialised values with ``input``'s shape and dtype."""
    return _finish(np.empty(*_like(input, dtype)), requires_grad, device, "empty_like")


def full_like(input: Tensor, fill_value: Any, *, dtype: Any = None,  # noqa: A002
              device: _Device = None, requires_grad: bool = False) -> Tensor:
    """``fill_value`` with ``input``'s shape and dtype."""
    shape, d = _like(input, dtype)
    return _finish(np.full(shape, fill_value, d), requires_grad, device, "full_like")


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor sharing memory with ``array`` (no copy), as ``torch.from_numpy``."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy: expected a numpy.ndarray, got {type(array).__name__}")
    return _make(array)
