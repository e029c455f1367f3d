# ruff: noqa: N803, N806  (X, W: the math's names)
"""The fused MLP step behind MLPClassifier/MLPRegressor: forward, loss and backward in place.

All parameters live in one flat buffer (scikit-learn's packing: every weight
matrix, then every bias, then batch-norm scales and shifts) and so do their
gradients, so an optimizer step is a handful of NumPy calls and L-BFGS sees a
vector. Work arrays are allocated once per batch size and reused (no page
faults per batch). Hidden activations are chainrule's ops: relu, tanh and
logistic run in place from the saved output; the others (gelu, silu, elu,
leaky_relu, softplus, ...) call the op's own ``forward``/``backward``.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..ops import activation as _act

_FUNCTIONS: dict[str, Any] = {
    "gelu": _act.GELU, "silu": _act.SiLU, "elu": _act.ELU, "leaky_relu": _act.LeakyReLU,
    "softplus": _act.Softplus,
}
_INPLACE = ("identity", "relu", "tanh", "logistic")
ACTIVATIONS = (*_INPLACE, *_FUNCTIONS)
BN_EPS, BN_MOMENTUM = 1e-5, 0.1


def _forward_act(name: str, z: np.ndarray) -> tuple[np.ndarray, Any]:
    """Apply the activation (in place where it can); returns (output, ctx for backward)."""
    if name == "relu":
        return np.maximum(z, 0, out=z), None
    if name == "tanh":
        return np.tanh(z, out=z), None
    if name == "logistic":  # 1 / (1 + e^-z), overflow-free as the op's
        y = _act._sigmoid(z)
        z[...] = y
        return z, None
    if name == "identity":
        return z, None
    fn = _FUNCTIONS[name]
    ctx = fn()
    return fn.forward(ctx, z.copy()), ctx  # the op keeps its input: not the reused buffer


def _backward_act(name: str, a: np.ndarray, ctx: Any, delta: np.ndarray,
                  tmp: np.ndarray) -> np.ndarray:
    """delta *= f'(z), from the output ``a`` (in place) or through the op's backward."""
    if name == "relu":
        np.sign(a, out=tmp)  # a = relu(z) >= 0: sign(a) is the 0/1 derivative, as floats
        delta *= tmp
    elif name == "tanh":
        np.multiply(a, a, out=tmp)
        np.subtract(1, tmp, out=tmp)
        delta *= tmp
    elif name == "logistic":
        np.subtract(1, a, out=tmp)
        tmp *= a
        delta *= tmp
    elif name != "identity":
        delta[...] = _FUNCTIONS[name].backward(ctx, delta)[0]
    return delta


def out_activation(z: np.ndarray, name: str) -> np.ndarray:
    """The output layer's activation, in place: softmax, logistic, identity or exp."""
    if name == "softmax":
        z -= z.max(axis=1, keepdims=True)
        np.exp(z, out=z)
        z /= z.sum(axis=1, keepdims=True)
    elif name == "logistic":
        z[...] = _act._sigmoid(z)
    elif name == "exp":
        np.exp(z, out=z)
    return z


def loss_value(y: np.ndarray, p: np.ndarray, kind: str, sw: np.ndarray | None) -> float:
    """scikit-learn's MLP losses (mean over samples, weighted by ``sw``) on outputs ``p``."""
    if sw is None and kind == "log_loss":  # the hot path: four calls on (n, classes)
        eps = np.finfo(p.dtype).eps
        q = np.clip(p, eps, 1 - eps)
        np.log(q, out=q)
        q *= y
        return -float(q.sum()) / len(p)
    if kind == "squared_error":
        rows = 0.5 * ((y - p) ** 2).mean(axis=1)
    elif kind == "poisson":
        rows = (p - y * np.log(np.clip(p, np.finfo(p.dtype).tiny, None))).mean(axis=1)
    else:
        eps = np.finfo(p.dtype).eps
        q = np.clip(p, eps, 1 - eps)
        rows = -(y * np.log(q)).sum(axis=1)
        if kind == "binary_log_loss":
            rows -= ((1 - y) * np.log1p(-q)).sum(axis=1)
    return float(np.average(rows, weights=sw))


class Layout:
    """Offsets of the weights, biases and batch-norm parameters inside the flat buffer."""

    def __init__(self, units: list[int], batch_norm: bool) -> None:
        self.units, self.batch_norm = list(units), batch_norm
        pairs = list(zip(units[:-1], units[1:]))
        self.coef_slices, self.bias_slices, self.bn_slices = [], [], []
        start = 0
        for fi, fo in pairs:
            self.coef_slices.append((start, start + fi * fo, (fi, fo)))
            start += fi * fo
        for _, fo in pairs:
            self.bias_slices.append((start, start + fo))
            start += fo
        if batch_norm:
            for fo in units[1:-1]:
                self.bn_slices.append(((start, start + fo), (start + fo, start + 2 * fo)))
                start += 2 * fo
        self.size = start
        self.n_coef = self.coef_slices[-1][1]

    def views(self, flat: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray],
                                               list[tuple[np.ndarray, np.ndarray]]]:
        coefs = [flat[a:b].reshape(shape) for a, b, shape in self.coef_slices]
        biases = [flat[a:b] for a, b in self.bias_slices]
        bns = [(flat[a:b], flat[c:d]) for (a, b), (c, d) in self.bn_slices]
        return coefs, biases, bns


class Network:
    """Forward and backward of the MLP over a flat parameter vector (see the module docstring)."""

    def __init__(self, layout: Layout, params: np.ndarray, activation: str, out_act: str,
                 loss: str, alpha: float, dropout: float = 0.0,
                 running: list[np.ndarray] | None = None) -> None:
        self.layout, self.activation, self.out_act = layout, activation, out_act
        self.loss, self.alpha, self.dropout = loss, alpha, dropout
        self.params = params
        self.grads = np.zeros_like(params)
        self.coefs, self.biases, self.bns = layout.views(params)
        self.gcoefs, self.gbiases, self.gbns = layout.views(self.grads)
        hidden = layout.units[1:-1]
        self.running = running if running is not None else \
            [a for h in hidden for a in (np.zeros(h, params.dtype), np.ones(h, params.dtype))]
        self._bufs: dict[int, list[np.ndarray]] = {}
        self._decay: np.ndarray | None = None
        self._ones_cache: np.ndarray | None = None

    def _buffers(self, n: int) -> list[np.ndarray]:
        """Work arrays for a batch of n rows: outputs per layer, then a scratch per hidden layer."""
        if n not in self._bufs:
            if len(self._bufs) > 6:
                self._bufs.clear()
            dt, units = self.params.dtype, self.layout.units
            self._bufs[n] = [np.empty((n, u), dt) for u in units[1:]] + \
                [np.empty((n, u), dt) for u in units[1:-1]]
        return self._bufs[n]

    def forward(self, X: np.ndarray, train: bool = False, rng: Any = None,
                out: list[np.ndarray] | None = None) -> list[np.ndarray]:
        """The outputs of every layer for X (the last one after the output activation)."""
        n_layers = len(self.coefs)
        acts = out if out is not None else [np.empty((len(X), u), self.params.dtype)
                                            for u in self.layout.units[1:]]
        self._ctx: list[Any] = []
        self._masks: list[Any] = []
        self._inputs = [X]
        a = X
        for i in range(n_layers):
            z = np.matmul(a, self.coefs[i], out=acts[i])
            z += self.biases[i]
            if i == n_layers - 1:
                out_activation(z, self.out_act)
                break
            if self.layout.batch_norm:
                z = self._bn_forward(i, z, train)
            a, ctx = _forward_act(self.activation, z)
            if a is not z:
                acts[i][...] = a
                a = acts[i]
            self._ctx.append(ctx)
            if train and self.dropout > 0:
                keep = ((rng.random(a.shape) >= self.dropout) / (1 - self.dropout)).astype(a.dtype)
                a = a * keep
                self._masks.append(keep)
            self._inputs.append(a)
        return acts

    def _bn_forward(self, i: int, z: np.ndarray, train: bool) -> np.ndarray:
        gamma, beta = self.bns[i]
        mean, var = self.running[2 * i], self.running[2 * i + 1]
        if train and len(z) > 1:
            mu, v = z.mean(axis=0), z.var(axis=0)
            mean *= 1 - BN_MOMENTUM
            mean += BN_MOMENTUM * mu
            var *= 1 - BN_MOMENTUM
            var += BN_MOMENTUM * v * len(z) / (len(z) - 1)
        else:
            mu, v = mean, var
        inv = 1 / np.sqrt(v + BN_EPS)
        z -= mu
        z *= inv
        if train:
            self._bn_saved = getattr(self, "_bn_saved", {})
            self._bn_saved[i] = (z.copy(), inv)
        z *= gamma
        z += beta
        return z

    def _bn_backward(self, i: int, delta: np.ndarray) -> None:
        xhat, inv = self._bn_saved[i]
        gamma = self.bns[i][0]
        ggamma, gbeta = self.gbns[i]
        np.sum(delta * xhat, axis=0, out=ggamma)
        np.sum(delta, axis=0, out=gbeta)
        n = len(delta)
        dx = delta * gamma
        delta[...] = inv / n * (n * dx - dx.sum(axis=0) - xhat * (dx * xhat).sum(axis=0))

    def loss_grad(self, X: np.ndarray, Y: np.ndarray, sw: np.ndarray | None,
                  rng: Any = None) -> float:
        """The loss (with the L2 term) on a batch; fills ``self.grads``. scikit-learn's scaling:
        weighted mean loss + alpha/2 ||W||² / sum(sw), gradients divided by sum(sw)."""
        n = len(X)
        bufs = self._buffers(n)
        n_layers = len(self.coefs)
        acts = self.forward(X, train=True, rng=rng, out=bufs[:n_layers])
        scratch = bufs[n_layers:]
        p = acts[-1]
        sw_sum = float(n if sw is None else sw.sum())
        w = self.params[:self.layout.n_coef]
        loss = loss_value(Y, p, self.loss, sw) + 0.5 * self.alpha * float(w @ w) / sw_sum
        delta = p  # the output's error, in place: act(z) - y (canonical link)
        delta -= Y
        if sw is not None:
            delta *= sw.reshape(-1, 1).astype(delta.dtype, copy=False)
        delta *= 1.0 / sw_sum
        for i in range(n_layers - 1, -1, -1):
            a_prev = self._inputs[i]
            np.matmul(a_prev.T, delta, out=self.gcoefs[i])
            np.matmul(self._ones(n), delta, out=self.gbiases[i])  # column sums as a GEMV
            if i == 0:
                break
            back = np.matmul(delta, self.coefs[i].T, out=scratch[i - 1])
            if self._masks:
                back *= self._masks[i - 1]
            _backward_act(self.activation, acts[i - 1], self._ctx[i - 1], back,
                          _tmp(self, n, i - 1))
            if self.layout.batch_norm:
                self._bn_backward(i - 1, back)
            delta = back
        if self.alpha:  # + alpha W / sum(sw), through a kept buffer (no 2 MB temporary)
            decay = self._decay if self._decay is not None else np.empty_like(w)
            self._decay = decay
            np.multiply(w, self.alpha / sw_sum, out=decay)
            self.grads[:self.layout.n_coef] += decay
        return loss

    def _ones(self, n: int) -> np.ndarray:
        ones = self._ones_cache
        if ones is None or len(ones) != n:
            self._ones_cache = ones = np.ones(n, self.params.dtype)
        return ones

    def predict(self, X: np.ndarray) -> np.ndarray:
        """The output activations for X (no dropout, batch-norm running statistics), in one
        pass: row chunks measured slower (each small GEMM is a sync point for BLAS threads)."""
        return self.forward(X, train=False)[-1]


def _tmp(net: Network, n: int, i: int) -> np.ndarray:
    key = -n - 1
    if key not in net._bufs:
        net._bufs[key] = [np.empty((n, u), net.params.dtype) for u in net.layout.units[1:-1]]
    return net._bufs[key][i]
