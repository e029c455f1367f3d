"""``chainrule explain``: the course example and formulas, in text, Markdown and HTML."""
from __future__ import annotations

import pytest

from chainrule.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_course_example(capsys):
    code, out, _ = run(capsys, "explain", "--example", "course", "--values",
                       "theta1=2,theta2=-3,x=0.5,y=1")
    assert code == 0
    assert "a = θ1·θ2 = -6" in out and "L = c² = 16" in out
    assert "∂L/∂θ1 = 2cx·θ2 = 12" in out and "∂L/∂θ2 = 2cx·θ1 = -8" in out
    assert out.index("Forward pass") < out.index("Backward pass") < out.index("Gradients")


def test_course_example_other_values(capsys):
    code, out, _ = run(capsys, "explain", "--example", "course", "--values", "theta1=1,x=2")
    assert code == 0  # theta2=-3, y=1 by default: c = 1·(-3)·2 - 1 = -7
    assert "c = b − y = -7" in out and "∂L/∂θ1 = 2cx·θ2 = 84" in out


def test_expression_formats(capsys):
    args = ("explain", "(w*x + b - y)**2", "--values", "w=0.5,x=2,b=0.1,y=1")
    code, out, _ = run(capsys, *args)
    assert code == 0 and "∂L/∂w = 2dx = 0.4" in out and "∂L/∂b = 2d = 0.2" in out
    code, out, _ = run(capsys, *args, "--format", "markdown")
    assert code == 0 and r"\frac{\partial L}{\partial w} = 2d x = 0.4$" in out
    code, out, _ = run(capsys, *args, "--format", "html")
    assert code == 0 and out.lstrip().startswith("<div") and "<table" in out
    code, out, _ = run(capsys, *args, "--wrt", "x")
    assert code == 0 and "∂L/∂x = 2dw = 0.1" in out and "∂L/∂b" not in out


@pytest.mark.parametrize("argv, message", [
    (["explain", "__import__('os').system('echo hi')", "--values", "w=1"], "expected a call"),
    (["explain", "x.__class__", "--values", "x=1"], "x.__class__"),
    (["explain", "w*z", "--values", "w=1"], "got none for z"),
    (["explain", "w*2", "--values", "w=one"], "expected a number for w"),
    (["explain", "w*2", "--values", "w"], "expected NAME=NUMBER"),
    (["explain", "w*2", "--values", "w=nan"], "expected a finite number"),
    (["explain"], "got neither"),
    (["explain", "w*2", "--example", "course"], "got both"),
    (["explain", "--example", "course", "--values", "z=1"], "got z"),
])
def test_mistakes_exit_2_with_one_line(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.startswith("chainrule: error: ") and message in err and err.count("\n") == 1
