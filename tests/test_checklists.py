"""Reporting checklists filled from radar's records, and the report's saturation and balance sections."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from cli_helpers import assert_one_error, ok, run

from radar.checklists import CHECKLIST_COLUMNS, COREQ, FOR_AUTHORS, PARRQA, SRQR, ChecklistFacts, checklist
from radar.errors import RadarError


def test_the_checklists_have_their_published_number_of_items() -> None:
    assert [n for n, _, _ in COREQ] == [str(i) for i in range(1, 33)]  # Tong et al. 2007: 32 items
    assert [n for n, _, _ in SRQR] == [f"S{i}" for i in range(1, 22)]  # O'Brien et al. 2014: 21 items
    assert {n[0] for n, _, _ in PARRQA} == {"1", "2", "3", "4", "5"}  # Kowalski et al. 2024: 5 phases


def test_an_empty_record_answers_nothing() -> None:
    frame = checklist("coreq", ChecklistFacts())
    assert list(frame.columns) == list(CHECKLIST_COLUMNS)
    assert set(frame["Source"]) == {FOR_AUTHORS}


def test_an_unknown_checklist_is_refused() -> None:
    with pytest.raises(RadarError, match="unknown checklist 'strobe'"):
        checklist("strobe", ChecklistFacts())


def test_facts_become_answers_with_their_sources() -> None:
    facts = ChecklistFacts(
        coders=("A", "B"), title="A study", research_questions=("Why?",), runs=3, software="radar 1"
    )
    coreq = checklist("coreq", facts).set_index("No.")
    assert coreq.loc["24", ["Answer", "Source"]].tolist() == ["2 coders (A, B).", "radar.toml"]
    assert coreq.loc["27", "Answer"] == "radar 1; 3 recorded runs."
    assert coreq.loc["27", "Source"].startswith("audit trail")
    srqr = checklist("srqr", facts).set_index("No.")
    assert srqr.loc["S1", "Answer"] == "A study." and srqr.loc["S4", "Answer"] == "Why?"
    assert srqr.loc["S15", "Answer"].startswith("An audit trail of 3 runs")


@pytest.fixture
def reduced(study_dir: Path) -> Path:
    (study_dir / "radar.toml").write_text(
        'title = "Small study"\ncoders = ["A. Rivera", "B. Chen"]\n[saturation]\nbase = 1\nrun = 1\n',
        encoding="utf-8",
    )
    ok(run("reduce", study_dir, "--quiet"))
    return study_dir


def table_rows(document: docx.document.Document, first: str) -> list[list[str]]:
    table = next(t for t in document.tables if t.rows[0].cells[0].text == first)
    return [[c.text for c in row.cells] for row in table.rows]


def test_report_with_coreq_fills_what_radar_knows_and_lists_the_rest(reduced: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.docx"
    ok(run("report", reduced, "--out", out, "--checklist", "coreq"))
    document = docx.Document(str(out))
    rows = {row[0]: row for row in table_rows(document, "No.")[1:]}
    # The small study: 5 participants (fg1 P01-P03, fg2 P04-P05) in 2 groups; moderators F01, F02.
    assert rows["12"][2] == "5 participants in 2 focus groups or interviews."
    assert rows["1"][2].startswith("Each group's facilitator is recorded by pseudonym (F01, F02)")
    assert rows["24"][2:] == ["2 coders (A. Rivera, B. Chen).", "radar.toml"]
    assert rows["25"][2] == "3 themes and 4 codes (see the appendix)."  # Access, Privacy, Self-care
    assert rows["28"][2] == "Not done (no member-check packets sent)."
    assert rows["22"][2].startswith("Saturation was assessed with Guest, Namey and Chen's (2020) method")
    assert all(row[3] for row in rows.values())  # every filled item names its source
    texts = [p.text for p in document.paragraphs]
    # Filled: 1, 12, 15, 17, 19, 22, 24-29, 31 (13); no speakers.csv (16), no times (21), no emerging (32).
    assert "For the authors to complete (19):" in texts
    assert "2 Credentials" in texts and "30 Data and findings consistent" in texts
    assert "COREQ items radar can answer" not in texts  # the table replaces the short list


def test_report_with_srqr_and_parrqa(reduced: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.docx"
    ok(run("report", reduced, "--out", out, "--checklist", "srqr", "--checklist", "parrqa"))
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    assert any(t.startswith("Checklist: SRQR") for t in texts)
    assert any(t.startswith("Checklist: PARRQA") for t in texts)
    assert "COREQ items radar can answer" in texts  # still there without --checklist coreq
    # The PARRQA table is by phase, and says so: its 18 recommendations are the authors' to check.
    assert any("eighteen recommendations are grouped here under its five phases" in t for t in texts)
    assert not any(
        "eighteen recommendations" in t
        for t in texts[: texts.index(next(t for t in texts if t.startswith("Checklist: PARRQA")))]
    )


def test_report_checklist_choice_is_checked(reduced: Path, tmp_path: Path) -> None:
    result = run("report", reduced, "--out", tmp_path / "r.docx", "--checklist", "strobe")
    assert result.exit_code == 2 and not (tmp_path / "r.docx").exists()


def test_report_has_the_saturation_paragraph_and_the_balance_table(reduced: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.docx"
    ok(run("report", reduced, "--out", out))
    document = docx.Document(str(out))
    texts = [p.text for p in document.paragraphs]
    # By name: fg1 (Devices, Data plans, Passwords, Burnout) is the base of 4; fg2 adds none: 0%.
    saturation = next(t for t in texts if t.startswith("Saturation was assessed"))
    assert "a base of the first 1 transcripts, runs of 1 transcript" in saturation
    assert "The base held 4 codes. New codes per run: run 1 (to fg2): 0 new, 0.0%." in saturation
    assert "Saturation was met at the run ending with fg2" in saturation
    rows = table_rows(document, "Group")
    # fg1: 7 turns, 60 words; facilitator 2/7 = 29% of turns, 14/60 = 23% of words;
    # Gini of turns [2, 2, 1] = 0.13, of words [13, 29, 4] = 100/276 = 0.36.
    assert rows[1] == ["fg1", "3", "7 / 60", "29% / 23%", "0.13 / 0.36"]
    assert "Figure 2. New codes per transcript in the order held, and the codes so far." in texts
    assert "Figure 3. Words per speaker in each group." in texts


def test_partial_dates_are_a_note_for_the_analyst_not_the_report(reduced: Path, tmp_path: Path) -> None:
    with (reduced / "radar.toml").open("a", encoding="utf-8") as handle:
        handle.write("[groups.fg1]\ndate = 2026-05-03\n")
    out = tmp_path / "report.docx"
    result = run("report", reduced, "--out", out)
    assert result.exit_code == 0
    assert "add date = YYYY-MM-DD under [groups.fg2]" in result.stderr
    assert not any("YYYY" in p.text for p in docx.Document(str(out)).paragraphs)


def test_report_refuses_a_bad_dominant_share(reduced: Path, tmp_path: Path) -> None:
    with (reduced / "radar.toml").open("a", encoding="utf-8") as handle:
        handle.write("[report]\ndominant_share = 1.5\n")
    assert_one_error(run("report", reduced, "--out", tmp_path / "r.docx"), "radar.toml", "dominant_share")
    assert not (tmp_path / "r.docx").exists()
