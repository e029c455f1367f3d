"""The primitive ops (Functions) and the public functions that apply them."""
from .arrange import (broadcast_to, cat, chunk, clone, concatenate, expand, flatten, gather,
                      getitem, index_select, linear, matmul, pad, permute, reshape, split,
                      squeeze, stack, to_dtype, transpose, unsqueeze, view)
from .functions import (abs, add, argmax, argmin, clamp, clip, cos, div, elu, eq, exp, floor,
                        ge, gelu, gt, le, leaky_relu, log, log1p, log_softmax, logsumexp, lt,
                        max, maximum, mean, min, minimum, mul, ne, neg, norm, pow, prod, relu,
                        round, sigmoid, sign, silu, sin, softmax, softplus, sqrt, std, sub, sum,
                        tanh, var, where)
from .math import (cosh, cumsum, expm1, flip, log10, log2, masked_fill, reciprocal, roll, rsqrt,
                   sinh, square, tan, tril, triu)
from .matrix import bmm, dot, meshgrid, mm, mT, outer, t  # noqa: F401  (mT: Tensor.mT)
from .search import (all, allclose, any, argsort, bincount, count_nonzero, equal, histc,
                     histogram, isclose, nonzero, numel, one_hot, sort, topk, unique)

__all__ = [
    "abs", "add", "argmax", "argmin", "broadcast_to", "cat", "chunk", "clamp", "clip", "clone",
    "concatenate", "cos", "div", "elu", "eq", "exp", "expand", "flatten", "floor", "gather", "ge",
    "gelu", "getitem", "gt", "index_select", "le", "leaky_relu", "linear", "log", "log1p",
    "log_softmax", "logsumexp", "lt", "matmul", "max", "maximum", "mean", "min", "minimum", "mul",
    "ne", "neg", "norm", "pad", "permute", "pow", "prod", "relu", "reshape", "round", "sigmoid",
    "sign", "silu", "sin", "softmax", "softplus", "split", "sqrt", "squeeze", "stack", "std",
    "sub", "sum", "tanh", "to_dtype", "transpose", "unsqueeze", "var", "view", "where",
    "bmm", "cosh", "cumsum", "dot", "expm1", "flip", "log10", "log2", "masked_fill", "meshgrid",
    "mm", "outer", "reciprocal", "roll", "rsqrt", "sinh", "square", "t", "tan", "tril", "triu",
    # no gradient: sorting, searching, counting, comparing
    "all", "allclose", "any", "argsort", "bincount", "count_nonzero", "equal", "histc",
    "histogram", "isclose", "nonzero", "numel", "one_hot", "sort", "topk", "unique",
]
