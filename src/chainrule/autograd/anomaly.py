"""Anomaly mode: the first op whose output or gradient is NaN or infinite raises, naming your line.

Off by default and free when off: ``Function.apply`` and the engine read one
flag. When on, every op remembers the line of user code that created it (the
first stack frame outside chainrule) and checks its forward output; the engine
checks every gradient a node's backward returns. Errors raised inside a
backward get a note with the line that created the node.
"""
from __future__ import annotations

import functools
from typing import Any, Callable, TypeVar

import numpy as np

from ..lint._where import describe, user_site

F = TypeVar("F", bound=Callable[..., Any])


class _State:
    __slots__ = ("on", "check_nan", "np_err")

    def __init__(self) -> None:
        self.on = False
        self.check_nan = True
        self.np_err: Any = None  # NumPy's error state before checking began


state = _State()


def _switch(on: bool, check_nan: bool) -> None:
    """Set the mode; while checking, NumPy's floating-point warnings are off (the anomaly
    error names the op instead of NumPy's RuntimeWarning)."""
    checking, was = on and check_nan, state.on and state.check_nan
    if checking and not was:
        state.np_err = np.seterr(all="ignore")
    elif was and not checking and state.np_err is not None:
        np.seterr(**state.np_err)
        state.np_err = None
    state.on, state.check_nan = on, check_nan


def is_anomaly_enabled() -> bool:
    """Whether anomaly mode is on."""
    return state.on


def is_anomaly_check_nan_enabled() -> bool:
    """Whether anomaly mode checks for NaN and infinite values (``check_nan``)."""
    return state.check_nan


class detect_anomaly:  # noqa: N801  (PyTorch's name)
    """Context manager and decorator: raise at the first op that makes a NaN or an infinity.

    The RuntimeError names the op (``Log``), forward or backward, the shapes, how
    many elements are bad, and the line of your code that created the op. With
    ``check_nan=False`` ops only remember their line (errors in backward name it).
    Costs: see the module docstring of :mod:`chainrule.autograd.anomaly`.

    Example
    -------
    >>> import chainrule as cr
    >>> x = cr.tensor([1.0, -1.0], requires_grad=True)
    >>> with cr.autograd.detect_anomaly():
    ...     try:
    ...         y = x.log()
    ...     except RuntimeError as e:
    ...         print(str(e).split(":")[0])
    Log
    """

    def __init__(self, check_nan: bool = True) -> None:
        self.check_nan = bool(check_nan)

    def __enter__(self) -> None:
        self._prev = (state.on, state.check_nan)
        _switch(True, self.check_nan)

    def __exit__(self, *exc: object) -> None:
        _switch(*self._prev)

    def __call__(self, fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with detect_anomaly(self.check_nan):
                return fn(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


class set_detect_anomaly:  # noqa: N801
    """Switch anomaly mode on or off: as a call (at once, as PyTorch) or a context manager.

    Example
    -------
    >>> import chainrule as cr
    >>> _ = cr.autograd.set_detect_anomaly(True); cr.autograd.is_anomaly_enabled()
    True
    >>> _ = cr.autograd.set_detect_anomaly(False); cr.autograd.is_anomaly_enabled()
    False
    """

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        self._prev = (state.on, state.check_nan)
        _switch(bool(mode), bool(check_nan))

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc: object) -> None:
        _switch(*self._prev)


def _bad(a: Any) -> tuple[int, int, int] | None:
    """(NaN count, inf count, size) of a float array with non-finite values, else None."""
    if not isinstance(a, np.ndarray) or a.dtype.kind not in "fc":
        return None
    with np.errstate(all="ignore"):
        if np.isfinite(a).all():
            return None
        nan = int(np.isnan(a).sum())
    return nan, int(a.size - nan - np.isfinite(a).sum()), int(a.size)


def _count(bad: tuple[int, int, int]) -> str:
    nan, inf, size = bad
    parts = [f"{nan} NaN" if nan else "", f"{inf} inf" if inf else ""]
    return " and ".join(p for p in parts if p) + f" of {size} elements"


def forward(ctx: Any, name: str, arrays: list[Any], out: np.ndarray) -> None:
    """Called by ``Function.apply`` in anomaly mode: remember the line, check the output."""
    site = ctx._anomaly_site = user_site(3)
    if not state.check_nan:
        return
    bad = _bad(out)
    if bad is None:
        return
    shapes = ", ".join(str(np.shape(a)) for a in arrays)
    inputs = [(i, b) for i, b in ((i, _bad(a)) for i, a in enumerate(arrays)) if b is not None]
    if inputs:
        i, b = inputs[0]
        origin = (f"; its input {i} already holds non-finite values ({_count(b)}): it was made "
                  "outside anomaly mode, or is data (check the inputs)")
    else:
        origin = " from finite inputs"
    raise RuntimeError(
        f"{name}: forward produced non-finite values ({_count(bad)}) in its output of shape "
        f"{out.shape} (inputs of shapes {shapes}){origin}; the op was created at "
        f"{describe(site)}")


def backward(node: Any, grad_out: np.ndarray, grads: Any) -> None:
    """Called by the engine in anomaly mode after ``node.backward``: check each gradient."""
    if not state.check_nan:
        return
    for i, gi in enumerate(grads):
        bad = _bad(gi)
        if bad is None:
            continue
        up = _bad(grad_out)
        upstream = (f"the upstream gradient (shape {grad_out.shape}) already holds non-finite "
                    f"values ({_count(up)})" if up is not None else
                    f"from a finite upstream gradient of shape {grad_out.shape}")
        raise RuntimeError(
            f"{node.name}: backward produced non-finite values ({_count(bad)}) in the gradient "
            f"for its input {i} (shape {np.shape(gi)}), {upstream}; the op was created at "
            f"{where(node)}")


def where(node: Any) -> str:
    """The user's line that created ``node`` (known when it was built in anomaly mode)."""
    if "_anomaly_site" not in node.__dict__:
        return "an unknown line (build the graph inside detect_anomaly() to see it)"
    return describe(node.__dict__["_anomaly_site"])


def note_backward_error(node: Any, exc: BaseException) -> None:
    """Add the line that created ``node`` to an exception raised by its backward."""
    add_note = getattr(exc, "add_note", None)  # Python 3.11+
    if "_anomaly_site" in node.__dict__ and add_note is not None:
        add_note(f"anomaly mode: the failing backward belongs to {node.name}, created at "
                 f"{where(node)}")
