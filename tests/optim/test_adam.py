"""Adam and AdamW against torch.optim step by step (float64)."""
from __future__ import annotations

import numpy as np
import pytest
from optim_parity import RTOL, check_resume, check_state_dict_like_torch, run_parity

import chainrule as cr

torch = pytest.importorskip("torch")

CONFIGS = [
    ("Adam", dict(lr=0.01)),
    ("Adam", dict(lr=0.01, amsgrad=True)),
    ("Adam", dict(lr=0.01, weight_decay=0.1)),
    ("Adam", dict(lr=0.01, betas=(0.8, 0.99), eps=1e-6, maximize=True)),
    ("AdamW", dict(lr=0.01)),
    ("AdamW", dict(lr=0.01, weight_decay=0.1, amsgrad=True)),
    ("AdamW", dict(lr=0.01, maximize=True)),
]


@pytest.mark.parametrize("name, kwargs", CONFIGS, ids=str)
def test_adam_matches_torch_every_step(name: str, kwargs: dict) -> None:
    worst, opt, topt = run_parity(lambda m, p: getattr(m, name)(p, **kwargs),
                                  negate=kwargs.get("maximize", False))
    assert worst <= RTOL
    check_state_dict_like_torch(opt, topt)


def test_adam_param_groups_and_missing_grads() -> None:
    worst, opt, topt = run_parity(
        lambda m, p: m.Adam([{"params": p[:2], "lr": 0.02}, {"params": p[2:]}], lr=0.005),
        drop_grad=lambda step: 1 if step % 4 == 1 else None, extra_param=True)
    assert worst <= RTOL
    check_state_dict_like_torch(opt, topt)  # b1 has fewer steps than the others, as in torch


@pytest.mark.parametrize("name", ["Adam", "AdamW"])
def test_adam_state_dict_round_trip_continues_identically(name: str) -> None:
    check_resume(lambda m, p: getattr(m, name)(p, lr=0.01, amsgrad=True))


def test_adam_continues_from_a_torch_state_dict() -> None:
    """A torch state_dict converted to NumPy loads and training stays in parity."""
    from optim_parity import batch, cr_loss, data, init_weights, make_params, rel_err, torch_loss
    X, y = data()
    ours, theirs = make_params(init_weights())
    topt = torch.optim.Adam(theirs, lr=0.01)
    for step in range(5):
        topt.zero_grad()
        torch_loss(theirs, *batch(step, X, y)).backward()
        topt.step()
    for p, q in zip(ours, theirs):
        p._data[...] = q.detach().numpy()
    sd = topt.state_dict()
    converted = {"param_groups": sd["param_groups"],
                 "state": {i: {k: (v.item() if k == "step" else cr.tensor(v.numpy()))
                               for k, v in s.items()} for i, s in sd["state"].items()}}
    opt = cr.optim.Adam(ours, lr=0.5)
    opt.load_state_dict(converted)
    assert opt.param_groups[0]["lr"] == 0.01
    for step in range(5, 15):
        xb, yb = batch(step, X, y)
        opt.zero_grad()
        cr_loss(ours, xb, yb).backward()
        opt.step()
        topt.zero_grad()
        torch_loss(theirs, xb, yb).backward()
        topt.step()
        for p, q in zip(ours, theirs):
            assert rel_err(p._data, q.detach().numpy()) <= RTOL


@pytest.mark.parametrize("kwargs, match", [
    (dict(lr=-1e-3), "Invalid learning rate: -0.001"),
    (dict(eps=-1.0), "Invalid epsilon value: -1.0"),
    (dict(betas=(1.0, 0.999)), "Invalid beta parameter at index 0: 1.0"),
    (dict(betas=(0.9, -0.1)), "Invalid beta parameter at index 1: -0.1"),
    (dict(weight_decay=-0.1), "Invalid weight_decay value: -0.1"),
])
@pytest.mark.parametrize("name", ["Adam", "AdamW"])
def test_adam_validation_messages(name: str, kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        getattr(cr.optim, name)([cr.nn.Parameter(cr.zeros(2))], **kwargs)


def test_adamw_default_weight_decay_is_torchs() -> None:
    opt = cr.optim.AdamW([cr.nn.Parameter(cr.zeros(2))])
    assert opt.defaults["weight_decay"] == 1e-2 and opt.defaults["lr"] == 1e-3


def test_adam_float32_state() -> None:
    w = cr.nn.Parameter(cr.ones(3))
    opt = cr.optim.Adam([w], lr=0.1, amsgrad=True)
    (w * w).sum().backward()
    opt.step()
    assert w.dtype == np.float32
    assert {k: v.dtype for k, v in opt.state[w].items() if k != "step"} == {
        "exp_avg": np.float32, "exp_avg_sq": np.float32, "max_exp_avg_sq": np.float32}
