"""The generated replay: one line per NumPy call for the hot ops, in-place ReLU backward only
where its gradient buffer is its own, the fast guard still sees every change."""
from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr


class _Skip(cr.nn.Module):
    """h = relu(fc1 x); out = fc3(relu(fc2 h) + h): the first ReLU's gradient is a sum."""

    def __init__(self) -> None:
        super().__init__()
        self.fc1, self.fc2, self.fc3 = cr.nn.Linear(6, 8), cr.nn.Linear(8, 8), cr.nn.Linear(8, 3)

    def forward(self, x):
        h = cr.relu(self.fc1(x))
        return self.fc3(cr.relu(self.fc2(h)) + h)


def _run(make_model, captured: bool, n: int = 8):
    cr.manual_seed(0)
    model = make_model()
    opt = cr.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    loss_fn = cr.nn.CrossEntropyLoss()

    def step(x, y):
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss

    run = cr.compile(step, fullgraph=True) if captured else step
    rng = np.random.default_rng(3)
    losses = []
    for _ in range(n):
        x = cr.tensor(rng.standard_normal((5, 6)).astype(np.float32))
        y = cr.tensor(rng.integers(0, 3, 5))
        losses.append(run(x, y).item())
    return model, run, losses


@pytest.mark.parametrize("make_model", [
    _Skip,
    lambda: cr.nn.Sequential(cr.nn.Linear(6, 8), cr.nn.ReLU(), cr.nn.Linear(8, 3)),
], ids=["skip-connection", "sequential"])
def test_bitwise_parity_with_eager(make_model):
    m1, _, l1 = _run(make_model, False)
    m2, run, l2 = _run(make_model, True)
    assert run.captured
    assert l1 == l2
    for p, q in zip(m1.parameters(), m2.parameters()):
        assert np.array_equal(p.numpy(force=True), q.numpy(force=True))
        assert np.array_equal(p.grad.numpy(), q.grad.numpy())


def _source(run) -> str:
    (entry,) = run._entries.values()
    return entry.plans[0].src.text


def test_generated_source_has_a_line_per_numpy_call():
    _, run, _ = _run(lambda: cr.nn.Sequential(cr.nn.Linear(6, 8), cr.nn.ReLU(),
                                              cr.nn.Linear(8, 3)), True)
    text = _source(run)
    assert text.startswith("def replay(args):")
    assert text.count("matmul(") == 5      # 2 forward, 2 weight gradients, 1 input gradient
    assert "multiply(gx_" in text and ", out=gx_" in text  # ReLU backward in place
    assert "deliver(" not in text          # every gradient goes straight to its place


def test_relu_gradient_not_its_own_is_not_written_in_place():
    _, run, _ = _run(_Skip, True)
    text = _source(run)
    # the second ReLU's gradient comes from the generic Add (which may hand the same array to
    # both branches), the first one's is a sum: both backward passes need buffers of their own
    assert text.count("out=gr_") == 2
    assert "deliver(" in text and "multiply(gx_" not in text


def test_guard_sees_a_changed_training_flag_and_a_replaced_layer():
    _, run, _ = _run(_Skip, True, n=4)
    (entry,) = run._entries.values()
    plan = entry.plans[0]
    assert plan.valid() is None  # (fast() may be False here: another test's passive hook)
    mods = [m for m, _ in plan.guards.modes]
    skip = next(m for m in mods if isinstance(m, _Skip))
    skip.fc3 = cr.nn.Linear(8, 3)
    assert not plan.guards.fast()
    assert plan.valid() == "the model's structure changed"
