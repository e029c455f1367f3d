"""Op-table rows for selections (cummax, mode, nanmedian), frexp/nextafter/renorm, and the
scatter and index family (diagonal_scatter ... index_put, scatter_reduce, index_reduce) added
for PyTorch compatibility (issue 9, fourth batch). Each row's call is written once for both
libraries (``_m(x)`` is chainrule or torch, by the input's type)."""
from __future__ import annotations

import numpy as np
from op_case import SAME, C, Case, torch

import chainrule as cr

U1 = (((2, 3),),)
REDUCE = {"sum": np.add, "prod": np.multiply, "mean": np.add, "amax": np.maximum,
          "amin": np.minimum}


def _m(x):
    return cr if isinstance(x, cr.Tensor) else torch


def _i(x, data):  # an int64 tensor of the caller's library
    return _m(x).tensor(data)


def _b(x, data):  # a bool tensor of the caller's library
    return _m(x).tensor(data, dtype=_m(x).bool)


# ---- NumPy references: plain loops, independent of the implementation ------------------------
def _cum_ref(x, axis, better):
    v, i = np.moveaxis(x.copy(), axis, -1), np.zeros(np.moveaxis(x, axis, -1).shape, np.int64)
    for k in np.ndindex(v.shape[:-1]):
        for j in range(1, v.shape[-1]):
            if not better(v[k][j - 1], v[k][j]):  # ties move to the later index
                i[k][j] = j
            else:
                v[k][j], i[k][j] = v[k][j - 1], i[k][j - 1]
    return np.moveaxis(v, -1, axis), np.moveaxis(i, -1, axis)


def _scatter_reduce_ref(x, dim, index, src, reduce, include_self=True):
    y, index = x.copy(), np.asarray(index)
    groups: dict = {}
    for k in np.ndindex(index.shape):
        p = list(k)
        p[dim] = index[k]
        groups.setdefault(tuple(p), []).append(src[k])
    for p, vals in groups.items():
        vals = ([x[p]] if include_self else []) + vals
        y[p] = (REDUCE[reduce].reduce(vals) / (len(vals) if reduce == "mean" else 1))
    return y


def _index_reduce_ref(x, dim, index, src, reduce, include_self=True):
    full = np.broadcast_to(np.reshape(index, [-1 if a == dim else 1 for a in range(x.ndim)]),
                           src.shape)
    return _scatter_reduce_ref(x, dim, full, src, reduce, include_self)


def _mode_ref(x):  # rows of x with their first two columns appended: those two appear twice
    v = np.minimum(x[:, 0], x[:, 1])
    return v, np.where(x[:, 0] < x[:, 1], 3, 4)


def _diag_embed_ref(x, offset=0):
    n = x.shape[-1] + abs(offset)
    out = np.zeros(x.shape[:-1] + (n, n))
    for j in range(x.shape[-1]):
        r, c = (j, j + offset) if offset >= 0 else (j - offset, j)
        out[..., r, c] = x[..., j]
    return out


def _set(x, key, v, add=False):
    y = x.copy()
    if add:
        np.add.at(y, key, v)
    else:
        y[key] = v
    return y


def _nan_first(x):  # x with its first column NaN (in the caller's library)
    m = _m(x)
    mask = m.zeros(x.shape, dtype=m.bool)
    mask[:, 0] = True
    return m.where(mask, float("nan"), x)


def _nanmedian_ref(x):
    return np.sort(x[:, 1:], 1)[:, (x.shape[1] - 2) // 2], \
        np.argsort(x[:, 1:], 1)[:, (x.shape[1] - 2) // 2] + 1


IDX2 = [[0, 1, 0, 1], [2, 2, 1, 2]]  # scatter_reduce index: input (2, 3), src (2, 4), dim 1
SR_DOMAIN = {"sum": "real", "mean": "real", "prod": "with0", "amax": "distinct",
             "amin": "distinct"}

COMPAT_CASES4: list[Case] = [
    C("cummax", lambda x: tuple(_m(x).cummax(x, -1)), SAME,
      lambda x: _cum_ref(x, -1, lambda a, b: a > b), (((2, 4),), ((5,),)), "distinct"),
    C("cummin", lambda x: tuple(_m(x).cummin(x, 0)), SAME,
      lambda x: _cum_ref(x, 0, lambda a, b: a < b), (((4, 2),),), "distinct"),
    C("mode", lambda x: tuple(_m(x).mode(_m(x).cat([x, x[:, :2]], 1))), SAME, _mode_ref,
      (((2, 3),),), "distinct"),
    C("mode-keepdim", lambda x: tuple(_m(x).mode(x, 0, keepdim=True)), SAME,
      lambda x: (x.min(0, keepdims=True), x.argmin(0)[None]), U1, "distinct"),
    C("nanmedian", lambda x: _m(x).nanmedian(_nan_first(x)), SAME,
      lambda x: np.sort(x[:, 1:].reshape(-1))[(x[:, 1:].size - 1) // 2], (((2, 4),),),
      "distinct"),
    C("nanmedian-dim", lambda x: tuple(_m(x).nanmedian(_nan_first(x), 1)), SAME, _nanmedian_ref,
      (((3, 4),), ((2, 5),)), "distinct"),
    C("frexp", lambda x: tuple(_m(x).frexp(x)), SAME, np.frexp, (((2, 3),), ((),))),
    C("nextafter", lambda a, b: _m(a).nextafter(a, b), SAME, np.nextafter,
      (((2, 3), (3,)), ((), ()))),
    C("renorm", lambda x: _m(x).renorm(x, 2, 0, 1.5), SAME,
      lambda x: x * np.minimum(1, 1.5 / (np.linalg.norm(x, axis=1, keepdims=True) + 1e-7)),
      (((4, 3),),)),
    C("renorm-p1-dim1", lambda x: _m(x).renorm(x, 1, 1, 1.0), SAME,
      lambda x: x * np.minimum(1, 1.0 / (np.abs(x).sum(0, keepdims=True) + 1e-7)),
      (((3, 4),),)),
    C("renorm-inf-3d", lambda x: _m(x).renorm(x, float("inf"), -1, 0.6), SAME,
      lambda x: x * np.minimum(1, 0.6 / (np.abs(x).max((0, 1), keepdims=True) + 1e-7)),
      (((2, 2, 3),),), "distinct"),
    C("renorm-p3", lambda x: _m(x).renorm(x, 3, 0, 1.0), SAME,
      lambda x: x * np.minimum(1, 1 / ((np.abs(x) ** 3).sum(1, keepdims=True) ** (1 / 3) + 1e-7)),
      (((3, 3),),)),
    C("diag_embed", lambda x: _m(x).diag_embed(x), SAME, _diag_embed_ref, (((3,),), ((2, 3),))),
    C("diag_embed-offset", lambda x: _m(x).diag_embed(x, -1), SAME,
      lambda x: _diag_embed_ref(x, -1), (((2, 2),),)),
    C("diag_embed-dims", lambda x: _m(x).diag_embed(x, 1, 0, 2), SAME,
      lambda x: np.moveaxis(_diag_embed_ref(x, 1), 0, 1), (((2, 3),),)),
    C("diagonal_scatter", lambda x, s: _m(x).diagonal_scatter(x, s, 1), SAME,
      lambda x, s: _set(x, (np.arange(3), np.arange(3) + 1), s), (((3, 4), (3,)),)),
    C("diagonal_scatter-dims", lambda x, s: _m(x).diagonal_scatter(x, s, -1, 2, 0), SAME,
      lambda x, s: _set(x, (np.arange(3), slice(None), np.arange(3) + 1), s.T),
      (((3, 2, 4), (2, 3)),)),
    C("select_scatter", lambda x, s: _m(x).select_scatter(x, s, 1, -1), SAME,
      lambda x, s: _set(x, (slice(None), -1), s), (((2, 3), (2,)),)),
    C("select_scatter-1d", lambda x, s: _m(x).select_scatter(x, s, 0, -1), SAME,
      lambda x, s: _set(x, -1, s), (((3,), ()),)),
    C("slice_scatter", lambda x, s: _m(x).slice_scatter(x, s, start=1, end=3), SAME,
      lambda x, s: _set(x, slice(1, 3), s), (((4, 2), (2, 2)),)),
    C("slice_scatter-step", lambda x, s: _m(x).slice_scatter(x, s, 1, 1, None, 2), SAME,
      lambda x, s: _set(x, (slice(None), slice(1, None, 2)), s), (((2, 5), (2, 2)),)),
    C("masked_scatter", lambda x, s: _m(x).masked_scatter(x, _b(x, [[1, 0, 1], [0, 1, 1]]), s),
      SAME, lambda x, s: _set(x, np.array([[1, 0, 1], [0, 1, 1]], bool), s[:4]),
      (((2, 3), (5,)),)),
    C("masked_scatter-broadcast",
      lambda x, s: _m(x).masked_scatter(x, _b(x, [[1, 0, 1], [0, 1, 1]]), s), SAME,
      lambda x, s: _set(np.broadcast_to(x, (2, 3)), np.array([[1, 0, 1], [0, 1, 1]], bool),
                        s.reshape(-1)[:4]), (((3,), (2, 2)),)),
    C("put", lambda x, s: _m(x).put(x, _i(x, [[5, 0], [-2, 1]]), s), SAME,
      lambda x, s: _set(x.reshape(-1), [5, 0, -2, 1], s.reshape(-1)).reshape(x.shape),
      (((2, 3), (2, 2)),)),
    C("put-accumulate", lambda x, s: _m(x).put(x, _i(x, [1, 1, 0]), s, accumulate=True), SAME,
      lambda x, s: _set(x.reshape(-1), [1, 1, 0], s, True).reshape(x.shape), (((2, 2), (3,)),)),
    C("index_add", lambda x, s: _m(x).index_add(x, 0, _i(x, [0, 2, 0]), s, alpha=2), SAME,
      lambda x, s: _set(x, [0, 2, 0], 2 * s, True), (((3, 2), (3, 2)),)),
    C("index_add-dim1", lambda x, s: _m(x).index_add(x, 1, _i(x, [1]), s), SAME,
      lambda x, s: _set(x, (slice(None), [1]), s, True), (((2, 3), (2, 1)),)),
    C("index_copy", lambda x, s: _m(x).index_copy(x, 0, _i(x, [3, 1]), s), SAME,
      lambda x, s: _set(x, [3, 1], s), (((4, 2), (2, 2)),)),
    C("index_fill", lambda x: _m(x).index_fill(x, 1, _i(x, [2, 0]), -1.5), SAME,
      lambda x: _set(x, (slice(None), [2, 0]), -1.5), U1),
    C("index_fill-tensor", lambda x, v: _m(x).index_fill(x, 0, _i(x, [1, 1]), v), SAME,
      lambda x, v: _set(x, 1, v), (((3, 2), ()),)),
    C("index_put", lambda x, v: _m(x).index_put(x, (_i(x, [0, 2]), _i(x, [1, 3])), v), SAME,
      lambda x, v: _set(x, ([0, 2], [1, 3]), v), (((3, 4), (2,)), ((3, 4), ()))),
    C("index_put-accumulate", lambda x, v: _m(x).index_put(x, (_i(x, [2, 0, 2]),), v, True),
      SAME, lambda x, v: _set(x, [2, 0, 2], v, True), (((3, 2), (3, 2)), ((3, 2), (2,)))),
    C("index_put-mask", lambda x, v: _m(x).index_put(x, (_b(x, [1, 0, 1]),), v), SAME,
      lambda x, v: _set(x, np.array([1, 0, 1], bool), v), (((3, 2), (2, 2)),)),
    *(C(f"scatter_reduce-{r}-{s}", lambda x, src, r=r, s=s: _m(x).scatter_reduce(
        x, 1, _i(x, IDX2), src, r, include_self=s), SAME,
        lambda x, src, r=r, s=s: _scatter_reduce_ref(x, 1, IDX2, src, r, s),
        (((2, 3), (2, 4)),), SR_DOMAIN[r]) for r in REDUCE for s in (True, False)),
    # torch's backward fails when index is smaller than src ("invalid gradient ... got [2] but
    # expected shape compatible with [4]"): torch is given the part of src that index reads
    C("scatter_reduce-small-index", lambda x, s: cr.scatter_reduce(x, 0, _i(x, [2, 0]), s, "sum"),
      lambda x, s: torch.scatter_reduce(x, 0, _i(x, [2, 0]), s[:2], "sum"),
      lambda x, s: _scatter_reduce_ref(x, 0, [2, 0], s, "sum"), (((3,), (4,)),)),
    *(C(f"index_reduce-{r}-{s}", lambda x, src, r=r, s=s: _m(x).index_reduce(
        x, 0, _i(x, [0, 2, 0, 0]), src, r, include_self=s), SAME,
        lambda x, src, r=r, s=s: _index_reduce_ref(x, 0, [0, 2, 0, 0], src, r, s),
        (((3, 2), (4, 2)),), SR_DOMAIN[r]) for r in ("prod", "mean", "amax", "amin")
      for s in (True, False)),
    # ---- methods --------------------------------------------------------------------------------
    *(C("." + n, call, SAME, ref, shapes, *dom) for n, call, ref, shapes, *dom in [
        ("cummax", lambda x: tuple(x.cummax(1)), lambda x: _cum_ref(x, 1, lambda a, b: a > b),
         U1, "distinct"),
        ("cummin", lambda x: tuple(x.cummin(0)), lambda x: _cum_ref(x, 0, lambda a, b: a < b),
         U1, "distinct"),
        ("mode", lambda x: x.mode().values, lambda x: x.min(-1), U1, "distinct"),
        ("nanmedian", lambda x: x.nanmedian(), lambda x: np.sort(x.reshape(-1))[2], U1,
         "distinct"),
        ("frexp", lambda x: x.frexp().mantissa, lambda x: np.frexp(x)[0], U1),
        ("nextafter", lambda a, b: a.nextafter(b), np.nextafter, (((3,), (3,)),)),
        ("renorm", lambda x: x.renorm(2, 1, 0.5),
         lambda x: x * np.minimum(1, 0.5 / (np.linalg.norm(x, axis=0) + 1e-7)), U1),
        ("hardshrink", lambda x: x.hardshrink(), lambda x: np.where(np.abs(x) > 0.5, x, 0), U1,
         "distinct"),
        ("diag_embed", lambda x: x.diag_embed(), _diag_embed_ref, U1),
        ("diagonal_scatter", lambda x, s: x.diagonal_scatter(s),
         lambda x, s: _set(x, (np.arange(2), np.arange(2)), s), (((2, 3), (2,)),)),
        ("select_scatter", lambda x, s: x.select_scatter(s, 0, 1),
         lambda x, s: _set(x, 1, s), (((2, 3), (3,)),)),
        ("slice_scatter", lambda x, s: x.slice_scatter(s, 1, end=1),
         lambda x, s: _set(x, (slice(None), slice(None, 1)), s), (((2, 3), (2, 1)),)),
        ("masked_scatter", lambda x, s: x.masked_scatter(_b(x, [0, 1, 1]), s),
         lambda x, s: _set(x, (slice(None), [1, 2]), s.reshape(2, 2)), (((2, 3), (4,)),)),
        ("put", lambda x, s: x.put(_i(x, [2]), s), lambda x, s: _set(x, 2, s[0]),
         (((3,), (1,)),)),
        ("index_add", lambda x, s: x.index_add(1, _i(x, [0, 0]), s, alpha=-1),
         lambda x, s: _set(x, (slice(None), [0, 0]), -s, True), (((2, 3), (2, 2)),)),
        ("index_copy", lambda x, s: x.index_copy(1, _i(x, [2]), s),
         lambda x, s: _set(x, (slice(None), [2]), s), (((2, 3), (2, 1)),)),
        ("index_fill", lambda x: x.index_fill(0, _i(x, [1]), 2.0),
         lambda x: _set(x, 1, 2.0), U1),
        ("index_put", lambda x, v: x.index_put((_i(x, [1]),), v), lambda x, v: _set(x, [1], v),
         (((2, 3), (3,)),)),
        ("index_reduce", lambda x, s: x.index_reduce(0, _i(x, [1, 1]), s, "mean"),
         lambda x, s: _index_reduce_ref(x, 0, [1, 1], s, "mean"), (((2, 3), (2, 3)),)),
        ("scatter_reduce", lambda x, s: x.scatter_reduce(0, _i(x, [0, 0, 1]), s, "amax"),
         lambda x, s: _scatter_reduce_ref(x, 0, [0, 0, 1], s, "amax"), (((2,), (3,)),),
         "distinct"),
    ]),
]
