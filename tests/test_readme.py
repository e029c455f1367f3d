"""The README's code runs and prints what it says."""
from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_python_example_runs_and_prints_the_worked_example_gradients() -> None:
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert blocks, "README has no python example"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(blocks[0], str(README), "exec"), {})  # noqa: S102  (our own README)
    lines = out.getvalue().splitlines()
    assert lines[0] == "tensor(12.) tensor(-8.)"
    assert float(lines[1]) < 0.1  # the MLP learnt the spirals


def test_readme_has_exactly_the_two_fresh_machine_commands() -> None:
    text = README.read_text(encoding="utf-8")
    commands = re.findall(r"```bash\n(.*?)\n```", text, re.S)
    assert len(commands) == 2
    assert commands[0].endswith("chainrule train")
    assert commands[1].endswith("python -m pytest")
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci
