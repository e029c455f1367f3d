"""Writing names and numbers as a person does: θ1 for theta1, LaTeX subscripts, 6 digits."""
from __future__ import annotations

import math
import re

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
