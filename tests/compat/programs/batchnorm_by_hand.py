# ruff: noqa: B007, E501, E741, N802, N803, N806, N816  (tutorial code, kept in its style)
"""Character-level names, step 5: Linear / BatchNorm1d / Tanh written by hand as
small classes, activation and gradient statistics per layer, running statistics,
and the hand-made layer checked against nn.BatchNorm1d.

Weights and minibatches come from a seeded NumPy generator (the libraries'
random streams differ).
"""
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

words = open(os.path.join(os.path.dirname(__file__), "names.txt")).read().splitlines()
chars = sorted(list(set(''.join(words))))
stoi = {s: i + 1 for i, s in enumerate(chars)}
stoi['.'] = 0
vocab_size = len(stoi)
block_size = 3
X, Y = [], []
for w in words:
    context = [0] * block_size
    for ch in w + '.':
        X.append(context)
        Y.append(stoi[ch])
        context = context[1:] + [stoi[ch]]
Xtr, Ytr = torch.tensor(X), torch.tensor(Y)
rng = np.random.default_rng(3)


def randn(*shape):
    return torch.from_numpy(rng.standard_normal(shape).astype(np.float32))


class Linear:
    def __init__(self, fan_in, fan_out, bias=True):
        self.weight = randn(fan_in, fan_out) / fan_in**0.5
        self.bias = torch.zeros(fan_out) if bias else None

    def __call__(self, x):
        self.out = x @ self.weight
        if self.bias is not None:
            self.out += self.bias
        return self.out

    def parameters(self):
        return [self.weight] + ([] if self.bias is None else [self.bias])


class BatchNorm1d:
    def __init__(self, dim, eps=1e-5, momentum=0.1):
        self.eps = eps
        self.momentum = momentum
        self.training = True
        self.gamma = torch.ones(dim)
        self.beta = torch.zeros(dim)
        self.running_mean = torch.zeros(dim)
        self.running_var = torch.ones(dim)

    def __call__(self, x):
        if self.training:
            xmean = x.mean(0, keepdim=True)
            xvar = x.var(0, keepdim=True)
        else:
            xmean = self.running_mean
            xvar = self.running_var
        xhat = (x - xmean) / torch.sqrt(xvar + self.eps)
        self.out = self.gamma * xhat + self.beta
        if self.training:
            with torch.no_grad():
                self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * xmean
                self.running_var = (1 - self.momentum) * self.running_var + self.momentum * xvar
        return self.out

    def parameters(self):
        return [self.gamma, self.beta]


class Tanh:
    def __call__(self, x):
        self.out = torch.tanh(x)
        return self.out

    def parameters(self):
        return []


n_embd = 10
n_hidden = 50
C = randn(vocab_size, n_embd)
layers = [
    Linear(n_embd * block_size, n_hidden, bias=False), BatchNorm1d(n_hidden), Tanh(),
    Linear(n_hidden, n_hidden, bias=False), BatchNorm1d(n_hidden), Tanh(),
    Linear(n_hidden, vocab_size, bias=False), BatchNorm1d(vocab_size),
]
with torch.no_grad():
    layers[-1].gamma *= 0.1
    for layer in layers[:-1]:
        if isinstance(layer, Linear):
            layer.weight *= 5 / 3

parameters = [C] + [p for layer in layers for p in layer.parameters()]
print(sum(p.nelement() for p in parameters))
for p in parameters:
    p.requires_grad = True

ud = []
for i in range(120):
    ix = torch.from_numpy(rng.integers(0, Xtr.shape[0], size=32))
    Xb, Yb = Xtr[ix], Ytr[ix]
    emb = C[Xb]
    x = emb.view(emb.shape[0], -1)
    for layer in layers:
        x = layer(x)
    loss = F.cross_entropy(x, Yb)
    for layer in layers:
        layer.out.retain_grad()
    for p in parameters:
        p.grad = None
    loss.backward()
    lr = 0.1
    for p in parameters:
        p.data += -lr * p.grad
    with torch.no_grad():
        ud.append([((lr * p.grad).std() / p.data.std()).log10().item() for p in parameters])
    if i % 40 == 0:
        print(f'{i:7d}: {loss.item():.4f}')

for i, layer in enumerate(layers[:-1]):
    if isinstance(layer, Tanh):
        t = layer.out
        print('layer %d (%10s): mean %+.4f, std %.4f, saturated: %.4f%%' % (
            i, layer.__class__.__name__, t.mean(), t.std(), (t.abs() > 0.97).float().mean() * 100))
        hy, hx = torch.histogram(t, density=True)
        print("  histogram", len(hy), len(hx), round((hy * (hx[1:] - hx[:-1])).sum().item(), 4))
for i, layer in enumerate(layers[:-1]):
    if isinstance(layer, Tanh):
        t = layer.out.grad
        print('layer %d (%10s): mean %+e, std %e' % (i, layer.__class__.__name__, t.mean(), t.std()))
for i, p in enumerate(parameters):
    if p.ndim == 2:
        print('weight %10s | mean %+f | std %e | grad:data ratio %e' % (
            tuple(p.shape), p.grad.mean(), p.grad.std(), p.grad.std() / p.std()))
print("update ratios", [round(v, 3) for v in ud[-1]])

bn = layers[1]
torch_bn = nn.BatchNorm1d(n_hidden, momentum=0.1)
with torch.no_grad():
    torch_bn.weight.copy_(bn.gamma)
    torch_bn.bias.copy_(bn.beta)
x = randn(32, n_hidden) * 2 + 1
ref = bn(x)
out = torch_bn(x)
print("differs from the hand layer (unbiased variance):", (out - ref).abs().max().item() > 1e-4)
xhat = (x - x.mean(0)) / torch.sqrt(x.var(0, unbiased=False) + 1e-5)
print("BatchNorm1d train normalises with the biased variance:",
      (out - (bn.gamma * xhat + bn.beta)).abs().max().item() < 1e-4)
print("running_var uses the unbiased variance:",
      (torch_bn.running_var - (0.9 + 0.1 * x.var(0))).abs().max().item() < 1e-4)
torch_bn.eval()
print("eval uses running stats:", list(torch_bn.running_mean.shape),
      f"{torch_bn(x).mean().item():.5f}")
print([name for name, _ in torch_bn.named_buffers()])

for layer in layers:
    if isinstance(layer, BatchNorm1d):
        layer.training = False
with torch.no_grad():
    x = C[Xtr].view(Xtr.shape[0], -1)
    for layer in layers:
        x = layer(x)
    print("train loss (eval mode)", f"{F.cross_entropy(x, Ytr).item():.4f}")
