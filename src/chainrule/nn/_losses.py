"""The loss functions of ``chainrule.nn.functional``: validate, then apply one fused node.

Input and target shapes must match exactly (no silent broadcast); class-index
targets must be integers in [0, C).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import ops
from ..ops import loss as L
from ..tensor import Tensor

_REDUCTIONS = ("mean", "sum", "none")


def _reduction(reduction: str, where: str) -> None:
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{where}: expected reduction 'mean', 'sum' or 'none', got {reduction!r}")


def _tensor(x: Any, where: str) -> Tensor:
    if not isinstance(x, Tensor):
        raise TypeError(f"{where}: expected input to be a chainrule Tensor, got "
                        f"{type(x).__name__}")
    return x


def _array(x: Any) -> np.ndarray:
    return x._data if isinstance(x, Tensor) else np.asarray(x)


def _shape_hint(a: tuple[int, ...], b: tuple[int, ...]) -> str:
    if a == b + (1,):
        alt = "target.view(-1, 1)" if len(b) == 1 else f"target.unsqueeze({len(b)})"
        return f"; use input.squeeze({len(b)}) or {alt}"
    if b == a + (1,):
        alt = "input.view(-1, 1)" if len(a) == 1 else f"input.unsqueeze({len(a)})"
        return f"; use target.squeeze({len(a)}) or {alt}"
    if int(np.prod(a)) == int(np.prod(b)):
        return "; reshape one to the other's shape (e.g. target.view_as(input))"
    return ""


def _pair(input: Any, target: Any, where: str) -> tuple[Tensor, Any]:  # noqa: A002
    """The input tensor and the target (Tensor if it requires grad, else an array of the
    input's dtype when it held ints or bools), shapes checked equal."""
    x = _tensor(input, where)
    t = _array(target)
    if t.shape != x.shape:
        raise ValueError(f"{where}: expected input and target of the same shape, got input "
                         f"{x.shape} and target {t.shape}{_shape_hint(x.shape, t.shape)}")
    if t.dtype.kind in "iub":
        return x, t.astype(x.dtype)
    if isinstance(target, Tensor) and target.requires_grad:
        return x, target
    return x, t


def _regression(fn: Any, input: Any, target: Any, reduction: str, where: str,  # noqa: A002
                **opts: Any) -> Tensor:
    _reduction(reduction, where)
    x, t = _pair(input, target, where)
    return fn.apply(x, t, reduction=reduction, **opts)  # type: ignore[no-any-return]


def mse_loss(input: Tensor, target: Any, *, reduction: str = "mean") -> Tensor:  # noqa: A002
    """Mean squared error: mean((input - target)²).

    Shape
    -----
    input and target: the same shape (no broadcasting); output: scalar, or that shape
    with ``reduction='none'``.

    Example
    -------
    >>> import chainrule as cr
    >>> cr.nn.functional.mse_loss(cr.tensor([1.0, 2.0]), cr.tensor([1.0, 4.0]))
    tensor(2.)
    """
    return _regression(L.MSELoss, input, target, reduction, "mse_loss")


def l1_loss(input: Tensor, target: Any, *, reduction: str = "mean") -> Tensor:  # noqa: A002
    """Mean absolute error: mean(|input - target|). Shape as :func:`mse_loss`."""
    return _regression(L.L1Loss, input, target, reduction, "l1_loss")


def huber_loss(input: Tensor, target: Any, reduction: str = "mean",  # noqa: A002
               delta: float = 1.0) -> Tensor:
    """Quadratic below ``delta``, linear above: d²/2 or δ(|d| - δ/2). Shape as :func:`mse_loss`.
    """
    if not delta > 0:
        raise ValueError(f"huber_loss: expected delta > 0, got {delta}")
    return _regression(L.HuberLoss, input, target, reduction, "huber_loss", delta=delta)


def smooth_l1_loss(input: Tensor, target: Any, *, reduction: str = "mean",  # noqa: A002
                   beta: float = 1.0) -> Tensor:
    """d²/(2β) below ``beta``, |d| - β/2 above (Huber divided by β). Shape as :func:`mse_loss`.
    """
    if not beta >= 0:
        raise ValueError(f"smooth_l1_loss: expected beta >= 0, got {beta}")
    return _regression(L.SmoothL1Loss, input, target, reduction, "smooth_l1_loss", beta=beta)


def _elementwise_weight(w: Any, shape: tuple[int, ...], dtype: np.dtype, name: str,
                        where: str) -> np.ndarray | None:
    if w is None:
        return None
    arr = _array(w).astype(dtype, copy=False)
    try:
        ok = np.broadcast_shapes(arr.shape, shape) == shape
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(f"{where}: expected {name} broadcastable to the input shape {shape}, "
                         f"got shape {arr.shape}")
    return arr


def binary_cross_entropy(input: Tensor, target: Any, weight: Any = None, *,  # noqa: A002
                         reduction: str = "mean") -> Tensor:
    """BCE on probabilities: -w[t ln x + (1 - t) ln(1 - x)], logs clamped at -100.

    Shape
    -----
    input (probabilities in [0, 1]) and target: the same shape; weight broadcasts to it.

    Example
    -------
    >>> import chainrule as cr
    >>> p = cr.tensor([0.9, 0.2])
    >>> round(cr.nn.functional.binary_cross_entropy(p, cr.tensor([1.0, 0.0])).item(), 4)
    0.1643
    """
    where = "binary_cross_entropy"
    _reduction(reduction, where)
    x, t = _pair(input, target, where)
    if x._data.size and not (x._data.min() >= 0 and x._data.max() <= 1):
        raise ValueError(f"{where}: expected input probabilities in [0, 1], got values in "
                         f"[{x._data.min():.4g}, {x._data.max():.4g}]; apply sigmoid first, or use "
                         "binary_cross_entropy_with_logits (BCEWithLogitsLoss) on raw scores")
    w = _elementwise_weight(weight, x.shape, x._data.dtype, "weight", where)
    return L.BCELoss.apply(x, t, weight=w, reduction=reduction)  # type: ignore[no-any-return]


def binary_cross_entropy_with_logits(input: Tensor, target: Any,  # noqa: A002
                                     weight: Any = None, *, reduction: str = "mean",
                                     pos_weight: Any = None) -> Tensor:
    """BCE on raw scores (logits), stable for any value: sigmoid and BCE in one node.

    ``pos_weight`` multiplies the loss of positive targets (broadcast along the last dim).

    Shape
    -----
    input (logits) and target: the same shape; weight and pos_weight broadcast to it.

    Example
    -------
    >>> import chainrule as cr
    >>> z = cr.tensor([2.0, -1.0])
    >>> round(cr.nn.functional.binary_cross_entropy_with_logits(z, cr.tensor([1.0, 0.0])).item(), 4)
    0.2201
    """
    where = "binary_cross_entropy_with_logits"
    _reduction(reduction, where)
    x, t = _pair(input, target, where)
    w = _elementwise_weight(weight, x.shape, x._data.dtype, "weight", where)
    pw = _elementwise_weight(pos_weight, x.shape, x._data.dtype, "pos_weight", where)
    return L.BCEWithLogitsLoss.apply(x, t, weight=w, pos_weight=pw,  # type: ignore[no-any-return]
                                     reduction=reduction)


def _class_targets(x: Tensor, target: Any, ignore_index: int, where: str,
                   allow_probs: bool) -> np.ndarray:
    """The integer class-index target, checked (shape, dtype, range); a float array of the
    input's shape when ``allow_probs`` and the target holds class probabilities."""
    if x.ndim == 0:
        raise ValueError(f"{where}: expected input of shape (N, C), (N, C, d1, ...) or (C,), got "
                         "shape ()")
    t = _array(target)
    c = x.shape[1] if x.ndim >= 2 else x.shape[0]
    idx_shape = x.shape[:1] + x.shape[2:] if x.ndim >= 2 else ()
    if t.dtype.kind == "f" and allow_probs and t.shape == x.shape:
        return t
    if t.dtype.kind not in "iu":
        if t.shape == idx_shape:
            raise TypeError(f"{where}: expected integer class indices (int64) for a target of "
                            f"shape {t.shape}, got dtype {t.dtype}; use target.long()")
        if t.dtype.kind != "f" or not allow_probs:
            squeeze = "; use target.view(-1).long()" if t.shape == idx_shape + (1,) else ""
            raise TypeError(f"{where}: expected integer class indices of shape {idx_shape}, got "
                            f"dtype {t.dtype} and shape {t.shape}{squeeze}")
    if t.shape != idx_shape:
        probs = f" or {x.shape} (class probabilities)" if allow_probs else ""
        hint = ""
        if t.shape == idx_shape + (1,):
            cast = ".long()" if t.dtype.kind == "f" else ""
            hint = f"; targets of shape (N, 1)? use target.view(-1){cast} (class indices, (N,))"
        elif t.shape == x.shape:
            hint = "; one-hot targets? use target.argmax(1) for class indices"
            hint += ", or pass them as floats (probabilities)" if allow_probs else ""
        raise ValueError(f"{where}: expected target of shape {idx_shape} (class indices)"
                         f"{probs}, got shape {t.shape}{hint}")
    if t.size:
        lo, hi = int(t.min()), int(t.max())
        if lo < 0 or hi >= c:
            bad = t[(t != ignore_index) & ((t < 0) | (t >= c))]
            if bad.size:
                raise IndexError(f"{where}: expected class indices in [0, {c}) (or ignore_index="
                                 f"{ignore_index}), got {int(bad.flat[0])}")
    return t


def _class_weight(weight: Any, c: int, dtype: np.dtype, where: str) -> np.ndarray | None:
    if weight is None:
        return None
    w = _array(weight).astype(dtype, copy=False)
    if w.shape != (c,):
        raise ValueError(f"{where}: expected weight of shape ({c},) (one per class), got shape "
                         f"{w.shape}")
    return w


def cross_entropy(input: Tensor, target: Any, weight: Any = None, *,  # noqa: A002
                  ignore_index: int = -100, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:
    """Cross-entropy from logits: log-softmax over dim 1 and NLL, one fused node.

    Targets are class indices (int64; ``ignore_index`` entries are skipped) or class
    probabilities of the input's shape. Weighted 'mean' divides by the sum of the
    weights of the counted targets, as PyTorch.

    Shape
    -----
    input (N, C), (N, C, d1, ...) or (C,); target (N,), (N, d1, ...) or () of class
    indices, or the input's shape (probabilities); output scalar, or the target's batch
    shape with ``reduction='none'``.

    Example
    -------
    >>> import chainrule as cr
    >>> logits = cr.tensor([[2.0, 0.0], [0.0, 2.0]])
    >>> round(cr.nn.functional.cross_entropy(logits, cr.tensor([0, 1])).item(), 4)
    0.1269
    """
    where = "cross_entropy"
    x = _tensor(input, where)
    _reduction(reduction, where)
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"{where}: expected label_smoothing in [0, 1], got {label_smoothing}")
    t = _class_targets(x, target, ignore_index, where, allow_probs=True)
    c = x.shape[1] if x.ndim >= 2 else x.shape[0]
    w = _class_weight(weight, c, x._data.dtype, where)
    if t.dtype.kind == "f":
        return _cross_entropy_probs(x, target, w, reduction, label_smoothing, c)
    return L.CrossEntropyLoss.apply(x, t, weight=w,  # type: ignore[no-any-return]
                                    ignore_index=ignore_index, reduction=reduction,
                                    label_smoothing=label_smoothing)


def _cross_entropy_probs(x: Tensor, target: Any, w: np.ndarray | None, reduction: str,
                         eps: float, c: int) -> Tensor:
    """-Σ_c w_c t_c log p_c per sample (t smoothed to (1 - ε)t + ε/C); 'mean' over samples."""
    dim = 1 if x.ndim >= 2 else 0
    logp = ops.log_softmax(x, dim)
    t = target if isinstance(target, Tensor) and target.requires_grad else \
        Tensor(_array(target).astype(x.dtype, copy=False))
    if eps:
        t = t * (1 - eps) + eps / c
    if w is not None:
        shape = [1] * x.ndim
        shape[dim] = c
        t = t * Tensor(w.reshape(shape))
    loss = -(logp * t).sum(dim)
    if reduction == "mean":
        return loss.mean()
    return loss.sum() if reduction == "sum" else loss


def nll_loss(input: Tensor, target: Any, weight: Any = None, *,  # noqa: A002
             ignore_index: int = -100, reduction: str = "mean") -> Tensor:
    """Negative log-likelihood of class indices, from log-probabilities (``log_softmax``).

    Shape
    -----
    input (N, C), (N, C, d1, ...) or (C,); target the batch shape, integer class indices.

    Example
    -------
    >>> import chainrule as cr
    >>> logp = cr.tensor([[-0.1, -2.4], [-1.2, -0.4]])
    >>> cr.nn.functional.nll_loss(logp, cr.tensor([0, 1]))
    tensor(0.2500)
    """
    where = "nll_loss"
    x = _tensor(input, where)
    _reduction(reduction, where)
    t = _class_targets(x, target, ignore_index, where, allow_probs=False)
    c = x.shape[1] if x.ndim >= 2 else x.shape[0]
    w = _class_weight(weight, c, x._data.dtype, where)
    return L.NLLLoss.apply(x, t, weight=w, ignore_index=ignore_index,  # type: ignore[no-any-return]
                           reduction=reduction)
