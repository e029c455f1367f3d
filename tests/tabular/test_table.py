"""Reading CSV files for a trained run: columns by name, labels by class name."""
import numpy as np
import pytest

from chainrule.tabular.table import encode_labels, read_table


def write(tmp_path, text, name="d.csv"):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_columns_matched_by_name_and_target_optional(tmp_path):
    p = write(tmp_path, "c,b,a\n3,2,1\n\n6,5,4\n")
    X, target, lines = read_table(p, ["a", "b"])
    assert X.tolist() == [[1.0, 2.0], [4.0, 5.0]] and X.dtype == np.float32
    assert target is None and lines == [2, 4]
    X, target, _ = read_table(p, None, target="c", n_features=2)
    assert X.tolist() == [[2.0, 1.0], [5.0, 4.0]] and target == ["3", "6"]


@pytest.mark.parametrize("text, kwargs, match", [
    ("a,b\n1,2\n", {"feature_names": ["a", "z"]}, r"missing \['z'\]"),
    ("a,b\n1,x\n", {"feature_names": ["a", "b"]}, "row 2, column 'b': expected a finite number"),
    ("a,b\n1,nan\n", {"feature_names": ["a", "b"]}, "finite number, got 'nan'"),
    ("a,b\n1\n", {"feature_names": ["a", "b"]}, "row 2: expected 2 columns"),
    ("", {"feature_names": ["a"]}, "empty file"),
    ("a,b\n", {"feature_names": ["a"]}, "no data rows"),
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


def test_encode_labels():
    assert encode_labels(["b", "a", "b"], [2, 3, 4], "binary", ["a", "b"], "f").tolist() == \
        [1, 0, 1]
    assert encode_labels(["2.0", "10"], [2, 3], "multiclass", ["2", "5", "10"],
                         "f").tolist() == [0, 2]
    assert encode_labels(["1.5", "-2"], [2, 3], "regression", None, "f").tolist() == [1.5, -2.0]
    with pytest.raises(ValueError, match=r"f, row 3: expected a class among \['a', 'b'\]"):
        encode_labels(["a", "c"], [2, 3], "binary", ["a", "b"], "f")
    with pytest.raises(ValueError, match="numeric target"):
        encode_labels(["x"], [2], "regression", None, "f")
