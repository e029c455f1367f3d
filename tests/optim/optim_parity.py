"""A small MLP trained in lockstep by chainrule and PyTorch (float64, same weights and batches).

``run_parity`` checks after EVERY step that each parameter matches torch's within
``RTOL`` relative (per tensor: max |ours - torch| <= RTOL * max |torch|).
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

import chainrule as cr
from chainrule.nn import Parameter

RTOL = 1e-8
N_IN, N_HIDDEN, N_OUT, BATCH, N_SAMPLES = 5, 8, 3, 16, 64


def data(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(N_SAMPLES, N_IN))
    y = (X[:, 0] + X[:, 1] ** 2 > 0.5).astype(np.int64) + (X[:, 2] > 1).astype(np.int64)
    return X, y


def init_weights(seed: int = 1) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.normal(scale=0.5, size=(N_HIDDEN, N_IN)), rng.normal(scale=0.1, size=N_HIDDEN),
            rng.normal(scale=0.5, size=(N_OUT, N_HIDDEN)), rng.normal(scale=0.1, size=N_OUT)]


def batch(step: int, inputs: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    i = (step * BATCH) % N_SAMPLES
    return inputs[i:i + BATCH], labels[i:i + BATCH]


def cr_loss(params: list[Any], xb: np.ndarray, yb: np.ndarray) -> cr.Tensor:
    W1, b1, W2, b2 = params
    h = cr.relu(cr.ops.linear(cr.tensor(xb), W1, b1))
    logp = cr.log_softmax(cr.ops.linear(h, W2, b2), dim=1)
    return -logp[np.arange(len(yb)), yb].mean()          # cross-entropy


def torch_loss(params: list[Any], xb: np.ndarray, yb: np.ndarray) -> Any:
    import torch
    W1, b1, W2, b2 = params
    h = torch.relu(torch.nn.functional.linear(torch.tensor(xb), W1, b1))
    logp = torch.log_softmax(torch.nn.functional.linear(h, W2, b2), dim=1)
    return -logp[torch.arange(len(yb)), torch.tensor(yb)].mean()


def make_params(weights: list[np.ndarray]) -> tuple[list[Any], list[Any]]:
    import torch
    ours = [Parameter(w.copy()) for w in weights]
    theirs = [torch.nn.Parameter(torch.tensor(w.copy())) for w in weights]
    return ours, theirs


def rel_err(a: np.ndarray, b: np.ndarray) -> float:
    scale = max(float(np.abs(b).max()), 1e-300)
    return float(np.abs(a - b).max()) / scale


def run_parity(make_opt: Callable[[Any, list[Any]], Any], steps: int = 100, *,
               closure: bool = False, negate: bool = False,
               drop_grad: Callable[[int], int | None] | None = None,
               extra_param: bool = False, full_batch: bool = False) -> tuple[float, Any, Any]:
    """Train both for ``steps``; return (worst relative error, our optimizer, torch's).

    ``make_opt(module, params)`` builds the optimizer from ``chainrule.optim`` or
    ``torch.optim``; ``negate`` trains on -loss (for maximize); ``drop_grad(step)``
    names a parameter whose grad is set to None after backward; ``extra_param``
    adds a parameter that never gets a gradient; ``full_batch`` uses all samples.
    """
    import torch
    X, y = data()
    ours, theirs = make_params(init_weights())
    if extra_param:
        ours.append(Parameter(np.ones(2)))
        theirs.append(torch.nn.Parameter(torch.ones(2, dtype=torch.float64)))
    opt, topt = make_opt(cr.optim, ours), make_opt(torch.optim, theirs)
    sign = -1.0 if negate else 1.0
    worst = 0.0
    for step in range(steps):
        xb, yb = (X, y) if full_batch else batch(step, X, y)
        drop = drop_grad(step) if drop_grad is not None else None

        def c_ours(xb: np.ndarray = xb, yb: np.ndarray = yb, drop: int | None = drop) -> Any:
            opt.zero_grad()
            loss = cr_loss(ours[:4], xb, yb) * sign
            loss.backward()
            if drop is not None:
                ours[drop].grad = None
            return loss

        def c_torch(xb: np.ndarray = xb, yb: np.ndarray = yb, drop: int | None = drop) -> Any:
            topt.zero_grad()
            loss = torch_loss(theirs[:4], xb, yb) * sign
            loss.backward()
            if drop is not None:
                theirs[drop].grad = None
            return loss

        if closure:
            l1, l2 = opt.step(c_ours), topt.step(c_torch)
            assert abs(float(l1) - l2.item()) <= RTOL * max(abs(l2.item()), 1.0)
        else:
            c_ours(), c_torch()
            opt.step(), topt.step()
        for p, q in zip(ours, theirs):
            err = rel_err(p._data, q.detach().numpy())
            assert err <= RTOL, f"step {step}: relative error {err:.2e} > {RTOL}"
            worst = max(worst, err)
    return worst, opt, topt


def train(params: list[Any], opt: Any, steps: range, closure: bool = False) -> None:
    """chainrule only: the same loop as run_parity, for the given step numbers."""
    X, y = data()
    for step in steps:
        xb, yb = batch(step, X, y)

        def c(xb: np.ndarray = xb, yb: np.ndarray = yb) -> cr.Tensor:
            opt.zero_grad()
            loss = cr_loss(params, xb, yb)
            loss.backward()
            return loss

        if closure:
            opt.step(c)
        else:
            c()
            opt.step()


def check_resume(make_opt: Callable[[Any, list[Any]], Any], steps: int = 20, split: int = 10,
                 closure: bool = False) -> None:
    """A state_dict taken mid-run and loaded into a fresh optimizer continues identically."""
    ours = [Parameter(w.copy()) for w in init_weights()]
    opt = make_opt(cr.optim, ours)
    train(ours, opt, range(split), closure)
    saved, snapshot = opt.state_dict(), [p._data.copy() for p in ours]
    train(ours, opt, range(split, steps), closure)
    again = [Parameter(w) for w in snapshot]
    opt2 = make_opt(cr.optim, again)
    opt2.load_state_dict(saved)
    train(again, opt2, range(split, steps), closure)
    for p, q in zip(ours, again):
        np.testing.assert_array_equal(p._data, q._data)


def check_state_dict_like_torch(opt: Any, topt: Any) -> None:
    """Our state_dict has torch's layout: the same state names and values, group keys a subset."""
    ours, theirs = opt.state_dict(), topt.state_dict()
    assert sorted(ours["state"]) == sorted(theirs["state"])
    for i, state in theirs["state"].items():
        assert set(ours["state"][i]) == set(state), (i, set(ours["state"][i]), set(state))
        for name, value in state.items():
            mine = ours["state"][i][name]
            if isinstance(mine, cr.Tensor):
                assert rel_err(mine._data, value.detach().numpy()) <= RTOL
            else:
                assert float(mine) == float(value)
    for g, tg in zip(ours["param_groups"], theirs["param_groups"]):
        assert g["params"] == tg["params"]
        for key, value in g.items():
            assert key in tg, key
            assert value == tg[key], (key, value, tg[key])
