"""ASGD, Adamax, NAdam, RAdam and Rprop against torch.optim step by step: float64 within 1e-8
relative (optim_parity), float32 within float32 noise, with lr schedulers, groups, missing
grads, state_dict round trips and PyTorch's validation messages."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from optim_parity import RTOL, check_resume, check_state_dict_like_torch, run_parity

import chainrule as cr

torch = pytest.importorskip("torch")


@pytest.fixture(autouse=True)
def _torch_float64_scalars() -> Iterator[None]:
    """torch keeps scalar state (step, NAdam's mu_product, ASGD's eta and mu) in the default
    dtype: float64 here, so the float64 runs compare the algorithm, not float32 rounding."""
    old = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(old)


CONFIGS: list[tuple[str, dict[str, Any]]] = [
    ("ASGD", dict(lr=0.05)),
    ("ASGD", dict(lr=0.05, lambd=0.01, alpha=0.5, t0=10, weight_decay=0.01)),
    ("ASGD", dict(lr=0.05, t0=5, maximize=True)),
    ("Adamax", dict()),
    ("Adamax", dict(lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.01)),
    ("Adamax", dict(lr=0.01, maximize=True)),
    ("NAdam", dict()),
    ("NAdam", dict(lr=0.01, momentum_decay=0.01, weight_decay=0.01)),
    ("NAdam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True)),
    ("NAdam", dict(lr=0.01, betas=(0.5, 0.9), maximize=True)),
    ("RAdam", dict()),
    ("RAdam", dict(lr=0.01, betas=(0.9, 0.9), weight_decay=0.01)),   # rectified after step 5
    ("RAdam", dict(lr=0.01, betas=(0.8, 0.95), weight_decay=0.1, decoupled_weight_decay=True)),
    ("RAdam", dict(lr=0.01, betas=(0.9, 0.9), maximize=True)),
    ("Rprop", dict()),
    ("Rprop", dict(lr=0.001, etas=(0.3, 1.5), step_sizes=(1e-4, 0.05))),
    ("Rprop", dict(lr=0.01, maximize=True)),
]
NAMES = ["ASGD", "Adamax", "NAdam", "RAdam", "Rprop"]


@pytest.mark.parametrize("name, kwargs", CONFIGS, ids=str)
def test_matches_torch_every_step_float64(name: str, kwargs: dict) -> None:
    full = name == "Rprop"  # Rprop is a full-batch method (both would follow any data)
    worst, opt, topt = run_parity(lambda m, p: getattr(m, name)(p, **kwargs), steps=60,
                                  negate=kwargs.get("maximize", False), full_batch=full)
    assert worst <= RTOL
    check_state_dict_like_torch(opt, topt)


def _float32_run(module: Any, name: str, kwargs: dict, steps: int, sched: str | None,
                 torch_mode: bool) -> list[np.ndarray]:
    """A float32 tanh regression trained by ``module.optim`` (chainrule or torch)."""
    rng = np.random.default_rng(3)
    X = rng.normal(size=(32, 4)).astype(np.float32)
    y = np.sin(X @ np.array([1.0, -2.0, 0.5, 1.5], np.float32))
    W0 = (0.5 * rng.normal(size=(6, 4))).astype(np.float32)
    w0 = (0.5 * rng.normal(size=6)).astype(np.float32)
    t = torch.tensor if torch_mode else cr.tensor
    W, w = module.nn.Parameter(t(W0.copy())), module.nn.Parameter(t(w0.copy()))
    opt = getattr(module.optim, name)([{"params": [W]}, {"params": [w], "lr": 0.005}]
                                      if "lr" not in kwargs else [W, w], **kwargs)
    scheduler = None
    if sched == "step":
        scheduler = module.optim.lr_scheduler.StepLR(opt, step_size=7, gamma=0.5)
    elif sched == "cosine":
        scheduler = module.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=20)
    xs, ys = t(X), t(y)
    for _ in range(steps):
        opt.zero_grad()
        loss = ((module.tanh(xs @ W.T) @ w - ys) ** 2).mean()
        loss.backward()
        opt.step()
        if scheduler is not None:
            scheduler.step()
    if scheduler is not None:
        assert [float(v) for v in scheduler.get_last_lr()] == \
            [float(g["lr"]) for g in opt.param_groups]
    return [p.detach().numpy().copy() for p in (W, w)] + \
        [np.array([g["lr"] for g in opt.param_groups])]


@pytest.mark.parametrize("sched", [None, "step", "cosine"])
@pytest.mark.parametrize("name, kwargs", [
    ("ASGD", dict(lambd=0.01, t0=8)), ("Adamax", dict()), ("NAdam", dict(weight_decay=0.01)),
    ("RAdam", dict(betas=(0.9, 0.9))), ("Rprop", dict(lr=0.01)),
], ids=str)
def test_float32_with_schedulers_matches_torch(name: str, kwargs: dict, sched: str | None) -> None:
    torch.set_default_dtype(torch.float32)   # torch's own defaults: float32 scalar state
    steps = 40
    ours = _float32_run(cr, name, kwargs, steps, sched, torch_mode=False)
    theirs = _float32_run(torch, name, kwargs, steps, sched, torch_mode=True)
    for a, b in zip(ours, theirs):
        assert a.dtype == b.dtype or a.ndim == 1 and len(a) <= 2
        np.testing.assert_allclose(a, b, rtol=2e-5, atol=2e-6)


@pytest.mark.filterwarnings("ignore::chainrule.LintWarning")  # the parameter without grads
@pytest.mark.parametrize("name", NAMES)
def test_groups_and_missing_grads(name: str) -> None:
    kwargs: dict = {"Rprop": {}, "ASGD": {"t0": 3}}.get(name, {"lr": 0.01})
    worst, _, _ = run_parity(
        lambda m, p: getattr(m, name)([{"params": p[:2]}, {"params": p[2:], "lr": 0.003}],
                                      **kwargs),
        steps=40, drop_grad=lambda step: 2 if step % 3 == 2 else None, extra_param=True,
        full_batch=name == "Rprop")
    assert worst <= RTOL


@pytest.mark.parametrize("name, kwargs", [
    ("ASGD", dict(lr=0.05, t0=5, lambd=0.01)), ("Adamax", dict(lr=0.01)),
    ("NAdam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True)),
    ("RAdam", dict(lr=0.01, betas=(0.9, 0.9))), ("Rprop", dict(lr=0.01)),
], ids=str)
def test_state_dict_round_trip_continues_identically(name: str, kwargs: dict) -> None:
    check_resume(lambda m, p: getattr(m, name)(p, **kwargs), steps=30, split=12)


@pytest.mark.parametrize("name", NAMES)
def test_defaults_are_torchs(name: str) -> None:
    import inspect
    ours = inspect.signature(getattr(cr.optim, name)).parameters
    theirs = inspect.signature(getattr(torch.optim, name)).parameters
    for arg in ("lr", "betas", "eps", "weight_decay", "lambd", "alpha", "t0", "etas",
                "step_sizes", "momentum_decay", "decoupled_weight_decay", "maximize"):
        if arg in theirs:
            assert ours[arg].default == theirs[arg].default, arg
        else:
            assert arg not in ours, arg
    opt = getattr(cr.optim, name)([cr.nn.Parameter(cr.zeros(2))])
    topt = getattr(torch.optim, name)([torch.nn.Parameter(torch.zeros(2))])
    for key, value in opt.defaults.items():
        assert topt.defaults[key] == value, key


@pytest.mark.parametrize("name", NAMES)
def test_torch_flags_accepted(name: str) -> None:
    base = None
    for flags in ({}, {"foreach": True}, {"capturable": False}, {"differentiable": False}):
        w = cr.nn.Parameter(cr.tensor([1.0, -2.0, 0.5]))
        opt = getattr(cr.optim, name)([w], lr=0.1, **flags)
        for _ in range(3):
            opt.zero_grad()
            ((w * w).sum() + w.sum()).backward()
            opt.step()
        base = base if base is not None else w.tolist()
        assert w.tolist() == base
    with pytest.raises(ValueError, match="differentiable=False"):
        getattr(cr.optim, name)([cr.nn.Parameter(cr.ones(1))], differentiable=True)
    with pytest.raises(TypeError, match="unexpected keyword argument 'nesterov'"):
        getattr(cr.optim, name)([cr.nn.Parameter(cr.ones(1))], nesterov=True)


@pytest.mark.parametrize("name, kwargs, match", [
    ("ASGD", dict(lr=-0.1), "Invalid learning rate: -0.1"),
    ("ASGD", dict(weight_decay=-1.0), "Invalid weight_decay value: -1.0"),
    ("Adamax", dict(eps=-1.0), "Invalid epsilon value: -1.0"),
    ("Adamax", dict(betas=(1.0, 0.9)), "Invalid beta parameter at index 0: 1.0"),
    ("NAdam", dict(betas=(0.9, -0.1)), "Invalid beta parameter at index 1: -0.1"),
    ("NAdam", dict(momentum_decay=-1.0), "Invalid momentum_decay value: -1.0"),
    ("RAdam", dict(weight_decay=-1.0), "Invalid weight_decay value: -1.0"),
    ("RAdam", dict(lr=-1.0), "Invalid learning rate: -1.0"),
    ("Rprop", dict(etas=(1.5, 1.2)), "Invalid eta values: 1.5, 1.2"),
    ("Rprop", dict(lr=-0.5), "Invalid learning rate: -0.5"),
], ids=str)
def test_validation_messages_are_torchs(name: str, kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        getattr(cr.optim, name)([cr.nn.Parameter(cr.zeros(2))], **kwargs)
    with pytest.raises(ValueError, match=match):
        getattr(torch.optim, name)([torch.nn.Parameter(torch.zeros(2))], **kwargs)


def test_validation_of_types_and_groups() -> None:
    w = cr.nn.Parameter(cr.zeros(2))
    with pytest.raises(TypeError, match="Invalid etas: expected a pair"):
        cr.optim.Rprop([w], etas=0.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Invalid learning rate: expected a real number"):
        cr.optim.NAdam([w], lr="0.1")  # type: ignore[arg-type]
    opt = cr.optim.RAdam([w])
    with pytest.raises(ValueError, match="Invalid beta parameter at index 0: 2"):
        opt.add_param_group({"params": [cr.nn.Parameter(cr.zeros(1))], "betas": (2, 0.9)})
    assert len(opt.param_groups) == 1
    with pytest.raises(TypeError, match="unexpected keyword argument 'weight_decay'"):
        cr.optim.Rprop([w], weight_decay=0.1)        # as torch: Rprop has no weight decay
    asgd = cr.optim.ASGD([w], 0.01, 1e-4, 0.75, 1e6, 0, None, True)   # torch's positions
    assert asgd.defaults["maximize"] is True


def test_asgd_average_is_torchs() -> None:
    """The averaged weights (state 'ax') follow torch's once averaging starts (t > t0)."""
    _, opt, topt = run_parity(lambda m, p: m.ASGD(p, lr=0.05, t0=10, lambd=1e-3), steps=30)
    for p, q in zip(opt.param_groups[0]["params"], topt.param_groups[0]["params"]):
        ax, tax = opt.state[p]["ax"].numpy(), topt.state[q]["ax"].numpy()
        np.testing.assert_allclose(ax, tax, rtol=1e-10, atol=1e-12)
        assert not np.allclose(ax, p.detach().numpy())     # an average, not the last iterate


def _six_steps(name: str, compiled: bool) -> list[np.ndarray]:
    x = cr.tensor(np.random.default_rng(0).standard_normal((8, 3)).astype(np.float32))
    y = cr.zeros(8, 1)
    cr.manual_seed(0)
    model = cr.nn.Sequential(cr.nn.Linear(3, 4), cr.nn.Tanh(), cr.nn.Linear(4, 1))
    opt = getattr(cr.optim, name)(model.parameters(), lr=0.01)

    def step(x: cr.Tensor, y: cr.Tensor) -> cr.Tensor:
        opt.zero_grad()
        loss = cr.nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        return loss

    if compiled:
        fn = cr.compile(step)
        for _ in range(6):
            fn(x, y)
        assert fn.captured, fn.fallback_reason
    else:
        for _ in range(6):
            step(x, y)
    return [p.detach().numpy().copy() for p in model.parameters()]


@pytest.mark.parametrize("name", NAMES)
def test_compiled_step_equals_eager(name: str) -> None:
    """chainrule.compile replays a step with these optimizers (their update runs eagerly on
    the flat gradients: no flat fast path) bitwise like eager mode."""
    for a, b in zip(_six_steps(name, False), _six_steps(name, True)):
        np.testing.assert_array_equal(a, b)
