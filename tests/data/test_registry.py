"""The named data sets: DATASETS, list_datasets, load_dataset."""
from __future__ import annotations

import numpy as np
import pytest

from chainrule.data import DATASETS, DataBunch, list_datasets, load_dataset

GENERATED = ["xor", "circles", "moons", "spirals", "blobs", "linear", "sine", "plane"]


def test_listing_has_every_set_with_task_and_description() -> None:
    names = [d.name for d in list_datasets()]
    for n in [*GENERATED, "iris", "wine", "breast_cancer", "digits", "mnist", "fashion_mnist"]:
        assert n in names and n in DATASETS
    for d in list_datasets():
        assert d.task in ("binary", "multiclass", "regression")
        assert d.description and "\n" not in d.description
        assert d.source in ("generated", "sklearn", "download")


@pytest.mark.parametrize("name", GENERATED)
def test_generated_sets_load_as_bunches(name: str) -> None:
    b = load_dataset(name, n_samples=30, seed=1)
    assert isinstance(b, DataBunch) and b.name == name
    assert b.task == DATASETS[name].task
    assert b.X.shape[0] == 30 and b.feature_names == [f"x{i + 1}" for i in range(b.X.shape[1])]
    if b.task == "regression":
        assert b.target_names is None
    else:
        assert b.target_names is not None and len(b.target_names) == int(b.y.max()) + 1
    X, _ = load_dataset(name, n_samples=30, seed=1)
    np.testing.assert_array_equal(X, b.X)


def test_none_options_are_dropped_and_unknown_ones_named() -> None:
    assert load_dataset("xor", n_samples=None, noise=None, seed=0).X.shape == (200, 2)
    with pytest.raises(TypeError, match=r"unexpected option\(s\) \['arms'\]; it takes "
                       "n_samples, noise, seed"):
        load_dataset("moons", arms=3)
    with pytest.raises(TypeError, match="it takes no options"):
        load_dataset("iris", seed=0)


def test_unknown_name_suggests() -> None:
    with pytest.raises(ValueError, match="did you mean 'moons'"):
        load_dataset("moon")


def test_real_sets_by_name() -> None:
    pytest.importorskip("sklearn")
    b = load_dataset("iris")
    assert b.X.shape == (150, 4) and b.task == "multiclass"
