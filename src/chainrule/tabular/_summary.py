"""The preprocessing in words (the run summary) and read back from a run's ``preprocess.json``."""
from __future__ import annotations

from typing import Any, Sequence

__all__ = ["describe", "from_run_file"]


def describe(pre: Any, target: Any = None,
             names: Sequence[str] | None = None) -> str:
    """One line for the run summary: how many columns of each kind, and the outputs.

    Example
    -------
    >>> import numpy as np
    >>> from chainrule.tabular.preprocess import Preprocessor
    >>> describe(Preprocessor().fit({"a": np.array([1.0, np.nan]),
    ...                              "b": np.array(["x", "y"], dtype=object)}))
    'preprocessing: 1 numeric, 1 category -> 5 features; missing cells imputed in 1 column'
    >>> describe(Preprocessor(categorical="embed").fit({"b": np.array(list("xxyyz"), object)}))
    "preprocessing: 1 category -> 1 features; embedded: 'b' (3 codes)"
    """
    kinds: dict[str, int] = {}
    for c in pre.columns_:
        kinds[c["kind"]] = kinds.get(c["kind"], 0) + 1
    parts = ", ".join(f"{n} {k}" for k, n in kinds.items())
    ind = sum(c["indicator"] for c in pre.columns_)
    text = f"preprocessing: {parts} -> {pre.n_features_out} features"
    if ind:
        text += f"; missing cells imputed in {ind} column{'s' if ind > 1 else ''}"
    embedded = [f"{c['name']!r} ({len(c['categories']) + 1 + int(c['indicator'])} codes)"
                for c in pre.columns_ if c.get("encoding") == "embed"]
    if embedded:
        text += "; embedded: " + ", ".join(embedded[:5]) + (" ..." if len(embedded) > 5 else "")
    if target is not None:
        text += "; target standardised"
    return text


def from_run_file(data: Any, path: object, n_inputs: int | None = None,
                  n_outputs: int | None = None) -> tuple[Any, Any]:
    """The preprocessing stored in a run's ``preprocess.json`` (its parsed ``data``), validated.

    Raises :class:`~chainrule.train.errors.ModelFileError` naming ``path`` if a field is
    wrong or does not fit the model (``n_inputs`` features in, ``n_outputs`` out).
    """
    from ..train.errors import ModelFileError
    from .preprocess import Preprocessor, TargetScaler
    try:
        pre = Preprocessor.from_dict(data)
        target = None if data.get("target") is None else TargetScaler.from_dict(data["target"])
    except (ValueError, TypeError) as exc:
        raise ModelFileError(path, str(exc)) from None
    if n_inputs is not None and pre.n_features_out != n_inputs:
        raise ModelFileError(path, f"expected preprocessing with {n_inputs} output features "
                             f"(the model's in_features), got {pre.n_features_out}")
    if target is not None and n_outputs is not None and len(target.to_dict()["center"]) != \
            n_outputs:
        raise ModelFileError(path, f"expected a target scale per model output ({n_outputs}), "
                             f"got {len(target.to_dict()['center'])}")
    return pre, target
