"""Op-table rows for PyTorch's remaining pointwise math, aliases and layout functions
(issue 9, second batch). Appended to CASES by op_table.py."""
from __future__ import annotations

import math

import numpy as np
from op_case import SAME, C, Case, torch

import chainrule as cr

U = (((),), ((3,),), ((2, 3),))
U1 = (((2, 3),),)
B = (((2, 3), (3,)), ((), ()))
_erf = np.vectorize(math.erf, otypes=[np.float64])


def _i(data):  # an int64 index tensor in the caller's library
    return data


def _idx(x, data):
    return cr.tensor(data) if isinstance(x, cr.Tensor) else torch.tensor(data)


UNARY = [  # name, numpy reference, domain
    ("asin", np.arcsin, "unit"), ("acos", np.arccos, "unit"), ("atan", np.arctan, "real"),
    ("asinh", np.arcsinh, "real"), ("acosh", np.arccosh, "gt1"), ("atanh", np.arctanh, "unit"),
    ("arcsin", np.arcsin, "unit"), ("arccos", np.arccos, "unit"), ("arctan", np.arctan, "real"),
    ("arcsinh", np.arcsinh, "real"), ("arccosh", np.arccosh, "gt1"),
    ("arctanh", np.arctanh, "unit"), ("exp2", np.exp2, "real"), ("erf", _erf, "real"),
    ("erfc", lambda x: 1 - _erf(x), "real"), ("frac", lambda x: x - np.trunc(x), "away"),
    ("absolute", np.abs, "away"), ("negative", np.negative, "real"),
    ("positive", lambda x: x, "real"), ("deg2rad", np.deg2rad, "real"),
    ("rad2deg", np.rad2deg, "real"), ("ravel", np.ravel, "real"),
]
BINARY = [  # name, numpy reference, domains
    ("atan2", np.arctan2, ("real", "away")), ("arctan2", np.arctan2, ("real", "away")),
    ("hypot", np.hypot, ("away", "away")), ("logaddexp", np.logaddexp, ("real", "real")),
    ("remainder", np.remainder, ("real", "away")), ("fmod", np.fmod, ("real", "away")),
    ("multiply", np.multiply, ("real", "real")), ("divide", np.divide, ("real", "away")),
    ("subtract", np.subtract, ("real", "real")), ("true_divide", np.divide, ("real", "away")),
    ("xlogy", lambda a, b: a * np.log(b), ("real", "pos")),
]


def _fn(name: str):
    return lambda *xs: getattr(cr, name)(*xs)


def _tfn(name: str):
    return lambda *xs: getattr(torch, name)(*xs)


def _meth(name: str):
    return lambda x, *ys: getattr(x, name)(*ys)


COMPAT_CASES2: list[Case] = [
    *(C(n, _fn(n), _tfn(n), ref, U, dom) for n, ref, dom in UNARY),
    *(C("." + n, _meth(n), SAME, ref, U1, dom) for n, ref, dom in UNARY),
    *(C(n, _fn(n), _tfn(n), ref, B, dom) for n, ref, dom in BINARY),
    *(C("." + n, _meth(n), SAME, ref, B[:1], dom) for n, ref, dom in BINARY),
    C("lerp", lambda a, b: cr.lerp(a, b, 0.3), lambda a, b: torch.lerp(a, b, 0.3),
      lambda a, b: a + 0.3 * (b - a), B),
    C(".lerp", lambda a, b, w: a.lerp(b, w), SAME, lambda a, b, w: a + w * (b - a),
      (((2, 3), (2, 3), (2, 3)),)),
    C("clamp_min", lambda x: cr.clamp_min(x, 0.25), lambda x: torch.clamp_min(x, 0.25),
      lambda x: np.maximum(x, 0.25), U1, "distinct"),
    C("clamp_max", lambda x: cr.clamp_max(x, 0.25), lambda x: torch.clamp_max(x, 0.25),
      lambda x: np.minimum(x, 0.25), U1, "distinct"),
    C(".clamp_min", lambda x: x.clamp_min(-0.25), SAME, lambda x: np.maximum(x, -0.25), U1,
      "distinct"),
    C(".clamp_max", lambda x: x.clamp_max(-0.25), SAME, lambda x: np.minimum(x, -0.25), U1,
      "distinct"),
    # ---- layout -----------------------------------------------------------------------------
    C("movedim", lambda x: cr.movedim(x, 0, -1), lambda x: torch.movedim(x, 0, -1),
      lambda x: np.moveaxis(x, 0, -1), (((2, 3, 4),),)),
    C("moveaxis", lambda x: cr.moveaxis(x, (0, 1), (2, 0)),
      lambda x: torch.moveaxis(x, (0, 1), (2, 0)), lambda x: np.moveaxis(x, (0, 1), (2, 0)),
      (((2, 3, 4),),)),
    C("swapaxes", lambda x: cr.swapaxes(x, 0, 2), lambda x: torch.swapaxes(x, 0, 2),
      lambda x: np.swapaxes(x, 0, 2), (((2, 3, 4),),)),
    C("swapdims", lambda x: cr.swapdims(x, 1, 0), lambda x: torch.swapdims(x, 1, 0),
      lambda x: np.swapaxes(x, 1, 0), U1),
    C("narrow", lambda x: cr.narrow(x, 1, 1, 2), lambda x: torch.narrow(x, 1, 1, 2),
      lambda x: x[:, 1:3], U1),
    C("select", lambda x: cr.select(x, 1, -1), lambda x: torch.select(x, 1, -1),
      lambda x: x[:, -1], U1),
    C("unbind", lambda x: cr.unbind(x, 1), lambda x: torch.unbind(x, 1),
      lambda x: tuple(x[:, i] for i in range(3)), U1),
    C("tile", lambda x: cr.tile(x, (2, 1, 2)), lambda x: torch.tile(x, (2, 1, 2)),
      lambda x: np.tile(x, (2, 1, 2)), (((3,),), ((2, 3),))),
    C("repeat_interleave", lambda x: cr.repeat_interleave(x, 2, dim=0),
      lambda x: torch.repeat_interleave(x, 2, dim=0), lambda x: np.repeat(x, 2, 0), U1),
    C("repeat_interleave-flat", lambda x: cr.repeat_interleave(x, 3),
      lambda x: torch.repeat_interleave(x, 3), lambda x: np.repeat(x, 3), U1),
    C("atleast_1d", lambda x: cr.atleast_1d(x), lambda x: torch.atleast_1d(x), np.atleast_1d, U),
    C("atleast_2d", lambda x: cr.atleast_2d(x), lambda x: torch.atleast_2d(x), np.atleast_2d, U),
    C("atleast_3d", lambda x: cr.atleast_3d(x), lambda x: torch.atleast_3d(x), np.atleast_3d, U),
    C("vstack", lambda a, b: cr.vstack([a, b]), lambda a, b: torch.vstack([a, b]),
      lambda a, b: np.vstack([a, b]), (((3,), (3,)), ((2, 3), (1, 3)))),
    C("row_stack", lambda a, b: cr.row_stack([a, b]), lambda a, b: torch.vstack([a, b]),
      lambda a, b: np.vstack([a, b]), (((3,), (3,)),)),
    C("hstack", lambda a, b: cr.hstack([a, b]), lambda a, b: torch.hstack([a, b]),
      lambda a, b: np.hstack([a, b]), (((3,), (2,)), ((2, 3), (2, 1)))),
    C("dstack", lambda a, b: cr.dstack([a, b]), lambda a, b: torch.dstack([a, b]),
      lambda a, b: np.dstack([a, b]), (((3,), (3,)), ((2, 3), (2, 3)))),
    C("column_stack", lambda a, b: cr.column_stack([a, b]),
      lambda a, b: torch.column_stack([a, b]), lambda a, b: np.column_stack([a, b]),
      (((3,), (3, 2)),)),
    C("fliplr", lambda x: cr.fliplr(x), lambda x: torch.fliplr(x), np.fliplr, U1),
    C("flipud", lambda x: cr.flipud(x), lambda x: torch.flipud(x), np.flipud, U1),
    C("diagonal", lambda x: cr.diagonal(x), lambda x: torch.diagonal(x),
      lambda x: np.diagonal(x).copy(), (((3, 3),), ((2, 3),))),
    C("diagonal-offset-dims", lambda x: cr.diagonal(x, 1, 1, 2),
      lambda x: torch.diagonal(x, 1, 1, 2), lambda x: np.diagonal(x, 1, 1, 2).copy(),
      (((2, 3, 4),),)),
    C("trace", lambda x: cr.trace(x), lambda x: torch.trace(x), np.trace, (((3, 3),), ((2, 3),))),
    C("diag", lambda x: cr.diag(x), lambda x: torch.diag(x), np.diag, (((3,),), ((3, 3),))),
    C("diag-offset", lambda x: cr.diag(x, -1), lambda x: torch.diag(x, -1),
      lambda x: np.diag(x, -1), (((2,),), ((3, 3),))),
    C("take_along_dim", lambda x: cr.take_along_dim(x, _idx(x, [[0, 2], [1, 1]]), 1),
      lambda x: torch.take_along_dim(x, _idx(x, [[0, 2], [1, 1]]), 1),
      lambda x: np.take_along_axis(x, np.array([[0, 2], [1, 1]]), 1), U1),
    C("take", lambda x: cr.take(x, _idx(x, [[5, 0], [2, 2]])),
      lambda x: torch.take(x, _idx(x, [[5, 0], [2, 2]])),
      lambda x: np.take(x, [[5, 0], [2, 2]]), U1),
    C("masked_select", lambda x: cr.masked_select(x, x > 0),
      lambda x: torch.masked_select(x, x > 0),
      lambda x: x[x > 0], U1, "distinct"),
    C("broadcast_tensors", lambda a, b: cr.broadcast_tensors(a, b),
      lambda a, b: torch.broadcast_tensors(a, b), lambda a, b: np.broadcast_arrays(a, b),
      (((2, 1), (3,)),)),
    C("tensor_split", lambda x: cr.tensor_split(x, 2, 1), lambda x: torch.tensor_split(x, 2, 1),
      lambda x: tuple(np.array_split(x, 2, 1)), U1),
    C("tensor_split-indices", lambda x: cr.tensor_split(x, [1, 4]),
      lambda x: torch.tensor_split(x, [1, 4]), lambda x: tuple(np.split(x, [1, 4])),
      (((5,),),)),
    C("diff", lambda x: cr.diff(x), lambda x: torch.diff(x), np.diff, (((4,),), ((2, 3),))),
    C("diff-n-dim", lambda x: cr.diff(x, 2, 0), lambda x: torch.diff(x, 2, 0),
      lambda x: np.diff(x, 2, 0), (((4, 2),),)),
    C("amax", lambda x: cr.amax(x), lambda x: torch.amax(x), np.max, U, "distinct"),
    C("amax-dims", lambda x: cr.amax(x, (0, 2), keepdim=True),
      lambda x: torch.amax(x, (0, 2), keepdim=True), lambda x: x.max((0, 2), keepdims=True),
      (((2, 3, 2),),), "distinct"),
    C("amin", lambda x: cr.amin(x, 1), lambda x: torch.amin(x, 1), lambda x: x.min(1), U1,
      "distinct"),
    C("aminmax", lambda x: tuple(cr.aminmax(x, dim=0)), lambda x: tuple(torch.aminmax(x, dim=0)),
      lambda x: (x.min(0), x.max(0)), U1, "distinct"),
    C("nansum", lambda x: cr.nansum(x, 1), lambda x: torch.nansum(x, 1), lambda x: x.sum(1), U1),
    C("nanmean", lambda x: cr.nanmean(x), lambda x: torch.nanmean(x), np.mean, U1),
    C("scatter", lambda x, s: cr.scatter(x, 1, _idx(x, [[0, 2], [1, 0]]), s),
      lambda x, s: torch.scatter(x, 1, _idx(x, [[0, 2], [1, 0]]), s),
      lambda x, s: _scatter(x, s, [[0, 2], [1, 0]], False), (((2, 3), (2, 2)),)),
    C("scatter-value", lambda x: cr.scatter(x, 0, _idx(x, [[1, 0, 1]]), value=2.5),
      lambda x: torch.scatter(x, 0, _idx(x, [[1, 0, 1]]), value=2.5),
      lambda x: _scatter(x.T, np.full((3, 1), 2.5), [[1], [0], [1]], False).T, U1),
    C("scatter_add", lambda x, s: cr.scatter_add(x, 1, _idx(x, [[0, 0], [2, 1]]), s),
      lambda x, s: torch.scatter_add(x, 1, _idx(x, [[0, 0], [2, 1]]), s),
      lambda x, s: _scatter(x, s, [[0, 0], [2, 1]], True), (((2, 3), (2, 2)),)),
    # ---- methods ------------------------------------------------------------------------------
    *(C("." + n, call, SAME, ref, shapes, *dom) for n, call, ref, shapes, *dom in [
        ("movedim", lambda x: x.movedim(1, 0), lambda x: x.T, U1),
        ("moveaxis", lambda x: x.moveaxis(0, 1), lambda x: x.T, U1),
        ("swapaxes", lambda x: x.swapaxes(0, 1), lambda x: x.T, U1),
        ("swapdims", lambda x: x.swapdims(0, 1), lambda x: x.T, U1),
        ("narrow", lambda x: x.narrow(0, 1, 1), lambda x: x[1:2], U1),
        ("select", lambda x: x.select(0, 1), lambda x: x[1], U1),
        ("unbind", lambda x: x.unbind(), lambda x: (x[0], x[1]), U1),
        ("tile", lambda x: x.tile((2,)), lambda x: np.tile(x, 2), U1),
        ("repeat", lambda x: x.repeat(2, 1, 2), lambda x: np.tile(x, (2, 1, 2)), U1),
        ("repeat_interleave", lambda x: x.repeat_interleave(2, 1), lambda x: np.repeat(x, 2, 1),
         U1),
        ("fliplr", lambda x: x.fliplr(), np.fliplr, U1),
        ("flipud", lambda x: x.flipud(), np.flipud, U1),
        ("diagonal", lambda x: x.diagonal(), lambda x: np.diagonal(x).copy(), U1),
        ("diag", lambda x: x.diag(), np.diag, (((3,),),)),
        ("trace", lambda x: x.trace(), np.trace, U1),
        ("take", lambda x: x.take(_idx(x, [0, 4])), lambda x: np.take(x, [0, 4]), U1),
        ("take_along_dim", lambda x: x.take_along_dim(_idx(x, [[1], [0]]), 1),
         lambda x: np.take_along_axis(x, np.array([[1], [0]]), 1), U1),
        ("masked_select", lambda x: x.masked_select(x > 0), lambda x: x[x > 0], U1, "distinct"),
        ("tensor_split", lambda x: x.tensor_split(3, 1), lambda x: tuple(np.split(x, 3, 1)), U1),
        ("diff", lambda x: x.diff(), np.diff, U1),
        ("amax", lambda x: x.amax(0), lambda x: x.max(0), U1, "distinct"),
        ("amin", lambda x: x.amin(), np.min, U1, "distinct"),
        ("aminmax", lambda x: tuple(x.aminmax()), lambda x: (x.min(), x.max()), U1, "distinct"),
        ("nansum", lambda x: x.nansum(), np.sum, U1),
        ("nanmean", lambda x: x.nanmean(1), lambda x: x.mean(1), U1),
        ("scatter", lambda x: x.scatter(1, _idx(x, [[2], [0]]), 1.5),
         lambda x: _scatter(x, np.full((2, 1), 1.5), [[2], [0]], False), U1),
        ("scatter_add", lambda x, s: x.scatter_add(0, _idx(x, [[1, 1, 0]]), s),
         lambda x, s: _scatter(x.T, s.T, [[1], [1], [0]], True).T, (((2, 3), (1, 3)),)),
    ]),
]


def _scatter(x, s, index, add):
    y, s = x.copy(), np.broadcast_to(s, np.shape(index)) if np.ndim(s) == 0 else s
    for i, row in enumerate(index):
        for j, k in enumerate(row):
            if add:
                y[i, k] += s[i, j]
            else:
                y[i, k] = s[i, j]
    return y
