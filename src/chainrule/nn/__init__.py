"""Neural-network building blocks: Module, layers, activations, losses, init, functional.

Names and arguments as ``torch.nn``, so code ports line by line; the course's
models (:class:`Perceptron`, :class:`MLP`) come on top.

Example
-------
>>> import chainrule as cr
>>> model = cr.nn.Sequential(cr.nn.Linear(2, 3), cr.nn.ReLU(), cr.nn.Linear(3, 1))
>>> model
Sequential(
  (0): Linear(in_features=2, out_features=3, bias=True)
  (1): ReLU()
  (2): Linear(in_features=3, out_features=1, bias=True)
)
"""
from . import functional, init, modules, utils
from .course import ACTIVATIONS, MLP, Perceptron, get_activation, num_parameters
from .modules import (ELU, GELU, BatchNorm1d, BCELoss, BCEWithLogitsLoss, CrossEntropyLoss,
                      Dropout, Embedding, Flatten, HuberLoss, Identity, L1Loss, LayerNorm,
                      LeakyReLU, Linear, ParameterDict, ParameterList, Unflatten,
                      LogSoftmax, Module, ModuleDict, ModuleList, MSELoss, NLLLoss, PReLU, ReLU,
                      Sequential, Sigmoid, SiLU, SmoothL1Loss, Softmax, Softplus, Tanh)
from .modules import (CELU, GLU, SELU, CosineSimilarity, Hardsigmoid, Hardswish, Hardtanh,
                      KLDivLoss, LogSigmoid, Mish, PairwiseDistance, ReLU6, Softmin, Softsign,
                      Tanhshrink, Threshold)
from .modules import (CosineEmbeddingLoss, GaussianNLLLoss, HingeEmbeddingLoss,
                      MarginRankingLoss, MultiLabelSoftMarginLoss, PoissonNLLLoss, SoftMarginLoss,
                      TripletMarginLoss)
from .modules import (GroupNorm, Hardshrink, MultiMarginLoss, RMSNorm, Softshrink,
                      TripletMarginWithDistanceLoss)
from .modules import FeatureAlphaDropout, MultiLabelMarginLoss, RReLU
from .parameter import Parameter

__all__ = [
    "ACTIVATIONS", "BCELoss", "BCEWithLogitsLoss", "BatchNorm1d", "CrossEntropyLoss", "Dropout",
    "Embedding", "ParameterDict", "ParameterList", "Unflatten", "CELU", "GLU", "SELU",
    "CosineSimilarity", "Hardsigmoid", "Hardswish", "Hardtanh", "KLDivLoss", "LogSigmoid", "Mish",
    "PairwiseDistance", "ReLU6", "Softmin", "Softsign", "Tanhshrink", "Threshold",
    "CosineEmbeddingLoss", "GaussianNLLLoss", "HingeEmbeddingLoss", "MarginRankingLoss",
    "MultiLabelSoftMarginLoss", "PoissonNLLLoss", "SoftMarginLoss", "TripletMarginLoss",
    "GroupNorm", "Hardshrink", "RMSNorm", "Softshrink", "MultiMarginLoss",
    "TripletMarginWithDistanceLoss",
    "ELU", "Flatten", "GELU", "HuberLoss", "Identity", "L1Loss", "LayerNorm", "LeakyReLU",
    "Linear", "LogSoftmax", "MLP", "MSELoss", "Module", "ModuleDict", "ModuleList", "NLLLoss",
    "PReLU", "Parameter", "Perceptron", "ReLU", "SiLU", "Sequential", "Sigmoid", "SmoothL1Loss",
    "Softmax", "Softplus", "Tanh", "functional", "get_activation", "init", "modules",
    "num_parameters", "utils", "FeatureAlphaDropout", "MultiLabelMarginLoss", "RReLU",
]


def __getattr__(name: str) -> object:
    """PyTorch names chainrule leaves out raise an AttributeError that says what to use."""
    from .._compat_hints import missing
    raise missing(__name__, "nn", name)
