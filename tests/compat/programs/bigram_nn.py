# ruff: noqa: B007, E501, E741, N802, N803, N806, N816  (tutorial code, kept in its style)
"""Character-level names, step 2: the bigram model as a one-layer network trained
by gradient descent (one-hot inputs, softmax by hand, W.data updated in place).

W is drawn from a seeded NumPy generator (the libraries' random streams differ);
torch.randn with a torch.Generator is still called for its shape.
"""
import os

import numpy as np
import torch
import torch.nn.functional as F

words = open(os.path.join(os.path.dirname(__file__), "names.txt")).read().splitlines()
chars = sorted(list(set(''.join(words))))
stoi = {s: i + 1 for i, s in enumerate(chars)}
stoi['.'] = 0

xs, ys = [], []
for w in words:
    chs = ['.'] + list(w) + ['.']
    for ch1, ch2 in zip(chs, chs[1:]):
        xs.append(stoi[ch1])
        ys.append(stoi[ch2])
xs = torch.tensor(xs)
ys = torch.tensor(ys)
num = xs.nelement()
print('number of examples: ', num)

g = torch.Generator().manual_seed(2147483647)
W = torch.randn((27, 27), generator=g, requires_grad=True)
print(list(W.shape), W.requires_grad)
rng = np.random.default_rng(2147483647)
W = torch.tensor(rng.standard_normal((27, 27)).astype(np.float32), requires_grad=True)

xenc = F.one_hot(xs, num_classes=27).float()
print(list(xenc.shape), xenc.dtype == torch.float32, xenc.sum().item())

for k in range(60):
    # forward pass
    xenc = F.one_hot(xs, num_classes=27).float()
    logits = xenc @ W
    counts = logits.exp()
    probs = counts / counts.sum(1, keepdims=True)
    loss = -probs[torch.arange(num), ys].log().mean() + 0.01 * (W**2).mean()
    if k % 10 == 0:
        print(k, f"{loss.item():.6f}")
    # backward pass
    W.grad = None
    loss.backward()
    # update
    W.data += -50 * W.grad
print("final", f"{loss.item():.6f}")

# the same loss through F.cross_entropy
logits = F.one_hot(xs, num_classes=27).float() @ W
print("cross_entropy", f"{F.cross_entropy(logits, ys).item():.6f}",
      f"{-F.log_softmax(logits, dim=1)[torch.arange(num), ys].mean().item():.6f}")
print("row sums", round(F.softmax(logits, dim=1).sum(1).mean().item(), 5))
