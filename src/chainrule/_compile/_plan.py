"""A recorded step turned into a flat plan: a list of calls on arrays, no Tensors, no graph.

Every value of the step gets a slot in one list: the step's array arguments, parameters,
constants and each op's output. Forward runs the ops' own ``forward`` (or a faster rule from
``_rules``) on those arrays, with one reusable context per op; backward runs their
``backward`` in the order the engine ran them, summing into the same slots in the same order
(so the numbers are bitwise those of eager mode) and writing each parameter's gradient
straight into its slice of the optimizer's flat gradient buffer; the optimizer update is a
few calls over flat buffers (``optim._flat``).
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..optim._flat import FlatGroup, flat_step
from ..tensor import Tensor, _make
from . import _rules
from ._record import Op, Tape, _active_hooks
from ._steps import (UnsupportedError, finite_check, generic_backward, generic_forward,
                     result_arrays, zero)


class Plan:
    """The replay of one recorded step for one signature of arguments."""

    def __init__(self, tape: Tape, args: tuple[Any, ...], result: Any) -> None:
        if tape.problems:
            raise UnsupportedError("; ".join(tape.problems))
        self.tape = tape
        self.v: list[Any] = []                 # the slots
        self.slot_of: dict[int, int] = {}      # id(array) -> slot
        self.arg_slots: list[tuple[int, int, bool]] = []  # (slot, arg position, is Tensor)
        self.leaf_slot: dict[int, int] = {}    # id(leaf) -> slot
        self.leaves: list[Tensor] = []
        self.refresh: list[tuple[int, Tensor]] = []  # slots read from a tensor at each call
        self.prechecks: list[Callable[[], bool]] = []
        self.steps: list[Callable[[], None]] = []
        self.flat: dict[int, list[FlatGroup]] = {}
        self.op_slot: list[int] = []
        for i, a in enumerate(args):
            arr = a._data if isinstance(a, Tensor) else a
            if isinstance(arr, np.ndarray):
                s = self._new(arr)
                self.slot_of[id(arr)] = s
                self.arg_slots.append((s, i, isinstance(a, Tensor)))
        self._check_graph()
        self._grad_dest: dict[int, tuple[np.ndarray, Tensor]] = {}
        self._plan_optimizers()
        self.ctxs: list[Any] = []
        self.rules: dict[int, Callable[..., Callable[[], None]]] = {}  # op -> backward rule
        self.buffers: dict[int, np.ndarray] = {}  # slot -> its preallocated array
        self.uses = _rules.uses(tape, result_arrays(result))
        for k, op in enumerate(tape.ops):
            self._forward(k, op)
        self.bw = self._backward() if tape.backward_root is not None else None
        self._events()
        self._items_used: set[int] = set()
        self.out = self._outputs(result)
        if set(tape.items) - self._items_used:
            raise UnsupportedError("Tensor.item() reads a value inside the step (used other than "
                              "as a returned value: it may steer Python control flow)")
        self._guards()
        self.rules.clear()
        self.tape = None  # type: ignore[assignment]  # the recording's arrays can go

    def _new(self, value: Any) -> int:
        self.v.append(value)
        return len(self.v) - 1

    # ---- checks ---------------------------------------------------------------------------
    def _check_graph(self) -> None:
        tape = self.tape
        for op in tape.ops:
            if op.node is not None and op.node._hooks:
                raise UnsupportedError(f"a gradient hook (register_hook/retain_grad) on "
                                  f"{op.cls.__name__}")
            if op.cls.__name__ == "Dropout":
                raise UnsupportedError("dropout (its random mask is drawn at each call)")
        if tape.backward_root is None and any(e[0] == "step" for e in tape.events):
            raise UnsupportedError("optimizer.step without backward")
        kinds = [e[0] for e in tape.events if e[0] != "op"]
        if "backward" in kinds and "step" in kinds and \
                kinds.index("step") < kinds.index("backward"):
            raise UnsupportedError("optimizer.step before backward")
        self.leaves_with_grad: list[Tensor] = []
        seen: set[int] = set()
        for op in tape.ops:
            if op.node is None:
                continue
            for p in op.node.next:
                if isinstance(p, Tensor) and id(p) not in seen:
                    seen.add(id(p))
                    self.leaves_with_grad.append(p)
                    if p._hooks:
                        raise UnsupportedError("a gradient hook on a leaf tensor")
                elif p is not None and not isinstance(p, Tensor) and \
                        id(p) not in tape.node_index:
                    raise UnsupportedError("an input whose graph was built outside the step")

    # ---- optimizers -----------------------------------------------------------------------
    def _plan_optimizers(self) -> None:
        with_grad = {id(p) for p in self.leaves_with_grad}
        for e in self.tape.events:
            if e[0] != "step" or id(e[1]) in self.flat:
                continue
            opt = e[1]
            groups = opt.param_groups
            if all(FlatGroup.supports(opt, g) and all(id(p) in with_grad for p in g["params"])
                   for g in groups):
                cache = opt.__dict__.setdefault("_flat_groups", {})
                fgs = []
                for gi, g in enumerate(groups):
                    fg = cache.get(gi)
                    if fg is None or fg.group is not g or len(fg.params) != len(g["params"]) \
                            or any(a is not b for a, b in zip(fg.params, g["params"])):
                        fg = cache[gi] = FlatGroup(opt, g)
                    fg.sync_params()
                    fgs.append(fg)
                    for p, gv, gt in zip(fg.params, fg.grad_views, fg.grad_tensors):
                        self._grad_dest[id(p)] = (gv, gt)
                self.flat[id(opt)] = fgs
        for p in self.leaves_with_grad:
            if id(p) not in self._grad_dest:
                g = np.zeros_like(p._data)
                self._grad_dest[id(p)] = (g, _make(g))

    # ---- forward --------------------------------------------------------------------------
    def _value(self, a: Any) -> Any:
        """The slot of an op argument, creating one for leaves and constants."""
        if isinstance(a, Tensor):
            arr = a._data
            if a.requires_grad and a.grad_fn is None:
                s = self.leaf_slot.get(id(a))
                if s is None:
                    s = self.leaf_slot[id(a)] = self._new(arr)
                    self.leaves.append(a)
                    if not self._is_flat(a):
                        self.refresh.append((s, a))
                return ("slot", s)
            if id(arr) in self.slot_of:
                return ("slot", self.slot_of[id(arr)])
            s = self._new(arr)
            self.refresh.append((s, a))  # a tensor made outside the step: read it each call
            return ("slot", s)
        if isinstance(a, np.ndarray):
            if id(a) in self.slot_of:
                return ("slot", self.slot_of[id(a)])
            return ("lit", a)
        if isinstance(a, np.generic):
            return ("lit", a.item())
        return ("lit", a)

    def _is_flat(self, p: Tensor) -> bool:
        dest = self._grad_dest.get(id(p))
        return dest is not None and any(
            p is q for fgs in self.flat.values() for fg in fgs for q in fg.params)

    def _forward(self, k: int, op: Op) -> None:
        ins = [self._value(a) for a in op.args]
        kw = {}
        for n, a in op.kwargs.items():
            kind, val = self._value(a)
            if kind == "slot":
                raise UnsupportedError(f"{op.cls.__name__}: an array keyword argument computed in "
                                  "the step")
            kw[n] = val
        ctx = op.cls.__new__(op.cls)
        ctx.saved_arrays = ()
        node = op.node
        ctx.next = tuple(None if p is None else True for p in node.next) if node is not None \
            else tuple(None for _ in op.args)
        ctx.shape, ctx.dtype = op.result._data.shape, op.result._data.dtype
        self.ctxs.append(ctx)
        out = self._new(None)
        self.op_slot.append(out)
        self.slot_of[id(op.result._data)] = out
        rule = _rules.forward_rule(self, k, op, ins, kw, ctx, out)
        if rule is not None:
            self.steps.append(rule)
            return
        before_update = not any(e[0] in ("backward", "step")
                                for e in self.tape.events[:op.event])
        self.steps.append(generic_forward(self.v, op.cls.forward, ctx, ins, kw, out,
                                          op.result._data.shape if before_update else None))

    # ---- backward -------------------------------------------------------------------------
    def _backward(self) -> Callable[[], None]:
        tape = self.tape
        order = tape.backward_order
        assert tape.backward_root is not None
        root = self.slot_of[id(tape.backward_root._data)]
        pend: list[Any] = [None] * len(tape.ops)
        root_op = self.op_slot.index(root)
        seed = np.ones((), tape.backward_root._data.dtype)
        seed.flags.writeable = False
        seed = seed if tape.backward_root._data.ndim == 0 else \
            seed.reshape(tape.backward_root._data.shape)
        firsts: set[Any] = set()
        calls: list[Callable[[], None]] = []
        for k in order:
            op = tape.ops[k]
            targets: list[Any] = []
            for p in op.node.next:
                if p is None:
                    targets.append(None)
                    continue
                if isinstance(p, Tensor):
                    dest, _ = self._grad_dest[id(p)]
                    key: Any = ("leaf", id(p))
                    targets.append(("leaf", dest, key not in firsts, p._data.shape,
                                    p._data.dtype))
                else:
                    m = tape.node_index[id(p)]
                    key = ("node", m)
                    r = tape.ops[m].result._data
                    targets.append(("node", m, key not in firsts, r.shape, r.dtype))
                firsts.add(key)
            rule = _rules.backward_rule(self, k, op, targets, pend)
            calls.append(rule if rule is not None else
                         generic_backward(op.cls.backward, self.ctxs[k], k, targets, pend))
        self.root_op = root_op

        def backward() -> None:
            pend[root_op] = seed
            for c in calls:
                c()
        return backward

    # ---- events: backward, zero_grad, step at their places ---------------------------------
    def _events(self) -> None:
        tape = self.tape
        ordered: list[Callable[[], None]] = []
        k = 0
        for e in tape.events:
            if e[0] == "op":
                ordered.append(self.steps[k])
                if tape.guard_nonfinite and self.bw is not None and k == self.root_op:
                    ordered.append(finite_check(self.v, self.op_slot[k]))
                k += 1
            elif e[0] == "backward":
                assert self.bw is not None
                ordered.append(self.bw)
                ordered.append(self._install_grads())
            elif e[0] == "zero_grad":
                ordered.append(zero(e[1], e[2]))
            elif e[0] == "step":
                ordered.append(self._step(e[1]))
        self.steps = ordered

    def _install_grads(self) -> Callable[[], None]:
        pairs = [(p, self._grad_dest[id(p)][1]) for p in self.leaves_with_grad]

        def install() -> None:
            for p, g in pairs:
                p.grad = g
        return install

    def _step(self, opt: Any) -> Callable[[], None]:
        fgs = self.flat.get(id(opt))
        if fgs is None:
            eager = type(opt).step
            return lambda: eager(opt)
        if len(fgs) == 1:
            fg = fgs[0]
            return lambda: flat_step(fg)

        def step() -> None:
            for fg in fgs:
                flat_step(fg)
        return step

    # ---- results ----------------------------------------------------------------------------
    def _outputs(self, result: Any) -> Callable[[], Any]:
        tape = self.tape
        if result is None:
            return lambda: None
        if isinstance(result, Tensor):
            if result.requires_grad and result.grad_fn is None:
                return lambda: result  # a parameter itself
            found = self.slot_of.get(id(result._data))
            if found is None or found not in self.op_slot:
                raise UnsupportedError("the step returns a tensor made outside its ops")
            v, s = self.v, found
            return lambda: _make(np.array(v[s]))
        if isinstance(result, float) and id(result) in tape.items:
            t = tape.items[id(result)]
            self._items_used.add(id(result))
            item_slot = self.slot_of.get(id(t._data))  # type: ignore[union-attr]
            if item_slot is None:
                raise UnsupportedError("the step returns .item() of a tensor made outside its ops")
            v, k = self.v, item_slot
            return lambda: v[k].item()
        if isinstance(result, (tuple, list)):
            parts = [self._outputs(r) for r in result]
            kind = type(result)
            if kind is tuple:
                return lambda: tuple(p() for p in parts)
            if kind is list:
                return lambda: [p() for p in parts]
            raise UnsupportedError(f"the step returns a {kind.__name__}")
        if isinstance(result, dict):
            items = [(key, self._outputs(r)) for key, r in result.items()]
            return lambda: {key: p() for key, p in items}
        if isinstance(result, (int, str, bool)) or result is None:
            return lambda: result
        if isinstance(result, float):
            raise UnsupportedError("the step returns a float not from .item() on a result")
        raise UnsupportedError(f"the step returns a {type(result).__name__}")

    # ---- guards checked at each call ----------------------------------------------------------
    def _guards(self) -> None:
        self.modes: list[tuple[Any, bool]] = []
        self.dicts: list[tuple[dict[str, Any], tuple[Any, ...]]] = []
        for m, training in self.tape.modules.values():
            if training and any(b is not None for b in m._buffers.values()):
                raise UnsupportedError(f"{type(m).__name__} with buffers in training mode (its "
                                       "running statistics are updated outside the ops)")
            self.modes.append((m, training))
            for d in (m._parameters, m._modules, m._buffers):
                self.dicts.append((d, tuple(d.values())))
        self.opts = [(opt, opt.param_groups, list(opt.param_groups),
                      [list(g["params"]) for g in opt.param_groups])
                     for opt in {id(e[1]): e[1] for e in self.tape.events if e[0] == "step"}
                     .values()]
        self.flat_groups = [fg for fgs in self.flat.values() for fg in fgs]

    def valid(self) -> str | None:
        """None if the plan still applies; else what changed (a few µs)."""
        for m, training in self.modes:
            if m.training is not training or (m._hooked and _active_hooks(m)):
                return "train/eval mode changed or forward hooks were added"
        try:
            for d, values in self.dicts:
                if len(d) != len(values) or (values and tuple(d.values()) != values):
                    return "the model's structure changed"
            for opt, groups_obj, groups, params in self.opts:
                if opt.param_groups is not groups_obj or groups_obj != groups or \
                        [g["params"] for g in groups_obj] != params:
                    return "the optimizer's parameter groups changed"
        except (TypeError, ValueError, RuntimeError):  # Tensor == Tensor of another tensor
            return "the model's structure or the optimizer's parameters changed"
        for p in self.leaves:
            if p._hooks or not p.requires_grad:
                return "a parameter got a hook or stopped requiring grad"
        for fg in self.flat_groups:
            if not fg.params_valid():
                fg.sync_params()
        return None

    def run(self, args: tuple[Any, ...]) -> Any:
        v = self.v
        for s, i, is_tensor in self.arg_slots:
            a = args[i]
            v[s] = a._data if is_tensor else a
        for s, t in self.refresh:
            v[s] = t._data
        for check in self.prechecks:
            if not check():
                raise _rules.PrecheckError
        for step in self.steps:
            step()
        return self.out()

