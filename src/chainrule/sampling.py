"""Random tensors: ``rand``, ``randn``, ``randint``, ``randperm``, ``normal``, ``multinomial``,
``bernoulli``, with PyTorch's signatures. Each draws from the library's default generator,
or from ``generator=`` (a :class:`chainrule.Generator`, seeded with ``manual_seed``).
The streams are NumPy's: the same seed gives the same numbers in chainrule, not PyTorch's."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from . import _dtype
from .creation import _Device, _finish, _float, _shape
from .random import Generator, _rng
from .tensor import Tensor, _make


def rand(*size: Any, generator: Generator | None = None, dtype: Any = None,
         device: _Device = None, requires_grad: bool = False) -> Tensor:
    """Uniform on [0, 1). Example: ``chainrule.rand(2, 3, generator=g)``."""
    d = _float(dtype)
    return _finish(_rng(generator).random(_shape(size, "rand"), dtype=np.float64).astype(d),
                   requires_grad, device, "rand")


def randn(*size: Any, generator: Generator | None = None, dtype: Any = None,
          device: _Device = None, requires_grad: bool = False) -> Tensor:
    """Standard normal samples."""
    d = _float(dtype)
    return _finish(_rng(generator).standard_normal(_shape(size, "randn")).astype(d),
                   requires_grad, device, "randn")


def randint(low: int, high: int | None = None, size: Sequence[int] = (), *,
            generator: Generator | None = None, dtype: Any = None, device: _Device = None,
            requires_grad: bool = False) -> Tensor:
    """Integers in [low, high) (or [0, low) when high is omitted): ``randint(10, (3,))``."""
    if isinstance(high, (tuple, list)):  # randint(high, size), as torch.randint
        low, high, size = 0, low, high
    elif high is None:
        low, high = 0, low
    if high <= low:
        raise ValueError(f"randint: expected low < high, got low={low}, high={high}")
    d = np.int64 if dtype is None else _dtype.as_dtype(dtype)
    return _finish(_rng(generator).integers(low, high, _shape(tuple(size), "randint")).astype(d),
                   requires_grad, device, "randint")


def rand_like(input: Tensor, *, dtype: Any = None, generator: Generator | None = None,  # noqa: A002
              device: _Device = None, requires_grad: bool = False) -> Tensor:
    return rand(*input._data.shape, generator=generator, dtype=dtype or input._data.dtype,
                device=device, requires_grad=requires_grad)


def randn_like(input: Tensor, *, dtype: Any = None, generator: Generator | None = None,  # noqa: A002
               device: _Device = None, requires_grad: bool = False) -> Tensor:
    return randn(*input._data.shape, generator=generator, dtype=dtype or input._data.dtype,
                 device=device, requires_grad=requires_grad)


def randint_like(input: Tensor, low: int, high: int | None = None, *,  # noqa: A002
                 generator: Generator | None = None, dtype: Any = None,
                 device: _Device = None) -> Tensor:
    return randint(low, high, input._data.shape, generator=generator,
                   dtype=dtype or input._data.dtype, device=device)


def randperm(n: int, *, generator: Generator | None = None, dtype: Any = None,
             device: _Device = None, requires_grad: bool = False) -> Tensor:
    """A random permutation of 0..n-1 (int64)."""
    if n < 0:
        raise ValueError(f"randperm: expected n >= 0, got {n}")
    d = np.int64 if dtype is None else _dtype.as_dtype(dtype)
    return _finish(_rng(generator).permutation(n).astype(d), requires_grad, device, "randperm")


def _value(v: Any) -> Any:
    return v._data if isinstance(v, Tensor) else v


def normal(mean: Any = 0.0, std: Any = 1.0, size: Sequence[int] | None = None, *,
           generator: Generator | None = None, dtype: Any = None, device: _Device = None,
           requires_grad: bool = False) -> Tensor:
    """Normal samples, in PyTorch's four forms: ``normal(mean_t, std_t)``, ``normal(mean_t,
    std=1.0)``, ``normal(mean, std_t)`` (shape and dtype from the tensor arguments, broadcast)
    and ``normal(mean, std, size)`` (floats: the default dtype). No gradient is recorded.

    Example
    -------
    >>> import chainrule as cr
    >>> g = cr.Generator().manual_seed(0)
    >>> cr.normal(2.0, 0.5, (2, 3), generator=g).shape, cr.normal(cr.zeros(4), 1.0).shape
    (chainrule.Size([2, 3]), chainrule.Size([4]))
    """
    tensors = [v for v in (mean, std) if isinstance(v, Tensor)]
    if size is not None:
        if tensors:
            raise TypeError("normal: expected float mean and std with size=, got a tensor")
        shape, d = _shape(tuple(size), "normal"), _float(dtype)
    elif tensors:
        if any(t._data.dtype.kind != "f" for t in tensors):
            raise TypeError("normal: expected floating point mean/std tensors, got dtype "
                            f"{[str(t._data.dtype) for t in tensors]}")
        shape = np.broadcast_shapes(*(t._data.shape for t in tensors))
        d = tensors[0]._data.dtype if dtype is None else _dtype.as_dtype(dtype)
    else:
        raise TypeError("normal: expected a mean or std tensor, or a size, got floats only")
    s = np.asarray(_value(std))
    if np.any(s < 0):
        raise ValueError(f"normal: expected std >= 0, got {float(s.min())}")
    z = _rng(generator).standard_normal(shape)
    return _finish((z * s + _value(mean)).astype(d), requires_grad, device, "normal")


def multinomial(input: Tensor, num_samples: int, replacement: bool = False, *,  # noqa: A002
                generator: Generator | None = None) -> Tensor:
    """Indices drawn with probability proportional to the (non-negative) weights of each row.

    Shape
    -----
    input (C,) -> (num_samples,); input (N, C) -> (N, num_samples). int64.

    Example
    -------
    >>> import chainrule as cr
    >>> g = cr.Generator().manual_seed(0)
    >>> cr.multinomial(cr.tensor([0.0, 1.0, 0.0]), 2, replacement=True, generator=g)
    tensor([1, 1])
    """
    w = np.asarray(input._data, dtype=np.float64)
    if w.ndim not in (1, 2):
        raise ValueError(f"multinomial: expected a 1-D or 2-D probability tensor, got shape "
                         f"{w.shape}")
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise RuntimeError("multinomial: expected probabilities that are finite and >= 0, got "
                           "negative, inf or nan")
    rows = w.reshape(-1, w.shape[-1])
    if np.any(rows.sum(1) <= 0):
        raise RuntimeError("multinomial: expected each row to have a positive sum, got a row "
                           "of zeros")
    if num_samples <= 0:
        raise RuntimeError(f"multinomial: expected num_samples > 0, got {num_samples}")
    if not replacement and num_samples > w.shape[-1]:
        raise RuntimeError(f"multinomial: cannot draw {num_samples} samples without replacement "
                           f"from {w.shape[-1]} categories")
    rng = _rng(generator)
    if replacement:
        out = np.stack([rng.choice(len(p), num_samples, p=p / p.sum()) for p in rows])
    else:  # as PyTorch: the largest p / Exp(1) keys (zero weights come last)
        keys = rows / rng.exponential(size=rows.shape)
        out = np.argsort(-keys, axis=1, kind="stable")[:, :num_samples]
    return _make(out.astype(np.int64).reshape(w.shape[:-1] + (num_samples,)))


def bernoulli(input: Tensor, p: float | None = None, *,  # noqa: A002
              generator: Generator | None = None) -> Tensor:
    """1 with probability ``input`` (or ``p``) per element, else 0, in ``input``'s dtype."""
    prob = input._data if p is None else np.full(input._data.shape, p)
    if np.any((prob < 0) | (prob > 1)):
        raise RuntimeError("bernoulli: expected probabilities in [0, 1]")
    draw = _rng(generator).random(input._data.shape) < prob
    return _make(draw.astype(input._data.dtype))
