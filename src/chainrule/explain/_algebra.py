"""Simplifying products and sums the way a slide does: 2c·x -> 2cx, x + x -> 2x, c·c -> c²."""
from __future__ import annotations

from typing import Any

from ._expr import Expr, Frac, Name, Num, Power, Prod, Sum

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
