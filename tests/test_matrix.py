"""Themes by attribute as a matrix, and the participant characteristics table (issue 12 item 15)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import docx
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from radar.characteristics import characteristics
from radar.cli import main
from radar.matrix import cell, natural_key
from radar.study import Study
from radar.themes import in_text

# The small study of conftest: fg1 P1 P01 (Devices; Passwords), P2 P02 (Data plans; Burnout),
# P3 P03 (nothing coded); fg2 P1 P04 (Devices + Burnout), P2 P05 (Passwords).
# P06 is listed but never speaks; P03 has no state and no age.
SPEAKERS = (
    "speaker,participant_id,role,group,state,age\n"
    "Moderator,F1,facilitator,,,\n"
    "P1,P01,participant,fg1,VT,30\n"
    "P2,P02,participant,fg1,NH,41\n"
    "P3,P03,participant,fg1,,\n"
    "P1,P04,participant,fg2,NH,52\n"
    "P2,P05,participant,fg2,VT,47\n"
    "P9,P06,participant,fg2,ME,60\n"
)


@pytest.fixture
def reduced(tmp_path: Path, make_study) -> Path:  # type: ignore[no-untyped-def]
    root = make_study(tmp_path / "study", speakers=SPEAKERS)
    # these tests check the counting, so every count is shown; test_privacy_outputs checks small cells
    (root / "radar.toml").write_text("[deidentify]\nmin_cell = 1\n", encoding="utf-8")
    Study(root).reduce()
    return root


def run(*args: object) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.stdout


def csv_rows(*args: object) -> list[list[str]]:
    return list(csv.reader(io.StringIO(run(*args, "--format", "csv"))))


def assert_one_error(args: list[object], *needles: str) -> None:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    for needle in needles:
        assert needle in lines[0]
    assert "Traceback" not in result.output


# ------------------------------------------------------------------ the matrix

HEADER = ["Theme", "ME", "NH", "VT", "(not given)", "All"]


def test_by_attribute_is_a_matrix_of_excerpts(reduced: Path) -> None:
    # Excerpts (segment-theme pairs): NH = P02 Access, P02 Self-care, P04 Access, P04 Self-care = 4;
    # VT = P01 Access, P01 Privacy, P05 Privacy = 3; ME (P06) and (not given) (P03) have none: a dash.
    assert csv_rows("tally", reduced, "--by-attribute", "state") == [
        HEADER,
        ["Access", "\u2014", "2/4, 50%", "1/3, 33%", "\u2014", "3/7, 43%"],
        ["Privacy", "\u2014", "0/4, 0%", "2/3, 67%", "\u2014", "2/7, 29%"],
        ["Self-care", "\u2014", "2/4, 50%", "0/3, 0%", "\u2014", "2/7, 29%"],
    ]


def test_by_attribute_counts_participants_of_each_value(reduced: Path) -> None:
    # ME: P06; NH: P02 P04; VT: P01 P05; (not given): P03; all 6 (5 who spoke, P06 listed).
    # Access: P01 P02 P04; Privacy: P01 P05; Self-care: P02 P04.
    assert csv_rows("tally", reduced, "--by-attribute", "state", "--unit", "participants") == [
        HEADER,
        ["Access", "0/1, 0%", "2/2, 100%", "1/2, 50%", "0/1, 0%", "3/6, 50%"],
        ["Privacy", "0/1, 0%", "0/2, 0%", "2/2, 100%", "0/1, 0%", "2/6, 33%"],
        ["Self-care", "0/1, 0%", "2/2, 100%", "0/2, 0%", "0/1, 0%", "2/6, 33%"],
    ]


def test_by_attribute_counts_groups_where_the_value_spoke(reduced: Path) -> None:
    # NH spoke in fg1 (P02) and fg2 (P04); VT in fg1 (P01) and fg2 (P05); (not given) in fg1 (P03);
    # ME never spoke. Privacy: VT in fg1 and fg2, NH nowhere.
    rows = csv_rows("tally", reduced, "--by-attribute", "state", "--unit", "groups")
    assert rows[0] == HEADER
    assert rows[2] == ["Privacy", "\u2014", "0/2, 0%", "2/2, 100%", "0/1, 0%", "2/2, 100%"]


def test_by_group_the_columns_sort_naturally() -> None:
    assert sorted(["fg10", "(not given)", "fg2", "fg1"], key=natural_key) == [
        "fg1",
        "fg2",
        "fg10",
        "(not given)",
    ]


def test_a_matrix_cell_over_nothing_is_a_dash() -> None:
    assert (cell(2, 4, min_cell=1), cell(0, 0)) == ("2/4, 50%", "\u2014")


def test_the_table_format_says_what_n_is(reduced: Path) -> None:
    out = run("tally", reduced, "--by-attribute", "state", "--unit", "participants")
    assert out.splitlines()[0].split() == ["Theme", "ME", "NH", "VT", "(not", "given)", "All"]
    assert out.splitlines()[-1] == (
        "Each column: n/N of the participants with that state; All: of all participants."
    )
    assert run("tally", reduced, "--by", "code").splitlines()[-1] == (
        "N = coded segments (kept segments with at least one code)."
    )


def test_the_matrix_reads_back_from_xlsx_and_docx(reduced: Path, tmp_path: Path) -> None:
    rows = csv_rows("tally", reduced, "--by-attribute", "state")
    run("tally", reduced, "--by-attribute", "state", "--format", "xlsx", "--out", tmp_path / "m.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "m.xlsx").worksheets[0]
    assert sheet.title == "Themes by state"
    assert [[str(v) for v in r] for r in sheet.iter_rows(values_only=True)] == rows
    run("tally", reduced, "--by-attribute", "state", "--format", "docx", "--out", tmp_path / "m.docx")
    document = docx.Document(str(tmp_path / "m.docx"))
    assert [[c.text for c in r.cells] for r in document.tables[0].rows] == rows
    assert "Themes by state" in [p.text for p in document.paragraphs]


def test_the_matrix_in_markdown(reduced: Path) -> None:
    lines = run("tally", reduced, "--by-attribute", "state", "--format", "md").splitlines()
    assert lines[0] == "| Theme | ME | NH | VT | (not given) | All |"
    assert lines[2] == "| Access | \u2014 | 2/4, 50% | 1/3, 33% | \u2014 | 3/7, 43% |"


# ------------------------------------------------------------------ in-text strings


def test_in_text_keeps_the_theme_as_the_codebook_writes_it() -> None:
    frame = pd.DataFrame(
        {
            "theme": ["Zoom fatigue", "IT support", "Education on technology competency"],
            "label": ["5/40, 13%", "4/40, 10%", "3/40, 8%"],
        }
    )
    assert in_text(frame) == [
        "Zoom fatigue (5/40, 13%)",
        "IT support (4/40, 10%)",
        "Education on technology competency (3/40, 8%)",
    ]


# ------------------------------------------------------------------ participant characteristics

# state: ME P06, NH P02 P04, VT P01 P05, (not given) P03, of N = 6 (JMIR: no decimal under 100).
# age of the 5 given: 30 41 47 52 60 -> mean 230/5 = 46.0; deviations -16 -5 1 6 14, squares
# 256 25 1 36 196 = 514, SD = sqrt(514/4) = 11.34; median 47, range 30-60; P03 not given (1/6 = 17%).
CHARACTERISTICS = [
    ["Characteristic", "Value", "Participants (N = 6)"],
    ["state, n (%)", "ME", "1 (17%)"],
    ["", "NH", "2 (33%)"],
    ["", "VT", "2 (33%)"],
    ["", "(not given)", "1 (17%)"],
    ["age", "Mean (SD)", "46.0 (11.3)"],
    ["", "Median (range)", "47 (30\u201360)"],
    ["", "(not given)", "1 (17%)"],
]


def test_characteristics_by_hand(reduced: Path) -> None:
    assert csv_rows("characteristics", reduced) == CHARACTERISTICS
    frame = Study(reduced).characteristics()
    assert [list(frame.columns), *frame.values.tolist()] == CHARACTERISTICS


def test_characteristics_read_back_from_xlsx_and_docx(reduced: Path, tmp_path: Path) -> None:
    run("characteristics", reduced, "--format", "xlsx", "--out", tmp_path / "c.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "c.xlsx").worksheets[0]
    assert [
        ["" if v is None else str(v) for v in r] for r in sheet.iter_rows(values_only=True)
    ] == CHARACTERISTICS
    run("characteristics", reduced, "--format", "docx", "--out", tmp_path / "c.docx")
    table = docx.Document(str(tmp_path / "c.docx")).tables[0]
    assert [[c.text for c in r.cells] for r in table.rows] == CHARACTERISTICS


def test_a_column_with_one_word_among_numbers_is_counted() -> None:
    table1 = pd.DataFrame({"Participant": ["P01", "P02"], "Role": ["participant", "participant"]})
    from radar.speakers import Speaker, SpeakerList

    speakers = SpeakerList(
        (
            Speaker("A", "P01", "participant", attributes=(("age", "30"),)),
            Speaker("B", "P02", "participant", attributes=(("age", "over 60"),)),
        ),
        attribute_names=("age",),
    )
    assert characteristics(table1, speakers, min_cell=1).values.tolist() == [
        ["age, n (%)", "30", "1 (50%)"],
        ["", "over 60", "1 (50%)"],
    ]


def test_characteristics_without_speakers_csv_is_one_error(tmp_path: Path, make_study) -> None:  # type: ignore[no-untyped-def]
    root = make_study(tmp_path / "study")
    Study(root).reduce()
    assert_one_error(["characteristics", root], "speakers.csv: not found", "a column per characteristic")


def test_characteristics_without_attribute_columns_is_one_error(tmp_path: Path, make_study) -> None:  # type: ignore[no-untyped-def]
    root = make_study(tmp_path / "study", speakers="speaker,participant_id,role\nP1,P01,participant\n")
    assert_one_error(
        ["characteristics", root], "speakers.csv: no participant characteristics", "add a column"
    )
