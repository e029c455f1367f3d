"""Making tensors: ``tensor``, ``zeros``, ``randn``, ... with PyTorch's names and dtypes."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from . import _dtype
from .random import Generator, _rng
from .tensor import Tensor, _make


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
    return _dtype.get_default_dtype() if dtype is None else _dtype.as_dtype(dtype)


def _finish(data: np.ndarray, requires_grad: bool) -> Tensor:
    t = _make(data)
    if requires_grad:
        t.requires_grad_(True)
    return t


def tensor(data: Any, dtype: Any = None, requires_grad: bool = False,
           name: str | None = None) -> Tensor:
    """A new tensor copying ``data`` (Python floats -> float32, ints -> int64; arrays keep dtype).

    ``name`` labels the tensor in graph drawings and explanations.

    Example
    -------
    >>> import chainrule as cr
    >>> cr.tensor([1.0, 2.0], requires_grad=True)
    tensor([1., 2.], requires_grad=True)
    """
    return Tensor(data, dtype=dtype, requires_grad=requires_grad, name=name)


def zeros(*size: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of zeros. Example: ``chainrule.zeros(2, 3)``."""
    return _finish(np.zeros(_shape(size, "zeros"), _float(dtype)), requires_grad)


def ones(*size: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return _finish(np.ones(_shape(size, "ones"), _float(dtype)), requires_grad)


def empty(*size: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return _finish(np.empty(_shape(size, "empty"), _float(dtype)), requires_grad)


def full(size: Sequence[int], fill_value: Any, dtype: Any = None,
         requires_grad: bool = False) -> Tensor:
    if dtype is None and isinstance(fill_value, bool):
        dtype = np.bool_
    elif dtype is None and isinstance(fill_value, int):
        dtype = np.int64
    return _finish(np.full(_shape(tuple(size), "full"), fill_value, _float(dtype)), requires_grad)


def arange(start: float, end: float | None = None, step: float = 1, dtype: Any = None,
           requires_grad: bool = False) -> Tensor:
    """Values start, start+step, ... < end (ints give int64, floats the default dtype)."""
    if end is None:
        start, end = 0, start
    if step == 0:
        raise ValueError("arange: expected a non-zero step, got 0")
    if dtype is None:
        ints = all(isinstance(v, (int, np.integer)) for v in (start, end, step))
        dtype = np.int64 if ints else _dtype.get_default_dtype()
    return _finish(np.arange(start, end, step, dtype=_dtype.as_dtype(dtype)), requires_grad)


def linspace(start: float, end: float, steps: int, dtype: Any = None,
             requires_grad: bool = False) -> Tensor:
    if steps < 0:
        raise ValueError(f"linspace: expected steps >= 0, got {steps}")
    return _finish(np.linspace(start, end, steps, dtype=_float(dtype)), requires_grad)


def eye(n: int, m: int | None = None, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return _finish(np.eye(n, m, dtype=_float(dtype)), requires_grad)


def rand(*size: Any, generator: Generator | None = None, dtype: Any = None,
         requires_grad: bool = False) -> Tensor:
    """Uniform on [0, 1) from the library's generator (``manual_seed`` makes it repeatable)."""
    d = _float(dtype)
    return _finish(_rng(generator).random(_shape(size, "rand"), dtype=np.float64).astype(d),
                   requires_grad)


def randn(*size: Any, generator: Generator | None = None, dtype: Any = None,
          requires_grad: bool = False) -> Tensor:
    """Standard normal samples from the library's generator."""
    d = _float(dtype)
    return _finish(_rng(generator).standard_normal(_shape(size, "randn")).astype(d),
                   requires_grad)


def randint(low: int, high: int | None = None, size: Sequence[int] = (), *,
            generator: Generator | None = None, dtype: Any = None) -> Tensor:
    """Integers in [low, high) (or [0, low) when high is omitted)."""
    if isinstance(high, (tuple, list)):  # randint(high, size), as torch.randint
        low, high, size = 0, low, high
    elif high is None:
        low, high = 0, low
    if high <= low:
        raise ValueError(f"randint: expected low < high, got low={low}, high={high}")
    d = np.int64 if dtype is None else _dtype.as_dtype(dtype)
    return _make(_rng(generator).integers(low, high, _shape(tuple(size), "randint")).astype(d))


def zeros_like(x: Tensor, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return _finish(np.zeros(x.shape, dtype or x.dtype), requires_grad)


def ones_like(x: Tensor, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return _finish(np.ones(x.shape, dtype or x.dtype), requires_grad)


def full_like(x: Tensor, fill_value: Any, dtype: Any = None,
              requires_grad: bool = False) -> Tensor:
    return _finish(np.full(x.shape, fill_value, dtype or x.dtype), requires_grad)


def rand_like(x: Tensor, dtype: Any = None, generator: Generator | None = None,
              requires_grad: bool = False) -> Tensor:
    return rand(*x.shape, generator=generator, dtype=dtype or x.dtype, requires_grad=requires_grad)


def randn_like(x: Tensor, dtype: Any = None, generator: Generator | None = None,
               requires_grad: bool = False) -> Tensor:
    return randn(*x.shape, generator=generator, dtype=dtype or x.dtype,
                 requires_grad=requires_grad)


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor sharing memory with ``array`` (no copy), as ``torch.from_numpy``."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy: expected a numpy.ndarray, got {type(array).__name__}")
    return _make(array)
