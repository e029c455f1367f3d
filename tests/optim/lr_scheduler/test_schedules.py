"""Every scheduler's learning-rate (and momentum) sequence over 100 steps against torch's."""
from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np
import pytest

import chainrule as cr

torch = pytest.importorskip("torch")

STEPS = 100
Builder = Callable[[Any, Any], Any]  # (lr_scheduler module, optimizer) -> scheduler

SCHEDULES: list[tuple[str, str, Builder]] = [
    ("LambdaLR", "SGD", lambda m, o: m.LambdaLR(o, lambda e: 0.95 ** e)),
    ("LambdaLR-per-group", "SGD",
     lambda m, o: m.LambdaLR(o, [lambda e: 1 / (e + 1), lambda e: 0.9 ** e])),
    ("MultiplicativeLR", "SGD", lambda m, o: m.MultiplicativeLR(o, lambda e: 0.97)),
    ("StepLR", "SGD", lambda m, o: m.StepLR(o, step_size=7, gamma=0.5)),
    ("MultiStepLR", "SGD", lambda m, o: m.MultiStepLR(o, [10, 30, 30, 60], gamma=0.5)),
    ("ConstantLR", "SGD", lambda m, o: m.ConstantLR(o)),
    ("ConstantLR-args", "SGD", lambda m, o: m.ConstantLR(o, factor=0.5, total_iters=20)),
    ("LinearLR", "SGD", lambda m, o: m.LinearLR(o)),
    ("LinearLR-args", "SGD",
     lambda m, o: m.LinearLR(o, start_factor=0.1, end_factor=0.9, total_iters=40)),
    ("ExponentialLR", "SGD", lambda m, o: m.ExponentialLR(o, gamma=0.97)),
    ("PolynomialLR", "SGD", lambda m, o: m.PolynomialLR(o, total_iters=50, power=2.0)),
    ("CosineAnnealingLR", "SGD", lambda m, o: m.CosineAnnealingLR(o, T_max=30)),
    ("CosineAnnealingLR-eta_min", "SGD",
     lambda m, o: m.CosineAnnealingLR(o, T_max=45, eta_min=0.001)),
    ("WarmRestarts", "SGD", lambda m, o: m.CosineAnnealingWarmRestarts(o, T_0=10)),
    ("WarmRestarts-T_mult", "SGD",
     lambda m, o: m.CosineAnnealingWarmRestarts(o, T_0=5, T_mult=2, eta_min=1e-3)),
    ("CyclicLR-triangular", "SGD",
     lambda m, o: m.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=10)),
    ("CyclicLR-triangular2", "SGD",
     lambda m, o: m.CyclicLR(o, base_lr=[0.01, 0.02], max_lr=0.1, step_size_up=10,
                             step_size_down=5, mode="triangular2")),
    ("CyclicLR-exp_range", "SGD",
     lambda m, o: m.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=8, mode="exp_range",
                             gamma=0.99, base_momentum=0.7, max_momentum=[0.9, 0.95])),
    ("CyclicLR-scale_fn", "SGD",
     lambda m, o: m.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=6,
                             scale_fn=lambda x: 1 / (1 + 0.01 * x), scale_mode="iterations")),
    ("CyclicLR-Adam-beta1", "Adam",
     lambda m, o: m.CyclicLR(o, base_lr=0.001, max_lr=0.01, step_size_up=12)),
    ("CyclicLR-no-momentum", "Adagrad",
     lambda m, o: m.CyclicLR(o, base_lr=0.001, max_lr=0.01, step_size_up=12,
                             cycle_momentum=False)),
    ("OneCycleLR", "SGD", lambda m, o: m.OneCycleLR(o, max_lr=0.5, total_steps=STEPS)),
    ("OneCycleLR-linear", "SGD",
     lambda m, o: m.OneCycleLR(o, max_lr=[0.5, 0.2], total_steps=STEPS, pct_start=0.25,
                               anneal_strategy="linear")),
    ("OneCycleLR-three_phase", "SGD",
     lambda m, o: m.OneCycleLR(o, max_lr=0.5, epochs=10, steps_per_epoch=10,
                               three_phase=True, div_factor=10.0, final_div_factor=100.0)),
    ("OneCycleLR-Adam", "Adam",
     lambda m, o: m.OneCycleLR(o, max_lr=0.01, total_steps=STEPS, base_momentum=0.8)),
    ("OneCycleLR-no-momentum", "Adagrad",
     lambda m, o: m.OneCycleLR(o, max_lr=0.01, total_steps=STEPS, cycle_momentum=False)),
    ("SequentialLR", "SGD",
     lambda m, o: m.SequentialLR(o, [m.LinearLR(o, start_factor=0.1, total_iters=10),
                                     m.CosineAnnealingLR(o, T_max=90)], milestones=[10])),
    ("SequentialLR-three", "SGD",
     lambda m, o: m.SequentialLR(o, [m.ConstantLR(o, factor=0.5, total_iters=5),
                                     m.ExponentialLR(o, gamma=0.95),
                                     m.StepLR(o, step_size=10, gamma=0.5)],
                                 milestones=[5, 50])),
    ("ChainedScheduler", "SGD",
     lambda m, o: m.ChainedScheduler([m.ConstantLR(o, factor=0.5, total_iters=4),
                                      m.ExponentialLR(o, gamma=0.95)])),
    ("ChainedScheduler-warmup-cosine", "SGD",
     lambda m, o: m.ChainedScheduler([m.LinearLR(o, start_factor=0.2, total_iters=10),
                                      m.CosineAnnealingLR(o, T_max=25, eta_min=1e-4)])),
]


def make_optimizer(module: Any, name: str) -> Any:
    """Two groups with different rates; parameters never get a gradient (steps skip them)."""
    if module is cr.optim:
        a, b = cr.nn.Parameter(cr.zeros(2)), cr.nn.Parameter(cr.zeros(3))
    else:
        a, b = torch.nn.Parameter(torch.zeros(2)), torch.nn.Parameter(torch.zeros(3))
    groups = [{"params": [a]}, {"params": [b], "lr": 0.05}]
    if name == "SGD":
        return module.SGD(groups, lr=0.1, momentum=0.9)
    return getattr(module, name)(groups, lr=0.1)


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-15)


def trace(opt: Any) -> list[float]:
    """Everything a schedule writes: each group's lr, momentum and beta1."""
    out = []
    for g in opt.param_groups:
        out.append(float(g["lr"]))
        if "momentum" in g:
            out.append(float(g["momentum"]))
        if "betas" in g:
            out.append(float(g["betas"][0]))
    return out


def run(module: Any, opt_name: str, build: Builder, steps: int = STEPS) -> list[list[float]]:
    opt = make_optimizer(module, opt_name)
    sched = build(module.lr_scheduler, opt)
    seq = [list(map(float, sched.get_last_lr())) + trace(opt)]
    for _ in range(steps):
        opt.step()
        sched.step()
        seq.append(list(map(float, sched.get_last_lr())) + trace(opt))
    return seq


@pytest.mark.parametrize("name, opt_name, build", SCHEDULES, ids=[s[0] for s in SCHEDULES])
def test_schedule_matches_torch_for_100_steps(name: str, opt_name: str,
                                              build: Builder) -> None:
    ours, theirs = run(cr.optim, opt_name, build), run(torch.optim, opt_name, build)
    assert len(ours[0]) == len(theirs[0])
    for step, (a, b) in enumerate(zip(ours, theirs)):
        assert all(_close(x, y) for x, y in zip(a, b)), f"step {step}: {a} != {b}"
    assert len({tuple(s) for s in ours}) > 1  # the schedule did change something


@pytest.mark.parametrize("name, opt_name, build", SCHEDULES, ids=[s[0] for s in SCHEDULES])
def test_state_dict_round_trip_mid_run_continues_identically(name: str, opt_name: str,
                                                              build: Builder) -> None:
    opt = make_optimizer(cr.optim, opt_name)
    sched = build(cr.optim.lr_scheduler, opt)
    for _ in range(40):
        opt.step()
        sched.step()
    saved_sched, saved_opt = sched.state_dict(), opt.state_dict()
    expected = []
    for _ in range(60):
        opt.step()
        sched.step()
        expected.append(sched.get_last_lr() + trace(opt))
    opt2 = make_optimizer(cr.optim, opt_name)
    sched2 = build(cr.optim.lr_scheduler, opt2)  # schedule first, then load (as torch)
    opt2.load_state_dict(saved_opt)
    sched2.load_state_dict(saved_sched)
    got = []
    for _ in range(60):
        opt2.step()
        sched2.step()
        got.append(sched2.get_last_lr() + trace(opt2))
    assert got == expected


CLOSED_FORM = [
    ("StepLR", lambda m, o: m.StepLR(o, step_size=3, gamma=0.5)),
    ("MultiStepLR", lambda m, o: m.MultiStepLR(o, [2, 5, 5], gamma=0.5)),
    ("ConstantLR", lambda m, o: m.ConstantLR(o, factor=0.5, total_iters=4)),
    ("LinearLR", lambda m, o: m.LinearLR(o, start_factor=0.2, total_iters=6)),
    ("ExponentialLR", lambda m, o: m.ExponentialLR(o, gamma=0.9)),
    ("PolynomialLR", lambda m, o: m.PolynomialLR(o, total_iters=8, power=0.5)),
    ("CosineAnnealingLR", lambda m, o: m.CosineAnnealingLR(o, T_max=7)),
    ("WarmRestarts", lambda m, o: m.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2)),
]


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("name, build", CLOSED_FORM, ids=[c[0] for c in CLOSED_FORM])
def test_step_with_an_epoch_uses_the_closed_form_as_torch(name: str, build: Builder) -> None:
    epochs = [5, 2, 9, 0, 12, 7.5] if name == "WarmRestarts" else [5, 2, 9, 0, 12]
    seqs = []
    for module in (cr.optim, torch.optim):
        opt = make_optimizer(module, "SGD")
        sched = build(module.lr_scheduler, opt)
        seq = []
        for e in epochs:
            opt.step()
            sched.step(e)
            seq.append(list(map(float, sched.get_last_lr())))
        seqs.append(seq)
    np.testing.assert_allclose(seqs[0], seqs[1], rtol=1e-12, atol=1e-15)
