"""A tiny symbolic algebra for narration: products, sums, powers, named functions.

Just enough to write the chain rule the way a slide does (∂L/∂a = 2cx) and to
render the same expression as Unicode text or LaTeX. Products of monomials are
simplified (numbers multiplied, ones dropped, equal factors merged into powers);
anything larger stays as written.
"""
from __future__ import annotations

import math
import re
from typing import Any, Sequence

_GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "eta": "η",
    "theta": "θ", "lambda": "λ", "mu": "μ", "sigma": "σ", "phi": "φ", "omega": "ω",
}
_GREEK_LATEX = {v: k for k, v in _GREEK.items()}
_SUPERSCRIPT = str.maketrans("0123456789-.", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻·")


def fmt(value: float) -> str:
    """A number as a person writes it: 6 significant digits, no trailing zeros, no -0."""
    v = float(value)
    if v == 0:
        return "0"
    if math.isnan(v) or math.isinf(v):
        return str(v)
    if v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return f"{v:.6g}"


def name_text(name: str) -> str:
    """``theta1`` -> ``θ1``; other names unchanged."""
    m = re.fullmatch(r"([A-Za-z]+)(_?)(\d*)", name)
    if m and m.group(1) in _GREEK:
        return _GREEK[m.group(1)] + m.group(3)
    return name


def name_latex(name: str) -> str:
    """``θ1`` or ``theta1`` -> ``\\theta_{1}``; ``W1`` -> ``W_{1}``; others in ``\\mathrm``."""
    m = re.fullmatch(r"([A-Za-z\u0370-\u03ff]+)_?(\d*)", name)
    if not m:
        return r"\mathrm{" + name.replace("_", r"\_").replace("∂", r"\partial ") + "}"
    base, sub = m.group(1), m.group(2)
    if base in _GREEK_LATEX:
        base = "\\" + _GREEK_LATEX[base]
    elif base in _GREEK:
        base = "\\" + base
    elif len(base) > 1:
        base = r"\mathrm{" + base + "}"
    return base + (f"_{{{sub}}}" if sub else "")


class Expr:
    """Base class: ``text()`` (Unicode), ``latex()``, ``prec`` (0 sum, 1 product, 2 atom)."""

    prec = 2

    def text(self) -> str:
        raise NotImplementedError

    def latex(self) -> str:
        raise NotImplementedError

    def size(self) -> int:
        return 1

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return f"Expr({self.text()!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Expr) and self.text() == other.text()

    def __hash__(self) -> int:
        return hash(self.text())


class Name(Expr):
    def __init__(self, name: str) -> None:
        self.name = name

    def text(self) -> str:
        return name_text(self.name)

    def latex(self) -> str:
        return name_latex(self.name)

    def single(self) -> bool:
        return len(self.text()) == 1


class Num(Expr):
    def __init__(self, value: float) -> None:
        self.value = float(value)
        self.prec = 2 if self.value >= 0 else 0

    def text(self) -> str:
        return fmt(self.value)

    def latex(self) -> str:
        return fmt(self.value)


class Raw(Expr):
    """Text and LaTeX written by hand (matrix forms, indicator functions)."""

    def __init__(self, text: str, latex: str | None = None, prec: int = 2) -> None:
        self._text, self._latex, self.prec = text, latex if latex is not None else text, prec

    def text(self) -> str:
        return self._text

    def latex(self) -> str:
        return self._latex


class Grad(Expr):
    """∂top/∂of, e.g. ∂L/∂c."""

    def __init__(self, of: str, top: str = "L") -> None:
        self.of, self.top = of, top

    def text(self) -> str:
        return f"∂{name_text(self.top)}/∂{name_text(self.of)}"

    def latex(self) -> str:
        return rf"\frac{{\partial {name_latex(self.top)}}}{{\partial {name_latex(self.of)}}}"


def _wrap(e: Expr, prec: int, latex: bool) -> str:
    s = e.latex() if latex else e.text()
    if e.prec < prec:
        return r"\left(" + s + r"\right)" if latex else "(" + s + ")"
    return s


class Power(Expr):
    prec = 2

    def __init__(self, base: Expr, exponent: float) -> None:
        self.base, self.exponent = base, float(exponent)

    def _base(self, latex: bool) -> str:
        return _wrap(self.base, 3 if isinstance(self.base, Power) else 2, latex)

    def text(self) -> str:
        e = fmt(self.exponent)
        sup = e.translate(_SUPERSCRIPT) if re.fullmatch(r"-?\d+", e) else "^" + e
        return self._base(False) + sup

    def latex(self) -> str:
        return self._base(True) + "^{" + fmt(self.exponent) + "}"

    def size(self) -> int:
        return self.base.size() + 1


class Func(Expr):
    """A named function of one argument: σ(z), tanh(z), e^z, ln z, √z."""

    _LATEX = {"σ": r"\sigma", "ln": r"\ln", "exp": r"\exp", "tanh": r"\tanh", "sin": r"\sin",
              "cos": r"\cos", "sign": r"\operatorname{sign}", "relu": r"\operatorname{relu}"}

    def __init__(self, name: str, arg: Expr) -> None:
        self.name, self.arg = name, arg

    def text(self) -> str:
        if self.name == "√":
            return "√" + _wrap(self.arg, 3, False)
        if self.name == "abs":
            return "|" + self.arg.text() + "|"
        return f"{self.name}({self.arg.text()})"

    def latex(self) -> str:
        a = self.arg.latex()
        if self.name == "√":
            return r"\sqrt{" + a + "}"
        if self.name == "abs":
            return r"\left|" + a + r"\right|"
        if self.name == "exp":
            return "e^{" + a + "}"
        op = self._LATEX.get(self.name, r"\operatorname{" + self.name + "}")
        return op + r"\left(" + a + r"\right)"

    def size(self) -> int:
        return self.arg.size() + 1


def _single(f: Expr) -> bool:
    """A one-letter name (or its power): written side by side with its neighbours."""
    if isinstance(f, Power):
        f = f.base
    return isinstance(f, Name) and f.single()


class Prod(Expr):
    """coef · f1 · f2 ...; single letters are written side by side (2cx), others with ·."""

    def __init__(self, coef: float, factors: Sequence[Expr]) -> None:
        self.coef, self.factors = float(coef), list(factors)
        self.prec = 0 if self.coef < 0 else 1

    def size(self) -> int:
        return sum(f.size() for f in self.factors) + (self.coef != 1)

    def _render(self, latex: bool) -> str:
        parts: list[str] = []
        prev_single = False
        for f in self.factors:
            single = _single(f)
            if parts:
                if latex:
                    parts.append(" " if prev_single and single else r" \cdot ")
                else:
                    parts.append("" if prev_single and single else "·")
            parts.append(_wrap(f, 2, latex))
            prev_single = single
        body = "".join(parts)
        c = abs(self.coef)
        sign = ("-" if latex else "−") if self.coef < 0 else ""
        if c == 1:
            return sign + body
        lead = self.factors[0] if self.factors else None
        letter_first = isinstance(lead, (Name, Power, Func)) and not body[:1].isdigit()
        sep = ("" if letter_first else r" \cdot ") if latex else ("" if letter_first else "·")
        return sign + fmt(c) + sep + body

    def text(self) -> str:
        return self._render(False)

    def latex(self) -> str:
        return self._render(True)


class Sum(Expr):
    prec = 0

    def __init__(self, terms: Sequence[Expr]) -> None:
        self.terms = list(terms)

    def size(self) -> int:
        return sum(t.size() for t in self.terms)

    def _render(self, latex: bool) -> str:
        out = ""
        for i, t in enumerate(self.terms):
            s = t.latex() if latex else t.text()
            negative = s.startswith("-") or s.startswith("−")
            if i == 0:
                out = s
            elif negative:
                out += (" - " if latex else " − ") + s[1:]
            else:
                out += " + " + s
        return out

    def text(self) -> str:
        return self._render(False)

    def latex(self) -> str:
        return self._render(True)


class Frac(Expr):
    prec = 1

    def __init__(self, num: Expr, den: Expr) -> None:
        self.num, self.den = num, den

    def text(self) -> str:
        return _wrap(self.num, 1, False) + "/" + _wrap(self.den, 2, False)

    def latex(self) -> str:
        return r"\frac{" + self.num.latex() + "}{" + self.den.latex() + "}"

    def size(self) -> int:
        return self.num.size() + self.den.size()


ONE = Num(1)


def mul(*items: Expr) -> Expr:
    """The simplified product: numbers multiplied, ones dropped, x·x merged into x²."""
    coef = 1.0
    factors: list[Expr] = []
    for e in items:
        if isinstance(e, Num):
            coef *= e.value
        elif isinstance(e, Prod):
            coef *= e.coef
            factors.extend(e.factors)
        else:
            factors.append(e)
    if coef == 0:
        return Num(0)
    merged: list[Expr] = []
    for f in factors:
        base, n = (f.base, f.exponent) if isinstance(f, Power) else (f, 1.0)
        for i, m in enumerate(merged):
            mb, mn = (m.base, m.exponent) if isinstance(m, Power) else (m, 1.0)
            if isinstance(mb, Name) and mb == base:
                merged[i] = Power(mb, mn + n) if mn + n != 1 else mb
                break
        else:
            merged.append(f)
    if not merged:
        return Num(coef)
    if coef == 1 and len(merged) == 1:
        return merged[0]
    return Prod(coef, merged)


def neg(e: Expr) -> Expr:
    return mul(Num(-1), e)


def _split(e: Expr) -> tuple[float, Expr | None]:
    """coef, rest: 2cx -> (2, cx); 3 -> (3, None)."""
    if isinstance(e, Num):
        return e.value, None
    if isinstance(e, Prod):
        rest = e.factors[0] if len(e.factors) == 1 else Prod(1, e.factors)
        return e.coef, rest
    return 1.0, e


def add(*items: Expr) -> Expr:
    """The simplified sum: like terms collected (x + x -> 2x), zeros dropped."""
    flat: list[Expr] = []
    for e in items:
        flat.extend(e.terms if isinstance(e, Sum) else [e])
    coefs: dict[str, list[Any]] = {}
    for t in flat:
        c, rest = _split(t)
        key = rest.text() if rest is not None else ""
        if key in coefs:
            coefs[key][0] += c
        else:
            coefs[key] = [c, rest]
    terms = [Num(c) if rest is None else mul(Num(c), rest) for c, rest in coefs.values()]
    terms = [t for t in terms if not (isinstance(t, Num) and t.value == 0)]
    if not terms:
        return Num(0)
    return terms[0] if len(terms) == 1 else Sum(terms)


def power(base: Expr, exponent: float) -> Expr:
    if exponent == 0:
        return ONE
    if exponent == 1:
        return base
    if isinstance(base, Num):
        return Num(base.value ** exponent)
    return Power(base, exponent)


def div(num: Expr, den: Expr) -> Expr:
    if isinstance(den, Num) and den.value != 0:
        return mul(Num(1 / den.value), num)
    return Frac(num, den)
