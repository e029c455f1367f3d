"""One weight's gradient, narrated: ``chainrule.explain`` on the current batch, then the sum.

The derivation is the library's own: the loss of the last training batch is
rebuilt under graph recording, :func:`chainrule.explain` walks it back, and the
page gets the steps from the loss down to the layer that owns the weight,
followed by that one entry's chain-rule sum with its numbers, checked against
``loss.backward()``.
"""
from __future__ import annotations

import re
from typing import Any

import numpy as np

from .snapshot import finite, finite_list

__all__ = ["narrate", "parse_param"]

_PARAM = re.compile(r"^(hidden\d+|output)\.(weight|bias)\[(\d+)(?:,(\d+))?\]$")
_STEP = re.compile(r"^ {0,2}\d+\. ")
_TERMS = 4  # products written out before "…"


def parse_param(text: Any, shapes: dict[str, tuple[int, ...]]) -> tuple[str, tuple[int, ...]]:
    """``'hidden0.weight[3,1]'`` -> ``('hidden0.weight', (3, 1))``, checked against ``shapes``.

    Example
    -------
    >>> parse_param("output.bias[0]", {"output.bias": (1,)})
    ('output.bias', (0,))
    """
    m = _PARAM.match(str(text).replace(" ", "")) if isinstance(text, str) else None
    if m is None:
        raise ValueError(f"param: expected a weight such as hidden0.weight[3,1] or "
                         f"output.bias[0], got {str(text)!r:.60}")
    name = f"{m.group(1)}.{m.group(2)}"
    index = tuple(int(g) for g in m.groups()[2:] if g is not None)
    shape = shapes.get(name)
    if shape is None or len(index) != len(shape) or any(i >= n for i, n in zip(index, shape)):
        raise ValueError(f"param: expected an entry of a parameter among "
                         f"{ {k: v for k, v in shapes.items()} }, got {name}{list(index)}")
    return name, index


def _fmt(v: float) -> str:
    return "0" if v == 0 else f"{v:.4g}"


def _steps(text: str) -> list[list[str]]:
    """The backward-pass section of an explanation's text, one list of lines per step."""
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("Backward pass"))
    steps: list[list[str]] = []
    for ln in lines[start + 1:]:
        if not ln.strip():
            break
        if _STEP.match(ln):
            steps.append([ln])
        elif steps:
            steps[-1].append(ln)
    return steps


def narrate(session: Any, param: Any) -> dict[str, Any]:
    """The derivation of ∂L/∂param on the session's last batch, and its history per epoch."""
    from ..lint import is_lint_enabled, set_lint
    model = session.model
    named = dict(model.named_parameters())
    name, index = parse_param(param, {k: tuple(p.shape) for k, p in named.items()})
    idx = session.last_batch
    model.eval()  # dropout off: the narration is deterministic
    linting = is_lint_enabled()
    set_lint(False)  # an eval-mode forward with gradients is what we mean here
    try:
        e = _explain_batch(session, model, idx, named)
    finally:
        set_lint(linting)
    return _narrate(session, e, named, name, index, idx)


def _explain_batch(session: Any, model: Any, idx: np.ndarray, named: dict[str, Any]) -> Any:
    """chainrule.explain of the loss on batch ``idx``, each layer's output named (x, z0, h0...)."""
    from ..autograd.graph import record
    from ..explain import explain
    from ..tensor import _make
    with record():
        h = _make(session.x_train[idx])
        h.name = "x"
        for part, module in model.named_children():  # name each output as a textbook would
            h = module(h)
            if part[-1].isdigit() and not part.startswith("dropout"):
                h.name = ("z" if part.startswith("hidden") else "h") + part[-1]
        h.name = "out"
        y = session.target(session.y_train[idx])
        y.name = "y"
        loss = session.loss_fn(h, y)
    return explain(loss, named)


def _narrate(session: Any, e: Any, named: dict[str, Any], name: str, index: tuple[int, ...],
             idx: np.ndarray) -> dict[str, Any]:
    k = next(i for i, s in enumerate(e.steps) if any(ed.input == name for ed in s.edges))
    layer = e.steps[k]
    full = str(e)
    chain = [s.name for s in e.steps[:k + 1]]
    label = f"{name}[{','.join(map(str, index))}]"
    head = (f"∂L/∂{label} = " + " · ".join(f"∂{a}/∂{b}" for a, b in
                                           zip(["L", *chain[1:]], chain[1:] + [label]))
            if len(chain) > 1 else f"∂L/∂{label}")
    out = [f"∂L/∂{label} on the last batch of {len(idx)} samples, by the chain rule",
           "(chainrule.explain: from the loss back to the layer of this weight)", "", head, ""]
    for lines in _steps(full)[:k + 1]:
        out += lines
    g = np.asarray(layer.upstream_value, np.float64)  # ∂L/∂(this layer's output), (N, out)
    row = index[0]
    if name.endswith(".weight"):
        if k + 1 < len(e.steps):  # the layer's input is the output of the step below it
            x_name, x = e.steps[k + 1].name, np.asarray(e.steps[k + 1].value, np.float64)
        else:  # the first layer reads the batch itself
            x = np.asarray(session.x_train[idx], np.float64)
            x_name = next((f.name for f in e.forward if f.kind == "constant" and
                           f.value is not None and f.value.shape == x.shape), "x")
        col = index[1]
        terms = g[:, row] * x[:, col]
        formula = f"Σₙ ∂L/∂{layer.name}[n,{row}] · {x_name}[n,{col}]"
        written = [f"({_fmt(a)})({_fmt(b)})" for a, b in zip(g[:, row], x[:, col])]
    else:
        terms = g[:, row]
        formula = f"Σₙ ∂L/∂{layer.name}[n,{row}]"
        written = [f"({_fmt(a)})" for a in g[:, row]]
    more = f" + … ({len(terms)} terms)" if len(terms) > _TERMS else ""
    value = float(terms.sum())
    grad = float(np.asarray(e.gradients[name])[index])
    out += ["", f"This entry: ∂L/∂{label} = {formula}",
            f"  = {' + '.join(written[:_TERMS])}{more}", f"  = {_fmt(value)}",
            f"  (explain's ∂L/∂{name}{list(index)} = {_fmt(grad)}, as loss.backward() gives)"]
    s = session.settings
    if s["l2"] > 0:
        w = float(named[name]._data[index])
        out.append(f"  the optimizer then adds L2 · w = {s['l2']:g} · {_fmt(w)} = "
                   f"{_fmt(s['l2'] * w)} (weight_decay)")
    if s["dropout"] > 0:
        out.append("  (dropout is off for this narration: the model in eval mode)")
    flat = list(named)
    offset = sum(named[n]._data.size for n in flat[:flat.index(name)])
    offset += int(np.ravel_multi_index(index, named[name].shape))
    return {"param": label, "value": finite(float(named[name]._data[index])),
            "grad": finite(grad), "text": "\n".join(out), "full": full,
            "history": {"epoch": [t[0] for t in session.trace],
                        "value": finite_list([t[1][offset] for t in session.trace], 8),
                        "grad": finite_list([t[2][offset] for t in session.trace], 10)}}
