"""SGD against torch.optim.SGD step by step (float64), plus its options' checks."""
from __future__ import annotations

import numpy as np
import pytest
from optim_parity import RTOL, check_resume, check_state_dict_like_torch, run_parity

import chainrule as cr

torch = pytest.importorskip("torch")

CONFIGS = [
    dict(lr=0.1),
    dict(lr=0.1, momentum=0.9),
    dict(lr=0.1, momentum=0.9, dampening=0.5),
    dict(lr=0.1, momentum=0.9, nesterov=True),
    dict(lr=0.1, momentum=0.5, weight_decay=0.01),
    dict(lr=0.1, weight_decay=0.01),
    dict(lr=0.1, momentum=0.9, maximize=True),
]


@pytest.mark.parametrize("kwargs", CONFIGS, ids=str)
def test_sgd_matches_torch_every_step(kwargs: dict) -> None:
    worst, opt, topt = run_parity(lambda m, p: m.SGD(p, **kwargs),
                                  negate=kwargs.get("maximize", False))
    assert worst <= RTOL
    check_state_dict_like_torch(opt, topt)


def test_sgd_param_groups_with_their_own_lr_and_momentum() -> None:
    worst, _, _ = run_parity(lambda m, p: m.SGD([{"params": p[:2]},
                                                 {"params": p[2:], "lr": 0.02, "momentum": 0.5}],
                                                lr=0.1, momentum=0.9))
    assert worst <= RTOL


def test_sgd_skips_params_without_grad() -> None:
    # b2 loses its grad every third step; an extra parameter never has one
    worst, opt, _ = run_parity(lambda m, p: m.SGD(p, lr=0.1, momentum=0.9),
                               drop_grad=lambda step: 3 if step % 3 == 0 else None,
                               extra_param=True, steps=30)
    assert worst <= RTOL
    extra = opt.param_groups[0]["params"][4]
    assert extra not in opt.state and np.array_equal(extra._data, np.ones(2))


def test_sgd_state_dict_round_trip_continues_identically() -> None:
    check_resume(lambda m, p: m.SGD(p, lr=0.1, momentum=0.9, nesterov=True))


def test_sgd_first_momentum_step_is_the_gradient() -> None:
    w = cr.nn.Parameter(cr.tensor([1.0]))
    opt = cr.optim.SGD([w], lr=1.0, momentum=0.9, dampening=0.5)
    (w * 3).sum().backward()
    opt.step()
    assert w.item() == pytest.approx(-2.0)  # no dampening on the first buffer
    assert opt.state[w]["momentum_buffer"].item() == pytest.approx(3.0)


@pytest.mark.parametrize("kwargs, match", [
    (dict(lr=-0.1), "Invalid learning rate: -0.1"),
    (dict(momentum=-0.5), "Invalid momentum value: -0.5"),
    (dict(weight_decay=-1.0), "Invalid weight_decay value: -1.0"),
    (dict(nesterov=True), "Nesterov momentum requires a momentum and zero dampening"),
    (dict(nesterov=True, momentum=0.9, dampening=0.1), "Nesterov momentum requires"),
])
def test_sgd_validation_messages(kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        cr.optim.SGD([cr.nn.Parameter(cr.zeros(2))], **kwargs)


def test_sgd_float32_parameters_stay_float32() -> None:
    w = cr.nn.Parameter(cr.ones(3))
    opt = cr.optim.SGD([w], lr=0.1, momentum=0.9, weight_decay=0.1)
    for _ in range(2):
        opt.zero_grad()
        (w * w).sum().backward()
        opt.step()
    assert w.dtype == np.float32 and opt.state[w]["momentum_buffer"].dtype == np.float32
