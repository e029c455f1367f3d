"""chainrule: deep learning on NumPy, with backpropagation you can see.

Tensors with reverse-mode autograd over a dynamic graph, PyTorch's names and
semantics, float32 by default.

Example
-------
>>> import chainrule as cr
>>> w = cr.tensor([0.5, -1.0], requires_grad=True)
>>> loss = ((w * cr.tensor([2.0, 3.0])).sum() - 1.0) ** 2
>>> loss.backward(); w.grad
tensor([-12., -18.])
"""
from . import _tensor_ops
from ._dtype import (bool_, double, dtype, finfo, float16, float32, float64, get_default_dtype,
                     half, iinfo, int8, int16, int32, int64, long, set_default_dtype, short,
                     uint8, uint16, uint32, uint64)
from .tensor import Tensor
from .autograd import (Function, GradcheckError, enable_grad, grad, gradcheck, is_grad_enabled,
                       no_grad, set_grad_enabled)
from . import ops
from .ops import *  # noqa: F403  (the op functions: chainrule.exp, chainrule.cat, ...)
from .creation import (arange, as_tensor, empty, empty_like, eye, from_numpy, full, full_like,
                       linspace, ones, ones_like, tensor, zeros, zeros_like)
from .sampling import (bernoulli, multinomial, normal, rand, rand_like, randint, randint_like,
                       randn, randn_like, randperm)
from .random import (Generator, default_generator, get_rng_state, initial_seed, manual_seed, seed,
                     set_rng_state)
from ._extras import (are_deterministic_algorithms_enabled, asarray, block_diag, cartesian_prod,
                      combinations, concat, detach, e, fill, get_device, inf,
                      is_floating_point, is_nonzero, is_same_size, is_signed, is_tensor,
                      logspace, nan, newaxis, pi, set_printoptions, tril_indices, triu_indices,
                      typename, unravel_index, use_deterministic_algorithms)
from ._device import device, get_default_device, set_default_device
from ._size import Size
from ._inference import inference_mode, is_inference_mode_enabled
from .ops.search import all, any  # noqa: A004  (torch.all / torch.any)
from . import backends, cuda
from . import _inplace_functions
from ._inplace_functions import *  # noqa: F403  (torch.relu_(x), torch.exp_(x), ...)
from . import nn
from . import optim
from . import linear_model
from . import data
from . import train
from . import utils
from .serialization import load, save
from .explain import explain
from .lint import LintWarning, is_lint_enabled, set_lint
from ._compile import compile  # noqa: A004  (chainrule.compile, as torch.compile)
from . import _torch_functional, _torch_numeric
from ._torch_functional import *  # noqa: F403  (torch.batch_norm, torch.kl_div, ...: torch's args)
from ._torch_numeric import *  # noqa: F403  (range, gradient, get/set_num_threads)

_tensor_ops.F = ops  # give Tensor its methods (ops import Tensor, so this comes last)


def _prelu(self: Tensor, weight: Tensor) -> Tensor:
    """``chainrule.nn.functional.prelu(self, weight)``, as PyTorch's ``Tensor.prelu``."""
    return nn.functional.prelu(self, weight)


Tensor.prelu = _prelu  # type: ignore[attr-defined]  # nn's function, wired above both
bool = bool_  # noqa: A001  (chainrule.bool, as torch.bool)
float = float32  # noqa: A001
int = int32  # noqa: A001  (chainrule.int, as torch.int)
__version__ = "0.1.0"



def __getattr__(name: str) -> object:
    """``chainrule.viz`` is imported on first use (it needs the optional matplotlib/graphviz)."""
    if name == "viz":
        import importlib
        return importlib.import_module(".viz", __name__)
    if name in _FROM_FUNCTIONAL and hasattr(nn.functional, name):
        return getattr(nn.functional, name)  # torch.dropout(x, p, train) is F.dropout's order
    from ._compat_hints import missing
    raise missing("chainrule", "torch", name)  # PyTorch names left out say what to use


# PyTorch's top-level copies of nn.functional whose arguments come in the same order (not the
# losses, embedding, batch_norm: theirs differ at the top level)
_FROM_FUNCTIONAL = frozenset(("dropout", "selu", "celu", "threshold", "prelu", "layer_norm",
                              "group_norm", "cosine_similarity", "pairwise_distance", "pdist",
                              "rrelu", "hardshrink", "selu_", "celu_", "threshold_", "rrelu_",
                              "dropout_"))


__all__ = [
    "backends", "cuda", "data", "linear_model", "nn", "optim", "train",
    "Size", "all", "any", "as_tensor", "bernoulli", "device", "empty_like", "get_default_device",
    "inference_mode", "initial_seed", "is_inference_mode_enabled", "multinomial", "normal",
    "randint_like", "randperm", "seed", "set_default_device", "default_generator",
    "are_deterministic_algorithms_enabled", "asarray", "block_diag", "cartesian_prod",
    "combinations", "detach", "dtype", "e", "inf", "int", "int8", "int16", "is_floating_point",
    "is_nonzero", "is_tensor", "logspace", "nan", "newaxis", "pi", "set_printoptions", "short",
    "tril_indices", "triu_indices", "typename", "uint8", "use_deterministic_algorithms",
    "concat", "fill", "get_device", "is_same_size", "is_signed", "unravel_index", "utils",
    "load", "save",
    "Function", "Generator", "GradcheckError", "Tensor", "arange", "bool", "bool_", "double",
    "empty", "enable_grad", "eye", "float", "float16", "float32", "float64", "from_numpy", "full",
    "full_like", "get_default_dtype", "get_rng_state", "grad", "gradcheck", "half", "int32",
    "int64", "is_grad_enabled", "linspace", "long", "manual_seed", "no_grad", "ones",
    "ones_like", "rand", "rand_like", "randint", "randn", "randn_like", "set_default_dtype",
    "set_grad_enabled", "set_rng_state", "tensor", "zeros", "zeros_like", *ops.__all__,
    *_inplace_functions.__all__,
    "finfo", "iinfo", "uint16", "uint32", "uint64",
    "explain", "compile", "LintWarning", "is_lint_enabled", "set_lint",
    *_torch_functional.__all__, *_torch_numeric.__all__,
]
