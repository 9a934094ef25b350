"""Running the ``radar`` command in tests, through click's CliRunner, and checking its outcome."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from radar.cli import main


def run(*args: str | Path) -> Result:
    """``radar ARGS...``, as a user types it."""
    return CliRunner().invoke(main, [str(arg) for arg in args])


def ok(result: Result) -> list[str]:
    """The stdout lines of a command that must succeed."""
    assert result.exit_code == 0, result.output
    assert result.exception is None, result.exc_info
    return result.stdout.splitlines()


def assert_one_error(result: Result, *needles: str) -> str:
    """Exit status 1, one ``Error: ...`` line naming every needle, no traceback; returns the line."""
    assert result.exit_code == 1, result.output
    # an exception that escapes the command also exits 1 under CliRunner; click's own exit is SystemExit
    assert isinstance(result.exception, SystemExit), result.exc_info
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    for needle in needles:
        assert needle in lines[0], lines[0]
    assert "Traceback" not in result.output
    return lines[0]
