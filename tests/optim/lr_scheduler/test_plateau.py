"""ReduceLROnPlateau on scripted metrics against torch's."""
from __future__ import annotations

import math

import numpy as np
import pytest

import chainrule as cr
from chainrule.optim.lr_scheduler import ReduceLROnPlateau

torch = pytest.importorskip("torch")


def _metric(mode: str) -> list[float]:
    """Improves, stalls (with noise), improves a little, stalls again: 100 values."""
    rng = np.random.default_rng(0)
    down = list(np.linspace(1.0, 0.5, 20))
    flat = list(0.5 + 0.01 * rng.random(30))
    slow = list(np.linspace(0.49, 0.45, 10))
    flat2 = list(0.45 + 1e-6 * rng.random(40))
    values = [float(v) for v in down + flat + slow + flat2]
    return values if mode == "min" else [-v for v in values]


CONFIGS = [
    dict(),
    dict(patience=3, factor=0.5),
    dict(patience=2, factor=0.5, cooldown=3),
    dict(patience=1, factor=0.3, min_lr=[1e-3, 2e-3]),
    dict(patience=2, threshold=0.01, threshold_mode="abs"),
    dict(mode="max", patience=2, factor=0.5),
    dict(mode="max", patience=2, threshold_mode="abs", threshold=1e-3, min_lr=1e-3),
    dict(patience=0, factor=0.5, eps=1e-2),
]


def _run(module: object, kwargs: dict) -> list[list[float]]:
    if module is cr.optim:
        a, b = cr.nn.Parameter(cr.zeros(2)), cr.nn.Parameter(cr.zeros(2))
    else:
        a, b = torch.nn.Parameter(torch.zeros(2)), torch.nn.Parameter(torch.zeros(2))
    opt = module.SGD([{"params": [a]}, {"params": [b], "lr": 0.05}], lr=0.1)  # type: ignore[attr-defined]
    sched = module.lr_scheduler.ReduceLROnPlateau(opt, **kwargs)  # type: ignore[attr-defined]
    seq = []
    for value in _metric(kwargs.get("mode", "min")):
        opt.step()
        sched.step(value)
        seq.append([float(x) for x in sched.get_last_lr()] + [sched.num_bad_epochs,
                                                               sched.cooldown_counter])
    return seq


@pytest.mark.parametrize("kwargs", CONFIGS, ids=str)
def test_plateau_matches_torch_on_a_scripted_metric(kwargs: dict) -> None:
    ours, theirs = _run(cr.optim, kwargs), _run(torch.optim, kwargs)
    for step, (a, b) in enumerate(zip(ours, theirs)):
        assert all(math.isclose(x, y, rel_tol=1e-12) for x, y in zip(a, b)), (step, a, b)
    assert ours[-1][0] < 0.1  # the rate was cut at least once


def test_plateau_accepts_a_tensor_metric_and_round_trips() -> None:
    w = cr.nn.Parameter(cr.zeros(1))
    opt = cr.optim.SGD([w], lr=1.0)
    sched = ReduceLROnPlateau(opt, patience=1, factor=0.5)
    for v in [1.0, 1.0, 1.0]:
        sched.step(cr.tensor(v))
    assert sched.get_last_lr() == [0.5]
    saved = sched.state_dict()
    twin = ReduceLROnPlateau(cr.optim.SGD([w], lr=0.5), patience=7)
    twin.load_state_dict(saved)
    assert twin.patience == 1 and twin.best == 1.0 and twin.num_bad_epochs == 0


@pytest.mark.parametrize("kwargs, match", [
    (dict(factor=1.0), "Factor should be < 1.0."),
    (dict(mode="up"), "mode up is unknown!"),
    (dict(threshold_mode="pct"), "threshold mode pct is unknown!"),
    (dict(min_lr=[0.1, 0.2]), "expected 1 min_lrs, got 2"),
])
def test_plateau_validation_messages(kwargs: dict, match: str) -> None:
    opt = cr.optim.SGD([cr.nn.Parameter(cr.zeros(1))], lr=1.0)
    with pytest.raises(ValueError, match=match):
        ReduceLROnPlateau(opt, **kwargs)
