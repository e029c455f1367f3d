# ruff: noqa: E501  (tutorial code, kept in its style)
"""Masks, running extremes and scatter-style aggregation as PyTorch code writes them: boolean
masks combined with & | ^ ~, a per-node mean over the edges of a small graph (scatter_reduce,
index_add), bigram counts with index_put_, the best loss so far with cummin, mode and
nanmedian, embedding rows capped with renorm, and the gradients that flow back through them.

Random tensors are drawn from NumPy (seeded) so that PyTorch and chainrule print the same
numbers.
"""
import numpy as np
import torch

rng = np.random.default_rng(0)

x = torch.from_numpy(rng.standard_normal((6, 3)).astype(np.float32))
mask = (x > 0) & (x < 1)
print("in (0, 1):", mask.sum().item(), mask.tolist())
print("outside:", (~mask).sum().item(), ((x <= -1) | (x >= 1)).sum().item(), (mask ^ (x > 0)).sum().item())
print("selected", x[mask].tolist())
keep = torch.ones(6, dtype=torch.bool)
keep &= x[:, 0] > -1
keep |= x[:, 2] > 1
print("rows kept", keep.tolist())

# message passing on a small graph: each node averages its neighbours' features
src = torch.tensor([0, 1, 2, 3, 4, 5, 0, 2])
dst = torch.tensor([1, 0, 0, 4, 3, 3, 2, 5])
h = torch.from_numpy(rng.standard_normal((6, 3)).astype(np.float32)).requires_grad_()
msg = h[src]
index = dst.unsqueeze(1).expand(-1, 3)
agg = torch.zeros(6, 3).scatter_reduce(0, index, msg, reduce="mean", include_self=False)
print("mean of neighbours", agg.tolist())
summed = torch.zeros(6, 3).index_add(0, dst, msg)
deg = torch.zeros(6).index_add_(0, dst, torch.ones(len(dst)))
print("degrees", deg.tolist(), "sums", summed.tolist())
strongest = torch.zeros(6, 3).scatter_reduce(0, index, msg, "amax", include_self=False)
(agg.sum() + (strongest * strongest).sum() + (summed / deg[:, None]).sum()).backward()
print("grad h", h.grad.tolist())

# bigram counts of a few names
words = ["emma", "olivia", "ava", "isabella", "sophia"]
chars = sorted(set("".join(words)))
stoi = {c: i + 1 for i, c in enumerate(chars)}
stoi["."] = 0
N = torch.zeros((len(stoi), len(stoi)), dtype=torch.int32)
for w in words:
    cs = ["."] + list(w) + ["."]
    a = torch.tensor([stoi[c] for c in cs[:-1]])
    b = torch.tensor([stoi[c] for c in cs[1:]])
    N.index_put_((a, b), torch.ones(len(a), dtype=torch.int32), accumulate=True)
print("bigram counts", N.sum().item(), N[0].tolist(), N.max().item())

# the best (lowest) loss so far and its epoch; the most common class; a median ignoring NaN
losses = torch.tensor([2.3, 1.9, 2.0, 1.4, 1.5, 1.4, 0.9])
best, at = torch.cummin(losses, dim=0)
print("best so far", best.tolist(), at.tolist())
preds = torch.tensor([[2, 0, 2, 1, 0], [1, 1, 3, 3, 3]])
values, idx = preds.mode(dim=1)
print("mode", values.tolist(), idx.tolist())
scores = torch.tensor([[0.5, float("nan"), 0.1, 0.9], [float("nan"), 0.3, 0.7, 0.2]])
med = scores.nanmedian(dim=1)
print("nanmedian", scores.nanmedian().item(), med.values.tolist(), med.indices.tolist())

# embedding rows capped at norm 1 (what nn.Embedding(max_norm=1) does), and their gradient
table = rng.standard_normal((5, 4)).astype(np.float32)
table[4] *= 0.1  # a short row, left as it is
emb = torch.from_numpy(table).requires_grad_()
capped = emb.renorm(2, 0, 1.0)
print("row norms", capped.norm(dim=1).tolist())
loss = (capped[torch.tensor([0, 2, 2, 4])] * torch.tensor([1.0, -2.0, 0.5, 3.0])).sum()
loss.backward()
print("grad emb", emb.grad.tolist())

# writing into parts of a tensor, out of place and in place
y = torch.zeros(3, 4)
y = y.diagonal_scatter(torch.ones(3))
y = torch.select_scatter(y, torch.full((4,), 2.0), 0, 2)
y = torch.slice_scatter(y, torch.full((3, 2), 3.0), dim=1, start=2)
y.masked_scatter_(y == 0, torch.arange(12.0))
y.index_fill_(1, torch.tensor([0]), -1.0)
print("written", y.tolist())
print("diag_embed", torch.diag_embed(torch.tensor([[1.0, 2.0], [3.0, 4.0]])).tolist())
m, e = torch.frexp(torch.tensor([8.0, 0.75, -3.0]))
print("frexp", m.tolist(), e.tolist())
print("bits", (torch.tensor([12, 10]) & 6).tolist(), (torch.tensor([12, 10]) | 1).tolist(),
      (~torch.tensor([0, 5])).tolist(), (torch.tensor([1, 2]) << 3).tolist())
