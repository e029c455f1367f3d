"""The graph drawing's module tagging (a global, observe-only forward hook) does not stop
chainrule.compile from capturing, while a hook that may change outputs does."""
from __future__ import annotations

import chainrule as cr
from chainrule import nn


def _step():
    cr.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    opt = cr.optim.SGD(model.parameters(), lr=0.1)
    loss_fn = nn.CrossEntropyLoss()

    def step(x, y):
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss
    return model, cr.compile(step)


def test_capture_survives_the_graph_drawings_module_tags():
    from chainrule.viz import _modules, draw_graph
    draw_graph(nn.Sequential(nn.Linear(2, 2), nn.Tanh())(cr.randn(3, 2)).sum())
    assert _modules._handle is not None  # the tagging hook is installed
    _, step = _step()
    x, y = cr.randn(16, 4), cr.randint(0, 3, (16,))
    for _ in range(4):
        step(x, y)
    assert step.captured and step.fallback_reason is None


def test_a_hook_that_may_change_outputs_still_falls_back():
    model, step = _step()
    handle = model[1].register_forward_hook(lambda m, i, o: o * 2)
    x, y = cr.randn(16, 4), cr.randint(0, 3, (16,))
    for _ in range(3):
        step(x, y)
    handle.remove()
    assert not step.captured and "forward hooks" in step.fallback_reason
