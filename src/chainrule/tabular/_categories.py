"""Text (category) columns of the preprocessing: one-hot blocks or integer codes to embed.

A category column keeps a list of training values. One-hot: one 0/1 feature per
value, then ``other`` (rarer and unseen values) and ``missing`` (when the
training split had missing cells). Embedded (``"encoding": "embed"``): one
feature holding the code, ``0..K-1`` for the values, ``K`` for other, ``K + 1``
for missing; :class:`~chainrule.tabular.embed.EmbeddingMLP` looks it up.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ._columns import _text

__all__ = ["AUTO", "CATEGORICAL", "EMBED_MIN_COUNT", "MAX_EMBED_CATEGORIES", "categories",
           "codes", "n_codes", "one_hot", "output_names"]

CATEGORICAL = ("auto", "onehot", "embed")
# auto embeds a text column with more distinct training values than --max-categories, that
# is where one-hot would lump values into 'other'. Measured (CLI defaults, seeded tables of
# 2000 training / 5000 held-out rows whose K-value column carries the signal, 2 seeds), the
# held-out accuracy of one-hot capped at 30 / embedded (N(0, 0.1^2) tables) / uncapped
# one-hot: K=60 0.694 / 0.767 / 0.769, K=200 0.627 / 0.722 / 0.723. At K = 8, 16, 30 embedded
# (N(0, 1) tables) and one-hot agree within 0.004 on average: below the cap, one-hot (exact,
# with readable feature names) stays.
AUTO = "auto"
EMBED_MIN_COUNT = 2  # an embedded value seen once in training shares 'other' (which so learns)
MAX_EMBED_CATEGORIES = 100_000


def categories(text: np.ndarray, max_categories: int, categorical: str) -> tuple[list[str], str]:
    """The training values a column keeps, sorted, and its encoding ('onehot' or 'embed').

    ``text``: the column's non-missing cells as str.

    Example
    -------
    >>> categories(np.array(["b", "a", "b", "c", "c", "c"]), 2, "onehot")
    (['b', 'c'], 'onehot')
    >>> categories(np.array(["b", "a", "b", "c", "c", "c"]), 2, "auto")
    (['b', 'c'], 'embed')
    """
    uniq, counts = np.unique(text, return_counts=True)
    embed = categorical == "embed" or (categorical == "auto" and len(uniq) > max_categories)
    if embed:
        keep = counts >= EMBED_MIN_COUNT
        uniq, counts = uniq[keep], counts[keep]
        cap = MAX_EMBED_CATEGORIES
    else:
        cap = max_categories
    order = np.lexsort((uniq, -counts))[:cap]
    return sorted(str(uniq[i]) for i in order), "embed" if embed else "onehot"


def n_codes(c: dict[str, Any]) -> int:
    """Codes of a column: its values, other and (with an indicator) missing."""
    return len(c["categories"]) + 1 + int(c["indicator"])


def output_names(c: dict[str, Any]) -> list[str]:
    """The features a category column becomes, by name."""
    if c.get("encoding") == "embed":
        return [f"{c['name']}@code"]
    return [f"{c['name']}={v}" for v in c["categories"]] + [f"{c['name']}=other"] + \
        ([f"{c['name']}=missing"] if c["indicator"] else [])


def codes(c: dict[str, Any], values: np.ndarray, miss: np.ndarray) -> np.ndarray:
    """The int64 code of each cell: the value's index, other, or missing."""
    cats = c["categories"]
    text = _text(values, miss).astype(str)
    uniq, inverse = np.unique(text, return_inverse=True)
    lookup = {v: i for i, v in enumerate(cats)}
    code = np.array([lookup.get(str(u), len(cats)) for u in uniq], np.int64)[inverse]
    code = code.reshape(len(text))
    # missing, unseen in training: other
    code[miss] = len(cats) + 1 if c["indicator"] else len(cats)
    return code


def one_hot(c: dict[str, Any], values: np.ndarray, miss: np.ndarray, out: np.ndarray,
            k: int) -> int:
    """Write the column's features into ``out[:, k:]``; returns the next free column."""
    code = codes(c, values, miss)
    if c.get("encoding") == "embed":
        out[:, k] = code
        return k + 1
    width = n_codes(c)
    block = np.zeros((len(code), width), np.float32)
    block[np.arange(len(code)), code] = 1.0
    out[:, k:k + width] = block
    return k + width
