"""Products and their fused forms with PyTorch's names: mv, inner, kron, tensordot, einsum,
addmm and friends, cross, dist/cdist, cov/corrcoef. einsum is a Function of its own (its
backward is an einsum per operand); the rest are written with differentiable primitives."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..autograd.function import Function
from ..tensor import Tensor
from . import arrange as A
from . import functions as Fn
from .matrix import dot, outer


def mv(input: Tensor, vec: Tensor) -> Tensor:  # noqa: A002
    """Matrix (n, m) times vector (m,) -> (n,)."""
    if input.ndim != 2 or vec.ndim != 1:
        raise ValueError(f"mv: expected a 2-D matrix and a 1-D vector, got shapes "
                         f"{input._data.shape} and {vec._data.shape}")
    return A.matmul(input, vec)


def inner(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """Sum of products over the last dims: (..., n), (..., n) -> a.shape[:-1] + b.shape[:-1]."""
    if input.ndim == 0 or other.ndim == 0:
        return Fn.mul(input, other)
    n = input._data.shape[-1]
    r = A.matmul(A.reshape(input, -1, n), A.transpose(A.reshape(other, -1, n), 0, 1))
    return A.reshape(r, tuple(input._data.shape[:-1]) + tuple(other._data.shape[:-1]))


vdot = dot
ger = outer


def kron(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """Kronecker product: every element of input times the whole of other."""
    nd = max(input.ndim, other.ndim)
    a = A.reshape(input, (1,) * (nd - input.ndim) + tuple(input._data.shape))
    b = A.reshape(other, (1,) * (nd - other.ndim) + tuple(other._data.shape))
    sa, sb = a._data.shape, b._data.shape
    a2 = A.reshape(a, tuple(v for s in sa for v in (s, 1)))
    b2 = A.reshape(b, tuple(v for s in sb for v in (1, s)))
    return A.reshape(Fn.mul(a2, b2), tuple(x * y for x, y in zip(sa, sb)))


def tensordot(a: Tensor, b: Tensor, dims: Any = 2) -> Tensor:
    """Sum of products over ``dims`` (the last n of a with the first n of b, or two lists)."""
    if isinstance(dims, int):
        da, db = list(range(a.ndim - dims, a.ndim)), list(range(dims))
    else:
        da, db = [list(d) if not isinstance(d, int) else [d] for d in dims]
    da, db = [d % a.ndim for d in da], [d % b.ndim for d in db]
    fa = [i for i in range(a.ndim) if i not in da]
    fb = [i for i in range(b.ndim) if i not in db]
    k = int(np.prod([a._data.shape[i] for i in da]))
    a2 = A.reshape(A.permute(a, *(fa + da)), -1, k)
    b2 = A.reshape(A.permute(b, *(db + fb)), k, -1)
    shape = tuple(a._data.shape[i] for i in fa) + tuple(b._data.shape[i] for i in fb)
    return A.reshape(A.matmul(a2, b2), shape)


class Einsum(Function):
    """y = einsum(spec, *xs); dL/dx_k = einsum(out, others -> sub_k)(g, ...) broadcast over
    the indices only x_k has"""

    @staticmethod
    def forward(ctx, *xs, subs=(), out=""):
        ctx.subs, ctx.out = subs, out
        ctx.save_for_backward(*xs)
        return np.asarray(np.einsum(",".join(subs) + "->" + out, *xs))

    @staticmethod
    def backward(ctx, grad_out):
        xs, subs, grads = ctx.saved_arrays, ctx.subs, []
        for k, (x, s) in enumerate(zip(xs, subs)):
            if not ctx.needs_input_grad[k]:
                grads.append(None)
                continue
            others = [(o, t) for j, (o, t) in enumerate(zip(xs, subs)) if j != k]
            have = set(ctx.out).union(*(set(t) for _, t in others))
            kept = "".join(c for c in dict.fromkeys(s) if c in have)
            spec = ",".join([ctx.out] + [t for _, t in others]) + "->" + kept
            g = np.einsum(spec, grad_out, *(o for o, _ in others))
            uniq = list(dict.fromkeys(s))
            g = g.reshape([x.shape[s.index(c)] if c in kept else 1 for c in uniq])
            g = np.broadcast_to(g, [x.shape[s.index(c)] for c in uniq])
            grads.append(g.copy() if len(uniq) == len(s) else _diag_grad(g, s, x.shape))
        return tuple(grads)


def _diag_grad(g: np.ndarray, s: str, shape: tuple[int, ...]) -> np.ndarray:
    """Gradient for an operand with a repeated index (its diagonal): scatter ``g`` (one axis
    per distinct index) back onto the positions where the repeated indices agree."""
    uniq = list(dict.fromkeys(s))
    out = np.zeros(shape, g.dtype)
    for idx in np.ndindex(*g.shape):
        pos = tuple(idx[uniq.index(c)] for c in s)
        out[pos] += g[idx]
    return out


def einsum(equation: str, *operands: Any) -> Tensor:
    """Einstein summation as ``torch.einsum`` ("ij,jk->ik"; implicit output allowed; no "...").

    Example
    -------
    >>> import chainrule as cr
    >>> cr.einsum("ij,j->i", cr.ones(2, 3), cr.tensor([1.0, 2.0, 3.0]))
    tensor([6., 6.])
    """
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    eq = equation.replace(" ", "")
    if "." in eq:
        raise ValueError("einsum: expected explicit subscripts, got '...' (write the dims out)")
    lhs, arrow, out = eq.partition("->")
    subs = tuple(lhs.split(","))
    if len(subs) != len(operands):
        raise ValueError(f"einsum: expected {len(subs)} operands for {equation!r}, got "
                         f"{len(operands)}")
    if not arrow:
        counts = {c: lhs.count(c) for c in lhs if c.isalpha()}
        out = "".join(sorted(c for c, n in counts.items() if n == 1))
    ts = [o if isinstance(o, Tensor) else Tensor(o) for o in operands]
    return Einsum.apply(*ts, subs=subs, out=out)


def addmm(input: Tensor, mat1: Tensor, mat2: Tensor, *, beta: float = 1,  # noqa: A002
          alpha: float = 1) -> Tensor:
    """beta·input + alpha·(mat1 @ mat2)."""
    from .matrix import mm
    return _fused(input, mm(mat1, mat2), beta, alpha)


def addmv(input: Tensor, mat: Tensor, vec: Tensor, *, beta: float = 1,  # noqa: A002
          alpha: float = 1) -> Tensor:
    return _fused(input, mv(mat, vec), beta, alpha)


def addbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta: float = 1,  # noqa: A002
           alpha: float = 1) -> Tensor:
    """beta·input + alpha·Σ_b batch1[b] @ batch2[b]."""
    from .matrix import bmm
    return _fused(input, Fn.sum(bmm(batch1, batch2), 0), beta, alpha)


def baddbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta: float = 1,  # noqa: A002
            alpha: float = 1) -> Tensor:
    from .matrix import bmm
    return _fused(input, bmm(batch1, batch2), beta, alpha)


def addr(input: Tensor, vec1: Tensor, vec2: Tensor, *, beta: float = 1,  # noqa: A002
         alpha: float = 1) -> Tensor:
    return _fused(input, outer(vec1, vec2), beta, alpha)


def _fused(input: Tensor, prod: Tensor, beta: float, alpha: float) -> Tensor:  # noqa: A002
    a = prod if alpha == 1 else Fn.mul(prod, alpha)
    return Fn.add(input if beta == 1 else Fn.mul(input, beta), a)


def addcmul(input: Tensor, tensor1: Any, tensor2: Any, *, value: float = 1) -> Tensor:  # noqa: A002
    """input + value·tensor1·tensor2."""
    return Fn.add(input, Fn.mul(Fn.mul(tensor1, tensor2), value))


def addcdiv(input: Tensor, tensor1: Any, tensor2: Any, *, value: float = 1) -> Tensor:  # noqa: A002
    """input + value·tensor1/tensor2."""
    return Fn.add(input, Fn.mul(Fn.div(tensor1, tensor2), value))


def cross(input: Tensor, other: Tensor, dim: int | None = None) -> Tensor:  # noqa: A002
    """Cross product of 3-vectors along ``dim`` (the first dim of size 3 when omitted)."""
    if dim is None:
        dim = next((i for i, n in enumerate(input._data.shape) if n == 3), -1)
    if input._data.shape[dim] != 3:
        raise ValueError(f"cross: expected dim {dim} of size 3, got shape {input._data.shape}")
    def pick(t: Tensor, order: Sequence[int]) -> Tensor:
        return A.index_select(t, dim % t.ndim, np.array(order))
    return Fn.sub(Fn.mul(pick(input, (1, 2, 0)), pick(other, (2, 0, 1))),
                  Fn.mul(pick(input, (2, 0, 1)), pick(other, (1, 2, 0))))


def dist(input: Tensor, other: Tensor, p: float = 2) -> Tensor:  # noqa: A002
    """The p-norm of input - other."""
    return Fn.norm(Fn.sub(input, other), p)


def cdist(x1: Tensor, x2: Tensor, p: float = 2.0) -> Tensor:
    """Pairwise p-norm distances between rows: (..., n, d), (..., m, d) -> (..., n, m)."""
    diff = Fn.sub(A.unsqueeze(x1, -2), A.unsqueeze(x2, -3))
    return Fn.norm(diff, p, -1)


def cov(input: Tensor, *, correction: int = 1, fweights: Any = None,  # noqa: A002
        aweights: Any = None) -> Tensor:
    """Covariance of the variables in the rows (observations in the columns)."""
    if fweights is not None or aweights is not None:
        raise ValueError("cov: expected no fweights/aweights (not supported), got weights")
    x = A.reshape(input, 1, -1) if input.ndim < 2 else input
    n = x._data.shape[1]
    xc = Fn.sub(x, Fn.mean(x, 1, keepdim=True))
    c = Fn.div(A.matmul(xc, A.transpose(xc, 0, 1)), max(n - correction, 0))
    return A.reshape(c, ()) if input.ndim < 2 else c


def corrcoef(input: Tensor) -> Tensor:  # noqa: A002
    """Pearson correlation coefficients of the variables in the rows, clipped to [-1, 1]."""
    c = cov(input)
    if c.ndim == 0:
        return Fn.div(c, c)
    i = np.arange(c._data.shape[0])
    d = Fn.sqrt(A.getitem(c, (i, i)))
    return Fn.clamp(Fn.div(Fn.div(c, A.unsqueeze(d, 1)), A.unsqueeze(d, 0)), -1.0, 1.0)
