"""DataBunch: a loaded dataset's arrays with its names and task."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import numpy as np

TASKS = ("binary", "multiclass", "regression")


def infer_task(y: np.ndarray) -> str:
    """'regression' for float targets, else 'binary' or 'multiclass' by the number of classes."""
    if y.dtype.kind == "f":
        return "regression"
    return "binary" if len(np.unique(y)) <= 2 else "multiclass"


@dataclass(repr=False)
class DataBunch:
    """A dataset as arrays plus what describes them; unpacks as ``X, y``.

    Every loader of real or file data (``iris()``, ``load_csv(...)``,
    ``load_dataset(name)``) returns one, so ``X, y = iris()`` works and the
    names are there when wanted.

    Attributes
    ----------
    X : float32 ``(n_samples, n_features)`` features.
    y : int64 class indices ``(n_samples,)``, or float32 targets for regression.
    task : ``'binary'``, ``'multiclass'`` or ``'regression'``.
    target_names : class names, ``target_names[y[i]]`` (None for regression).
    feature_names : one name per column of ``X``.
    X_test, y_test : a predefined test split (MNIST), else None.

    Example
    -------
    >>> import numpy as np
    >>> b = DataBunch(np.zeros((4, 2), np.float32), np.array([0, 1, 0, 1]), "binary",
    ...               ["no", "yes"], ["a", "b"])
    >>> X, y = b; X.shape, b.n_classes
    ((4, 2), 2)
    """

    X: np.ndarray
    y: np.ndarray
    task: str
    target_names: list[str] | None = None
    feature_names: list[str] | None = None
    X_test: np.ndarray | None = None
    y_test: np.ndarray | None = None
    name: str = ""
    description: str = ""

    def __post_init__(self) -> None:
        if self.task not in TASKS:
            raise ValueError(f"DataBunch: expected task one of {TASKS}, got {self.task!r}")

    def __iter__(self) -> Iterator[np.ndarray]:
        return iter((self.X, self.y))

    @property
    def n_features(self) -> int:
        return int(np.prod(self.X.shape[1:]))

    @property
    def n_classes(self) -> int | None:
        """Number of classes (None for regression)."""
        if self.task == "regression":
            return None
        if self.target_names is not None:
            return len(self.target_names)
        return int(self.y.max()) + 1 if self.y.size else 0

    def __repr__(self) -> str:
        test = "" if self.X_test is None else f", X_test={self.X_test.shape}"
        label = f"{self.name!r}, " if self.name else ""
        return (f"DataBunch({label}X={self.X.shape} {self.X.dtype}, y={self.y.shape} "
                f"{self.y.dtype}, task={self.task!r}{test})")
