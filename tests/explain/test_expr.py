"""The tiny symbolic algebra behind the narration: simplification and rendering."""
from __future__ import annotations

from chainrule.explain._algebra import ONE, add, div, mul, neg, power
from chainrule.explain._expr import Func, Grad, Name, Num, fmt, name_latex


def test_products_simplify_like_the_slides():
    c, x, t2 = Name("c"), Name("x"), Name("theta2")
    assert mul(Num(2), c).text() == "2c"
    assert mul(mul(Num(2), c), x).text() == "2cx"
    assert mul(mul(Num(2), c), x, t2).text() == "2cx·θ2"
    assert mul(Num(2), c, Num(0.5)).text() == "c"
    assert mul(c, c).text() == "c²" and mul(c, power(c, 2)).text() == "c³"
    assert mul(Num(0), c).text() == "0" and mul(ONE, ONE).text() == "1"
    assert mul(Num(-1), c).text() == "−c"


def test_sums_collect_like_terms_and_signs():
    x, y = Name("x"), Name("y")
    assert add(x, x).text() == "2x"
    assert add(x, neg(y)).text() == "x − y"
    assert add(ONE, neg(power(y, 2))).text() == "1 − y²"
    assert add(x, neg(x)).text() == "0"
    assert mul(Num(3), add(x, y)).text() == "3·(x + y)"


def test_latex_rendering():
    assert name_latex("theta1") == r"\theta_{1}" and name_latex("θ2") == r"\theta_{2}"
    assert name_latex("W1") == "W_{1}" and name_latex("0.weight") == r"\mathrm{0.weight}"
    assert mul(Num(2), Name("c"), Name("theta1")).latex() == r"2c \cdot \theta_{1}"
    assert Grad("c").latex() == r"\frac{\partial L}{\partial c}"
    assert div(ONE, Name("x")).latex() == r"\frac{1}{x}"
    assert Func("exp", Name("z")).latex() == "e^{z}" and Func("σ", Name("z")).text() == "σ(z)"


def test_numbers_are_written_plainly():
    assert fmt(2.0) == "2" and fmt(-0.0) == "0" and fmt(0.1) == "0.1"
    assert fmt(1 / 3) == "0.333333" and fmt(-8) == "-8"
