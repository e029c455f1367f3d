"""LRScheduler basics: initial_lr, base_lrs, get_last_lr, resuming, lambdas, errors."""
from __future__ import annotations

import pytest

import chainrule as cr
from chainrule.optim import lr_scheduler as S


def _opt(lr: float = 1.0, **kwargs: object) -> cr.optim.SGD:
    return cr.optim.SGD([cr.nn.Parameter(cr.zeros(1))], lr=lr, **kwargs)  # type: ignore[arg-type]


def test_construction_sets_initial_lr_and_base_lrs_and_takes_step_zero() -> None:
    opt = _opt(0.5)
    sched = S.LinearLR(opt, start_factor=0.5, total_iters=2)
    assert opt.param_groups[0]["initial_lr"] == 0.5 and sched.base_lrs == [0.5]
    assert sched.last_epoch == 0 and sched.get_last_lr() == [0.25]
    assert opt.param_groups[0]["lr"] == 0.25


def test_get_last_lr_is_a_copy() -> None:
    sched = S.StepLR(_opt(), step_size=1)
    sched.get_last_lr().append(3.0)
    assert sched.get_last_lr() == [1.0]


def test_resuming_with_last_epoch_needs_initial_lr() -> None:
    with pytest.raises(KeyError, match="expected 'initial_lr' in param_groups\\[0\\]"):
        S.StepLR(_opt(), step_size=2, last_epoch=4)
    opt = _opt()
    opt.param_groups[0]["initial_lr"] = 1.0
    sched = S.StepLR(opt, step_size=2, gamma=0.5, last_epoch=4)
    assert sched.last_epoch == 5


def test_lambdas_are_not_saved_but_callable_objects_state_is() -> None:
    class Warmup:
        def __init__(self) -> None:
            self.scale = 2.0

        def __call__(self, epoch: int) -> float:
            return self.scale * (epoch + 1)

    fn = Warmup()
    opt = cr.optim.SGD([{"params": [cr.nn.Parameter(cr.zeros(1))]},
                        {"params": [cr.nn.Parameter(cr.zeros(1))]}], lr=1.0)
    sched = S.LambdaLR(opt, [lambda e: 1.0, fn])
    fn.scale = 3.0
    saved = sched.state_dict()
    assert saved["lr_lambdas"] == [None, {"scale": 3.0}]
    fn.scale = 5.0
    sched.load_state_dict(saved)
    assert fn.scale == 3.0 and callable(sched.lr_lambdas[0])


def test_sequential_state_holds_the_sub_schedulers() -> None:
    opt = _opt()
    seq = S.SequentialLR(opt, [S.ConstantLR(opt, factor=0.5, total_iters=2),
                               S.ExponentialLR(opt, gamma=0.5)], milestones=[2])
    saved = seq.state_dict()
    assert len(saved["_schedulers"]) == 2 and "optimizer" not in saved
    with pytest.raises(ValueError, match="expected 2 scheduler states, got 1"):
        seq.load_state_dict({**saved, "_schedulers": saved["_schedulers"][:1]})


@pytest.mark.parametrize("build, error, match", [
    (lambda o: S.StepLR("sgd", step_size=1), TypeError, "StepLR: expected an Optimizer, got str"),
    (lambda o: S.StepLR(o, step_size=0), ValueError, "expected a positive integer step_size"),
    (lambda o: S.LambdaLR(o, [lambda e: 1.0] * 2), ValueError, "Expected 1 lr_lambdas, but got 2"),
    (lambda o: S.MultiplicativeLR(o, 0.5), TypeError, "lr_lambda should be a function"),
    (lambda o: S.ConstantLR(o, factor=2.0), ValueError, "expected to be between 0 and 1"),
    (lambda o: S.LinearLR(o, start_factor=0.0), ValueError, "Starting multiplicative factor"),
    (lambda o: S.LinearLR(o, end_factor=1.5), ValueError, "Ending multiplicative factor"),
    (lambda o: S.CosineAnnealingWarmRestarts(o, T_0=0), ValueError,
     "Expected positive integer T_0, but got 0"),
    (lambda o: S.CosineAnnealingWarmRestarts(o, T_0=2, T_mult=0), ValueError,
     "Expected integer T_mult >= 1, but got 0"),
    (lambda o: S.CyclicLR(o, 0.1, 1.0, mode="sine"), ValueError, "mode is invalid"),
    (lambda o: S.CyclicLR(o, [0.1, 0.2], 1.0), ValueError,
     "base_lr must have the same length as optimizer.param_groups"),
    (lambda o: S.CyclicLR(cr.optim.Adagrad([cr.nn.Parameter(cr.zeros(1))]), 0.1, 1.0),
     ValueError, "optimizer must support momentum or beta1"),
    (lambda o: S.OneCycleLR(o, max_lr=1.0), ValueError, "You must define either total_steps"),
    (lambda o: S.OneCycleLR(o, max_lr=1.0, total_steps=10, pct_start=1.5), ValueError,
     "Expected float between 0 and 1 pct_start"),
    (lambda o: S.OneCycleLR(o, max_lr=1.0, total_steps=10, anneal_strategy="cosine"),
     ValueError, "anneal_strategy must be one of 'cos' or 'linear'"),
    (lambda o: S.SequentialLR(o, [S.StepLR(o, 1)], milestones=[3]), ValueError,
     "expects number of schedulers provided to be one more than the number of milestone"),
    (lambda o: S.SequentialLR(o, [S.StepLR(o, 1), S.ReduceLROnPlateau(o)], milestones=[3]),
     ValueError, "does not support `ReduceLROnPlateau`"),
    (lambda o: S.ChainedScheduler([S.StepLR(o, 1), S.StepLR(_opt(), 1)]), ValueError,
     "expects all schedulers to belong to the same optimizer"),
    (lambda o: S.ChainedScheduler([]), ValueError, "expects at least one scheduler"),
])
def test_validation_messages(build: object, error: type, match: str) -> None:
    opt = _opt(momentum=0.9)
    with pytest.raises(error, match=match):
        build(opt)  # type: ignore[operator]


def test_a_failed_cyclic_construction_leaves_the_optimizer_unchanged() -> None:
    opt = _opt(momentum=0.9)
    with pytest.raises(ValueError):
        S.CyclicLR(opt, base_lr=0.1, max_lr=[1.0, 2.0])
    assert opt.param_groups[0]["lr"] == 1.0 and opt.param_groups[0]["momentum"] == 0.9
    assert "initial_lr" not in opt.param_groups[0]


def test_one_cycle_refuses_steps_past_the_end() -> None:
    opt = _opt(momentum=0.9)
    sched = S.OneCycleLR(opt, max_lr=1.0, total_steps=3)
    for _ in range(3):
        sched.step()
    with pytest.raises(ValueError, match="Tried to step 4 times. The specified number of total "
                                         "steps is 3"):
        sched.step()
