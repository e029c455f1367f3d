"""draw_graph: every op and named parameter in the DOT text, modules as boxes, values, PNG."""
from __future__ import annotations

import re

import numpy as np
import pytest

import chainrule as cr
from chainrule.autograd.graph import record
from chainrule.explain import course_example

graphviz = pytest.importorskip("graphviz")
from chainrule.viz.graph import draw_graph, has_dot  # noqa: E402  (installs the module hook)


def _labels(dot) -> list[str]:
    return re.findall(r'label="([^"]*)"', dot.source)


def _mlp_loss(**kw):
    cr.manual_seed(0)
    model = cr.nn.MLP(2, [4, 3], 1, activation="tanh")
    x = cr.randn(5, 2)
    x.name = "x"
    y = cr.ones(5, 1)
    with record():
        loss = cr.nn.BCEWithLogitsLoss()(model(x), y)
    loss.backward(retain_graph=True)
    return model, loss, draw_graph(loss, params=dict(model.named_parameters()), **kw)


def test_course_graph_has_every_op_leaf_value_and_grad():
    t = course_example(theta1=2, theta2=-3, x=0.5, y=1)
    t["L"].backward(retain_graph=True)
    dot = draw_graph(t["L"])
    labels = _labels(dot)
    ops = [lab.split("\n")[0] for lab in labels]
    assert sorted(ops) == sorted(["Mul", "Mul", "Sub", "Pow", "theta1", "theta2", "x", "y"])
    text = dot.source
    for piece in ("a = -6", "b = -3", "c = -4", "L = 16", "grad 12", "grad -8", "= 0.5"):
        assert piece in text
    assert text.count("->") == 7  # θ1, θ2 -> a; a, x -> b; b, y -> c; c -> L


def test_mlp_dot_names_every_parameter_and_op():
    model, _, dot = _mlp_loss(collapse_modules=False)
    text = dot.source
    for name, _ in model.named_parameters():
        assert f'"{name}\n' in text or f"label=\"{name}\n" in text
    for op in ("Linear", "Tanh", "BCEWithLogitsLoss"):
        assert op in text
    assert text.count("label=\"Linear\n") == 3 and text.count("label=\"Tanh\n") == 2
    assert text.count("subgraph cluster_") >= 5  # one per module: 3 Linear, 2 Tanh (and loss)
    assert "hidden0: Linear(2→4)" in text and "output: Linear(3→1)" in text


def test_collapse_modules_draws_one_box_per_module_inside_the_model():
    _, _, dot = _mlp_loss(collapse_modules=True)
    labels = _labels(dot)
    boxes = [lab for lab in labels if ": " in lab.split("\n")[0]]
    assert [b.split("\n")[0] for b in boxes] == [
        "hidden0: Linear(2→4)", "act0: Tanh", "hidden1: Linear(4→3)", "act1: Tanh",
        "output: Linear(3→1)"]
    assert 'label=MLP' in dot.source  # the enclosing model's cluster
    assert not any(lab.startswith("Linear\n") for lab in labels)  # ops are inside the boxes


def test_values_and_grads_can_be_hidden():
    _, _, dot = _mlp_loss(show_values=False, show_grads=False)
    assert "grad " not in dot.source and "‖·‖" not in dot.source


def test_leaf_and_errors():
    w = cr.tensor([1.0, 2.0], requires_grad=True, name="w")
    assert "w" in draw_graph(w).source
    with pytest.raises(TypeError, match="expected a Tensor, got list"):
        draw_graph([1, 2])  # type: ignore[arg-type]


def test_unrecorded_graph_still_draws_ops_and_leaves():
    w = cr.tensor(np.ones(3), requires_grad=True, name="w")
    dot = draw_graph((w.exp() * 2.0).sum())
    assert [lab.split("\n")[0] for lab in _labels(dot)] == ["Exp", "Mul", "Sum", "w"]


def test_renders_to_png_with_dot_and_svg_without():
    _, _, dot = _mlp_loss()
    assert "image/svg+xml" in dot._repr_mimebundle_()  # with or without the dot program
    if has_dot():  # CI installs graphviz (apt-get install graphviz)
        png = dot.pipe(format="png")
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    else:
        with pytest.raises(graphviz.ExecutableNotFound):
            dot.pipe(format="png")


def test_notebook_falls_back_to_the_builtin_svg_without_the_program(monkeypatch):
    import chainrule.viz.graph as g
    monkeypatch.setattr(g, "has_dot", lambda: False)
    model, _, dot = _mlp_loss(collapse_modules=False)
    bundle = dot._repr_mimebundle_()
    assert bundle["text/plain"] == dot.source
    svg = bundle["image/svg+xml"]
    assert svg.startswith("<svg") and svg == g.to_svg(dot) == g.graph_html(dot)
    for name, _ in model.named_parameters():
        assert f">{name}</text>" in svg
    n_nodes = len(re.findall(r"^\s+[ntcm]\d+ \[label=", dot.source, flags=re.M))
    assert svg.count("<rect") == n_nodes and svg.count("<line") == dot.source.count("->")
    with pytest.raises(ValueError, match="made by draw_graph"):
        g.builtin_svg(graphviz.Digraph())
