# ruff: noqa: B007, E501, E741, N802, N803, N806, N816  (tutorial code, kept in its style)
"""Character-level names, step 1: a bigram model from counts.

Counts in a 27x27 int32 tensor, normalised rows, the negative log likelihood of
the training set, and sampling with torch.multinomial from a seeded
torch.Generator. The two libraries draw different random streams, so the
samples are checked for what they must satisfy (valid names, frequencies close
to the probabilities), not printed.
"""
import os

import torch

words = open(os.path.join(os.path.dirname(__file__), "names.txt")).read().splitlines()
print(len(words), min(len(w) for w in words), max(len(w) for w in words))

b = {}
for w in words:
    chs = ['<S>'] + list(w) + ['<E>']
    for ch1, ch2 in zip(chs, chs[1:]):
        bigram = (ch1, ch2)
        b[bigram] = b.get(bigram, 0) + 1
top = sorted(b.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
print(top)

N = torch.zeros((27, 27), dtype=torch.int32)
chars = sorted(list(set(''.join(words))))
stoi = {s: i + 1 for i, s in enumerate(chars)}
stoi['.'] = 0
itos = {i: s for s, i in stoi.items()}

for w in words:
    chs = ['.'] + list(w) + ['.']
    for ch1, ch2 in zip(chs, chs[1:]):
        ix1 = stoi[ch1]
        ix2 = stoi[ch2]
        N[ix1, ix2] += 1

print(N.dtype == torch.int32, N.sum().item(), N[0].tolist())
print("most common first letter:", itos[N[0].argmax().item()])
p = N[0].float()
p = p / p.sum()
print([round(v, 4) for v in p[:8].tolist()])

g = torch.Generator().manual_seed(2147483647)
draws = torch.multinomial(p, num_samples=20000, replacement=True, generator=g)
freq = torch.bincount(draws, minlength=27).float() / 20000
print("multinomial frequencies close to p:", bool((freq - p).abs().max() < 0.02))
print("never draws an impossible letter:", bool((freq[p == 0] == 0).all()))

P = (N + 1).float()
P /= P.sum(1, keepdims=True)
print(P.shape[0], P.shape[1], round(P[0].sum().item(), 5), round(P.sum().item(), 3))

g = torch.Generator().manual_seed(2147483647)
names = []
for i in range(5):
    out = []
    ix = 0
    while True:
        p = P[ix]
        ix = torch.multinomial(p, num_samples=1, replacement=True, generator=g).item()
        out.append(itos[ix])
        if ix == 0:
            break
    names.append(''.join(out))
print("sampled 5 names, each ends with '.':", all(n.endswith('.') for n in names),
      all(set(n) <= set(stoi) for n in names))

log_likelihood = 0.0
n = 0
for w in words:
    chs = ['.'] + list(w) + ['.']
    for ch1, ch2 in zip(chs, chs[1:]):
        ix1 = stoi[ch1]
        ix2 = stoi[ch2]
        prob = P[ix1, ix2]
        logprob = torch.log(prob)
        log_likelihood += logprob
        n += 1
print(f'{log_likelihood=}'.split('=')[0], f'{log_likelihood.item():.4f}')
nll = -log_likelihood
print(f'{nll.item():.4f}')
print(f'{nll/n:.4f}')

for w in words[:2]:
    chs = ['.'] + list(w) + ['.']
    for ch1, ch2 in zip(chs, chs[1:]):
        prob = P[stoi[ch1], stoi[ch2]]
        print(f'{ch1}{ch2}: {prob:.4f} {torch.log(prob):.4f}')

# the same table, vectorised
xs, ys = [], []
for w in words:
    chs = ['.'] + list(w) + ['.']
    for ch1, ch2 in zip(chs, chs[1:]):
        xs.append(stoi[ch1])
        ys.append(stoi[ch2])
xs = torch.tensor(xs)
ys = torch.tensor(ys)
print("vectorised nll", f"{-P[xs, ys].log().mean().item():.4f}", xs.numel())
