"""scikit-learn MLPClassifier, one ``partial_fit`` per epoch on the shared batch order.

No L2 penalty (alpha=0), plain momentum (no Nesterov), ``shuffle=False`` because the rows are
passed already in the shared order. Its own Glorot initialisation (it cannot take given
weights before the first fit). ``dtype``: float32 input (kept as float32 by sklearn) or
float64 (its usual path).
"""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np


class Runner:
    def __init__(self, params: list[tuple[np.ndarray, np.ndarray]], opt: str,
                 hp: dict[str, Any], batch: int, X: np.ndarray, y: np.ndarray,
                 dtype: Any = np.float64) -> None:
        from sklearn.neural_network import MLPClassifier
        hidden = tuple(w.shape[0] for w, _ in params[:-1])
        kw: dict[str, Any] = dict(hidden_layer_sizes=hidden, activation="relu", alpha=0.0,
                                  batch_size=batch, learning_rate_init=hp["lr"], shuffle=False,
                                  random_state=0)
        if opt == "sgd":
            kw.update(solver="sgd", momentum=hp["momentum"], nesterovs_momentum=False)
        else:
            kw.update(solver="adam", beta_1=hp["betas"][0], beta_2=hp["betas"][1],
                      epsilon=hp["eps"])
        self.clf = MLPClassifier(**kw)
        self.X, self.y, self.dtype = X.astype(dtype), y, dtype
        self.classes = np.arange(int(y.max()) + 1)

    def epoch(self, order: np.ndarray) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.clf.partial_fit(self.X[order], self.y[order], classes=self.classes)

    def accuracy(self, X: np.ndarray, y: np.ndarray) -> float:
        return float((self.clf.predict(X.astype(self.dtype)) == y).mean())
