"""Faster replay rules for the hot ops (preallocated buffers, ``out=``); same numbers as eager.

A rule replaces the generic ``forward``/``backward`` call of one recorded op. Each rule does
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

from typing import Any, Callable

import numpy as np

from ..ops.activation import ReLU
from ..ops.loss import CrossEntropyLoss
from ..ops.matmul import Linear
from ..tensor import Tensor


# Switches for benchmarks/capture_ideas.py (measured there; both pay, so both stay on).
ENABLED = True         # False: every op replays its own forward/backward (fresh arrays)
FUSE_ACTIVATION = True  # False: ReLU after Linear gets its own buffer instead of in place


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
                 ctx: Any, out: int) -> Callable[[], None] | None:
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


def backward_rule(plan: Any, k: int, op: Any, targets: list[Any],
                  pend: list[Any]) -> Callable[[], None] | None:
    rule = plan.rules.get(k)
    return None if rule is None else rule(targets, pend)


# ---- Linear -------------------------------------------------------------------------------
def _linear_forward(plan: Any, k: int, op: Any, slots: list[int],
                    out: int) -> Callable[[], None] | None:
    x0, w0 = op.args[0], op.args[1]
    x_shape = x0._data.shape if isinstance(x0, Tensor) else np.shape(x0)
    if len(x_shape) != 2 or len(slots) not in (2, 3) or not isinstance(w0, Tensor) or \
            w0._data.ndim != 2:
        return None
    res = op.result._data
    v = plan.v
    xs, ws = slots[0], slots[1]
    bs = slots[2] if len(slots) == 3 else None
    y = np.empty(res.shape, res.dtype)
    v[out] = y
    plan.buffers[out] = y
    m, n_out = res.shape
    small = 0 < m <= 64 and 4 * m <= n_out  # the orientation ops.matmul.Linear picks
    yt = np.empty((n_out, m), res.dtype) if small else None
    matmul, add, copyto = np.matmul, np.add, np.copyto

    def forward() -> None:
        x, w = v[xs], v[ws]
        if yt is not None:
            matmul(w, x.T, out=yt)
            if bs is None:
                copyto(y, yt.T)
            else:
                add(yt.T, v[bs], out=y)  # = ascontiguousarray((W xᵀ)ᵀ) + b, one pass less
        else:
            matmul(x, w.T, out=y)
            if bs is not None:
                add(y, v[bs], out=y)
        v[out] = y
    if op.node is not None:
        plan.rules[k] = lambda targets, pend: _linear_backward(plan, k, xs, ws, targets, pend)
    return forward


def _linear_backward(plan: Any, k: int, xs: int, ws: int, targets: list[Any],
                     pend: list[Any]) -> Callable[[], None]:
    from ._steps import deliver, sink
    v = plan.v
    tx, tw = targets[0], targets[1]
    tb = targets[2] if len(targets) > 2 else None
    res = plan.tape.ops[k].result._data
    w_shape = plan.tape.ops[k].args[1]._data.shape
    gx = send_x = None
    if tx is not None:
        gx = np.empty((res.shape[0], w_shape[1]), res.dtype)
        send_x = sink(tx, pend, gx.shape, gx.dtype)
    direct_w = tw is not None and tw[0] == "leaf" and tw[2] and tw[3] == w_shape and \
        tw[4] == res.dtype
    direct_b = tb is not None and tb[0] == "leaf" and tb[2] and tb[4] == res.dtype
    matmul, add_reduce = np.matmul, np.add.reduce

    def backward() -> None:
        g = pend[k]
        pend[k] = None
        if send_x is not None and gx is not None:
            matmul(g, v[ws], out=gx)
            send_x(gx)
        if tw is not None:
            if direct_w:
                matmul(g.T, v[xs], out=tw[1])
            else:
                deliver(tw, matmul(g.T, v[xs]), pend)
        if tb is not None:
            if direct_b:
                add_reduce(g, axis=0, out=tb[1])
            else:
                deliver(tb, g.sum(axis=0), pend)
    return backward


# ---- ReLU ---------------------------------------------------------------------------------
def _relu_forward(plan: Any, k: int, op: Any, xs: int, ctx: Any,
                  out: int) -> Callable[[], None]:
    v = plan.v
    res = op.result._data
    in_place = FUSE_ACTIVATION and xs in plan.buffers and \
        plan.uses.get(plan.op_slot.index(xs), 2) == 1 and \
        plan.buffers[xs].shape == res.shape and plan.buffers[xs].dtype == res.dtype
    y = plan.buffers[xs] if in_place else np.empty(res.shape, res.dtype)
    plan.buffers[out] = y
    maximum = np.maximum

    def forward() -> None:
        maximum(v[xs], 0, out=y)  # in place on the Linear output: the fused Linear+ReLU
        v[out] = y
    if op.node is not None:
        mask = np.empty(res.shape, np.bool_)
        gbuf = np.empty(res.shape, res.dtype)
        plan.rules[k] = lambda targets, pend: _relu_backward(k, y, mask, gbuf, targets, pend)
    return forward


def _relu_backward(k: int, y: np.ndarray, mask: np.ndarray, gbuf: np.ndarray,
                   targets: list[Any], pend: list[Any]) -> Callable[[], None]:
    from ._steps import sink
    t = targets[0]
    send = None if t is None else sink(t, pend, gbuf.shape, gbuf.dtype)
    greater, multiply = np.greater, np.multiply

    def backward() -> None:
        g = pend[k]
        pend[k] = None
        if send is not None:
            greater(y, 0, out=mask)
            multiply(g, mask, out=gbuf)  # = grad_out * (y > 0)
            send(gbuf)
    return backward


# ---- cross-entropy: the class indices are checked as the eager loss checks them ------------
def _target_check(plan: Any, slot: int, op: Any) -> bool:
    x, t0 = op.args[0], op.args[1]
    shape = x._data.shape if isinstance(x, Tensor) else np.shape(x)
    t_arr = t0._data if isinstance(t0, Tensor) else np.asarray(t0)
    if t_arr.dtype.kind not in "iu":
        return False
    c = shape[1] if len(shape) >= 2 else shape[0]
    v = plan.v

    unsigned = np.dtype(f"u{t_arr.dtype.itemsize}")
    top = np.maximum.reduce

    def check() -> bool:  # targets outside [0, C) (bad, or ignore_index) run eagerly
        t = v[slot]
        if not t.size:
            return True
        return bool(top(t.view(unsigned)) < c)  # negative indices view as huge unsigned
    plan.prechecks.append(check)
    return True


def _cross_entropy_forward(plan: Any, k: int, op: Any, xs: int, ts: int,
                           out: int) -> Callable[[], None] | None:
    """CrossEntropyLoss (mean, no class weights, no smoothing, targets checked in [0, C)) with
    the op's operations into preallocated buffers."""
    x0 = op.args[0]._data
    if x0.ndim != 2 or op.result._data.ndim != 0:
        return None
    m, c = x0.shape
    dtype = op.result._data.dtype
    v = plan.v
    red, red2 = np.empty((m, 1), x0.dtype), np.empty((m, 1), x0.dtype)
    z, e, logp = (np.empty((m, c), x0.dtype) for _ in range(3))
    rows = np.arange(m)
    np_max, np_sum = np.maximum.reduce, np.add.reduce  # what x.max() and x.sum() call
    subtract, exp, log, asarray = np.subtract, np.exp, np.log, np.asarray

    def forward() -> None:
        x = v[xs]
        np_max(x, axis=1, keepdims=True, out=red)           # z = x - max x
        subtract(x, red, out=z)
        exp(z, out=e)                                         # logp = z - log Σ e^z
        np_sum(e, axis=1, keepdims=True, out=red2)
        log(red2, out=red2)
        subtract(z, red2, out=logp)
        loss = -logp[rows, v[ts]]
        v[out] = asarray(np_sum(loss) / m, dtype=dtype)
    if op.node is not None:
        gbuf = np.empty((m, c), x0.dtype)
        plan.rules[k] = lambda targets, pend: _cross_entropy_backward(
            k, logp, gbuf, rows, v, ts, m, targets, pend)
    return forward


def _cross_entropy_backward(k: int, logp: np.ndarray, gbuf: np.ndarray, rows: np.ndarray,
                            v: list[Any], ts: int, m: int, targets: list[Any],
                            pend: list[Any]) -> Callable[[], None]:
    from ._steps import sink
    t = targets[0]
    send = None if t is None else sink(t, pend, gbuf.shape, gbuf.dtype)
    exp, multiply = np.exp, np.multiply

    def backward() -> None:
        g = pend[k]
        pend[k] = None
        if send is not None:
            exp(logp, out=gbuf)                               # softmax - onehot, / m
            gbuf[rows, v[ts]] -= 1.0
            multiply(gbuf, g / m, out=gbuf)
            send(gbuf)
    return backward
