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
from .pointwise import (absolute, acos, acosh, arccos, arccosh, arcsin, arcsinh, arctan, arctan2,
                        arctanh, asin, asinh, atan, atan2, atanh, ceil, clamp_max, clamp_min,
                        deg2rad, divide, erf, erfc, exp2, fix, floor_divide, fmod, frac, greater,
                        greater_equal, hypot, isfinite, isin, isinf, isnan, isneginf, isposinf,
                        lerp, less, less_equal, logaddexp, logical_and, logical_not, logical_or,
                        logical_xor, multiply, negative, not_equal, positive, rad2deg, remainder,
                        signbit, subtract, true_divide, trunc, xlogy)
from .extremes import amax, amin, aminmax, nanmean, nansum
from .layout import (atleast_1d, atleast_2d, atleast_3d, broadcast_shapes,
                     broadcast_tensors, column_stack, diag, diagonal, diff, dstack, fliplr, flipud,
                     hstack, masked_select, moveaxis, movedim, narrow, ravel,
                     repeat, repeat_interleave, row_stack,  # noqa: F401  (repeat: Tensor.repeat)
                     scatter, scatter_add, select,
                     swapaxes, swapdims, take, take_along_dim, tensor_split, tile, trace, unbind,
                     vstack)
from .products import (addbmm, addcdiv, addcmul, addmm, addmv, addr, baddbmm, cdist, corrcoef,
                       cov, cross, dist, einsum, ger, inner, kron, mv, tensordot, vdot)
from .stats import (argwhere, bucketize, copysign, cumprod,
                    cumulative_trapezoid, diagflat, dsplit, float_power, fmax, fmin, gcd,
                    heaviside, hsplit, kthvalue, lcm, ldexp, logaddexp2, logcumsumexp, median,
                    msort, nan_to_num, quantile, rot90, searchsorted, sinc, std_mean, trapezoid,
                    trapz, unflatten, unique_consecutive, vander, var_mean, vsplit)
from .search import (all, allclose, any, argsort, bincount, count_nonzero, equal, histc,
                     histogram, isclose, nonzero, numel, one_hot, sort, topk, unique)
from .bitwise import (bitwise_and, bitwise_left_shift, bitwise_not, bitwise_or,
                      bitwise_right_shift, bitwise_xor)
from .cumulative import cummax, cummin, mode, nanmedian
from .index_ops import index_add, index_copy, index_fill, index_put
from .numeric import frexp, hardshrink, nextafter, renorm, sgn  # noqa: F401  (Tensor.hardshrink)
from .embed import (diag_embed, diagonal_scatter, masked_scatter, put, select_scatter,
                      slice_scatter)
from .scatter_reduction import index_reduce, scatter_reduce

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
    "absolute", "acos", "acosh", "arccos", "arccosh", "arcsin", "arcsinh", "arctan", "arctan2",
    "arctanh", "asin", "asinh", "atan", "atan2", "atanh", "clamp_max", "clamp_min", "deg2rad",
    "divide", "erf", "erfc", "exp2", "fmod", "frac", "hypot", "lerp", "logaddexp", "multiply",
    "negative", "positive", "rad2deg", "remainder", "subtract", "true_divide", "xlogy",
    "amax", "amin", "aminmax", "atleast_1d", "atleast_2d", "atleast_3d", "broadcast_tensors",
    "column_stack", "diag", "diagonal", "diff", "dstack", "fliplr", "flipud", "hstack",
    "masked_select", "moveaxis", "movedim", "nanmean", "nansum", "narrow", "ravel",
    "repeat_interleave", "row_stack", "scatter", "scatter_add", "select", "swapaxes",
    "swapdims", "take", "take_along_dim", "tensor_split", "tile", "trace", "unbind", "vstack",
    "addbmm", "addcdiv", "addcmul", "addmm", "addmv", "addr", "baddbmm", "cdist", "corrcoef",
    "cov", "cross", "dist", "einsum", "ger", "inner", "kron", "mv", "tensordot", "vdot",
    "copysign", "cumprod", "cumulative_trapezoid", "diagflat", "dsplit", "float_power", "fmax",
    "fmin", "hsplit", "kthvalue", "ldexp", "logaddexp2", "logcumsumexp", "median", "msort",
    "nan_to_num", "quantile", "rot90", "sinc", "std_mean", "trapezoid", "trapz", "unflatten",
    "vander", "var_mean", "vsplit",
    "cummax", "cummin", "diag_embed", "diagonal_scatter", "frexp", "index_add", "index_copy",
    "index_fill", "index_put", "index_reduce", "masked_scatter", "mode", "nanmedian", "nextafter",
    "put", "renorm", "scatter_reduce", "select_scatter", "sgn", "slice_scatter",
    # no gradient: integer ops, searching
    "argwhere", "bitwise_and", "bitwise_left_shift", "bitwise_not", "bitwise_or",
    "bitwise_right_shift", "bitwise_xor", "bucketize", "gcd", "heaviside", "lcm", "searchsorted",
    "unique_consecutive",
    # no gradient: rounding, predicates, logical ops
    "broadcast_shapes", "ceil", "fix", "floor_divide", "greater", "greater_equal", "isfinite",
    "isin", "isinf", "isnan", "isneginf", "isposinf", "less", "less_equal", "logical_and",
    "logical_not", "logical_or", "logical_xor", "not_equal", "signbit", "trunc",
    # no gradient: sorting, searching, counting, comparing
    "all", "allclose", "any", "argsort", "bincount", "count_nonzero", "equal", "histc",
    "histogram", "isclose", "nonzero", "numel", "one_hot", "sort", "topk", "unique",
]
