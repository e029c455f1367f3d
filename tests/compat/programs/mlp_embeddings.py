# ruff: noqa: B007, E501, E741, N802, N803, N806, N816  (tutorial code, kept in its style)
"""Character-level names, step 3: an MLP over character embeddings C[X]
(Bengio et al. 2003), trained with F.cross_entropy on minibatches.

Python's random module shuffles the words (the same in both libraries); weights
and minibatch indices come from a seeded NumPy generator because torch.randn /
torch.randint streams differ between PyTorch and chainrule (both are still
called, for their shapes).
"""
import os
import random

import numpy as np
import torch
import torch.nn.functional as F

words = open(os.path.join(os.path.dirname(__file__), "names.txt")).read().splitlines()
chars = sorted(list(set(''.join(words))))
stoi = {s: i + 1 for i, s in enumerate(chars)}
stoi['.'] = 0
itos = {i: s for s, i in stoi.items()}

block_size = 3


def build_dataset(words):
    X, Y = [], []
    for w in words:
        context = [0] * block_size
        for ch in w + '.':
            ix = stoi[ch]
            X.append(context)
            Y.append(ix)
            context = context[1:] + [ix]
    X = torch.tensor(X)
    Y = torch.tensor(Y)
    print(list(X.shape), list(Y.shape))
    return X, Y


random.seed(42)
random.shuffle(words)
n1 = int(0.8 * len(words))
n2 = int(0.9 * len(words))
Xtr, Ytr = build_dataset(words[:n1])
Xdev, Ydev = build_dataset(words[n1:n2])
Xte, Yte = build_dataset(words[n2:])

g = torch.Generator().manual_seed(2147483647)
C = torch.randn((27, 10), generator=g)
print("torch.randn with a generator:", list(C.shape))
rng = np.random.default_rng(2147483647)


def randn(*shape):
    return torch.from_numpy(rng.standard_normal(shape).astype(np.float32))


C = randn(27, 10)
W1 = randn(30, 64) * 0.2
b1 = randn(64) * 0.01
W2 = randn(64, 27) * 0.01
b2 = torch.zeros(27)
parameters = [C, W1, b1, W2, b2]
print(sum(p.nelement() for p in parameters))
for p in parameters:
    p.requires_grad = True

emb = C[Xtr[:5]]
print("emb", list(emb.shape), list(emb.view(-1, 30).shape),
      bool(torch.equal(emb.view(5, 30), torch.cat(torch.unbind(emb, 1), 1))))

lre = torch.linspace(-3, 0, 1000)
lrs = 10**lre
print("lrs", round(lrs[0].item(), 6), round(lrs[-1].item(), 6))

ix = torch.randint(0, Xtr.shape[0], (32,), generator=g)
print("torch.randint with a generator:", list(ix.shape), bool((ix < Xtr.shape[0]).all()))

lossi = []
for i in range(300):
    # minibatch construct
    ix = torch.from_numpy(rng.integers(0, Xtr.shape[0], size=32))
    # forward pass
    emb = C[Xtr[ix]]  # (32, 3, 10)
    h = torch.tanh(emb.view(-1, 30) @ W1 + b1)  # (32, 64)
    logits = h @ W2 + b2  # (32, 27)
    loss = F.cross_entropy(logits, Ytr[ix])
    # backward pass
    for p in parameters:
        p.grad = None
    loss.backward()
    # update
    lr = 0.1 if i < 200 else 0.01
    for p in parameters:
        p.data += -lr * p.grad
    lossi.append(loss.log10().item())
    if i % 50 == 0:
        print(f"{i:5d}: {loss.item():.4f}")


@torch.no_grad()
def split_loss(split):
    x, y = {'train': (Xtr, Ytr), 'val': (Xdev, Ydev), 'test': (Xte, Yte)}[split]
    emb = C[x]
    h = torch.tanh(emb.view(emb.shape[0], -1) @ W1 + b1)
    logits = h @ W2 + b2
    loss = F.cross_entropy(logits, y)
    print(split, f"{loss.item():.4f}")


split_loss('train')
split_loss('val')
print("mean log10 loss", f"{sum(lossi) / len(lossi):.4f}")

# the most likely next letters after '...'
context = torch.tensor([[0, 0, 0]])
h = torch.tanh(C[context].view(1, -1) @ W1 + b1)
probs = F.softmax(h @ W2 + b2, dim=1)
print("top letters", [itos[i] for i in probs[0].argsort(descending=True)[:3].tolist()],
      f"{probs.max().item():.4f}")
