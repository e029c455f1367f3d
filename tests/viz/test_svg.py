"""The built-in SVG layout (used when graphviz's dot is missing)."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from chainrule.viz._svg import _layers, render_svg


def test_layers_follow_the_longest_path_and_leaves_sit_above_their_consumer():
    parents = {"x": [], "w": [], "a": ["x", "w"], "b": ["a"], "c": ["b", "k"], "k": []}
    assert _layers(list(parents), parents) == {"x": 0, "w": 0, "a": 1, "b": 2, "k": 2, "c": 3}


def test_svg_is_valid_xml_with_a_box_per_node_and_an_arrow_per_edge():
    nodes = {"x": {"label": "x\n(2,)", "style": "rounded,dashed"}, "w": {"label": "w <1>"},
             "m": {"label": "Mul", "fillcolor": "#dbe9f6"}}
    svg = render_svg(nodes, [("x", "m"), ("w", "m"), ("m", "nowhere")])
    root = ET.fromstring(svg)  # escaped labels: parses as XML
    ns = "{http://www.w3.org/2000/svg}"
    assert len(root.findall(f"{ns}rect")) == 3 and len(root.findall(f"{ns}line")) == 2
    texts = [t.text for t in root.findall(f"{ns}text")]
    assert texts == ["x", "(2,)", "w <1>", "Mul"]
    assert 'stroke-dasharray' in svg and "#dbe9f6" in svg
    ys = {t.text: float(t.get("y")) for t in root.findall(f"{ns}text")}
    assert ys["Mul"] > ys["w <1>"]  # consumers below their inputs
    assert int(re.search(r'width="(\d+)"', svg).group(1)) > 50
