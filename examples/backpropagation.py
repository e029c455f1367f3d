"""Backpropagation's worked example: L = (θ1·θ2·x − y)², the chain rule step by step.

Prints the forward values and every backward step (local derivative, upstream
gradient, their product) as ``chainrule.explain`` narrates them, checks them
against ``loss.backward()``, and then narrates one step of a small MLP in matrix
form. ``--save DIR`` writes the graph (DOT text; PNG too when graphviz's ``dot``
is installed) and the narration as Markdown.
"""
from pathlib import Path

import numpy as np
from _common import parse_args

import chainrule as cr
from chainrule.autograd.graph import record
from chainrule.explain import course_example

args = parse_args(__doc__)
t = course_example(theta1=2.0, theta2=-3.0, x=0.5, y=1.0)
explanation = cr.explain(t["L"])
print(explanation)
t["L"].backward(retain_graph=True)
for name in ("theta1", "theta2"):
    assert np.isclose(explanation.gradients[name], t[name].grad.item())
print("\nThe narrated gradients equal loss.backward()'s:",
      {n: t[n].grad.item() for n in ("theta1", "theta2")})

cr.manual_seed(0)
model = cr.nn.Sequential(cr.nn.Linear(2, 3), cr.nn.Sigmoid(), cr.nn.Linear(3, 1))
x = cr.tensor([[0.0, 1.0], [1.0, 0.0]], name="x")
y = cr.tensor([[1.0], [0.0]], name="y")
with record():
    loss = cr.nn.functional.mse_loss(model(x), y)
print("\nA 2-3-1 network, matrix form:\n")
print(cr.explain(loss, params=dict(model.named_parameters())))
if args.save:
    from chainrule.viz import draw_graph, has_dot
    out = Path(args.save)
    out.mkdir(parents=True, exist_ok=True)
    dot = draw_graph(t["L"])
    (out / "backprop_graph.dot").write_text(dot.source, encoding="utf-8")
    if has_dot():
        (out / "backprop_graph.png").write_bytes(dot.pipe(format="png"))
    (out / "backprop.md").write_text(explanation.to_markdown(), encoding="utf-8")
    print(f"saved {out}/backprop_graph.dot, backprop.md" + (", backprop_graph.png"
                                                           if has_dot() else ""))
