"""The Tensor's in-place operations: ``add_``, ``zero_``, ``-=``, ``x[i] = v`` ...

Outside the graph (``no_grad``, or nothing requires grad) they change ``._data`` directly
(optimizer updates, initialisation); inside it they are recorded as PyTorch records them
(``chainrule.autograd.inplace``); on a leaf that requires grad they raise, as PyTorch.
Each bumps the version counter: a backward that saved the old values then raises.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

T = TypeVar("T", bound="TensorInplace")


_STATE: Any = None  # autograd.grad_mode.state (imported on first use: it imports this module)


def _graph(t: Any, *others: Any) -> bool:
    """Whether an in-place op on ``t`` with ``others`` must be recorded in the graph."""
    global _STATE
    if _STATE is None:
        from .autograd.grad_mode import state
        _STATE = state
    if not _STATE.enabled:
        return False
    if t.requires_grad:
        return True
    return any(isinstance(o, TensorInplace) and o.requires_grad for o in others)  # type: ignore


def _ip() -> Any:
    """``chainrule.autograd.inplace`` (imported on first use: it imports this module)."""
    from .autograd import inplace
    return inplace


def _ops() -> Any:
    from . import _tensor_ops
    return _tensor_ops.F


def _make_t(a: np.ndarray) -> Any:
    from .tensor import _make
    return _make(a)


class TensorInplace:
    """Mixin of :class:`~chainrule.Tensor`: in-place updates with version counting."""

    __slots__ = ()
    if TYPE_CHECKING:
        _data: np.ndarray
        requires_grad: bool
        grad_fn: Any
        _version: list[int] | None

    def _inplace(self, where: str) -> np.ndarray:
        from .autograd.grad_mode import state
        if self.requires_grad and state.enabled:  # methods not routed through _rec
            from .autograd.inplace import leaf_error
            if self.grad_fn is None:
                raise leaf_error(where)
            raise RuntimeError(f"{where}: a tensor in the graph is used in an in-place operation "
                               "that chainrule does not record; use the out-of-place op")
        if self._version is not None:
            self._version[0] += 1
        return self._data

    def _failed(self, where: str, other: Any) -> ValueError:
        """An in-place op raised before writing: take back its version bump, name the shapes."""
        if self._version is not None:
            self._version[0] -= 1
        return ValueError(f"{where}: expected a value broadcastable to {self._data.shape}, "
                          f"got shape {np.shape(other)}")

    def add_(self: T, other: Any, alpha: float = 1) -> T:
        if _graph(self, other):
            return _ip().record(self, "add_", lambda s: _ops().add(s, other, alpha))  # type: ignore
        o = other._data if isinstance(other, TensorInplace) else other
        d = self._inplace("add_")
        try:
            np.add(d, o if alpha == 1 else np.multiply(o, alpha), out=d, casting="unsafe")
        except ValueError:
            raise self._failed("add_", o) from None
        return self

    def sub_(self: T, other: Any, alpha: float = 1) -> T:
        if _graph(self, other):
            return _ip().record(self, "sub_", lambda s: _ops().sub(s, other, alpha))  # type: ignore
        return self.add_(other, alpha=-alpha)

    def mul_(self: T, other: Any) -> T:
        if _graph(self, other):
            return _ip().record(self, "mul_", lambda s: _ops().mul(s, other))  # type: ignore
        d = self._inplace("mul_")
        o = other._data if isinstance(other, TensorInplace) else other
        try:
            np.multiply(d, o, out=d, casting="unsafe")
        except ValueError:
            raise self._failed("mul_", o) from None
        return self

    def div_(self: T, other: Any) -> T:
        if _graph(self, other):
            return _ip().record(self, "div_", lambda s: _ops().div(s, other))  # type: ignore
        d = self._inplace("div_")
        o = other._data if isinstance(other, TensorInplace) else other
        try:
            np.divide(d, o, out=d, casting="unsafe")
        except ValueError:
            raise self._failed("div_", o) from None
        return self

    def zero_(self: T) -> T:
        if _graph(self):
            return _ip().overwrite(self, "zero_", 0)
        self._inplace("zero_")[...] = 0
        return self

    def fill_(self: T, value: Any) -> T:
        if _graph(self, value):
            return _ip().overwrite(self, "fill_", value)
        self._inplace("fill_")[...] = value._data if isinstance(value, TensorInplace) else value
        return self

    def copy_(self: T, src: Any) -> T:
        if _graph(self, src):
            return _ip().overwrite(self, "copy_", src)
        s = src._data if isinstance(src, TensorInplace) else np.asarray(src)
        try:
            s = np.broadcast_to(s, self._data.shape)
        except ValueError:
            raise ValueError(f"copy_: expected a source broadcastable to {self._data.shape}, got "
                             f"shape {s.shape}") from None
        np.copyto(self._inplace("copy_"), s, casting="unsafe")
        return self

    def clamp_(self: T, min: Any = None, max: Any = None) -> T:  # noqa: A002
        if _graph(self, min, max):
            return _ip().record(self, "clamp_", lambda s: _ops().clamp(s, min, max))  # type: ignore
        d = self._inplace("clamp_")
        np.clip(d, min, max, out=d)
        return self

    def __iadd__(self: T, other: Any) -> T:
        return self.add_(other)

    def __isub__(self: T, other: Any) -> T:
        return self.sub_(other)

    def __imul__(self: T, other: Any) -> T:
        return self.mul_(other)

    def __itruediv__(self: T, other: Any) -> T:
        return self.div_(other)

    def __iand__(self: T, other: Any) -> T:
        return self.bitwise_and_(other)  # type: ignore[attr-defined,no-any-return]

    def __ior__(self: T, other: Any) -> T:
        return self.bitwise_or_(other)  # type: ignore[attr-defined,no-any-return]

    def __ixor__(self: T, other: Any) -> T:
        return self.bitwise_xor_(other)  # type: ignore[attr-defined,no-any-return]

    def __ilshift__(self: T, other: Any) -> T:
        return self.bitwise_left_shift_(other)  # type: ignore[attr-defined,no-any-return]

    def __irshift__(self: T, other: Any) -> T:
        return self.bitwise_right_shift_(other)  # type: ignore[attr-defined,no-any-return]

    def __setitem__(self, index: Any, value: Any) -> None:
        idx = index._data if isinstance(index, TensorInplace) else index
        if _graph(self, value):
            _ip().setitem(self, idx, value)
            return
        d = self._inplace("__setitem__")
        try:
            d[idx] = value._data if isinstance(value, TensorInplace) else value
        except (IndexError, ValueError):
            if self._version is not None:
                self._version[0] -= 1  # nothing was written
            raise


    # ---- random fills (initialisation: ``w.data.normal_(0, 0.01)``) ---------------------------
    def normal_(self: T, mean: float = 0.0, std: float = 1.0, *, generator: Any = None) -> T:
        """Fill with N(mean, std²) samples (from ``generator`` or the default one)."""
        from .random import _rng
        if _graph(self):
            values = _rng(generator).normal(mean, std, self._data.shape)
            return _ip().overwrite(self, "normal_", None, values)  # type: ignore[no-any-return]
        d = self._inplace("normal_")
        d[...] = _rng(generator).normal(mean, std, d.shape)
        return self

    def uniform_(self: T, a: float = 0.0, b: float = 1.0, *, generator: Any = None) -> T:
        """Fill with U(a, b) samples (PyTorch names the bounds ``from`` and ``to``)."""
        from .random import _rng
        if _graph(self):
            values = _rng(generator).uniform(a, b, self._data.shape)
            return _ip().overwrite(self, "uniform_", None, values)  # type: ignore[no-any-return]
        d = self._inplace("uniform_")
        d[...] = _rng(generator).uniform(a, b, d.shape)
        return self

    def detach_(self: T) -> T:
        """Cut this tensor from the graph in place (it becomes a leaf without grad)."""
        self.grad_fn = None
        self.requires_grad = False
        return self

    def fill_diagonal_(self: T, fill_value: Any, wrap: bool = False) -> T:
        if _graph(self):
            mask = np.zeros(self._data.shape, np.bool_)
            np.fill_diagonal(mask, True, wrap=wrap)
            fill = (lambda s: _ops().masked_fill(s, _make_t(mask), fill_value))  # noqa: E731
            return _ip().record(self, "fill_diagonal_", fill)  # type: ignore[no-any-return]
        np.fill_diagonal(self._inplace("fill_diagonal_"), fill_value, wrap=wrap)
        return self

    def masked_fill_(self: T, mask: Any, value: Any) -> T:
        """Set the elements where ``mask`` is true to ``value``."""
        m = mask._data if isinstance(mask, TensorInplace) else np.asarray(mask)
        if m.dtype != np.bool_:
            raise TypeError(f"masked_fill_: expected a bool mask, got dtype {m.dtype}")
        if _graph(self, value):
            fill = (lambda s: _ops().masked_fill(s, _make_t(m), value))  # noqa: E731
            return _ip().record(self, "masked_fill_", fill)  # type: ignore[no-any-return]
        d = self._inplace("masked_fill_")
        v = value._data if isinstance(value, TensorInplace) else value
        np.copyto(d, v, where=np.broadcast_to(m, d.shape), casting="unsafe")
        return self

    def _apply_inplace(self: T, where: str, fn: Any, *args: Any, **kwargs: Any) -> T:
        """``fn(self, ...)`` written into this tensor, recorded in the graph when needed (for
        ``F.relu_``-style functions: ``copy_(fn(x))`` would change what ``fn`` saved)."""
        if _graph(self, *args, *kwargs.values()):  # fn may be composite: it reads a copy
            from .tensor import _make
            def run(s: Any) -> Any:
                return fn(_make(s._data.copy(), s.grad_fn, s.requires_grad), *args, **kwargs)
            return _ip().record(self, where, run)  # type: ignore[no-any-return]
        from .autograd.grad_mode import no_grad
        with no_grad():
            r = fn(self, *args, **kwargs)
        return self.copy_(r)

    def _compute_inplace(self: T, name: str, *args: Any, **kwargs: Any) -> T:
        """``x.exp_()`` and friends: the function's result written into this tensor's array."""
        from . import _tensor_ops
        from .autograd.grad_mode import no_grad
        if _graph(self, *args, *kwargs.values()):
            fn = getattr(_tensor_ops.F, name)
            return _ip().record(self, f"{name}_", lambda s: fn(s, *args, **kwargs))  # type: ignore
        with no_grad():
            r = getattr(_tensor_ops.F, name)(self, *args, **kwargs)._data
        d = self._data
        if d.dtype.kind in "iub" and r.dtype.kind == "f" or d.dtype.kind == "b" != r.dtype.kind:
            raise RuntimeError(f"{name}_: result type {r.dtype} can't be cast to the desired "
                               f"output type {d.dtype}")
        if r.shape != d.shape:
            raise ValueError(f"{name}_: expected a result of shape {d.shape}, got {r.shape}")
        np.copyto(self._inplace(f"{name}_"), r, casting="unsafe")
        return self


def _inplace_method(name: str) -> Any:
    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        return self._compute_inplace(name, *args, **kwargs)
    method.__name__ = method.__qualname__ = f"{name}_"
    method.__doc__ = f"In place: ``x.{name}_(...)`` sets x to ``x.{name}(...)`` (no graph)."
    return method


for _name in ("abs neg exp exp2 expm1 log log1p log2 log10 sqrt rsqrt sin cos tan sinh cosh "
              "tanh asin acos atan sigmoid relu floor ceil round trunc frac reciprocal square "
              "pow clamp_min clamp_max sign lerp fmod remainder tril triu cumsum erf "
              "scatter scatter_add "
              "acosh asinh atanh arcsin arccos arctan arcsinh arccosh arctanh absolute negative "
              "deg2rad rad2deg fix exp2 erfc sinc xlogy nan_to_num ldexp copysign hypot atan2 "
              "arctan2 true_divide divide multiply subtract float_power cumprod addmm addmv "
              "addbmm baddbmm addr addcmul addcdiv logical_and logical_or logical_xor logical_not "
              "eq ne lt le gt ge greater greater_equal less less_equal not_equal heaviside gcd lcm "
              "bitwise_and bitwise_or bitwise_xor bitwise_not bitwise_left_shift "
              "bitwise_right_shift floor_divide "
              "nextafter renorm sgn masked_scatter put index_add index_copy index_fill index_put "
              "index_reduce scatter_reduce").split():
    setattr(TensorInplace, f"{_name}_", _inplace_method(_name))


def _reshape_inplace(name: str) -> Any:
    def method(self: Any, *args: Any) -> Any:
        from . import _tensor_ops
        if _graph(self):  # the tensor becomes the view (no values change)
            from .autograd import inplace
            inplace.check(self, f"{name}_")
            r = getattr(_tensor_ops.F, name)(self, *args)
            self._data, self.grad_fn = r._data, r.grad_fn
            if self._version is not None:
                self._version[0] += 1
            return self
        new = getattr(_tensor_ops.F, name)(self.detach(), *args)._data
        self._inplace(f"{name}_")
        self._data = new  # the same memory, another shape (a view), as PyTorch
        return self
    method.__name__ = method.__qualname__ = f"{name}_"
    method.__doc__ = f"In place: this tensor takes the shape of ``x.{name}(...)``."
    return method


for _name in "unsqueeze squeeze t transpose swapaxes swapdims".split():
    setattr(TensorInplace, f"{_name}_", _reshape_inplace(_name))
TensorInplace.clip_ = TensorInplace.clamp_  # type: ignore[attr-defined]

