"""Hand-written NumPy forward/backward MLP: the practical limit of a NumPy backend.

ReLU hidden layers, softmax cross-entropy (mean over the batch), float32. Matmuls write into
preallocated buffers (``out=``), activations and updates are in place. Each parameter is
updated on its own (as one writes it by hand); SGD and Adam follow torch.optim's formulas.
"""
from __future__ import annotations

from typing import Any

import numpy as np


class Runner:
    def __init__(self, params: list[tuple[np.ndarray, np.ndarray]], opt: str,
                 hp: dict[str, Any], batch: int, X: np.ndarray, y: np.ndarray) -> None:
        self.W = [w.copy() for w, _ in params]
        self.b = [b.copy() for _, b in params]
        self.gW = [np.zeros_like(w) for w in self.W]
        self.gb = [np.zeros_like(b) for b in self.b]
        self.opt, self.hp, self.batch, self.X, self.y = opt, hp, batch, X, y
        self.state = [[np.zeros_like(p) for p in (*self.W, *self.b)] for _ in range(2)]
        self.tmp = [np.zeros_like(p) for p in (*self.W, *self.b)]
        self.t = 0
        self._bufs: dict[int, Any] = {}

    def _buffers(self, n: int) -> Any:
        if n not in self._bufs:
            acts = [np.empty((n, w.shape[0]), np.float32) for w in self.W]
            grads = [np.empty((n, w.shape[1]), np.float32) for w in self.W[1:]]
            self._bufs[n] = (acts, grads, np.empty((n, 1), np.float32), np.arange(n))
        return self._bufs[n]

    def step(self, x: np.ndarray, y: np.ndarray) -> None:
        n = len(x)
        acts, dacts, red, rows = self._buffers(n)
        h = x
        L = len(self.W)
        for i in range(L):  # forward
            np.matmul(h, self.W[i].T, out=acts[i])
            acts[i] += self.b[i]
            if i < L - 1:
                np.maximum(acts[i], 0, out=acts[i])
            h = acts[i]
        z = acts[-1]  # softmax cross-entropy: dL/dz = (softmax(z) - onehot(y)) / n
        np.max(z, axis=1, keepdims=True, out=red)
        z -= red
        np.exp(z, out=z)
        np.sum(z, axis=1, keepdims=True, out=red)
        red *= n
        z /= red
        z[rows, y] -= 1.0 / n
        g = z
        for i in range(L - 1, -1, -1):  # backward
            inp = acts[i - 1] if i > 0 else x
            np.matmul(g.T, inp, out=self.gW[i])
            np.sum(g, axis=0, out=self.gb[i])
            if i > 0:
                np.matmul(g, self.W[i], out=dacts[i - 1])
                dacts[i - 1] *= inp > 0
                g = dacts[i - 1]
        self._update()

    def _update(self) -> None:
        ps, gs = (*self.W, *self.b), (*self.gW, *self.gb)
        hp = self.hp
        if self.opt == "sgd":  # v = mu v + g; p -= lr v
            lr, mu = hp["lr"], hp["momentum"]
            for p, g, v in zip(ps, gs, self.state[0]):
                v *= mu
                v += g
                np.multiply(v, -lr, out=g)  # g is scratch now: the next backward rewrites it
                p += g
            return
        self.t += 1
        lr, (b1, b2), eps = hp["lr"], hp["betas"], hp["eps"]
        step = lr / (1 - b1 ** self.t)
        c2 = 1 / np.sqrt(1 - b2 ** self.t)
        for p, g, m, v, tmp in zip(ps, gs, self.state[0], self.state[1], self.tmp):
            v *= b2  # v = b2 v + (1 - b2) g²
            np.multiply(g, g, out=tmp)
            tmp *= 1 - b2
            v += tmp
            m *= b1  # m = b1 m + (1 - b1) g
            g *= 1 - b1
            m += g
            np.sqrt(v, out=tmp)  # p -= lr / (1 - b1^t) · m / (sqrt(v / (1 - b2^t)) + eps)
            tmp *= c2
            tmp += eps
            np.divide(m, tmp, out=tmp)
            tmp *= -step
            p += tmp

    def epoch(self, order: np.ndarray) -> None:
        B = self.batch
        for s in range(0, len(order), B):
            idx = order[s:s + B]
            self.step(self.X.take(idx, axis=0), self.y.take(idx))  # (take with out= is slower)

    def accuracy(self, X: np.ndarray, y: np.ndarray) -> float:
        h = X
        for i, (w, b) in enumerate(zip(self.W, self.b)):
            h = h @ w.T + b
            if i < len(self.W) - 1:
                h = np.maximum(h, 0)
        return float((h.argmax(1) == y).mean())
