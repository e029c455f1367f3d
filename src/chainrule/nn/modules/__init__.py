"""The layers of ``chainrule.nn``, one file per idea (as ``torch.nn.modules``)."""
from .activation import (ELU, GELU, LeakyReLU, LogSoftmax, PReLU, ReLU, SiLU, Sigmoid, Softmax,
                         Softplus, Tanh)
from .container import ModuleDict, ModuleList, Sequential
from .dropout import Dropout
from .linear import Flatten, Identity, Linear, Unflatten
from .loss import (BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, HuberLoss, L1Loss, MSELoss,
                   NLLLoss, SmoothL1Loss)
from .module import Module
from .normalization import BatchNorm1d, LayerNorm
from .parameter_containers import ParameterDict, ParameterList
from .sparse import Embedding

__all__ = [
    "BCELoss", "BCEWithLogitsLoss", "BatchNorm1d", "CrossEntropyLoss", "Dropout", "ELU",
    "Embedding", "ParameterDict", "ParameterList", "Unflatten",
    "Flatten", "GELU", "HuberLoss", "Identity", "L1Loss", "LayerNorm", "LeakyReLU", "Linear",
    "LogSoftmax", "MSELoss", "Module", "ModuleDict", "ModuleList", "NLLLoss", "PReLU", "ReLU",
    "SiLU", "Sequential", "Sigmoid", "SmoothL1Loss", "Softmax", "Softplus", "Tanh",
]
