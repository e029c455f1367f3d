"""Momentum, adaptive learning rates and schedules, on 2-D loss surfaces.

Runs GD, momentum, Nesterov, Adagrad, RMSprop and Adam (the real
``chainrule.optim`` classes) from the same start on a convex bowl, the
Rosenbrock valley and a surface with several local minima, and prints where each
ends; then prints a few learning-rate schedules. ``--save DIR`` writes the paths
and the schedules.
"""
from _common import parse_args, save

from chainrule.viz.optimizers import STEPS
from chainrule.viz.schedules import _schedules, lr_sequence
from chainrule.viz.surfaces import SURFACES, evaluate, optimizer_paths

args = parse_args(__doc__)
for name, surface in SURFACES.items():
    print(f"{surface.title} from {surface.start}, {STEPS[name]} steps:")
    for opt, path in optimizer_paths(name, steps=STEPS[name]).items():
        end = path[-1]
        f = evaluate(surface, end[:1], end[1:])[0]
        print(f"  {opt:<9} ends at ({end[0]:7.3f}, {end[1]:7.3f})  f = {f:.4g}")
print("Momentum rolls through the shallow well that traps the others on the third surface;")
print("Adam reaches the Rosenbrock minimum (1, 1) where plain GD is still crawling.")
table = _schedules(100)
for name in ("StepLR(step_size, γ=0.5)", "CosineAnnealingLR(T_max)", "OneCycleLR(max_lr)"):
    lrs = lr_sequence(table[name], 100)
    print(f"{name:<28} lr at steps 0, 25, 50, 75, 99: "
          f"{', '.join(f'{lrs[i]:.4f}' for i in (0, 25, 50, 75, 99))}")
if args.save:
    from chainrule.viz import plot_lr_schedules, plot_optimizer_paths
    save(plot_optimizer_paths(), args.save, "optimizer_paths")
    save(plot_lr_schedules(), args.save, "lr_schedules")
