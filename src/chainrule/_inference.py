"""``inference_mode``: PyTorch's faster ``no_grad`` for evaluation; here the same as no_grad."""
from __future__ import annotations

from typing import Any

from .autograd.grad_mode import _GradMode, state


class inference_mode(_GradMode):  # noqa: N801  (PyTorch's name)
    """Context manager and decorator: no graph is recorded inside (``mode=False``: no change).

    Example
    -------
    >>> import chainrule as cr
    >>> w = cr.ones(2, requires_grad=True)
    >>> with cr.inference_mode():
    ...     y = w * 2
    >>> y.requires_grad, cr.is_inference_mode_enabled()
    (False, False)
    """

    def __new__(cls, mode: Any = True) -> Any:
        self = object.__new__(cls)
        self._on = True
        return self(mode) if callable(mode) else self  # bare @inference_mode, as PyTorch

    def __init__(self, mode: bool = True) -> None:
        self._on = bool(mode)

    def __enter__(self) -> None:
        self._mode = state.enabled and not self._on
        _ACTIVE.append(self._on)
        super().__enter__()

    def __exit__(self, *exc: object) -> None:
        _ACTIVE.pop()
        super().__exit__(*exc)

    def __call__(self, fn: Any) -> Any:
        import functools

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with inference_mode(self._on):
                return fn(*args, **kwargs)
        return wrapper

    def clone(self) -> inference_mode:
        return inference_mode(self._on)


_ACTIVE: list[bool] = []


def is_inference_mode_enabled() -> bool:
    """Whether the innermost ``inference_mode`` block is on."""
    return bool(_ACTIVE and _ACTIVE[-1])


