"""Softmax turns scores (logits) into probabilities; sigmoid is its two-class case.

Prints probabilities for a few logits, the effect of scaling the logits (a
temperature), and checks softmax([z, 0])[0] = sigmoid(z) and that each row sums
to 1. ``--save DIR`` writes probabilities against one logit.
"""
import numpy as np
from _common import parse_args, save

import chainrule as cr

args = parse_args(__doc__)
z = cr.tensor([[2.0, 1.0, 0.5], [5.0, 5.0, 5.0], [-1.0, 0.0, 3.0]])
p = cr.softmax(z, dim=1)
for row, probs in zip(z.tolist(), p.tolist()):
    print(f"logits {row} -> probabilities {[round(v, 3) for v in probs]} (sum {sum(probs):.3f})")
for temperature in (0.5, 1.0, 5.0):
    q = cr.softmax(z[0] / temperature, dim=0).tolist()
    print(f"temperature {temperature:<3}: {[round(v, 3) for v in q]}")
logit = cr.linspace(-6, 6, 13)
two = cr.softmax(cr.stack([logit, cr.zeros(13)], dim=1), dim=1)[:, 0]
assert np.allclose(two.detach().numpy(), cr.sigmoid(logit).detach().numpy(), atol=1e-6)
print("softmax([z, 0])[0] equals sigmoid(z) for every z: two classes need one logit")
x = cr.tensor([1.0, 2.0, 3.0], requires_grad=True)
cr.softmax(x, dim=0)[2].backward()
s = cr.softmax(x, dim=0).detach().numpy()
print(f"∂p3/∂z = {[round(float(v), 4) for v in x.grad.numpy()]} = p3·(1[i=3] − p_i) = "
      f"{[round(float(v), 4) for v in s[2] * (np.eye(3)[2] - s)]}")
if args.save:
    from chainrule.viz._mpl import COLORS, figure
    fig = figure(6, 4)
    ax = fig.add_subplot()
    grid = np.linspace(-4, 6, 200)
    logits = np.stack([grid, np.ones_like(grid), np.zeros_like(grid)], axis=1)
    probs = cr.softmax(cr.tensor(logits), dim=1).detach().numpy()
    for k in range(3):
        ax.plot(grid, probs[:, k], color=COLORS[k], label=f"p{k + 1} (logits [z, 1, 0])")
    ax.set_xlabel("z (the first logit)")
    ax.set_ylabel("probability")
    ax.legend()
    ax.set_title("Softmax: raising one logit takes probability from the others")
    save(fig, args.save, "softmax")
