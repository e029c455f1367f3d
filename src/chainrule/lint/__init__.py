"""A training-loop linter, on by default: likely mistakes become a :class:`LintWarning`.

Each check is a tiny hook behind one flag (``state.on``) in the place the
mistake shows: the loss modules (what feeds them), Dropout and BatchNorm (mode
against ``no_grad``), the optimizers' ``step`` (gradients never zeroed,
parameters outside the optimizer or never reached), the schedulers' ``step``
(before the optimizer's), and ``fit`` (a rising loss, a loss flat at log C).
Each warning is emitted once per line of user code (the ``warnings``
registry) and names the fix; ``chainrule.set_lint(False)`` turns them all off.
"""
from ._core import LintWarning, is_lint_enabled, set_lint, state, warn

__all__ = ["LintWarning", "is_lint_enabled", "set_lint", "state", "warn"]
