"""A recorded step turned into a flat plan: a list of calls on arrays, no Tensors, no graph.

Every value of the step gets a slot in one list: the step's array arguments, parameters,
constants and each op's output. Forward runs the ops' own ``forward`` (or a faster rule from
``_rules``) on those arrays, with one reusable context per op; backward runs their
``backward`` in the order the engine ran them, summing into the same slots in the same order
(so the numbers are bitwise those of eager mode) and writing each parameter's gradient
straight into its slice of the optimizer's flat gradient buffer; the optimizer update is a
few calls over flat buffers (``optim._flat``). The whole replay is one generated Python
function (``_emit``): a line per NumPy call, closures only for ops without a rule.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..optim._flat import FlatGroup, flat_step
from ..tensor import Tensor, _make
from . import _rules
from ._emit import Source
from ._guards import Guards
from ._outputs import outputs
from ._record import Op, Tape
from ._steps import (UnsupportedError, finite_check, generic_backward, generic_forward,
                     result_arrays, zero)


class Plan:
    """The replay of one recorded step for one signature of arguments."""

    def __init__(self, tape: Tape, args: tuple[Any, ...], result: Any) -> None:
        if tape.problems:
            raise UnsupportedError("; ".join(tape.problems))
        self.tape = tape
        self.src = Source()
        self.v: list[Any] = []                 # the slots
        self.slot_of: dict[int, int] = {}      # id(array) -> slot
        self.arg_slots: list[tuple[int, int, bool]] = []  # (slot, arg position, is Tensor)
        self.leaf_slot: dict[int, int] = {}    # id(leaf) -> slot
        self.leaves: list[Tensor] = []
        self.refresh: list[tuple[int, Tensor]] = []  # slots read from a tensor at each call
        self.const: dict[int, np.ndarray] = {}  # slots whose array never changes
        self._transposed: dict[int, np.ndarray] = {}
        self.prechecks: list[str] = []         # lines: value checks before anything changes
        self.fw: list[list[str]] = []          # lines of each op's forward
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
        self.rules: dict[int, Callable[[list[Any]], list[str]]] = {}  # op -> backward rule
        self.buffers: dict[int, np.ndarray] = {}  # slot -> its preallocated array
        self.uses = _rules.uses(tape, result_arrays(result))
        for k, op in enumerate(tape.ops):
            self._forward(k, op)
        self.bw = self._backward() if tape.backward_root is not None else None
        self._items_used: set[int] = set()
        self.out = outputs(self, result)
        if set(tape.items) - self._items_used:
            raise UnsupportedError("Tensor.item() reads a value inside the step (used other than "
                              "as a returned value: it may steer Python control flow)")
        self.guards = Guards(tape, [fg for fgs in self.flat.values() for fg in fgs],
                             self.leaves)
        self.valid = self.guards.valid
        self.run = self._generate()
        self.rules.clear()
        self.tape = None  # type: ignore[assignment]  # the recording's arrays can go

    def _new(self, value: Any) -> int:
        self.v.append(value)
        return len(self.v) - 1

    def ref(self, slot: int, transposed: bool = False) -> str:
        """How the generated code reads a slot: a bound name for an array that never changes
        (a buffer, a flat parameter view), else ``v[slot]``."""
        arr = self.const.get(slot)
        if arr is None:
            return f"v[{slot}].T" if transposed else f"v[{slot}]"
        if transposed:
            t = self._transposed.get(slot)
            if t is None:
                t = self._transposed[slot] = arr.T
            return self.src.bind(t, "at")
        return self.src.bind(arr, "a")

    def buffer(self, slot: int, arr: np.ndarray) -> str:
        """Make ``arr`` the preallocated array of an op's output slot; its bound name."""
        self.v[slot] = self.buffers[slot] = self.const[slot] = arr
        return self.src.bind(arr, "y")

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
                    if self._is_flat(a):
                        self.const[s] = arr
                    else:
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
        lines = _rules.forward_rule(self, k, op, ins, kw, ctx, out)
        if lines is None:
            before_update = not any(e[0] in ("backward", "step")
                                    for e in self.tape.events[:op.event])
            fwd = generic_forward(self.v, op.cls.forward, ctx, ins, kw, out,
                                  op.result._data.shape if before_update else None)
            lines = [f"{self.src.bind(fwd, 'f')}()"]
        self.fw.append(lines)

    # ---- backward -------------------------------------------------------------------------
    def _backward(self) -> list[str]:
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
        self.root_op, self.seed = root_op, seed
        lines = [f"pend[{root_op}] = {self.src.bind(seed, 'seed')}"]
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
            rule = _rules.backward_rule(self, k, op, targets)
            if rule is None:
                for t in targets:  # a generic op adds to (or is) these gradients at run time
                    if t is not None and t[0] == "node":
                        self.src.owned.pop(t[1], None)
                bwd = generic_backward(op.cls.backward, self.ctxs[k], k, targets, pend)
                rule = [f"{self.src.bind(bwd, 'b')}()"]
            lines += rule
        self.src.ns["pend"] = pend
        return lines

    # ---- the generated replay: arguments, checks, then the events at their places ----------
    def _generate(self) -> Callable[[tuple[Any, ...]], Any]:
        tape, src = self.tape, self.src
        src.ns.update(v=self.v, PrecheckError=_rules.PrecheckError, out=self.out)
        lines = [f"v[{s}] = args[{i}]._data" if is_tensor else f"v[{s}] = args[{i}]"
                 for s, i, is_tensor in self.arg_slots]
        lines += [f"v[{s}] = {src.bind(t, 't')}._data" for s, t in self.refresh]
        lines += self.prechecks
        k = 0
        for e in tape.events:
            if e[0] == "op":
                lines += self.fw[k]
                if tape.guard_nonfinite and self.bw is not None and k == self.root_op:
                    lines.append(f"{src.bind(finite_check(self.v, self.op_slot[k]), 'f')}()")
                k += 1
            elif e[0] == "backward":
                assert self.bw is not None
                lines += self.bw
                lines += [f"{src.bind(p, 'p')}.grad = {src.bind(self._grad_dest[id(p)][1], 'gt')}"
                          for p in self.leaves_with_grad]  # p.grad: its view of the flat grad
            elif e[0] == "zero_grad":
                params, set_to_none = e[1], e[2]
                lines += [f"{src.bind(p, 'p')}.grad = None" for p in params] if set_to_none \
                    else [f"{src.bind(zero(params, False), 'f')}()"]
            elif e[0] == "step":
                lines += self._step(e[1])
        lines.append("return out()")
        return src.function(lines)

    def _step(self, opt: Any) -> list[str]:
        fgs = self.flat.get(id(opt))
        if fgs is None:
            return [f"{self.src.bind(type(opt).step, 'f')}({self.src.bind(opt, 'o')})"]
        return [f"{self.src.bind(flat_step, 'f')}({self.src.bind(fg, 'fg')})" for fg in fgs]
