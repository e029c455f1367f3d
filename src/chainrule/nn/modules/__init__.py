"""The layers of ``chainrule.nn``, one file per idea (as ``torch.nn.modules``)."""
from .activation import (ELU, GELU, LeakyReLU, LogSoftmax, PReLU, ReLU, SiLU, Sigmoid, Softmax,
                         Softplus, Tanh)
from .activation_more import (CELU, GLU, SELU, Hardsigmoid, Hardswish, Hardtanh, LogSigmoid,
                              Mish, ReLU6, Softmin, Softsign, Tanhshrink, Threshold)
from .container import ModuleDict, ModuleList, Sequential
from .distance import CosineSimilarity, KLDivLoss, PairwiseDistance
from .dropout import Dropout
from .linear import Flatten, Identity, Linear, Unflatten
from .loss_multilabel import MultiLabelMarginLoss
from .loss import (BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, HuberLoss, L1Loss, MSELoss,
                   NLLLoss, SmoothL1Loss)
from .loss_more import (CosineEmbeddingLoss, GaussianNLLLoss, HingeEmbeddingLoss,
                        MarginRankingLoss, MultiLabelSoftMarginLoss, PoissonNLLLoss,
                        SoftMarginLoss, TripletMarginLoss, MultiMarginLoss,
                        TripletMarginWithDistanceLoss)
from .module import Module
from .normalization import BatchNorm1d, LayerNorm
from .normalization_more import GroupNorm, Hardshrink, RMSNorm, Softshrink
from .parameter_containers import ParameterDict, ParameterList
from .sparse import Embedding
from .stochastic import FeatureAlphaDropout, RReLU

__all__ = [
    "BCELoss", "BCEWithLogitsLoss", "BatchNorm1d", "CrossEntropyLoss", "Dropout", "ELU",
    "Embedding", "ParameterDict", "ParameterList", "Unflatten", "CELU", "GLU", "SELU",
    "Hardsigmoid", "Hardswish", "Hardtanh", "LogSigmoid", "Mish", "ReLU6", "Softmin", "Softsign",
    "Tanhshrink", "Threshold", "CosineSimilarity", "KLDivLoss", "PairwiseDistance",
    "CosineEmbeddingLoss", "GaussianNLLLoss", "HingeEmbeddingLoss", "MarginRankingLoss",
    "MultiLabelSoftMarginLoss", "PoissonNLLLoss", "SoftMarginLoss", "TripletMarginLoss",
    "GroupNorm", "Hardshrink", "RMSNorm", "Softshrink", "MultiMarginLoss",
    "TripletMarginWithDistanceLoss",
    "Flatten", "GELU", "HuberLoss", "Identity", "L1Loss", "LayerNorm", "LeakyReLU", "Linear",
    "LogSoftmax", "MSELoss", "Module", "ModuleDict", "ModuleList", "NLLLoss", "PReLU", "ReLU",
    "SiLU", "Sequential", "Sigmoid", "SmoothL1Loss", "Softmax", "Softplus", "Tanh",
    "FeatureAlphaDropout", "MultiLabelMarginLoss", "RReLU",
]
