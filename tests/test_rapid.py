"""Rapid qualitative analysis (issue 17): domains, the summary template, the matrix, calibration.

The study is the two-group study of conftest.py. Worked out by hand from its transcripts:
fg1's turns are fg1-001 (Moderator), fg1-002 (P1, laptop: Devices, theme Access), fg1-003 (P2,
hotspot and data plan: Data plans, Access), fg1-004 (P3, [crosstalk]: not kept), fg1-005
(Moderator, "keeping things private?": not kept), fg1-006 (P1, password: Passwords), fg1-007 (P2,
exhausted: Burnout), fg1-008 (P3, "Nothing to add"). fg2: fg2-001 (Moderator), fg2-002 (P1, tablet
and burnout: Devices, Burnout), fg2-003 (P2, password: Passwords).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import openpyxl
import pytest
from cli_helpers import assert_one_error, ok, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from radar import columns as C
from radar.config import load_config
from radar.errors import StudyError
from radar.folder import Folder
from radar.rapid import calibrate, cited_ids, overlap, read_template, write_template

DOMAINS_TOML = """\
[[rapid.domains]]
name = "Barriers"
question = "What gets in the way?"
themes = ["Access"]

[[rapid.domains]]
name = "Privacy"
codes = ["Passwords"]
keywords = ["private"]
"""


@pytest.fixture
def rapid_study(study_dir: Path) -> Path:
    (study_dir / "radar.toml").write_text(DOMAINS_TOML, encoding="utf-8")
    ok(run("reduce", study_dir, "-q"))
    return study_dir


def sheet_rows(path: Path, title: str) -> list[tuple[object, ...]]:
    book = openpyxl.load_workbook(path)
    try:
        return [tuple(row) for row in book[title].iter_rows(values_only=True)]
    finally:
        book.close()


def fill(path: Path, title: str, domain: str, **cells: str) -> None:
    """Type into a transcript sheet's row for ``domain``, as the analyst does in Excel."""
    book = openpyxl.load_workbook(path)
    ws = book[title]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == domain:
            for name, value in cells.items():
                column = {"summary": C.RAPID_SUMMARY, "quotes": C.RAPID_QUOTES, "notes": C.RAPID_NOTES,
                          "suggested": C.RAPID_SUGGESTED}.get(name, name)  # fmt: skip
                if column not in header:
                    ws.cell(1, len(header) + 1, column)
                    header.append(column)
                row_cells = ws[row[0].row]
                index = header.index(column)
                if index < len(row_cells):
                    row_cells[index].value = value or None
                else:
                    ws.cell(row[0].row, index + 1, value or None)
            break
    else:
        raise AssertionError(f"no row {domain} in {title}")
    book.save(path)


def tree_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


# ------------------------------------------------------------------------ domains


def test_domains_come_from_radar_toml_in_order(rapid_study: Path) -> None:
    assert ok(run("rapid", "domains", rapid_study)) == ["1. Barriers - What gets in the way?", "2. Privacy"]


def test_without_domains_each_research_question_is_one(study_dir: Path) -> None:
    (study_dir / "radar.toml").write_text('research_questions = ["What helps?", "What hinders?"]\n')
    assert ok(run("rapid", "domains", study_dir)) == ["1. What helps?", "2. What hinders?"]


def test_without_domains_or_questions_the_error_says_what_to_write(study_dir: Path) -> None:
    assert_one_error(run("rapid", "domains", study_dir), "radar.toml", "[[rapid.domains]]")


@pytest.mark.parametrize(
    ("toml", "needle"),
    [
        ("[rapid]\ndomains = 3\n", "[rapid] domains"),
        ('[[rapid.domains]]\nquestion = "Why?"\n', "number 1 name"),
        ('[[rapid.domains]]\nname = "A"\n[[rapid.domains]]\nname = "a"\n', "given twice"),
        ('[[rapid.domains]]\nname = "A"\nthemes = [1]\n', "number 1 themes"),
        ('[[rapid.domains]]\nname = "A"\nquestion = 2\n', "number 1 question"),
    ],
)
def test_a_bad_domain_setting_is_one_error_naming_it(tmp_path: Path, toml: str, needle: str) -> None:
    path = tmp_path / "radar.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(StudyError, match=needle.replace("[", r"\[").replace("]", r"\]")):
        load_config(path)


def test_the_example_domains_are_valid_radar_toml(tmp_path: Path) -> None:
    path = tmp_path / "radar.toml"
    path.write_text("\n".join(ok(run("rapid", "domains", tmp_path, "--example"))), encoding="utf-8")
    config, notes = load_config(path)
    assert [d.name for d in config.rapid.domains][:2] == ["Background", "Experience"] and not notes


# ------------------------------------------------------------------------ the template


def test_the_template_has_a_sheet_per_transcript_and_suggests_segments(rapid_study: Path) -> None:
    ok(run("rapid", "template", rapid_study))
    path = rapid_study / C.RAPID_TEMPLATE_NAME
    assert sheet_rows(path, "fg1") == [
        C.RAPID_TEMPLATE_COLUMNS,
        ("Barriers", "What gets in the way?", None, None, None, "fg1-002, fg1-003"),  # Access codes
        ("Privacy", None, None, None, None, "fg1-006"),  # Passwords; "private" only in a dropped turn
    ]
    assert sheet_rows(path, "fg2")[1:] == [
        ("Barriers", "What gets in the way?", None, None, None, "fg2-002"),
        ("Privacy", None, None, None, None, "fg2-003"),
    ]
    assert openpyxl.load_workbook(path)[C.SHEET_RAPID_STATE].sheet_state == "hidden"


def test_rerunning_keeps_every_cell_the_analyst_wrote(rapid_study: Path) -> None:
    ok(run("rapid", "template", rapid_study))
    path = rapid_study / C.RAPID_TEMPLATE_NAME
    fill(
        path,
        "fg1",
        "Barriers",
        summary="Old laptops; data runs out.",
        quotes="fg1-002, fg1-003",
        notes="=SUM(1)",
    )
    fill(path, "fg1", "Privacy", suggested="")  # the analyst cleared radar's suggestion
    fill(path, "fg2", "Privacy", suggested="fg2-003 only", **{"Site": "North"})  # edited it; own column
    book = openpyxl.load_workbook(path)
    book.create_sheet("My notes")["A1"] = "Keep an eye on fg2"
    ws = book["fg1"]  # re-sorted: Privacy above Barriers
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    for r, values in enumerate(reversed(rows), start=2):
        for c, value in enumerate(values, start=1):
            ws.cell(r, c).value = value
    book.save(path)
    ok(run("rapid", "template", rapid_study))
    fg1 = {row[0]: row for row in sheet_rows(path, "fg1")[1:]}
    assert fg1["Barriers"][2:6] == (
        "Old laptops; data runs out.",
        "fg1-002, fg1-003",
        "=SUM(1)",
        "fg1-002, fg1-003",
    )
    assert fg1["Privacy"][5] is None  # cleared stays cleared
    fg2 = sheet_rows(path, "fg2")
    assert fg2[0][-1] == "Site" and fg2[2][5:] == ("fg2-003 only", "North")
    assert sheet_rows(path, "My notes") == [("Keep an eye on fg2",)]
    assert (rapid_study / ".radar" / "rapid" / "radar-rapid-1.xlsx").exists()  # the version before the edits
    book = openpyxl.load_workbook(path)
    assert (
        book["fg1"]["E2"].data_type != "f" and book["fg1"].cell(3, 5).data_type != "f"
    )  # text, never a formula


def test_a_domain_taken_out_keeps_its_row_while_it_holds_words(rapid_study: Path) -> None:
    ok(run("rapid", "template", rapid_study))
    path = rapid_study / C.RAPID_TEMPLATE_NAME
    fill(path, "fg2", "Privacy", summary="Passwords are shared.")
    (rapid_study / "radar.toml").write_text(DOMAINS_TOML.split("[[rapid.domains]]\nname = \"Privacy\"")[0]
                                           + '[[rapid.domains]]\nname = "Training"\n')  # fmt: skip
    result = run("rapid", "template", rapid_study)
    assert "'Privacy' is no longer in radar.toml" in result.stderr
    assert [row[0] for row in sheet_rows(path, "fg2")[1:]] == ["Barriers", "Training", "Privacy"]
    assert sheet_rows(path, "fg2")[3][2] == "Passwords are shared."
    assert [row[0] for row in sheet_rows(path, "fg1")[1:]] == ["Barriers", "Training"]  # empty: not carried


def test_a_deleted_analyst_column_stops_the_run_and_changes_nothing(rapid_study: Path) -> None:
    ok(run("rapid", "template", rapid_study))
    path = rapid_study / C.RAPID_TEMPLATE_NAME
    fill(path, "fg1", "Barriers", summary="x")
    book = openpyxl.load_workbook(path)
    book["fg1"]["C1"] = "Summry"  # renamed
    book.save(path)
    before = tree_hash(rapid_study)
    assert_one_error(run("rapid", "template", rapid_study), "radar-rapid.xlsx", "sheet 'fg1'", "'Summary'")
    assert tree_hash(rapid_study) == before


def test_a_domain_twice_with_different_words_is_refused(rapid_study: Path) -> None:
    ok(run("rapid", "template", rapid_study))
    path = rapid_study / C.RAPID_TEMPLATE_NAME
    book = openpyxl.load_workbook(path)
    book["fg1"].append(["Barriers", "", "Another view"])
    book["fg1"]["C2"] = "One view"
    book.save(path)
    before = tree_hash(rapid_study)
    assert_one_error(run("rapid", "template", rapid_study), "sheet 'fg1'", "cell A4", "rows 2 and 4")
    assert tree_hash(rapid_study) == before


def test_a_template_open_in_libreoffice_is_not_written(rapid_study: Path) -> None:
    ok(run("rapid", "template", rapid_study))
    (rapid_study / ".~lock.radar-rapid.xlsx#").write_text("x")
    before = tree_hash(rapid_study)
    assert_one_error(run("rapid", "template", rapid_study), "radar-rapid.xlsx", "open")
    assert tree_hash(rapid_study) == before


def test_the_template_needs_the_reduction_first(study_dir: Path) -> None:
    (study_dir / "radar.toml").write_text(DOMAINS_TOML, encoding="utf-8")
    assert_one_error(run("rapid", "template", study_dir), "radar reduce")


CELL_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=20).map(str.strip)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    edits=st.lists(
        st.tuples(
            st.sampled_from(["fg1", "fg2"]),
            st.sampled_from(["Barriers", "Privacy"]),
            st.sampled_from(["summary", "quotes", "notes", "suggested"]),
            CELL_TEXT,
        ),
        max_size=6,
    ),
    reverse=st.booleans(),
)
def test_property_every_analyst_cell_survives_reruns_and_resorts(
    rapid_study: Path, edits: list[tuple[str, str, str, str]], reverse: bool
) -> None:
    path = rapid_study / C.RAPID_TEMPLATE_NAME
    path.unlink(missing_ok=True)
    write_template(Folder(rapid_study))
    expected: dict[tuple[str, str, str], str] = {}
    for group, domain, name, text in edits:
        fill(path, group, domain, **{name: text})
        expected[(group, domain, name)] = text
    if reverse:
        book = openpyxl.load_workbook(path)
        for ws in (book["fg1"], book["fg2"]):
            rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
            for r, values in enumerate(reversed(rows), start=2):
                for c, value in enumerate(values, start=1):
                    ws.cell(r, c).value = value
        book.save(path)
    for _ in range(2):
        write_template(Folder(rapid_study))
    template = read_template(path)
    for (group, domain, name), text in expected.items():
        assert getattr(template.row(group, domain), name) == text


# ------------------------------------------------------------------------ the matrix


def filled_study(rapid_study: Path) -> Path:
    ok(run("rapid", "template", rapid_study))
    path = rapid_study / C.RAPID_TEMPLATE_NAME
    fill(path, "fg1", "Barriers", summary="Old laptops and data plans.", quotes='"ancient" (fg1-002)')
    fill(path, "fg1", "Privacy", summary="Never reuses passwords.", quotes="fg1-006")
    fill(path, "fg2", "Barriers", notes="Only notes here.")
    return rapid_study


def test_the_matrix_has_a_row_per_transcript_and_counts_per_domain(rapid_study: Path, tmp_path: Path) -> None:
    study = filled_study(rapid_study)
    out = tmp_path / "matrix.xlsx"
    lines = ok(run("rapid", "matrix", study, "-o", out))
    # Barriers: fg1 has a summary, fg2 only notes -> 1/2; Privacy: fg1 only -> 1/2.
    assert lines[1:] == ["  Barriers: 1/2, 50%", "  Privacy: 1/2, 50%"]
    assert sheet_rows(out, "Matrix") == [
        (C.GROUP, "Barriers", "Privacy"),
        ("fg1", "Old laptops and data plans. [fg1-002]", "Never reuses passwords. [fg1-006]"),
        ("fg2", None, None),
    ]
    quotes = sheet_rows(out, "Quotes")
    assert [row[0] for row in quotes[1:]] == ["fg1-002", "fg1-006"]
    assert quotes[1][3] == "My laptop is ancient, it freezes every call." and quotes[1][4] == "fg1 / Barriers"


def test_the_matrix_by_participant(rapid_study: Path, tmp_path: Path) -> None:
    study = filled_study(rapid_study)
    out = tmp_path / "matrix.xlsx"
    ok(run("rapid", "matrix", study, "--by", "participant", "-o", out))
    labels = [row[0] for row in sheet_rows(out, "Matrix")[1:]]
    # pseudonyms from the speaker key, numbered across the study: fg1's P1-P3, then fg2's P1-P2
    assert labels == ["P01 (fg1)", "P02 (fg1)", "P03 (fg1)", "P04 (fg2)", "P05 (fg2)"]


def test_a_citation_of_no_segment_is_one_error_naming_the_cell(rapid_study: Path, tmp_path: Path) -> None:
    study = filled_study(rapid_study)
    fill(study / C.RAPID_TEMPLATE_NAME, "fg2", "Privacy", summary="x", quotes="fg2-099")
    assert_one_error(
        run("rapid", "matrix", study, "-o", tmp_path / "m.xlsx"), "radar-rapid.xlsx", "sheet 'fg2'", "cell D3",
        "fg2-099",
    )  # fmt: skip
    assert not (tmp_path / "m.xlsx").exists()


def test_the_matrix_by_an_unknown_attribute_is_one_error(rapid_study: Path, tmp_path: Path) -> None:
    study = filled_study(rapid_study)
    assert_one_error(run("rapid", "matrix", study, "--by", "site", "-o", tmp_path / "m.xlsx"), "--by site")


def test_the_matrix_as_word(rapid_study: Path, tmp_path: Path) -> None:
    import docx

    study = filled_study(rapid_study)
    out = tmp_path / "matrix.docx"
    ok(run("rapid", "matrix", study, "-o", out))
    tables = docx.Document(str(out)).tables
    assert len(tables) == 3
    assert [c.text for c in tables[0].rows[1].cells][:2] == ["fg1", "Old laptops and data plans. [fg1-002]"]


def test_cited_ids_are_read_from_prose_and_lists() -> None:
    assert cited_ids("P2 said so (fg1-003) and fg2-001.", ["fg1", "fg2"]) == ["fg1-003", "fg2-001"]
    assert cited_ids("since covid-19 it is worse", ["fg1"]) == []
    assert cited_ids("fg7-001; fg1-002", ["fg1"]) == ["fg7-001", "fg1-002"]  # a bare list: all checked


# ------------------------------------------------------------------------ calibration


def test_calibration_compares_two_analysts_domain_by_domain(rapid_study: Path, tmp_path: Path) -> None:
    ok(run("rapid", "template", rapid_study))
    a, b = tmp_path / "rivera.xlsx", tmp_path / "chen.xlsx"
    for path in (a, b):
        path.write_bytes((rapid_study / C.RAPID_TEMPLATE_NAME).read_bytes())
    fill(a, "fg1", "Barriers", summary="Devices", quotes="fg1-002, fg1-003")
    fill(b, "fg1", "Barriers", summary="Old kit", quotes="fg1-003, fg1-007")
    fill(a, "fg1", "Privacy", summary="Passwords", quotes="fg1-006")
    fill(b, "fg2", "Privacy", summary="Shared logins")
    result = calibrate(a, b, ["A. Rivera", "B. Chen"])
    side = result.side_by_side.set_index([C.GROUP, C.DOMAIN])
    assert side.loc[("fg1", "Barriers"), "Status"] == "both filled"
    assert side.loc[("fg1", "Barriers"), "Shared quotes"] == "fg1-003"
    assert side.loc[("fg1", "Barriers"), "Quote overlap"] == pytest.approx(
        1 / 3, abs=0.005
    )  # {003} of {002,003,007}
    assert side.loc[("fg1", "Privacy"), "Status"] == "only A"
    assert side.loc[("fg1", "Privacy"), "Quote overlap"] == 0.0
    assert side.loc[("fg2", "Privacy"), "Status"] == "only B"
    assert side.loc[("fg2", "Barriers"), "Status"] == "neither"
    assert "Summary (A. Rivera)" in result.side_by_side.columns
    summary = result.summary.set_index(C.GROUP)
    assert summary.loc["fg1"].tolist() == [2, 1, 1, 0, 0, 0.17]  # mean of 1/3 and 0
    assert summary.loc["fg2"].tolist() == [2, 0, 0, 1, 1, ""]


def test_calibration_is_recorded_in_the_audit_trail(rapid_study: Path, tmp_path: Path) -> None:
    ok(run("rapid", "template", rapid_study))
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    for path in (a, b):
        path.write_bytes((rapid_study / C.RAPID_TEMPLATE_NAME).read_bytes())
    out = tmp_path / "calibration.xlsx"
    lines = ok(run("rapid", "calibrate", a, b, "--names", "Rivera,Chen", "--study", rapid_study, "-o", out))
    assert lines[0].startswith("fg1: 0 of 2 domains filled by both")
    entry = json.loads((rapid_study / ".radar" / "audit.jsonl").read_text().splitlines()[-1])
    assert entry["action"] == "rapid calibrate" and entry["analysts"] == ["Rivera", "Chen"]
    assert entry["transcripts"] == ["fg1", "fg2"]
    assert [row[0] for row in sheet_rows(out, "Summary")[1:]] == ["fg1", "fg2"]


def test_calibrating_templates_of_different_transcripts_is_one_error(
    rapid_study: Path, tmp_path: Path
) -> None:
    ok(run("rapid", "template", rapid_study))
    other = tmp_path / "other.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "fg9"
    book.active.append(list(C.RAPID_TEMPLATE_COLUMNS))
    book.save(other)
    assert_one_error(
        run("rapid", "calibrate", rapid_study / C.RAPID_TEMPLATE_NAME, other), "share no transcript"
    )


def test_overlap_is_shared_over_either() -> None:
    assert overlap(["a", "b"], ["b", "c"]) == pytest.approx(1 / 3)
    assert overlap([], []) is None


def test_the_matrix_by_a_site_and_never_by_an_email(rapid_study: Path, tmp_path: Path) -> None:
    (rapid_study / "speakers.csv").write_text(
        "group,speaker,participant_id,role,site,email\n"
        "fg1,Moderator,F1,facilitator,,\n"
        "fg1,P1,P01,participant,North,a@example.org\n"
        "fg1,P2,P02,participant,North,b@example.org\n"
        "fg1,P3,P03,participant,South,c@example.org\n"
        "fg2,Moderator,F1,facilitator,,\n"
        "fg2,P1,P04,participant,South,d@example.org\n"
        "fg2,P2,P05,participant,South,e@example.org\n",
        encoding="utf-8",
    )
    ok(run("reduce", rapid_study, "-q"))
    study = filled_study(rapid_study)
    out = tmp_path / "m.xlsx"
    ok(run("rapid", "matrix", study, "--by", "site", "-o", out))
    rows = sheet_rows(out, "Matrix")
    # North: fg1 only; South: fg1 (P3) and fg2, so its cells say which transcript each summary is from
    assert [row[0] for row in rows[1:]] == ["North", "South"]
    assert rows[2][1] == "fg1: Old laptops and data plans. [fg1-002]"
    assert_one_error(run("rapid", "matrix", study, "--by", "email", "-o", tmp_path / "e.xlsx"), "email")


def test_the_template_as_word_has_a_table_per_transcript_with_the_analysts_words(
    rapid_study: Path, tmp_path: Path
) -> None:
    import docx

    ok(run("rapid", "template", rapid_study))
    fill(rapid_study / C.RAPID_TEMPLATE_NAME, "fg1", "Barriers", summary="Old laptops.", quotes="fg1-002")
    out = tmp_path / "template.docx"
    assert_one_error(run("rapid", "template", rapid_study, "--format", "docx"), "--out")
    ok(run("rapid", "template", rapid_study, "--format", "docx", "--out", out))
    document = docx.Document(str(out))
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == [
        "Transcript fg1",
        "Transcript fg2",
    ]
    fg1, fg2 = document.tables
    assert [c.text for c in fg1.rows[1].cells][:4] == [
        "Barriers",
        "What gets in the way?",
        "Old laptops.",
        "fg1-002",
    ]
    assert [c.text.strip() for c in fg2.rows[2].cells][
        3
    ] == "fg2-003"  # radar's suggestion where none written
    assert_one_error(
        run("rapid", "template", rapid_study, "--format", "docx", "--out", out), "already exists"
    )
