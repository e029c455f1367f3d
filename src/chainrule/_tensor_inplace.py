"""The Tensor's in-place operations: ``add_``, ``zero_``, ``-=``, ``x[i] = v`` ...

They change ``._data`` without recording a graph, so they are for leaves under
``no_grad`` (optimizer updates, initialisation). Each bumps the tensor's version
counter: a backward that saved the old values then raises instead of computing
a wrong gradient.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

T = TypeVar("T", bound="TensorInplace")


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
        if self.requires_grad and state.enabled:
            kind = "a leaf tensor" if self.grad_fn is None else "a tensor in the graph"
            raise RuntimeError(f"{where}: {kind} that requires grad is used in an in-place "
                               "operation; wrap it in `with chainrule.no_grad():`")
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
        o = other._data if isinstance(other, TensorInplace) else other
        d = self._inplace("add_")
        try:
            np.add(d, o if alpha == 1 else np.multiply(o, alpha), out=d, casting="unsafe")
        except ValueError:
            raise self._failed("add_", o) from None
        return self

    def sub_(self: T, other: Any, alpha: float = 1) -> T:
        return self.add_(other, alpha=-alpha)

    def mul_(self: T, other: Any) -> T:
        d = self._inplace("mul_")
        o = other._data if isinstance(other, TensorInplace) else other
        try:
            np.multiply(d, o, out=d, casting="unsafe")
        except ValueError:
            raise self._failed("mul_", o) from None
        return self

    def div_(self: T, other: Any) -> T:
        d = self._inplace("div_")
        o = other._data if isinstance(other, TensorInplace) else other
        try:
            np.divide(d, o, out=d, casting="unsafe")
        except ValueError:
            raise self._failed("div_", o) from None
        return self

    def zero_(self: T) -> T:
        self._inplace("zero_")[...] = 0
        return self

    def fill_(self: T, value: Any) -> T:
        self._inplace("fill_")[...] = value._data if isinstance(value, TensorInplace) else value
        return self

    def copy_(self: T, src: Any) -> T:
        s = src._data if isinstance(src, TensorInplace) else np.asarray(src)
        try:
            s = np.broadcast_to(s, self._data.shape)
        except ValueError:
            raise ValueError(f"copy_: expected a source broadcastable to {self._data.shape}, got "
                             f"shape {s.shape}") from None
        np.copyto(self._inplace("copy_"), s, casting="unsafe")
        return self

    def clamp_(self: T, min: Any = None, max: Any = None) -> T:  # noqa: A002
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
        d = self._inplace("normal_")
        d[...] = _rng(generator).normal(mean, std, d.shape)
        return self

    def uniform_(self: T, a: float = 0.0, b: float = 1.0, *, generator: Any = None) -> T:
        """Fill with U(a, b) samples (PyTorch names the bounds ``from`` and ``to``)."""
        from .random import _rng
        d = self._inplace("uniform_")
        d[...] = _rng(generator).uniform(a, b, d.shape)
        return self

    def detach_(self: T) -> T:
        """Cut this tensor from the graph in place (it becomes a leaf without grad)."""
        self.grad_fn = None
        self.requires_grad = False
        return self

    def fill_diagonal_(self: T, fill_value: Any, wrap: bool = False) -> T:
        np.fill_diagonal(self._inplace("fill_diagonal_"), fill_value, wrap=wrap)
        return self

    def masked_fill_(self: T, mask: Any, value: Any) -> T:
        """Set the elements where ``mask`` is true to ``value``."""
        m = mask._data if isinstance(mask, TensorInplace) else np.asarray(mask)
        if m.dtype != np.bool_:
            raise TypeError(f"masked_fill_: expected a bool mask, got dtype {m.dtype}")
        d = self._inplace("masked_fill_")
        v = value._data if isinstance(value, TensorInplace) else value
        np.copyto(d, v, where=np.broadcast_to(m, d.shape), casting="unsafe")
        return self

    def _compute_inplace(self: T, name: str, *args: Any, **kwargs: Any) -> T:
        """``x.exp_()`` and friends: the function's result written into this tensor's array."""
        from . import _tensor_ops
        from .autograd.grad_mode import no_grad
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
