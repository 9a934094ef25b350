"""radar reduce: phases, defaults, the workbook, and reading the analyst's edits back."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from radar import columns as C
from radar.errors import RadarWarning, StudyError, WorkbookError
from radar.study import Study


def sheet_rows(path: Path, title: str) -> list[dict[str, object]]:
    ws = openpyxl.load_workbook(path)[title]
    rows = list(ws.iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, row)) for row in rows[1:]]


def by_id(rows: list[dict[str, object]]) -> dict[str, dict[str, object]]:
    return {str(r[C.SEGMENT_ID]): r for r in rows}


def codes_of(row: dict[str, object]) -> list[str]:
    return [str(v) for k, v in row.items() if C.is_code_column(k) and v]


def test_first_run_builds_every_phase(study_dir: Path) -> None:
    result = Study(study_dir).reduce()
    path = study_dir / "radar-tables.xlsx"
    assert result.written[0] == path
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:6] == ["1 All data", "2 Relevant", "3 Coded", "Themes", "Codebook", "Log"]
    p1 = sheet_rows(path, C.SHEET_PHASE1)
    assert list(p1[0])[:9] == [
        "Segment ID", "Group", "Participant", "Role", "Question", "Start", "Text", "Keep", "Reason",
    ]  # fmt: skip
    # fg1: Moderator, P1, P2 (two lines merged), P3 marker, Moderator, P1, P2, P3 = 8 turns; fg2: 3.
    assert len(p1) == 11
    rows = by_id(p1)
    assert rows["fg1-001"]["Role"] == "facilitator"
    assert (rows["fg1-001"]["Keep"], rows["fg1-001"]["Reason"]) == ("no", "facilitator")
    assert (rows["fg1-004"]["Keep"], rows["fg1-004"]["Reason"]) == ("no", "non-speech")
    assert rows["fg1-003"]["Text"] == (
        "I use a hotspot from my phone and the data plan runs out. It runs out in a week."
    )
    assert rows["fg1-006"]["Question"] == "And keeping things private?"
    assert rows["fg1-002"]["Question"] == "What gets in the way of joining a group online?"
    # P1 of fg1 and P1 of fg2 are different people: different pseudonyms, never the label.
    assert rows["fg1-002"]["Participant"] != rows["fg2-002"]["Participant"]

    p2 = by_id(sheet_rows(path, C.SHEET_PHASE2))
    assert list(next(iter(p2.values())))[:7] == [
        "Segment ID", "Group", "Participant", "Text", "Code 1", "Code 2", "Code 3",
    ]  # fmt: skip
    assert set(p2) == {"fg1-002", "fg1-003", "fg1-006", "fg1-007", "fg1-008", "fg2-002", "fg2-003"}
    assert codes_of(p2["fg1-002"]) == ["Devices"]
    assert codes_of(p2["fg1-003"]) == ["Data plans"]
    assert codes_of(p2["fg2-002"]) == ["Devices", "Burnout"]
    assert codes_of(p2["fg1-008"]) == []

    # Excerpts: Access fg1-002 fg1-003 fg2-002; Privacy fg1-006 fg2-003; Self-care fg1-007 fg2-002.
    themes = {r["theme"]: (r["n"], r["N"]) for r in sheet_rows(path, C.SHEET_THEMES)}
    assert themes == {"Access": (3, 7), "Privacy": (2, 7), "Self-care": (2, 7)}
    assert (result.flow.turns, result.flow.kept, result.flow.coded) == (11, 7, 6)


def test_code_cells_have_a_dropdown_from_the_lists_sheet(study_dir: Path) -> None:
    Study(study_dir).reduce()
    book = openpyxl.load_workbook(study_dir / "radar-tables.xlsx")
    validations = book[C.SHEET_PHASE2].data_validations.dataValidation
    formulas = {v.formula1 for v in validations}
    assert "'Lists'!$A$2:$A$5" in formulas
    lists = [r[0] for r in book[C.SHEET_LISTS].iter_rows(min_row=2, values_only=True)]
    assert lists[:4] == ["Devices", "Data plans", "Passwords", "Burnout"]
    keep_rules = {v.formula1 for v in book[C.SHEET_PHASE1].data_validations.dataValidation}
    assert "'Lists'!$B$2:$B$3" in keep_rules
    assert book[C.SHEET_PHASE1].freeze_panes == "B2"
    assert book[C.SHEET_PHASE1]["A1"].font.b


def edit_sorted(path: Path) -> None:
    """Play the analyst: edit cells, then sort both sheets in reverse and add a column."""
    book = openpyxl.load_workbook(path)
    for title, edits in {
        C.SHEET_PHASE1: {
            "fg1-008": {"Keep": "n", "Reason": "off topic"},
            "fg1-001": {"Reason": "facilitator"},
        },
        C.SHEET_PHASE2: {
            "fg1-002": {"Code 1": ""},  # the analyst deletes a suggestion
            "fg1-007": {"Code 2": "passwords; Devices", "Memo": "tired of logins"},
            "fg2-003": {"Memo": "=not a formula"},
        },
    }.items():
        ws = book[title]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        header, data = rows[0], rows[1:]
        for row in data:
            for column, value in edits.get(str(row[0]), {}).items():
                row[header.index(column)] = value
        data.reverse()
        header = [*header, "My notes"]
        ws.delete_rows(1, ws.max_row)
        ws.append(header)
        for row in data:
            ws.append([*row, f"note on {row[0]}"])
    book.save(path)


def test_edits_survive_a_rerun_after_sorting(study_dir: Path) -> None:
    study = Study(study_dir)
    study.reduce()
    path = study_dir / "radar-tables.xlsx"
    edit_sorted(path)
    study.reduce()
    study.reduce()  # twice: nothing drifts
    p1 = by_id(sheet_rows(path, C.SHEET_PHASE1))
    assert (p1["fg1-008"]["Keep"], p1["fg1-008"]["Reason"]) == ("no", "off topic")
    p2 = by_id(sheet_rows(path, C.SHEET_PHASE2))
    assert "fg1-008" not in p2
    assert codes_of(p2["fg1-002"]) == []  # the deleted suggestion stays deleted
    assert codes_of(p2["fg1-007"]) == ["Burnout", "Passwords", "Devices"]
    assert p2["fg1-007"]["Memo"] == "tired of logins"
    assert p2["fg2-003"]["Memo"] == "=not a formula"
    assert codes_of(p2["fg1-003"]) == ["Data plans"]  # untouched rows keep radar's suggestion


def test_a_dropped_row_gets_its_codes_back_when_kept_again(study_dir: Path) -> None:
    study = Study(study_dir)
    study.reduce()
    path = study_dir / "radar-tables.xlsx"
    book = openpyxl.load_workbook(path)
    ws = book[C.SHEET_PHASE2]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "fg1-006":
            row[5].value = "Burnout"  # Code 2: the analyst adds a code
    ws1 = book[C.SHEET_PHASE1]
    for row in ws1.iter_rows(min_row=2):
        if row[0].value == "fg1-006":
            row[7].value = "no"
    book.save(path)
    study.reduce()
    assert "fg1-006" not in by_id(sheet_rows(path, C.SHEET_PHASE2))
    book = openpyxl.load_workbook(path)
    for row in book[C.SHEET_PHASE1].iter_rows(min_row=2):
        if row[0].value == "fg1-006":
            row[7].value = "yes"
    book.save(path)
    study.reduce()
    assert codes_of(by_id(sheet_rows(path, C.SHEET_PHASE2))["fg1-006"]) == ["Passwords", "Burnout"]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def set_cell(path: Path, title: str, sid: str, column: str, value: object) -> None:
    book = openpyxl.load_workbook(path)
    ws = book[title]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == sid:
            row[header.index(column)].value = value
    book.save(path)


def test_a_bad_keep_value_is_refused_and_nothing_changes(study_dir: Path) -> None:
    study = Study(study_dir)
    study.reduce()
    path = study_dir / "radar-tables.xlsx"
    set_cell(path, C.SHEET_PHASE1, "fg1-003", "Keep", "maybe")
    before = sha(path)
    with pytest.raises(
        WorkbookError, match=r"sheet '1 All data', cell H4 \(Segment ID fg1-003\): Keep is 'maybe'"
    ):
        study.reduce()
    assert sha(path) == before


def test_an_unknown_code_names_the_cell_and_the_closest_code(study_dir: Path) -> None:
    study = Study(study_dir)
    study.reduce()
    path = study_dir / "radar-tables.xlsx"
    set_cell(path, C.SHEET_PHASE2, "fg1-003", "Code 2", "Pasword")
    before = sha(path)
    with pytest.raises(
        WorkbookError,
        match=r"cell F3 \(Segment ID fg1-003\): 'Pasword' is not a code.*did you mean 'Passwords'",
    ):
        study.reduce()
    assert sha(path) == before


def test_a_workbook_open_in_excel_is_not_written(study_dir: Path) -> None:
    study = Study(study_dir)
    study.reduce()
    path = study_dir / "radar-tables.xlsx"
    (study_dir / "~$radar-tables.xlsx").write_bytes(b"lock")
    before = sha(path)
    with pytest.raises(WorkbookError, match="open in Excel"):
        study.reduce()
    assert sha(path) == before


def test_editing_one_transcript_never_renumbers_another(study_dir: Path) -> None:
    study = Study(study_dir)
    first = study.reduce().tables.phase1
    fg1 = study_dir / "transcripts" / "fg1.txt"
    fg1.write_text("Moderator: Welcome.\n" + fg1.read_text(encoding="utf-8"), encoding="utf-8")
    second = study.reduce().tables.phase1
    old = first[first[C.GROUP] == "fg2"][[C.SEGMENT_ID, C.TEXT]].values.tolist()
    new = second[second[C.GROUP] == "fg2"][[C.SEGMENT_ID, C.TEXT]].values.tolist()
    assert old == new


def test_speakers_csv_decides_roles_and_ids(tmp_path: Path, make_study: Callable[..., Path]) -> None:
    speakers = (
        "speaker,participant_id,role,group,state\n"
        "Moderator,F1,facilitator,,\n"
        "P1,P01,participant,fg1,VT\n"
        "P2,P02,participant,fg1,NH\n"
        "P1,P03,participant,fg2,VT\n"
        "P2,P04,participant,fg2,ME\n"
    )
    root = make_study(tmp_path / "s", speakers=speakers)
    result = Study(root).reduce()
    table = result.tables.phase1.set_index(C.SEGMENT_ID)
    assert table.loc["fg1-002", C.PARTICIPANT] == "P01"
    assert table.loc["fg2-003", C.PARTICIPANT] == "P04"
    # P3 of fg1 is not listed: never silently a participant.
    assert table.loc["fg1-008", C.ROLE] == "unlisted"
    assert table.loc["fg1-008", C.KEEP] == "no"
    assert any("P3" in note for note in result.notes)
    # Front matter "Date: 3 May 2026" precedes the first listed speaker: not a turn.
    assert not table[C.TEXT].str.contains("3 May").any()


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda root: [p.unlink() for p in (root / "transcripts").iterdir()], "no transcripts found"),
        (lambda root: (root / "codebook.yaml").unlink(), "codebook"),
        (lambda root: (root / "codebook.csv").write_text("Theme,Code\nA,B\n"), "codebook"),
    ],
)
def test_study_errors(study_dir: Path, mutate: object, message: str) -> None:
    mutate(study_dir)  # type: ignore[operator]
    with pytest.raises(StudyError, match=message):
        Study(study_dir).reduce()
    assert not (study_dir / "radar-tables.xlsx").exists()


def test_a_turn_too_long_for_an_excel_cell_is_reported(study_dir: Path) -> None:
    fg2 = study_dir / "transcripts" / "fg2.txt"
    fg2.write_text(
        fg2.read_text(encoding="utf-8") + "Moderator: More?\nP1: " + "word " * 7000 + "\n", encoding="utf-8"
    )
    result = Study(study_dir).reduce()
    assert any(
        "fg2-005" in note and "34,999 characters" in note for note in result.notes
    )  # 7,000 words of 4 letters and 6,999 spaces


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Themes: by group [draft]?", "Themes- by group -draft--"),
        ("a/b\\c*d", "a-b-c-d"),
        ("x" * 40, "x" * 31),
        ("'quoted'", "quoted"),
    ],
)
def test_sheet_titles_are_cleaned_for_excel(title: str, expected: str) -> None:
    from radar.excel import clean_sheet_title

    assert clean_sheet_title(title) == expected


WELCOME = """\
Interviewer: SK
Date: 12 June 2026

Interviewer: Welcome, and thank you for making the time today. This conversation is recorded, and you can stop at any point. There are no right or wrong answers. To start with, what does a usual week of caring look like for you? Take as long as you like.
Carer: Mostly it is driving my dad to appointments.
Interviewer: And the online group?
Carer: It helped me feel less alone.
"""


def test_the_question_is_the_prompt_and_a_header_line_is_not_a_turn(tmp_path: Path) -> None:
    root = tmp_path / "study"
    (root / "transcripts").mkdir(parents=True)
    (root / "transcripts" / "int01.txt").write_text(WELCOME, encoding="utf-8")
    (root / "codebook.yaml").write_text(
        "themes:\n  - name: Caring\n    codes:\n      - name: Driving\n        keywords: [driving]\n",
        encoding="utf-8",
    )
    Study(root).reduce()
    rows = sheet_rows(root / "radar-tables.xlsx", C.SHEET_PHASE1)
    # 'Interviewer: SK' and the date are front matter: four turns, the first the welcome.
    assert [str(r[C.TEXT])[:12] for r in rows] == [
        "Welcome, and",
        "Mostly it is",
        "And the onli",
        "It helped me",
    ]
    assert rows[1][C.QUESTION] == "To start with, what does a usual week of caring look like for you?"
    assert rows[3][C.QUESTION] == "And the online group?"


TREE_CODEBOOK = """\
themes:
  - name: Access
    codes:
      - name: Devices
        keywords: [laptop]
      - name: Laptops
        parent: Devices
      - name: Old laptops
        parent: Laptops
  - name: Privacy
    codes:
      - name: Passwords
        keywords: [password]
"""


def test_a_tree_codebook_shows_paths_in_the_dropdowns_and_reads_back_path_or_name(
    study_dir: Path,
) -> None:
    (study_dir / "codebook.yaml").write_text(TREE_CODEBOOK, encoding="utf-8")
    study = Study(study_dir)
    study.reduce()
    path = study_dir / "radar-tables.xlsx"
    book = openpyxl.load_workbook(path)
    formulas = {v.formula1 for v in book[C.SHEET_PHASE2].data_validations.dataValidation}
    assert formulas == {"'Lists'!$A$2:$A$5"}  # a range on the hidden sheet, not an inline list
    lists = [r[0] for r in book[C.SHEET_LISTS].iter_rows(min_row=2, values_only=True)]
    assert lists[:4] == [
        "Access / Devices",
        "Access / Devices / Laptops",
        "Access / Devices / Laptops / Old laptops",
        "Privacy / Passwords",
    ]
    # fg1-003 (hotspot) and fg2-003 (password) are kept; one picked from the list, one typed bare.
    set_cell(path, C.SHEET_PHASE2, "fg1-003", "Code 1", "Access / Devices / Laptops / Old laptops")
    set_cell(path, C.SHEET_PHASE2, "fg2-003", "Code 2", "old LAPTOPS")
    study.reduce()
    p2 = by_id(sheet_rows(path, C.SHEET_PHASE2))
    assert codes_of(p2["fg1-003"]) == ["Old laptops"]
    assert codes_of(p2["fg2-003"]) == ["Passwords", "Old laptops"]
    # Excerpts (segment, theme): Access fg1-002 (laptop), fg1-003, fg2-003; Privacy fg1-006, fg2-003.
    themes = {r["theme"]: (r["n"], r["N"]) for r in sheet_rows(path, C.SHEET_THEMES)}
    assert themes == {"Access": (3, 5), "Privacy": (2, 5)}


BRIEF = """\
Policy brief on online peer support
Note: this brief was written before the pilot.
Laptops are old in most homes.
Summary: data plans run out within a week.
"""


def test_a_source_radar_toml_marks_as_a_document_is_read_by_paragraph(study_dir: Path) -> None:
    (study_dir / "transcripts" / "brief.txt").write_text(BRIEF, encoding="utf-8")
    (study_dir / "radar.toml").write_text(
        '[transcripts]\ndocuments = ["brief", "missing-notes"]\n', encoding="utf-8"
    )
    with pytest.warns(RadarWarning, match=r"radar.toml: \[transcripts\] documents lists 'missing-notes'"):
        Study(study_dir).reduce()
    rows = [r for r in sheet_rows(study_dir / "radar-tables.xlsx", C.SHEET_PHASE1) if r["Group"] == "brief"]
    # Four lines, four paragraphs: 'Note:' and 'Summary:' are text, not speakers, and nothing is front matter.
    assert [r["Text"] for r in rows] == [
        "Policy brief on online peer support",
        "Note: this brief was written before the pilot.",
        "Laptops are old in most homes.",
        "Summary: data plans run out within a week.",
    ]
    assert len({r["Participant"] for r in rows}) == 1
