"""The pyarrow reader in pieces: same columns as the Python reader, memory near the result."""
import gzip
import tracemalloc

import numpy as np
import pytest

pa = pytest.importorskip("pyarrow")

from chainrule.tabular import _arrow  # noqa: E402
from chainrule.tabular.read import read_frame  # noqa: E402


def tricky_csv(n=400):
    """Quoted newlines, doubled quotes, delimiters in quotes, missing tokens, booleans, a BOM,
    CRLF line ends, a column that turns from integers to decimals and one from numbers to
    text far down, and one that is empty until its last rows."""
    rng = np.random.default_rng(0)
    names = ["Paris", "", "NA", '"New\r\nYork"', '"say ""hi"""', '"a,b"', "null"]
    lines = ["\ufeffid,name,score,flag,late,text,empty"]
    for i in range(n):
        score = "" if i % 17 == 0 else f"{rng.normal():.4f}"
        flag = ["true", "false", ""][i % 3]
        late = str(i) if i < n - 50 else f"{i}.5"
        text = str(i % 7) if i != n - 20 else "x"
        empty = "" if i < n - 5 else "2.5"
        lines.append(f"{i},{names[i % len(names)]},{score},{flag},{late},{text},{empty}")
    return ("\r\n".join(lines) + "\r\n").encode()


def same(a, b):
    """Equal columns; booleans read by pyarrow are True/False, by Python 'true'/'false' (as
    before: preprocessing takes both as a boolean column)."""
    def cell(v):
        return repr(str(v).lower() if isinstance(v, bool) else v)
    assert a.names == b.names
    for n in a.names:
        x, y = a.columns[n], b.columns[n]
        assert x.dtype == y.dtype, n
        assert [cell(v) for v in x] == [cell(v) for v in y], n


@pytest.mark.parametrize("piece", [64, 300, 1 << 20])
@pytest.mark.parametrize("gz", [False, True])
def test_pieces_give_the_python_readers_columns(tmp_path, monkeypatch, piece, gz):
    monkeypatch.setattr(_arrow, "PIECE", piece)
    data = tricky_csv()
    p = tmp_path / ("d.csv.gz" if gz else "d.csv")
    p.write_bytes(gzip.compress(data) if gz else data)
    arrow = _arrow.read_arrow_csv(str(p), ",", str(p))
    assert arrow is not None  # not refused: the pieces carried every trap
    same(arrow, read_frame(str(p), engine="python"))
    assert arrow.columns["late"].dtype == np.float32 and arrow.columns["late"][-1] == 399.5
    assert arrow.columns["text"].dtype == object and arrow.columns["empty"][-1] == 2.5
    assert arrow.columns["name"][3] == "New\r\nYork" and arrow.line(len(arrow) - 1) > 400


def test_pieces_end_at_line_ends_outside_quotes(tmp_path):
    data = b'a,b\n1,"x\ny"\n' + b"2,3\n" * 50 + b'4,"' + b"z" * 500 + b'"\n5,6'
    p = tmp_path / "d.csv"
    p.write_bytes(data)
    pieces = [(bytes(v), q) for v, q in _arrow._pieces(str(p), [16])]
    assert b"".join(v for v, _ in pieces) == data
    for v, quoted in pieces[:-1]:
        assert v.endswith(b"\n") and v.count(b'"') % 2 == 0 and quoted == (b'"' in v)
    assert max(len(v) for v, _ in pieces) > 500  # a line longer than a piece stays whole


def test_rows_beyond_the_estimate_grow_the_columns_in_place(tmp_path, monkeypatch):
    monkeypatch.setattr(_arrow, "PIECE", 200)
    monkeypatch.setattr(_arrow, "_estimate_rows", lambda *a: 3)
    p = tmp_path / "d.csv"
    p.write_text("a,b\n" + "".join(f"{i},{i * 2}\n" for i in range(1000)))
    f = read_frame(str(p), engine="arrow")
    assert f.columns["b"].tolist() == [2.0 * i for i in range(1000)]
    assert f.columns["a"].flags.owndata and f.columns["a"].nbytes == 4000  # trimmed in place


def test_memory_is_the_result_plus_a_piece(tmp_path):
    rng = np.random.default_rng(0)
    block = "\n".join(",".join(f"{v:.6f}" for v in row) for row in rng.random((1000, 10)))
    p = tmp_path / "big.csv"
    p.write_text(",".join(f"c{j}" for j in range(10)) + "\n" + "\n".join([block] * 100) + "\n")
    read_frame(str(p))  # the first read loads pyarrow's code
    tracemalloc.start()
    try:
        f = read_frame(str(p))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    nbytes = sum(c.nbytes for c in f.columns.values())
    assert nbytes == 100_000 * 10 * 4 and all(c.dtype == np.float32 for c in f.columns.values())
    assert peak < 1.25 * nbytes + 3 * _arrow.PIECE, (peak, nbytes)  # NumPy and Python objects


def test_parquet_by_column_chunks(tmp_path):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow.parquet")
    n = 5000
    df = pd.DataFrame({"i": pd.array([1, None] * (n // 2), dtype="Int64"),
                       "x": np.linspace(0, 1, n), "s": ["a", None, "b", "c", "d"] * (n // 5),
                       "b": [True, False] * (n // 2), "big": [1e300, 1.0] * (n // 2)})
    df.to_parquet(tmp_path / "d.parquet", row_group_size=700)
    f = read_frame(str(tmp_path / "d.parquet"))
    assert f.names == ["i", "x", "s", "b", "big"] and len(f) == n
    assert f.columns["i"].dtype == np.float32 and np.isnan(f.columns["i"][1::2]).all()
    assert np.allclose(f.columns["x"], np.linspace(0, 1, n), atol=1e-7)
    assert f.columns["s"][:3].tolist() == ["a", None, "b"] and f.columns["b"].dtype == bool
    assert f.columns["big"].dtype == np.float64 and f.columns["big"][0] == 1e300
    pd.DataFrame({"a": []}).to_parquet(tmp_path / "e.parquet")
    with pytest.raises(ValueError, match="e.parquet: expected data rows"):
        read_frame(str(tmp_path / "e.parquet"))


def test_a_cell_over_the_csv_field_limit_is_refused_as_before(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text("a,b\n1,2\n3," + "z" * 200_000 + "\n")
    with pytest.raises(ValueError, match=r"d.csv, row 3: expected CSV text.*field limit"):
        read_frame(str(p), engine="arrow")
