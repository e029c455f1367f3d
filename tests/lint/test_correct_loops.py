"""The README's code and the examples are correct loops: not one LintWarning (as errors here;
tests/test_examples.py runs the examples with LintWarning as an error)."""
from __future__ import annotations

import contextlib
import io
import re
import warnings
from pathlib import Path

import chainrule as cr

ROOT = Path(__file__).resolve().parents[2]


def test_readme_loop_raises_no_lint() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert blocks
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()) as out:
        warnings.simplefilter("error", cr.LintWarning)
        for block in blocks:
            exec(compile(block, str(ROOT / "README.md"), "exec"), {})  # noqa: S102  (our README)
    assert out.getvalue()  # it ran and printed


def test_examples_run_with_lint_warnings_as_errors() -> None:
    source = (ROOT / "tests" / "test_examples.py").read_text(encoding="utf-8")
    assert "warnings.simplefilter('error', chainrule.LintWarning)" in source
