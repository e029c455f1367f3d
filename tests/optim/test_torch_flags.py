"""PyTorch's implementation switches (foreach, fused, capturable, differentiable) are accepted
by every optimizer that takes them in torch, and change nothing."""
from __future__ import annotations

import inspect

import numpy as np
import pytest

import chainrule as cr

torch = pytest.importorskip("torch")

FLAGS = ("foreach", "fused", "capturable", "differentiable", "decoupled_weight_decay")
NAMES = ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta"]


def _run(opt_cls: type, **kwargs: object) -> list[float]:
    w = cr.nn.Parameter(cr.tensor([1.0, -2.0, 0.5]))
    opt = opt_cls([w], lr=0.1, weight_decay=0.1, **kwargs)
    for _ in range(3):
        opt.zero_grad()
        ((w * w).sum() + w.sum()).backward()
        opt.step()
    return w.tolist()  # type: ignore[no-any-return]


@pytest.mark.parametrize("name", NAMES)
def test_flags_torch_accepts_are_accepted_and_change_nothing(name: str) -> None:
    params = inspect.signature(getattr(torch.optim, name)).parameters
    accepted = [f for f in FLAGS if f in params and f != "decoupled_weight_decay"]
    assert accepted, name
    cls = getattr(cr.optim, name)
    base = _run(cls)
    for flag in accepted:
        value = False if flag in ("differentiable", "capturable") else True
        assert _run(cls, **{flag: value}) == base, flag
        assert _run(cls, **{flag: None if flag in ("foreach", "fused") else False}) == base
    with pytest.raises(TypeError, match="unexpected keyword argument 'nesterov_typo'"):
        cls([cr.nn.Parameter(cr.ones(1))], lr=0.1, nesterov_typo=True)
    if "differentiable" in accepted:
        with pytest.raises(ValueError, match="differentiable=False"):
            cls([cr.nn.Parameter(cr.ones(1))], lr=0.1, differentiable=True)


def test_adam_decoupled_weight_decay_is_adamw() -> None:
    a = _run(cr.optim.Adam, decoupled_weight_decay=True)
    b = _run(cr.optim.AdamW)
    assert a == b and a != _run(cr.optim.Adam)
    np.testing.assert_allclose(a, b)
