"""Rows of the op table for the functions added for PyTorch compatibility (issue 9): more
elementwise math, cumsum/flip/roll/tril/triu/masked_fill, strict matrix products, meshgrid,
and the values of sort/topk. Appended to CASES by op_table.py."""
from __future__ import annotations

import numpy as np
from op_case import SAME, C, Case, torch

import chainrule as cr

U = (((),), ((1,),), ((3,),), ((2, 3),))
U1 = (((2, 3),),)
M = (((2, 3),), ((3, 3),))
_MASK = np.array([[True, False, True], [False, False, True]])


def _mask(x):  # the same bool mask for both libraries
    return cr.tensor(_MASK) if isinstance(x, cr.Tensor) else torch.tensor(_MASK)


COMPAT_CASES: list[Case] = [
    C("log10", lambda x: cr.log10(x), lambda x: torch.log10(x), np.log10, U, "pos"),
    C("log2", lambda x: cr.log2(x), lambda x: torch.log2(x), np.log2, U, "pos"),
    C("sinh", lambda x: cr.sinh(x), lambda x: torch.sinh(x), np.sinh, U),
    C("cosh", lambda x: cr.cosh(x), lambda x: torch.cosh(x), np.cosh, U),
    C("tan", lambda x: cr.tan(x), lambda x: torch.tan(x), np.tan, U),
    C("expm1", lambda x: cr.expm1(x), lambda x: torch.expm1(x), np.expm1, U),
    C("square", lambda x: cr.square(x), lambda x: torch.square(x), np.square, U),
    C("reciprocal", lambda x: cr.reciprocal(x), lambda x: torch.reciprocal(x), np.reciprocal, U,
      "away"),
    C("rsqrt", lambda x: cr.rsqrt(x), lambda x: torch.rsqrt(x), lambda x: 1 / np.sqrt(x), U,
      "pos"),
    C("cumsum", lambda x: cr.cumsum(x, 0), lambda x: torch.cumsum(x, 0),
      lambda x: np.cumsum(x, 0) if x.ndim else x, U),
    C("cumsum-dim", lambda x: cr.cumsum(x, dim=-1), lambda x: torch.cumsum(x, dim=-1),
      lambda x: np.cumsum(x, -1), (((2, 3, 2),),)),
    C("flip", lambda x: cr.flip(x, (0, 1)), lambda x: torch.flip(x, (0, 1)),
      lambda x: x[::-1, ::-1], M),
    C("roll", lambda x: cr.roll(x, 2), lambda x: torch.roll(x, 2),
      lambda x: np.roll(x, 2), M),
    C("roll-dims", lambda x: cr.roll(x, (1, -1), (0, 1)), lambda x: torch.roll(x, (1, -1), (0, 1)),
      lambda x: np.roll(x, (1, -1), (0, 1)), M),
    C("tril", lambda x: cr.tril(x), lambda x: torch.tril(x), np.tril, M + (((2, 3, 3),),)),
    C("triu", lambda x: cr.triu(x, 1), lambda x: torch.triu(x, 1), lambda x: np.triu(x, 1), M),
    C("masked_fill", lambda x: cr.masked_fill(x, _mask(x), -1.0),
      lambda x: torch.masked_fill(x, _mask(x), -1.0), lambda x: np.where(_MASK, -1.0, x),
      (((2, 3),), ((4, 2, 3),), ((3,),))),
    C("mm", lambda a, b: cr.mm(a, b), lambda a, b: torch.mm(a, b), np.matmul, (((2, 3), (3, 4)),)),
    C("bmm", lambda a, b: cr.bmm(a, b), lambda a, b: torch.bmm(a, b), np.matmul,
      (((2, 2, 3), (2, 3, 4)),)),
    C("dot", lambda a, b: cr.dot(a, b), lambda a, b: torch.dot(a, b), np.dot, (((3,), (3,)),)),
    C("outer", lambda a, b: cr.outer(a, b), lambda a, b: torch.outer(a, b), np.outer,
      (((3,), (2,)),)),
    C("t", lambda x: cr.t(x), lambda x: torch.t(x), lambda x: x.T, (((2, 3),), ((3,),))),
    C("matmul-keywords", lambda a, b: cr.matmul(input=a, other=b),
      lambda a, b: torch.matmul(input=a, other=b), np.matmul, (((2, 3), (3,)),)),
    C("meshgrid-ij", lambda a, b: cr.meshgrid(a, b, indexing="ij"),
      lambda a, b: torch.meshgrid(a, b, indexing="ij"),
      lambda a, b: tuple(np.meshgrid(a, b, indexing="ij")), (((3,), (2,)),)),
    C("meshgrid-xy", lambda a, b, c: cr.meshgrid([a, b, c], indexing="xy"),
      lambda a, b, c: torch.meshgrid([a, b, c], indexing="xy"),
      lambda a, b, c: tuple(np.meshgrid(a, b, c, indexing="xy")), (((3,), (2,), (4,)),)),
    C("sort-values", lambda x: cr.sort(x, 1, descending=True).values,
      lambda x: torch.sort(x, 1, descending=True).values, lambda x: -np.sort(-x, 1),
      (((2, 3),),), "distinct"),
    C("sort", lambda x: tuple(cr.sort(x)), lambda x: tuple(torch.sort(x)),
      lambda x: (np.sort(x, -1), np.argsort(x, -1)), (((4,),), ((2, 3),)), "distinct"),
    C("topk", lambda x: tuple(cr.topk(x, 2)), lambda x: tuple(torch.topk(x, 2)),
      lambda x: (-np.sort(-x, -1)[..., :2], np.argsort(-x, -1)[..., :2]), (((4,),), ((2, 3),)),
      "distinct"),
    C("topk-smallest", lambda x: cr.topk(x, 1, dim=0, largest=False).values,
      lambda x: torch.topk(x, 1, dim=0, largest=False).values,
      lambda x: np.sort(x, 0)[:1], U1, "distinct"),
    # ---- Tensor methods ---------------------------------------------------------------------
    C(".log10", lambda x: x.log10(), SAME, np.log10, U1, "pos"),
    C(".log2", lambda x: x.log2(), SAME, np.log2, U1, "pos"),
    C(".sinh", lambda x: x.sinh(), SAME, np.sinh, U1),
    C(".cosh", lambda x: x.cosh(), SAME, np.cosh, U1),
    C(".tan", lambda x: x.tan(), SAME, np.tan, U1),
    C(".expm1", lambda x: x.expm1(), SAME, np.expm1, U1),
    C(".square", lambda x: x.square(), SAME, np.square, U1),
    C(".reciprocal", lambda x: x.reciprocal(), SAME, np.reciprocal, U1, "away"),
    C(".rsqrt", lambda x: x.rsqrt(), SAME, lambda x: 1 / np.sqrt(x), U1, "pos"),
    C(".cumsum", lambda x: x.cumsum(1), SAME, lambda x: np.cumsum(x, 1), U1),
    C(".flip", lambda x: x.flip(0, 1), SAME, lambda x: x[::-1, ::-1], U1),
    C(".roll", lambda x: x.roll(1, 1), SAME, lambda x: np.roll(x, 1, 1), U1),
    C(".tril", lambda x: x.tril(-1), SAME, lambda x: np.tril(x, -1), M),
    C(".triu", lambda x: x.triu(), SAME, np.triu, M),
    C(".masked_fill", lambda x: x.masked_fill(_mask(x), 2.0), SAME,
      lambda x: np.where(_MASK, 2.0, x), U1),
    C(".mm", lambda a, b: a.mm(b), SAME, np.matmul, (((2, 3), (3, 2)),)),
    C(".bmm", lambda a, b: a.bmm(b), SAME, np.matmul, (((3, 1, 2), (3, 2, 2)),)),
    C(".dot", lambda a, b: a.dot(b), SAME, np.dot, (((4,), (4,)),)),
    C(".outer", lambda a, b: a.outer(b), SAME, np.outer, (((2,), (3,)),)),
    C(".t", lambda x: x.t(), SAME, lambda x: x.T, U1),
    C(".mT", lambda x: x.mT, SAME, lambda x: np.swapaxes(x, -1, -2), (((2, 3),), ((4, 2, 3),))),
    C(".sort", lambda x: x.sort(0).values, SAME, lambda x: np.sort(x, 0), U1, "distinct"),
    C(".topk", lambda x: x.topk(2, 1).values, SAME, lambda x: -np.sort(-x, 1)[:, :2], U1,
      "distinct"),
]
