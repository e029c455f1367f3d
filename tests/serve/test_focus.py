"""One weight's narrated gradient equals what loss.backward() computes on the same batch."""
from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr

from chainrule.serve.focus import parse_param
from chainrule.serve.session import Session
from chainrule.tensor import _make


def backward_grads(s: Session) -> dict[str, np.ndarray]:
    """The gradients of loss.backward() on the session's last batch, in eval mode."""
    model = s.model
    model.eval()
    model.zero_grad()
    idx = s.last_batch
    cr.set_lint(False)  # eval mode with gradients on purpose
    try:
        s.loss_fn(model(_make(s.x_train[idx])), s.target(s.y_train[idx])).backward()
    finally:
        cr.set_lint(True)
    return {n: p.grad.numpy().copy() for n, p in model.named_parameters()}


@pytest.mark.parametrize("settings", [
    {"dataset": "spirals", "hidden": "6,5", "activation": "tanh"},
    {"dataset": "xor", "hidden": "4", "activation": "relu", "head": "sigmoid", "l2": 0.01},
    {"dataset": "gaussians", "hidden": "", "optimizer": "sgd", "lr": 0.1},
    {"dataset": "moons", "hidden": "3,3,3", "activation": "gelu", "dropout": 0.2},
])
def test_every_weight_matches_backward(settings):
    s = Session(settings)
    s.advance(60.0, max_epochs=2)
    grads = backward_grads(s)
    for name, g in grads.items():
        for index in [tuple(int(i) for i in np.unravel_index(k, g.shape)) for k in
                      range(0, g.size, max(1, g.size // 4))]:
            label = f"{name}[{','.join(map(str, index))}]"
            r = s.explain(label)
            assert r["param"] == label
            assert np.isclose(r["grad"], g[index], rtol=1e-4, atol=1e-7), (label, r["grad"])
            total = r["text"].split("\n  = ")[-1].splitlines()[0]  # the entry's sum, written out
            assert np.isclose(float(total), g[index], rtol=2e-3, atol=1e-6), (label, total)
            assert len(r["history"]["value"]) == 3 and r["history"]["epoch"] == [0, 1, 2]
    if settings.get("l2"):
        assert "weight_decay" in r["text"]
    if settings.get("dropout"):
        assert "eval mode" in r["text"]


def test_parse_param_refuses_anything_else():
    shapes = {"hidden0.weight": (3, 2), "output.bias": (1,)}
    assert parse_param("hidden0.weight[2, 1]", shapes) == ("hidden0.weight", (2, 1))
    for bad in ["hidden0.weight[3,0]", "hidden0.weight[1]", "__class__", "output.bias[-1]",
                None, "hidden9.weight[0,0]", "hidden0.weight[0,0];rm"]:
        with pytest.raises(ValueError, match="param: expected"):
            parse_param(bad, shapes)


def test_history_is_decimated_not_unbounded():
    s = Session({"dataset": "xor", "samples": 40, "batch_size": 40, "hidden": "2"})
    s.advance(600.0, max_epochs=1000)
    assert s.epoch == 1000
    assert len(s.trace) <= 400 and len(s.curves["train"]) == len(s.trace)
    assert s.curves["epoch"][0] == 0 and s.curves["epoch"][-1] == 1000
