"""Rendering an Explanation: plain text, Markdown with LaTeX, HTML."""
from __future__ import annotations

import html
from typing import Any

import numpy as np

from ._expr import Expr, Grad, fmt, name_latex, name_text


def summary(value: Any, digits: int = 4) -> str:
    """A number, a short array in full, or shape, norm and the first entries of a large one."""
    if value is None:
        return "?"
    a = np.asarray(value)
    if a.size == 1:
        return _num(a.reshape(-1)[0], digits + 2)
    flat = a.reshape(-1)
    if a.size <= 6:
        return "[" + ", ".join(_num(v, digits) for v in flat) + "]" + (
            f" (shape {a.shape})" if a.ndim > 1 else "")
    with np.errstate(all="ignore"):
        norm = float(np.sqrt(np.sum(np.square(flat.astype(np.float64)))))
    head = ", ".join(_num(v, digits) for v in flat[:4])
    return f"shape {a.shape}, ‖·‖ = {_num(norm, digits)}, [{head}, …]"


def _num(v: Any, digits: int) -> str:
    v = float(v)
    return fmt(v) if v.is_integer() or not np.isfinite(v) else fmt(float(f"{v:.{digits}g}"))


def _paren(value: Any) -> str:
    s = summary(value)
    return f"({s})" if s.startswith("-") else s


def _is_scalar(v: Any) -> bool:
    return v is not None and np.size(v) == 1


def _eq(*parts: str) -> str:
    """Join ``a = b = c``, dropping a part equal to the one before it."""
    out: list[str] = []
    for p in parts:
        if p and (not out or out[-1] != p):
            out.append(p)
    return " = ".join(out)


# ---- text -------------------------------------------------------------------------------
def render_text(e: Any) -> str:
    lines = ["Forward pass"]
    for f in e.forward:
        if f.definition is None:
            lines.append(f"  {_eq(_n(f.name), summary(f.value))}".ljust(30) + f"  ({f.kind})")
        else:
            val = summary(f.value)
            lines.append(f"  {_eq(_n(f.name), f.definition.text(), val)}")
    lines += ["", f"Backward pass: the chain rule from {_n(e.loss)} back to the leaves"]
    for i, s in enumerate(e.steps, 1):
        lines += _text_step(i, s, e.loss)
    lines += ["", "Gradients of the leaves (what loss.backward() puts in .grad)"]
    for name, value in e.gradients.items():
        sym = e.gradient_exprs.get(name)
        g = Grad(name, e.loss).text()
        lines.append("  " + _eq(g, sym.text() if sym is not None else "", summary(value)))
    if not e.recorded:
        lines += ["", "(values recovered from the graph; build it under "
                  "chainrule.autograd.graph.record() to see the names of constants and "
                  "intermediates)"]
    return "\n".join(lines)


_n = name_text
_latex_name = name_latex


def _text_step(i: int, s: Any, loss: str) -> list[str]:
    head = f"{i:2d}. {_n(s.name)} = {s.definition.text()}"
    if not _is_scalar(s.value):
        head += f"    [{s.op}]  {_n(s.name)}: {summary(s.value)}"
    out = [head]
    up = Grad(s.name, loss).text()
    scalar = _is_scalar(s.upstream_value)
    sym = "" if isinstance(s.upstream, Grad) else s.upstream.text()
    paths = f"   (sum over {s.paths} paths)" if s.paths > 1 else ""
    if scalar:
        out.append(f"      upstream  {_eq(up, sym, summary(s.upstream_value))}{paths}")
    else:
        out.append(f"      upstream  g = {up}: {summary(s.upstream_value)}{paths}")
    for edge in s.edges:
        via = f" (path via {_n(s.name)})" if edge.shared else ""
        target = Grad(edge.input, loss).text() + via
        local = Grad(edge.input, s.name).text()
        if edge.mode == "scalar":
            lv = summary(edge.local_value)
            out.append(f"      local     {_eq(local, edge.local.text(), lv)}")
            nums = f"{_paren(s.upstream_value)} · {_paren(edge.local_value)}"
            chain = _eq(target, f"{up} · {local}", edge.gradient.text(), nums, summary(edge.value))
            out.append(f"      product   {chain}")
            continue
        if edge.mode == "elementwise":
            lv = summary(edge.local_value)
            out.append(f"      local     {local} = {edge.local.text()}: {lv}")
        note = "   (summed over the broadcast dims)" if edge.summed else ""
        out.append(f"      {target} = {edge.gradient.text()}: {summary(edge.value)}{note}")
    return out


# ---- markdown (LaTeX) -----------------------------------------------------------------------
def _math(*parts: str) -> str:
    return "$" + _eq(*parts) + "$"


def render_markdown(e: Any) -> str:
    out = ["#### Forward pass", ""]
    for f in e.forward:
        name = _latex_name(f.name)
        if f.definition is None:
            out.append(f"- {_value_math(name, '', f.value)} ({f.kind})")
        else:
            out.append(f"- {_value_math(name, f.definition.latex(), f.value)}")
    loss = _latex_name(e.loss)
    out += ["", f"#### Backward pass: the chain rule from ${loss}$ back to the leaves", ""]
    for i, s in enumerate(e.steps, 1):
        out += _md_step(i, s, e.loss)
    out += ["#### Gradients of the leaves", ""]
    for name, value in e.gradients.items():
        sym = e.gradient_exprs.get(name)
        lhs = Grad(name, e.loss).latex()
        out.append(f"- {_value_math(lhs, sym.latex() if sym else '', value)}")
    return "\n".join(out) + "\n"


def _value_math(lhs: str, rhs: str, value: Any) -> str:
    if _is_scalar(value):
        return _math(lhs, rhs, summary(value))
    return _math(lhs, rhs) + ": " + summary(value)


def _md_step(i: int, s: Any, loss: str) -> list[str]:
    out = [f"**{i}. ${_latex_name(s.name)} = {s.definition.latex()}$**"
           + ("" if _is_scalar(s.value) else f" ({s.op}; {summary(s.value)})"), ""]
    up = Grad(s.name, loss).latex()
    sym = "" if isinstance(s.upstream, Grad) else s.upstream.latex()
    paths = f" (sum over {s.paths} paths)" if s.paths > 1 else ""
    if _is_scalar(s.upstream_value):
        out.append(f"- upstream: {_value_math(up, sym, s.upstream_value)}{paths}")
    else:
        out.append(f"- upstream: {_math('g', up)}: {summary(s.upstream_value)}{paths}")
    for edge in s.edges:
        target = Grad(edge.input, loss).latex()
        via = f" (path via ${_latex_name(s.name)}$)" if edge.shared else ""
        local = Grad(edge.input, s.name).latex()
        if edge.mode == "scalar":
            out.append(f"- local: {_value_math(local, edge.local.latex(), edge.local_value)}")
            nums = f"{_paren(s.upstream_value)} \\cdot {_paren(edge.local_value)}"
            out.append(f"- product{via}: " + _math(target, up + r" \cdot " + local,
                                                   edge.gradient.latex(), nums,
                                                   summary(edge.value)))
            continue
        if edge.mode == "elementwise":
            out.append(f"- local: {_math(local, edge.local.latex())}: {summary(edge.local_value)}")
        note = " (summed over the broadcast dims)" if edge.summed else ""
        out.append(f"- gradient{via}: {_value_math(target, edge.gradient.latex(), edge.value)}"
                   f"{note}")
    out.append("")
    return out


# ---- HTML ------------------------------------------------------------------------------------
def render_html(e: Any) -> str:
    esc = html.escape
    rows = []
    for f in e.forward:
        d = f.definition.text() if f.definition is not None else f"({f.kind})"
        rows.append(f"<tr><td>{esc(_n(f.name))}</td><td>{esc(d)}</td>"
                    f"<td>{esc(summary(f.value))}</td></tr>")
    steps = []
    for i, s in enumerate(e.steps, 1):
        for k, edge in enumerate(s.edges or [None]):
            first = k == 0
            cells = [str(i) if first else "", f"{_n(s.name)} = {s.definition.text()}" if first
                     else "", f"{Grad(s.name, e.loss).text()} = {summary(s.upstream_value)}"
                     if first else ""]
            if edge is None:
                cells += ["", ""]
            else:
                local = (f"{Grad(edge.input, s.name).text()} = {edge.local.text()} = "
                         f"{summary(edge.local_value)}") if edge.local is not None else ""
                cells += [local, f"{Grad(edge.input, e.loss).text()} = {edge.gradient.text()} = "
                          f"{summary(edge.value)}"]
            steps.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>")
    grads = "".join(f"<li>{esc(_eq(Grad(n, e.loss).text(), _sym(e, n), summary(v)))}</li>"
                    for n, v in e.gradients.items())
    style = "border-collapse:collapse;font-family:monospace"
    return (f'<div class="chainrule-explain"><h4>Forward pass</h4><table style="{style}">'
            "<tr><th>name</th><th>definition</th><th>value</th></tr>" + "".join(rows) +
            f"</table><h4>Backward pass (from {esc(_n(e.loss))} back to the leaves)</h4>"
            f'<table style="{style}"><tr><th>step</th><th>node</th><th>upstream</th>'
            "<th>local derivative</th><th>product (gradient of the input)</th></tr>" +
            "".join(steps) + f"</table><h4>Gradients of the leaves</h4><ul>{grads}</ul></div>")


def _sym(e: Any, name: str) -> str:
    s: Expr | None = e.gradient_exprs.get(name)
    return s.text() if s is not None else ""
