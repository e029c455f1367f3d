"""Function: one node of the computational graph, forward and backward side by side.

A subclass writes ``forward(ctx, *arrays, **options) -> ndarray`` and right
below it ``backward(ctx, grad_out) -> gradient per input``, both on plain
NumPy arrays. ``apply`` runs forward and, when any input requires grad and
grad mode is on, records the node: its parents (``next``), what forward saved
and the version of each saved tensor.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from . import graph as _graph
from .anomaly import forward as _anomaly_forward
from .anomaly import state as _anomaly
from .grad_mode import state as _state

from ..tensor import Tensor, _make


class _Freed(tuple):  # type: ignore[type-arg]
    """Marks a node whose saved arrays were released by backward."""


FREED = _Freed()


class Function:
    """Base class of graph nodes (``Tensor.grad_fn`` is an instance).

    Example
    -------
    >>> import numpy as np, chainrule as cr
    >>> class Square(cr.Function):
    ...     '''y = x**2; dy/dx = 2x'''
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return x * x
    ...     @staticmethod
    ...     def backward(ctx, grad_out):
    ...         (x,) = ctx.saved_arrays
    ...         return (2 * x * grad_out,)
    >>> x = cr.tensor([3.0], requires_grad=True)
    >>> Square.apply(x).sum().backward(); x.grad
    tensor([6.])
    """

    # next: per positional input, its grad_fn, the leaf Tensor itself, or None.
    __slots__ = ("next", "saved_arrays", "shape", "dtype",
                 "_versions", "_hooks", "_kept", "__dict__", "__weakref__")
    next: tuple[Any, ...]
    saved_arrays: tuple[Any, ...]
    shape: tuple[int, ...]
    dtype: np.dtype
    _versions: list[tuple[list[Any], int, int, Any]] | None  # see _saved_versions
    _hooks: list[Any] | None
    _kept: tuple[Any, ...] | None  # saved arrays kept after backward for explain (engine)
    # per saved array: the input whose gradient alone needs it (None: always needed); a saved
    # input is then version-checked only when that gradient is computed, as PyTorch saves
    # ``other`` of ``self * other`` only when ``self`` requires grad
    _saved_for: tuple[int | None, ...] | None = None

    def save_for_backward(self, *arrays: Any) -> None:
        """Keep arrays for backward; they are released after it (unless retain_graph)."""
        self.saved_arrays = arrays

    @staticmethod
    def forward(ctx: Any, *args: Any, **kwargs: Any) -> np.ndarray:
        raise NotImplementedError

    @staticmethod
    def backward(ctx: Any, grad_out: np.ndarray) -> tuple[np.ndarray | None, ...]:
        raise NotImplementedError

    @property
    def needs_input_grad(self) -> list[bool]:
        """Per positional input: whether backward must compute its gradient."""
        return [p is not None for p in self.next]

    @property
    def name(self) -> str:
        return type(self).__name__

    @property
    def next_functions(self) -> tuple[Any, ...]:
        """Parents as PyTorch names them: grad_fn nodes or leaf tensors (None if no grad)."""
        return getattr(self, "next", ())

    def __repr__(self) -> str:
        return f"<{type(self).__name__}Backward>"

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        """Run forward on the inputs' arrays; record the node when grad is needed."""
        ctx = cls.__new__(cls)
        ctx.saved_arrays = ()
        arrays = []
        parents = []  # per input: its grad_fn, the leaf itself, or None (no gradient wanted)
        grad = False
        partial = False  # some input wants no gradient
        for a in args:
            if isinstance(a, Tensor):
                arrays.append(a._data)
                if a.requires_grad:
                    grad = True
                    parents.append(a.grad_fn or a)
                else:
                    parents.append(None)
                    partial = True
            else:  # a NumPy scalar acts as a Python one (x * np.float64(2) stays float32)
                arrays.append(a.item() if isinstance(a, np.generic) else a)
                parents.append(None)
                partial = True
        try:
            out = cls.forward(ctx, *arrays, **kwargs)
        except ValueError as exc:
            msg = cls.explain_error(arrays, kwargs, exc)
            if msg is not None:
                raise ValueError(msg) from None
            axis, ndim = getattr(exc, "axis", None), getattr(exc, "ndim", None)
            if axis is None or ndim is None:  # not NumPy's AxisError
                raise
            raise IndexError(f"{cls.__name__.lower()}: expected dim in [{-ndim}, {ndim - 1}], "
                             f"got {axis}") from None
        if type(out) is not np.ndarray:  # NumPy returns scalars for 0-d results
            out = np.asarray(out)
        if _anomaly.on:  # detect_anomaly(): remember the user's line, check the output
            _anomaly_forward(ctx, cls.__name__, arrays, out)
        if not (grad and _state.enabled):
            return _make(out)
        # record the node: parents, output shape/dtype, versions of the saved tensors
        ctx.next = tuple(parents)
        ctx.shape = out.shape
        ctx.dtype = out.dtype
        ctx._hooks = None
        result = _make(out, ctx, True)
        if _graph.state.on:  # chainrule.autograd.graph.record(): keep values for explain/viz
            _graph.keep(ctx, args, result)
        saved = ctx.saved_arrays
        if saved:
            versions = _saved_versions(saved, args, out, result)
            if partial and versions and cls._saved_for is not None:
                versions = _needed(versions, cls._saved_for, ctx.next)
            ctx._versions = versions
        else:
            ctx._versions = None
        return result

    @classmethod
    def explain_error(cls, arrays: list[Any], kwargs: dict[str, Any],
                      exc: Exception) -> str | None:
        """Turn NumPy's ValueError into the library's message (None keeps NumPy's)."""
        return None


def _needed(versions: list[Any], saved_for: tuple[int | None, ...],
            parents: tuple[Any, ...]) -> list[Any] | None:
    """The entries of ``versions`` whose array a gradient to be computed reads."""
    kept = [v for v in versions if (k := saved_for[v[2]]) is None or parents[k] is not None]
    return kept or None


def _saved_versions(saved: tuple[Any, ...], args: tuple[Any, ...], out: np.ndarray,
                    result: Any) -> list[tuple[list[Any], int, int, Any]]:
    """Per input or output tensor whose array was saved: (its version counter, its version
    now, the index in ``saved``, its grad_fn then, or True for this node's output)."""
    versions = []
    i = 0  # (no enumerate, no helper call: this runs for every recorded op that saves)
    for s in saved:
        if s is out:
            t = result
            src = True
        else:
            for t in args:
                if (t.__class__ is Tensor or isinstance(t, Tensor)) and t._data is s:
                    src = t.grad_fn
                    break
            else:
                i += 1
                continue
        vc = t._version
        if vc is None:
            vc = t._version = [0]
        versions.append((vc, vc[0], i, src))
        i += 1
    return versions

