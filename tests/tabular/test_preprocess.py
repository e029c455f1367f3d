"""Preprocessor and TargetScaler: kinds, imputation, one-hot with other, storage, real data."""
import json
from pathlib import Path

import numpy as np
import pytest

from chainrule.tabular.preprocess import (Preprocessor, TargetScaler, describe, from_run_file,
                                          is_missing)
from chainrule.train.errors import ModelFileError

MNIST = Path(__file__).resolve().parents[3] / "shared" / "data" / "mnist10k.npz"


def _cols():
    return {"age": np.array([20.0, np.nan, 40.0, 30.0], np.float32),
            "city": np.array(["Paris", "Rome", None, "Paris"], dtype=object),
            "member": np.array(["yes", "no", "YES", "n"], dtype=object),
            "code": np.array([3, 1, 2, 3], np.int64),
            "ratio": np.array([0.1, 0.5, 1.0, 0.0])}


def test_kinds_names_and_values():
    p = Preprocessor().fit(_cols())
    assert [c["kind"] for c in p.columns_] == ["numeric", "category", "boolean", "numeric",
                                               "numeric"]
    assert p.output_names == ["age", "age_missing", "city=Paris", "city=Rome", "city=other",
                              "city=missing", "member", "code", "ratio"]
    X = p.transform(_cols())
    assert X.dtype == np.float32 and X.shape == (4, 9)
    age = p.columns_[0]
    assert age["fill"] == 30.0  # median of the seen values
    assert X[1, 0] == pytest.approx((30 - age["center"]) / age["scale"]) and X[1, 1] == 1
    assert X[:, 2:6].tolist() == [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 1], [1, 0, 0, 0]]
    assert X[:, 6].tolist() == [1, 0, 1, 0]  # yes/no in any case
    assert X[:, 8].tolist() == pytest.approx([0.1, 0.5, 1.0, 0.0])  # [0, 1]: kept as is
    code = p.columns_[3]  # integer codes stay numeric, standardised
    assert X[:, 7].mean() == pytest.approx(0, abs=1e-6) and code["scale"] > 0


def test_unknown_and_missing_at_predict_never_crash():
    p = Preprocessor().fit(_cols())
    new = {"age": np.array([np.inf, 50.0]), "city": np.array(["Oslo", ""], dtype=object),
           "member": np.array([None, "no"], dtype=object), "code": np.array([9, 1]),
           "ratio": np.array(["NA", "0.5"], dtype=object), "extra": np.array([1, 2])}
    X = p.transform(new)
    assert np.isfinite(X).all()
    names = p.output_names
    assert X[0, names.index("city=other")] == 1 and X[1, names.index("city=missing")] == 1
    assert X[0, names.index("age_missing")] == 1
    # a column without missing cells in training: imputed at predict, no indicator
    assert X[0, names.index("ratio")] == pytest.approx(p.columns_[4]["fill"])


def test_category_cap_sends_rare_values_to_other():
    values = np.array(["a"] * 5 + ["b"] * 4 + ["c"] * 3 + ["d", "e"], dtype=object)
    p = Preprocessor(max_categories=2).fit({"v": values})
    assert p.output_names == ["v=a", "v=b", "v=other"]
    X = p.transform({"v": values})
    assert X[:, 2].sum() == 5 and X.sum(axis=1).tolist() == [1.0] * len(values)


def test_near_constant_column_does_not_blow_up():
    x = np.zeros(10000)
    x[0] = 1000.0  # one rare event in a column of zeros
    p = Preprocessor().fit({"x": x})
    z = p.transform({"x": x})[:, 0]
    assert np.abs(z).max() <= 21  # standardised it would be ~100
    assert p.columns_[0]["scale"] == pytest.approx(50.0)  # floor: 1/20 of the range


def test_missing_error_names_the_column():
    with pytest.raises(ValueError, match="--missing error.*'age'"):
        Preprocessor(missing="error").fit(_cols())
    p = Preprocessor(missing="error").fit({"a": np.array([1.0, 2.0])})
    with pytest.raises(ValueError, match="column 'a'"):
        p.transform({"a": np.array([np.nan])})


def test_round_trip_through_json_is_exact():
    p = Preprocessor().fit(_cols())
    q = Preprocessor.from_dict(json.loads(json.dumps(p.to_dict())))
    assert q.output_names == p.output_names
    np.testing.assert_array_equal(q.transform(_cols()), p.transform(_cols()))
    # an array in column order works too (numeric columns)
    r = Preprocessor().fit({"a": np.array([1.0, 3.0]), "b": np.array([0.0, 1.0])})
    assert r.transform(np.array([[2.0, 1.0]])).tolist() == [[0.0, 1.0]]


@pytest.mark.parametrize("mutate, match", [
    (lambda d: d.update(format="x"), "chainrule-preprocess"),
    (lambda d: d["columns"][0].update(kind="magic"), "name, kind"),
    (lambda d: d["columns"][0].update(scale=0), "finite scale"),
    (lambda d: d["columns"][0].update(fill=float("nan")), "finite fill"),
    (lambda d: d["columns"][1].update(categories=[1, 2]), "categories"),
    (lambda d: d.update(output_names=["x"]), "output_names"),
])
def test_from_dict_validates(mutate, match):
    d = json.loads(json.dumps(Preprocessor().fit(_cols()).to_dict()))
    mutate(d)
    with pytest.raises(ValueError, match=match):
        Preprocessor.from_dict(d)
    with pytest.raises(ModelFileError, match="preprocess.json"):
        from_run_file(d, "run/preprocess.json")


def test_from_run_file_checks_the_model_widths():
    p = Preprocessor().fit(_cols())
    data = {**p.to_dict(), "target": TargetScaler().fit(np.array([1.0, 3.0])).to_dict()}
    pre, t = from_run_file(data, "p.json", n_inputs=9, n_outputs=1)
    assert pre.n_features_out == 9 and t is not None
    with pytest.raises(ModelFileError, match="p.json.*10 output features"):
        from_run_file(data, "p.json", n_inputs=10)
    with pytest.raises(ModelFileError, match="p.json.*per model output"):
        from_run_file(data, "p.json", n_inputs=9, n_outputs=2)


def test_target_scaler_maps_back_any_units():
    rng = np.random.default_rng(0)
    y = rng.normal(size=(50, 2))
    t = TargetScaler().fit(y * 3000 + 2e5)
    z = t.transform(y * 3000 + 2e5)
    assert np.allclose(z.mean(0), 0, atol=1e-5) and np.allclose(z.std(0), 1, atol=1e-5)
    np.testing.assert_allclose(t.inverse_transform(z), y * 3000 + 2e5, rtol=1e-6)
    assert TargetScaler.from_dict(t.to_dict()).to_dict() == t.to_dict()
    with pytest.raises(ValueError, match="scale"):
        TargetScaler.from_dict({"center": [0.0], "scale": [0.0]})


def test_is_missing_tokens_and_describe():
    assert is_missing(np.array(["", " NA ", "null", "?", "NaN", "x", None], dtype=object)
                      ).tolist() == [True] * 5 + [False, True]
    assert "target standardised" in describe(Preprocessor().fit({"a": np.array([1.0, 2.0])}),
                                             TargetScaler().fit(np.array([1.0, 2.0])))


@pytest.mark.slow
@pytest.mark.skipif(not MNIST.exists(), reason="needs ../shared/data/mnist10k.npz")
def test_pixels_in_unit_range_are_not_standardised_on_real_mnist():
    d = np.load(MNIST)
    X = d["X"][d["train_idx"][:2000]]
    cols = {f"p{j}": X[:, j] for j in range(X.shape[1])}
    p = Preprocessor().fit(cols)
    Z = p.transform(cols)
    np.testing.assert_array_equal(Z, X)  # pixels in [0, 1] pass through unchanged
    # standardising instead would give rare pixels huge values
    std = X.std(0)
    seen = std > 0
    assert (np.abs((X[:, seen] - X[:, seen].mean(0)) / std[seen]).max()) > 30


def test_category_codes_read_as_numbers_at_predict_still_match():
    p = Preprocessor().fit({"grade": np.array(["A", "2", "2", "B"], dtype=object)})
    X = p.transform({"grade": np.array([2.0, 7.0])})  # a file where the column looks numeric
    assert X[0, p.output_names.index("grade=2")] == 1
    assert X[1, p.output_names.index("grade=other")] == 1
