"""The reader without pyarrow: blocks of rows, columns that turn to text, no pyarrow at all."""
import sys

import numpy as np
import pytest

from chainrule.tabular import _csv_python
from chainrule.tabular.read import read_frame


def test_blocks_and_late_text_give_the_same_columns(tmp_path, monkeypatch):
    rows = [f"{i},{i * 0.5 if i % 9 else 'NA'},{i % 4},{'yes' if i % 2 else 'no'}"
            for i in range(500)]
    rows[450] = "450,x7,2,yes"  # text far down a column of numbers
    p = tmp_path / "d.csv"
    p.write_text("a,b,c,d\n" + "\n".join(rows) + "\n")
    whole = read_frame(str(p), engine="python")
    monkeypatch.setattr(_csv_python, "BLOCK_CELLS", 16)  # 64 rows a block: a second pass
    blocks = read_frame(str(p), engine="python")
    for n in whole.names:
        assert whole.columns[n].dtype == blocks.columns[n].dtype
        assert [repr(v) for v in whole.columns[n]] == [repr(v) for v in blocks.columns[n]]
    assert blocks.columns["b"].dtype == object and blocks.columns["b"][450] == "x7"
    assert blocks.columns["b"][9] is None and blocks.columns["b"][1] == "0.5"  # as written
    assert blocks.columns["c"].dtype == np.float32 and blocks.line(450) == 452


def test_without_pyarrow(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow raises ImportError
    p = tmp_path / "d.csv"
    p.write_text("a,b\n" + "".join(f"{i},{'?' if i % 5 == 0 else i}\n" for i in range(200_000)))
    f = read_frame(str(p))  # 2.3 MB: pyarrow's size, read by Python
    assert f.columns["a"].dtype == np.float32 and f.columns["a"][-1] == 199_999
    assert np.isnan(f.columns["b"][::5]).all() and f.line(3) == 5
    pq = tmp_path / "y.parquet"
    pq.write_bytes(b"PAR1")
    with pytest.raises(ImportError, match=r"chainrule\[tables\]"):
        read_frame(str(pq))
