"""The radar command through click's CliRunner: output, errors, exit codes."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from radar.cli import main


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def assert_one_error(code: int, out: str, err: str, *needles: str) -> None:
    assert code == 1
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("Error: ")
    for needle in needles:
        assert needle in lines[0]
    assert "Traceback" not in out + err


def test_reduce_prints_flow_table_and_paths(study_dir: Path) -> None:
    code, out, _ = run("reduce", str(study_dir))
    assert code == 0
    assert "11 turns -> 7 kept -> 6 coded -> 3 themes (7 excerpts)" in out
    assert "3/7, 43%" in out
    assert f"wrote {study_dir / 'radar-tables.xlsx'}" in out


def test_tally_csv_reads_the_workbook(study_dir: Path) -> None:
    run("reduce", str(study_dir))
    code, out, _ = run("tally", str(study_dir), "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["theme", "n", "N", "percent", "label"]
    assert [(r["theme"], r["n"], r["N"], r["percent"]) for r in rows] == [
        ("Access", "3", "7", "42.9"),
        ("Privacy", "2", "7", "28.6"),
        ("Self-care", "2", "7", "28.6"),
    ]


def test_tally_by_participants_and_groups(study_dir: Path) -> None:
    (study_dir / "radar.toml").write_text("[deidentify]\nmin_cell = 1\n", encoding="utf-8")  # every count
    run("reduce", str(study_dir))
    # Participants: fg1 P1 P2 P3, fg2 P1 P2 = 5. Access voiced by fg1 P1, fg1 P2, fg2 P1.
    _, out, _ = run("tally", str(study_dir), "--unit", "participants", "--format", "csv")
    rows = {r["theme"]: (r["n"], r["N"]) for r in csv.DictReader(io.StringIO(out))}
    assert rows == {"Access": ("3", "5"), "Privacy": ("2", "5"), "Self-care": ("2", "5")}
    _code, out, _ = run("tally", str(study_dir), "--unit", "groups", "--by", "code", "--format", "csv")
    rows = {r["code"]: (r["theme"], r["n"], r["N"]) for r in csv.DictReader(io.StringIO(out))}
    assert rows["Passwords"] == ("Privacy", "2", "2")
    assert rows["Data plans"] == ("Access", "1", "2")


def test_tally_markdown(study_dir: Path) -> None:
    run("reduce", str(study_dir))
    _code, out, _ = run("tally", str(study_dir), "--format", "md")
    assert out.splitlines()[0] == "| theme | n | N | percent | label |"
    assert "| Access | 3 | 7 | 42.9 | 3/7, 43% |" in out


def test_tally_before_reduce_says_what_to_do(study_dir: Path) -> None:
    assert_one_error(*run("tally", str(study_dir)), "radar-tables.xlsx", "radar reduce")


def test_empty_folder(tmp_path: Path) -> None:
    assert_one_error(*run("reduce", str(tmp_path)), "transcripts/")
    assert list(tmp_path.iterdir()) == []


def test_empty_transcript(study_dir: Path) -> None:
    (study_dir / "transcripts" / "fg3.txt").write_text("", encoding="utf-8")
    assert_one_error(*run("reduce", str(study_dir)), "fg3.txt")
    assert not (study_dir / "radar-tables.xlsx").exists()


def test_unreadable_docx(study_dir: Path) -> None:
    (study_dir / "transcripts" / "fg3.docx").write_bytes(b"this is not a zip")
    assert_one_error(*run("reduce", str(study_dir)), "fg3.docx")
    assert not (study_dir / "radar-tables.xlsx").exists()


def test_two_codebooks(study_dir: Path) -> None:
    (study_dir / "codebook.csv").write_text("Theme,Code\n", encoding="utf-8")
    assert_one_error(*run("reduce", str(study_dir)), "codebook.yaml", "codebook.csv")


def test_no_codebook(study_dir: Path) -> None:
    (study_dir / "codebook.yaml").unlink()
    assert_one_error(*run("reduce", str(study_dir)), "codebook")


def test_broken_codebook_names_the_row(study_dir: Path) -> None:
    (study_dir / "codebook.yaml").unlink()
    (study_dir / "codebook.csv").write_text(
        "Theme,Code,Definition,Include,Exclude,Example,Keywords\n"
        "Access,Devices,,,,,laptop\n"
        "Privacy,devices,,,,,password\n",
        encoding="utf-8",
    )
    assert_one_error(*run("reduce", str(study_dir)), "codebook.csv", "row 3")
    assert not (study_dir / "radar-tables.xlsx").exists()


def test_codebook_check(study_dir: Path) -> None:
    code, out, _ = run("codebook", "check", str(study_dir / "codebook.yaml"))
    assert code == 0
    assert "3 themes" in out and "4 codes" in out


def test_init_writes_a_commented_config(tmp_path: Path) -> None:
    code, _out, _ = run("init", str(tmp_path / "new"), "--title", "My study")
    assert code == 0
    text = (tmp_path / "new" / "radar.toml").read_text(encoding="utf-8")
    assert 'title = "My study"' in text and text.startswith("#")
    assert (tmp_path / "new" / "transcripts").is_dir()


def test_every_command_has_help() -> None:
    for name, command in main.commands.items():
        assert command.help, name
        code, out, _ = run(name, "--help")
        assert code == 0 and "Usage:" in out


def test_help_does_not_import_heavy_packages() -> None:
    probe = (
        "import sys; from radar.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('pandas', 'spacy', 'matplotlib', 'docx', 'openpyxl') if m in sys.modules]\n"
        "print('HEAVY', heavy)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert "HEAVY []" in out


def test_codebook_list_and_init_with_a_shipped_codebook(tmp_path: Path) -> None:
    code, out, _ = run("codebook", "list")
    assert code == 0
    line = next(line for line in out.splitlines() if line.startswith("digital-peer-support-supervision"))
    assert "Digital peer support supervision standards" in line and " 11 " in line and " 51 " in line
    code, out, _ = run("init", str(tmp_path / "s"), "--codebook", "digital-peer-support-supervision")
    assert code == 0
    from radar.codebook import load_codebook

    assert len(load_codebook(tmp_path / "s" / "codebook.yaml").codes) == 51


def test_init_with_an_unknown_codebook_changes_nothing(tmp_path: Path) -> None:
    assert_one_error(*run("init", str(tmp_path / "s"), "--codebook", "supervison"), "did you mean")
    assert not (tmp_path / "s").exists()


def test_chart_writes_a_png_and_refuses_to_overwrite(study_dir: Path, tmp_path: Path) -> None:
    run("reduce", str(study_dir))
    out = tmp_path / "themes.png"
    code, _stdout, _ = run("chart", str(study_dir), "themes", "--out", str(out))
    assert code == 0 and out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert_one_error(*run("chart", str(study_dir), "flow", "--out", str(out)), "--force")
    code, _, _ = run("chart", str(study_dir), "flow", "--out", str(out), "--force")
    assert code == 0
    assert_one_error(
        *run("chart", str(study_dir), "flow", "--out", str(tmp_path / "x.gif")), ".png, .svg or .pdf"
    )


def test_a_bad_keep_value_is_one_error_and_leaves_the_workbook(study_dir: Path) -> None:
    import hashlib

    import openpyxl

    run("reduce", str(study_dir))
    path = study_dir / "radar-tables.xlsx"
    book = openpyxl.load_workbook(path)
    book["1 All data"]["H3"] = "perhaps"
    book.save(path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    assert_one_error(*run("reduce", str(study_dir)), "cell H3", "Keep is 'perhaps'", "write yes or no")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_a_workbook_open_in_excel_is_one_error(study_dir: Path) -> None:
    run("reduce", str(study_dir))
    (study_dir / "~$radar-tables.xlsx").write_bytes(b"")
    assert_one_error(*run("reduce", str(study_dir)), "open in Excel", "close it")
