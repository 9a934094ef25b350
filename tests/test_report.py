"""The methods report as a deliverable: its lists, dates, theme sections, wording and COREQ 26."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn

from radar.cli import main
from radar.files import long_date
from radar.report import codes_added, derivation
from radar.study import Study

QUESTION = "How is peer support supervised?"


@pytest.fixture
def reduced(study_dir: Path) -> Path:
    (study_dir / "radar.toml").write_text(
        f'research_questions = ["{QUESTION}"]\ncoders = ["Ana Rivera"]\n', encoding="utf-8"
    )
    Study(study_dir).reduce()
    return study_dir


def write(study: Path, out: Path) -> docx.document.Document:
    Study(study).report(out)
    return docx.Document(str(out))


def today() -> str:
    return long_date(datetime.now(UTC).date())


@pytest.mark.parametrize(
    ("moment", "words"),
    [
        ("2026-12-01T09:30:00+00:00", "1 December 2026"),
        ("2026-06-30", "30 June 2026"),
        (date(2027, 1, 5), "5 January 2027"),
    ],
)
def test_long_date(moment: str | date, words: str) -> None:
    assert long_date(moment) == words


# The summary: two lists ------------------------------------------------------------------


def test_research_questions_and_study_facts_are_two_lists(reduced: Path, tmp_path: Path) -> None:
    document = write(reduced, tmp_path / "report.docx")
    paragraphs = [(p.text, p.style.name) for p in document.paragraphs]
    start = paragraphs.index(("Research questions:", "Normal"))
    assert paragraphs[start + 1] == (QUESTION, "List Bullet")
    assert paragraphs[start + 2] == ("Study facts:", "Normal")  # a new list, under its own lead-in
    facts = [text for text, style in paragraphs[start + 3 : start + 9]]
    assert all(style == "List Bullet" for _, style in paragraphs[start + 3 : start + 9])
    # fg1 and fg2; 5 participants; 11 turns, of which 4 dropped (3 facilitator turns, P3's [crosstalk]);
    # 6 of the 7 kept are coded (not P3's "Nothing to add"), with 7 excerpts (fg2-002 is Access and Self-care)
    assert facts[:5] == [
        "Groups: 2 focus groups or interviews.",
        "Participants: 5.",
        "Speaker turns: 11; 7 kept as relevant; 6 coded; 7 coded excerpts in 3 themes.",
        f"Dates: tables first made {today()}; report written {today()}.",
        "Coders: Ana Rivera.",
    ]
    assert facts[5].startswith("Analysed with radar ")


def test_the_dates_name_the_first_and_last_runs_in_words(reduced: Path, tmp_path: Path) -> None:
    audit = reduced / ".radar" / "audit.jsonl"
    first = json.loads(audit.read_text(encoding="utf-8").splitlines()[0])
    audit.write_text(
        json.dumps({**first, "time": "2026-11-03T08:00:00+00:00"})
        + "\n"
        + json.dumps({**first, "run": 2, "time": "2026-12-01T23:59:00+00:00"})
        + "\n",
        encoding="utf-8",
    )
    texts = [p.text for p in write(reduced, tmp_path / "report.docx").paragraphs]
    assert (
        f"Dates: tables first made 3 November 2026, last run 1 December 2026; report written {today()}."
        in texts
    )
    assert not any("T0" in text or "+00:00" in text for text in texts)


# Each theme in one flowing section -----------------------------------------------------------


def test_each_theme_flows_with_its_codes_and_quotes(reduced: Path, tmp_path: Path) -> None:
    document = write(reduced, tmp_path / "report.docx")
    body = list(document.element.body.iterchildren())
    paragraphs = {p._p: p for p in document.paragraphs}
    tables = {t._tbl: t for t in document.tables}
    texts = [p.text for p in document.paragraphs]
    first, coreq = texts.index("Access"), texts.index("COREQ items radar can answer")
    section = body[body.index(document.paragraphs[first]._p) : body.index(document.paragraphs[coreq]._p)]
    breaks = [
        e for e in section if e.tag == qn("w:p") and e.findall(f".//{qn('w:br')}[@{qn('w:type')}='page']")
    ]
    assert breaks == [], "no page break between themes"
    heading = paragraphs[section[0]]
    assert heading.style.name == "Heading 2" and heading.paragraph_format.keep_with_next
    definition = paragraphs[section[1]]
    assert definition.text == "Getting online." and definition.paragraph_format.keep_with_next
    codes = tables[section[2]]
    rows = [[cell.text for cell in row.cells] for row in codes.rows]
    # Access codes: Devices on fg1-002 and fg2-002, Data plans on fg1-003; 6 coded segments in all
    assert rows == [
        ["Code", "Definition", "n/N Coded Segments (%)"],  # Word shows headers in Title Case
        ["Devices", "Phones, tablets, laptops.", "2/6, 33%"],  # 6 coded segments, 2 with Devices
        ["Data plans", "", "1/6, 17%"],
    ]
    assert all(
        p.paragraph_format.keep_with_next for row in codes.rows for c in row.cells for p in c.paragraphs
    )
    lead = paragraphs[section[3]]
    assert lead.text == "Exemplar quotes:" and lead.paragraph_format.keep_with_next
    quotes = [paragraphs[e] for e in section[4:6]]
    assert all(q.style.name == "List Bullet" and q.paragraph_format.keep_together for q in quotes)
    assert quotes[0].paragraph_format.keep_with_next and not quotes[-1].paragraph_format.keep_with_next
    assert paragraphs[section[6]].text == "Privacy"  # the next theme follows at once


def test_the_markdown_has_the_same_sections(reduced: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    Study(reduced).report(out, "md")
    text = out.read_text(encoding="utf-8")
    assert (
        f"Research questions:\n\n- {QUESTION}\n\nStudy facts:\n\n- Groups: 2 focus groups or interviews."
        in text
    )
    assert "### Access\n\nGetting online.\n\n| Code | Definition | n/N coded segments (%) |" in text
    assert "| Devices | Phones, tablets, laptops. | 2/6, 33% |" in text
    assert "Exemplar quotes:\n\n- \u201c" in text


# Written for its readers ---------------------------------------------------------------------

INSTRUCTIONS = (
    "mark your own",
    "Exemplar column",
    "radar.toml",
    "run radar",
    "radar reduce",
    "coders = [",
    "proposed",
)


def test_the_report_holds_no_instruction_to_the_analyst(study_dir: Path, tmp_path: Path) -> None:
    Study(study_dir).reduce()  # no coders listed, no quotes marked: radar proposes them
    result = CliRunner().invoke(main, ["report", str(study_dir), "--out", str(tmp_path / "report.docx")])
    assert result.exit_code == 0, result.output
    Study(study_dir).report(tmp_path / "report.md", "md")
    document = docx.Document(str(tmp_path / "report.docx"))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    words = "\n".join([p.text for p in document.paragraphs] + cells)
    markdown = (tmp_path / "report.md").read_text(encoding="utf-8")
    for instruction in INSTRUCTIONS:
        assert instruction not in words and instruction not in markdown, instruction
    assert "24 Number of data coders: not recorded." in words.splitlines()
    # what the analyst may want to do is said to the analyst, on the command line
    assert result.stderr.splitlines() == [
        "Note: the report's exemplar quotes of Access, Self-care were proposed by radar; "
        "mark your own in the Exemplar column of sheet '3 Coded'",
        "Note: the report gives the coders (COREQ 24) as not recorded; list them in radar.toml: coders = [...]",
    ]


# COREQ 26 ----------------------------------------------------------------------------------

ADDED_CODE = "      - name: Data plans\n        keywords: [data plan, hotspot]\n      - name: Hotspots\n"


def coreq_26(study: Path, tmp_path: Path) -> str:
    texts = [p.text for p in write(study, tmp_path / "report.docx").paragraphs]
    return next(text for text in texts if text.startswith("26 "))


def add_a_code(study: Path) -> None:
    book = study / "codebook.yaml"
    text = book.read_text(encoding="utf-8")
    book.write_text(
        text.replace("      - name: Data plans\n        keywords: [data plan, hotspot]\n", ADDED_CODE),
        encoding="utf-8",
    )


def test_coreq_26_with_the_codebook_unchanged(reduced: Path, tmp_path: Path) -> None:
    texts = [p.text for p in write(reduced, tmp_path / "one.docx").paragraphs]
    assert any(t.endswith("; 1 recorded run in the audit trail (.radar/audit.jsonl).") for t in texts)
    assert coreq_26(reduced, tmp_path) == (
        "26 Derivation of themes: codes were applied with a codebook developed before the analysis, "
        "unchanged during it; keyword suggestions were reviewed by the analyst."
    )


def test_coreq_26_says_codes_were_added_during_the_analysis(reduced: Path, tmp_path: Path) -> None:
    add_a_code(reduced)
    Study(reduced).reduce()
    assert coreq_26(reduced, tmp_path) == (
        "26 Derivation of themes: codes were applied with a codebook developed before the analysis, "
        "and 1 code was added during the analysis (Hotspots), as the audit trail records; "
        "keyword suggestions were reviewed by the analyst."
    )


def forget_the_codes(study: Path) -> None:
    """The audit log as radar wrote it before runs recorded the codebook's codes."""
    audit = study / ".radar" / "audit.jsonl"
    runs = [json.loads(line) for line in audit.read_text(encoding="utf-8").splitlines()]
    audit.write_text(
        "".join(json.dumps({k: v for k, v in run.items() if k != "codes"}) + "\n" for run in runs)
    )


def test_coreq_26_reads_the_first_kept_workbook_when_the_audit_has_no_codes(
    reduced: Path, tmp_path: Path
) -> None:
    add_a_code(reduced)
    Study(reduced).reduce()  # keeps run 1's workbook as .radar/history/radar-tables.before-run-0002.xlsx
    forget_the_codes(reduced)
    assert codes_added(Study(reduced), Study(reduced).codebook()) == ("Hotspots",)
    assert "1 code was added during the analysis (Hotspots)" in coreq_26(reduced, tmp_path)


def test_coreq_26_is_neutral_when_the_first_codebook_is_not_known(reduced: Path, tmp_path: Path) -> None:
    add_a_code(reduced)
    Study(reduced).reduce()
    forget_the_codes(reduced)
    shutil.rmtree(reduced / ".radar" / "history")
    assert codes_added(Study(reduced), Study(reduced).codebook()) is None
    assert coreq_26(reduced, tmp_path) == (
        "26 Derivation of themes: themes were derived from a codebook, refined during analysis "
        "(see the audit trail); keyword suggestions were reviewed by the analyst."
    )


def test_derivation_counts_the_codes() -> None:
    assert derivation(("A", "B")).endswith(
        "and 2 codes were added during the analysis (A, B), as the audit trail records"
    )
