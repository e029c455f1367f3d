# ruff: noqa: N803  (X: scikit-learn's name)
"""MLPModule, a ready ``nn.Module`` for the NeuralNet estimators, and the weighted-loss adapter."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .. import nn
from ..tensor import _make

_ACTIVATIONS: dict[str, Any] = {
    "relu": nn.ReLU, "tanh": nn.Tanh, "logistic": nn.Sigmoid, "sigmoid": nn.Sigmoid,
    "gelu": nn.GELU, "silu": nn.SiLU, "elu": nn.ELU, "leaky_relu": nn.LeakyReLU,
    "softplus": nn.Softplus, "identity": nn.Identity,
}


class MLPModule(nn.Module):
    """Linear → activation (→ Dropout) per hidden layer, then Linear: an MLP to hand to
    :class:`NeuralNetClassifier` (``in_features``/``out_features`` come from the data).

    Shape
    -----
    x: (N, in_features) -> (N, out_features)

    Example
    -------
    >>> import chainrule as cr
    >>> tuple(MLPModule(4, 3, hidden_layer_sizes=(8,))(cr.zeros(2, 4)).shape)
    (2, 3)
    """

    def __init__(self, in_features: int, out_features: int,
                 hidden_layer_sizes: Sequence[int] | int = (100,), activation: str = "relu",
                 dropout: float = 0.0) -> None:
        super().__init__()
        if activation not in _ACTIVATIONS:
            raise ValueError(f"MLPModule: expected activation in {sorted(_ACTIVATIONS)}, got "
                             f"{activation!r}")
        sizes = [hidden_layer_sizes] if isinstance(hidden_layer_sizes, int) else \
            list(hidden_layer_sizes)
        layers: list[nn.Module] = []
        fan_in = in_features
        for width in sizes:
            layers += [nn.Linear(fan_in, int(width)), _ACTIVATIONS[activation]()]
            if dropout:
                layers.append(nn.Dropout(dropout))
            fan_in = int(width)
        layers.append(nn.Linear(fan_in, out_features))
        self.net = nn.Sequential(*layers)

    def forward(self, x: Any) -> Any:
        return self.net(x)


class WeightedLoss:
    """Calls the criterion on targets packed as columns [y..., sample weight].

    The fit loop passes batches (X, targets) only, so the weight rides along as
    the last target column: the loss is Σ wᵢ lᵢ / Σ wᵢ over the batch (the plain
    criterion, with its own reduction, when every weight is 1).
    """

    def __init__(self, criterion: Any, unweighted: Any, classifier: bool) -> None:
        self.criterion, self.unweighted, self.classifier = criterion, unweighted, classifier

    def __call__(self, out: Any, packed: Any) -> Any:
        t = packed._data
        y = t[:, 0].astype(np.int64) if self.classifier else np.ascontiguousarray(t[:, :-1])
        w = t[:, -1]
        if self.criterion is None or (w == 1).all():
            return self.unweighted(out, _make(y))
        rows = self.criterion(out, _make(y))
        if rows.ndim > 1:
            rows = rows.reshape(len(w), -1).mean(dim=1)
        return (rows * _make(w.astype(out._data.dtype))).sum() / float(w.sum())


def split_train(est: Any, X: np.ndarray, packed: np.ndarray, y: Any, rs: Any
                ) -> tuple[Any, Any, Any]:
    """(X_train, targets_train, validation data or None) from ``est.train_split``: None, a
    fraction (stratified for classifiers) or a scikit-learn splitter (its first split)."""
    split = est.train_split
    if split is None:
        return X, packed, None
    if isinstance(split, float):
        from sklearn.model_selection import train_test_split
        strat = y if est._classifier else None
        tr, va = train_test_split(np.arange(len(X)), test_size=split, random_state=rs,
                                  stratify=strat)
    elif hasattr(split, "split"):
        tr, va = next(iter(split.split(X, y)))
    else:
        raise ValueError(f"{type(est).__name__}: expected train_split None, a fraction or a "
                         f"scikit-learn splitter, got {split!r}")
    return X[tr], packed[tr], (X[va], packed[va])
