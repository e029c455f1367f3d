"""Tensor: an n-dimensional array that can record how it was computed.

A Tensor wraps a NumPy array (``._data``). When it requires grad, every op on
it records a :class:`~chainrule.autograd.Function` node (``.grad_fn``), and
``backward()`` walks those nodes in reverse to fill ``.grad`` of the leaves.
The math ops themselves live in ``chainrule.ops``; ``_tensor_ops`` gives the
Tensor its methods and operators.
"""
from __future__ import annotations

from typing import Any, Callable, Iterator, Literal

import numpy as np

from . import _dtype
from ._size import Size
from ._tensor_convert import TensorConvert
from ._tensor_inplace import TensorInplace
from ._tensor_ops import TensorOps

_DTYPES = _dtype._BY_NP  # NumPy dtype -> chainrule dtype, for Tensor.dtype


_new_size = tuple.__new__


def _make(data: np.ndarray, grad_fn: Any = None, requires_grad: bool = False) -> Tensor:
    """Fast internal constructor: no conversion, no checks."""
    t = Tensor.__new__(Tensor)
    t._data = data
    t.grad = None
    t.grad_fn = grad_fn
    t.requires_grad = requires_grad
    t._version = None
    t._hooks = None
    t.name = None
    return t


def _as_array(data: Any, dtype: Any = None) -> np.ndarray:
    if isinstance(data, Tensor):
        data = data._data
    if dtype is not None:
        return np.array(data, dtype=_dtype.as_dtype(dtype))
    if isinstance(data, (np.ndarray, np.generic)):
        return np.array(data)
    arr = np.array(data)
    if arr.dtype == np.float64:  # Python floats become the default dtype, as PyTorch
        arr = arr.astype(_dtype.float_dtype())
    elif arr.dtype.kind == "i" and arr.dtype != np.int64:
        arr = arr.astype(np.int64)
    elif arr.dtype.kind not in "fiub":
        raise TypeError(f"tensor: expected numbers, nested lists of numbers or an array, "
                        f"got {type(data).__name__} of dtype {arr.dtype}")
    return arr


def _engine() -> Any:
    """The backward engine (imported on first use: it imports this module)."""
    global _ENGINE
    if _ENGINE is None:
        from .autograd import engine
        _ENGINE = engine
    return _ENGINE


_ENGINE: Any = None


def _floatmode(data: np.ndarray) -> Literal["maxprec", "fixed"]:
    """As PyTorch prints: ``1., 2.`` for whole numbers, else 4 decimals (``1.5000``)."""
    if data.dtype.kind != "f" or data.size == 0:
        return "maxprec"
    finite = data[np.isfinite(data)]
    return "maxprec" if np.array_equal(finite, np.round(finite)) else "fixed"


class Tensor(TensorOps, TensorInplace, TensorConvert):
    """An array with optional gradient tracking (``requires_grad``).

    Shape
    -----
    Any shape, 0-d included; ``.shape`` is a :class:`~chainrule.Size` (a tuple of ints).

    Example
    -------
    >>> import chainrule as cr
    >>> x = cr.tensor([1.0, 2.0], requires_grad=True)
    >>> (x * x).sum().backward(); x.grad
    tensor([2., 4.])
    """

    __slots__ = ("_data", "grad", "grad_fn", "requires_grad", "_version", "_hooks", "name",
                 "__weakref__")
    __array_priority__ = 1000  # ndarray (op) Tensor defers to the Tensor

    def __init__(self, data: Any, dtype: Any = None, requires_grad: bool = False,
                 name: str | None = None) -> None:
        self._data = _as_array(data, dtype)
        self.grad: Tensor | None = None
        self.grad_fn: Any = None
        self.requires_grad = False
        self._version: list[int] | None = None
        self._hooks: list[Callable[..., Any]] | None = None
        self.name = name
        if requires_grad:
            self.requires_grad_(True)

    # ---- attributes ----------------------------------------------------------------
    @property
    def data(self) -> Tensor:
        """This tensor's storage as a detached Tensor, as PyTorch's ``.data``.

        In-place ops on it change this tensor's values but bypass autograd and the
        version counter; ``t.data = other`` swaps the storage. ``.numpy()`` gives the array.
        """
        return _make(self._data)

    @data.setter
    def data(self, value: Any) -> None:
        if isinstance(value, Tensor):
            if self.requires_grad and value._data.dtype.kind != "f":
                raise RuntimeError("data: a tensor that requires gradients must stay floating "
                                   f"point, got dtype {value._data.dtype}")
            self._data = value._data
        elif isinstance(value, np.ndarray):
            self._data = value
        else:
            raise TypeError(f"data: expected a Tensor, got {type(value).__name__}")

    @property
    def shape(self) -> Size:
        return _new_size(Size, self._data.shape)  # NumPy's shape is ints already: no checks

    @property
    def ndim(self) -> int:
        return self._data.ndim

    @property
    def dtype(self) -> _dtype.dtype:
        d = self._data.dtype
        return _DTYPES.get(d) or _dtype.of(d)

    @property
    def is_leaf(self) -> bool:
        return self.grad_fn is None

    def dim(self) -> int:
        return self._data.ndim

    def size(self, dim: int | None = None) -> Any:
        return _new_size(Size, self._data.shape) if dim is None else self._data.shape[dim]

    def numel(self) -> int:
        return int(self._data.size)

    def item(self) -> Any:
        if self._data.size != 1:
            raise ValueError(f"item: expected a tensor with one element, got shape {self.shape}")
        return self._data.item()

    def numpy(self, *, force: bool = False) -> np.ndarray:
        """The array itself (shared memory); ``force=True`` detaches a tensor that needs grad."""
        if self.requires_grad and not force:
            raise RuntimeError("numpy: can't call numpy() on a tensor that requires grad; "
                               "use tensor.detach().numpy()")
        return self._data

    def tolist(self) -> Any:
        return self._data.tolist()

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self._data)

    def __iter__(self) -> Iterator[Tensor]:
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(len(self._data)))

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self._data if dtype is None else self._data.astype(dtype)

    def __bool__(self) -> bool:
        if self._data.size != 1:
            raise RuntimeError(f"bool: the truth value of a tensor with shape {self.shape} is "
                               "ambiguous; use .any() or .all()")
        return bool(self._data)

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __index__(self) -> int:
        if self._data.dtype.kind not in "iu" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be used as an index")
        return int(self._data)

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        from ._extras import PRINT_OPTIONS as opt  # noqa: N811
        body = np.array2string(self._data, separator=", ", prefix="tensor(",
                               precision=opt["precision"], floatmode=_floatmode(self._data),
                               threshold=opt["threshold"], edgeitems=opt["edgeitems"],
                               max_line_width=opt["linewidth"],
                               suppress_small=opt["sci_mode"] is False or None)
        extras = []
        if self._data.dtype not in (_dtype.float_dtype(), np.int64, np.bool_) or \
                self._data.size == 0:
            extras.append(f"dtype=chainrule.{self._data.dtype}")
        if self.grad_fn is not None:
            extras.append(f"grad_fn={self.grad_fn!r}")
        elif self.requires_grad:
            extras.append("requires_grad=True")
        return "tensor(" + ", ".join([body, *extras]) + ")"

    # ---- autograd ----------------------------------------------------------------------
    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Set ``requires_grad`` in place (leaves only; float dtypes only)."""
        if requires_grad and self._data.dtype.kind != "f":
            raise TypeError(f"requires_grad: only floating point tensors can require "
                            f"gradients, got dtype {self._data.dtype}")
        if not requires_grad and self.grad_fn is not None:
            raise RuntimeError("requires_grad_: can only change it on leaf tensors; use "
                               "detach() to cut a non-leaf from the graph")
        self.requires_grad = bool(requires_grad)
        return self

    def detach(self) -> Tensor:
        """The same data (shared memory and version) outside the graph."""
        t = _make(self._data)
        if self._version is None:
            self._version = [0]
        t._version = self._version
        return t

    def backward(self, gradient: Any = None, retain_graph: bool = False) -> None:
        """Backpropagate from this tensor: accumulate d(self)/d(leaf) into each leaf's ``.grad``.

        Example
        -------
        >>> import chainrule as cr
        >>> w = cr.tensor(2.0, requires_grad=True)
        >>> ((w * 3) ** 2).backward(); w.grad    # d/dw (3w)^2 = 18w
        tensor(36.)
        """
        _engine().backward(self, gradient, retain_graph)

    def register_hook(self, hook: Callable[[Tensor], Tensor | None]) -> Callable[[], None]:
        """Call ``hook(grad)`` when this tensor's gradient is computed; a return replaces it.

        Returns a function that removes the hook.
        """
        if not self.requires_grad:
            raise RuntimeError("register_hook: expected a tensor that requires grad, got one "
                               "that does not")
        if self.grad_fn is None:
            self._hooks = (self._hooks or []) + [hook]
            entry: Any = hook
            owner: Any = self
        else:
            def entry(g: np.ndarray) -> np.ndarray | None:
                r = hook(_make(g))
                return None if r is None else (r._data if isinstance(r, Tensor) else np.asarray(r))
            owner = self.grad_fn
            owner._hooks = (owner._hooks or []) + [entry]

        def remove() -> None:
            owner._hooks = [h for h in owner._hooks or [] if h is not entry]
        remove.remove = remove  # type: ignore[attr-defined]  # handle.remove(), as PyTorch
        return remove

    def retain_grad(self) -> None:
        """Keep ``.grad`` of a non-leaf tensor after backward (leaves always keep it)."""
        if self.grad_fn is None:
            return
        import weakref
        ref = weakref.ref(self)

        def keep(g: np.ndarray) -> None:
            t = ref()
            if t is not None:
                t.grad = _make(np.array(g)) if t.grad is None else _make(t.grad._data + g)
        self.grad_fn._hooks = (self.grad_fn._hooks or []) + [keep]
