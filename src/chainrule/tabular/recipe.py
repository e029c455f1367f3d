"""The pieces of a standard tabular training job, by name: what ``chainrule train`` assembles.

Task to head and loss (binary: one logit + BCEWithLogitsLoss; multiclass: C
logits + CrossEntropyLoss; regression: identity + MSELoss), optimizers,
schedules and the target encoding, each chosen by a short name and validated
with a message that names the option at fault.
"""
from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["DEFAULT_LR", "LOSSES", "OPTIMIZERS", "SCHEDULES", "default_loss", "default_lr",
           "encode_targets", "make_loss", "make_optimizer", "make_scheduler", "metric_names",
           "output_size"]

LOSSES = {"cross_entropy": ("CrossEntropyLoss", ("multiclass",)),
          "bce": ("BCEWithLogitsLoss", ("binary",)),
          "mse": ("MSELoss", ("regression",)), "l1": ("L1Loss", ("regression",)),
          "huber": ("HuberLoss", ("regression",)), "smooth_l1": ("SmoothL1Loss", ("regression",))}
OPTIMIZERS = {"sgd": "SGD", "adam": "Adam", "adamw": "AdamW", "rmsprop": "RMSprop",
              "adagrad": "Adagrad"}
SCHEDULES = ("none", "step", "cosine", "onecycle", "plateau")
# measured on benchmarks/tabular.py (results/tabular.md): Adam 1e-3 with batches of 64 and
# early stopping (patience 20) generalises better on small tables than 3e-3 with 32; 1.5e-3
# scores as 1e-3 does on average (6 splits of each toy set and mnist10k: iris +0.011, digits
# -0.001, diabetes R² -0.009, the rest equal) and early stopping ends 20-40 % sooner
DEFAULT_LR = {"sgd": 0.05, "adam": 0.0015, "adamw": 0.001, "rmsprop": 0.001, "adagrad": 0.05}


def default_loss(task: str) -> str:
    """The loss name for a task: 'bce', 'cross_entropy' or 'mse'.

    Example
    -------
    >>> default_loss("binary"), default_loss("regression")
    ('bce', 'mse')
    """
    return {"binary": "bce", "multiclass": "cross_entropy", "regression": "mse"}[task]


def default_lr(optimizer: str) -> float:
    """A learning rate that suits standardised tabular data with this optimizer."""
    return DEFAULT_LR[optimizer]


def make_loss(name: str, task: str) -> tuple[Any, str]:
    """The loss module for ``name``, and the task it implies.

    A binary task with ``cross_entropy`` becomes a 2-class multiclass task.

    Example
    -------
    >>> make_loss("cross_entropy", "binary")[1]
    'multiclass'
    """
    from .. import nn
    if name not in LOSSES:
        raise ValueError(f"--loss: expected one of {sorted(LOSSES)}, got {name!r}")
    cls_name, tasks = LOSSES[name]
    if name == "cross_entropy" and task == "binary":
        task = "multiclass"
    if task not in tasks:
        kind = "regression" if task == "regression" else "classification"
        raise ValueError(f"--loss: expected a loss for {kind} ({', '.join(_fits(task))}), got "
                         f"{name!r}, a loss for {'/'.join(tasks)}")
    return getattr(nn, cls_name)(), task


def _fits(task: str) -> list[str]:
    return [n for n, (_, tasks) in LOSSES.items() if task in tasks or
            (task == "binary" and n == "cross_entropy")]


def output_size(task: str, n_classes: int | None, y: np.ndarray) -> int:
    """Units of the output layer: 1 logit (binary), C logits (multiclass), y's columns."""
    if task == "binary":
        return 1
    if task == "multiclass":
        return int(n_classes or 0)
    return 1 if y.ndim == 1 else int(y.shape[1])


def encode_targets(y: np.ndarray, task: str) -> np.ndarray:
    """Targets shaped for the loss: float (N, 1) for binary/regression, int64 (N,) classes.

    Example
    -------
    >>> encode_targets(np.array([0, 1, 1]), "binary").tolist()
    [[0.0], [1.0], [1.0]]
    """
    if task == "multiclass":
        return np.asarray(y, dtype=np.int64)
    y = np.asarray(y, dtype=np.float32)
    return y.reshape(-1, 1) if y.ndim == 1 else y


def metric_names(task: str) -> list[str]:
    """The metrics logged during training for a task."""
    return ["mae", "r2"] if task == "regression" else ["accuracy"]


def make_optimizer(name: str, params: Any, lr: float, momentum: float | None = None,
                   weight_decay: float = 0.0) -> Any:
    """An optimizer by short name; ``momentum`` applies to sgd and rmsprop only.

    Example
    -------
    >>> import chainrule as cr
    >>> type(make_optimizer("adam", [cr.nn.Parameter(cr.zeros(2))], lr=0.01)).__name__
    'Adam'
    """
    from .. import optim
    if name not in OPTIMIZERS:
        raise ValueError(f"--optimizer: expected one of {sorted(OPTIMIZERS)}, got {name!r}")
    if not np.isfinite(lr) or lr <= 0:
        raise ValueError(f"--lr: expected a positive number, got {lr}")
    if weight_decay < 0 or not np.isfinite(weight_decay):
        raise ValueError(f"--weight-decay: expected a number >= 0, got {weight_decay}")
    kwargs: dict[str, Any] = {"lr": lr, "weight_decay": weight_decay}
    if momentum is not None:
        if name not in ("sgd", "rmsprop"):
            raise ValueError(f"--momentum: applies to sgd and rmsprop, got --optimizer {name}")
        if not 0 <= momentum < 1:
            raise ValueError(f"--momentum: expected a number in [0, 1), got {momentum}")
        kwargs["momentum"] = momentum
    elif name == "sgd":
        kwargs["momentum"] = 0.9
    return getattr(optim, OPTIMIZERS[name])(params, **kwargs)


def make_scheduler(name: str, optimizer: Any, epochs: int, steps_per_epoch: int) -> Any:
    """A schedule by short name, planned over ``epochs`` epochs (None for 'none').

    step: x0.1 every third of the epochs; cosine: to 0 over the epochs; onecycle:
    per batch, peaking at the optimizer's lr; plateau: x0.5 after 5 epochs
    without improvement of the validation (else training) loss.
    """
    from ..optim import lr_scheduler as sched
    if name not in SCHEDULES:
        raise ValueError(f"--schedule: expected one of {list(SCHEDULES)}, got {name!r}")
    lr = float(optimizer.param_groups[0]["lr"])
    if name == "step":
        return sched.StepLR(optimizer, step_size=max(1, epochs // 3), gamma=0.1)
    if name == "cosine":
        return sched.CosineAnnealingLR(optimizer, T_max=epochs)
    if name == "onecycle":
        return sched.OneCycleLR(optimizer, max_lr=lr, total_steps=epochs * steps_per_epoch)
    if name == "plateau":
        return sched.ReduceLROnPlateau(optimizer, factor=0.5, patience=5)
    return None
