"""Switching graph recording off and on: ``no_grad`` and ``enable_grad``."""
from __future__ import annotations

import functools
from typing import Any, Callable, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class _State:
    __slots__ = ("enabled",)

    def __init__(self) -> None:
        self.enabled = True


state = _State()


def is_grad_enabled() -> bool:
    """Whether operations are currently recorded for backward."""
    return state.enabled


class _GradMode:
    _mode = True

    def __new__(cls, *args: Any) -> Any:
        self = super().__new__(cls)
        if len(args) == 1 and callable(args[0]):  # @no_grad without parentheses, as PyTorch 2
            return self(args[0])
        return self

    def __enter__(self) -> None:
        self._prev = state.enabled
        state.enabled = self._mode

    def __exit__(self, *exc: object) -> None:
        state.enabled = self._prev

    def __call__(self, fn: F) -> F:
        mode = self._mode

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            prev = state.enabled
            state.enabled = mode
            try:
                return fn(*args, **kwargs)
            finally:
                state.enabled = prev

        return wrapper  # type: ignore[return-value]


class no_grad(_GradMode):  # noqa: N801  (PyTorch's name)
    """Context manager and decorator: operations inside record no graph.

    Example
    -------
    >>> import chainrule as cr
    >>> w = cr.ones(2, requires_grad=True)
    >>> with cr.no_grad():
    ...     y = w * 2
    >>> y.requires_grad
    False
    """

    _mode = False


class enable_grad(_GradMode):  # noqa: N801
    """Context manager and decorator: record the graph again inside ``no_grad``."""

    _mode = True


class set_grad_enabled(_GradMode):  # noqa: N801
    """Record the graph when ``mode`` is True: as a call (takes effect at once, as PyTorch),
    a context manager (restores the previous mode on exit) or a decorator."""

    def __init__(self, mode: bool) -> None:
        self._mode = bool(mode)
        self._prev = state.enabled
        state.enabled = self._mode

    def __enter__(self) -> None:
        pass

    def __call__(self, fn: F) -> F:
        state.enabled = self._prev  # as a decorator it only applies inside ``fn``
        return super().__call__(fn)
