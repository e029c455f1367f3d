"""``chainrule plot``: every kind writes a picture of the expected size; mistakes exit 2."""
from __future__ import annotations

import numpy as np
import pytest

from chainrule.cli import main

pytest.importorskip("matplotlib")


def _png(path):
    from matplotlib.image import imread
    img = imread(path)
    assert img[..., :3].std() > 0.05  # not blank
    return img.shape[:2]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("argv, size", [
    (["activations", "--names", "relu,sigmoid,gelu"], (260, 900)),
    (["optimizers", "--surface", "bowl", "--steps", "30"], (500, 600)),
    (["init", "--steps", "50"], (600, 700)),
    (["schedules", "--steps", "30"], (780, 1200)),
    (["closed-form", "--steps", "20"], (500, 1200)),
])
def test_course_figures(capsys, tmp_path, argv, size):
    out = tmp_path / "fig.png"
    code, stdout, _ = run(capsys, "plot", *argv, "--out", str(out))
    assert code == 0 and stdout.strip() == f"wrote {out}"
    assert _png(out) == size


def test_default_file_name(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, stdout, _ = run(capsys, "plot", "closed-form", "--steps", "5")
    assert code == 0 and (tmp_path / "closed_form.png").exists()


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("runs") / "moons"
    code = main(["train", "--dataset", "moons", "--samples", "200", "--epochs", "3",
                 "--hidden", "8", "--out", str(d), "--verbose", "0"])
    assert code == 0
    return d


def test_run_figures(capsys, tmp_path, run_dir):
    assert (run_dir / "decision_boundary.png").exists()  # chainrule train called viz
    for kind, size in (("decision-boundary", (500, 600)), ("history", (300, 1200)),
                       ("confusion", (400, 500))):
        out = tmp_path / f"{kind}.png"
        code, _, err = run(capsys, "plot", kind, "--run", str(run_dir), "--out", str(out))
        assert code == 0, err
        assert _png(out) == size


def test_graph_dot_and_picture(capsys, tmp_path):
    from chainrule.viz import has_dot
    out = tmp_path / "g.dot"
    code, _, _ = run(capsys, "plot", "graph", "--example", "course", "--values", "theta1=1",
                     "--out", str(out))
    text = out.read_text()
    assert code == 0 and text.startswith("digraph") and "theta1" in text and "L = 6.25" in text
    out = tmp_path / "g.png"
    code, _, err = run(capsys, "plot", "graph", "--expression", "relu(w*x - 1)", "--values",
                       "w=2,x=3", "--out", str(out))
    if has_dot():
        assert code == 0 and out.read_bytes()[:4] == b"\x89PNG"
    else:
        assert code == 2 and "use --out FILE.svg or .dot" in err and not out.exists()
    out = tmp_path / "g.svg"
    code, _, _ = run(capsys, "plot", "graph", "--example", "course", "--out", str(out))
    assert code == 0 and "<svg" in out.read_text() and "theta2" in out.read_text()


@pytest.mark.parametrize("argv, message", [
    (["plot", "activations", "--out", "a.txt"], "expected a file ending in .png, .svg, .pdf"),
    (["plot", "activations", "--names", "relu,swish"], "got 'swish'"),
    (["plot", "activations", "--run", "x"], "expected only --names, got --run"),
    (["plot", "optimizers", "--steps", "0"], "expected a positive number"),
    (["plot", "init", "--surface", "all"], "got all"),
    (["plot", "history"], "expected --run DIR"),
    (["plot", "history", "--run", "no/such/run"], "no such folder"),
    (["plot", "graph"], "got neither"),
    (["plot", "graph", "--expression", "os.system(1)", "--values", "w=1"], "os.system(1)"),
    (["plot", "cats"], "invalid choice"),
])
def test_mistakes_exit_2(capsys, tmp_path, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *argv)
    assert code == 2 and message in err and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_regression_run_has_no_decision_boundary(capsys, tmp_path):
    d = tmp_path / "sine"
    assert main(["train", "--dataset", "sine", "--samples", "100", "--epochs", "2", "--hidden",
                 "4", "--out", str(d), "--verbose", "0"]) == 0
    code, _, err = run(capsys, "plot", "decision-boundary", "--run", str(d), "--out",
                       str(tmp_path / "x.png"))
    assert code == 2 and "expected a classification run" in err
    assert np.isfinite(_png(d / "training_curves.png")[0])
