"""A tiny symbolic algebra for narration: products, sums, powers, named functions.

Just enough to write the chain rule the way a slide does (∂L/∂a = 2cx) and to
render the same expression as Unicode text or LaTeX. Products of monomials are
simplified (numbers multiplied, ones dropped, equal factors merged into powers);
anything larger stays as written.
"""
from __future__ import annotations

import re
from typing import Sequence

from ._names import _SUPERSCRIPT, fmt, name_latex, name_text

__all__ = ["Expr", "Frac", "Func", "Grad", "Name", "Num", "Power", "Prod", "Raw", "Sum", "fmt",
           "name_latex", "name_text"]

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
