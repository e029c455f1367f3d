"""JAX on CPU with the whole training step under ``jax.jit`` (optax SGD / Adam): XLA fuses the
elementwise work and the optimizer update. The strongest CPU peer for small networks; optional
(``pip install jax jaxlib optax``), skipped with a note when missing. Batches are gathered with
NumPy from the shared order (as the NumPy reference), the step runs on device arrays; the
epoch waits for the last update (``block_until_ready``)."""
from __future__ import annotations

from typing import Any

import numpy as np


def available() -> str | None:
    """None when jax and optax import, else why not."""
    try:
        import jax  # noqa: F401
        import optax  # noqa: F401
    except ImportError as exc:
        return f"{exc.name} is not installed"
    return None


class Runner:
    def __init__(self, params: list[tuple[np.ndarray, np.ndarray]], opt: str,
                 hp: dict[str, Any], batch: int, X: np.ndarray, y: np.ndarray) -> None:
        import os
        os.environ.setdefault("JAX_PLATFORMS", "cpu")
        import jax
        import jax.numpy as jnp
        import optax
        self.jax, self.jnp = jax, jnp
        self.params = [(jnp.asarray(w), jnp.asarray(b)) for w, b in params]
        if opt == "sgd":
            self.tx = optax.sgd(hp["lr"], momentum=hp["momentum"])
        else:
            b1, b2 = hp["betas"]
            self.tx = optax.adam(hp["lr"], b1=b1, b2=b2, eps=hp["eps"])
        self.state = self.tx.init(self.params)
        self.X, self.y, self.batch = X, y, batch
        tx = self.tx

        def forward(ps: Any, x: Any) -> Any:
            h = x
            for i, (w, b) in enumerate(ps):
                h = h @ w.T + b
                if i < len(ps) - 1:
                    h = jax.nn.relu(h)
            return h

        def loss_fn(ps: Any, x: Any, t: Any) -> Any:
            logp = jax.nn.log_softmax(forward(ps, x))
            return -jnp.mean(jnp.take_along_axis(logp, t[:, None], axis=1))

        def step(ps: Any, st: Any, x: Any, t: Any) -> Any:
            loss, grads = jax.value_and_grad(loss_fn)(ps, x, t)
            updates, st = tx.update(grads, st, ps)
            return optax.apply_updates(ps, updates), st, loss

        self.step = jax.jit(step, donate_argnums=(0, 1))
        self.forward = jax.jit(forward)

    def epoch(self, order: np.ndarray) -> None:
        ps, st, B = self.params, self.state, self.batch
        for s in range(0, len(order), B):
            idx = order[s:s + B]
            ps, st, _ = self.step(ps, st, self.X.take(idx, axis=0), self.y.take(idx))
        self.jax.block_until_ready(ps)
        self.params, self.state = ps, st

    def accuracy(self, X: np.ndarray, y: np.ndarray) -> float:
        out = np.asarray(self.forward(self.params, X))
        return float((out.argmax(1) == y).mean())
