"""``torch.range`` (inclusive end, deprecated in PyTorch), ``torch.gradient`` (central
differences, differentiable) and the thread-count switches."""
from __future__ import annotations

import builtins
import math
import os
import warnings
from typing import Any, Sequence

import numpy as np

from . import ops
from ._dtype import get_default_dtype
from .creation import tensor
from .tensor import Tensor, _make

__all__ = ["get_num_threads", "gradient", "range", "set_num_threads"]

_threads: dict[str, int] = {}


def range(start: float = 0, end: float | None = None, step: float = 1, *,  # noqa: A001
          dtype: Any = None, device: Any = None, requires_grad: bool = False,
          out: Any = None, layout: Any = None) -> Tensor:
    """``torch.range``: start, start + step, ... up to ``end`` INCLUDED, in the default float
    dtype unless ``dtype`` is given. Deprecated in PyTorch (a UserWarning says so, as there):
    use :func:`chainrule.arange`, whose end is excluded.

    Shape
    -----
    (⌊(end - start) / step⌋ + 1,).

    Example
    -------
    >>> import warnings, chainrule as cr
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     cr.range(1, 4)
    tensor([1., 2., 3., 4.])
    """
    if end is None:
        raise TypeError('range() missing 1 required positional arguments: "end"')
    warnings.warn("torch.range is deprecated and will be removed in a future release because "
                  "its behavior is inconsistent with Python's range builtin. Instead, use "
                  "torch.arange, which produces values in [start, end).", UserWarning,
                  stacklevel=2)
    if step == 0:
        raise ValueError("range: expected a nonzero step, got 0")
    if (end - start) * step < 0:
        raise ValueError(f"range: expected end on the side of start that step goes to, got "
                         f"start={start}, end={end}, step={step}")
    n = math.floor((end - start) / step) + 1
    values = start + np.arange(n, dtype=np.float64) * step
    return tensor(values, dtype=dtype if dtype is not None else get_default_dtype(),
                  requires_grad=requires_grad)


def _along(x: Tensor, d: int, start: int, stop: int | None) -> Tensor:
    return x[(slice(None),) * d + (slice(start, stop),)]


def _shaped(coef: np.ndarray, ndim: int, d: int, dtype: np.dtype) -> Tensor:
    return _make(np.asarray(coef, dtype).reshape((-1,) + (1,) * (ndim - d - 1)))


def _one_dim(f: Tensor, d: int, h: Any, edge_order: int) -> Tensor:
    """d f / d x along dim ``d``: second-order central differences inside, one-sided at the
    edges (first or second order), with x uniform (h a number) or given coordinates."""
    n, dt = f.shape[d], f._data.dtype
    if isinstance(h, Tensor):
        dx = np.diff(h._data.astype(np.float64))
    else:
        dx = np.full(n - 1, float(h))
    hs, hd = dx[:-1], dx[1:]
    a = -hd / (hs * (hs + hd))                       # interior: a f[i-1] + b f[i] + c f[i+1]
    b = (hd - hs) / (hs * hd)
    c = hs / (hd * (hs + hd))
    parts = []
    if edge_order == 1:
        first = (_along(f, d, 1, 2) - _along(f, d, 0, 1)) / float(dx[0])
        last = (_along(f, d, n - 1, n) - _along(f, d, n - 2, n - 1)) / float(dx[-1])
    else:
        d1, d2 = float(dx[0]), float(dx[1])
        first = (_along(f, d, 0, 1) * (-(2 * d1 + d2) / (d1 * (d1 + d2)))
                 + _along(f, d, 1, 2) * ((d1 + d2) / (d1 * d2))
                 + _along(f, d, 2, 3) * (-d1 / (d2 * (d1 + d2))))
        d1, d2 = float(dx[-2]), float(dx[-1])
        last = (_along(f, d, n - 3, n - 2) * (d2 / (d1 * (d1 + d2)))
                + _along(f, d, n - 2, n - 1) * (-(d1 + d2) / (d1 * d2))
                + _along(f, d, n - 1, n) * ((2 * d2 + d1) / (d2 * (d1 + d2))))
    parts.append(first)
    if n > 2:
        nd = f.ndim
        parts.append(_along(f, d, 0, n - 2) * _shaped(a, nd, d, dt)
                     + _along(f, d, 1, n - 1) * _shaped(b, nd, d, dt)
                     + _along(f, d, 2, n) * _shaped(c, nd, d, dt))
    parts.append(last)
    return ops.cat(parts, d)


def gradient(input: Tensor, *, spacing: Any = 1, dim: int | Sequence[int] | None = None,  # noqa: A002
             edge_order: int = 1) -> tuple[Tensor, ...]:
    """``torch.gradient``: the derivative of samples of a function along each dim in ``dim``
    (all dims by default), as NumPy's ``np.gradient``; differentiable.

    ``spacing`` is one number (the step of every dim), one number per dim, or one 1-D tensor
    of coordinates per dim. ``edge_order`` (1 or 2) is the accuracy of the one-sided
    differences at the two edges. Integer inputs give the default float dtype.

    Shape
    -----
    input (*) -> a tuple with one tensor of the same shape per dim.

    Example
    -------
    >>> import chainrule as cr
    >>> cr.gradient(cr.tensor([1.0, 2.0, 4.0, 8.0, 16.0]))
    (tensor([1.0000, 1.5000, 3.0000, 6.0000, 8.0000]),)
    """
    nd = input.ndim
    if nd == 0:
        raise ValueError("gradient: expected a tensor with at least one dimension, got a 0-d "
                         "tensor")
    if dim is None:
        given: list[int] = list(builtins.range(nd))
    else:
        given = [int(dim)] if isinstance(dim, (int, np.integer)) else [int(d) for d in dim]
    dims = [d % nd for d in given]
    if len(set(dims)) != len(dims):
        raise ValueError(f"gradient: expected distinct dims, got {dims}")
    if isinstance(spacing, (list, tuple)):
        if len(spacing) != len(dims):
            hint = "equal to 'self.dim() = %d', since dim argument was not given" % nd \
                if dim is None else f"equal to the number of dims {len(dims)}"
            raise ValueError(f"gradient: expected spacing to be unspecified, a scalar, or a "
                             f"list of length {hint}, got a list of length {len(spacing)}")
        hs = list(spacing)
    else:
        hs = [spacing] * len(dims)
    if edge_order not in (1, 2):
        raise ValueError(f"gradient: expected edge_order 1 or 2, got {edge_order}")
    x = input
    if x._data.dtype.kind != "f":
        x = input.to(get_default_dtype())
    out = []
    for d, h in zip(dims, hs):
        n = x.shape[d]
        if n < edge_order + 1:
            raise ValueError(f"gradient: expected each dimension size to be at least "
                             f"edge_order+1 = {edge_order + 1}, got size {n} in dim {d}")
        if isinstance(h, Tensor):
            if h.ndim != 1 or h.shape[0] != n:
                raise ValueError(f"gradient: expected coordinates of shape ({n},) for dim {d}, "
                                 f"got shape {tuple(h.shape)}")
        elif isinstance(h, (int, float, np.number)) and not isinstance(h, bool):
            h = float(h)
        else:
            raise TypeError(f"gradient: expected spacing as numbers or 1-D tensors, got "
                            f"{type(h).__name__}")
        out.append(_one_dim(x, d, h, edge_order))
    return tuple(out)


def get_num_threads() -> int:
    """The number of threads BLAS (NumPy's matrix products) uses: read through threadpoolctl
    when it is installed, else what :func:`set_num_threads` recorded or the CPU count.

    Example
    -------
    >>> import chainrule as cr
    >>> cr.get_num_threads() >= 1
    True
    """
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return _threads.get("n", os.cpu_count() or 1)
    counts = [int(i.get("num_threads", 1)) for i in threadpool_info()
              if i.get("user_api") == "blas"]
    return max(counts, default=_threads.get("n", 1))


def set_num_threads(num: int) -> None:
    """Limit BLAS to ``num`` threads for the rest of the process (through threadpoolctl when
    it is installed; without it the number is only recorded: set OMP_NUM_THREADS before
    starting Python instead)."""
    if isinstance(num, bool) or not isinstance(num, (int, np.integer)) or num < 1:
        raise ValueError(f"set_num_threads: expected a positive integer, got {num!r}")
    _threads["n"] = int(num)
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return
    threadpool_limits(limits=int(num), user_api="blas")
