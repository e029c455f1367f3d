"""Activation functions and their derivatives, the derivatives computed by autograd.

Prints each function and its derivative at a few points (the course's seven:
ReLU, Sigmoid, Leaky ReLU, Tanh, Softmax, Linear, GELU; then ELU, SiLU, Softplus).
``--save DIR`` writes the panel of curves.
"""
import numpy as np
from _common import parse_args, save

from chainrule.viz.activations import ACTIVATIONS, activation_curves

args = parse_args(__doc__)
points = [-2.0, -0.5, 0.0, 0.5, 2.0]
print(f"{'activation':<26}" + "".join(f"{f'x={p:g}':>16}" for p in points))
for name, (_, label) in ACTIVATIONS.items():
    x, y, dy = activation_curves(name, (-2.0, 2.0), num=9)  # x = -2, -1.5, ..., 2
    idx = [int(np.argmin(abs(x - p))) for p in points]
    print(f"{label:<26}" + "".join(f"{f'{y[i]:.3f} / {dy[i]:.3f}':>16}" for i in idx))
print("(each cell: f(x) / f'(x); f' from y.sum().backward())")
# the vanishing gradient: sigmoid's slope is at most 1/4, ReLU's is 1 for x > 0
_, _, ds = activation_curves("sigmoid", (-10, 10), num=201)
print(f"max sigmoid'(x) = {ds.max():.3f}; after 10 sigmoid layers at most {ds.max() ** 10:.2e}")
if args.save:
    from chainrule.viz import plot_activations
    save(plot_activations(), args.save, "activations")
