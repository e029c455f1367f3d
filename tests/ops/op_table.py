"""THE table of op cases: it drives forward-vs-NumPy, float64 gradcheck and PyTorch parity
(tests/ops/test_op_table.py), and a meta-test fails when a public op has no case.

A row: ``C(name, chainrule callable, torch callable, NumPy reference, shape sets, domain)``
(see op_case.py). ``SAME`` reuses the chainrule callable (``a + b`` reads the same on all three).
Callables are lambdas that look names up at call time (``cr.exp``, ``x.sum``): the meta-test
patches those to see which public functions and Tensor methods each row exercises.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from op_case import SAME, TF, C, Case, gelu_ref, max_dim_ref, softmax_ref, softplus_ref, torch

import chainrule as cr


def _t(data: Any) -> Any:  # a torch int64 index
    return torch.tensor(data)


def _c(x: Any) -> Any:  # a constant matrix of x's dtype for `ndarray @ x`
    if isinstance(x, cr.Tensor):
        return _MAT.astype(x.dtype)
    return torch.tensor(_MAT, dtype=x.dtype)


_MAT = np.linspace(-1.0, 1.0, 6).reshape(2, 3)
_IDX = np.array([[0, 3], [1, 1], [2, 0]])
_INF = float("inf")
# shape sets: unary, one unary, binary with broadcasting, one binary, dim-1 reductions
U = (((),), ((1,),), ((3,),), ((2, 3),))
U1 = (((2, 3),),)
B = (((), ()), ((3,), (3,)), ((1,), ()), ((2, 1), (2,)), ((3, 1, 2), (1, 3, 2)), ((2, 3, 2), ()))
B1 = (((2, 1), (3,)),)
R = (((2, 3),), ((2, 3, 2),))
IX = (((3, 4),),)

CASES: list[Case] = [
    # ---- elementwise, as chainrule functions --------------------------------------------
    C("add", lambda a, b: cr.add(a, b), lambda a, b: torch.add(a, b), np.add,
      B + (((0, 2), (2,)),)),
    C("add-alpha", lambda a, b: cr.add(a, b, alpha=2), lambda a, b: torch.add(a, b, alpha=2),
      lambda a, b: a + 2 * b, B1),
    C("sub", lambda a, b: cr.sub(a, b), lambda a, b: torch.sub(a, b), np.subtract, B),
    C("sub-alpha", lambda a, b: cr.sub(a, b, alpha=0.5), lambda a, b: torch.sub(a, b, alpha=0.5),
      lambda a, b: a - 0.5 * b, B1),
    C("mul", lambda a, b: cr.mul(a, b), lambda a, b: torch.mul(a, b), np.multiply, B),
    C("div", lambda a, b: cr.div(a, b), lambda a, b: torch.div(a, b), np.divide, B,
      ("real", "away")),
    C("pow", lambda a, b: cr.pow(a, b), lambda a, b: torch.pow(a, b), np.power, B, ("pos", "real")),
    C("pow-int", lambda x: cr.pow(x, 3), lambda x: torch.pow(x, 3), lambda x: x ** 3, U),
    C("maximum", lambda a, b: cr.maximum(a, b), lambda a, b: torch.maximum(a, b), np.maximum, B,
      "distinct"),
    C("minimum", lambda a, b: cr.minimum(a, b), lambda a, b: torch.minimum(a, b), np.minimum, B,
      "distinct"),
    C("where", lambda a, b: cr.where(a > 0, a, b), lambda a, b: torch.where(a > 0, a, b),
      lambda a, b: np.where(a > 0, a, b), B, "distinct"),
    C("neg", lambda x: cr.neg(x), lambda x: torch.neg(x), np.negative, U),
    C("abs", lambda x: cr.abs(x), lambda x: torch.abs(x), np.abs, U, "distinct"),
    C("exp", lambda x: cr.exp(x), lambda x: torch.exp(x), np.exp, U + (((0,),),)),
    C("log", lambda x: cr.log(x), lambda x: torch.log(x), np.log, U, "pos"),
    C("log1p", lambda x: cr.log1p(x), lambda x: torch.log1p(x), np.log1p, U, "gt-1"),
    C("sqrt", lambda x: cr.sqrt(x), lambda x: torch.sqrt(x), np.sqrt, U, "pos"),
    C("sin", lambda x: cr.sin(x), lambda x: torch.sin(x), np.sin, U),
    C("cos", lambda x: cr.cos(x), lambda x: torch.cos(x), np.cos, U),
    C("clamp", lambda x: cr.clamp(x, -0.5, 0.5), lambda x: torch.clamp(x, -0.5, 0.5),
      lambda x: np.clip(x, -0.5, 0.5), U, "distinct"),
    C("clamp-min", lambda x: cr.clamp(x, min=0.5), lambda x: torch.clamp(x, min=0.5),
      lambda x: np.maximum(x, 0.5), U1, "distinct"),
    C("clamp-tensors", lambda x: cr.clamp(x, cr.tensor([-0.5, 0.0, 0.25]), cr.tensor(0.5)),
      lambda x: torch.clamp(x, torch.tensor([-0.5, 0.0, 0.25]), torch.tensor(0.5)),
      lambda x: np.clip(x, [-0.5, 0.0, 0.25], 0.5), (((3,),), ((2, 3),)), "distinct"),
    C("clip-max", lambda x: cr.clip(x, max=-0.5), lambda x: torch.clip(x, max=-0.5),
      lambda x: np.minimum(x, -0.5), U1, "distinct"),
    # ---- operators (Tensor dunders), Python and NumPy scalars on either side ----------------
    C("a+b", lambda a, b: a + b, SAME, SAME, B1),
    C("s+a", lambda x: 2.5 + x, SAME, SAME, U1),
    C("a-b", lambda a, b: a - b, SAME, SAME, B1),
    C("s-a", lambda x: 2.5 - x, SAME, SAME, U1),
    C("a*b", lambda a, b: a * b, SAME, SAME, B1),
    C("s*a", lambda x: 3 * x, SAME, SAME, U1),
    C("np*a", lambda x: np.float64(3.0) * x, lambda x: 3.0 * x, SAME, U1),
    C("a*np", lambda x: x * np.float32(0.5), lambda x: x * 0.5, SAME, U1),
    C("a/b", lambda a, b: a / b, SAME, SAME, B1, ("real", "away")),
    C("s/a", lambda x: 1.5 / x, SAME, SAME, U1, "away"),
    C("a**b", lambda a, b: a ** b, SAME, SAME, B1, ("pos", "real")),
    C("a**s", lambda x: x ** 2.5, SAME, SAME, U1, "pos"),
    C("s**a", lambda x: 2.0 ** x, SAME, SAME, U1),
    C("a@b", lambda a, b: a @ b, SAME, SAME, (((2, 3), (3, 4)),)),
    C("np@a", lambda x: _c(x) @ x, SAME, lambda x: _MAT @ x, (((3, 2),),)),
    C("-a", lambda x: -x, SAME, SAME, U1),
    C("abs()", lambda x: abs(x), SAME, SAME, U1, "distinct"),
    # ---- indexing ---------------------------------------------------------------------------
    C("x[int]", lambda x: x[1], SAME, SAME, IX),
    C("x[slices]", lambda x: x[1:3, ::2], SAME, SAME, IX),
    C("x[None,...]", lambda x: x[None, ..., -1], SAME, SAME, IX + (((2, 3, 2),),)),
    C("x[mask]", lambda x: x[x > 0], SAME, SAME, IX, "distinct"),
    C("x[list]", lambda x: x[[0, 2, 0]], SAME, SAME, IX),
    C("x[t,t]", lambda x: x[cr.tensor([0, 2, 0]), cr.tensor([1, 1, 3])],
      lambda x: x[_t([0, 2, 0]), _t([1, 1, 3])], lambda x: x[[0, 2, 0], [1, 1, 3]], IX),
    C("getitem", lambda x: cr.getitem(x, (slice(None), [1, 1])), lambda x: x[:, [1, 1]],
      lambda x: x[:, [1, 1]], IX),
    C("index_select", lambda x: cr.index_select(x, 1, cr.tensor([2, 0, 2])),
      lambda x: torch.index_select(x, 1, _t([2, 0, 2])), lambda x: x[:, [2, 0, 2]], IX),
    C("gather", lambda x: cr.gather(x, 1, cr.tensor(_IDX)), lambda x: torch.gather(x, 1, _t(_IDX)),
      lambda x: np.take_along_axis(x, _IDX, 1), IX),
    # ---- reductions ------------------------------------------------------------------------
    C("sum", lambda x: cr.sum(x), lambda x: torch.sum(x), np.sum, U + (((0, 3),),)),
    C("sum-dim", lambda x: cr.sum(x, 1), lambda x: torch.sum(x, 1), lambda x: x.sum(1), R),
    C("sum-dims-keepdim", lambda x: cr.sum(x, (0, 2), keepdim=True),
      lambda x: torch.sum(x, (0, 2), keepdim=True), lambda x: x.sum((0, 2), keepdims=True),
      (((2, 3, 2),),)),
    C("sum-axis-alias", lambda x: cr.sum(x, axis=-1, keepdims=True),
      lambda x: torch.sum(x, dim=-1, keepdim=True), lambda x: x.sum(-1, keepdims=True), U1),
    C("mean", lambda x: cr.mean(x), lambda x: torch.mean(x), np.mean, U),
    C("mean-dim", lambda x: cr.mean(x, -1, keepdim=True), lambda x: torch.mean(x, -1, keepdim=True),
      lambda x: x.mean(-1, keepdims=True), R),
    C("prod", lambda x: cr.prod(x), lambda x: torch.prod(x), np.prod, U + (((2, 3),),), "with0"),
    C("prod-dim", lambda x: cr.prod(x, 1), lambda x: torch.prod(x, 1), lambda x: x.prod(1), R),
    C("var", lambda x: cr.var(x), lambda x: torch.var(x), lambda x: x.var(ddof=1),
      (((3,),), ((2, 3),))),
    C("var-dim-c0", lambda x: cr.var(x, 1, correction=0, keepdim=True),
      lambda x: torch.var(x, 1, correction=0, keepdim=True), lambda x: x.var(1, keepdims=True), R),
    C("std", lambda x: cr.std(x, 0), lambda x: torch.std(x, 0), lambda x: x.std(0, ddof=1),
      (((3,),), ((2, 3),))),
    C("logsumexp", lambda x: cr.logsumexp(x), lambda x: torch.logsumexp(x.reshape(-1), 0),
      lambda x: np.log(np.exp(x).sum()), U),
    C("logsumexp-dim", lambda x: cr.logsumexp(x, 1), lambda x: torch.logsumexp(x, 1),
      lambda x: np.log(np.exp(x).sum(1)), R),
    C("max", lambda x: cr.max(x), lambda x: torch.max(x), np.max, U, "distinct"),
    C("max-dim", lambda x: cr.max(x, 1), lambda x: torch.max(x, 1), lambda x: max_dim_ref(x, 1), R,
      "distinct"),
    C("min", lambda x: cr.min(x), lambda x: torch.min(x), np.min, U, "distinct"),
    C("min-dim-keepdim", lambda x: cr.min(x, 0, keepdim=True),
      lambda x: torch.min(x, 0, keepdim=True),
      lambda x: (x.min(0, keepdims=True), x.argmin(0, keepdims=True)), R, "distinct"),
    C("norm", lambda x: cr.norm(x), lambda x: torch.linalg.vector_norm(x),
      lambda x: np.sqrt((x * x).sum()), U),
    C("norm-1-dim", lambda x: cr.norm(x, 1, 1), lambda x: torch.linalg.vector_norm(x, 1, 1),
      lambda x: np.abs(x).sum(1), R, "distinct"),
    C("norm-inf", lambda x: cr.norm(x, _INF), lambda x: torch.linalg.vector_norm(x, _INF),
      lambda x: np.abs(x).max(), U, "distinct"),
    C("norm-inf-dim", lambda x: cr.norm(x, "inf", 0),
      lambda x: torch.linalg.vector_norm(x, _INF, 0), lambda x: np.abs(x).max(0), R, "distinct"),
    C("norm-fro", lambda x: cr.norm(x, "fro"), lambda x: torch.linalg.vector_norm(x),
      lambda x: np.sqrt((x * x).sum()), U1),
    C("norm-3-keepdim", lambda x: cr.norm(x, 3, 1, True),
      lambda x: torch.linalg.vector_norm(x, 3, 1, True),
      lambda x: (np.abs(x) ** 3).sum(1, keepdims=True) ** (1 / 3), R),
    # ---- matrix products -------------------------------------------------------------------
    C("matmul", lambda a, b: cr.matmul(a, b), lambda a, b: torch.matmul(a, b), np.matmul,
      (((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 2)), ((2, 3), (3, 4)), ((2, 2, 3), (3, 2)),
       ((2, 1, 2, 3), (3, 3, 2)))),
    C("linear", lambda x, w, b: cr.linear(x, w, b), lambda x, w, b: TF.linear(x, w, b),
      lambda x, w, b: x @ w.T + b, (((4, 3), (2, 3), (2,)), ((3,), (2, 3), (2,)),
                                    ((2, 4, 3), (2, 3), (2,)))),
    C("linear-nobias", lambda x, w: cr.linear(x, w), lambda x, w: TF.linear(x, w),
      lambda x, w: x @ w.T, (((4, 3), (2, 3)),)),
    # ---- shape -----------------------------------------------------------------------------
    C("reshape", lambda x: cr.reshape(x, 3, 2), lambda x: torch.reshape(x, (3, 2)),
      lambda x: x.reshape(3, 2), (((2, 3),), ((6,),))),
    C("reshape-tuple", lambda x: cr.reshape(x, (-1,)), lambda x: torch.reshape(x, (-1,)),
      lambda x: x.reshape(-1), U),
    C("view", lambda x: cr.view(x, 2, -1), lambda x: x.view(2, -1), lambda x: x.reshape(2, -1), U1),
    C("flatten", lambda x: cr.flatten(x), lambda x: torch.flatten(x), lambda x: x.reshape(-1), U),
    C("flatten-dims", lambda x: cr.flatten(x, 1, 2), lambda x: torch.flatten(x, 1, 2),
      lambda x: x.reshape(2, 6, 2), (((2, 3, 2, 2),),)),
    C("permute", lambda x: cr.permute(x, 2, 0, 1), lambda x: torch.permute(x, (2, 0, 1)),
      lambda x: x.transpose(2, 0, 1), (((2, 3, 2),),)),
    C("transpose", lambda x: cr.transpose(x, 0, -1), lambda x: torch.transpose(x, 0, -1),
      lambda x: np.swapaxes(x, 0, -1), (((2, 3),), ((2, 3, 2),))),
    C("squeeze", lambda x: cr.squeeze(x), lambda x: torch.squeeze(x), np.squeeze,
      (((1, 3, 1),), ((1,),), ((2, 3),))),
    C("squeeze-dim", lambda x: cr.squeeze(x, 0), lambda x: torch.squeeze(x, 0),
      lambda x: x.reshape(x.shape[1:]) if x.shape[0] == 1 else x, (((1, 3, 1),), ((2, 3),))),
    C("unsqueeze", lambda x: cr.unsqueeze(x, -1), lambda x: torch.unsqueeze(x, -1),
      lambda x: x[..., None], U),
    C("expand", lambda x: cr.expand(x, 2, -1, 4), lambda x: x.expand(2, -1, 4),
      lambda x: np.broadcast_to(x, (2, 3, 4)), (((3, 1),),)),
    C("broadcast_to", lambda x: cr.broadcast_to(x, (2, 3)), lambda x: torch.broadcast_to(x, (2, 3)),
      lambda x: np.broadcast_to(x, (2, 3)), (((),), ((3,),), ((1, 3),), ((2, 1),))),
    C("cat", lambda a, b: cr.cat([a, b], 1), lambda a, b: torch.cat([a, b], 1),
      lambda a, b: np.concatenate([a, b], 1), (((2, 1), (2, 3)), ((2, 3, 1), (2, 2, 1)))),
    C("concatenate", lambda a, b, c: cr.concatenate([a, b, c]),
      lambda a, b, c: torch.cat([a, b, c]), lambda a, b, c: np.concatenate([a, b, c]),
      (((1,), (3,), (2,)),)),
    C("stack", lambda a, b: cr.stack([a, b], 1), lambda a, b: torch.stack([a, b], 1),
      lambda a, b: np.stack([a, b], 1), (((2, 3), (2, 3)), ((3,), (3,)))),
    C("split", lambda x: cr.split(x, 2, 1), lambda x: torch.split(x, 2, 1),
      lambda x: tuple(np.split(x, [2, 4], 1)), (((3, 5),),)),
    C("split-sizes", lambda x: cr.split(x, [1, 3]), lambda x: torch.split(x, [1, 3]),
      lambda x: tuple(np.split(x, [1])), (((4, 2),),)),
    C("chunk", lambda x: cr.chunk(x, 4), lambda x: torch.chunk(x, 4),
      lambda x: tuple(np.split(x, [2, 4])), (((6,),), ((5, 2),))),
    C("pad", lambda x: cr.pad(x, (1, 2)), lambda x: TF.pad(x, (1, 2)),
      lambda x: np.pad(x, [(0, 0)] * (x.ndim - 1) + [(1, 2)]), (((3,),), ((2, 3),))),
    C("pad-2d-value", lambda x: cr.pad(x, (1, 0, 0, 2), value=1.5),
      lambda x: TF.pad(x, (1, 0, 0, 2), value=1.5),
      lambda x: np.pad(x, [(0, 2), (1, 0)], constant_values=1.5), (((2, 3),),)),
    C("clone", lambda x: cr.clone(x), lambda x: torch.clone(x), np.copy, U),
    C("to_dtype", lambda x: cr.to_dtype(x, cr.float32), lambda x: x.to(torch.float32),
      lambda x: x.astype(np.float32), U, eps=1e-2, atol=1e-4),
    # ---- activations -----------------------------------------------------------------------
    C("relu", lambda x: cr.relu(x), lambda x: torch.relu(x), lambda x: np.maximum(x, 0), U,
      "distinct"),
    C("leaky_relu", lambda x: cr.leaky_relu(x, 0.2), lambda x: TF.leaky_relu(x, 0.2),
      lambda x: np.where(x > 0, x, 0.2 * x), U, "distinct"),
    C("sigmoid", lambda x: cr.sigmoid(x), lambda x: torch.sigmoid(x),
      lambda x: 1 / (1 + np.exp(-x)), U),
    C("tanh", lambda x: cr.tanh(x), lambda x: torch.tanh(x), np.tanh, U),
    C("softmax", lambda x: cr.softmax(x), lambda x: torch.softmax(x, -1),
      lambda x: softmax_ref(x, -1), (((1,),), ((3,),), ((2, 3),))),
    C("softmax-dim0", lambda x: cr.softmax(x, 0), lambda x: torch.softmax(x, 0),
      lambda x: softmax_ref(x, 0), R),
    C("log_softmax", lambda x: cr.log_softmax(x, 1), lambda x: torch.log_softmax(x, 1),
      lambda x: np.log(softmax_ref(x, 1)), R),
    C("gelu", lambda x: cr.gelu(x), lambda x: TF.gelu(x), gelu_ref, U),
    C("gelu-tanh", lambda x: cr.gelu(x, approximate="tanh"),
      lambda x: TF.gelu(x, approximate="tanh"), lambda x: gelu_ref(x, "tanh"), U),
    C("elu", lambda x: cr.elu(x, 0.5), lambda x: TF.elu(x, 0.5),
      lambda x: np.where(x > 0, x, 0.5 * np.expm1(x)), U, "distinct"),
    C("silu", lambda x: cr.silu(x), lambda x: TF.silu(x), lambda x: x / (1 + np.exp(-x)), U),
    C("softplus", lambda x: cr.softplus(x), lambda x: TF.softplus(x), softplus_ref, U),
    C("softplus-beta", lambda x: cr.softplus(x, 2.0, 1.0), lambda x: TF.softplus(x, 2.0, 1.0),
      lambda x: softplus_ref(x, 2.0, 1.0), U, "distinct"),
    # ---- Tensor methods: one shape each (the functions above cover the shapes) ---------------
    C(".add", lambda a, b: a.add(b, alpha=3), SAME, lambda a, b: a + 3 * b, B1),
    C(".sub", lambda a, b: a.sub(b), SAME, np.subtract, B1),
    C(".mul", lambda a, b: a.mul(b), SAME, np.multiply, B1),
    C(".div", lambda a, b: a.div(b), SAME, np.divide, B1, ("real", "away")),
    C(".pow", lambda a, b: a.pow(b), SAME, np.power, B1, ("pos", "real")),
    C(".matmul", lambda a, b: a.matmul(b), SAME, np.matmul, (((2, 3), (3,)),)),
    C(".maximum", lambda a, b: a.maximum(b), SAME, np.maximum, B1, "distinct"),
    C(".minimum", lambda a, b: a.minimum(b), SAME, np.minimum, B1, "distinct"),
    C(".where", lambda a, b: a.where(b > 0, b), SAME, lambda a, b: np.where(b > 0, a, b), B1,
      "distinct"),
    C(".neg", lambda x: x.neg(), SAME, np.negative, U1),
    C(".abs", lambda x: x.abs(), SAME, np.abs, U1, "distinct"),
    C(".exp", lambda x: x.exp(), SAME, np.exp, U1),
    C(".log", lambda x: x.log(), SAME, np.log, U1, "pos"),
    C(".log1p", lambda x: x.log1p(), SAME, np.log1p, U1, "gt-1"),
    C(".sqrt", lambda x: x.sqrt(), SAME, np.sqrt, U1, "pos"),
    C(".sin", lambda x: x.sin(), SAME, np.sin, U1),
    C(".cos", lambda x: x.cos(), SAME, np.cos, U1),
    C(".clamp", lambda x: x.clamp(-0.5, 0.5), SAME, lambda x: np.clip(x, -0.5, 0.5), U1,
      "distinct"),
    C(".clip", lambda x: x.clip(min=-0.5), SAME, lambda x: np.maximum(x, -0.5), U1, "distinct"),
    C(".sum", lambda x: x.sum(1, keepdim=True), SAME, lambda x: x.sum(1, keepdims=True), U1),
    C(".mean", lambda x: x.mean(), SAME, np.mean, U1),
    C(".prod", lambda x: x.prod(1), SAME, lambda x: x.prod(1), U1),
    C(".var", lambda x: x.var(0), SAME, lambda x: x.var(0, ddof=1), U1),
    C(".std", lambda x: x.std(), SAME, lambda x: x.std(ddof=1), U1),
    C(".logsumexp", lambda x: x.logsumexp(1), SAME, lambda x: np.log(np.exp(x).sum(1)), U1),
    C(".max", lambda x: x.max(), SAME, np.max, U1, "distinct"),
    C(".min", lambda x: x.min(1), SAME, lambda x: max_dim_ref(x, 1, False), U1, "distinct"),
    C(".norm", lambda x: x.norm(), SAME, lambda x: np.sqrt((x * x).sum()), U1),
    C(".reshape", lambda x: x.reshape(3, 2), SAME, lambda x: x.reshape(3, 2), U1),
    C(".view", lambda x: x.view(-1), SAME, lambda x: x.reshape(-1), U1),
    C(".permute", lambda x: x.permute(1, 0), SAME, lambda x: x.T, U1),
    C(".transpose", lambda x: x.transpose(1, 0), SAME, lambda x: x.T, U1),
    C(".T", lambda x: x.T, SAME, SAME, U1),
    C(".expand", lambda x: x.expand(2, 3), SAME, lambda x: np.broadcast_to(x, (2, 3)),
      (((1, 3),),)),
    C(".broadcast_to", lambda x: x.broadcast_to((2, 3)), SAME,
      lambda x: np.broadcast_to(x, (2, 3)), (((3,),),)),
    C(".expand_as", lambda a, b: a.expand_as(b) * b, SAME, lambda a, b: a * b, (((3,), (2, 3)),)),
    C(".view_as", lambda a, b: a.view_as(b) * b, SAME, lambda a, b: a.reshape(b.shape) * b,
      (((6,), (2, 3)),)),
    C(".unsqueeze", lambda x: x.unsqueeze(0), SAME, lambda x: x[None], U1),
    C(".squeeze", lambda x: x.squeeze(), SAME, np.squeeze, (((1, 3),),)),
    C(".flatten", lambda x: x.flatten(), SAME, lambda x: x.reshape(-1), U1),
    C(".clone", lambda x: x.clone(), SAME, np.copy, U1),
    C(".split", lambda x: x.split(1, 1), SAME, lambda x: tuple(np.split(x, 3, 1)), U1),
    C(".chunk", lambda x: x.chunk(2), SAME, lambda x: tuple(np.split(x, 2)), U1),
    C(".index_select", lambda x: x.index_select(0, cr.tensor([1, 1])),
      lambda x: x.index_select(0, _t([1, 1])), lambda x: x[[1, 1]], U1),
    C(".gather", lambda x: x.gather(1, cr.tensor(_IDX)), lambda x: x.gather(1, _t(_IDX)),
      lambda x: np.take_along_axis(x, _IDX, 1), IX),
    C(".to", lambda x: x.to(cr.float64) * 2, lambda x: x.to(torch.float64) * 2, lambda x: x * 2,
      U1),
    C(".double", lambda x: x.double() * 2, SAME, lambda x: x * 2, U1),
    C(".float", lambda x: x.float(), SAME, lambda x: x.astype(np.float32), U1, eps=1e-2,
      atol=1e-4),
    C(".relu", lambda x: x.relu(), SAME, lambda x: np.maximum(x, 0), U1, "distinct"),
    C(".leaky_relu", lambda x: x.leaky_relu(0.2), lambda x: TF.leaky_relu(x, 0.2),
      lambda x: np.where(x > 0, x, 0.2 * x), U1, "distinct"),
    C(".sigmoid", lambda x: x.sigmoid(), SAME, lambda x: 1 / (1 + np.exp(-x)), U1),
    C(".tanh", lambda x: x.tanh(), SAME, np.tanh, U1),
    C(".softmax", lambda x: x.softmax(0), SAME, lambda x: softmax_ref(x, 0), U1),
    C(".log_softmax", lambda x: x.log_softmax(-1), SAME,
      lambda x: np.log(softmax_ref(x, -1)), U1),
    C(".gelu", lambda x: x.gelu("tanh"), lambda x: TF.gelu(x, approximate="tanh"),
      lambda x: gelu_ref(x, "tanh"), U1),
    C(".elu", lambda x: x.elu(0.5), lambda x: TF.elu(x, 0.5),
      lambda x: np.where(x > 0, x, 0.5 * np.expm1(x)), U1, "distinct"),
    C(".silu", lambda x: x.silu(), lambda x: TF.silu(x), lambda x: x / (1 + np.exp(-x)), U1),
    C(".softplus", lambda x: x.softplus(2.0, 1.0), lambda x: TF.softplus(x, 2.0, 1.0),
      lambda x: softplus_ref(x, 2.0, 1.0), U1, "distinct"),
]

from op_table_compat import COMPAT_CASES  # noqa: E402  (issue 9's additions, in their own file)

CASES += COMPAT_CASES

from op_table_compat2 import COMPAT_CASES2  # noqa: E402

CASES += COMPAT_CASES2

from op_table_compat3 import COMPAT_CASES3  # noqa: E402

CASES += COMPAT_CASES3

from op_table_compat4 import COMPAT_CASES4  # noqa: E402  (scatter/index family, selections)

CASES += COMPAT_CASES4
