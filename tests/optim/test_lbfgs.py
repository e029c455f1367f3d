"""LBFGS against torch.optim.LBFGS step by step (float64), with and without strong Wolfe.

On this ReLU MLP, L-BFGS with several iterations per step is chaotic: torch
against itself with weights perturbed by 1e-15 drifts apart to O(1) within ~40
steps. So the 100-step minibatch runs use 2 iterations per step (history still
builds up across steps); the default max_iter=20 runs on the full batch.
"""
from __future__ import annotations

import numpy as np
import pytest
from optim_parity import RTOL, check_resume, run_parity

import chainrule as cr

torch = pytest.importorskip("torch")

CONFIGS = [
    dict(lr=0.1, max_iter=2),
    dict(lr=1, max_iter=2, line_search_fn="strong_wolfe"),
    dict(lr=1, max_iter=2, history_size=3, line_search_fn="strong_wolfe"),
]


@pytest.mark.parametrize("kwargs", CONFIGS, ids=str)
def test_lbfgs_matches_torch_every_step(kwargs: dict) -> None:
    worst, opt, topt = run_parity(lambda m, p: m.LBFGS(p, **kwargs), closure=True)
    assert worst <= RTOL
    p0, t0 = opt.param_groups[0]["params"][0], topt.param_groups[0]["params"][0]
    assert opt.state[p0]["func_evals"] == topt.state[t0]["func_evals"]
    assert opt.state[p0]["n_iter"] == topt.state[t0]["n_iter"]


@pytest.mark.parametrize("kwargs, steps", [(dict(), 30),
                                           (dict(max_iter=1, line_search_fn="strong_wolfe"),
                                            100)], ids=str)
def test_lbfgs_full_batch_matches_torch(kwargs: dict, steps: int) -> None:
    worst, _, _ = run_parity(lambda m, p: m.LBFGS(p, **kwargs), closure=True,
                             full_batch=True, steps=steps)
    assert worst <= RTOL


def test_lbfgs_state_dict_has_torchs_names() -> None:
    _, opt, topt = run_parity(lambda m, p: m.LBFGS(p, max_iter=2, history_size=3,
                                                   line_search_fn="strong_wolfe"),
                              closure=True, steps=5)
    ours, theirs = opt.state_dict(), topt.state_dict()
    assert set(ours["state"][0]) == set(theirs["state"][0]) - {"al"}
    np.testing.assert_allclose(ours["state"][0]["d"]._data, theirs["state"][0]["d"].numpy(),
                               rtol=1e-10)
    assert len(ours["state"][0]["old_dirs"]) == len(theirs["state"][0]["old_dirs"]) == 3


@pytest.mark.parametrize("kwargs", [dict(lr=0.1, max_iter=3),
                                    dict(max_iter=3, line_search_fn="strong_wolfe")], ids=str)
def test_lbfgs_state_dict_round_trip_continues_identically(kwargs: dict) -> None:
    check_resume(lambda m, p: m.LBFGS(p, **kwargs), closure=True, steps=8, split=4)


def test_lbfgs_minimises_a_quadratic_exactly() -> None:
    A = np.array([[3.0, 1.0], [1.0, 2.0]])
    w = cr.nn.Parameter(np.zeros(2))
    opt = cr.optim.LBFGS([w], line_search_fn="strong_wolfe", tolerance_grad=1e-12,
                          tolerance_change=1e-14)

    def closure() -> cr.Tensor:
        opt.zero_grad()
        loss = 0.5 * (w @ cr.tensor(A) @ w) - (w * cr.tensor([1.0, 1.0])).sum()
        loss.backward()
        return loss

    opt.step(closure)
    np.testing.assert_allclose(w._data, np.linalg.solve(A, [1.0, 1.0]), rtol=1e-8)


def test_lbfgs_needs_a_closure_and_one_group() -> None:
    w = cr.nn.Parameter(cr.zeros(2))
    opt = cr.optim.LBFGS([w])
    with pytest.raises(TypeError, match="LBFGS.step: expected a closure"):
        opt.step()
    with pytest.raises(ValueError, match="doesn't support per-parameter options"):
        cr.optim.LBFGS([{"params": [w]}, {"params": [cr.nn.Parameter(cr.zeros(1))]}])
    with pytest.raises(ValueError, match="doesn't support per-parameter options"):
        opt.add_param_group({"params": [cr.nn.Parameter(cr.zeros(1))]})
    assert len(opt.param_groups) == 1


@pytest.mark.parametrize("kwargs, match", [
    (dict(lr=-1.0), "Invalid learning rate: -1.0"),
    (dict(line_search_fn="armijo"), "expected line_search_fn None or 'strong_wolfe'"),
    (dict(history_size=0), "expected a positive integer history_size, got 0"),
])
def test_lbfgs_validation_messages(kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        cr.optim.LBFGS([cr.nn.Parameter(cr.zeros(2))], **kwargs)


def test_lbfgs_stops_at_a_stationary_point() -> None:
    w = cr.nn.Parameter(np.array([1.0]))
    opt = cr.optim.LBFGS([w])
    calls = []

    def closure() -> cr.Tensor:
        calls.append(1)
        opt.zero_grad()
        loss = (w * 0.0).sum()
        loss.backward()
        return loss

    opt.step(closure)
    assert len(calls) == 1 and w.item() == 1.0
