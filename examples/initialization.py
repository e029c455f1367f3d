"""Initialisation and local minima: where gradient descent ends depends on where it starts.

Runs plain GD from a 4x4 grid of starting points on a surface with four local
minima and counts which minimum each start reaches; then shows why a network's
weights must not all start equal (symmetric units stay identical). ``--save DIR``
writes the paths.
"""
import numpy as np
from _common import parse_args, save

import chainrule as cr
from chainrule.viz.surfaces import SURFACES, evaluate, make_optimizer, run_path, starts_grid

args = parse_args(__doc__)
s = SURFACES["wells"]
reached: dict[int, int] = {}
for start in starts_grid(s, 4):
    end = run_path(s, lambda ps: make_optimizer("GD", ps, "wells"), start, 200)[-1]
    k = int(np.argmin([np.hypot(*(end - np.asarray(m))) for m in s.minima]))
    reached[k] = reached.get(k, 0) + 1
for k, count in sorted(reached.items()):
    m = s.minima[k]
    f = evaluate(s, np.array([m[0]]), np.array([m[1]]))[0]
    print(f"{count:2d} of 16 starts end in the minimum at ({m[0]:6.2f}, {m[1]:6.2f}), f = {f:.3f}")
print("Only the starts in the deepest basin find the global minimum.")

# symmetric initialisation: two hidden units with equal weights get equal gradients forever
x = cr.tensor([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
y = cr.tensor([[1.0], [1.0], [0.0]])
for name, init in (("all weights 0.5", lambda w: w.fill_(0.5)),
                   ("random (Kaiming)", lambda w: cr.nn.init.kaiming_uniform_(w))):
    cr.manual_seed(0)
    model = cr.nn.Sequential(cr.nn.Linear(2, 2), cr.nn.Tanh(), cr.nn.Linear(2, 1))
    with cr.no_grad():
        for layer in (model[0], model[2]):
            init(layer.weight)
            layer.bias.fill_(0.0)
    opt = cr.optim.SGD(model.parameters(), lr=0.5)
    for _ in range(200):
        opt.zero_grad()
        cr.nn.functional.mse_loss(model(x), y).backward()
        opt.step()
    w = model[0].weight.detach().numpy().astype(float)
    print(f"{name:<17}: hidden weights {np.round(w, 3).tolist()} -> units "
          f"{'identical' if np.allclose(w[0], w[1]) else 'different'}")
if args.save:
    from chainrule.viz import plot_initialization
    save(plot_initialization(), args.save, "initialization")
