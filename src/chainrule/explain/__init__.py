"""The chain rule, narrated: ``chainrule.explain(loss)`` walks the graph back from the loss.

Example
-------
>>> import chainrule as cr
>>> w = cr.tensor(3.0, requires_grad=True, name="w")
>>> print(cr.explain((w * 2.0) ** 2).gradients["w"])
24.0
"""
from ..autograd.graph import record
from .course import course_example
from .explain import Edge, Explanation, ForwardLine, Step, explain
from .expression import check_expression, from_expression

__all__ = ["Edge", "Explanation", "ForwardLine", "Step", "check_expression", "course_example",
           "explain", "from_expression", "record"]
