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

    def __init__(self, epoch: int, batch: int, loss: float, last_finite: float | None,
                 detail: str | None = None, diverged: bool = True) -> None:
        self.epoch, self.batch, self.loss, self.last_finite = epoch, batch, loss, last_finite
        self.detail, self.diverged = detail, diverged  # what fit found first (counted from 1)
        last = "none" if last_finite is None else f"{last_finite:.6g}"
        found = f"; found first: {detail}" if detail else ""
        hint = ("; try a lower learning rate, gradient clipping or standardised inputs"
                if diverged else "")
        super().__init__(
            f"fit: expected a finite loss, got {loss} at epoch {epoch}, batch {batch} "
            f"(last finite loss: {last}){found}{hint}")


class ModelFileError(ValueError):
    """A model, checkpoint or run file is missing, truncated, corrupted or does not fit the model.

    The message names the file and, where it applies, the keys and shapes.

    Example
    -------
    >>> str(ModelFileError("run/model.safetensors", "missing keys ['0.bias']"))
    "run/model.safetensors: missing keys ['0.bias']"
    """

    def __init__(self, path: object, problem: str) -> None:
        self.path, self.problem = str(path), str(problem)
        where = self.path if len(self.path) <= _MAX_PATH else "..." + self.path[-_MAX_PATH:]
        problem = " ".join(self.problem.split())  # one line, whatever the file held
        if len(problem) > _MAX_PROBLEM:
            problem = problem[:_MAX_PROBLEM - 3] + "..."
        super().__init__(f"{where}: {problem}")


_MAX_PATH, _MAX_PROBLEM = 160, 240  # one readable line, never the 2 MB a file may hold


CorruptFileError = ModelFileError  # alias: the name the issue suggested
__all__ += ["CorruptFileError"]
