"""What a plan checks at each call before it replays: the modules' modes and structure, the
optimizers' parameter groups, the parameters' hooks, and that parameters are still views of
the flat buffers.

The check is one comparison of tuples built by C-level ``map``/``attrgetter`` calls (about a
microsecond for a small MLP); only when it fails does the detailed check run, which says
what changed (or repairs flat views after ``p.data = ...``).
"""
from __future__ import annotations

from operator import attrgetter, is_, itemgetter
from typing import Any

from ._patches import _active_hooks
from ._steps import UnsupportedError

_training, _hooked, _data = attrgetter("training"), attrgetter("_hooked"), attrgetter("_data")
_hooks, _requires_grad = attrgetter("_hooks"), attrgetter("requires_grad")
_params = itemgetter("params")


class Guards:
    """The state a plan was built for, and the check that it still holds."""

    def __init__(self, tape: Any, flat_groups: list[Any], leaves: list[Any]) -> None:
        self.modes: list[tuple[Any, bool]] = []
        self.dicts: list[tuple[dict[str, Any], tuple[Any, ...]]] = []
        for m, training in tape.modules.values():
            if training and any(b is not None for b in m._buffers.values()):
                raise UnsupportedError(f"{type(m).__name__} with buffers in training mode (its "
                                       "running statistics are updated outside the ops)")
            self.modes.append((m, training))
            for d in (m._parameters, m._modules, m._buffers):
                self.dicts.append((d, tuple(d.values())))
        self.opts = [(opt, opt.param_groups, list(opt.param_groups),
                      [list(g["params"]) for g in opt.param_groups])
                     for opt in {id(e[1]): e[1] for e in tape.events if e[0] == "step"}
                     .values()]
        self.flat_groups = flat_groups
        self.leaves = leaves
        # the fast check: everything above as tuples compared at once
        self._mods = tuple(m for m, _ in self.modes)
        self._training = tuple(t for _, t in self.modes)
        self._empty = tuple(d for d, v in self.dicts if not v)
        self._views = tuple(d.values() for d, v in self.dicts if v)
        self._values = tuple(v for _, v in self.dicts if v)
        self._leaves = tuple(leaves)
        self._opt_groups = tuple((opt, groups_obj) for opt, groups_obj, _, _ in self.opts)
        self._groups = tuple((groups, params) for _, _, groups, params in self.opts)
        self._flat_params = tuple(p for fg in flat_groups for p in fg.params)
        self._flat_views = tuple(v for fg in flat_groups for v in fg.views)

    def fast(self) -> bool:
        """True when nothing changed (the common case); False: ask :meth:`valid`."""
        try:
            return (tuple(map(_training, self._mods)) == self._training
                    and not any(map(_hooked, self._mods))
                    and not any(self._empty)
                    and tuple(map(tuple, self._views)) == self._values
                    and not any(map(_hooks, self._leaves))
                    and all(map(_requires_grad, self._leaves))
                    and all(opt.param_groups is g for opt, g in self._opt_groups)
                    and all(g == groups and list(map(_params, g)) == params
                            for (_, g), (groups, params) in zip(self._opt_groups, self._groups))
                    and all(map(is_, map(_data, self._flat_params), self._flat_views)))
        except (TypeError, ValueError, RuntimeError):  # Tensor == Tensor of another tensor
            return False

    def valid(self) -> str | None:
        """None if the plan still applies; else what changed."""
        if self.fast():
            return None
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
        except (TypeError, ValueError, RuntimeError):
            return "the model's structure or the optimizer's parameters changed"
        for p in self.leaves:
            if p._hooks or not p.requires_grad:
                return "a parameter got a hook or stopped requiring grad"
        for fg in self.flat_groups:
            if not fg.params_valid():
                fg.sync_params()
        return None
