"""Formulas parsed safely with ast: the whitelist, the refusals, the graph they build."""
from __future__ import annotations

import pytest

from chainrule.explain import explain
from chainrule.explain.expression import check_expression, from_expression, names_in


@pytest.mark.parametrize("text, piece", [
    ("__import__('os')", "__import__('os')"),
    ("__import__('os').system('ls')", "system"),
    ("x.real", "x.real"),
    ("open('f')", "open('f')"),
    ("foo(x)", "foo(x)"),
    ("(lambda: 1)()", "lambda"),
    ("[i for i in x]", "[i for i in x]"),
    ("{i: i for i in x}", "DictComp"),
    ("x[0]", "x[0]"),
    ("x if y else w", "IfExp"),
    ("'abc'", "'abc'"),
    ("x @ y", "'@'"),
    ("x // y", "'//'"),
    ("2 ** 10000", "2 ** 10000"),
    ("x ** -1000", "x ** -1000"),
    ("exp(x, y)", "exp(x, y)"),
    ("exp(x=1)", "exp(x=1)"),
    ("not x", "not x"),
    ("x < y", "Compare"),
    ("_secret", "_secret"),
    ("True", "True"),
    ("1j", "1j"),
])
def test_unsafe_or_unknown_pieces_are_refused_by_name(text, piece):
    with pytest.raises(ValueError, match="expression: expected") as info:
        check_expression(text)
    assert piece in str(info.value)


def test_syntax_errors_and_size_limits():
    with pytest.raises(ValueError, match=r"expected a formula such as"):
        check_expression("x +* y")
    with pytest.raises(ValueError, match="expected at most 1000 characters"):
        check_expression("x+" * 600 + "x")
    with pytest.raises(TypeError, match="expected a string"):
        check_expression(3)  # type: ignore[arg-type]


def test_whitelist_is_accepted():
    text = "-(w*x + b - y)**2 / 2 + exp(w) - log(b) + sin(x)*cos(y) + tanh(w) + sigmoid(b)" \
           " + relu(w) + sqrt(b) + abs(w) + +x"
    check_expression(text)
    assert names_in(text) == ["w", "x", "b", "y"]


def test_from_expression_builds_the_graph():
    loss, leaves = from_expression("(w*x + b - y)**2", dict(w=0.5, x=2, b=0.1, y=1))
    assert loss.item() == pytest.approx(0.01)
    assert {n for n, t in leaves.items() if t.requires_grad} == {"w", "b"}
    e = explain(loss)
    assert e.gradients["w"].item() == pytest.approx(2 * 0.1 * 2)
    assert e.gradients["b"].item() == pytest.approx(2 * 0.1)
    assert str(e.gradient_exprs["w"]) == "2dx"
    _, leaves = from_expression("w*x", dict(w=1, x=2), wrt=["x"])
    assert leaves["x"].requires_grad and not leaves["w"].requires_grad


def test_from_expression_errors():
    with pytest.raises(ValueError, match="got none for z; pass e.g. z=1.0"):
        from_expression("w*z", dict(w=1))
    with pytest.raises(ValueError, match="expected values only for names in the formula"):
        from_expression("w*2", dict(w=1, q=2))
    with pytest.raises(ValueError, match="expected wrt names from the formula"):
        from_expression("w*2", dict(w=1), wrt=["v"])
    with pytest.raises(ValueError, match="expected at least one name to differentiate"):
        from_expression("x*y", dict(x=1, y=2))
