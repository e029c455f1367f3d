"""Tagging graph nodes with the module that made them (the global forward hook)."""
from __future__ import annotations

import chainrule as cr
from chainrule.explain._walk import forward_order
from chainrule.viz import _modules


def test_nested_and_reused_modules_own_their_nodes():
    _modules.install()
    _modules.install()  # idempotent
    act = cr.nn.Tanh()
    model = cr.nn.Sequential(cr.nn.Linear(2, 3), act, cr.nn.Linear(3, 3), act,
                             cr.nn.Identity())
    x = cr.randn(4, 2)
    out = (model(x) * 2.0).sum()
    nodes = forward_order(out.grad_fn)
    chains = _modules.owners(nodes)
    inner = [type(chains[id(n)][0]).__name__ if id(n) in chains else None for n in nodes]
    assert inner == ["Linear", "Tanh", "Linear", "Tanh", None, None]  # Mul, Sum: no module
    outer = {type(chains[id(n)][-1]).__name__ for n in nodes[:4]}
    assert outer == {"Sequential"}
    paths = _modules.module_paths([m for n in nodes[:4] for m in chains[id(n)]])
    assert [paths[id(m)] for m in (model, model[0], act, model[2])] == ["", "0", "1", "2"]
    assert _modules.short_label(model[0]) == "Linear(2→3)" and _modules.short_label(act) == "Tanh"


def test_uninstall_stops_tagging():
    _modules.uninstall()
    try:
        layer = cr.nn.Linear(2, 2)
        y = layer(cr.randn(1, 2))
        assert "_viz_modules" not in y.grad_fn.__dict__
    finally:
        _modules.install()
    y = layer(cr.randn(1, 2))
    assert y.grad_fn.__dict__["_viz_modules"][0][1] is layer
