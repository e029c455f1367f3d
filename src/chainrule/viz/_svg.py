"""A built-in SVG drawing of a graph, for when graphviz's ``dot`` program is not installed.

A simple layered layout: each node sits one layer below its deepest input,
layers are centred, nodes within a layer are ordered by the mean position of
their inputs (one barycentre pass), edges are straight arrows. Clusters are not
drawn (the collapsed module boxes still are). Good enough for the graphs of
small models and formulas; ``dot`` draws larger ones better.
"""
from __future__ import annotations

import html
from typing import Any

_CHAR_W, _LINE_H, _PAD, _GAP_X, _GAP_Y = 6.6, 14, 8, 18, 36


def _size(label: str) -> tuple[float, float]:
    lines = label.split("\n")
    return max(len(line) for line in lines) * _CHAR_W + 2 * _PAD, len(lines) * _LINE_H + _PAD


def render_svg(nodes: dict[str, dict[str, str]], edges: list[tuple[str, str]]) -> str:
    """SVG text for ``nodes`` (id -> attrs with label, fillcolor, style) and ``edges``.

    Example
    -------
    >>> svg = render_svg({"a": {"label": "x"}, "b": {"label": "Exp"}}, [("a", "b")])
    >>> svg.startswith("<svg") and svg.count("<rect") == 2 and "<line" in svg
    True
    """
    ids = list(nodes)
    parents: dict[str, list[str]] = {i: [] for i in ids}
    for s, d in edges:
        if s in parents and d in parents:
            parents[d].append(s)
    layer = _layers(ids, parents)
    rows: dict[int, list[str]] = {}
    for n in ids:
        rows.setdefault(layer[n], []).append(n)
    sizes = {n: _size(nodes[n].get("label", n)) for n in ids}
    pos: dict[str, tuple[float, float]] = {}
    widths = {k: sum(sizes[n][0] for n in row) + _GAP_X * (len(row) - 1)
              for k, row in rows.items()}
    total_w = max(widths.values(), default=0) + 2 * _GAP_X
    y = float(_GAP_X)
    for k in sorted(rows):
        row = rows[k]
        if k > 0:  # order by the mean x of the inputs (fewer crossings)
            row.sort(key=lambda n: sum(pos[p][0] for p in parents[n] if p in pos) /
                     max(sum(1 for p in parents[n] if p in pos), 1))
        x = (total_w - widths[k]) / 2
        for n in row:
            w, h = sizes[n]
            pos[n] = (x + w / 2, y + h / 2)
            x += w + _GAP_X
        y += max(sizes[n][1] for n in row) + _GAP_Y
    height = y - _GAP_Y + _GAP_X
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{total_w:.0f}" '
           f'height="{height:.0f}" font-family="Helvetica, Arial, sans-serif" font-size="11">',
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
           'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/>'
           '</marker></defs>']
    for s, d in edges:
        if s in pos and d in pos:
            (x1, y1), (x2, y2) = pos[s], pos[d]
            out.append(f'<line x1="{x1:.1f}" y1="{y1 + sizes[s][1] / 2:.1f}" x2="{x2:.1f}" '
                       f'y2="{y2 - sizes[d][1] / 2:.1f}" stroke="#555" '
                       'marker-end="url(#arrow)"/>')
    for n in ids:
        (cx, cy), (w, h) = pos[n], sizes[n]
        a = nodes[n]
        dash = ' stroke-dasharray="4,3"' if "dashed" in a.get("style", "") else ""
        out.append(f'<rect x="{cx - w / 2:.1f}" y="{cy - h / 2:.1f}" width="{w:.1f}" '
                   f'height="{h:.1f}" rx="7" fill="{html.escape(a.get("fillcolor", "#fff"))}" '
                   f'stroke="#333"{dash}/>')
        lines = a.get("label", n).split("\n")
        top = cy - (len(lines) - 1) * _LINE_H / 2 + 4
        for i, line in enumerate(lines):
            out.append(f'<text x="{cx:.1f}" y="{top + i * _LINE_H:.1f}" '
                       f'text-anchor="middle">{html.escape(line)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def _layers(ids: list[str], parents: dict[str, list[str]]) -> dict[str, int]:
    """Longest path from a source, by Kahn's topological order (no recursion); then each
    source moves down to just above its first consumer."""
    children: dict[str, list[str]] = {i: [] for i in ids}
    waiting = {i: len(parents[i]) for i in ids}
    for d, ps in parents.items():
        for s in ps:
            children[s].append(d)
    layer = {i: 0 for i in ids}
    ready = [i for i in ids if waiting[i] == 0]
    while ready:
        n = ready.pop()
        for c in children[n]:
            layer[c] = max(layer[c], layer[n] + 1)
            waiting[c] -= 1
            if waiting[c] == 0:
                ready.append(c)
    for i in ids:  # a leaf sits just above its first consumer, not at the very top
        if not parents[i] and children[i]:
            layer[i] = max(min(layer[c] for c in children[i]) - 1, 0)
    return layer


def attach(dot: Any, nodes: dict[str, dict[str, str]], edges: list[tuple[str, str]]) -> None:
    """Keep the drawing's nodes and edges on the Digraph for the built-in renderer."""
    dot._chainrule_graph = (nodes, edges)
