"""chainrule.explain: the narrated chain rule agrees with autograd, step by step."""
from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
from chainrule.autograd import set_explain_limit
from chainrule.autograd.graph import record
from chainrule.explain import course_example, explain


def _autograd_course(t1: float, t2: float, x: float, y: float) -> tuple[float, float]:
    a = cr.tensor(t1, dtype="float64", requires_grad=True)
    b = cr.tensor(t2, dtype="float64", requires_grad=True)
    ((a * b * x - y) ** 2).backward()
    return a.grad.item(), b.grad.item()


@pytest.mark.parametrize("t1, t2, x, y", [(2, -3, 0.5, 1), (0.5, 1.5, -2, 3), (1, 1, 1, 1),
                                          (-1.25, 0.75, 4, -0.5)])
def test_course_example_numbers_match_autograd(t1, t2, x, y):
    t = course_example(theta1=t1, theta2=t2, x=x, y=y)
    e = explain(t["L"])
    g1, g2 = _autograd_course(t1, t2, x, y)
    assert e.gradients["theta1"].item() == pytest.approx(g1, rel=1e-12, abs=1e-12)
    assert e.gradients["theta2"].item() == pytest.approx(g2, rel=1e-12, abs=1e-12)
    a, b = t1 * t2, t1 * t2 * x
    c = b - y
    values = e.values
    for name, want in {"a": a, "b": b, "c": c, "L": c * c}.items():
        assert values[name].item() == pytest.approx(want, rel=1e-12)
    # every backward step: upstream · local = product, with the slides' numbers
    by_name = {s.name: s for s in e.steps}
    assert [s.name for s in e.steps] == ["L", "c", "b", "a"]
    assert by_name["L"].edges[0].value.item() == pytest.approx(2 * c)
    assert by_name["c"].edges[0].value.item() == pytest.approx(2 * c)
    assert by_name["b"].edges[0].value.item() == pytest.approx(2 * c * x)
    for step in e.steps:
        for edge in step.edges:
            assert edge.value.item() == pytest.approx(
                step.upstream_value.item() * edge.local_value.item(), rel=1e-12, abs=1e-12)


def test_course_example_reproduces_the_slides():
    t = course_example(theta1=2, theta2=-3, x=0.5, y=1)
    e = explain(t["L"])
    defs = {f.name: str(f.definition) for f in e.forward if f.definition is not None}
    assert defs == {"a": "θ1·θ2", "b": "ax", "c": "b − y", "L": "c²"}
    grads = {s.name: [str(edge.gradient) for edge in s.edges] for s in e.steps}
    assert grads == {"L": ["2c"], "c": ["2c"], "b": ["2cx"], "a": ["2cx·θ2", "2cx·θ1"]}
    locals_ = {s.name: [str(edge.local) for edge in s.edges] for s in e.steps}
    assert locals_ == {"L": ["2c"], "c": ["1"], "b": ["x"], "a": ["θ2", "θ1"]}
    text = str(e)
    for line in ("a = θ1·θ2 = -6", "b = ax = -3", "c = b − y = -4", "L = c² = 16",
                 "∂L/∂c = ∂L/∂L · ∂L/∂c = 2c = 1 · (-8) = -8",
                 "∂L/∂b = ∂L/∂c · ∂c/∂b = 2c = (-8) · 1 = -8",
                 "∂L/∂a = ∂L/∂b · ∂b/∂a = 2cx = (-8) · 0.5 = -4",
                 "∂L/∂θ1 = ∂L/∂a · ∂a/∂θ1 = 2cx·θ2 = (-4) · (-3) = 12",
                 "∂L/∂θ2 = ∂L/∂a · ∂a/∂θ2 = 2cx·θ1 = (-4) · 2 = -8"):
        assert line in text


def test_course_example_parity_with_torch():
    torch = pytest.importorskip("torch")
    t1 = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
    t2 = torch.tensor(-1.3, dtype=torch.float64, requires_grad=True)
    ((t1 * t2 * 2.5 - 0.25) ** 2).backward()
    e = explain(course_example(0.7, -1.3, 2.5, 0.25)["L"])
    np.testing.assert_allclose(e.gradients["theta1"], t1.grad.numpy(), rtol=1e-10)
    np.testing.assert_allclose(e.gradients["theta2"], t2.grad.numpy(), rtol=1e-10)


def test_markdown_and_html():
    e = explain(course_example()["L"])
    md = e.to_markdown()
    assert md == e._repr_markdown_()
    assert r"$c = b - y = -4$" in md
    assert r"\frac{\partial L}{\partial \theta_{1}} = 2c x \cdot \theta_{2} = 12$" in md
    html = e.to_html()
    assert html == e._repr_html_() and html.count("<table") == 2
    assert "2cx·θ2" in html and "<script" not in html


def test_unrecorded_graph_recovers_values_and_constants():
    w = cr.tensor(1.5, requires_grad=True, name="w")
    b = cr.tensor(-0.5, requires_grad=True, name="b")
    loss = (w * 2.0 + b - 3.0) ** 2  # the constants 2 and 3 are not recorded
    e = explain(loss)
    assert [str(f.definition) for f in e.forward if f.definition] == [
        "2w", "a + b", "c − 3", "d²"]
    assert e.values["d"].item() == pytest.approx(-0.5)
    loss.backward()
    assert e.gradients["w"].item() == pytest.approx(w.grad.item())
    assert e.gradients["b"].item() == pytest.approx(b.grad.item())
    assert "record()" in str(e)


def test_shared_node_sums_its_paths():
    x = cr.tensor(3.0, dtype="float64", requires_grad=True, name="x")
    with record():
        a = x * x
        loss = a + x
    e = explain(loss)
    assert e.gradients["x"].item() == pytest.approx(7.0)
    assert str(e.gradient_exprs["x"]) == "1 + 2x"
    assert any(edge.shared for s in e.steps for edge in s.edges)


def test_mlp_steps_use_matrix_forms_and_match_autograd(rng):
    X = cr.tensor(rng.normal(size=(5, 3)), dtype="float64", name="x")
    y = cr.tensor(rng.integers(0, 2, size=(5, 1)), dtype="float64", name="y")
    W1 = cr.tensor(rng.normal(size=(4, 3)), requires_grad=True)
    b1 = cr.tensor(rng.normal(size=4), requires_grad=True)
    W2 = cr.tensor(rng.normal(size=(1, 4)), requires_grad=True)
    params = {"0.weight": W1, "0.bias": b1, "2.weight": W2}
    with record():
        h = cr.linear(X, W1, b1).tanh()
        p = cr.linear(h, W2).sigmoid()
        loss = ((p - y) ** 2).mean()
    e = explain(loss, params=params)
    loss.backward()
    for name, t in params.items():
        np.testing.assert_allclose(e.gradients[name], t.grad._data, rtol=1e-12)
    assert [s.op for s in e.steps] == ["Mean", "Pow", "Sub", "Sigmoid", "Linear", "Tanh", "Linear"]
    forms = {edge.input: str(edge.gradient) for s in e.steps for edge in s.edges}
    assert forms["0.weight"] == "gᵀx" and forms["0.bias"] == "Σ_rows g"
    assert forms["2.weight"] == "gᵀb" and forms["b"] == "g·2.weight"
    text = str(e)
    assert "shape (5, 4), ‖·‖ = " in text and "…]" in text  # arrays summarised, not printed whole
    assert "∂L/∂0.weight = gᵀx: shape (4, 3), ‖·‖ = " in text


def test_explain_after_backward_past_the_limit_says_how_to_get_it():
    w = cr.tensor(2.0, requires_grad=True, name="w")
    loss = (w * 3.0) ** 2
    loss.backward()
    assert explain(loss).gradients["w"].item() == pytest.approx(36.0)  # kept: small graph
    previous = set_explain_limit(0)
    try:
        loss = (w * 3.0) ** 2
        loss.backward()
    finally:
        set_explain_limit(previous)
    with pytest.raises(RuntimeError, match=r"freed.*retain_graph=True.*smaller batch"):
        explain(loss)
    with record():
        loss = (w * 3.0) ** 2
    loss.backward()
    assert explain(loss).gradients["w"].item() == pytest.approx(36.0)


def test_explain_rejects_bad_inputs():
    w = cr.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(ValueError, match=r"expected a scalar loss, got shape \(2,\)"):
        explain(w * 2)
    with pytest.raises(ValueError, match="got a leaf"):
        explain(w)
    with pytest.raises(TypeError, match="expected a Tensor, got float"):
        explain(1.0)  # type: ignore[arg-type]


def test_every_activation_is_narrated():
    fns = [cr.relu, cr.sigmoid, cr.tanh, cr.gelu, cr.elu, cr.silu, cr.softplus, cr.exp,
           cr.sin, cr.cos, cr.abs, cr.sqrt, cr.log, lambda v: cr.leaky_relu(v, 0.1)]
    for fn in fns:
        x = cr.tensor(0.7, dtype="float64", requires_grad=True, name="x")
        with record():
            loss = fn(x) * 2.0
        e = explain(loss)
        loss.backward()
        assert e.gradients["x"].item() == pytest.approx(x.grad.item(), rel=1e-12)
        assert e.steps[-1].edges[0].local is not None


@pytest.mark.parametrize("loss_name", ["CrossEntropyLoss", "BCEWithLogitsLoss", "MSELoss"])
def test_nn_mlp_with_fused_losses(loss_name):
    cr.manual_seed(0)
    out = 3 if loss_name == "CrossEntropyLoss" else 1
    model = cr.nn.MLP(4, [5], out, activation="relu")
    x = cr.randn(6, 4)
    y = cr.tensor([0, 1, 2, 0, 1, 2]) if out == 3 else (cr.randn(6, 1) > 0).float()
    with record():
        loss = getattr(cr.nn, loss_name)()(model(x), y)
    params = dict(model.named_parameters())
    e = explain(loss, params=params)
    loss.backward()
    for name, p in params.items():
        np.testing.assert_allclose(e.gradients[name], p.grad._data, rtol=1e-6, atol=1e-7)
    first = e.steps[0]
    assert first.op == loss_name and "/N" in str(first.edges[0].gradient)
    assert [s.op for s in e.steps[1:]] == ["Linear", "ReLU", "Linear"]
