"""Reverse-mode automatic differentiation: Function, the engine, grad modes, gradcheck."""
from .engine import grad
from .function import Function
from .gradcheck import GradcheckError, gradcheck
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled

__all__ = ["Function", "GradcheckError", "enable_grad", "grad", "gradcheck", "is_grad_enabled",
           "no_grad", "set_grad_enabled"]
