"""Learning-rate schedules (PyTorch's ``torch.optim.lr_scheduler``).

Call ``scheduler.step()`` after ``optimizer.step()`` (once per epoch, or per
batch for CyclicLR and OneCycleLR); ``ReduceLROnPlateau.step(metric)`` takes
the monitored value.
"""
from .base import LRScheduler
from .combine import ChainedScheduler, SequentialLR
from .cosine import CosineAnnealingLR, CosineAnnealingWarmRestarts
from .cyclic import CyclicLR
from .factor import LambdaLR, MultiplicativeLR
from .one_cycle import OneCycleLR
from .plateau import ReduceLROnPlateau
from .step import ExponentialLR, MultiStepLR, StepLR
from .warmup import ConstantLR, LinearLR, PolynomialLR

__all__ = [
    "ChainedScheduler", "ConstantLR", "CosineAnnealingLR", "CosineAnnealingWarmRestarts",
    "CyclicLR", "ExponentialLR", "LRScheduler", "LambdaLR", "LinearLR", "MultiStepLR",
    "MultiplicativeLR", "OneCycleLR", "PolynomialLR", "ReduceLROnPlateau", "SequentialLR",
    "StepLR",
]


def __getattr__(name: str) -> object:
    """PyTorch names chainrule leaves out raise an AttributeError that says what to use."""
    from ..._compat_hints import missing
    raise missing(__name__, "lr_scheduler", name)
