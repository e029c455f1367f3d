"""The named data sets: ``load_dataset(name)``, ``list_datasets()`` (the CLI's ``--dataset``)."""
from __future__ import annotations

import difflib
import inspect
from typing import Any, Callable, NamedTuple

import numpy as np

from . import mnist as _mnist
from . import synthetic, toy
from .bunch import DataBunch

__all__ = ["DATASETS", "DatasetInfo", "list_datasets", "load_dataset"]


class DatasetInfo(NamedTuple):
    """One entry of :data:`DATASETS`."""

    name: str
    task: str  # 'binary', 'multiclass' or 'regression'
    description: str
    loader: Callable[..., Any]
    source: str  # 'generated', 'sklearn' (needs the extra) or 'download'


def _generated(name: str, fn: Callable[..., tuple[np.ndarray, np.ndarray]], task: str,
               description: str) -> DatasetInfo:
    def load(**kwargs: Any) -> DataBunch:
        X, y = fn(**kwargs)
        names = None if task == "regression" else [str(c) for c in range(int(y.max()) + 1)]
        return DataBunch(X=X, y=y, task=task, target_names=names,
                         feature_names=[f"x{i + 1}" for i in range(X.shape[1])], name=name,
                         description=description)
    load.__signature__ = inspect.signature(fn)  # type: ignore[attr-defined]
    load.__doc__ = fn.__doc__
    return DatasetInfo(name, task, description, load, "generated")


DATASETS: dict[str, DatasetInfo] = {info.name: info for info in [
    _generated("xor", synthetic.xor, "binary",
               "XOR: class 1 where exactly one coordinate is positive"),
    _generated("circles", synthetic.circles, "binary", "Two concentric circles"),
    _generated("moons", synthetic.moons, "binary", "Two interleaving half moons"),
    _generated("spirals", synthetic.spirals, "multiclass",
               "Interleaved spirals, one class per arm (arms=2)"),
    _generated("blobs", synthetic.blobs, "multiclass", "Gaussian blobs, one class each"),
    _generated("linear", synthetic.linear, "binary",
               "Two classes either side of a line (linearly separable)"),
    _generated("sine", synthetic.sine, "regression", "y = sin(x) + noise, x in [-pi, pi]"),
    _generated("plane", synthetic.plane, "regression",
               "y = 0.5 x1 - 0.3 x2 + 0.2 + noise"),
    DatasetInfo("iris", "multiclass", "Iris flowers: 150 samples, 4 features, 3 species",
                toy.iris, "sklearn"),
    DatasetInfo("wine", "multiclass", "Wine analysis: 178 samples, 13 features, 3 cultivars",
                toy.wine, "sklearn"),
    DatasetInfo("breast_cancer", "binary",
                "Breast cancer diagnosis: 569 samples, 30 features, 2 classes",
                toy.breast_cancer, "sklearn"),
    DatasetInfo("digits", "multiclass", "Handwritten digits 8x8: 1797 samples, 10 classes",
                toy.digits, "sklearn"),
    DatasetInfo("mnist", "multiclass",
                "MNIST digits 28x28: 60000 train + 10000 test (downloaded once)",
                _mnist.mnist, "download"),
    DatasetInfo("fashion_mnist", "multiclass",
                "Fashion-MNIST clothes 28x28: 60000 train + 10000 test (downloaded once)",
                _mnist.fashion_mnist, "download"),
]}


def list_datasets() -> list[DatasetInfo]:
    """Every named data set, with its task and a one-line description.

    Example
    -------
    >>> [(d.name, d.task) for d in list_datasets()][:2]
    [('xor', 'binary'), ('circles', 'binary')]
    """
    return list(DATASETS.values())


def _options(loader: Callable[..., Any]) -> list[str] | None:
    params = inspect.signature(loader).parameters.values()
    if any(p.kind is p.VAR_KEYWORD for p in params):
        return None  # anything goes (passed on)
    return [p.name for p in params]


def load_dataset(name: str, **kwargs: Any) -> DataBunch:
    """Load a named data set as a :class:`DataBunch` (unpacks as ``X, y``).

    ``kwargs`` go to its loader (``n_samples``, ``noise``, ``seed``, ... for
    generated sets; ``root``, ``download`` for MNIST); options set to None
    are dropped, so a CLI can pass its defaults through.

    Example
    -------
    >>> X, y = load_dataset("moons", n_samples=10, seed=0)
    >>> X.shape, load_dataset("sine", n_samples=5, seed=0).task
    ((10, 2), 'regression')
    """
    info = DATASETS.get(name)
    if info is None:
        close = difflib.get_close_matches(str(name), DATASETS, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"load_dataset: expected one of {list(DATASETS)}, got {name!r}{hint}")
    kwargs = {k: v for k, v in kwargs.items() if v is not None}
    allowed = _options(info.loader)
    if allowed is not None:
        unknown = sorted(set(kwargs) - set(allowed))
        if unknown:
            takes = ", ".join(allowed) if allowed else "no options"
            raise TypeError(f"load_dataset({name!r}): unexpected option(s) {unknown}; it "
                            f"takes {takes}")
    return info.loader(**kwargs)
