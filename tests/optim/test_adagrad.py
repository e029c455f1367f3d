"""Adagrad against torch.optim.Adagrad step by step (float64)."""
from __future__ import annotations

import pytest
from optim_parity import RTOL, check_resume, check_state_dict_like_torch, run_parity

import chainrule as cr

torch = pytest.importorskip("torch")

CONFIGS = [
    dict(lr=0.1),
    dict(lr=0.1, lr_decay=0.01),
    dict(lr=0.1, weight_decay=0.01),
    dict(lr=0.1, initial_accumulator_value=0.1, eps=1e-6),
    dict(lr=0.1, maximize=True),
]


@pytest.mark.parametrize("kwargs", CONFIGS, ids=str)
def test_adagrad_matches_torch_every_step(kwargs: dict) -> None:
    worst, opt, topt = run_parity(lambda m, p: m.Adagrad(p, **kwargs),
                                  negate=kwargs.get("maximize", False))
    assert worst <= RTOL
    check_state_dict_like_torch(opt, topt)


def test_adagrad_groups_and_missing_grads() -> None:
    worst, _, _ = run_parity(
        lambda m, p: m.Adagrad([{"params": p[:2]}, {"params": p[2:], "lr_decay": 0.1}], lr=0.1),
        drop_grad=lambda step: 0 if step % 5 == 0 else None, extra_param=True)
    assert worst <= RTOL


def test_adagrad_state_exists_from_construction_as_torch() -> None:
    w = cr.nn.Parameter(cr.zeros(2))
    opt = cr.optim.Adagrad([w], initial_accumulator_value=0.5)
    assert opt.state[w]["step"] == 0 and opt.state[w]["sum"].tolist() == [0.5, 0.5]


def test_adagrad_state_dict_round_trip_continues_identically() -> None:
    check_resume(lambda m, p: m.Adagrad(p, lr=0.1, lr_decay=0.01))


@pytest.mark.parametrize("kwargs, match", [
    (dict(lr=-0.1), "Invalid learning rate: -0.1"),
    (dict(lr_decay=-1.0), "Invalid lr_decay value: -1.0"),
    (dict(weight_decay=-1.0), "Invalid weight_decay value: -1.0"),
    (dict(initial_accumulator_value=-1.0), "Invalid initial_accumulator_value value: -1.0"),
    (dict(eps=-1.0), "Invalid epsilon value: -1.0"),
])
def test_adagrad_validation_messages(kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        cr.optim.Adagrad([cr.nn.Parameter(cr.zeros(2))], **kwargs)
