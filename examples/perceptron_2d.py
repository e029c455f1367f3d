"""The perceptron in 2-D: one weighted sum and a sigmoid draw one straight decision boundary.

Trains ``chainrule.nn.Perceptron`` on linearly separable points and prints the
learned line w1·x1 + w2·x2 + b = 0. ``--save DIR`` writes the decision boundary.
"""
import numpy as np
from _common import parse_args, save

import chainrule as cr
from chainrule.data import linear

args = parse_args(__doc__)
X, y = linear(200, noise=0.1, seed=0)
cr.manual_seed(0)
model = cr.nn.Perceptron(2)  # Linear(2, 1) then sigmoid
opt = cr.optim.SGD(model.parameters(), lr=0.5)
loss_fn = cr.nn.BCELoss()
x, t = cr.tensor(X), cr.tensor(y.reshape(-1, 1), dtype="float32")
for epoch in range(201):
    opt.zero_grad()
    loss = loss_fn(model(x), t)
    loss.backward()
    opt.step()
    if epoch % 50 == 0:
        print(f"epoch {epoch:3d}  BCE loss {loss.item():.4f}")
with cr.no_grad():
    accuracy = float(((model(x).detach().numpy()[:, 0] > 0.5) == y).mean())
(w1, w2), b = model.linear.weight.detach().numpy()[0], model.linear.bias.detach().numpy()[0]
print(f"decision boundary: {w1:.3f}·x1 {w2:+.3f}·x2 {b:+.3f} = 0 (p = 0.5 on this line)")
print(f"training accuracy: {accuracy:.1%}")
assert accuracy > 0.95 and np.isfinite(loss.item())
if args.save:
    from chainrule.viz import plot_decision_boundary
    save(plot_decision_boundary(model, X, y, title="Perceptron in 2-D"), args.save, "perceptron")
