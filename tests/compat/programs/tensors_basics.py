# ruff: noqa: B007, E501, E741, N802, N803, N806, N816  (tutorial code, kept in its style)
"""Beginner tutorial, part 1: tensors (creation, attributes, indexing, joining,
arithmetic, the NumPy bridge).

Random tensors are drawn from NumPy (seeded) so that PyTorch and chainrule print
the same numbers; torch.rand is still called for its shape and range.
"""
import numpy as np
import torch

rng = np.random.default_rng(0)

data = [[1, 2], [3, 4]]
x_data = torch.tensor(data)
print("x_data", x_data.tolist(), x_data.dtype == torch.int64)

np_array = np.array(data)
x_np = torch.from_numpy(np_array)
print("x_np", x_np.tolist())

x_ones = torch.ones_like(x_data)
print("ones_like", x_ones.tolist())
x_rand = torch.rand_like(x_data, dtype=torch.float)
print("rand_like in [0, 1):", bool(((x_rand >= 0) & (x_rand < 1)).all()), x_rand.dtype == torch.float32)

shape = (2, 3,)
rand_tensor = torch.rand(shape)
ones_tensor = torch.ones(shape)
zeros_tensor = torch.zeros(shape)
print("shapes", list(rand_tensor.shape), ones_tensor.sum().item(), zeros_tensor.sum().item())

tensor = torch.from_numpy(rng.random((3, 4)).astype(np.float32))
print(f"Shape of tensor: {list(tensor.shape)}")
print(f"Datatype of tensor: {tensor.dtype}")
print(f"Device tensor is stored on: {tensor.device}")

device = "cuda" if torch.cuda.is_available() else "cpu"
tensor = tensor.to(device)
print("device", device)

tensor = torch.ones(4, 4)
print(f"First row: {tensor[0].tolist()}")
print(f"First column: {tensor[:, 0].tolist()}")
print(f"Last column: {tensor[..., -1].tolist()}")
tensor[:, 1] = 0
print(tensor.tolist())

t1 = torch.cat([tensor, tensor, tensor], dim=1)
print("cat", list(t1.shape), t1.sum().item())
s = torch.stack([tensor, tensor])
print("stack", list(s.shape))

y1 = tensor @ tensor.T
y2 = tensor.matmul(tensor.T)
y3 = torch.rand_like(y1)
torch.matmul(tensor, tensor.T, out=y3)
print("matmul", y1.tolist(), bool(torch.equal(y1, y2)), bool(torch.equal(y1, y3)))

z1 = tensor * tensor
z2 = tensor.mul(tensor)
z3 = torch.rand_like(tensor)
torch.mul(tensor, tensor, out=z3)
print("mul", z1.tolist() == z2.tolist() == z3.tolist())

agg = tensor.sum()
agg_item = agg.item()
print(agg_item, type(agg_item).__name__)

print(f"{tensor.tolist()} \n")
tensor.add_(5)
print(tensor.tolist())

t = torch.ones(5)
print(f"t: {t.tolist()}")
n = t.numpy()
print(f"n: {n.tolist()}")
t.add_(1)
print(f"t: {t.tolist()}")
print(f"n: {n.tolist()}")

n = np.ones(5)
t = torch.from_numpy(n)
np.add(n, 1, out=n)
print(f"t: {t.tolist()}")
print(f"n: {n.tolist()}")

a = torch.from_numpy(rng.normal(size=(3, 5)).astype(np.float32))
print("mean/std/max", f"{a.mean().item():.6f}", f"{a.std().item():.6f}", f"{a.max().item():.6f}")
print("argmax", a.argmax(dim=1).tolist(), "sum(0)", [round(v, 5) for v in a.sum(0).tolist()])
print("view", list(a.view(5, 3).shape), list(a.reshape(-1).shape), list(a.unsqueeze(0).shape))
print("numel", a.numel(), a.nelement(), a.dim(), a.ndim, a.size(1), list(a.size()))
b = a.clone()
b[b < 0] = 0
print("relu by mask", round(b.sum().item(), 5), round(torch.relu(a).sum().item(), 5))
print("where", torch.where(a > 0, a, torch.zeros_like(a)).sum().item() == b.sum().item())
print("float/long", a.long().dtype == torch.int64, a.int().dtype == torch.int32,
      a.double().dtype == torch.float64, x_data.float().dtype == torch.float32)
print("arange/linspace", torch.arange(5).tolist(), torch.arange(0, 1, 0.25).tolist(),
      torch.linspace(0, 1, steps=5).tolist())
print("eye/full", torch.eye(3).tolist(), torch.full((2, 2), 7.0).tolist())
print("transpose", a.t().shape[0], a.transpose(0, 1).shape[1], a.permute(1, 0).shape[0])
print(f"format {a[0, 0]:.3f} {a.sum():+.2f}")
