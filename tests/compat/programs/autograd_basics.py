# ruff: noqa: B007, E501, E741, N802, N803, N806, N816  (tutorial code, kept in its style)
"""Beginner tutorial, part 2: automatic differentiation with torch.autograd.

w and b come from a seeded NumPy generator, so both libraries print the same
gradients.
"""
import numpy as np
import torch
import torch.nn.functional as F

rng = np.random.default_rng(1)

x = torch.ones(5)  # input tensor
y = torch.zeros(3)  # expected output
w = torch.tensor(rng.normal(size=(5, 3)).astype(np.float32), requires_grad=True)
b = torch.tensor(rng.normal(size=3).astype(np.float32), requires_grad=True)
z = torch.matmul(x, w) + b
loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)
print("loss", loss.item())
print("has grad_fn", z.grad_fn is not None, loss.grad_fn is not None)

loss.backward()
print("w.grad", w.grad.tolist())
print("b.grad", b.grad.tolist())

z = torch.matmul(x, w) + b
print(z.requires_grad)
with torch.no_grad():
    z = torch.matmul(x, w) + b
print(z.requires_grad)

z = torch.matmul(x, w) + b
z_det = z.detach()
print(z_det.requires_grad)

inp = torch.eye(4, 5, requires_grad=True)
out = (inp + 1).pow(2).t()
out.backward(torch.ones_like(out), retain_graph=True)
print(f"First call\n{inp.grad.tolist()}")
out.backward(torch.ones_like(out), retain_graph=True)
print(f"\nSecond call\n{inp.grad.tolist()}")
inp.grad.zero_()
out.backward(torch.ones_like(out), retain_graph=True)
print(f"\nCall after zeroing gradients\n{inp.grad.tolist()}")

# a small chain, the gradients checked against the calculus
a = torch.tensor([2.0, 3.0], requires_grad=True)
c = torch.tensor([6.0, 4.0], requires_grad=True)
Q = 3 * a**3 - c**2
external_grad = torch.tensor([1.0, 1.0])
Q.backward(gradient=external_grad)
print(9 * a**2 == a.grad, -2 * c == c.grad)
print((9 * a**2 == a.grad).tolist(), (-2 * c == c.grad).tolist())

# the same through nn.functional and a module
t = torch.tensor(rng.normal(size=(4, 3)).astype(np.float32), requires_grad=True)
target = torch.tensor([0, 2, 1, 2])
ce = F.cross_entropy(t, target)
ce.backward()
print("cross_entropy", round(ce.item(), 6), [[round(v, 6) for v in row] for row in t.grad.tolist()])

# requires_grad_ and freezing
frozen = torch.ones(3)
print(frozen.requires_grad, frozen.requires_grad_().requires_grad)

# torch.autograd.grad and a second backward through retain_graph
u = torch.tensor(1.5, requires_grad=True)
v = u ** 3 + 2 * u
(g,) = torch.autograd.grad(v, u)
print("dv/du", g.item())


@torch.no_grad()
def double(t):
    return t * 2


print("decorated no_grad", double(u).requires_grad)
with torch.enable_grad():
    print("enable_grad", (u * 2).requires_grad, torch.is_grad_enabled())
