"""The Tensor's device and dtype conversions (``to``, ``cpu``, ``type``, ``double`` ...),
formatting with a spec, and the NumPy interplay (``np.exp(t)`` gives a Tensor, as PyTorch)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from . import _device
from . import _dtype

if TYPE_CHECKING:
    from .tensor import Tensor

_Int = int
_Bool = bool
# PyTorch's legacy type names (``x.type()``), by NumPy dtype
_TYPE_NAMES = {"float32": "FloatTensor", "float64": "DoubleTensor", "float16": "HalfTensor",
               "int64": "LongTensor", "int32": "IntTensor", "int16": "ShortTensor",
               "int8": "CharTensor", "uint8": "ByteTensor", "bool": "BoolTensor"}
_BY_TYPE_NAME = {v: np.dtype(k) for k, v in _TYPE_NAMES.items()}


def _is_device(a: Any) -> bool:
    return isinstance(a, _device.device) or (
        isinstance(a, str) and a.partition(":")[0] in _device.KNOWN_TYPES)


def _make_f() -> Any:
    from . import _tensor_ops
    return _tensor_ops.F


class TensorConvert:
    """Mixin of :class:`~chainrule.Tensor`: where it lives and which dtype it has."""

    __slots__ = ()
    if TYPE_CHECKING:
        _data: np.ndarray
        requires_grad: bool

        def item(self) -> Any: ...

    @property
    def device(self) -> _device.device:
        """Where the storage lives: ``device(type='cpu')`` (chainrule computes with NumPy)."""
        return _device.CPU

    @property
    def is_cuda(self) -> bool:
        return False

    @property
    def is_cpu(self) -> bool:
        return True

    def get_device(self) -> int:
        """-1 for a CPU tensor, as PyTorch."""
        return -1

    def to(self, *args: Any, dtype: Any = None, device: Any = None, non_blocking: bool = False,
           copy: bool = False, **kwargs: Any) -> Tensor:
        """This tensor on ``device`` and/or as ``dtype``; ``to(other)`` takes both from ``other``.

        Returns ``self`` when nothing changes (unless ``copy=True``); a change between float
        dtypes is differentiable. Accepts PyTorch's forms: ``to(dtype)``, ``to(device,
        dtype)``, ``to(other)``, ``to(device=..., dtype=...)``.

        Example
        -------
        >>> import chainrule as cr
        >>> x = cr.ones(2)
        >>> x.to("cpu") is x, x.to(cr.float64).dtype, x.to(cr.zeros(1, dtype=cr.int64)).dtype
        (True, chainrule.float64, chainrule.int64)
        """
        kwargs.pop("memory_format", None)
        if kwargs:
            raise TypeError(f"to: unexpected keyword arguments {sorted(kwargs)}")
        if len(args) > 2:
            raise TypeError(f"to: expected at most a device and a dtype, got {len(args)} "
                            "positional arguments")
        for a in args:
            if isinstance(a, TensorConvert):
                dtype, device = a._data.dtype, a.device
            elif _is_device(a):
                device = a
            elif isinstance(a, bool):  # to(dtype, non_blocking, copy) positional flags
                raise TypeError("to: pass non_blocking and copy as keywords")
            else:
                dtype = a
        if device is not None:
            _device.as_device(device, "to")
        d = self._data.dtype if dtype is None else _dtype.as_dtype(dtype)
        if d == self._data.dtype:
            return _make_f().clone(self) if copy else self  # type: ignore[return-value]
        return _make_f().to_dtype(self, d)

    def cpu(self) -> Tensor:
        """This tensor (it already lives on the CPU)."""
        return self  # type: ignore[return-value]

    def cuda(self, device: Any = None, non_blocking: bool = False) -> Tensor:
        """Raises: chainrule has no GPU backend yet."""
        _device.as_device("cuda" if device is None else device, "cuda")
        return self  # type: ignore[return-value]  # (a registered "cuda" kind would move here)

    def type(self, dtype: Any = None, non_blocking: bool = False) -> Any:
        """Without ``dtype``, the type name (``'chainrule.FloatTensor'``); with one, ``to(dtype)``.

        Example
        -------
        >>> import chainrule as cr
        >>> cr.ones(1).type(), cr.ones(1).type(cr.float64).dtype
        ('chainrule.FloatTensor', chainrule.float64)
        """
        if dtype is None:
            return f"chainrule.{_TYPE_NAMES.get(self._data.dtype.name, 'Tensor')}"
        if isinstance(dtype, str) and dtype.rpartition(".")[2] in _BY_TYPE_NAME:
            dtype = _BY_TYPE_NAME[dtype.rpartition(".")[2]]
        return self.to(dtype)

    def type_as(self, other: Any) -> Tensor:
        return self.to(other._data.dtype)

    def float(self) -> Tensor:
        return self.to(np.float32)

    def double(self) -> Tensor:
        return self.to(np.float64)

    def half(self) -> Tensor:
        return self.to(np.float16)

    def long(self) -> Tensor:
        return self.to(np.int64)

    def int(self) -> Tensor:
        return self.to(np.int32)

    def short(self) -> Tensor:
        return self.to(np.int16)

    def char(self) -> Tensor:
        return self.to(np.int8)

    def byte(self) -> Tensor:
        return self.to(np.uint8)

    def bool(self) -> Tensor:
        return self.to(np.bool_)

    def is_floating_point(self) -> _Bool:
        return self._data.dtype.kind == "f"

    def element_size(self) -> _Int:
        return self._data.itemsize

    def nelement(self) -> _Int:
        """The number of elements (``numel``)."""
        return int(self._data.size)

    @property
    def retains_grad(self) -> _Bool:
        """Whether ``retain_grad()`` was called on this non-leaf tensor."""
        fn = getattr(self, "grad_fn", None)
        return fn is not None and any(getattr(h, "__name__", "") == "keep"
                                      for h in fn._hooks or ())

    def bernoulli(self, p: Any = None, *, generator: Any = None) -> Tensor:
        from .sampling import bernoulli
        return bernoulli(self, p, generator=generator)  # type: ignore[arg-type]

    def bernoulli_(self, p: Any = 0.5, *, generator: Any = None) -> Tensor:
        """Fill with 1 (probability ``p``) or 0, in place."""
        from .random import _rng
        pv = p._data if isinstance(p, TensorConvert) else p
        self._data[...] = _rng(generator).random(self._data.shape) < pv
        return self  # type: ignore[return-value]

    def histogram(self, bins: Any = 100, *, range: Any = None, weight: Any = None,  # noqa: A002
                  density: _Bool = False) -> Any:
        return _make_f().histogram(self, bins, range=range, weight=weight, density=density)

    def sum_to_size(self, *size: Any) -> Tensor:
        """Sum over the broadcast dims so the result has ``size``."""
        shape = tuple(size[0]) if len(size) == 1 and isinstance(size[0], (tuple, list)) else size
        lead = self._data.ndim - len(shape)
        dims = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(shape)
                                          if s == 1 and self._data.shape[lead + i] != 1)
        r = _make_f().sum(self, dims, keepdim=True) if dims else self
        return _make_f().reshape(r, shape)

    def contiguous(self, memory_format: Any = None) -> Tensor:
        """This tensor when its array is C-contiguous, else a contiguous copy (as PyTorch:
        in-place ops on the copy do not reach the original)."""
        if self._data.flags.c_contiguous:
            return self  # type: ignore[return-value]
        from . import _tensor_ops
        return _tensor_ops.F.clone(self)  # type: ignore[no-any-return]

    def is_contiguous(self, memory_format: Any = None) -> _Bool:
        return _Bool(self._data.flags.c_contiguous)

    def ndimension(self) -> _Int:
        return self._data.ndim

    def is_signed(self) -> _Bool:
        return self._data.dtype.kind in "fi"

    def is_same_size(self, other: Any) -> _Bool:
        return self._data.shape == other._data.shape

    def is_nonzero(self) -> _Bool:
        from ._extras import is_nonzero
        return is_nonzero(self)  # type: ignore[arg-type]

    def reshape_as(self, other: Any) -> Tensor:
        return _make_f().reshape(self, other._data.shape)

    def _new(self, fill: Any, size: Any, dtype: Any, requires_grad: _Bool) -> Tensor:
        from .tensor import _make
        shape = tuple(size[0]) if len(size) == 1 and isinstance(size[0], (tuple, list)) else size
        d = self._data.dtype if dtype is None else _dtype.as_dtype(dtype)
        t = _make(np.empty(shape, d) if fill is None else np.full(shape, fill, d))
        return t.requires_grad_(True) if requires_grad else t

    def new_zeros(self, *size: Any, dtype: Any = None, device: Any = None,
                  requires_grad: _Bool = False) -> Tensor:
        """Zeros of ``size`` with this tensor's dtype (and device)."""
        return self._new(0, size, dtype, requires_grad)

    def new_ones(self, *size: Any, dtype: Any = None, device: Any = None,
                 requires_grad: _Bool = False) -> Tensor:
        return self._new(1, size, dtype, requires_grad)

    def new_empty(self, *size: Any, dtype: Any = None, device: Any = None,
                  requires_grad: _Bool = False) -> Tensor:
        return self._new(None, size, dtype, requires_grad)

    def new_full(self, size: Any, fill_value: Any, *, dtype: Any = None, device: Any = None,
                 requires_grad: _Bool = False) -> Tensor:
        return self._new(fill_value, (size,), dtype, requires_grad)

    def new_tensor(self, data: Any, *, dtype: Any = None, device: Any = None,
                   requires_grad: _Bool = False) -> Tensor:
        """A new tensor from ``data`` with this tensor's dtype unless given."""
        from .tensor import Tensor
        d = self._data.dtype if dtype is None else dtype
        return Tensor(data, dtype=d, requires_grad=requires_grad)

    # ---- Python and NumPy protocols ---------------------------------------------------------
    def __format__(self, spec: str) -> str:
        """A 0-d tensor formats as its number (``f"{loss:.4f}"``); others only without a spec,
        as PyTorch."""
        if self._data.ndim == 0:
            return format(self.item(), spec)
        if spec:
            raise TypeError("unsupported format string passed to Tensor.__format__; a spec "
                            "such as '.4f' needs a 0-d tensor (use t.item() or t.squeeze())")
        return str(self)

    def __array_wrap__(self, array: np.ndarray, context: Any = None,
                       return_scalar: _Bool = False) -> Any:
        """``np.exp(t)`` returns a Tensor, as PyTorch (refused when an input requires grad:
        NumPy cannot record the graph; use ``chainrule.exp``)."""
        if context is not None and any(isinstance(a, TensorConvert) and a.requires_grad
                                       for a in context[1]):
            raise RuntimeError(f"{context[0].__name__}: a NumPy function got a tensor that "
                               "requires grad, which NumPy cannot differentiate; use the "
                               "chainrule function (chainrule.exp, ...) or tensor.detach()")
        from .tensor import _make
        return _make(np.asarray(array))
