"""The linter's switch and its one way of speaking: a LintWarning at the user's line."""
from __future__ import annotations

import warnings
from typing import Any

from ._where import user_frame


class LintWarning(UserWarning):
    """A likely mistake in a training loop, found by chainrule's linter.

    Each warning names the mistake, points at the user's line and says the fix.
    Silence one with the ``warnings`` filters (e.g. ``warnings.filterwarnings(
    "ignore", category=chainrule.LintWarning, message=".*zero_grad")``), all with
    ``chainrule.set_lint(False)``.

    Example
    -------
    >>> import chainrule as cr
    >>> issubclass(cr.LintWarning, UserWarning)
    True
    """

    __module__ = "chainrule"  # shown as chainrule.LintWarning, the public name


class _State:
    """``on``: the linter's switch, read by the hooks in nn, optim and train (one flag check)."""

    __slots__ = ("on", "backwards", "zero_grads", "losses", "last_output", "eval_call")

    def __init__(self) -> None:
        self.on = True
        self.backwards = 0  # backward() calls so far (engine)
        self.zero_grads = 0  # zero_grad() calls so far (optimizers and modules)
        self.losses = 0  # loss-module calls so far
        self.last_output: Any = None  # weakref to the grad_fn of the latest loss input
        self.eval_call: Any = None  # (module, site, losses): Dropout/BatchNorm, eval, grad on


state = _State()


def set_lint(mode: bool) -> None:
    """Switch the training-loop linter on (the default) or off.

    Example
    -------
    >>> import chainrule as cr
    >>> cr.set_lint(False); cr.is_lint_enabled()
    False
    >>> cr.set_lint(True)
    """
    state.on = bool(mode)


def is_lint_enabled() -> bool:
    """Whether the training-loop linter is on."""
    return state.on


def warn(message: str) -> None:
    """Emit ``message`` as a LintWarning attributed to the user's line (once per line)."""
    _, level = user_frame(1)
    warnings.warn(message, LintWarning, stacklevel=level)
