"""Optimizers and learning-rate schedules with PyTorch's names, arguments and numbers.

Example
-------
>>> import chainrule as cr
>>> w = cr.nn.Parameter(cr.tensor([2.0]))
>>> opt = cr.optim.SGD([w], lr=0.25)
>>> for _ in range(3):
...     opt.zero_grad(); (w * w).sum().backward(); opt.step()
>>> w    # each step: w - 0.25 * 2w = w / 2
Parameter containing:
tensor([0.2500], requires_grad=True)
"""
from . import lr_scheduler
from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam, AdamW
from .adamax import Adamax
from .asgd import ASGD
from .lbfgs import LBFGS
from .nadam import NAdam
from .optimizer import Optimizer
from .radam import RAdam
from .rmsprop import RMSprop
from .rprop import Rprop
from .sgd import SGD

__all__ = ["LBFGS", "SGD", "Adadelta", "Adagrad", "Adam", "AdamW", "Optimizer", "RMSprop",
           "lr_scheduler", "ASGD", "Adamax", "NAdam", "RAdam", "Rprop"]


def __getattr__(name: str) -> object:
    """PyTorch names chainrule leaves out raise an AttributeError that says what to use."""
    from .._compat_hints import missing
    raise missing(__name__, "optim", name)
