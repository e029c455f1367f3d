"""Reverse-mode automatic differentiation: Function, the engine, grad modes, gradcheck,
anomaly detection."""
from .anomaly import (detect_anomaly, is_anomaly_check_nan_enabled, is_anomaly_enabled,
                      set_detect_anomaly)
from .engine import grad, set_explain_limit
from .function import Function
from .gradcheck import GradcheckError, gradcheck
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from ._backward import backward
from .._inference import inference_mode  # (torch.autograd.inference_mode too)

__all__ = ["Function", "GradcheckError", "detect_anomaly", "enable_grad", "grad", "gradcheck",
           "is_anomaly_check_nan_enabled", "is_anomaly_enabled", "is_grad_enabled", "no_grad",
           "set_detect_anomaly", "set_explain_limit", "set_grad_enabled", "backward",
           "inference_mode"]


def __getattr__(name: str) -> object:
    """PyTorch names chainrule leaves out raise an AttributeError that says what to use."""
    from .._compat_hints import missing
    raise missing(__name__, "autograd", name)
