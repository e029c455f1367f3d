"""The progress display: a tqdm bar on a terminal, plain lines otherwise, silence at verbose 0."""
import io

import numpy as np
import pytest

import chainrule as cr
from chainrule.data import spirals
from chainrule.train import ProgressBar, fit
from chainrule.train.progress import format_logs


def spiral_data(n):
    X, y = spirals(n, noise=0.03, seed=0)
    return X.astype(np.float32), y


def mlp():
    cr.manual_seed(0)
    return cr.nn.MLP(2, [8], 2)


def _progress_output(verbose, tty):
    class Stream(io.StringIO):
        def isatty(self):
            return tty

    X, y = spiral_data(40)
    model = mlp()
    stream = Stream()
    bar = ProgressBar(verbose, file=stream)
    fit(model, (X, y), loss=cr.nn.CrossEntropyLoss(), epochs=2, batch_size=8, verbose=0,
        optimizer=cr.optim.SGD(model.parameters(), lr=0.1), metrics=["accuracy"],
        callbacks=[bar] if verbose else [])
    return stream.getvalue(), bar


@pytest.mark.parametrize("verbose", [1, 2])
def test_progress_lines_when_not_a_terminal(verbose):
    text, bar = _progress_output(verbose, tty=False)
    lines = text.splitlines()
    assert bar.mode == "lines" and len(lines) == 2
    assert lines[0].startswith("Epoch 1/2 - ") and "loss: " in lines[0] and "accuracy: " in lines[0]
    assert "\r" not in text and "\x1b" not in text


def test_progress_bar_on_a_terminal_and_fallback_without_tqdm(monkeypatch):
    pytest.importorskip("tqdm")
    text, bar = _progress_output(1, tty=True)
    assert bar.mode == "bar" and "Epoch 2/2" in text and "accuracy" in text and "\r" in text
    # one bar for the run: it is opened once and reaches 100 % on one line
    assert text.count("\n") == 1 and "100%" in text and "loss " in text
    frames = [f for f in text.split("\r") if f.strip()]
    assert all(len(f.split("|")[1]) == 24 for f in frames)  # a fixed-width bar, never 1 char
    from chainrule.train import progress
    monkeypatch.setattr(progress, "_tqdm", lambda: None)
    text, bar = _progress_output(1, tty=True)
    assert bar.mode == "lines" and "\r" not in text and len(text.splitlines()) == 2


def test_verbose_default_prints_lines_to_stdout_and_zero_is_silent(capsys):
    X, y = spiral_data(20)
    model = mlp()
    kw = dict(loss=cr.nn.CrossEntropyLoss(), epochs=2, optimizer=cr.optim.SGD(
        model.parameters(), lr=0.1))
    fit(model, (X, y), verbose=0, **kw)
    assert capsys.readouterr().out == ""
    fit(model, (X, y), verbose=1, **kw)
    assert capsys.readouterr().out.count("Epoch ") == 2


def test_format_logs():
    assert format_logs({"loss": float("nan"), "big": 1e6, "zero": 0.0}) == \
        "loss: nan - big: 1.000e+06 - zero: 0.0000"
