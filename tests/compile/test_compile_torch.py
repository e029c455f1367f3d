"""The captured step against PyTorch over many steps, and fit's use of capture."""
from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr

CASES = {
    "sgd_momentum": ({"lr": 0.05, "momentum": 0.9}, "SGD"),
    "sgd_nesterov_wd": ({"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 1e-2},
                        "SGD"),
    "adam": ({"lr": 1e-2}, "Adam"),
    "adam_wd": ({"lr": 1e-2, "weight_decay": 1e-2}, "Adam"),
    "adamw": ({"lr": 1e-2, "weight_decay": 0.1}, "AdamW"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_captured_steps_match_pytorch(case):
    torch = pytest.importorskip("torch")
    hp, name = CASES[case]
    rng = np.random.default_rng(0)
    sizes = [(12, 16), (16, 8), (8, 4)]
    weights = [(rng.uniform(-0.3, 0.3, (o, i)), rng.uniform(-0.3, 0.3, o)) for i, o in sizes]
    layers, tlayers = [], []
    for k, (w, b) in enumerate(weights):
        lin = cr.nn.Linear(w.shape[1], w.shape[0]).double()
        tlin = torch.nn.Linear(w.shape[1], w.shape[0]).double()
        with cr.no_grad():
            lin.weight.copy_(cr.tensor(w))
            lin.bias.copy_(cr.tensor(b))
        with torch.no_grad():
            tlin.weight.copy_(torch.tensor(w))
            tlin.bias.copy_(torch.tensor(b))
        layers.append(lin)
        tlayers.append(tlin)
        if k < len(weights) - 1:
            layers.append(cr.nn.Tanh())
            tlayers.append(torch.nn.Tanh())
    model, tmodel = cr.nn.Sequential(*layers), torch.nn.Sequential(*tlayers)
    opt = getattr(cr.optim, name)(model.parameters(), **hp)
    topt = getattr(torch.optim, name)(tmodel.parameters(), **hp)

    @cr.compile
    def step(x, y):
        opt.zero_grad()
        loss = cr.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss

    for i in range(40):
        m = 9 if i % 4 == 3 else 10  # a smaller last batch now and then
        x = rng.standard_normal((m, 12))
        y = rng.integers(0, 4, m)
        loss = step(cr.tensor(x), cr.tensor(y))
        topt.zero_grad()
        tloss = torch.nn.functional.cross_entropy(tmodel(torch.tensor(x)), torch.tensor(y))
        tloss.backward()
        topt.step()
        assert loss.item() == pytest.approx(tloss.item(), rel=1e-9, abs=1e-12)
    assert step.captured
    for p, tp in zip(model.parameters(), tmodel.parameters()):
        np.testing.assert_allclose(p.numpy(force=True), tp.detach().numpy(), rtol=1e-8,
                                   atol=1e-10)


def _fit(capture: bool, optimizer: str):
    cr.manual_seed(0)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((100, 6)).astype(np.float32)
    y = (X[:, 0] + X[:, 1] > 0).astype(np.int64)
    model = cr.nn.Sequential(cr.nn.Linear(6, 16), cr.nn.ReLU(), cr.nn.Linear(16, 2))
    opt = (cr.optim.SGD(model.parameters(), lr=0.1, momentum=0.9) if optimizer == "sgd"
           else cr.optim.Adam(model.parameters(), lr=1e-2))
    hist = cr.train.fit(model, (X, y), loss=cr.nn.CrossEntropyLoss(), optimizer=opt, epochs=4,
                        batch_size=16, metrics=["accuracy"], verbose=0, seed=0, capture=capture)
    return hist, model


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_fit_captures_by_default_with_eager_numbers(optimizer):
    h1, m1 = _fit(False, optimizer)
    h2, m2 = _fit(True, optimizer)
    assert h1["loss"] == h2["loss"] and h1["accuracy"] == h2["accuracy"]
    for p, q in zip(m1.parameters(), m2.parameters()):
        assert np.array_equal(p.numpy(force=True), q.numpy(force=True))


def test_fit_nonfinite_loss_stops_before_the_update_when_captured():
    X = np.ones((64, 2), np.float32)
    y = np.ones((64, 1), np.float32)
    model = cr.nn.Linear(2, 1)
    opt = cr.optim.SGD(model.parameters(), lr=1e3)  # diverges within a few steps
    before = None
    with pytest.raises(cr.train.NonFiniteLossError):
        cr.train.fit(model, (X, y), loss=cr.nn.MSELoss(), optimizer=opt, epochs=50,
                     batch_size=4, verbose=0, seed=0, shuffle=False)
    before = [p.numpy(force=True).copy() for p in model.parameters()]
    assert all(np.isfinite(b).all() for b in before)
