"""Lints on the loss curve of ``fit``: rising for several epochs, flat at log(C)."""
from __future__ import annotations

import math
from typing import Any, Sequence

from ._core import warn

RISING_EPOCHS = 3  # rises in a row (by RISE in all) before the loss counts as rising
RISE = 1.10  # the last of those epochs at least 10% above the first: not noise on a plateau
UNDONE = 0.5  # ... and above half the first epoch's loss: the progress is being undone
FLAT_EPOCHS = 5  # epochs at log(C) before the loss counts as flat
FLAT_TOLERANCE = 0.01  # relative distance to log(C) that counts as "at" it


def classes(loss: Any, out_shape: tuple[int, ...]) -> int | None:
    """The number of classes C of a classification loss (None for regression)."""
    kind = type(loss).__name__
    if kind in ("CrossEntropyLoss", "NLLLoss") and len(out_shape) >= 2:
        return int(out_shape[1])
    return 2 if kind in ("BCELoss", "BCEWithLogitsLoss") else None


def check_epochs(losses: Sequence[float], n_classes: int | None) -> bool:
    """Warn when the per-epoch training ``losses`` rise or stay at chance level; True if it
    warned (the caller stops checking this run)."""
    n = len(losses)
    if n > RISING_EPOCHS:
        last = losses[n - RISING_EPOCHS - 1:]
        if (all(b > a for a, b in zip(last, last[1:])) and last[-1] >= last[0] * RISE
                and last[-1] > UNDONE * losses[0]):
            warn(f"fit: the training loss rose for {RISING_EPOCHS} epochs in a row "
                 f"({last[0]:.4g} -> {last[-1]:.4g}): the learning rate is likely too high; "
                 "fix: lower lr (e.g. by 10x), or add gradient clipping or a schedule")
            return True
    if n_classes is not None and n_classes >= 2 and n >= FLAT_EPOCHS:
        chance = math.log(n_classes)
        tail = losses[n - FLAT_EPOCHS:]
        if all(abs(v - chance) <= FLAT_TOLERANCE * chance for v in tail):
            warn(f"fit: the training loss stays at log({n_classes}) = {chance:.4f}, chance "
                 "level (the model predicts equal probabilities for every class) for "
                 f"{FLAT_EPOCHS} epochs: a dead network (all ReLUs off, bad init), labels "
                 "shuffled against the inputs, a learning rate too low, or a model too simple "
                 "for the data (no hidden layer on XOR); fix: check that X and y rows line up, "
                 "try a higher lr, check the initialisation, or add a hidden layer")
            return True
    return False
