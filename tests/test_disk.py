"""The disk and the folder (issue 13 items 5 and 6): damaged records, unwritable places, two runs at once.

Each case either works with a note or stops with one Error line and the study unchanged.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from radar.cli import main
from radar.study import Study


def run(*args: str | Path) -> tuple[int, list[str], str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return (
        result.exit_code,
        [line for line in result.stderr.splitlines() if line.startswith("Error: ")],
        result.output,
    )


def tree(root: Path) -> dict[str, str]:
    """Every file under the study and its hash."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def audit_lines(root: Path) -> list[str]:
    return (root / ".radar" / "audit.jsonl").read_text(encoding="utf-8", errors="replace").splitlines()


def test_an_audit_line_cut_short_stays_apart_and_the_next_run_is_recorded(study_dir: Path) -> None:
    Study(study_dir).reduce()
    audit = study_dir / ".radar" / "audit.jsonl"
    with audit.open("a", encoding="utf-8") as handle:
        handle.write('{"run": 2, "action": "redu')  # a crash mid-write
    code, errors, output = run("reduce", study_dir, "-q")
    assert (code, errors) == (0, [])
    assert "line(s) 2 are damaged and were skipped" in output
    lines = audit_lines(study_dir)
    assert lines[1] == '{"run": 2, "action": "redu'  # kept as it was, on its own line
    assert json.loads(lines[2])["run"] == 2  # the new run, readable
    assert run("history", study_dir)[0] == 0


def test_an_audit_log_of_random_bytes_is_kept_and_reported(study_dir: Path) -> None:
    Study(study_dir).reduce()
    audit = study_dir / ".radar" / "audit.jsonl"
    audit.write_bytes(bytes(range(256)) * 4)
    code, errors, output = run("reduce", study_dir, "-q")
    assert (code, errors) == (0, [])
    assert "are damaged and were skipped" in output
    assert audit.read_bytes().startswith(bytes(range(256)) * 4)


def test_radar_records_being_a_file_is_one_error_and_changes_nothing(study_dir: Path) -> None:
    (study_dir / ".radar").write_text("not a folder", encoding="utf-8")
    before = tree(study_dir)
    code, errors, _ = run("reduce", study_dir)
    assert code == 1 and len(errors) == 1
    assert errors[0].startswith(f"Error: {study_dir / '.radar'}: is a file")
    assert tree(study_dir) == before


def test_an_audit_log_that_cannot_be_written_leaves_the_workbook_as_it_was(study_dir: Path) -> None:
    Study(study_dir).reduce()
    audit = study_dir / ".radar" / "audit.jsonl"
    audit.unlink()
    audit.mkdir()  # appending to it fails, for any user
    (study_dir / "transcripts" / "fg2.txt").write_text(
        "Moderator: Hi?\nP1: A new answer.\n", encoding="utf-8"
    )
    keep = {"radar-tables.xlsx", ".radar/segments.json", ".radar/speaker-key.csv"}
    before = {name: digest for name, digest in tree(study_dir).items() if name in keep}
    code, errors, output = run("reduce", study_dir)
    assert code == 1 and len(errors) == 1, output
    assert "the run changed nothing" in errors[0] and "Traceback" not in output
    assert {name: digest for name, digest in tree(study_dir).items() if name in keep} == before


def test_a_second_run_while_one_holds_the_study_is_refused(study_dir: Path) -> None:
    (study_dir / ".radar").mkdir()
    lock = study_dir / ".radar" / "lock"
    lock.write_text(f"{os.getpid()} {socket.gethostname()} 2026-12-02T01:00:00+00:00\n", encoding="utf-8")
    before = tree(study_dir)
    code, errors, _ = run("reduce", study_dir)
    assert code == 1 and len(errors) == 1
    assert f"another radar run is writing this study (process {os.getpid()} on" in errors[0]
    assert tree(study_dir) == before


def test_a_stale_lock_is_taken_over_and_released(study_dir: Path) -> None:
    (study_dir / ".radar").mkdir()
    lock = study_dir / ".radar" / "lock"
    lock.write_text(f"999999999 {socket.gethostname()} 2026-12-02T01:00:00+00:00\n", encoding="utf-8")
    code, errors, _ = run("reduce", study_dir, "-q")
    assert (code, errors) == (0, [])
    assert not lock.exists()


@pytest.mark.parametrize(
    "command", [["reduce"], ["codebook", "rename", "{study}", "Passwords", "Password care"]]
)
def test_every_writing_command_releases_the_lock(command: list[str], study_dir: Path) -> None:
    Study(study_dir).reduce()
    args = [a.format(study=study_dir) for a in command] if len(command) > 1 else [*command, str(study_dir)]
    assert run(*args)[0] == 0
    assert not (study_dir / ".radar" / "lock").exists()
