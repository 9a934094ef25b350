"""From tables to the manuscript: every tally format, the theme table, quotes, the report."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from radar import columns as C
from radar.cli import main
from radar.study import Study
from radar.themes import COMBINED_COLUMNS

SPEAKERS = (
    "speaker,participant_id,role,group,state\n"
    "Moderator,F1,facilitator,,\n"
    "P1,P01,participant,fg1,VT\n"
    "P2,P02,participant,fg1,NH\n"
    "P3,P03,participant,fg1,VT\n"
    "P1,P04,participant,fg2,NH\n"
    "P2,P05,participant,fg2,VT\n"
)


@pytest.fixture
def reduced(tmp_path: Path, make_study) -> Path:  # type: ignore[no-untyped-def]
    root = make_study(tmp_path / "study", speakers=SPEAKERS)
    Study(root).reduce()
    return root


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def csv_rows(root: Path, *extra: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(run("tally", str(root), "--format", "csv", *extra))))


def test_latex_rows_equal_csv_rows(reduced: Path) -> None:
    rows = csv_rows(reduced)
    latex = run("tally", str(reduced), "--format", "latex")
    assert latex.startswith("\\begin{tabular}{lrrrl}") and "\\toprule" in latex
    body = [line for line in latex.splitlines() if line.endswith("\\\\")]
    parsed = [[c.strip().replace("\\%", "%") for c in line[:-2].split(" & ")] for line in body]
    assert parsed == rows


def test_json_parses_to_the_csv_numbers(reduced: Path) -> None:
    data = json.loads(run("tally", str(reduced), "--format", "json", "--by", "code"))
    rows = csv_rows(reduced, "--by", "code")
    assert [
        [d["code"], d["theme"], str(d["n"]), str(d["N"]), str(d["percent"]), d["label"]] for d in data
    ] == rows[1:]
    assert isinstance(data[0]["n"], int) and isinstance(data[0]["percent"], float)


def test_xlsx_and_docx_read_back(reduced: Path, tmp_path: Path) -> None:
    rows = csv_rows(reduced)
    run("tally", str(reduced), "--format", "xlsx", "--out", str(tmp_path / "t.xlsx"))
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx").worksheets[0]
    assert [[str(v) for v in r] for r in sheet.iter_rows(values_only=True)] == rows
    run("tally", str(reduced), "--format", "docx", "--out", str(tmp_path / "t.docx"))
    table = docx.Document(str(tmp_path / "t.docx")).tables[0]
    cells = [[c.text for c in r.cells] for r in table.rows]
    assert cells[0] == ["Theme", "n", "N", "%", "n/N (%)"]  # Word shows the headers as papers print them
    assert cells[1:] == rows[1:]


def test_percent_styles(reduced: Path) -> None:
    labels = {r[0]: r[4] for r in csv_rows(reduced, "--percent", "one-decimal")[1:]}
    assert labels["Access"] == "3/7, 42.9%"
    labels = {r[0]: r[4] for r in csv_rows(reduced, "--percent", "integer")[1:]}
    assert labels["Privacy"] == "2/7, 29%"


def test_in_text_strings_keep_the_codebook_s_names(reduced: Path) -> None:
    assert run("tally", str(reduced), "--format", "text").splitlines() == [
        "Access (3/7, 43%)",
        "Privacy (2/7, 29%)",
        "Self-care (2/7, 29%)",
    ]


def test_combined_table(reduced: Path) -> None:
    frame = Study(reduced).theme_table()
    assert tuple(frame.columns) == COMBINED_COLUMNS
    access = frame.iloc[0]
    assert access["Theme"] == "Access"
    assert access["Codes"] == "Devices (2); Data plans (1)"
    assert access["Excerpts n/N (%)"] == "3/7, 43%"
    # Access: P01 (laptop), P02 (hotspot) in fg1, P04 (tablet) in fg2 of 5 participants.
    assert access["Participants n/N"] == "3/5"
    assert access["Groups n/N"] == "2/2"
    assert "[proposed by radar]" in access["Exemplar quote (ID)"]
    # Two proposals from different participants.
    assert len(set(re.findall(r"\((P\d+), fg\d\)", access["Exemplar quote (ID)"]))) == 2


def test_marked_exemplars_win_and_survive_reruns(reduced: Path) -> None:
    path = reduced / "radar-tables.xlsx"
    book = openpyxl.load_workbook(path)
    ws = book[C.SHEET_PHASE3]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "fg2-002" and row[header.index("Code")].value == "Burnout":
            row[header.index("Exemplar")].value = "x"
    book.save(path)
    Study(reduced).reduce()
    frame = Study(reduced).theme_table().set_index("Theme")
    assert frame.loc["Self-care", "Exemplar quote (ID)"] == (
        "\u201cMy tablet works fine, but burnout is real.\u201d (P04, fg2)"
    )
    themes = openpyxl.load_workbook(path)[C.SHEET_THEMES]
    header = [c.value for c in themes[1]]
    assert header[:5] == ["theme", "n", "N", "percent", "label"]
    assert "Exemplar quote (ID)" in header and "Participants n/N" in header


def test_breakdown_by_attribute_in_long_form(reduced: Path) -> None:
    frame = Study(reduced).breakdown("state", shape="long")
    rows = {(r[0], r[1]): [r[2], r[3]] for r in frame.itertuples(index=False)}
    # VT speakers: P01 P03 P05; NH: P02 P04. Excerpts: Access P01 P02 P04; Privacy P01 P05; Self-care P02 P04.
    assert rows[("Access", "VT")] == [1, 3]  # VT excerpts: P01 Access, P01 Privacy, P05 Privacy
    assert rows[("Access", "NH")] == [2, 4]  # NH: P02 Access, P02 Self-care, P04 Access, P04 Self-care
    frame = Study(reduced).breakdown("state", unit="participants", shape="long")
    rows = {(r[0], r[1]): [r[2], r[3]] for r in frame.itertuples(index=False)}
    assert rows[("Privacy", "VT")] == [2, 3]
    assert rows[("Self-care", "NH")] == [2, 2]


def test_unknown_attribute_is_one_error(reduced: Path) -> None:
    result = CliRunner().invoke(main, ["tally", str(reduced), "--by-attribute", "country"])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: no participant attribute 'country'; the attributes are: group, state "
        "(add a column to speakers.csv for more)"
    )


def test_report_docx_reads_back(reduced: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.docx"
    run("report", str(reduced), "--out", str(out))
    document = docx.Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:3] == ["Study summary", "Data reduction", "Themes"]
    assert "COREQ items radar can answer" in headings and "Appendix: codebook" in headings
    theme_table = document.tables[0]
    cells = [[c.text for c in r.cells] for r in theme_table.rows]
    assert cells[0] == list(COMBINED_COLUMNS[:-1])
    assert [r[0] for r in cells[1:]] == ["Access", "Privacy", "Self-care"]
    assert [r[3] for r in cells[1:]] == ["3/7, 43%", "2/7, 29%", "2/7, 29%"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "29 Quotations presented" in text and "27 Software: radar" in text
    assert document.inline_shapes, "the reduction flow figure is in the report"


def test_report_markdown_has_the_same_theme_table(reduced: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    run("report", str(reduced), "--format", "md", "--out", str(out))
    text = out.read_text(encoding="utf-8")
    assert "| Access | Getting online. | Devices (2); Data plans (1) | 3/7, 43% | 3/5 | 2/2 |" in text
    assert "## COREQ items radar can answer" in text
