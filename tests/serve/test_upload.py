"""Uploads: the same loader and messages as ``chainrule train --data``, shown, never a 500."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

pytest.importorskip("starlette")
with warnings.catch_warnings():  # starlette asks for httpx2; httpx is what we ship
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient  # noqa: E402

from chainrule.serve import create_app  # noqa: E402
from chainrule.serve.upload import read_upload, safe_name  # noqa: E402


@pytest.fixture()
def session():
    with TestClient(create_app()) as c:
        r = c.post("/api/session", json={})
        yield c, r.json()["id"]


def upload(c, sid, data, name="data.csv"):
    return c.post(f"/api/session/{sid}/upload", content=data, headers={
        "content-type": "text/csv", "x-filename": name})


def table(rows=60, features=2, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(rows, features))
    y = np.where(x[:, 0] * x[:, 1] > 0, "red", "blue")
    head = ",".join(f"f{k}" for k in range(features)) + ",colour\n"
    return (head + "".join(",".join(f"{v:.3f}" for v in r) + f",{c}\n"
                           for r, c in zip(x, y))).encode()


def test_a_good_upload_becomes_the_dataset_and_trains(session):
    c, sid = session
    r = upload(c, sid, table())
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["settings"]["dataset"] == "upload" and d["upload"] == "data.csv"
    assert d["classes"] == ["blue", "red"] and d["features"] == ["f0", "f1"]
    assert c.post(f"/api/session/{sid}/step").json()["epoch"] == 1


def test_two_columns_of_a_wider_table_are_picked(session):
    c, sid = session
    d = upload(c, sid, table(features=4)).json()
    assert d["columns"] == ["f0", "f1", "f2", "f3"]
    r = c.post(f"/api/session/{sid}/config", json={"features": [2, 3]})
    assert r.status_code == 200 and r.json()["features"] == ["f2", "f3"]
    r = c.post(f"/api/session/{sid}/config", json={"features": [2, 9]})
    assert r.status_code == 400 and "features" in r.json()["error"]


@pytest.mark.parametrize("data, status, words", [
    (bytes(range(256)) * 40, 400, ["CSV text"]),
    (b"\x89PNG\r\n\x1a\n" + bytes(5000), 400, ["CSV text"]),
    (b"a,b,y\n1,2,x\n3,oops,y\n", 400, ["row 3", "'b'", "expected a number", "'oops'"]),
    (b"a,b,y\n1,2,x\n3,4,x\n5,6,x\n", 400, ["at least 2 classes", "'x'"]),
    (b"a,b,y\n1,2,0.5\n3,4,1.7\n5,6,2.25\n", 400, ["class labels", "regression"]),
    (b"a,y\n1,x\n2,y\n", 400, ["2 numeric feature columns"]),
    (b"", 400, ["empty file"]),
    (b"a,b,y\n1,2\n", 400, ["row 2", "expected 3 columns"]),
    (b"x" * (20 * 1024 * 1024), 413, ["5 MB"]),
])
def test_bad_uploads_get_a_message_never_a_500(session, data, status, words):
    c, sid = session
    r = upload(c, sid, data)
    assert r.status_code == status, r.text
    for w in words:
        assert w in r.json()["error"], r.json()["error"]
    assert c.post(f"/api/session/{sid}/step").json()["epoch"] == 1  # the session still works


def test_messages_are_the_loaders_own_and_name_the_upload_not_a_path():
    with pytest.raises(ValueError) as e:
        read_upload(b"a,b,y\n1,2,x\n3,oops,y\n", "../../secret/data.csv")
    assert str(e.value).startswith("data.csv, row 3, column 2 ('b'): expected a number")
    assert "/proc" not in str(e.value) and safe_name("C:\\x\\y z.csv") == "y z.csv"


def test_large_tables_are_subsampled_with_a_note():
    bunch, note = read_upload(table(rows=2500))
    assert len(bunch.X) == 2000 and "2500 rows" in note


def test_semicolons_missing_cells_and_text_columns_as_the_command_line_reads_them(session):
    c, sid = session
    rows = "".join(f"{i};{'' if i % 7 == 0 else i % 5};{'ab'[i % 2]};{'yes' if i % 3 else 'no'}\n"
                   for i in range(40))
    r = upload(c, sid, ("size;weight;kind;label\n" + rows).encode(), "farm.csv")
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["columns"] == ["size", "weight"]  # the text column 'kind' is not plottable
    assert d["classes"] == ["no", "yes"]
    assert len(d["train"]["y"]) + len(d["test"]["y"]) == 40 - 6  # rows 0, 7, ..., 35 lack weight
