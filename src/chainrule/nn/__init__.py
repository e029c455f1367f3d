"""Neural-network building blocks: Module, layers, activations, losses, init."""
from .parameter import Parameter

__all__ = ["Parameter"]
