"""Helpers for the command-line tests: run ``chainrule.cli.main`` in-process."""
import pytest

from chainrule.cli import main


@pytest.fixture
def cli(capsys):
    """``cli(*args) -> (exit code, stdout, stderr)``."""
    def run(*args):
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err
    return run


@pytest.fixture
def cli_error(cli):
    """Run a command that must fail as a user mistake: exit 2, one line, no traceback."""
    def run(*args, match=None):
        code, out, err = cli(*args)
        assert code == 2, (out, err)
        assert "Traceback" not in err and "Traceback" not in out
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("chainrule: error: "), err
        if match is not None:
            assert match in lines[0], lines[0]
        return lines[0]
    return run
