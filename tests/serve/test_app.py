"""The playground's HTTP and WebSocket API, through Starlette's TestClient (httpx)."""
from __future__ import annotations

import io
import time
import warnings
import zipfile

import numpy as np
import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")
with warnings.catch_warnings():  # starlette asks for httpx2; httpx is what we ship
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient  # noqa: E402

from chainrule.serve import create_app  # noqa: E402


@pytest.fixture()
def client():
    with TestClient(create_app(max_sessions=3)) as c:
        yield c


def new(client, **settings):
    r = client.post("/api/session", json=settings)
    assert r.status_code == 201, r.text
    return r.json()


def refused(r, status, *words):
    assert r.status_code == status, (r.status_code, r.text)
    message = r.json()["error"]
    for w in words:
        assert w in message, message
    return message


def test_page_and_static_files_are_served(client):
    r = client.get("/")
    assert r.status_code == 200 and 'data-testid="network"' in r.text
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY"
    for name in ("app.js", "draw.js", "network.js", "style.css"):
        assert client.get(f"/static/{name}").status_code == 200
    assert client.get("/static/../app.py").status_code == 404


def test_create_step_and_read_the_state(client):
    d = new(client, dataset="moons", hidden="4,3")
    assert d["layers"] == [2, 4, 3, 2] and d["state"]["epoch"] == 0
    assert len(d["train"]["y"]) + len(d["test"]["y"]) == 400
    sid = d["id"]
    first = client.post(f"/api/session/{sid}/step").json()
    second = client.post(f"/api/session/{sid}/step").json()
    assert (first["epoch"], second["epoch"]) == (1, 2)
    assert second["steps"] > first["steps"] > 0
    assert [w["name"] for w in second["weights"]] == ["hidden0", "hidden1", "output"]
    assert np.array(second["weights"][0]["weight"]).shape == (4, 2)
    layers = second["neurons"]["layers"]
    assert [len(layer) for layer in layers] == [2, 4, 3, 2]
    assert second["boundary"]["classes"] == 2 and second["curves"]["epoch"] == [0, 1, 2]


def test_play_streams_states_over_the_websocket_and_pause_stops(client):
    sid = new(client, dataset="circles", lr=0.05)["id"]
    with client.websocket_connect(f"/api/session/{sid}/live") as ws:
        assert client.post(f"/api/session/{sid}/play").json()["playing"] is True
        epochs, losses = [], []
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and (not epochs or epochs[-1] < 30):
            msg = ws.receive_json()
            assert msg["type"] == "state"
            epochs.append(msg["epoch"])
            losses.append(msg["train_loss"])
        assert epochs == sorted(epochs) and epochs[-1] >= 30
        assert losses[-1] < losses[0]
        paused = client.post(f"/api/session/{sid}/pause").json()
        assert paused["playing"] is False
    first = client.post(f"/api/session/{sid}/step").json()["epoch"]
    time.sleep(0.5)
    second = client.post(f"/api/session/{sid}/step").json()["epoch"]
    assert first >= paused["epoch"] + 1 and second == first + 1  # nothing trained while paused


@pytest.mark.parametrize("settings, words", [
    ({"lr": -1}, ["learning rate", "-1"]),
    ({"lr": "fast"}, ["learning rate"]),
    ({"hidden": "8,x"}, ["hidden layers", "8,8"]),
    ({"hidden": [64] * 8}, ["hidden layers", "at most"]),
    ({"dataset": "mnist"}, ["dataset", "spirals"]),
    ({"activation": "__import__('os')"}, ["activation"]),
    ({"batch_size": 0}, ["batch size"]),
    ({"dropout": 1.5}, ["dropout"]),
    ({"optimizer": "lbfgs"}, ["optimizer", "adam"]),
    ({"colour": "red"}, ["settings", "colour"]),
    ({"dataset": "upload"}, ["upload"]),
])
def test_bad_settings_are_a_400_with_a_message(client, settings, words):
    refused(client.post("/api/session", json=settings), 400, *words)
    sid = new(client)["id"]
    refused(client.post(f"/api/session/{sid}/config", json=settings), 400, *words)
    assert client.get("/api/health").json()["sessions"] == 1  # nothing half-built was kept


def test_a_refused_change_keeps_the_running_settings(client):
    d = new(client, dataset="xor", head="sigmoid")
    sid = d["id"]
    refused(client.post(f"/api/session/{sid}/config", json={"dataset": "spirals", "lr": 0}),
            400, "learning rate")
    r = client.post(f"/api/session/{sid}/config", json={"hidden": "3"})
    assert r.status_code == 200 and r.json()["settings"]["dataset"] == "xor"
    assert r.json()["layers"] == [2, 3, 1]


def test_bad_requests_never_500(client):
    sid = new(client)["id"]
    refused(client.post("/api/session", content=b"{not json", headers={
        "content-type": "application/json"}), 400, "JSON")
    refused(client.post("/api/session", json=[1, 2]), 400, "JSON object")
    refused(client.post(f"/api/session/{sid}/fly"), 400, "command")
    refused(client.post("/api/session/nope/step"), 404, "reload")
    refused(client.get(f"/api/session/{sid}/explain?param=os.system"), 400, "param")
    refused(client.get(f"/api/session/{sid}/explain?param=hidden0.weight[99,0]"), 400, "param")
    refused(client.get(f"/api/session/{sid}/explain"), 400, "param")
    refused(client.post("/api/session", content=b"x" * 100_000), 413, "64 KB")


def test_explain_narrates_the_gradient_that_backward_computes(client):
    sid = new(client, dataset="spirals", hidden="5")["id"]
    client.post(f"/api/session/{sid}/step")
    r = client.get(f"/api/session/{sid}/explain", params={"param": "hidden0.weight[3,1]"})
    assert r.status_code == 200
    e = r.json()
    assert "∂L/∂hidden0.weight[3,1]" in e["text"] and "tanh" in e["text"]
    assert f"{e['grad']:.4g}" in e["text"]
    assert e["history"]["epoch"] == [0, 1] and len(e["history"]["grad"]) == 2
    b = client.get(f"/api/session/{sid}/explain", params={"param": "output.bias[1]"}).json()
    assert "Σₙ ∂L/∂out[n,1]" in b["text"]


def test_download_is_a_run_folder_that_predict_accepts(client, tmp_path, capsys):
    from chainrule.cli import main
    sid = new(client, dataset="gaussians")["id"]
    for _ in range(3):
        client.post(f"/api/session/{sid}/step")
    r = client.get(f"/api/session/{sid}/run.zip")
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    zipfile.ZipFile(io.BytesIO(r.content)).extractall(tmp_path)
    run_dir = tmp_path / "chainrule-playground-run"
    data = tmp_path / "points.csv"
    data.write_text("x1,x2\n2,2\n-2,-2\n")
    assert main(["predict", str(run_dir), "--data", str(data)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "prediction,prob_0,prob_1" and len(lines) == 3
    assert {lines[1].split(",")[0], lines[2].split(",")[0]} == {"0", "1"}


def test_busy_server_says_so(client):
    for _ in range(3):
        new(client)
    refused(client.post("/api/session", json={}), 503, "busy", "--max-sessions")


def test_idle_sessions_expire():
    with TestClient(create_app(idle_timeout=0.2)) as c:
        sid = new(c)["id"]
        time.sleep(0.3)
        assert c.app.state.manager.expire() == [sid]
        refused(c.post(f"/api/session/{sid}/step"), 404, "expired")


def test_cross_origin_and_foreign_hosts_are_refused(client):
    refused(client.post("/api/session", json={}, headers={"origin": "http://evil.example"}),
            403, "evil.example")
    refused(client.post("/api/session", json={}, headers={"sec-fetch-site": "cross-site"}), 403)
    r = client.post("/api/session", json={}, headers={"origin": "http://testserver"})
    assert r.status_code == 201
    sid = r.json()["id"]
    from starlette.websockets import WebSocketDisconnect
    with pytest.raises(WebSocketDisconnect):
        with client.websocket_connect(f"/api/session/{sid}/live",
                                      headers={"origin": "http://evil.example"}) as ws:
            ws.receive_json()
    assert client.get("/", headers={"host": "evil.example"}).status_code == 400


def test_loss_surface_over_two_weights_is_centred_on_now_and_restores_them(client):
    sid = new(client, dataset="moons", hidden="4")["id"]
    for _ in range(3):
        state = client.post(f"/api/session/{sid}/step").json()
    a, b = "hidden0.weight[1,0]", "output.bias[1]"
    r = client.get(f"/api/session/{sid}/surface", params={"a": a, "b": b})
    assert r.status_code == 200, r.text
    s = r.json()
    n = s["size"]
    assert n % 2 == 1 and len(s["loss"]) == n * n and len(s["path"]) == 4  # epochs 0..3
    assert s["loss"][(n // 2) * n + n // 2] == pytest.approx(state["train_loss"], abs=2e-6)
    now = [state["weights"][0]["weight"][1][0], state["weights"][1]["bias"][1]]
    assert s["current"] == pytest.approx(now, abs=1e-5)
    assert s["path"][-1] == pytest.approx(now, abs=1e-5)
    assert s["min"] <= state["train_loss"] <= s["max"]
    e = client.get(f"/api/session/{sid}/explain", params={"param": a}).json()
    assert e["value"] == pytest.approx(now[0], abs=1e-5)  # the sweep put the weight back
    refused(client.get(f"/api/session/{sid}/surface", params={"a": a, "b": a}), 400, "other")
    refused(client.get(f"/api/session/{sid}/surface", params={"a": a}), 400, "param")


def test_a_diverged_model_still_answers_in_json(client):
    import json
    sid = new(client, dataset="moons", hidden="3")["id"]
    session = client.app.state.manager.sessions[sid]
    session.model.hidden0.weight._data[:] = np.nan  # as after a too large learning rate
    state = client.post(f"/api/session/{sid}/step").json()
    assert state["train_loss"] is None and state["weights"][0]["weight"][0] == [None, None]
    with client.websocket_connect(f"/api/session/{sid}/live") as ws:
        client.post(f"/api/session/{sid}/step")
        msg = json.loads(ws.receive_text(), parse_constant=lambda c: pytest.fail(c))  # no NaN
    assert msg["type"] == "state" and msg["train_loss"] is None
    e = client.get(f"/api/session/{sid}/explain", params={"param": "hidden0.weight[1,0]"})
    assert e.status_code == 200 and e.json()["value"] is None
    refused(client.get(f"/api/session/{sid}/surface", params={
        "a": "hidden0.weight[1,0]", "b": "output.bias[0]"}), 400, "diverged")
