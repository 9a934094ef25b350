"""Exemplar quotes: which turns radar proposes, the analyst's Quote cell, the quote book."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from radar import columns as C
from radar.cli import main
from radar.codebook import Code, Codebook, Theme
from radar.errors import RadarWarning
from radar.quotes import exemplar_notes, exemplars, is_part_of, quotable
from radar.reduction.records import Change
from radar.reduction.run import REVIEW_CHANGED
from radar.study import Study
from radar.themes import combined_table
from tests.test_commands import assert_one_error
from tests.test_manuscript import SPEAKERS

LONG = "the group kept me going through the worst winter I can remember, week after week"  # 16 words


def turns(rows: list[tuple[str, str, str, str, str]]) -> pd.DataFrame:
    """A phase-1 frame from (segment, participant, role, question, text) rows, all in group fg1."""
    return pd.DataFrame(
        [(s, "fg1", p, role, q, "", text, C.YES, "", "") for s, p, role, q, text in rows],
        columns=[*C.PHASE1_COLUMNS, C.REVIEW],
    )


def coded(
    rows: list[tuple[str, str, str, str]], marks: dict[tuple[str, str], str] | None = None
) -> pd.DataFrame:
    """A phase-3 frame from (segment, participant, code, text) rows; code X is theme T, Y is theme U."""
    marks = marks or {}
    theme = {"X": "T", "Y": "U"}
    return pd.DataFrame(
        [(s, "fg1", p, c, theme[c], text, marks.get((s, c), ""), "") for s, p, c, text in rows],
        columns=list(C.PHASE3_COLUMNS),
    )


# 1. Never an introduction or logistics turn ---------------------------------


def test_short_and_logistics_turns_are_not_quotable() -> None:
    assert not quotable("I never reuse a password.")  # 5 words
    assert not quotable("Sorry I'm late, my camera is frozen. Can you hear me now? Good.")  # 2 of 3 sentences
    assert quotable("Sorry I'm late. " + LONG + ". It really did.")  # 1 of 3 sentences is logistics
    assert quotable(LONG)


def test_introductions_facilitators_and_reasons_are_never_proposed() -> None:
    intro = "Let's go around the room: tell us your name and what you do."
    table1 = turns(
        [
            ("fg1-001", "F1", C.FACILITATOR_ROLE, "", intro),
            ("fg1-002", "P01", C.PARTICIPANT_ROLE, intro, "I am P01 and " + LONG),  # P01's introduction
            ("fg1-003", "P02", C.PARTICIPANT_ROLE, intro, "And I am P02, " + LONG),  # P02's introduction
            ("fg1-004", "P01", C.PARTICIPANT_ROLE, intro, "Also, " + LONG),  # P01's second turn: an answer
            ("fg1-005", "F1", C.FACILITATOR_ROLE, "", "Thank you all, " + LONG),
            ("fg1-006", "P03", C.PARTICIPANT_ROLE, "What helps?", "Honestly " + LONG),
        ]
    )
    table1.loc[5, C.REASON] = "logistics"  # kept, but the analyst says it is logistics
    table3 = coded(
        [
            ("fg1-002", "P01", "X", "I am P01 and " + LONG),
            ("fg1-003", "P02", "X", "And I am P02, " + LONG),
            ("fg1-004", "P01", "X", "Also, " + LONG),
            ("fg1-005", "F1", "X", "Thank you all, " + LONG),
            ("fg1-006", "P03", "X", "Honestly " + LONG),
        ]
    )
    proposed = exemplars(table3, turns=table1)["T"]
    assert [q.segment for q in proposed] == ["fg1-004"]
    # Without the turns radar cannot tell the introductions apart (the old behaviour, kept for frames alone).
    assert len(exemplars(table3)["T"]) == 2


# 2. Never the same quote for two themes -----------------------------------


def test_a_segment_is_proposed_for_one_theme_only() -> None:
    # S1 is the only candidate of U; T has S1 and S2: U chooses first (fewer candidates), T takes S2.
    table3 = coded([("S1", "P01", "X", LONG), ("S1", "P01", "Y", LONG), ("S2", "P02", "X", "Well, " + LONG)])
    quotes = exemplars(table3)
    assert [q.segment for q in quotes["U"]] == ["S1"]
    assert [q.segment for q in quotes["T"]] == ["S2"]
    # Two themes with the same single candidate: the first in line gets it, the other none.
    table3 = coded([("S1", "P01", "X", LONG), ("S1", "P01", "Y", LONG)])
    quotes = exemplars(table3)
    assert [q.segment for q in quotes["T"]] == ["S1"] and quotes["U"] == []
    codebook = Codebook(themes=(Theme("T", codes=(Code("X", "T"),)), Theme("U", codes=(Code("Y", "U"),))))
    frame = combined_table(table3, codebook, participants_total=1, groups_total=1).set_index(C.THEME)
    assert frame.loc["U", "Exemplar quote (ID)"] == "[no quote proposed]"
    assert frame.loc["T", "Exemplar quote (ID)"].endswith("(P01, fg1) [proposed by radar]")


def test_the_analysts_marks_are_honoured_for_two_themes_with_a_note() -> None:
    table3 = coded([("S1", "P01", "X", LONG), ("S1", "P01", "Y", LONG)], {("S1", "X"): "x", ("S1", "Y"): "x"})
    quotes = exemplars(table3)
    assert [(q.segment, q.proposed) for q in quotes["T"]] == [("S1", False)]
    assert [(q.segment, q.proposed) for q in quotes["U"]] == [("S1", False)]
    (note,) = exemplar_notes(quotes)
    assert "S1" in note and "2 themes (T, U)" in note
    # A marked segment is not proposed for another theme either.
    table3 = coded([("S1", "P01", "X", LONG), ("S1", "P01", "Y", LONG)], {("S1", "X"): "x"})
    assert exemplars(table3)["U"] == []


# 3. The Quote cell ----------------------------------------------------------


def test_a_trimmed_quote_is_part_of_the_text() -> None:
    text = "I use a hotspot from my phone and the data plan runs out.\nIt runs out in a week."
    assert is_part_of("the data plan runs out. It runs out", text)  # spaces and line breaks normalised
    assert is_part_of("I use a hotspot \u2026 It runs out in a week.", text)
    assert is_part_of("I use a hotspot ... in a week.", text)
    assert not is_part_of("in a week ... I use a hotspot", text)  # pieces out of order
    assert not is_part_of("I use a hotspot every day", text)


@pytest.fixture
def reduced(tmp_path: Path, make_study) -> Path:  # type: ignore[no-untyped-def]
    root = make_study(tmp_path / "study", speakers=SPEAKERS)
    Study(root).reduce()
    return root


def write_phase3(root: Path, cells: dict[tuple[str, str], dict[str, str]]) -> None:
    """Write cells of '3 Coded' by (Segment ID, Code) -> column -> value, as an analyst would."""
    path = root / "radar-tables.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book[C.SHEET_PHASE3]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        key = (row[header.index(C.SEGMENT_ID)].value, row[header.index(C.CODE)].value)
        for column, value in cells.get(key, {}).items():
            row[header.index(column)].value = value
    book.save(path)


def phase3_cells(root: Path, column: str) -> dict[tuple[str, str], str]:
    sheet = openpyxl.load_workbook(root / "radar-tables.xlsx")[C.SHEET_PHASE3]
    header = [c.value for c in sheet[1]]
    return {
        (r[header.index(C.SEGMENT_ID)], r[header.index(C.CODE)]): r[header.index(column)] or ""
        for r in sheet.iter_rows(min_row=2, values_only=True)
    }


def test_the_quote_cell_survives_reruns_and_is_used(reduced: Path) -> None:
    write_phase3(reduced, {("fg1-003", "Data plans"): {C.QUOTE: "the data plan runs out"}})
    result = Study(reduced).reduce()
    assert Change("fg1-003", "Quote (Data plans)", "", "the data plan runs out") in result.changes
    assert phase3_cells(reduced, C.QUOTE)[("fg1-003", "Data plans")] == "the data plan runs out"
    access = Study(reduced).theme_table().set_index(C.THEME).loc["Access", "Exemplar quote (ID)"]
    # Self-care takes fg1-007 and fg2-002 first (2 candidates to Access's 3); Access ranks by the words
    # quoted: fg1-002 (8 words, 22 from 30) before fg1-003 (now 5 words, 25 from 30).
    assert access == (
        "\u201cMy laptop is ancient, it freezes every call.\u201d (P01, fg1) "
        "\u201cthe data plan runs out\u201d (P02, fg1) [proposed by radar]"
    )
    # The row goes out (Keep = no) and comes back: the Quote is kept in the state sheet meanwhile.
    book = openpyxl.load_workbook(reduced / "radar-tables.xlsx")
    sheet = book[C.SHEET_PHASE1]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "fg1-003":
            row[header.index(C.KEEP)].value = C.NO
            row[header.index(C.REASON)].value = "off topic"
    book.save(reduced / "radar-tables.xlsx")
    Study(reduced).reduce()
    assert ("fg1-003", "Data plans") not in phase3_cells(reduced, C.QUOTE)
    book = openpyxl.load_workbook(reduced / "radar-tables.xlsx")
    sheet = book[C.SHEET_PHASE1]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "fg1-003":
            row[header.index(C.KEEP)].value = C.YES
            row[header.index(C.REASON)].value = ""
    book.save(reduced / "radar-tables.xlsx")
    Study(reduced).reduce()
    assert phase3_cells(reduced, C.QUOTE)[("fg1-003", "Data plans")] == "the data plan runs out"
    # Clearing the cell is the analyst's decision too: the whole Text is quoted again.
    write_phase3(reduced, {("fg1-003", "Data plans"): {C.QUOTE: None}})
    Study(reduced).reduce()
    assert phase3_cells(reduced, C.QUOTE)[("fg1-003", "Data plans")] == ""
    assert (
        "(P02, fg1)" in Study(reduced).theme_table().set_index(C.THEME).loc["Access", "Exemplar quote (ID)"]
    )
    assert (
        "\u201cthe data plan runs out\u201d"
        not in Study(reduced).theme_table().iloc[0]["Exemplar quote (ID)"]
    )


def test_a_changed_turn_keeps_its_quote_flagged_and_noted(reduced: Path) -> None:
    write_phase3(reduced, {("fg2-002", "Burnout"): {C.QUOTE: "burnout is real", C.EXEMPLAR: "x"}})
    fg2 = reduced / "transcripts" / "fg2.txt"
    fg2.write_text(fg2.read_text().replace("burnout is real", "burnout is very real"))
    with pytest.warns(RadarWarning) as caught:
        Study(reduced).reduce()
    notes = [str(w.message) for w in caught if "Quote" in str(w.message)]
    assert len(notes) == 1 and "fg2-002" in notes[0] and "not a part of the Text" in notes[0]
    assert phase3_cells(reduced, C.QUOTE)[("fg2-002", "Burnout")] == "burnout is real"
    table1 = Study(reduced).phase1
    review = dict(zip(table1[C.SEGMENT_ID], table1[C.REVIEW]))
    assert review["fg2-002"] == REVIEW_CHANGED


# 4. The quote book ----------------------------------------------------------


def book_lines(path: Path) -> list[tuple[str, str]]:
    """(style, text) of every paragraph after the introduction."""
    paragraphs = docx.Document(str(path)).paragraphs
    return [(p.style.name, p.text) for p in paragraphs[2:]]


def test_quote_book_by_theme(reduced: Path, tmp_path: Path) -> None:
    write_phase3(
        reduced,
        {
            ("fg2-002", "Burnout"): {C.QUOTE: "burnout is real", C.EXEMPLAR: "x"},
            ("fg2-002", "Devices"): {C.QUOTE: "My tablet works fine"},
        },
    )
    out = tmp_path / "quotes.docx"
    result = CliRunner().invoke(main, ["quotes", str(reduced), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {out}\n"
    document = docx.Document(str(out))
    assert document.paragraphs[0].text == "Quote book: study"
    assert book_lines(out) == [
        ("Heading 1", "Access"),
        ("Normal", "Getting online."),
        ("Normal", "3 segments from 3 participants."),
        ("Quote", "\u201cMy laptop is ancient, it freezes every call.\u201d (P01, fg1; fg1-002)"),
        (
            "Quote",
            "\u201cI use a hotspot from my phone and the data plan runs out. It runs out in a week.\u201d "
            "(P02, fg1; fg1-003)",
        ),
        ("Quote", "\u201cMy tablet works fine\u201d (P04, fg2; fg2-002)"),
        ("Heading 1", "Privacy"),
        ("Normal", "2 segments from 2 participants."),
        ("Quote", "\u201cI never reuse a password.\u201d (P01, fg1; fg1-006)"),
        ("Quote", "\u201cI lost my password twice.\u201d (P05, fg2; fg2-003)"),
        ("Heading 1", "Self-care"),
        ("Normal", "2 segments from 2 participants."),
        ("Quote", "Exemplar. \u201cburnout is real\u201d (P04, fg2; fg2-002)"),
        ("Quote", "\u201cHonestly I am exhausted by the end of the day.\u201d (P02, fg1; fg1-007)"),
    ]


def test_quote_book_by_code_and_the_overwrite_rule(reduced: Path, tmp_path: Path) -> None:
    out = tmp_path / "quotes.docx"
    write_phase3(reduced, {("fg2-002", "Burnout"): {C.QUOTE: "burnout is real"}})
    Study(reduced).quote_book(out, by="code")
    headings = [
        (p.text, p.style.name) for p in docx.Document(str(out)).paragraphs if p.style.name == "Heading 1"
    ]
    assert headings == [
        ("Devices", "Heading 1"),
        ("Data plans", "Heading 1"),
        ("Passwords", "Heading 1"),
        ("Burnout", "Heading 1"),
    ]
    lines = book_lines(out)
    devices = lines[: lines.index(("Heading 1", "Data plans"))]
    # fg2-002's Devices row has no Quote of its own: it takes the segment's (the Burnout row's).
    assert devices == [
        ("Heading 1", "Devices"),
        ("Normal", "Theme: Access. Phones, tablets, laptops."),
        ("Normal", "2 segments from 2 participants."),
        ("Quote", "\u201cMy laptop is ancient, it freezes every call.\u201d (P01, fg1; fg1-002)"),
        ("Quote", "\u201cburnout is real\u201d (P04, fg2; fg2-002)"),
    ]
    before = out.read_bytes()
    result = CliRunner().invoke(main, ["quotes", str(reduced), "--out", str(out), "--by", "code"])
    assert_one_error(result, str(out), "--force")
    assert out.read_bytes() == before
    result = CliRunner().invoke(main, ["quotes", str(reduced), "--out", str(out), "--force"])
    assert result.exit_code == 0, result.output


def test_report_and_member_check_packets_quote_the_trimmed_words(reduced: Path, tmp_path: Path) -> None:
    from radar.membercheck import export_packets

    write_phase3(reduced, {("fg2-002", "Burnout"): {C.QUOTE: "burnout is real", C.EXEMPLAR: "x"}})
    report = Study(reduced).report()
    said = [p.text for p in docx.Document(str(report)).paragraphs]
    assert "\u201cburnout is real\u201d (P04, fg2)" in said
    assert not any(
        "My tablet works fine, but burnout" in line for line in said[said.index("Self-care") :][:8]
    )
    (reduced / "radar.toml").write_text(
        '[member_check]\ncontact = "the team"\ndeadline = "30 June 2026"\nsupport = "a support line"\n',
        encoding="utf-8",
    )
    packets = export_packets(Study(reduced), tmp_path / "packets").packets
    quoted = {
        p.text for packet in packets for p in docx.Document(str(packet)).paragraphs if p.style.name == "Quote"
    }
    assert "\u201cburnout is real\u201d (a participant)" in quoted
