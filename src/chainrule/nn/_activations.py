"""More of ``nn.functional``'s activations and similarities, composed from chainrule's ops
(autograd differentiates the composition; each formula is PyTorch's)."""
from __future__ import annotations

from .. import ops
from ..ops.activation import Hardtanh
from ..tensor import Tensor

__all__ = ["celu", "cosine_similarity", "glu", "hardsigmoid", "hardswish", "hardtanh",
           "kl_div", "logsigmoid", "mish", "pairwise_distance", "relu6", "selu", "softmin",
           "softsign", "tanhshrink", "threshold"]

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0,  # noqa: A002
             inplace: bool = False) -> Tensor:
    """clamp(x, min_val, max_val). Shape: any, kept."""
    if min_val > max_val:
        raise ValueError(f"hardtanh: expected min_val <= max_val, got {min_val} > {max_val}")
    return Hardtanh.apply(input, min_val, max_val)  # type: ignore[no-any-return]


def relu6(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    """min(max(x, 0), 6).

    Example
    -------
    >>> import chainrule as cr
    >>> relu6(cr.tensor([-1.0, 3.0, 9.0]))
    tensor([0., 3., 6.])
    """
    return Hardtanh.apply(input, 0.0, 6.0)  # type: ignore[no-any-return]


def selu(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    """scale·elu(x, alpha) with the self-normalising constants."""
    return ops.elu(input, _SELU_ALPHA) * _SELU_SCALE


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:  # noqa: A002
    """max(0, x) + min(0, alpha·(e^(x/alpha) - 1))."""
    if alpha == 0:
        raise ValueError("celu: expected alpha != 0, got 0")
    return ops.elu(input / alpha, 1.0) * alpha


def mish(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    """x·tanh(softplus(x))."""
    return input * ops.tanh(ops.softplus(input))


def logsigmoid(input: Tensor) -> Tensor:  # noqa: A002
    """log(1 / (1 + e^-x)) = -softplus(-x), computed stably."""
    return -ops.softplus(-input)


def softsign(input: Tensor) -> Tensor:  # noqa: A002
    """x / (1 + |x|)."""
    return input / (ops.abs(input) + 1.0)


def tanhshrink(input: Tensor) -> Tensor:  # noqa: A002
    """x - tanh(x)."""
    return input - ops.tanh(input)


def softmin(input: Tensor, dim: int | None = None, _stacklevel: int = 3,  # noqa: A002
            dtype: object = None) -> Tensor:
    """softmax(-x) along ``dim``."""
    from .functional import softmax
    return softmax(-input, dim, dtype=dtype)


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    """relu6(x + 3) / 6."""
    return ops.clamp(input + 3.0, 0.0, 6.0) / 6.0


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:  # noqa: A002
    """x·relu6(x + 3) / 6."""
    return input * hardsigmoid(input)


def threshold(input: Tensor, threshold: float, value: float,  # noqa: A002
              inplace: bool = False) -> Tensor:
    """x where x > threshold, else ``value``."""
    return ops.where(input > threshold, input, float(value))


def glu(input: Tensor, dim: int = -1) -> Tensor:  # noqa: A002
    """a·sigmoid(b) with a, b the two halves of ``input`` along ``dim``.

    Shape
    -----
    (*, 2n, *) -> (*, n, *).
    """
    size = input.shape[dim]
    if size % 2:
        raise ValueError(f"glu: expected an even size along dim {dim}, got {size}")
    a, b = ops.chunk(input, 2, dim)
    return a * ops.sigmoid(b)


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """x1·x2 / max(‖x1‖·‖x2‖, eps) along ``dim`` (after broadcasting).

    Example
    -------
    >>> import chainrule as cr
    >>> cosine_similarity(cr.tensor([[1.0, 0.0]]), cr.tensor([[1.0, 1.0]])).tolist()
    [0.7071067690849304]
    """
    dot = (x1 * x2).sum(dim)
    n1 = ops.sqrt((x1 * x1).sum(dim))
    n2 = ops.sqrt((x2 * x2).sum(dim))
    return dot / ops.clamp(n1 * n2, min=eps)


def pairwise_distance(x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6,
                      keepdim: bool = False) -> Tensor:
    """‖x1 - x2 + eps‖_p along the last dim."""
    return ops.norm(x1 - x2 + eps, p, -1, keepdim=keepdim)


def kl_div(input: Tensor, target: Tensor, size_average: object = None,  # noqa: A002
           reduce: object = None, reduction: str = "mean", log_target: bool = False) -> Tensor:
    """Σ target·(log target - input) with ``input`` log-probabilities (PyTorch's KLDivLoss).

    ``reduction``: "mean" (over all elements, as PyTorch), "batchmean" (the
    mathematical KL divergence: sum / batch size), "sum" or "none".
    """
    if reduction not in ("mean", "batchmean", "sum", "none"):
        raise ValueError(f"kl_div: expected reduction 'mean', 'batchmean', 'sum' or 'none', got "
                         f"{reduction!r}")
    if tuple(input.shape) != tuple(target.shape):
        raise ValueError(f"kl_div: expected input and target of the same shape, got "
                         f"{tuple(input.shape)} and {tuple(target.shape)}")
    if log_target:
        loss = ops.exp(target) * (target - input)
    else:
        loss = ops.xlogy(target, target) - target * input
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    if reduction == "batchmean":
        return loss.sum() / (input.shape[0] if input.ndim else 1)
    return loss.mean()

