"""Flat buffers for an optimizer's parameter group, and updates over them in a few NumPy calls.

``FlatGroup`` copies a group's parameters into one contiguous array and makes each
Parameter a view of its slice (``p._data``), so ``state_dict``, hooks and the PyTorch API
keep working; gradients get a flat buffer of the same layout, and optimizer state
(``momentum_buffer``, ``exp_avg``, ...) lives in flat buffers whose slices are the Tensors in
``optimizer.state``. The eager ``step()`` then updates the same memory through the views, so
switching between a captured step (``chainrule.compile``) and eager mode continues
identically. The flat updates below do the same elementwise operations, in the same order, as
``sgd._sgd`` and ``adam._adam`` do per parameter, so the results are bitwise identical.
"""
from __future__ import annotations

from operator import is_, itemgetter
from typing import Any

import numpy as np

from ..tensor import Tensor, _make
from .adam import Adam
from .optimizer import update_grad
from .sgd import SGD


_step_of = itemgetter("step")


class FlatGroup:
    """One parameter group laid out in flat buffers (parameters, gradients, state)."""

    def __init__(self, optimizer: Any, group: dict[str, Any]) -> None:
        params: list[Tensor] = list(group["params"])
        self.optimizer, self.group, self.params = optimizer, group, params
        dtype = params[0]._data.dtype
        sizes = [p._data.size for p in params]
        self.offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(int).tolist()
        n = self.offsets[-1]
        self.data = np.empty(n, dtype)
        self.grad = np.zeros(n, dtype)
        self.views = [self._view(self.data, i) for i in range(len(params))]
        self.grad_views = [self._view(self.grad, i) for i in range(len(params))]
        self.grad_tensors = [_make(g) for g in self.grad_views]
        self.state: dict[str, np.ndarray] = {}
        self.state_views: dict[str, list[np.ndarray]] = {}
        self.scratch = np.empty(n, dtype)
        self._adopted: Any = None
        self.sync_params()

    def _view(self, buf: np.ndarray, i: int) -> np.ndarray:
        return buf[self.offsets[i]:self.offsets[i + 1]].reshape(self.params[i]._data.shape)

    @staticmethod
    def supports(optimizer: Any, group: dict[str, Any]) -> bool:
        """Whether this group can be updated flat: SGD, Adam or AdamW, one float dtype."""
        params = group["params"]
        if not params or type(optimizer) not in (SGD, Adam, _adamw()):
            return False
        if type(optimizer) is not SGD and group["amsgrad"]:
            return False
        dtype = params[0]._data.dtype
        return all(p._data.dtype == dtype for p in params)

    def sync_params(self) -> None:
        """Make every parameter a view of the flat buffer again (after ``p.data = ...``)."""
        for p, v in zip(self.params, self.views):
            d = p._data
            if d is not v:
                if d.shape != v.shape:
                    raise RuntimeError(f"FlatGroup: expected parameter shape {v.shape}, got "
                                       f"{d.shape}")
                np.copyto(v, d)
                p._data = v

    def params_valid(self) -> bool:
        return all(p._data is v for p, v in zip(self.params, self.views))

    def state_buffer(self, name: str) -> np.ndarray:
        buf = self.state.get(name)
        if buf is None:
            buf = self.state[name] = np.zeros_like(self.data)
            self.state_views[name] = [self._view(buf, i) for i in range(len(self.params))]
        return buf

    def adopt_state(self, names: tuple[str, ...]) -> bool:
        """Make the optimizer's state Tensors views of the flat state buffers.

        Returns False when no parameter has state yet (the first step); raises
        LookupError when only some have (mixed state: the eager step must run).
        """
        state = self.optimizer.state
        adopted = self._adopted
        if adopted is not None and adopted[0] is state and \
                all(map(is_, map(state.get, self.params), adopted[1])) and \
                all(map(is_, map(dict.get, adopted[2], adopted[3]), adopted[4])):
            return True  # the same state dicts and view tensors as after the last adoption
        have = [p in state and all(k in state[p] for k in names) for p in self.params]
        if not any(have):
            return False
        if not all(have):
            raise LookupError("some parameters have optimizer state, others not")
        for name in names:
            self.state_buffer(name)
            views = self.state_views[name]
            for p, v in zip(self.params, views):
                t = state[p][name]
                if not (isinstance(t, Tensor) and t._data is v):
                    np.copyto(v, t._data if isinstance(t, Tensor) else t)
                    state[p][name] = _make(v)
        pairs = [(state[p], n) for p in self.params for n in names]
        self._adopted = (state, [state[p] for p in self.params], [sd for sd, _ in pairs],
                         [n for _, n in pairs], [sd[n] for sd, n in pairs])
        return True

    def install_grads(self) -> None:
        """``p.grad`` of every parameter becomes its view of the flat gradient."""
        for p, g in zip(self.params, self.grad_tensors):
            p.grad = g

    def bump_versions(self) -> None:
        for p in self.params:
            if p._version is not None:
                p._version[0] += 1


def _adamw() -> type:
    from .adam import AdamW
    return AdamW


def sgd_step(fg: FlatGroup) -> None:
    """``SGD.step`` for one flat group (its parameters' grads are the flat gradient)."""
    group = fg.group
    lr, momentum, dampening = group["lr"], group["momentum"], group["dampening"]
    weight_decay, nesterov = group["weight_decay"], group["nesterov"]
    theta, g, scratch = fg.data, fg.grad, fg.scratch
    g = update_grad(theta, g, weight_decay, group["maximize"])  # -g, + λ θ
    if momentum != 0:
        first = not fg.adopt_state(("momentum_buffer",))
        b = fg.state_buffer("momentum_buffer")
        if first:
            np.copyto(b, g)                                   # b_1 = g
            state = fg.optimizer.state
            for p, v in zip(fg.params, fg.state_views["momentum_buffer"]):
                state[p]["momentum_buffer"] = _make(v)
        else:
            b *= momentum                                     # b = μ b + (1 - τ) g
            b += g if dampening == 0 else (1 - dampening) * g
        g = g + momentum * b if nesterov else b
    np.multiply(g, lr, out=scratch)
    theta -= scratch                                          # θ = θ - lr g
    fg.bump_versions()


def adam_step(fg: FlatGroup) -> None:
    """``Adam.step`` / ``AdamW.step`` for one flat group."""
    group, opt = fg.group, fg.optimizer
    names = ("exp_avg", "exp_avg_sq")
    state = opt.state
    if not fg.adopt_state(names):
        ms, vs = _views(fg, "exp_avg"), _views(fg, "exp_avg_sq")
        fg.state["exp_avg"].fill(0)
        fg.state["exp_avg_sq"].fill(0)
        for p, m, v in zip(fg.params, ms, vs):
            state[p]["step"] = 0
            state[p]["exp_avg"], state[p]["exp_avg_sq"] = _make(m), _make(v)
    sds = [state[p] for p in fg.params]
    steps = set(map(_step_of, sds))
    if len(steps) != 1:
        raise LookupError("parameters of one group at different Adam steps")
    t = steps.pop() + 1
    for s in sds:
        s["step"] = t
    lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
    weight_decay = group["weight_decay"]
    theta, g, scratch = fg.data, fg.grad, fg.scratch
    m, v = fg.state["exp_avg"], fg.state["exp_avg_sq"]
    g = update_grad(theta, g, weight_decay, group["maximize"], lr, opt._decoupled)
    np.multiply(g, 1 - beta1, out=scratch)
    m *= beta1                                                # m = β1 m + (1 - β1) g
    m += scratch
    np.multiply(g, g, out=scratch)
    scratch *= 1 - beta2
    v *= beta2                                                # v = β2 v + (1 - β2) g²
    v += scratch
    c = (1 - beta2 ** t) ** 0.5
    step_size = lr * c / (1 - beta1 ** t)
    denom = np.sqrt(v, out=scratch)
    denom += eps * c
    np.divide(m, denom, out=scratch)
    scratch *= step_size
    theta -= scratch                                          # θ = θ - step m / denom
    fg.bump_versions()


def _views(fg: FlatGroup, name: str) -> list[np.ndarray]:
    fg.state_buffer(name)
    return fg.state_views[name]


def flat_step(fg: FlatGroup) -> None:
    """The optimizer's update for one flat group."""
    if isinstance(fg.optimizer, SGD):
        sgd_step(fg)
    else:
        adam_step(fg)
