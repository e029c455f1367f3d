"""Faster replay rules for the hot ops (preallocated buffers, ``out=``); same numbers as eager.

A rule replaces the generic ``forward``/``backward`` call of one recorded op by source lines
of the generated replay (``_emit``): one NumPy call a line. Each rule does
the same floating-point operations in the same order as the op's own code (``ops.matmul.
Linear``, ``ops.activation.ReLU``), so replay stays bitwise identical to eager mode; it only
saves allocations, a copy pass per parameter gradient and Python calls:

- Linear writes ``x Wᵀ (+ b)`` into a preallocated buffer (the same small-batch orientation as
  eager), and in backward ``gᵀ x`` and ``Σ g`` straight into the parameters' slices of the
  flat gradient buffer;
- ReLU after a Linear whose output nothing else reads runs in place on that buffer (the
  fused Linear+ReLU forward); its backward multiplies by a preallocated mask.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..ops.activation import ReLU
from ..ops.loss import CrossEntropyLoss
from ..ops.matmul import Linear
from ..tensor import Tensor
from ._emit import send


# Switches for benchmarks/capture_ideas.py (measured there; both pay, so both stay on).
ENABLED = True         # False: every op replays its own forward/backward (fresh arrays)
FUSE_ACTIVATION = True  # False: ReLU after Linear gets its own buffer instead of in place
IN_PLACE_BACKWARD = True  # False: ReLU's backward writes a buffer of its own


class PrecheckError(Exception):
    """A value check failed before the replay changed anything: run the step eagerly."""


def uses(tape: Any, returned: set[int]) -> dict[int, int]:
    """How many times each op's output array is read (by ops, as the result, as the root)."""
    index = {id(op.result._data): k for k, op in enumerate(tape.ops)}
    count = dict.fromkeys(range(len(tape.ops)), 0)
    for op in tape.ops:
        for a in list(op.args) + list(op.kwargs.values()):
            arr = a._data if isinstance(a, Tensor) else a
            k = index.get(id(arr))
            if k is not None:
                count[k] += 1
    for i in returned:
        if i in index:
            count[index[i]] += 1
    if tape.backward_root is not None and id(tape.backward_root._data) in index:
        count[index[id(tape.backward_root._data)]] += 1
    return count


def forward_rule(plan: Any, k: int, op: Any, ins: list[tuple[str, Any]], kw: dict[str, Any],
                 ctx: Any, out: int) -> list[str] | None:
    """The lines of op ``k``'s forward (None: replay its own forward); a backward rule for
    it goes to ``plan.rules[k]``."""
    if not ENABLED:
        if op.cls is CrossEntropyLoss and len(ins) > 1 and ins[1][0] == "slot":
            _target_check(plan, ins[1][1], op)
        return None
    if op.cls is CrossEntropyLoss and len(ins) > 1 and ins[1][0] == "slot":
        if not _target_check(plan, ins[1][1], op):
            return None
        if ins[0][0] == "slot" and kw.get("weight") is None and \
                kw.get("reduction", "mean") == "mean" and not kw.get("label_smoothing", 0.0):
            return _cross_entropy_forward(plan, k, op, ins[0][1], ins[1][1], out)
        return None
    if op.cls is Linear and not kw and all(kind == "slot" for kind, _ in ins):
        return _linear_forward(plan, k, op, [s for _, s in ins], out)
    if op.cls is ReLU and not kw and ins[0][0] == "slot":
        return _relu_forward(plan, k, op, ins[0][1], ctx, out)
    return None


def backward_rule(plan: Any, k: int, op: Any, targets: list[Any]) -> list[str] | None:
    rule = plan.rules.get(k)
    return None if rule is None else rule(targets)  # type: ignore[no-any-return]


# ---- Linear -------------------------------------------------------------------------------
def _linear_forward(plan: Any, k: int, op: Any, slots: list[int], out: int) -> list[str] | None:
    x0, w0 = op.args[0], op.args[1]
    x_shape = x0._data.shape if isinstance(x0, Tensor) else np.shape(x0)
    if len(x_shape) != 2 or len(slots) not in (2, 3) or not isinstance(w0, Tensor) or \
            w0._data.ndim != 2:
        return None
    res = op.result._data
    src = plan.src
    xs, ws = slots[0], slots[1]
    y = plan.buffer(out, np.empty(res.shape, res.dtype))
    m, n_out = res.shape
    x, w, wt = plan.ref(xs), plan.ref(ws), plan.ref(ws, transposed=True)
    b = plan.ref(slots[2]) if len(slots) == 3 else None
    if 0 < m <= 64 and 4 * m <= n_out:  # the orientation ops.matmul.Linear picks
        yt = np.empty((n_out, m), res.dtype)
        lines = [f"matmul({w}, {x}.T, out={src.bind(yt, 'yt')})"]
        # = ascontiguousarray((W xᵀ)ᵀ) + b, the bias added in the transposed copy: one pass less
        lines.append(f"copyto({y}, {src.bind(yt.T, 'ytt')})" if b is None else
                     f"add({src.bind(yt.T, 'ytt')}, {b}, out={y})")
    else:
        lines = [f"matmul({x}, {wt}, out={y})"]
        if b is not None:
            lines.append(f"add({y}, {b}, out={y})")
    if op.node is not None:
        plan.rules[k] = lambda targets: _linear_backward(plan, k, xs, ws, targets)
    return lines


def _linear_backward(plan: Any, k: int, xs: int, ws: int, targets: list[Any]) -> list[str]:
    src = plan.src
    tx, tw = targets[0], targets[1]
    tb = targets[2] if len(targets) > 2 else None
    res = plan.tape.ops[k].result._data
    w_shape = plan.tape.ops[k].args[1]._data.shape
    lines = [f"g = pend[{k}]", f"pend[{k}] = None"]
    if tx is not None:
        gx = np.empty((res.shape[0], w_shape[1]), res.dtype)
        name = src.bind(gx, "gx")
        lines += [f"matmul(g, {plan.ref(ws)}, out={name})",
                  send(src, tx, name, gx.shape, gx.dtype)]
    x = plan.ref(xs)
    if tw is not None:
        if tw[0] == "leaf" and tw[2] and tw[3] == w_shape and tw[4] == res.dtype:
            lines.append(f"matmul(g.T, {x}, out={src.bind(tw[1], 'gw')})")
        else:
            lines.append(f"deliver({src.bind(tw, 't')}, matmul(g.T, {x}), pend)")
    if tb is not None:
        if tb[0] == "leaf" and tb[2] and tb[4] == res.dtype:
            lines.append(f"add_reduce(g, axis=0, out={src.bind(tb[1], 'gb')})")
        else:
            lines.append(f"deliver({src.bind(tb, 't')}, g.sum(axis=0), pend)")
    return lines


# ---- ReLU ---------------------------------------------------------------------------------
def _relu_forward(plan: Any, k: int, op: Any, xs: int, ctx: Any, out: int) -> list[str]:
    src = plan.src
    res = op.result._data
    xbuf = plan.buffers.get(xs)
    in_place = FUSE_ACTIVATION and xbuf is not None and \
        plan.uses.get(plan.op_slot.index(xs), 2) == 1 and \
        xbuf.shape == res.shape and xbuf.dtype == res.dtype
    y = plan.buffer(out, xbuf if in_place else np.empty(res.shape, res.dtype))
    if op.node is not None:
        arr = plan.buffers[out]
        plan.rules[k] = lambda targets: _relu_backward(src, k, y, arr, targets)
    return [f"maximum({plan.ref(xs)}, 0, out={y})"]  # in place on the Linear output: fused


def _relu_backward(src: Any, k: int, y: str, arr: np.ndarray, targets: list[Any]) -> list[str]:
    t = targets[0]
    if t is None:
        return [f"pend[{k}] = None"]
    mask = src.bind(np.empty(arr.shape, np.bool_), "mask")
    owned = src.owned.get(k)
    if owned is not None and IN_PLACE_BACKWARD and src.ns[owned].shape == arr.shape and \
            src.ns[owned].dtype == arr.dtype:  # grad_out * (y > 0) in place: one buffer less
        return [f"greater({y}, 0, out={mask})",
                f"multiply({owned}, {mask}, out={owned})",
                f"pend[{k}] = None",
                send(src, t, owned, arr.shape, arr.dtype)]
    gbuf = np.empty(arr.shape, arr.dtype)
    name = src.bind(gbuf, "gr")
    return [f"greater({y}, 0, out={mask})",
            f"multiply(pend[{k}], {mask}, out={name})",  # = grad_out * (y > 0)
            f"pend[{k}] = None",
            send(src, t, name, gbuf.shape, gbuf.dtype)]


# ---- cross-entropy: the class indices are checked as the eager loss checks them ------------
def _target_check(plan: Any, slot: int, op: Any) -> bool:
    x, t0 = op.args[0], op.args[1]
    shape = x._data.shape if isinstance(x, Tensor) else np.shape(x)
    t_arr = t0._data if isinstance(t0, Tensor) else np.asarray(t0)
    if t_arr.dtype.kind not in "iu":
        return False
    c = shape[1] if len(shape) >= 2 else shape[0]
    unsigned = plan.src.bind(np.dtype(f"u{t_arr.dtype.itemsize}"), "u")
    # targets outside [0, C) (bad, or ignore_index) run eagerly, which raises the loss's own
    # IndexError; negative indices view as huge unsigned numbers
    t = plan.ref(slot)
    plan.prechecks.append(f"if {t}.size and max_reduce({t}.view({unsigned})) >= {c}: "
                          "raise PrecheckError")
    return True


def _cross_entropy_forward(plan: Any, k: int, op: Any, xs: int, ts: int,
                           out: int) -> list[str] | None:
    """CrossEntropyLoss (mean, no class weights, no smoothing, targets checked in [0, C)) with
    the op's operations into preallocated buffers."""
    x0 = op.args[0]._data
    if x0.ndim != 2 or op.result._data.ndim != 0:
        return None
    m, c = x0.shape
    src = plan.src
    red, red2 = (src.bind(np.empty((m, 1), x0.dtype), "r") for _ in range(2))
    z, e = (src.bind(np.empty((m, c), x0.dtype), "z") for _ in range(2))
    logp_arr = np.empty((m, c), x0.dtype)
    logp, rows = src.bind(logp_arr, "logp"), src.bind(np.arange(m), "rows")
    dtype, n = src.bind(op.result._data.dtype, "dt"), src.bind(m, "n")  # a name, not a literal:
    x, t = plan.ref(xs), plan.ref(ts)  # the same text for every batch size reuses its code
    if op.node is not None:
        plan.rules[k] = lambda targets: _cross_entropy_backward(
            src, k, logp, logp_arr, rows, t, n, targets,
            plan.seed / m if k == plan.root_op else None)  # the root's gradient is the seed
    return [f"max_reduce({x}, axis=1, keepdims=True, out={red})",  # z = x - max x
            f"subtract({x}, {red}, out={z})",
            f"exp({z}, out={e})",                                    # logp = z - log Σ e^z
            f"add_reduce({e}, axis=1, keepdims=True, out={red2})",
            f"log({red2}, out={red2})",
            f"subtract({z}, {red2}, out={logp})",
            f"v[{out}] = asarray(add_reduce(-{logp}[{rows}, {t}]) / {n}, dtype={dtype})"]


def _cross_entropy_backward(src: Any, k: int, logp: str, logp_arr: np.ndarray, rows: str,
                            t: str, n: str, targets: list[Any], scale: Any) -> list[str]:
    tg = targets[0]
    if tg is None:
        return [f"pend[{k}] = None"]
    gbuf = np.empty(logp_arr.shape, logp_arr.dtype)
    g = src.bind(gbuf, "gce")
    return [f"exp({logp}, out={g})",                                 # softmax - onehot, / m
            f"{g}[{rows}, {t}] -= 1.0",
            f"multiply({g}, {f'pend[{k}] / {n}' if scale is None else src.bind(scale, 's')}, "
            f"out={g})",
            f"pend[{k}] = None",
            send(src, tg, g, gbuf.shape, gbuf.dtype)]
