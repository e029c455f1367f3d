"""The chain rule, narrated: ``chainrule.explain(loss)`` walks the graph back from the loss.

Example
-------
>>> import chainrule as cr
>>> w = cr.tensor(3.0, requires_grad=True, name="w")
>>> print(cr.explain((w * 2.0) ** 2).gradients["w"])
24.0
"""
import sys
import types
from typing import Any

from ..autograd.graph import record
from .course import course_example
from .explain import Edge, Explanation, ForwardLine, Step, explain
from .expression import check_expression, from_expression

__all__ = ["Edge", "Explanation", "ForwardLine", "Step", "check_expression", "course_example",
           "explain", "from_expression", "record"]


class _CallablePackage(types.ModuleType):
    """``chainrule.explain`` is both this package and the function: calling it explains.

    ``import chainrule`` binds ``chainrule.explain`` to the function, but a later import
    machinery (pytest's importlib mode, reloads) may rebind the attribute to this
    package; calling the package then still does the right thing.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Explanation:
        return explain(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
