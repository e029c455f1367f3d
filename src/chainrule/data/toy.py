"""Small real data sets, read from the files that scikit-learn ships (no network).

Needs the ``sklearn`` extra: ``pip install "chainrule[sklearn]"``.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .bunch import DataBunch

__all__ = ["breast_cancer", "digits", "iris", "wine"]


def _load(name: str, description: str) -> DataBunch:
    try:
        from sklearn import datasets
    except ImportError:
        raise ImportError(f"{name}() reads scikit-learn's bundled data; install it with "
                          f'pip install "chainrule[sklearn]"') from None
    raw: Any = getattr(datasets, f"load_{name}")()
    y = np.asarray(raw.target, dtype=np.int64)
    target_names = [str(t) for t in raw.target_names]
    return DataBunch(X=np.asarray(raw.data, dtype=np.float32), y=y,
                     task="binary" if len(target_names) == 2 else "multiclass",
                     target_names=target_names,
                     feature_names=[str(f) for f in raw.feature_names],
                     name=name, description=description)


def iris() -> DataBunch:
    """Fisher's iris flowers: 150 samples, 4 measurements (cm), 3 species.

    Shape
    -----
    X: ``(150, 4)`` float32; y: ``(150,)`` int64 in [0, 3).

    Example
    -------
    >>> X, y = iris()
    >>> X.shape, iris().target_names
    ((150, 4), ['setosa', 'versicolor', 'virginica'])
    """
    return _load("iris", "Iris flowers: 4 measurements, 3 species")


def digits() -> DataBunch:
    """Handwritten digits, 8x8 images with grey levels 0..16: 1,797 samples, 10 classes.

    Shape
    -----
    X: ``(1797, 64)`` float32; y: ``(1797,)`` int64 in [0, 10).
    """
    return _load("digits", "Handwritten digits 8x8 (grey levels 0-16), 10 classes")


def wine() -> DataBunch:
    """Wine chemistry: 178 samples, 13 features, 3 cultivars.

    Shape
    -----
    X: ``(178, 13)`` float32; y: ``(178,)`` int64 in [0, 3).
    """
    return _load("wine", "Wine chemical analysis: 13 features, 3 cultivars")


def breast_cancer() -> DataBunch:
    """Wisconsin breast cancer diagnosis: 569 samples, 30 features, malignant or benign.

    Shape
    -----
    X: ``(569, 30)`` float32; y: ``(569,)`` int64 in {0: malignant, 1: benign}.
    """
    return _load("breast_cancer", "Breast cancer diagnosis: 30 features, malignant/benign")
