"""Gradient descent and the learning rate, against linear regression's closed form.

Fits y = w·x + b by the normal equation (``chainrule.linear_model.LinearRegression``)
and by gradient descent (``chainrule.optim.SGD``) with a learning rate that is too
small, about right, and too large (above 2/λ_max of the loss's Hessian, it diverges).
``--save DIR`` writes the paths on the loss contours.
"""
import numpy as np
from _common import parse_args, save

from chainrule.linear_model import LinearRegression
from chainrule.viz.closed_form import gd_path, regression_data

args = parse_args(__doc__)
X, y = regression_data(50, seed=0)
ols = LinearRegression().fit(X, y)
w_star, b_star = float(ols.coef_[0]), float(ols.intercept_)
best = float(np.mean((X[:, 0] * w_star + b_star - y) ** 2))
print(f"normal equation: w = {w_star:.4f}, b = {b_star:.4f}, MSE = {best:.4f}")
x = X[:, 0]
hessian = 2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
limit = 2 / np.linalg.eigvalsh(hessian).max()
print(f"largest stable learning rate 2/λ_max = {limit:.4f}")
for label, lr in (("too small", 0.05 * limit), ("about right", 0.7 * limit),
                  ("too large", 1.05 * limit)):
    path, losses = gd_path(X, y, lr, steps=150)
    w, b = path[-1]
    status = "diverged" if losses[-1] > 1e3 else f"w = {w:.4f}, b = {b:.4f}"
    print(f"lr {lr:.4f} ({label:<11}): after {len(losses) - 1:3d} steps MSE {losses[-1]:.4g}, "
          f"{status}")
if args.save:
    from chainrule.viz import plot_closed_form_vs_gd
    save(plot_closed_form_vs_gd(X, y), args.save, "closed_form_vs_gd")
