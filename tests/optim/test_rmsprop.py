"""RMSprop against torch.optim.RMSprop step by step (float64)."""
from __future__ import annotations

import pytest
from optim_parity import RTOL, check_resume, check_state_dict_like_torch, run_parity

import chainrule as cr

torch = pytest.importorskip("torch")

CONFIGS = [
    dict(lr=0.01),
    dict(lr=0.01, alpha=0.9, eps=1e-6),
    dict(lr=0.01, centered=True),
    dict(lr=0.01, momentum=0.9),
    dict(lr=0.01, momentum=0.9, centered=True),
    dict(lr=0.01, weight_decay=0.01),
    dict(lr=0.01, momentum=0.5, maximize=True),
]


@pytest.mark.parametrize("kwargs", CONFIGS, ids=str)
def test_rmsprop_matches_torch_every_step(kwargs: dict) -> None:
    worst, opt, topt = run_parity(lambda m, p: m.RMSprop(p, **kwargs),
                                  negate=kwargs.get("maximize", False))
    assert worst <= RTOL
    check_state_dict_like_torch(opt, topt)


def test_rmsprop_groups_and_missing_grads() -> None:
    worst, _, _ = run_parity(
        lambda m, p: m.RMSprop([{"params": p[:2], "centered": True}, {"params": p[2:]}],
                               lr=0.01, momentum=0.9),
        drop_grad=lambda step: 2 if step % 3 == 2 else None, extra_param=True)
    assert worst <= RTOL


def test_rmsprop_state_dict_round_trip_continues_identically() -> None:
    check_resume(lambda m, p: m.RMSprop(p, lr=0.01, momentum=0.9, centered=True))


@pytest.mark.parametrize("kwargs, match", [
    (dict(lr=-0.1), "Invalid learning rate: -0.1"),
    (dict(eps=-1.0), "Invalid epsilon value: -1.0"),
    (dict(momentum=-1.0), "Invalid momentum value: -1.0"),
    (dict(weight_decay=-1.0), "Invalid weight_decay value: -1.0"),
    (dict(alpha=-1.0), "Invalid alpha value: -1.0"),
])
def test_rmsprop_validation_messages(kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        cr.optim.RMSprop([cr.nn.Parameter(cr.zeros(2))], **kwargs)
