"""Performance plumbing: a parameter group kept in one flat buffer.

The parameters of a group become views of one contiguous array (and so do their
optimizer state arrays), so an optimizer's foreach function updates the whole
group with a handful of NumPy calls instead of a handful per parameter. The
algorithms do not change: they receive one-element lists.

The views are checked at every step (an identity test per parameter). When
something replaced a parameter's or a state's array (``module.double()``,
``load_state_dict``) the group is flattened again; when the group cannot be
flat (mixed dtypes, a parameter without a gradient, different step counts) the
optimizer falls back to its per-parameter path.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..tensor import Tensor, _make


class FlatGroup:
    """One flat array holding a group's parameters, their gradients and state buffers."""

    def __init__(self, params: list[Tensor]) -> None:
        self.params = list(params)
        dtype = params[0].data.dtype
        self.shapes = [p.data.shape for p in params]
        sizes = [p.data.size for p in params]
        self.bounds = np.cumsum([0, *sizes]).tolist()
        self.flat = np.empty(self.bounds[-1], dtype)
        self.views = self._split(self.flat)
        for p, v in zip(params, self.views):
            v[...] = p.data
            p.data = v
        self.grad = np.empty_like(self.flat)
        self.grad_views = self._split(self.grad)
        self.state: dict[str, tuple[np.ndarray, list[np.ndarray]]] = {}

    @staticmethod
    def possible(params: list[Tensor]) -> bool:
        """Whether a group of parameters can share one flat buffer (one dtype, at least two)."""
        if len(params) < 2:
            return False
        dtype = params[0].data.dtype
        return all(isinstance(p.data, np.ndarray) and p.data.dtype == dtype for p in params)

    def _split(self, flat: np.ndarray) -> list[np.ndarray]:
        b = self.bounds
        return [flat[b[i]:b[i + 1]].reshape(s) for i, s in enumerate(self.shapes)]

    def matches(self, params: list[Tensor]) -> bool:
        """The same parameters, still views of this buffer."""
        mine = self.params
        return len(params) == len(mine) and all(
            p is q and p.data is v for p, q, v in zip(params, mine, self.views))

    def grads(self) -> np.ndarray | None:
        """The gradients as one flat array (gathered unless they already live there)."""
        out = self.grad
        for p, gv in zip(self.params, self.grad_views):
            g = p.grad
            if g is None:
                return None
            if g.data is not gv:
                np.copyto(gv, g.data, casting="unsafe")
        return out

    def state_buffer(self, states: list[dict[str, Any]], name: str,
                     init: Callable[[np.ndarray], None] | None = None) -> np.ndarray | None:
        """A flat array behind ``state[p][name]`` of every parameter (made views of it).

        Entries that exist are copied in; missing ones are filled by ``init(view)``. Returns
        None (nothing changed) when some entries are missing and there is no ``init``.
        """
        entry = self.state.get(name)
        if entry is not None:
            flat, views = entry
            if all(isinstance(t := s.get(name), Tensor) and t.data is v
                   for s, v in zip(states, views)):
                return flat
        if init is None and not all(name in s for s in states):
            return None
        flat = np.empty_like(self.flat)
        views = self._split(flat)
        for s, v in zip(states, views):
            t = s.get(name)
            if t is None:
                init(v)  # type: ignore[misc]
            else:
                v[...] = t.data if isinstance(t, Tensor) else t
            s[name] = _make(v)
        self.state[name] = (flat, views)
        return flat

    def adopt(self, states: list[dict[str, Any]], name: str, flat: np.ndarray) -> None:
        """Make ``state[p][name]`` views of ``flat`` (a state array the algorithm created)."""
        views = self._split(flat)
        for s, v in zip(states, views):
            s[name] = _make(v)
        self.state[name] = (flat, views)


def flat_group(cache: dict[int, FlatGroup], index: int,
               group_params: list[Tensor]) -> FlatGroup | None:
    """The FlatGroup of param group ``index`` (made or rebuilt), or None when it cannot be
    flat or some parameter has no gradient this step."""
    if any(p.grad is None for p in group_params):
        return None
    fg = cache.get(index)
    if fg is not None and fg.matches(group_params):
        return fg
    if not FlatGroup.possible(group_params):
        return None
    fg = cache[index] = FlatGroup(group_params)
    return fg
