"""Adadelta against torch.optim.Adadelta step by step (float64)."""
from __future__ import annotations

import pytest
from optim_parity import RTOL, check_resume, check_state_dict_like_torch, run_parity

import chainrule as cr

torch = pytest.importorskip("torch")

CONFIGS = [
    dict(),
    dict(lr=0.5, rho=0.95),
    dict(eps=1e-5),
    dict(weight_decay=0.01),
    dict(maximize=True),
]


@pytest.mark.parametrize("kwargs", CONFIGS, ids=str)
def test_adadelta_matches_torch_every_step(kwargs: dict) -> None:
    worst, opt, topt = run_parity(lambda m, p: m.Adadelta(p, **kwargs),
                                  negate=kwargs.get("maximize", False))
    assert worst <= RTOL
    check_state_dict_like_torch(opt, topt)


def test_adadelta_groups_and_missing_grads() -> None:
    worst, _, _ = run_parity(
        lambda m, p: m.Adadelta([{"params": p[:2], "lr": 0.5}, {"params": p[2:]}]),
        drop_grad=lambda step: 3 if step % 2 else None, extra_param=True)
    assert worst <= RTOL


def test_adadelta_state_dict_round_trip_continues_identically() -> None:
    check_resume(lambda m, p: m.Adadelta(p, weight_decay=0.01))


@pytest.mark.parametrize("kwargs, match", [
    (dict(lr=-0.1), "Invalid learning rate: -0.1"),
    (dict(rho=1.5), "Invalid rho value: 1.5"),
    (dict(eps=-1.0), "Invalid epsilon value: -1.0"),
    (dict(weight_decay=-1.0), "Invalid weight_decay value: -1.0"),
])
def test_adadelta_validation_messages(kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        cr.optim.Adadelta([cr.nn.Parameter(cr.zeros(2))], **kwargs)
