"""Optimizer: the base class that owns parameter groups and per-parameter state.

An optimizer holds ``param_groups`` (a list of dicts: ``"params"`` plus the
hyperparameters of that group) and ``state`` (a dict from each parameter to its
buffers). A subclass implements ``step()``: for each group it collects the
parameters that have a gradient and hands plain NumPy arrays to one "foreach"
function that updates them in place.
"""
from __future__ import annotations

import functools
from collections import defaultdict
from typing import Any, Callable, Iterable

import numpy as np

from ..autograd.grad_mode import enable_grad
from ..lint import state as _lint
from ..lint._steps import before_step
from ..tensor import Tensor, _make

__all__ = ["Optimizer", "required"]


class _RequiredParameter:
    """Marks a hyperparameter every group must give (as ``torch.optim.optimizer.required``)."""

    def __repr__(self) -> str:
        return "<required parameter>"


required: Any = _RequiredParameter()


class Optimizer:
    """Base class of all optimizers (PyTorch's ``torch.optim.Optimizer``).

    Parameters
    ----------
    params : iterable of Tensors, or of dicts with a ``"params"`` key (parameter groups).
    defaults : dict of hyperparameters used by groups that do not set them.

    Example
    -------
    >>> import chainrule as cr
    >>> w = cr.nn.Parameter(cr.ones(2))
    >>> opt = cr.optim.SGD([w], lr=0.5)
    >>> (w * w).sum().backward(); opt.step(); w
    Parameter containing:
    tensor([0., 0.], requires_grad=True)
    """

    # state entries with the shape of their parameter (checked by load_state_dict)
    _param_shaped_state: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "step" in cls.__dict__:  # the linter looks at each step first (one flag when off)
            cls.step = _linted(cls.__dict__["step"])  # type: ignore[method-assign]

    def __init__(self, params: Iterable[Any], defaults: dict[str, Any]) -> None:
        if isinstance(params, Tensor):
            raise TypeError(f"{type(self).__name__}: expected params as an iterable of Tensors "
                            "or dicts, got a Tensor; wrap it in a list: [param]")
        if isinstance(params, dict):
            params = [params]
        if isinstance(params, (set, frozenset)):
            raise TypeError(f"{type(self).__name__}: expected parameters in an ordered "
                            "collection (list, tuple), got a set; the order of a set changes "
                            "between runs")
        self.defaults = defaults
        self.state: defaultdict[Tensor, dict[str, Any]] = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        groups = list(params)
        if len(groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    # ---- hyperparameters ------------------------------------------------------------
    @staticmethod
    def _check_hyper(group: dict[str, Any]) -> None:
        """Raise ValueError for an invalid hyperparameter (subclasses override)."""

    # ---- groups ---------------------------------------------------------------------
    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters with its own hyperparameters (e.g. when unfreezing layers).

        Missing hyperparameters take the optimizer's defaults. A failed call
        leaves the optimizer unchanged.
        """
        where = f"{type(self).__name__}.add_param_group"
        if not isinstance(param_group, dict):
            raise TypeError(f"{where}: expected a dict, got {type(param_group).__name__}")
        if "params" not in param_group:
            raise ValueError(f"{where}: expected a dict with a 'params' key, got keys "
                             f"{sorted(param_group)}")
        group = dict(param_group)
        params = group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, (set, frozenset)):
            raise TypeError(f"{where}: expected parameters in an ordered collection (list, "
                            "tuple), got a set; the order of a set changes between runs")
        params = list(params)
        for i, p in enumerate(params):
            if not isinstance(p, Tensor):
                raise TypeError(f"{where}: expected Tensors as parameters, got "
                                f"{type(p).__name__} at index {i}")
            if p.grad_fn is not None:
                raise ValueError(f"{where}: can't optimize a non-leaf Tensor (parameter {i} "
                                 f"has grad_fn={p.grad_fn!r}); optimize the leaf it came "
                                 "from, or .detach() it and set requires_grad")
            if p._data.dtype.kind != "f":
                raise TypeError(f"{where}: expected floating point parameters, got dtype "
                                f"{p._data.dtype} at index {i}")
        if len({id(p) for p in params}) != len(params):
            raise ValueError(f"{where}: expected distinct parameters, got a group with the "
                             "same parameter twice")
        group["params"] = params
        for name, default in self.defaults.items():
            if default is required and name not in group:
                raise ValueError("parameter group didn't specify a value of required "
                                 f"optimization parameter {name}")
            group.setdefault(name, default)
        self._check_hyper(group)
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        if any(id(p) in seen for p in params):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(group)

    # ---- the training-step API ------------------------------------------------------
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients: ``.grad = None`` (default) or fill them with zeros."""
        _lint.zero_grads += 1
        _lint.eval_call = None  # an eval-mode forward before this step is not part of it
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    if set_to_none:
                        p.grad = None
                    else:
                        p.grad._data[...] = 0

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update the parameters from their ``.grad``; returns ``closure()``'s loss if given."""
        raise NotImplementedError(f"{type(self).__name__}.step: not implemented")

    @staticmethod
    def _evaluate(closure: Callable[[], Any] | None) -> Any:
        """Run the closure with gradient recording on (it calls backward)."""
        if closure is None:
            return None
        with enable_grad():
            return closure()

    def _params_with_grad(self, group: dict[str, Any]) -> list[Tensor]:
        """The group's parameters that have a gradient (others are skipped, as torch)."""
        return [p for p in group["params"] if p.grad is not None]

    def _step_state(self, p: Tensor, zeros: tuple[str, ...] = (), **scalars: Any
                    ) -> dict[str, Any]:
        """``p``'s state with ``step`` counted; on first use ``step`` 0, the ``scalars``, then
        the ``zeros`` buffers (torch's key order)."""
        s = self.state[p]
        if not s:
            s["step"] = 0
            s.update(scalars)
            for name in zeros:
                s[name] = _make(np.zeros_like(p._data))
        s["step"] += 1
        return s  # type: ignore[no-any-return]

    @staticmethod
    def _bump_versions(params: list[Tensor]) -> None:
        """Count the in-place update, so a stale graph that saved a parameter refuses backward."""
        for p in params:
            if p._version is not None:
                p._version[0] += 1

    # ---- checkpoints ----------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """The optimizer's state in PyTorch's layout, as a snapshot.

        ``{"state": {index: {name: Tensor | number}}, "param_groups": [{..., "params":
        [index, ...]}]}``, indices counting parameters across groups in order. Unlike
        PyTorch the state tensors are copies, so later steps do not change a saved dict.
        """
        index: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            for p in group["params"]:
                index.setdefault(id(p), len(index))
            packed["params"] = [index[id(p)] for p in group["params"]]
            groups.append(packed)
        state = {index[id(p)]: {k: _snapshot(v) for k, v in s.items()}
                 for p, s in self.state.items() if id(p) in index}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Load a dict from :meth:`state_dict` (the parameters themselves are not in it).

        Groups are matched in order and must have the same sizes; state arrays are
        copied and cast to their parameter's dtype. On error nothing changes.
        """
        where = f"{type(self).__name__}.load_state_dict"
        if not isinstance(state_dict, dict) or "state" not in state_dict \
                or "param_groups" not in state_dict:
            raise ValueError(f"{where}: expected a dict with 'state' and 'param_groups', got "
                             f"{type(state_dict).__name__}")
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError("loaded state dict has a different number of parameter groups "
                             f"({len(saved_groups)}, expected {len(self.param_groups)})")
        for saved, group in zip(saved_groups, self.param_groups):
            if len(saved["params"]) != len(group["params"]):
                raise ValueError("loaded state dict contains a parameter group that doesn't "
                                 f"match the size of optimizer's group ({len(saved['params'])} "
                                 f"parameters, expected {len(group['params'])})")
        id_map: dict[int, Tensor] = {}
        for saved, group in zip(saved_groups, self.param_groups):
            for i, p in zip(saved["params"], group["params"]):
                id_map[int(i)] = p
        new_state: defaultdict[Tensor, dict[str, Any]] = defaultdict(dict)
        for key, value in state_dict["state"].items():
            k = int(key)  # str keys after a JSON round trip
            if k not in id_map:
                raise ValueError(f"{where}: expected state keys among the parameter indices "
                                 f"{sorted(id_map)}, got {key!r}")
            p = id_map[k]
            new_state[p] = {name: _restore(v, p, name) for name, v in value.items()}
            for name in self._param_shaped_state:
                v = new_state[p].get(name)
                if isinstance(v, Tensor) and v.shape != p.shape:
                    raise ValueError(f"{where}: expected state {name!r} of parameter {k} with "
                                     f"shape {p.shape}, got shape {v.shape}")
        new_groups = []
        for saved, group in zip(saved_groups, self.param_groups):
            g = {k: v for k, v in saved.items() if k != "params"}
            g = {**{k: v for k, v in group.items() if k not in g}, **g}
            g["params"] = group["params"]
            self._check_hyper(g)
            new_groups.append(g)
        self.state = new_state
        self.param_groups = new_groups

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {group[k]}" for k in sorted(group) if k != "params"]
        return "\n".join(lines) + "\n)"


def update_grad(theta: np.ndarray, g: np.ndarray, weight_decay: float, maximize: bool,
                lr: float = 0.0, decoupled: bool = False) -> np.ndarray:
    """The gradient an update uses, as torch.optim forms it: negated when ``maximize``, plus
    λθ for ``weight_decay`` λ (L2); ``decoupled`` (AdamW) instead shrinks θ in place by
    (1 - lr λ) and leaves g as it is. ``g`` itself is never changed.

    Example
    -------
    >>> update_grad(np.array([2.0]), np.array([1.0]), weight_decay=0.5, maximize=True)
    array([0.])
    """
    if maximize:
        g = -g
    if weight_decay != 0:
        if decoupled:
            theta *= 1 - lr * weight_decay                      # θ = θ (1 - lr λ)
        else:
            g = g + weight_decay * theta                        # g = g + λ θ
    return g


def _linted(step: Callable[..., Any]) -> Callable[..., Any]:
    """``step`` preceded by the linter's checks (chainrule.lint._steps) when it is on."""
    if getattr(step, "_linted", False):
        return step

    @functools.wraps(step)
    def linted_step(self: Optimizer, closure: Callable[[], Any] | None = None) -> Any:
        if _lint.on:
            before_step(self, closure)
        return step(self, closure)

    linted_step._linted = True  # type: ignore[attr-defined]
    return linted_step


def _snapshot(value: Any) -> Any:
    """A copy of a state value: arrays become Tensors; lists, tuples and dicts recurse."""
    if isinstance(value, Tensor):
        return _make(value._data.copy())
    if isinstance(value, np.ndarray):
        return _make(value.copy())
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        return type(value)(_snapshot(v) for v in value)
    if isinstance(value, dict):
        return {k: _snapshot(v) for k, v in value.items()}
    return value


def _restore(value: Any, param: Tensor, name: str | None) -> Any:
    """A loaded state value: a copied Tensor, floating arrays cast to the parameter's dtype."""
    if isinstance(value, (Tensor, np.ndarray)):
        arr = np.array(value._data if isinstance(value, Tensor) else value)
        if arr.dtype.kind == "f" and name != "step":
            arr = arr.astype(param._data.dtype, copy=False)
        return _make(arr)
    if isinstance(value, (list, tuple)):
        return type(value)(_restore(v, param, None) for v in value)
    if isinstance(value, dict):
        return {k: _restore(v, param, k) for k, v in value.items()}
    return value
