"""read_frame: delimiters, gzip, Parquet, DataFrames, missing tokens and the CSV traps."""
import gzip
import os
import threading

import numpy as np
import pytest

from chainrule.tabular.read import check_source, read_frame, sniff_delimiter

ENGINES = ["arrow", "python"]


def write(tmp_path, text, name="d.csv"):
    p = tmp_path / name
    p.write_bytes(text if isinstance(text, bytes) else text.encode())
    return str(p)


@pytest.mark.parametrize("engine", ENGINES)
def test_types_and_missing_tokens(tmp_path, engine):
    if engine == "arrow":
        pytest.importorskip("pyarrow")
    p = write(tmp_path, "n;city;flag\n1.5;Paris;true\nNA;;false\n?;Rome;\nnull;NaN;true\n")
    f = read_frame(p, engine=engine)
    assert f.names == ["n", "city", "flag"]
    assert f.columns["n"].dtype == np.float32 and np.isnan(f.columns["n"][1:]).all()
    assert f.columns["city"].tolist() == ["Paris", None, "Rome", None]
    assert [v in (None,) for v in f.columns["flag"].tolist()] == [False, False, True, False]


@pytest.mark.parametrize("engine", ENGINES)
def test_csv_traps(tmp_path, engine):
    if engine == "arrow":
        pytest.importorskip("pyarrow")
    cases = [("a,a\n1,2\n", "distinct column names, got 'a' twice"),
             ("1,2,3\n4,5,6\n", "row 1: expected a header row.*looks like data"),
             (b"a,b\n1,2\n3,\xff\n", "row 3: expected UTF-8 text, got the byte 0xff"),
             ("a,b\n1,2\n3,4,5\n", "row 3: expected 2 columns"),
             ("\n\n", "empty file"), ("a,b\n", "no")]
    for text, match in cases:
        with pytest.raises(ValueError, match=match) as info:
            read_frame(write(tmp_path, text), engine=engine)
        assert "d.csv" in str(info.value)


def test_special_files_are_refused_without_blocking(tmp_path):
    with pytest.raises(ValueError, match="character device"):
        check_source("/dev/null")
    with pytest.raises(ValueError, match="no such file"):
        check_source(tmp_path / "none.csv")
    with pytest.raises(ValueError, match="a folder"):
        check_source(tmp_path)
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    result = []
    t = threading.Thread(target=lambda: result.append(pytest.raises(ValueError, read_frame,
                                                                    str(fifo))))
    t.start()
    t.join(5)
    assert not t.is_alive() and "FIFO" in str(result[0].value)


def test_gzip_delimiters_and_parquet(tmp_path):
    text = "a\tb\tc\n1\tx\t0\n2\ty\t1\n"
    p = tmp_path / "d.csv.gz"
    p.write_bytes(gzip.compress(text.encode()))
    f = read_frame(str(p))
    assert f.names == ["a", "b", "c"] and f.columns["b"].tolist() == ["x", "y"]
    assert read_frame(write(tmp_path, "a|b\n1|2\n"), delimiter="|").names == ["a", "b"]
    with pytest.raises(ValueError, match="--delimiter: expected one character"):
        read_frame(write(tmp_path, "a,b\n1,2\n"), delimiter=";;")
    assert sniff_delimiter("a;b\n1;2\n") == ";" and sniff_delimiter("x\n1\n") == ","
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    df = pd.DataFrame({"a": [1.0, None], "b": ["x", None], "c": [True, False]})
    df.to_parquet(tmp_path / "d.parquet")
    f = read_frame(str(tmp_path / "d.parquet"))
    assert np.isnan(f.columns["a"][1]) and f.columns["b"].tolist() == ["x", None]


def test_dataframes(tmp_path):
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"a": [1, 2], "b": ["x", None], "c": [0.5, np.nan]})
    f = read_frame(df)
    assert f.columns["a"].tolist() == [1.0, 2.0] and f.columns["b"].tolist() == ["x", None]
    assert np.isnan(f.columns["c"][1])
    pl = pytest.importorskip("polars")
    f = read_frame(pl.DataFrame({"a": [1, None], "b": ["x", "y"]}))
    assert np.isnan(f.columns["a"][1]) and f.columns["b"].tolist() == ["x", "y"]


def test_arrow_and_python_agree_on_a_mixed_file(tmp_path):
    pytest.importorskip("pyarrow")
    rows = [f"{i},{'abc'[i % 3]},{i * 0.5}" for i in range(3000)] + ["x1,d,?"]
    p = write(tmp_path, "k,c,v\n" + "\n".join(rows) + "\n")
    a, b = read_frame(p, engine="arrow"), read_frame(p, engine="python")
    for n in a.names:
        assert a.columns[n].dtype == b.columns[n].dtype
        assert [str(v) for v in a.columns[n]] == [str(v) for v in b.columns[n]]
    assert a.line(3000) == 3002
