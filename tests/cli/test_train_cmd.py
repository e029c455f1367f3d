"""`chainrule train`: runs, run folder, exact resume, and every user mistake exits 2."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("safetensors")

SMALL = ["--samples", "120", "--epochs", "3", "--hidden", "8", "--verbose", "0", "--no-figures"]


def test_train_writes_a_complete_run_folder(cli, tmp_path):
    out = tmp_path / "run"
    code, stdout, err = cli("train", "--dataset", "moons", "--samples", "200", "--epochs", "5",
                            "--hidden", "16", "--verbose", "2", "--out", out)
    assert code == 0, err
    names = {p.name for p in out.iterdir()}
    assert {"model.safetensors", "model.json", "preprocess.json", "history.json", "history.csv",
            "train.json", "checkpoint.safetensors"} <= names
    assert stdout.count("Epoch ") == 5 and "\r" not in stdout
    assert "Training MLP 2-16-1 (relu) on moons: binary (2 classes)" in stdout
    table = stdout.split("metric")[1]
    assert "accuracy" in table and "train" in stdout and "val" in stdout
    assert f"Run saved to {out}" in stdout
    try:
        from chainrule.viz import save_run_figures  # noqa: F401
        import matplotlib  # noqa: F401
    except ImportError:
        pass
    else:
        assert {"training_curves.png", "confusion_matrix.png", "confusion_matrix_val.png",
                "decision_boundary.png"} <= names
        assert "(4 figures)" in stdout
    meta = json.loads((out / "model.json").read_text())
    assert meta["task"] == "binary" and meta["model"]["args"]["out_features"] == 1
    assert meta["class_names"] == ["0", "1"] and meta["feature_names"] == ["x1", "x2"]
    assert json.loads((out / "train.json").read_text())["settings"]["loss"] == "bce"


def test_regression_and_csv_with_named_classes(cli, tmp_path):
    code, stdout, err = cli("train", "--dataset", "sine", *SMALL, "--out", tmp_path / "sine",
                            "--verbose", "1")
    assert code == 0, err
    assert "regression" in stdout and "r2" in stdout and "MSELoss" in stdout
    csv = tmp_path / "pets.csv"
    csv.write_text("weight,height,kind\n" + "".join(
        f"{w},{h},{k}\n" for w, h, k in [(4, 25, "cat"), (30, 60, "dog"), (3, 23, "cat"),
                                         (25, 55, "dog"), (5, 27, "cat"), (35, 65, "dog"),
                                         (0.3, 5, "mouse"), (0.2, 4, "mouse")] * 4))
    code, stdout, err = cli("train", "--data", csv, "--target", "kind", "--epochs", "3",
                            "--out", tmp_path / "pets", "--verbose", "1", "--no-figures")
    assert code == 0, err
    assert "multiclass (3 classes)" in stdout
    meta = json.loads((tmp_path / "pets" / "model.json").read_text())
    assert meta["class_names"] == ["cat", "dog", "mouse"] and meta["target"] == "kind"


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_resume_is_bitwise_identical_to_training_straight(cli, tmp_path, optimizer):
    common = ["--samples", "150", "--hidden", "16,16", "--dropout", "0.2", "--optimizer",
              optimizer, "--schedule", "plateau", "--early-stopping", "50", "--verbose", "0",
              "--no-figures"]
    a, b = tmp_path / "a", tmp_path / "b"
    assert cli("train", *common, "--epochs", "6", "--out", a)[0] == 0
    assert cli("train", *common, "--epochs", "3", "--out", b)[0] == 0
    code, _, err = cli("train", "--resume", b, "--epochs", "6", "--verbose", "0", "--no-figures")
    assert code == 0, err
    assert (a / "model.safetensors").read_bytes() == (b / "model.safetensors").read_bytes()
    from safetensors.numpy import load_file
    ca, cb = load_file(a / "checkpoint.safetensors"), load_file(b / "checkpoint.safetensors")
    assert sorted(ca) == sorted(cb) and all(ca[k].tobytes() == cb[k].tobytes() for k in ca)
    ha = json.loads((a / "history.json").read_text())["history"]
    hb = json.loads((b / "history.json").read_text())["history"]
    assert {k: v for k, v in ha.items() if k != "time"} == \
        {k: v for k, v in hb.items() if k != "time"}
    assert json.loads((b / "train.json").read_text())["settings"]["epochs"] == 6


def test_default_out_folder_is_timestamped(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli("train", "--dataset", "xor", *SMALL)[0] == 0
    assert cli("train", "--dataset", "xor", *SMALL)[0] == 0
    runs = sorted(p.name for p in (tmp_path / "runs").iterdir())
    assert len(runs) == 2 and all(r.startswith("xor-") for r in runs)


@pytest.mark.parametrize("missing", ["chainrule.viz", "matplotlib"])
def test_figures_are_skipped_quietly_without_viz_or_matplotlib(cli, tmp_path, monkeypatch,
                                                               missing):
    for name in list(sys.modules):
        if name == missing or name.startswith(missing + "."):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, missing, None)  # import fails
    args = [a for a in SMALL if a != "--no-figures"]
    code, out, err = cli("train", "--dataset", "xor", *args, "--out", tmp_path / "r")
    assert code == 0 and err == ""
    assert not list((tmp_path / "r").glob("*.png"))
    assert (tmp_path / "r" / "model.safetensors").exists()


@pytest.fixture
def trained(cli, tmp_path):
    d = tmp_path / "trained"
    assert cli("train", "--dataset", "blobs", *SMALL, "--out", d)[0] == 0
    return d


def test_user_mistakes_exit_2_with_one_line(cli_error, tmp_path, trained):
    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_text("a,b,y\n1,2,0\n3,oops,1\n")
    cases = [
        (["--lr", "-1"], "--lr: expected a positive number, got -1.0"),
        (["--lr", "abc"], "invalid float value"),
        (["--epochs", "0"], "--epochs: expected an integer >= 1"),
        (["--hidden", "64,x"], "--hidden"),
        (["--val-split", "1.5"], "--val-split"),
        (["--dataset", "spiralz"], "did you mean 'spirals'"),
        (["--data", tmp_path / "missing.csv"], "no such file"),
        (["--data", bad_csv], "row 3"),
        (["--data", bad_csv, "--target", "nope"], "'nope'"),
        (["--dataset", "moons", "--data", bad_csv], "either --dataset or --data"),
        (["--loss", "mse"], "--loss: expected a loss for classification"),
        (["--optimizer", "adam", "--momentum", "0.9"], "--momentum"),
        (["--optimizer", "lion"], "invalid choice"),
        (["--verbose", "5"], "invalid choice"),
        (["--bogus"], "unrecognized arguments"),
        (["--dataset", "sine", "--task", "binary"], "--task"),
        (["--out", trained], "already holds a run"),
        (["--resume", tmp_path / "nowhere", "--epochs", "5"], "no such folder"),
        (["--resume", trained, "--epochs", "5", "--lr", "0.1"], "only --epochs, --verbose"),
        (["--resume", trained, "--epochs", "2"], "more than the 3 already trained"),
        (["--resume", trained], "more than the 3 already trained, got None"),
    ]
    for args, match in cases:
        cli_error("train", *args, match=match)


def test_a_diverging_run_exits_2_and_leaves_no_folder(cli_error, tmp_path):
    out = tmp_path / "nan"
    cli_error("train", "--dataset", "xor", *SMALL, "--optimizer", "sgd", "--lr", "1e12",
              "--out", out, match="expected a finite loss")
    assert not out.exists()


def test_resume_of_a_damaged_run_exits_2(cli_error, trained):
    (trained / "checkpoint.safetensors").write_bytes(b"\x10" + bytes(20))
    cli_error("train", "--resume", trained, "--epochs", "5", match="checkpoint.safetensors")
    (trained / "train.json").write_bytes(os.urandom(64))
    cli_error("train", "--resume", trained, "--epochs", "5", match="train.json")


@pytest.mark.parametrize("schedule", ["step", "cosine", "onecycle"])
def test_resume_refuses_to_extend_a_planned_schedule(cli, cli_error, tmp_path, schedule):
    d = tmp_path / "cos"
    assert cli("train", "--dataset", "xor", *SMALL, "--schedule", schedule, "--out", d)[0] == 0
    cli_error("train", "--resume", d, "--epochs", "6", match="planned for 3 epochs")


def test_resume_refuses_a_changed_csv(cli, cli_error, tmp_path):
    csv = tmp_path / "d.csv"
    csv.write_text("a,y\n" + "".join(f"{i},{i % 2}\n" for i in range(20)))
    assert cli("train", "--data", csv, "--epochs", "2", "--hidden", "4", "--verbose", "0",
               "--no-figures", "--out", tmp_path / "r")[0] == 0
    csv.write_text(csv.read_text() + "21,1\n")
    cli_error("train", "--resume", tmp_path / "r", "--epochs", "4", match="has changed")


@pytest.mark.slow
def test_python_m_chainrule_train_with_no_arguments(tmp_path):
    src = Path(__file__).resolve().parents[2] / "src"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(src),
                                                        os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([sys.executable, "-m", "chainrule", "train"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    accuracy = next(line for line in proc.stdout.splitlines() if line.startswith("accuracy"))
    train_acc = float(accuracy.split()[1])
    assert train_acc >= 0.99
    runs = list((tmp_path / "runs").iterdir())
    assert len(runs) == 1 and runs[0].name.startswith("spirals-")
    assert (runs[0] / "model.safetensors").exists()
