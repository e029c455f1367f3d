"""The course's worked example: model θ1·θ2·x, loss L = (θ1θ2x − y)².

Forward: a = θ1θ2, b = ax, c = b − y, L = c². Backward: ∂L/∂c = 2c,
∂L/∂b = 2c, ∂L/∂a = 2cx, ∂L/∂θ1 = 2cx·θ2, ∂L/∂θ2 = 2cx·θ1.
"""
from __future__ import annotations

from ..autograd.graph import record
from ..tensor import Tensor


def course_example(theta1: float = 2.0, theta2: float = -3.0, x: float = 0.5,
                   y: float = 1.0) -> dict[str, Tensor]:
    """Build the worked example's graph (float64, recorded); return every tensor by name.

    Keep the returned dict while explaining: the names a, b, c live on its tensors.

    Example
    -------
    >>> import chainrule as cr
    >>> t = course_example(theta1=2, theta2=-3, x=0.5, y=1)
    >>> e = cr.explain(t["L"])
    >>> [str(e.gradient_exprs[n]) for n in ("theta1", "theta2")], e.gradients["theta1"].item()
    (['2cx·θ2', '2cx·θ1'], 12.0)
    """
    t: dict[str, Tensor] = {
        "theta1": Tensor(float(theta1), dtype="float64", requires_grad=True, name="theta1"),
        "theta2": Tensor(float(theta2), dtype="float64", requires_grad=True, name="theta2"),
        "x": Tensor(float(x), dtype="float64", name="x"),
        "y": Tensor(float(y), dtype="float64", name="y"),
    }
    with record():
        t["a"] = t["theta1"] * t["theta2"]
        t["b"] = t["a"] * t["x"]
        t["c"] = t["b"] - t["y"]
        t["L"] = t["c"] ** 2
    for name in ("a", "b", "c", "L"):
        t[name].name = name
    return t
