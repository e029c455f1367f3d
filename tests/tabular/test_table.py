"""Targets, tasks and run tables: columns by name, labels by class name, errors with rows."""
import numpy as np
import pytest

from chainrule.tabular.read import Frame, read_frame
from chainrule.tabular.table import (check_missing, check_mixed_columns, encode_labels,
                                     read_table, split_target, target_columns)


def write(tmp_path, text, name="d.csv"):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_columns_matched_by_name_and_target_optional(tmp_path):
    p = write(tmp_path, "c,b,a\n3,2,1\n\n6,5,4\n")
    cols, target, frame = read_table(p, ["a", "b"])
    assert cols.names == ["a", "b"] and cols.columns["a"].tolist() == [1.0, 4.0]
    assert target is None and [frame.line(0), frame.line(1)] == [2, 4]
    cols, target, _ = read_table(p, None, target="c", n_features=2)
    assert cols.names == ["b", "a"] and target.tolist() == [3.0, 6.0]


@pytest.mark.parametrize("text, kwargs, match", [
    ("a,b\n1,2\n", {"feature_names": ["a", "z"]}, r"missing \['z'\]"),
    ("a,b\n1\n", {"feature_names": ["a", "b"]}, "row 2: expected 2 columns"),
    ("a,b\n", {"feature_names": ["a"]}, "no"),
    ("a,b\n1,2\n", {"feature_names": ["a"], "target": "y", "require_target": True},
     "target column 'y'"),
    ("a,b\n1,2\n", {"feature_names": None, "n_features": 3}, "expected 3 feature columns"),
])
def test_errors_name_file_row_and_column(tmp_path, text, kwargs, match):
    p = write(tmp_path, text)
    with pytest.raises(ValueError, match=match) as info:
        read_table(p, **kwargs)
    assert "d.csv" in str(info.value)


def test_binary_file_is_an_error(tmp_path):
    p = tmp_path / "b.csv"
    p.write_bytes(b"\xff\xfe\x00\x01\x02")
    with pytest.raises(ValueError, match="b.csv"):
        read_table(p, ["a"])


def test_encode_labels(tmp_path):
    f = read_frame(write(tmp_path, "y\na\nc\n"))
    assert encode_labels(np.array(["b", "a", "b"], object), None, "binary", ["a", "b"],
                         "f").tolist() == [1, 0, 1]
    assert encode_labels(np.array([2.0, 10.0]), None, "multiclass", ["2", "5", "10"],
                         "f").tolist() == [0, 2]
    assert encode_labels(np.array(["1.5", "-2"], object), None, "regression", None,
                         "f").tolist() == [1.5, -2.0]
    with pytest.raises(ValueError, match=r"f, row 3: expected a class among \['a', 'b'\]"):
        encode_labels(f.columns["y"], f, "binary", ["a", "b"], "f")
    with pytest.raises(ValueError, match="numeric target"):
        encode_labels(np.array(["x"], object), None, "regression", None, "f")


def test_target_by_name_names_or_index():
    names = ["a", "b", "c", "d"]
    assert target_columns(names, None, "f") == ["d"]
    assert target_columns(names, 0, "f") == ["a"] and target_columns(names, "-1", "f") == ["d"]
    assert target_columns(names, "b, c", "f") == ["b", "c"]
    assert target_columns(["a", "x,y"], "x,y", "f") == ["x,y"]  # an exact name wins
    for bad, match in [("z", "'z'"), ("7", r"index in \[-4, 4\)"), ("a,a", "distinct")]:
        with pytest.raises(ValueError, match=match):
            target_columns(names, bad, "f")
    with pytest.raises(ValueError, match="at least 2 columns.*--delimiter"):
        target_columns(["a;b"], None, "f")


def _frame(**cols):
    return Frame(list(cols), {k: np.asarray(v) for k, v in cols.items()}, "f.csv")


def test_split_target_infers_the_task():
    x = np.arange(6.0)
    assert split_target(_frame(x=x, y=np.array([3, 1, 3, 1, 3, 1])))[2:] == \
        (pytest.approx([1, 0, 1, 0, 1, 0]), ["1", "3"], "binary")
    f, t, y, c, task = split_target(_frame(x=x, y=x * 1.5))
    assert task == "regression" and c is None and y.dtype == np.float32
    f, t, y, c, task = split_target(_frame(x=x, a=x, b=-x), target="a,b")
    assert (f, t, y.shape, task) == (["x"], ["a", "b"], (6, 2), "regression")
    text = np.array(["cat", "dog", "fox"] * 2, object)
    assert split_target(_frame(x=x, y=text))[3:] == (["cat", "dog", "fox"], "multiclass")
    with pytest.raises(ValueError, match="at least 2 classes.*only 'cat'"):
        split_target(_frame(x=x, y=np.array(["cat"] * 6, object)))
    with pytest.raises(ValueError, match="row 4, column 2 .'y'.: expected a target value"):
        split_target(_frame(x=x, y=np.array([1, 2, np.nan, 1, 2, 1.0])))
    with pytest.raises(ValueError, match="row 2, column 2 .'y'.: expected a numeric target"):
        split_target(_frame(x=x, y=text), task="regression")


def test_mostly_numeric_text_and_missing_error_name_the_cell():
    f = _frame(a=np.array(["1", "2", "oops", ""], object), b=np.array(["x", "y", "1", "z"],
                                                                       object))
    with pytest.raises(ValueError, match=r"row 4, column 1 \('a'\): expected a number"):
        check_mixed_columns(f, ["a", "b"])
    check_mixed_columns(f, ["b"])  # mostly text: a category column
    with pytest.raises(ValueError, match=r"row 5, column 1 \('a'\).*--missing error"):
        check_missing(f, ["a"])
