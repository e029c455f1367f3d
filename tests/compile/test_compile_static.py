"""fit's steps on library modules are planned from one recording (``static``): each trusted
class must pass the usual two-recording check, and numbers must equal the two-recording path."""
from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
from chainrule import nn
from chainrule._compile import CompiledStep, _emit
from chainrule._compile._fit import fit_step, static, static_kinds

LOSSES = {nn.CrossEntropyLoss: "class", nn.NLLLoss: "logclass", nn.MSELoss: "real",
          nn.L1Loss: "real", nn.HuberLoss: "real", nn.SmoothL1Loss: "real",
          nn.BCELoss: "prob", nn.BCEWithLogitsLoss: "bin"}


def _model(kind: type) -> nn.Module:
    if kind is nn.MLP:
        return nn.MLP(4, [5], 3)
    if kind is nn.Linear:
        return nn.Linear(4, 3)
    if kind is nn.Sequential:
        return nn.Sequential(nn.Linear(4, 3))
    if kind in (nn.Softmax, nn.LogSoftmax):
        return nn.Sequential(nn.Linear(4, 3), kind(dim=1))
    return nn.Sequential(nn.Linear(4, 3), kind())


def _batch(rng: np.random.Generator, what: str) -> tuple[cr.Tensor, cr.Tensor]:
    x = cr.tensor(rng.normal(size=(6, 4)).astype(np.float32))
    if what in ("class", "logclass"):
        return x, cr.tensor(rng.integers(0, 3, 6))
    if what == "bin":
        return x, cr.tensor(rng.integers(0, 2, (6, 3)).astype(np.float32))
    if what == "prob":
        return x, cr.tensor(rng.random((6, 3)).astype(np.float32))
    return x, cr.tensor(rng.normal(size=(6, 3)).astype(np.float32))


def _pair(kind: type) -> tuple[nn.Module, nn.Module]:
    if kind in LOSSES:
        head = nn.LogSoftmax(dim=1) if LOSSES[kind] == "logclass" else \
            nn.Sigmoid() if LOSSES[kind] == "prob" else nn.Identity()
        return nn.Sequential(nn.Linear(4, 3), head), kind()
    return _model(kind), nn.MSELoss()


def _run(kind: type, what: str, is_static: bool) -> tuple[list[float], list[np.ndarray]]:
    cr.manual_seed(0)
    model, loss_fn = _pair(kind)
    assert static(model, loss_fn)
    opt = cr.optim.Adam(model.parameters(), lr=1e-2)

    def step(x: cr.Tensor, y: cr.Tensor) -> cr.Tensor:
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss

    compiled = CompiledStep(step, static=is_static)
    rng = np.random.default_rng(1)
    losses = [compiled(*_batch(rng, what)).item() for _ in range(5)]
    assert compiled.captured, compiled.fallback_reason
    assert compiled.recaptures == 1
    return losses, [p.detach().numpy().copy() for p in model.parameters()]


@pytest.mark.parametrize("kind", sorted(static_kinds(), key=lambda k: k.__name__),
                         ids=lambda k: k.__name__)
def test_trusted_class_passes_the_two_recording_check(kind: type) -> None:
    """Were a trusted class to run other ops on other data, the usual check (two recordings
    compared) would send the step eager; it must capture instead, and match the static path."""
    what = LOSSES.get(kind, "real")
    results = [_run(kind, what, is_static) for is_static in (False, True)]
    (l0, p0), (l1, p1) = results
    assert l0 == l1
    assert all(np.array_equal(a, b) for a, b in zip(p0, p1))


def test_static_is_only_for_library_classes() -> None:
    class Mine(nn.Linear):
        def forward(self, x: cr.Tensor) -> cr.Tensor:  # a user's forward may branch on values
            return super().forward(x) if x.sum().item() > 0 else -super().forward(x)

    assert static(nn.MLP(2, [3], 1), nn.MSELoss())
    assert not static(nn.Sequential(Mine(2, 1)), nn.MSELoss())
    assert not static(nn.MLP(2, [3], 1, dropout=0.5))  # Dropout draws at each call
    assert not static(nn.MLP(2, [3], 1), lambda a, b: (a - b).abs().mean())
    opt = cr.optim.SGD(nn.MLP(2, [3], 1).parameters(), lr=0.1)
    assert fit_step(nn.MLP(2, [3], 1), nn.MSELoss(), opt).static


def test_user_forward_still_recorded_twice() -> None:
    """A user's module keeps the two-recording check: a branch on values falls back."""
    class Branchy(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.lin = nn.Linear(2, 1)

        def forward(self, x: cr.Tensor) -> cr.Tensor:
            return self.lin(x) if float(x.sum()) > 0 else self.lin(x) * 2

    model = Branchy()
    opt = cr.optim.SGD(model.parameters(), lr=0.1)
    step = fit_step(model, nn.MSELoss(), opt)
    assert not step.static
    for sign in (1, -1, 1):
        step(cr.ones(3, 2) * sign, cr.zeros(3, 1))
    assert not step.captured and step.fallback_reason


def test_equal_texts_share_one_code_object() -> None:
    """A second batch size gives the same generated text (sizes are bound names), so its
    plan reuses the compiled code."""
    model = nn.MLP(3, [4], 2)
    opt = cr.optim.Adam(model.parameters())
    step = fit_step(model, nn.CrossEntropyLoss(), opt)
    codes = []
    for n in (8, 5):
        for _ in range(2):
            step(cr.randn(n, 3), cr.randint(0, 2, (n,)))
        entry = step._entries[step._key((cr.randn(n, 3), cr.randint(0, 2, (n,))), {})]
        codes.append(entry.plans[0].run.__code__)
    assert codes[0] is codes[1]
    assert codes[0].co_filename == "<chainrule.compile replay>"
    assert len(_emit._CODE) <= _emit._CODE_CACHE
