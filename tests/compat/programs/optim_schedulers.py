# ruff: noqa: B007, E501, E741, N802, N803, N806, N816  (tutorial code, kept in its style)
"""Optimizers and learning-rate schedules as tutorials use them: per-parameter
groups, param_groups[0]["lr"] edited by hand (honoured by every optimizer),
zero_grad(set_to_none=...), and the usual schedulers' learning rates epoch by
epoch.

Everything is deterministic: parameters start from fixed values.
"""
import torch
import torch.nn as nn
from torch.optim import lr_scheduler


def quadratic_model():
    model = nn.Linear(3, 1)
    with torch.no_grad():
        model.weight.copy_(torch.tensor([[0.5, -1.0, 2.0]]))
        model.bias.fill_(0.25)
    return model


X = torch.tensor([[1.0, 2.0, 3.0], [0.5, -1.0, 0.0], [2.0, 0.0, -1.0], [0.0, 1.0, 1.0]])
y = torch.tensor([[1.0], [0.0], [2.0], [-1.0]])


def run(make_opt, steps=8, change_lr_at=4, new_lr=None):
    model = quadratic_model()
    opt = make_opt(model.parameters())
    for step in range(steps):
        if step == change_lr_at and new_lr is not None:
            for g in opt.param_groups:
                g["lr"] = new_lr
        opt.zero_grad()
        loss = ((model(X) - y) ** 2).mean()
        loss.backward()
        opt.step()
    return loss.item(), [round(v, 5) for v in model.weight.flatten().tolist()]


optimizers = {
    "SGD": lambda p: torch.optim.SGD(p, lr=0.05),
    "SGD momentum": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True),
    "Adam": lambda p: torch.optim.Adam(p, lr=0.05),
    "AdamW": lambda p: torch.optim.AdamW(p, lr=0.05, weight_decay=0.1),
    "RMSprop": lambda p: torch.optim.RMSprop(p, lr=0.01),
    "Adagrad": lambda p: torch.optim.Adagrad(p, lr=0.1),
    "Adadelta": lambda p: torch.optim.Adadelta(p, lr=1.0),
}
for name, make in optimizers.items():
    base = run(make)
    changed = run(make, new_lr=0.0)
    frozen = run(make, change_lr_at=0, new_lr=0.0)
    print(f"{name:13s} loss {base[0]:.6f} w {base[1]} | lr=0 after 4 steps {changed[0]:.6f}"
          f" | lr=0 from the start keeps w: {frozen[1] == [0.5, -1.0, 2.0]}")

# parameter groups with their own options
model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
opt = torch.optim.SGD([
    {"params": model[0].parameters()},
    {"params": model[2].parameters(), "lr": 1e-3},
], lr=1e-2, momentum=0.9)
print([g["lr"] for g in opt.param_groups], [g["momentum"] for g in opt.param_groups],
      [len(g["params"]) for g in opt.param_groups])

# zero_grad: None by default, zeros when asked
model = quadratic_model()
opt = torch.optim.SGD(model.parameters(), lr=0.1)
((model(X) - y) ** 2).mean().backward()
opt.zero_grad(set_to_none=False)
print("zeros kept:", model.weight.grad is not None, model.weight.grad.abs().sum().item())
opt.zero_grad()
print("set to None:", model.weight.grad is None)
((model(X) - y) ** 2).mean().backward()
model.zero_grad()
print("module zero_grad:", model.weight.grad is None)


def lrs(make_sched, epochs=10, lr=0.1, metric=None):
    model = quadratic_model()
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    sched = make_sched(opt)
    out = []
    for epoch in range(epochs):
        opt.step()
        if metric is None:
            sched.step()
        else:
            sched.step(metric[epoch])
        out.append(round(opt.param_groups[0]["lr"], 8))
    return out


print("StepLR", lrs(lambda o: lr_scheduler.StepLR(o, step_size=3, gamma=0.5)))
print("MultiStepLR", lrs(lambda o: lr_scheduler.MultiStepLR(o, milestones=[2, 5], gamma=0.1)))
print("ExponentialLR", lrs(lambda o: lr_scheduler.ExponentialLR(o, gamma=0.9)))
print("CosineAnnealingLR", lrs(lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=10)))
print("LambdaLR", lrs(lambda o: lr_scheduler.LambdaLR(o, lr_lambda=lambda epoch: 0.95 ** epoch)))
print("LinearLR", lrs(lambda o: lr_scheduler.LinearLR(o, start_factor=0.25, total_iters=4)))
print("OneCycleLR", lrs(lambda o: lr_scheduler.OneCycleLR(o, max_lr=1.0, total_steps=10)))
print("ReduceLROnPlateau", lrs(lambda o: lr_scheduler.ReduceLROnPlateau(o, patience=1),
                               metric=[1.0, 0.9, 0.9, 0.9, 0.9, 0.8, 0.8, 0.8, 0.8, 0.8]))
print("SequentialLR", lrs(lambda o: lr_scheduler.SequentialLR(o, schedulers=[
    lr_scheduler.LinearLR(o, start_factor=0.1, total_iters=3),
    lr_scheduler.ExponentialLR(o, gamma=0.8)], milestones=[3])))

opt = torch.optim.SGD(quadratic_model().parameters(), lr=0.1)
sched = lr_scheduler.StepLR(opt, step_size=2, gamma=0.1)
for _ in range(3):
    opt.step()
    sched.step()
print("get_last_lr", [round(v, 8) for v in sched.get_last_lr()], sched.last_epoch,
      sorted(k for k in sched.state_dict() if not k.startswith("_")))
