"""The dispatcher: help, unknown commands and missing extras end in one line and exit 2."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from chainrule.cli import main


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage: chainrule" in capsys.readouterr().out


def test_unknown_command_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fly"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "invalid choice" in err and "Traceback" not in err


def test_missing_optional_dependency_is_one_line(monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str],
                                                 tmp_path: Path) -> None:
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib -> ImportError
    assert main(["plot", "activations", "--out", str(tmp_path / "a.png")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("chainrule: error: ") and err.count("\n") == 1
    assert "chainrule[viz]" in err
    assert not (tmp_path / "a.png").exists()


def test_version_and_no_command_are_consistent(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.startswith("chainrule ")
    assert main([]) == 2 and main(["train", "--lr", "abc"]) == 2  # usage errors: always 2
    out = capsys.readouterr()
    assert "usage: chainrule" in out.out


def test_errors_have_one_prefix(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    main(["train", "--lr", "abc"])
    err = capsys.readouterr().err
    assert err.startswith("chainrule: error: argument --lr") and err.count("chainrule:") == 1
    assert "see chainrule train --help" in err
    main(["train", "--data", "/dev/null"])
    err = capsys.readouterr().err
    assert err.count("chainrule") == 1 and "character device" in err and "no such" not in err


def test_every_option_has_help_text() -> None:
    import argparse

    from chainrule.cli import build_parser

    missing = []

    def walk(parser: argparse.ArgumentParser, path: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, f"{path} {name}")
            elif not action.help and not isinstance(action, argparse._HelpAction):
                missing.append(f"{path} {action.option_strings or action.dest}")
    walk(build_parser(), "chainrule")
    assert not missing


def test_a_closed_pipe_ends_quietly(monkeypatch, capsys):
    from chainrule.cli import datasets_cmd

    def closed(args):
        raise BrokenPipeError(32, "Broken pipe")
    monkeypatch.setattr(datasets_cmd, "run", closed)
    assert main(["datasets"]) == 141
    assert capsys.readouterr().err == ""
