"""The exceptions of the training workflow: a diverged loss, a bad model file."""
from __future__ import annotations

__all__ = ["ModelFileError", "NonFiniteLossError"]


class NonFiniteLossError(ValueError):
    """The loss became NaN or infinite during training.

    Raised by :func:`chainrule.train.fit` unless a :class:`TerminateOnNaN`
    callback handles it; the message names the epoch, the batch and the last
    finite loss, and suggests a lower learning rate.

    Example
    -------
    >>> err = NonFiniteLossError(epoch=3, batch=7, loss=float("nan"), last_finite=2.5)
    >>> err.epoch, err.batch
    (3, 7)
    """

    def __init__(self, epoch: int, batch: int, loss: float, last_finite: float | None) -> None:
        self.epoch, self.batch, self.loss, self.last_finite = epoch, batch, loss, last_finite
        last = "none" if last_finite is None else f"{last_finite:.6g}"
        super().__init__(
            f"fit: expected a finite loss, got {loss} at epoch {epoch}, batch {batch} "
            f"(last finite loss: {last}); try a lower learning rate, gradient clipping or "
            "standardised inputs")


class ModelFileError(ValueError):
    """A model, checkpoint or run file is missing, truncated, corrupted or does not fit the model.

    The message names the file and, where it applies, the keys and shapes.

    Example
    -------
    >>> str(ModelFileError("run/model.safetensors", "missing keys ['0.bias']"))
    "run/model.safetensors: missing keys ['0.bias']"
    """

    def __init__(self, path: object, problem: str) -> None:
        self.path = str(path)
        super().__init__(f"{path}: {problem}")


CorruptFileError = ModelFileError  # alias: the name the issue suggested
__all__ += ["CorruptFileError"]
