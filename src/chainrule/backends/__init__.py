"""``chainrule.backends``: PyTorch's backend switches, for code that sets or queries them.

``mps.is_available()`` and ``cudnn.is_available()`` are False (chainrule runs on the CPU
with NumPy); ``cudnn.deterministic`` / ``cudnn.benchmark`` can be set and have no effect.

Example
-------
>>> import chainrule as cr
>>> cr.backends.mps.is_available(), cr.backends.cudnn.is_available()
(False, False)
"""
from . import cudnn, mps

__all__ = ["cudnn", "mps"]
