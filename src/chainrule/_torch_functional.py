"""PyTorch's top-level copies of ``nn.functional`` whose arguments differ from F's:
``torch.batch_norm`` (weight first, ``cudnn_enabled``), ``torch.embedding(weight, indices)``,
losses with an integer ``reduction`` (0 'none', 1 'mean', 2 'sum'; strings work too),
``torch.rrelu`` with a ``generator`` and the in-place ``torch.dropout_``."""
from __future__ import annotations

from typing import Any, Sequence

from .nn import functional as F
from .random import Generator
from .tensor import Tensor

__all__ = ["batch_norm", "binary_cross_entropy_with_logits", "cosine_embedding_loss",
           "dropout_", "embedding", "hinge_embedding_loss", "kl_div", "margin_ranking_loss",
           "poisson_nll_loss", "rms_norm", "rrelu", "rrelu_", "triplet_margin_loss"]

_REDUCTIONS = {0: "none", 1: "mean", 2: "sum"}


def _reduction(value: Any, where: str) -> str:
    if isinstance(value, str):
        return value
    if value in _REDUCTIONS and not isinstance(value, bool):
        return _REDUCTIONS[value]
    raise ValueError(f"{where}: expected reduction 0 ('none'), 1 ('mean') or 2 ('sum'), got "
                     f"{value!r}")


def batch_norm(input: Tensor, weight: Tensor | None, bias: Tensor | None,  # noqa: A002
               running_mean: Tensor | None, running_var: Tensor | None, training: bool,
               momentum: float, eps: float, cudnn_enabled: bool = False) -> Tensor:
    """``torch.batch_norm``: F.batch_norm with weight and bias first (``cudnn_enabled`` is
    ignored).

    Shape
    -----
    input (N, C) or (N, C, L); weight, bias and running statistics (C,).

    Example
    -------
    >>> import chainrule as cr
    >>> cr.batch_norm(cr.tensor([[1.0], [3.0]]), None, None, None, None, True, 0.1, 0.0, False)
    tensor([[-1.],
            [ 1.]])
    """
    return F.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)


def embedding(weight: Tensor, indices: Tensor, padding_idx: int = -1,
              scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """``torch.embedding``: rows of ``weight`` (a negative ``padding_idx`` means none).

    Shape
    -----
    weight (num_embeddings, dim), indices (*) -> (*, dim).

    Example
    -------
    >>> import chainrule as cr
    >>> cr.embedding(cr.tensor([[0.0, 1.0], [2.0, 3.0]]), cr.tensor([1, 1, 0]))
    tensor([[2., 3.],
            [2., 3.],
            [0., 1.]])
    """
    return F.embedding(indices, weight, padding_idx if padding_idx >= 0 else None,
                       scale_grad_by_freq=scale_grad_by_freq, sparse=sparse)


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor,  # noqa: A002
                                     weight: Tensor | None = None,
                                     pos_weight: Tensor | None = None,
                                     reduction: int | str = 1) -> Tensor:
    """``torch.binary_cross_entropy_with_logits``: F's, with ``pos_weight`` positional and an
    integer ``reduction``.

    Example
    -------
    >>> import chainrule as cr
    >>> cr.binary_cross_entropy_with_logits(cr.tensor([0.0, 2.0]), cr.tensor([1.0, 0.0]), None,
    ...                                     None, 2)    # 2: 'sum'
    tensor(2.8201)
    """
    return F.binary_cross_entropy_with_logits(
        input, target, weight, pos_weight=pos_weight,
        reduction=_reduction(reduction, "binary_cross_entropy_with_logits"))


def cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0.0,
                          reduction: int | str = 1) -> Tensor:
    """``torch.cosine_embedding_loss`` (integer ``reduction``).

    Example
    -------
    >>> import chainrule as cr
    >>> cr.cosine_embedding_loss(cr.tensor([[1.0, 0.0]]), cr.tensor([[0.0, 1.0]]),
    ...                          cr.tensor([1.0]))    # 1 - cos 90°
    tensor(1.)
    """
    return F.cosine_embedding_loss(input1, input2, target, margin,
                                   reduction=_reduction(reduction, "cosine_embedding_loss"))


def hinge_embedding_loss(input: Tensor, target: Tensor, margin: float = 1.0,  # noqa: A002
                         reduction: int | str = 1) -> Tensor:
    """``torch.hinge_embedding_loss`` (integer ``reduction``).

    Example
    -------
    >>> import chainrule as cr
    >>> cr.hinge_embedding_loss(cr.tensor([0.3, 2.0]), cr.tensor([1.0, -1.0]), 1.0, 0)
    tensor([0.3000, 0.0000])
    """
    return F.hinge_embedding_loss(input, target, margin,
                                  reduction=_reduction(reduction, "hinge_embedding_loss"))


def kl_div(input: Tensor, target: Tensor, reduction: int | str = 1, *,  # noqa: A002
           log_target: bool = False) -> Tensor:
    """``torch.kl_div``: mean (1) is over all elements; F.kl_div has 'batchmean'.

    Example
    -------
    >>> import chainrule as cr
    >>> p = cr.tensor([0.5, 0.5])
    >>> cr.kl_div(p.log(), p, 2)    # KL(p || p) = 0
    tensor(0.)
    """
    return F.kl_div(input, target, reduction=_reduction(reduction, "kl_div"),
                    log_target=log_target)


def margin_ranking_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0.0,
                        reduction: int | str = 1) -> Tensor:
    """``torch.margin_ranking_loss`` (integer ``reduction``).

    Example
    -------
    >>> import chainrule as cr
    >>> one = cr.tensor([1.0, 1.0])
    >>> cr.margin_ranking_loss(cr.tensor([1.0, 0.0]), cr.tensor([0.0, 1.0]), one, 0.5, 0)
    tensor([0.0000, 1.5000])
    """
    return F.margin_ranking_loss(input1, input2, target, margin,
                                 reduction=_reduction(reduction, "margin_ranking_loss"))


def poisson_nll_loss(input: Tensor, target: Tensor, log_input: bool, full: bool,  # noqa: A002
                     eps: float, reduction: int | str) -> Tensor:
    """``torch.poisson_nll_loss``: every argument required, as PyTorch's.

    Example
    -------
    >>> import chainrule as cr
    >>> cr.poisson_nll_loss(cr.tensor([0.0]), cr.tensor([1.0]), True, False, 1e-8, 1)
    tensor(1.)
    """
    return F.poisson_nll_loss(input, target, log_input, full, eps=eps,
                              reduction=_reduction(reduction, "poisson_nll_loss"))


def triplet_margin_loss(anchor: Tensor, positive: Tensor, negative: Tensor,
                        margin: float = 1.0, p: float = 2.0, eps: float = 1e-6,
                        swap: bool = False, reduction: int | str = 1) -> Tensor:
    """``torch.triplet_margin_loss`` (integer ``reduction``).

    Example
    -------
    >>> import chainrule as cr
    >>> a, p, n = cr.tensor([[0.0, 0.0]]), cr.tensor([[0.0, 1.0]]), cr.tensor([[3.0, 4.0]])
    >>> cr.triplet_margin_loss(a, p, n, 1.0, 2.0, 0.0)    # max(0, 1 - 5 + 1)
    tensor(0.)
    """
    return F.triplet_margin_loss(anchor, positive, negative, margin, p, eps, swap,
                                 reduction=_reduction(reduction, "triplet_margin_loss"))


def rms_norm(input: Tensor, normalized_shape: int | Sequence[int],  # noqa: A002
             weight: Tensor | None = None, eps: float | None = None) -> Tensor:
    """``torch.rms_norm``: the same as F.rms_norm.

    Shape
    -----
    input (*, *normalized_shape); weight ``normalized_shape``.

    Example
    -------
    >>> import chainrule as cr
    >>> cr.rms_norm(cr.tensor([[3.0, 4.0]]), [2])    # x / √(mean(x²))
    tensor([[0.8485, 1.1314]])
    """
    return F.rms_norm(input, normalized_shape, weight, eps)


def rrelu(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3,  # noqa: A002
          training: bool = False, generator: Generator | None = None) -> Tensor:
    """``torch.rrelu``: F.rrelu with ``generator`` where F has ``inplace``.

    Example
    -------
    >>> import chainrule as cr
    >>> cr.rrelu(cr.tensor([-1.0, 2.0]), 0.1, 0.3)    # eval: slope (0.1 + 0.3) / 2
    tensor([-0.2000,  2.0000])
    """
    return F.rrelu(input, lower, upper, training, generator=generator)


def rrelu_(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3,  # noqa: A002
           training: bool = False, generator: Generator | None = None) -> Tensor:
    """``torch.rrelu_``: :func:`rrelu` written into ``input``.

    Example
    -------
    >>> import chainrule as cr
    >>> x = cr.tensor([-1.0, 2.0])
    >>> cr.rrelu_(x, 0.1, 0.3) is x, x
    (True, tensor([-0.2000,  2.0000]))
    """
    return F.rrelu_(input, lower, upper, training, generator=generator)


def dropout_(input: Tensor, p: float, train: bool) -> Tensor:  # noqa: A002
    """``torch.dropout_``: dropout written into ``input`` (not for tensors in a graph).

    Example
    -------
    >>> import chainrule as cr
    >>> x = cr.ones(3)
    >>> cr.dropout_(x, 0.5, False) is x
    True
    """
    out = F.dropout(input, p, train)
    return input if out is input else input.copy_(out)
