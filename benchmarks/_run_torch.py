"""PyTorch CPU MLP as a practitioner writes it for speed: nn.Sequential, nn.CrossEntropyLoss,
torch.optim (default implementation: foreach where torch picks it), batches gathered by
indexing the training tensor with the shared batch order (torch's DataLoader over a
TensorDataset collates sample by sample and would be far slower). ``fused=True`` selects
torch's fused CPU optimizer kernels (not the default; a row of its own in mlp.py)."""
from __future__ import annotations

from typing import Any

import numpy as np


class Runner:
    def __init__(self, params: list[tuple[np.ndarray, np.ndarray]], opt: str,
                 hp: dict[str, Any], batch: int, X: np.ndarray, y: np.ndarray,
                 fused: bool = False) -> None:
        import torch
        from torch import nn

        import _harness
        torch.set_num_threads(_harness.blas_threads())
        self.torch = torch
        layers: list[Any] = []
        for i, (w, b) in enumerate(params):
            lin = nn.Linear(w.shape[1], w.shape[0])
            with torch.no_grad():
                lin.weight.copy_(torch.from_numpy(w))
                lin.bias.copy_(torch.from_numpy(b))
            layers.append(lin)
            if i < len(params) - 1:
                layers.append(nn.ReLU())
        self.model = nn.Sequential(*layers)
        self.loss_fn = nn.CrossEntropyLoss()
        kw: dict[str, Any] = {"fused": True} if fused else {}
        if opt == "sgd":
            self.opt = torch.optim.SGD(self.model.parameters(), lr=hp["lr"],
                                       momentum=hp["momentum"], **kw)
        else:
            self.opt = torch.optim.Adam(self.model.parameters(), lr=hp["lr"], betas=hp["betas"],
                                        eps=hp["eps"], **kw)
        self.X, self.y = torch.from_numpy(X), torch.from_numpy(y)
        self.batch = batch

    def epoch(self, order: np.ndarray) -> None:
        torch, model, loss_fn, opt = self.torch, self.model, self.loss_fn, self.opt
        order_t = torch.from_numpy(order)
        for idx in order_t.split(self.batch):
            xb, yb = self.X[idx], self.y[idx]
            opt.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()

    def accuracy(self, X: np.ndarray, y: np.ndarray) -> float:
        with self.torch.no_grad():
            out = self.model(self.torch.from_numpy(X))
        return float((out.argmax(1).numpy() == y).mean())
