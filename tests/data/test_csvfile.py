"""load_csv: parsing, task inference, and errors that name file, row and column."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from chainrule.data import load_csv


def _write(tmp_path: Path, text: str, name: str = "data.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_string_target_becomes_sorted_classes(tmp_path: Path) -> None:
    p = _write(tmp_path, "a,b,species\n1,2,zebra\n3,4,ant\n5,6,moth\n7,8,ant\n")
    b = load_csv(p, target="species")
    assert b.X.dtype == np.float32 and b.X.tolist() == [[1, 2], [3, 4], [5, 6], [7, 8]]
    assert b.target_names == ["ant", "moth", "zebra"]
    assert b.y.tolist() == [2, 0, 1, 0] and b.y.dtype == np.int64
    assert b.task == "multiclass" and b.feature_names == ["a", "b"] and b.name == "data.csv"


def test_target_in_the_middle_by_name_or_index(tmp_path: Path) -> None:
    p = _write(tmp_path, "x1, label ,x2\n0.5,yes,1\n1.5,no,2\n")
    b = load_csv(p, target="label")
    assert b.feature_names == ["x1", "x2"] and b.X.tolist() == [[0.5, 1.0], [1.5, 2.0]]
    assert b.target_names == ["no", "yes"] and b.y.tolist() == [1, 0] and b.task == "binary"
    assert load_csv(p, target=1).y.tolist() == [1, 0]
    assert load_csv(p, target=-2).y.tolist() == [1, 0]


def test_default_target_is_last_column(tmp_path: Path) -> None:
    p = _write(tmp_path, "a,b,y\n1,2,0\n3,4,1\n")
    b = load_csv(p)
    assert b.feature_names == ["a", "b"] and b.y.tolist() == [0, 1] and b.task == "binary"


def test_integer_targets_are_classes_in_value_order(tmp_path: Path) -> None:
    p = _write(tmp_path, "f,y\n1,3\n2,-1\n3,10\n4,3.0\n")
    b = load_csv(p)
    assert b.task == "multiclass" and b.target_names == ["-1", "3", "10"]
    assert b.y.tolist() == [1, 0, 2, 1]


def test_float_and_many_valued_targets_are_regression(tmp_path: Path) -> None:
    b = load_csv(_write(tmp_path, "f,y\n1,0.5\n2,1.25\n3,2\n"))
    assert b.task == "regression" and b.y.dtype == np.float32 and b.target_names is None
    assert b.y.tolist() == [0.5, 1.25, 2.0]
    many = "f,y\n" + "".join(f"{i},{i * 7}\n" for i in range(30))
    assert load_csv(_write(tmp_path, many, "many.csv")).task == "regression"


def test_task_override(tmp_path: Path) -> None:
    p = _write(tmp_path, "f,y\n1,0\n2,1\n3,1\n")
    assert load_csv(p, task="regression").y.dtype == np.float32
    assert load_csv(p, task="multiclass").task == "multiclass"
    with pytest.raises(ValueError, match=r"row 2, column 2 \('y'\): expected a numeric target "
                       "for regression, got 'a'"):
        load_csv(_write(tmp_path, "f,y\n1,a\n2,b\n", "s.csv"), task="regression")
    with pytest.raises(ValueError, match="at most 2 classes for task='binary'"):
        load_csv(_write(tmp_path, "f,y\n1,a\n2,b\n3,c\n", "t.csv"), task="binary")
    with pytest.raises(ValueError, match="task one of"):
        load_csv(p, task="ranking")


def test_delimiter_bom_quotes_and_blank_lines(tmp_path: Path) -> None:
    p = tmp_path / "semi.csv"
    p.write_bytes("\ufeffa;b;y\n\n1,5;\"2\";x\n\n3;4;y\n".replace("1,5", "1.5")
                  .encode("utf-8"))
    b = load_csv(p, delimiter=";")
    assert b.feature_names == ["a", "b"] and b.X.tolist() == [[1.5, 2.0], [3.0, 4.0]]


def test_missing_target_column_lists_columns(tmp_path: Path) -> None:
    p = _write(tmp_path, "a,b,c\n1,2,3\n")
    with pytest.raises(ValueError, match=r"data\.csv, row 1: expected a target column 'label', "
                       r"got columns \['a', 'b', 'c'\]"):
        load_csv(p, target="label")
    with pytest.raises(ValueError, match=r"target column index in \[-3, 3\), got 5"):
        load_csv(p, target=5)


def test_non_numeric_feature_names_row_and_column(tmp_path: Path) -> None:
    p = _write(tmp_path, "age,height,y\n30,180,a\n41,tall,b\n")
    with pytest.raises(ValueError, match=r"data\.csv, row 3, column 2 \('height'\): expected a "
                       r"number, got 'tall'"):
        load_csv(p)
    p = _write(tmp_path, "age,height,y\n30,,a\n", "empty_cell.csv")
    with pytest.raises(ValueError, match=r"row 2, column 2 \('height'\): expected a number, got "
                       "an empty cell"):
        load_csv(p)


@pytest.mark.parametrize("bad", ["nan", "inf", "-Infinity"])
def test_nan_and_infinity_are_named(tmp_path: Path, bad: str) -> None:
    p = _write(tmp_path, f"a,b,y\n1,2,0\n3,4,1\n5,{bad},0\n")
    with pytest.raises(ValueError, match=rf"data\.csv, row 4, column 2 \('b'\): expected a finite "
                       rf"number, got '{bad}' \(NaN or infinity\)"):
        load_csv(p)
    p = _write(tmp_path, f"a,y\n1,0.5\n2,{bad}\n", "target.csv")
    with pytest.raises(ValueError, match=r"target\.csv, row 3, column 2 \('y'\): expected a "
                       "finite target"):
        load_csv(p)


def test_float32_overflow_is_named(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"row 2, column 1 \('a'\): expected a number within "
                       "float32 range, got '1e300'"):
        load_csv(_write(tmp_path, "a,y\n1e300,1\n"))


def test_empty_file_and_header_only(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"empty\.csv: expected a header row and data rows, got "
                       "an empty file"):
        load_csv(_write(tmp_path, "", "empty.csv"))
    with pytest.raises(ValueError, match=r"head\.csv: expected data rows after the header, got "
                       "none"):
        load_csv(_write(tmp_path, "a,b\n\n", "head.csv"))


def test_ragged_rows(tmp_path: Path) -> None:
    p = _write(tmp_path, "a,b,y\n1,2,0\n1,2\n")
    with pytest.raises(ValueError, match=r"data\.csv, row 3: expected 3 columns as in the "
                       "header, got 2"):
        load_csv(p)


def test_other_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"row 3, column 2 \('y'\): expected a target value, "
                       "got an empty cell"):
        load_csv(_write(tmp_path, "a,y\n1,0\n2,\n"))
    with pytest.raises(ValueError, match="at least 2 columns.*delimiter ';'"):
        load_csv(_write(tmp_path, "a,y\n1,0\n", "one.csv"), delimiter=";")
    with pytest.raises(ValueError, match="distinct column names, got 'a' twice"):
        load_csv(_write(tmp_path, "a,a,y\n1,0,1\n", "dup.csv"), target="a")
    with pytest.raises(FileNotFoundError):
        load_csv(tmp_path / "nope.csv")
    p = tmp_path / "latin1.csv"
    p.write_bytes("a,y\n1,caf\xe9\n".encode("latin-1"))
    with pytest.raises(ValueError, match=r"latin1\.csv, row 2: expected UTF-8 text"):
        load_csv(p)


def test_csv_traps_are_refused_with_the_reason(tmp_path):
    import os

    from chainrule.data import load_csv
    cases = [(b"a,a,y\n1,2,0\n", "distinct column names, got 'a' twice"),
             (b"1,2,3\n4,5,6\n", "row 1: expected a header row"),
             (b"a,y\n1,0\n2,\xff\n", "row 3: expected UTF-8 text, got the byte 0xff")]
    for i, (data, match) in enumerate(cases):
        p = tmp_path / f"t{i}.csv"
        p.write_bytes(data)
        with pytest.raises(ValueError, match=match):
            load_csv(p)
    with pytest.raises(ValueError, match="character device"):
        load_csv("/dev/null")
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(ValueError, match="FIFO"):  # refused before opening: never blocks
        load_csv(fifo)
    with pytest.raises(FileNotFoundError, match="no such file"):
        load_csv(tmp_path / "none.csv")
