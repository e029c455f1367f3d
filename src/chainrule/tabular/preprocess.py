"""Preprocessing as part of the model: raw table columns -> the float32 matrix an MLP reads.

:class:`Preprocessor` is fitted on the training split only, stored as plain
JSON data (:meth:`~Preprocessor.to_dict`, never pickle) and applied unchanged
by ``evaluate``, ``predict`` and exported models. Columns, by kind:

- ``numeric``: missing cells (NaN, infinities) get the training median; a
  ``<name>_missing`` 0/1 indicator follows when the training split had any.
  Then ``(x - center) / scale``: a column inside [0, 1] that spans at least half
  of it, or any column of a table whose numbers all lie in [0, 1] (pixels), is
  kept as it is (center 0, scale 1); others are standardised with the scale
  floored at 1/20 of the training range, so a near-constant column cannot blow up.
- ``boolean`` (true/false, yes/no, t/f, y/n in any case): 1/0, missing as numeric.
- ``category`` (any other text): one-hot over the ``max_categories`` most frequent
  training values, plus ``<name>=other`` (rarer and unseen values: never an error)
  and ``<name>=missing`` when the training split had missing cells. With
  ``categorical="embed"`` (or ``"auto"`` and more distinct training values than
  ``max_categories``) the column becomes one feature ``<name>@code`` instead: the
  integer code of the value (values seen at least twice; then other, missing),
  which :class:`~chainrule.tabular.embed.EmbeddingMLP` embeds (see ``_categories``).

Integer codes stay numeric. :class:`TargetScaler` standardises regression targets
for training and maps predictions back. Both are small, pure NumPy and documented
for reuse (ONNX export folds the same dict into a graph: a numeric column is
``(fill_if_nan(x) - center) / scale``, a category column an equality one-hot).
"""
from __future__ import annotations

import math
from typing import Any, Mapping

import numpy as np

from . import _categories
from ._summary import describe, from_run_file
from .target import TargetScaler
from ._columns import (MISSING_TOKENS, _as_numbers, _bool_numbers, _kind, _text, _unit_table,
                       is_missing)

__all__ = ["FORMAT", "MISSING_TOKENS", "Preprocessor", "TargetScaler", "describe", "from_run_file",
           "is_missing"]

FORMAT, VERSION = "chainrule-preprocess", 1
SCALE_FLOOR = 1 / 20  # of the training range


class Preprocessor:
    """Fit on training columns, transform any columns with the same names into float32 features.

    Parameters
    ----------
    max_categories : one-hot columns per text column at most (rarer values go to ``other``).
    categorical : ``"onehot"``, ``"embed"`` (integer codes for an embedding) or ``"auto"``
        (embed the columns with more than ``max_categories`` distinct training values).
    missing : ``"impute"`` (median / a ``missing`` category, plus indicators) or ``"error"``.
    indicators : add a 0/1 ``<name>_missing`` column for columns with missing training cells.

    Shape
    -----
    columns: a mapping name -> 1-D array (numbers with NaN for missing, or text with
    None/''/'NA'/...); transform returns ``(n_rows, len(output_names))`` float32.

    Example
    -------
    >>> cols = {"age": np.array([20.0, np.nan, 40.0]),
    ...         "city": np.array(["Paris", "Rome", "Paris"], dtype=object)}
    >>> p = Preprocessor().fit(cols)
    >>> p.output_names
    ['age', 'age_missing', 'city=Paris', 'city=Rome', 'city=other']
    >>> p.transform({"age": np.array([30.0]), "city": np.array(["Oslo"], dtype=object)}).tolist()
    [[0.0, 0.0, 0.0, 0.0, 1.0]]
    """

    def __init__(self, *, max_categories: int = 30, missing: str = "impute",
                 indicators: bool = True, categorical: str = "onehot") -> None:
        if categorical not in _categories.CATEGORICAL:
            raise ValueError(f"Preprocessor: expected categorical among "
                             f"{list(_categories.CATEGORICAL)}, got {categorical!r}")
        if missing not in ("impute", "error"):
            raise ValueError(f"Preprocessor: expected missing 'impute' or 'error', got "
                             f"{missing!r}")
        if isinstance(max_categories, bool) or not isinstance(max_categories, int) or \
                max_categories < 1:
            raise ValueError(f"Preprocessor: expected max_categories >= 1, got "
                             f"{max_categories!r}")
        self.max_categories, self.missing, self.indicators = max_categories, missing, indicators
        self.categorical = categorical
        self.columns_: list[dict[str, Any]] = []

    # ---- fitting ----------------------------------------------------------------------
    def fit(self, columns: Mapping[str, Any], where: str = "Preprocessor.fit"
            ) -> Preprocessor:
        """Learn each column's kind, fill value, scale and categories; returns self."""
        specs = []
        unit_table = _unit_table(columns)
        for name, raw in columns.items():
            values = np.asarray(raw)
            if values.ndim != 1 or len(values) == 0:
                raise ValueError(f"{where}: expected column {name!r} a non-empty 1-D array, got "
                                 f"shape {values.shape}")
            miss = is_missing(values)
            if self.missing == "error" and miss.any():
                raise ValueError(f"{where}: expected no missing cells (--missing error), got "
                                 f"{int(miss.sum())} in column {name!r}")
            kind = _kind(values, miss)
            spec: dict[str, Any] = {"name": str(name), "kind": kind,
                                    "indicator": bool(miss.any()) and self.indicators}
            if kind == "category":
                text = _text(values, miss)[~miss].astype(str)
                cats, encoding = _categories.categories(text, self.max_categories,
                                                        self.categorical)
                spec["categories"] = cats
                if encoding == "embed":
                    spec["encoding"] = "embed"
            else:
                x = _bool_numbers(values, miss) if kind == "boolean" else \
                    _as_numbers(values, miss)
                assert x is not None
                seen = x[~miss]
                if len(seen) == 0:
                    spec.update(fill=0.0, center=0.0, scale=1.0)
                else:
                    lo, hi = float(seen.min()), float(seen.max())
                    fill = float(np.median(seen)) if kind == "numeric" else \
                        float(np.mean(seen) >= 0.5)
                    unit = lo >= 0 and hi <= 1 and (hi - lo >= 0.5 or unit_table)
                    if kind == "boolean" or unit:
                        center, scale = 0.0, 1.0
                    else:
                        full = np.where(miss, fill, x)
                        center = float(full.mean())
                        std, floor = float(full.std()), SCALE_FLOOR * (hi - lo)
                        scale = max(std, floor) if hi > lo else 1.0
                    spec.update(fill=fill, center=center, scale=scale)
            specs.append(spec)
        self.columns_ = specs
        return self

    @property
    def feature_names_in_(self) -> list[str]:
        """The raw column names, in order."""
        return [c["name"] for c in self.columns_]

    @property
    def output_names(self) -> list[str]:
        """The names of the output features, in order."""
        out: list[str] = []
        for c in self.columns_:
            if c["kind"] == "category":
                out += _categories.output_names(c)
            else:
                out.append(c["name"])
                if c["indicator"]:
                    out.append(f"{c['name']}_missing")
        return out

    @property
    def n_features_out(self) -> int:
        return len(self.output_names)

    @property
    def embeddings(self) -> list[tuple[int, int]]:
        """``(output column, number of codes)`` of each embedded text column (else empty)."""
        out, k = [], 0
        for c in self.columns_:
            if c.get("encoding") == "embed":
                out.append((k, _categories.n_codes(c)))
            k += len(_categories.output_names(c)) if c["kind"] == "category" else \
                1 + int(c["indicator"])
        return out

    # ---- applying ---------------------------------------------------------------------
    def transform(self, columns: Mapping[str, Any] | np.ndarray,
                  where: str = "Preprocessor.transform") -> np.ndarray:
        """The float32 feature matrix for ``columns``: a mapping, an array in column order, or
        a :class:`~chainrule.tabular.read.Frame` (then errors name its file, row and column)."""
        if not self.columns_:
            raise ValueError(f"{where}: expected a fitted Preprocessor, got an unfitted one")
        line = None
        if hasattr(columns, "line") and hasattr(columns, "where"):
            where, line = columns.where, columns.line  # type: ignore[union-attr]
            columns = columns.columns  # type: ignore[union-attr]
        if isinstance(columns, np.ndarray) or not isinstance(columns, Mapping):
            arr = np.asarray(columns)
            if arr.ndim != 2 or arr.shape[1] != len(self.columns_):
                raise ValueError(f"{where}: expected {len(self.columns_)} columns "
                                 f"{self.feature_names_in_[:8]}, got shape {arr.shape}")
            columns = {c["name"]: arr[:, j] for j, c in enumerate(self.columns_)}
        absent = [c["name"] for c in self.columns_ if c["name"] not in columns]
        if absent:
            raise ValueError(f"{where}: expected the columns the model was trained on, missing "
                             f"{absent[:10]}")
        n = len(np.asarray(columns[self.columns_[0]["name"]]))
        out = np.empty((n, self.n_features_out), np.float32)
        k = 0
        for c in self.columns_:
            values = np.asarray(columns[c["name"]])
            if values.shape != (n,):
                raise ValueError(f"{where}: expected column {c['name']!r} of {n} rows, got "
                                 f"shape {values.shape}")
            miss = is_missing(values)
            if self.missing == "error" and miss.any():
                i = int(np.argmax(miss))
                row = f"row {line(i)}" if line else f"row index {i}"
                raise ValueError(f"{where}, {row}, column {c['name']!r}: expected a value "
                                 "(--missing error), got a missing cell")
            if c["kind"] == "category":
                k = _categories.one_hot(c, values, miss, out, k)
                continue
            if c["kind"] == "boolean":
                x = _bool_numbers(values, miss)
            else:
                num = _as_numbers(values, miss)
                if num is None:
                    i = next(i for i, (v, m) in enumerate(zip(values.tolist(), miss))
                             if not m and _as_numbers(np.array([v], object),
                                                      np.zeros(1, bool)) is None)
                    row = f"row {line(i)}" if line else f"row index {i}"
                    raise ValueError(f"{where}, {row}, column {c['name']!r}: expected a number, "
                                     f"got {values[i]!r}")
                x = num
            x = np.where(miss, c["fill"], x)
            out[:, k] = (x - c["center"]) / c["scale"]
            k += 1
            if c["indicator"]:
                out[:, k] = miss
                k += 1
        return out

    def fit_transform(self, columns: Mapping[str, Any]) -> np.ndarray:
        """``fit(columns)`` then ``transform(columns)``."""
        return self.fit(columns).transform(columns)

    # ---- storage ----------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data: the format, the options and one entry per column."""
        return {"format": FORMAT, "version": VERSION, "max_categories": self.max_categories,
                "missing": self.missing, "categorical": self.categorical,
                "columns": [dict(c) for c in self.columns_],
                "output_names": self.output_names}

    @classmethod
    def from_dict(cls, data: Any) -> Preprocessor:
        """Rebuild from :meth:`to_dict` output, validating every field (ValueError if wrong).

        Example
        -------
        >>> p = Preprocessor().fit({"x": np.array([1.0, 3.0])})
        >>> Preprocessor.from_dict(p.to_dict()).transform({"x": np.array([2.0])}).tolist()
        [[0.0]]
        """
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError(f"expected a {FORMAT} dict, got {type(data).__name__}")
        p = cls(max_categories=data.get("max_categories", 30),
                missing=data.get("missing", "impute"),
                categorical=data.get("categorical", "onehot"))
        cols = data.get("columns")
        if not isinstance(cols, list) or not cols:
            raise ValueError("expected 'columns' a non-empty list")
        for c in cols:
            if not isinstance(c, dict) or not isinstance(c.get("name"), str) or \
                    c.get("kind") not in ("numeric", "boolean", "category") or \
                    not isinstance(c.get("indicator"), bool):
                raise ValueError(f"expected a column entry with name, kind and indicator, got "
                                 f"{c!r:.100}")
            if c["kind"] == "category":
                cats = c.get("categories")
                if not isinstance(cats, list) or not all(isinstance(v, str) for v in cats):
                    raise ValueError(f"expected categories of column {c['name']!r} a list of "
                                     "strings")
                if c.get("encoding", "onehot") not in ("onehot", "embed"):
                    raise ValueError(f"expected encoding 'onehot' or 'embed' for column "
                                     f"{c['name']!r}, got {c.get('encoding')!r:.40}")
            else:
                for key in ("fill", "center", "scale"):
                    v = c.get(key)
                    if isinstance(v, bool) or not isinstance(v, (int, float)) or \
                            not math.isfinite(v) or (key == "scale" and v <= 0):
                        raise ValueError(f"expected a finite {key} for column {c['name']!r}, "
                                         f"got {v!r}")
        p.columns_ = [dict(c) for c in cols]
        names = data.get("output_names")
        if names is not None and names != p.output_names:
            raise ValueError("expected output_names to match the columns")
        return p
