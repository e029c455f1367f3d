"""chainrule MLP written as a user writes it: nn.Sequential/Linear/ReLU, nn.CrossEntropyLoss,
optim.SGD/Adam, data.DataLoader(TensorDataset, shuffle=True, generator=...). The loader's
generator is seeded as ``_data.epoch_orders`` is, so it draws the same batch orders as the other
runners (checked each epoch: ``same_batches``). Mode "captured": the same step function under
``chainrule.compile`` (fullgraph: an eager fallback would raise).

Until nn/optim/data exist (mode "core"): Parameters + ``ops.linear`` + ``relu`` +
log_softmax/gather cross-entropy and hand-written in-place updates under ``no_grad``.
"""
from __future__ import annotations

from typing import Any

import numpy as np


def _has_api() -> bool:
    import chainrule as cr
    try:
        cr.nn.Sequential, cr.nn.Linear, cr.nn.ReLU, cr.nn.CrossEntropyLoss  # noqa: B018
        from chainrule import data, optim
        data.DataLoader, data.TensorDataset, optim.SGD, optim.Adam  # noqa: B018
    except (AttributeError, ImportError):
        return False
    return True


class Runner:
    def __init__(self, params: list[tuple[np.ndarray, np.ndarray]], opt: str,
                 hp: dict[str, Any], batch: int, X: np.ndarray, y: np.ndarray,
                 mode: str | None = None, seed: int = 0) -> None:
        import chainrule as cr
        self.cr = cr
        self.seed = seed
        self.mode = mode or ("api" if _has_api() else "core")
        self.batch = batch
        if self.mode in ("api", "captured"):
            self._init_api(params, opt, hp, X, y)
        else:
            self._init_core(params, opt, hp, X, y)

    # ---- the public API, as a user writes it ----------------------------------------------
    def _init_api(self, params: Any, opt: str, hp: dict[str, Any], X: np.ndarray,
                  y: np.ndarray) -> None:
        cr = self.cr
        from chainrule import data, nn, optim
        layers: list[Any] = []
        for i, (w, b) in enumerate(params):
            lin = nn.Linear(w.shape[1], w.shape[0])
            with cr.no_grad():
                lin.weight.copy_(w)
                lin.bias.copy_(b)
            layers.append(lin)
            if i < len(params) - 1:
                layers.append(nn.ReLU())
        self.model = nn.Sequential(*layers)
        self.loss_fn = nn.CrossEntropyLoss()
        if opt == "sgd":
            self.opt = optim.SGD(self.model.parameters(), lr=hp["lr"], momentum=hp["momentum"])
        else:
            self.opt = optim.Adam(self.model.parameters(), lr=hp["lr"], betas=hp["betas"],
                                  eps=hp["eps"])
        ds = data.TensorDataset(X, y)
        self.generator = cr.Generator(self.seed + 1)  # as _data.epoch_orders
        self.loader = data.DataLoader(ds, batch_size=self.batch, shuffle=True,
                                      generator=self.generator)
        self.same_batches = True
        model, loss_fn, o = self.model, self.loss_fn, self.opt

        def step(xb: Any, yb: Any) -> Any:
            o.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            o.step()
            return loss
        self.step = cr.compile(step, fullgraph=True) if self.mode == "captured" else step

    def _epoch_api(self, order: np.ndarray) -> None:
        peek = np.random.Generator(np.random.PCG64())
        peek.bit_generator.state = self.generator.np.bit_generator.state
        if not np.array_equal(peek.permutation(len(order)), order):
            self.same_batches = False
        step = self.step
        for xb, yb in self.loader:
            step(xb, yb)

    # ---- core only: Parameters, fused linear, manual updates --------------------------------
    def _init_core(self, params: Any, opt: str, hp: dict[str, Any], X: np.ndarray,
                   y: np.ndarray) -> None:
        from chainrule.nn import Parameter
        self.params = [(Parameter(w.copy()), Parameter(b.copy())) for w, b in params]
        self.flat = [p for pair in self.params for p in pair]
        self.opt_name, self.hp, self.t = opt, hp, 0
        self.state = [[np.zeros_like(p._data) for p in self.flat] for _ in range(2)]
        self.X, self.y = X, y
        self.same_batches = True

    def _forward_core(self, x: Any) -> Any:
        cr = self.cr
        h = x
        for i, (w, b) in enumerate(self.params):
            h = cr.ops.linear(h, w, b)
            if i < len(self.params) - 1:
                h = cr.relu(h)
        return h

    def _epoch_core(self, order: np.ndarray) -> None:
        cr = self.cr
        for s in range(0, len(order), self.batch):
            idx = order[s:s + self.batch]
            xb, yb = cr.from_numpy(self.X[idx]), cr.from_numpy(self.y[idx][:, None])
            for p in self.flat:
                p.grad = None
            logp = cr.log_softmax(self._forward_core(xb), dim=1)
            loss = -cr.gather(logp, 1, yb).mean()
            loss.backward()
            self._update_core()

    def _update_core(self) -> None:
        hp = self.hp
        with self.cr.no_grad():
            if self.opt_name == "sgd":
                for p, v in zip(self.flat, self.state[0]):
                    v *= hp["momentum"]
                    v += p.grad._data
                    p.sub_(v, alpha=hp["lr"])
                return
            self.t += 1
            (b1, b2), eps = hp["betas"], hp["eps"]
            step = hp["lr"] / (1 - b1 ** self.t)
            c2 = 1 / np.sqrt(1 - b2 ** self.t)
            for p, m, v in zip(self.flat, self.state[0], self.state[1]):
                g = p.grad._data
                m *= b1
                m += (1 - b1) * g
                v *= b2
                v += (1 - b2) * g * g
                p.sub_(m / (np.sqrt(v) * c2 + eps), alpha=step)

    # ---- common -------------------------------------------------------------------------------
    def epoch(self, order: np.ndarray) -> None:
        if self.mode in ("api", "captured"):
            self._epoch_api(order)
        else:
            self._epoch_core(order)

    def accuracy(self, X: np.ndarray, y: np.ndarray) -> float:
        cr = self.cr
        with cr.no_grad():
            x = cr.from_numpy(X)
            out = self._forward_core(x) if self.mode == "core" else self.model(x)
        return float((out.numpy().argmax(1) == y).mean())
