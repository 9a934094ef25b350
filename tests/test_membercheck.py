"""Member checking: packets out, filled in as a participant would, answers back in.

The study is tests/files/membercheck/study (synthetic; every name invented):
fg1 has P01 Maria Lopez, P02 Tomas Berg, P03 Priya Natarajan; fg2 has P04 Maria
Chen and P05 Sam Okafor; F1 Dana Whitfield facilitates both. Keyword suggestions
code three themes: Access (P01's laptop, P02's hotspot, P04's tablet), Privacy
(P03's and P04's password) and Self-care (P01's and P05's burnout).
"""

from __future__ import annotations

import json
import re
import shutil
import warnings
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from membercheck_helpers import FIXTURE, export_day, fill, reduced, sheet_rows

from radar.errors import OutputExistsError, RadarWarning, WorkbookError
from radar.files import long_date
from radar.membercheck import (
    FEEDBACK_HEADER,
    SHEET,
    SHEET_COLUMNS,
    MemberCheckError,
    coreq_line,
    export_packets,
    import_packets,
    safe_stem,
)
from radar.study import Study

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "digital-peer-support"
THEMES = {"Access", "Privacy", "Self-care"}
MEMBER_CHECK_TOML = """
[member_check]
contact = "the study team, peer-study@example.org"
deadline = "30 June 2026"
support = "the peer support line, 0800 123 456 (free, every day 8am to 10pm)"
"""


@pytest.fixture
def study(tmp_path: Path) -> Path:
    return reduced(tmp_path / "study")


@pytest.fixture
def sent(study: Path, tmp_path: Path) -> Path:
    export_packets(Study(study), tmp_path / "out")
    return tmp_path / "out"


def fill_three(sent: Path, back: Path) -> None:
    """P01, P02 and P04 return their packets; P03 and P05 do not."""
    fill(
        sent / "P01.docx", back / "P01.docx",
        {"Access": ["Agree:X"], "Privacy": ["Partly:\u2713"], "Self-care": ["Disagree:yes"]},
        {"Self-care": "Maria Lopez felt it more in winter"},
        {"What is missing?": "The cost of devices."},
    )  # fmt: skip
    fill(
        sent / "P02.docx", back / "P02.docx",
        {"Access": ["Agree:x"], "Self-care": ["Agree:X"]},
        boxes={"Anything to add?": "Thanks for asking."},
    )  # fmt: skip
    fill(
        sent / "P04.docx", back / "P04.docx",
        {"Access": ["Partly:X"], "Privacy": ["Agree:X"], "Self-care": ["Agree:X"]},
        {"Self-care": "Yes, every winter"},
    )  # fmt: skip


def style(item: Any) -> str:
    """The name of a paragraph's or table's style."""
    return item.style.name if item.style is not None else ""


def all_text(packet: Path) -> str:
    """Every word in every part of a .docx: body, tables, header, footer, properties."""
    with zipfile.ZipFile(packet) as archive:
        parts = [archive.read(n).decode("utf-8", "replace") for n in archive.namelist() if n.endswith(".xml")]
    return " ".join(re.sub(r"<[^>]+>", " ", part) for part in parts)


def section(packet: Path, heading: str) -> list[str]:
    """The paragraphs under a Heading 1, up to the next one."""
    paragraphs = docx.Document(str(packet)).paragraphs
    out: list[str] = []
    inside = False
    for paragraph in paragraphs:
        if style(paragraph) == "Heading 1":
            inside = paragraph.text == heading
            continue
        if inside and paragraph.text:
            out.append(paragraph.text)
    return out


# Export ------------------------------------------------------------------------


def test_one_packet_per_participant_with_the_form(study: Path, tmp_path: Path) -> None:
    result = export_packets(Study(study), tmp_path / "out")
    assert [p.name for p in result.packets] == [
        "P01.docx",
        "P02.docx",
        "P03.docx",
        "P04.docx",
        "P05.docx",
    ]
    document = docx.Document(str(result.packets[0]))
    feedback = document.tables[0]
    assert [c.text for c in feedback.rows[0].cells] == list(FEEDBACK_HEADER)
    assert {r.cells[0].text for r in feedback.rows[1:]} == THEMES and len(feedback.rows) == 4
    assert style(feedback) == "Table Grid"
    assert all(run.bold for cell in feedback.rows[0].cells for run in cell.paragraphs[0].runs)
    widths = [c.width for c in feedback.rows[1].cells]
    assert widths[4] == max(widths)
    boxes = [t.rows[0].cells[0].text.split("?")[0] + "?" for t in document.tables[1:]]
    assert boxes == ["What is missing?", "Anything to correct?", "Anything to add?"]
    styles = {style(p) for p in document.paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "List Bullet", "List Number", "Quote"} <= styles
    form = next(p for p in document.paragraphs if p.text == "Your feedback")
    assert style(form) == "Heading 1" and form.paragraph_format.page_break_before
    section_ = document.sections[0]
    margins = (
        section_.left_margin,
        section_.right_margin,
        section_.top_margin,
        section_.bottom_margin,
    )
    assert {round(m.cm, 2) for m in margins if m is not None} == {2.5}
    text = all_text(result.packets[0])
    for wanted in ("30 June 2026", "peer-study@example.org", "0800 123 456", "Peer support online"):
        assert wanted in text
    record = json.loads(result.record.read_text(encoding="utf-8"))
    assert [p["id"] for p in record["rounds"][0]["packets"]] == ["P01", "P02", "P03", "P04", "P05"]
    audit = (study / ".radar" / "audit.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(audit[-1])["action"] == "member-check export"


def test_what_you_said_holds_only_your_own_words(study: Path, sent: Path) -> None:
    said = section(sent / "P01.docx", "What you said")
    assert said[1:] == [
        "Question: What gets in the way of joining a group online?",
        "My laptop is ancient, it freezes every call at [place].",
        "Question: And how do you look after yourselves?",
        "Honestly I am exhausted, burnout is real. Ask the facilitator.",
    ]
    # P02's "[crosstalk]" is not speech; the rest is P02's one turn
    assert (
        section(sent / "P02.docx", "What you said")[-1]
        == "Like [name] said, the hotspot runs out and the data plan is tiny."
    )


def test_quotes_name_no_participant(sent: Path) -> None:
    for packet in sent.iterdir():
        quotes = [p.text for p in docx.Document(str(packet)).paragraphs if style(p) == "Quote"]
        assert quotes and all(q.endswith("\u201d (a participant)") for q in quotes)
        assert not re.search(r"\((P|F)\d+, ", all_text(packet))


@pytest.mark.parametrize(
    ("content", "has_found", "has_said"),
    [("summary", True, False), ("transcript", False, True), ("both", True, True)],
)
def test_content_options(study: Path, tmp_path: Path, content: str, has_found: bool, has_said: bool) -> None:
    packet = export_packets(Study(study), tmp_path / "out", content=content).packets[0]
    headings = [p.text for p in docx.Document(str(packet)).paragraphs if style(p) == "Heading 1"]
    assert ("What we found" in headings) is has_found
    assert ("What you said" in headings) is has_said
    assert "Your feedback" in headings


def test_group_packets_and_their_answers(study: Path, tmp_path: Path) -> None:
    result = export_packets(Study(study), tmp_path / "groups", by="group")
    assert [p.name for p in result.packets] == ["fg1.docx", "fg2.docx"]
    transcript = section(result.packets[1], "What was said in your group")
    assert transcript[1:] == [
        "Facilitator: What gets in the way of joining a group online?",
        "P04: My tablet works fine, but [P03] and I share a password manager.",
        "P05: Burnout hits me every winter in [place].",
    ]
    fill(result.packets[0], tmp_path / "back" / "fg1.docx", {"Access": ["Agree:X"]})
    outcome = import_packets(Study(study), tmp_path / "back")
    assert (outcome.sent, outcome.returned) == (2, 1)
    rows = sheet_rows(study)[1:]
    assert {(r[0], r[1], r[2], r[3]) for r in rows} == {
        (None, "fg1", "Access", "agree"),
        (None, "fg1", "Privacy", "no response"),
        (None, "fg1", "Self-care", "no response"),
    }


def names_in(root: Path) -> list[str]:
    """Full and first names of everyone in speakers.csv (facilitators included)."""
    import csv

    text = (root / "speakers.csv").read_text(encoding="utf-8-sig")
    labels = [row["speaker"] for row in csv.DictReader(text.splitlines())]
    names = [
        label
        for label in labels
        if not re.fullmatch(r"(P|F|O)?\d+|Participant \d+|Moderator|Facilitator", label)
    ]
    return sorted({*names, *(n.split()[0] for n in names if " " in n)})


def leaked(packet: Path, names: Sequence[str]) -> list[str]:
    text = all_text(packet)
    folded = text.casefold()  # the substring test first: the regex alone took 40 s over the example's packets
    return [
        n
        for n in names
        if n.casefold() in folded and re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text, re.IGNORECASE)
    ]


def test_no_packet_names_anyone(study: Path, tmp_path: Path) -> None:
    names = names_in(study)
    assert names == ["Dana", "Dana Whitfield", "Maria", "Maria Chen", "Maria Lopez", "Priya",
                     "Priya Natarajan", "Sam", "Sam Okafor", "Tomas", "Tomas Berg"]  # fmt: skip
    raw = (study / "transcripts" / "fg1.txt").read_text(encoding="utf-8")
    assert "Like Maria said" in raw and "Dr Whitfield" in raw  # the names are there to be masked
    packets = [
        *export_packets(Study(study), tmp_path / "people").packets,
        *export_packets(Study(study), tmp_path / "groups", by="group").packets,
    ]
    for packet in packets:
        assert leaked(packet, [*names, "Whitfield", "Riverside", "Springfield", "Acme", "Bobby"]) == [], (
            packet.name
        )


@pytest.mark.slow  # 59 packets written and searched: 10-15 s even with the quick name search
def test_no_packet_of_the_example_names_anyone(tmp_path: Path) -> None:
    if not (EXAMPLE / "transcripts").is_dir():
        pytest.skip(f"the example study {EXAMPLE} is not in the repository yet")
    root = tmp_path / "example"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".radar", "radar-tables.xlsx", "~$*"))
    config = root / "radar.toml"
    text = config.read_text(encoding="utf-8") if config.exists() else ""
    if "[member_check]" not in text:
        config.write_text(text + MEMBER_CHECK_TOML, encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RadarWarning)  # the example's notes (front matter) are expected
        Study(root).reduce()
    names = names_in(root) if (root / "speakers.csv").exists() else []
    packets = export_packets(Study(root), tmp_path / "out").packets
    assert packets
    for packet in packets:
        assert leaked(packet, names) == [], packet.name


def test_the_key_never_leaves_the_study(tmp_path: Path) -> None:
    root = tmp_path / "study"
    shutil.copytree(FIXTURE, root)
    (root / "speakers.csv").unlink()  # names come from the transcripts' labels: the key holds them
    Study(root).reduce()
    key = root / ".radar" / "speaker-key.csv"
    assert "Maria Lopez" in key.read_text(encoding="utf-8")
    out = export_packets(Study(root), tmp_path / "out").packets
    fill(out[0], tmp_path / "back" / out[0].name, {"Access": ["Agree:X"]})
    import_packets(Study(root), tmp_path / "back")
    for path in tmp_path.rglob("*"):
        if path.is_file() and root not in path.parents:
            assert path.name != key.name
            assert b"participant_id" not in path.read_bytes()
    assert [p for p in tmp_path.rglob(key.name)] == [key]
    for packet in out:
        assert (
            leaked(packet, ["Dana", "Whitfield", "Maria", "Lopez", "Tomas", "Priya", "Sam", "Okafor"]) == []
        )


def test_file_names_cannot_escape_the_folder(tmp_path: Path) -> None:
    root = tmp_path / "study"
    shutil.copytree(FIXTURE, root)
    speakers = (root / "speakers.csv").read_text(encoding="utf-8")
    speakers = speakers.replace(",P01,", ",../../evil,").replace(",P02,", ",CON,").replace(",P03,", ",a/b,")
    (root / "speakers.csv").write_text(speakers, encoding="utf-8")
    Study(root).reduce()
    out = tmp_path / "deep" / "out"
    packets = export_packets(Study(root), out).packets
    assert sorted(p.name for p in packets) == [
        "P04.docx",
        "P05.docx",
        "_CON.docx",
        "a_b.docx",
        "evil.docx",
    ]
    assert all(p.parent == out for p in packets)
    assert sorted(p.name for p in (tmp_path / "deep").iterdir()) == ["out"]
    fill(out / "evil.docx", tmp_path / "back" / "evil.docx", {"Access": ["Agree:X"]})
    import_packets(Study(root), tmp_path / "back")
    assert {r[0] for r in sheet_rows(root)[1:]} == {"../../evil"}


def test_safe_stem() -> None:
    assert [safe_stem(s) for s in ("P07", "..", "fg 1", "aux.txt", "a..b", "")] == [
        "P07", "packet", "fg_1", "_aux.txt", "a.b", "packet",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("where", "message"),
    [
        (".radar/packets", "is inside radar's records"),
        ("transcripts/packets", "is inside the transcripts"),
        (".", "is the study folder itself"),
    ],
)
def test_refused_folders(study: Path, where: str, message: str) -> None:
    with pytest.raises(MemberCheckError, match=message):
        export_packets(Study(study), study / where)


def test_existing_packets_need_force(study: Path, sent: Path) -> None:
    with pytest.raises(OutputExistsError) as error:
        export_packets(Study(study), sent)
    assert error.value.path == str(sent / "P01.docx")
    assert str(error.value) == (
        f"{sent}: already holds packets (P01.docx, P02.docx, P03.docx...); "
        "give an empty folder, or --force to replace them"
    )
    assert len(export_packets(Study(study), sent, force=True).packets) == 5


def test_the_cover_letter_needs_its_fields(study: Path, tmp_path: Path) -> None:
    config = study / "radar.toml"
    config.write_text(config.read_text(encoding="utf-8").split("[member_check]")[0], encoding="utf-8")
    with pytest.raises(MemberCheckError, match=r"\(missing: contact, deadline, support\)"):
        export_packets(Study(study), tmp_path / "out")
    config.write_text(
        config.read_text(encoding="utf-8") + MEMBER_CHECK_TOML.replace("the study team", "Dana Whitfield"),
        encoding="utf-8",
    )
    with pytest.raises(MemberCheckError, match=r"\[member_check\] contact: it holds 'Dana Whitfield'"):
        export_packets(Study(study), tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_bad_options(study: Path, tmp_path: Path) -> None:
    with pytest.raises(MemberCheckError, match="--by 'theme'"):
        export_packets(Study(study), tmp_path / "out", by="theme")
    with pytest.raises(MemberCheckError, match="--content 'all'"):
        export_packets(Study(study), tmp_path / "out", content="all")


# Import ------------------------------------------------------------------------


def test_import_counts_answers_and_records_them(study: Path, sent: Path, tmp_path: Path) -> None:
    fill_three(sent, tmp_path / "back")
    result = import_packets(Study(study), tmp_path / "back")
    assert result.problems == () and result.skipped == ()
    # by hand: Access agree P01, P02, partly P04; Privacy partly P01, agree P04, P02 left it empty;
    # Self-care disagree P01, agree P02, P04
    summary = {r.theme: (r.agree, r.partly, r.disagree, r.no_response) for r in result.summary.itertuples()}
    assert summary == {"Access": (2, 1, 0, 0), "Privacy": (1, 1, 0, 1), "Self-care": (2, 0, 1, 0)}
    comments = dict(zip(result.summary["theme"], result.summary["comments"]))
    assert comments == {
        "Access": "",
        "Privacy": "",
        "Self-care": "[P01] felt it more in winter | Yes, every winter",
    }
    assert list(result.summary.columns) == [
        "theme",
        "agree",
        "partly",
        "disagree",
        "no_response",
        "comments",
    ]
    assert (result.sent, result.returned, result.response_rate) == (5, 3, 0.6)
    assert result.response_line() == (
        f"Response: 3 of 5 packets returned (60%) from export 1 ({export_day(study, 1)}, to {sent})."
    )
    rows = sheet_rows(study)
    assert rows[0] == SHEET_COLUMNS
    body = sorted((r[0], r[1], r[2] or "", r[3], r[4] or "", r[5]) for r in rows[1:])
    assert body == [
        ("P01", "fg1", "", "comment", "What is missing? The cost of devices.", "P01.docx"),
        ("P01", "fg1", "Access", "agree", "", "P01.docx"),
        ("P01", "fg1", "Privacy", "partly", "", "P01.docx"),
        ("P01", "fg1", "Self-care", "disagree", "[P01] felt it more in winter", "P01.docx"),
        ("P02", "fg1", "", "comment", "Anything to add? Thanks for asking.", "P02.docx"),
        ("P02", "fg1", "Access", "agree", "", "P02.docx"),
        ("P02", "fg1", "Privacy", "no response", "", "P02.docx"),
        ("P02", "fg1", "Self-care", "agree", "", "P02.docx"),
        ("P04", "fg2", "Access", "partly", "", "P04.docx"),
        ("P04", "fg2", "Privacy", "agree", "", "P04.docx"),
        ("P04", "fg2", "Self-care", "agree", "Yes, every winter", "P04.docx"),
    ]
    assert len(result.recorded) == 11
    audit = [
        json.loads(line)
        for line in (study / ".radar" / "audit.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    entry = audit[-1]
    assert entry["action"] == "member-check import" and sorted(entry["packets"]) == [
        "P01.docx",
        "P02.docx",
        "P04.docx",
    ]
    assert len(entry["answers"]) == 11 and entry["run"] == 2
    assert (study / entry["previous_version"]).exists()


def test_the_same_packet_twice_counts_once(study: Path, sent: Path, tmp_path: Path) -> None:
    fill_three(sent, tmp_path / "back")
    import_packets(Study(study), tmp_path / "back")
    again = import_packets(Study(study), tmp_path / "back")
    assert again.recorded == () and again.problems == () and len(again.skipped) == 3
    assert again.returned == 3 and len(sheet_rows(study)) == 12
    # a copy saved again under another name in the same folder is the same packet
    fresh = tmp_path / "fresh"
    fill(sent / "P03.docx", fresh / "P03.docx", {"Privacy": ["Agree:X"]})
    docx.Document(str(fresh / "P03.docx")).save(str(fresh / "P03 (1).docx"))
    result = import_packets(Study(study), fresh)
    assert [a.theme for a in result.recorded] == ["Access", "Privacy", "Self-care"]
    assert result.skipped == ("P03.docx: the same answers as P03 (1).docx; counted once",)
    assert result.returned == 4 and len(sheet_rows(study)) == 15


def test_different_answers_from_someone_already_recorded_are_refused(
    study: Path, sent: Path, tmp_path: Path
) -> None:
    fill_three(sent, tmp_path / "back")
    import_packets(Study(study), tmp_path / "back")
    before = (study / "radar-tables.xlsx").read_bytes()
    fill(sent / "P01.docx", tmp_path / "late" / "P01.docx", {"Access": ["Disagree:X"]})
    result = import_packets(Study(study), tmp_path / "late")
    assert result.problems == (
        (
            f"P01.docx: answers from participant P01 are already in the {SHEET!r} sheet and this packet's answers "
            "differ; nothing was changed (delete that participant's rows in the sheet to import this one instead)"
        ),
    )
    assert (study / "radar-tables.xlsx").read_bytes() == before


def test_broken_packets_are_reported_and_the_others_read(study: Path, sent: Path, tmp_path: Path) -> None:
    back = tmp_path / "back"
    fill(sent / "P01.docx", back / "P01.docx", {"Access": ["Agree:X"]})
    # P03 deleted the table
    document = docx.Document(str(sent / "P03.docx"))
    document.tables[0]._tbl.getparent().remove(document.tables[0]._tbl)
    document.save(str(back / "P03.docx"))
    # P05 marked two boxes in the Privacy row
    fill(
        sent / "P05.docx",
        back / "P05.docx",
        {"Privacy": ["Agree:X", "Disagree:X"], "Access": ["Agree:X"]},
    )
    privacy_row = 1 + [r.cells[0].text for r in docx.Document(str(sent / "P05.docx")).tables[0].rows].index(
        "Privacy"
    )
    # a packet of another study
    other = reduced(tmp_path / "other")
    export_packets(Study(other), tmp_path / "other-out")
    shutil.copy(tmp_path / "other-out" / "P02.docx", back / "P02.docx")
    # a packet whose reference names a participant no packet was sent to
    document = docx.Document(str(sent / "P04.docx"))
    for name in ("identifier", "keywords", "comments"):
        value = getattr(document.core_properties, name)
        setattr(document.core_properties, name, value.replace("packet=P04", "packet=P99"))
    document.save(str(back / "P99.docx"))
    (back / "damaged.docx").write_bytes(b"not a zip file")
    (back / "scan.pdf").write_bytes(b"%PDF-1.4")
    token = json.loads((other / ".radar" / "member-check" / "sent.json").read_text(encoding="utf-8"))["study"]

    result = import_packets(Study(study), back)
    assert {a.participant for a in result.recorded} == {"P01"}
    assert result.problems == (
        f"P02.docx: this packet belongs to another study (reference P02 / {token}); it was not sent from this one",
        (
            "P03.docx: the feedback table (Theme | Agree | Partly | Disagree | Comments) is missing; "
            "ask for the packet again, or copy the answers into a fresh packet"
        ),
        (
            f"P05.docx, feedback table row {privacy_row} (Privacy): marks in Agree and Disagree; "
            "keep one mark per row (ask the participant if unsure) and import again"
        ),
        "P99.docx: no packet 'P99' was sent from this study in export 1 (unknown participant or group); check the file",
        (
            "damaged.docx: cannot be read as a Word file (BadZipFile); open it in Word or LibreOffice, "
            "save it as .docx and import again"
        ),
        "scan.pdf: not a Word packet (.docx); open it and save it as .docx, or leave it out",
    )
    assert (result.sent, result.returned) == (5, 1)
    assert {r[0] for r in sheet_rows(study)[1:]} == {"P01"}


def test_a_failed_import_loses_nothing(study: Path, sent: Path, tmp_path: Path) -> None:
    fill_three(sent, tmp_path / "back")
    import_packets(Study(study), tmp_path / "back")
    before = (study / "radar-tables.xlsx").read_bytes()
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "P03.docx").write_bytes(b"garbage")
    result = import_packets(Study(study), tmp_path / "bad")
    assert len(result.problems) == 1 and result.recorded == ()
    assert (study / "radar-tables.xlsx").read_bytes() == before
    assert result.returned == 3


def test_import_refuses_an_open_workbook(study: Path, sent: Path, tmp_path: Path) -> None:
    fill_three(sent, tmp_path / "back")
    (study / "~$radar-tables.xlsx").write_bytes(b"")
    before = (study / "radar-tables.xlsx").read_bytes()
    with pytest.raises(WorkbookError, match="is open in Excel"):
        import_packets(Study(study), tmp_path / "back")
    assert (study / "radar-tables.xlsx").read_bytes() == before


def test_import_before_export(study: Path, tmp_path: Path) -> None:
    (tmp_path / "back").mkdir()
    with pytest.raises(MemberCheckError, match="no member-check packets were sent from this study"):
        import_packets(Study(study), tmp_path / "back")


def test_the_sheet_survives_reduce_and_keeps_text_as_text(study: Path, sent: Path, tmp_path: Path) -> None:
    fill(
        sent / "P01.docx",
        tmp_path / "back" / "P01.docx",
        {"Access": ["Agree:X"]},
        {"Access": "=1+1"},
    )
    import_packets(Study(study), tmp_path / "back")
    sheet = openpyxl.load_workbook(study / "radar-tables.xlsx")[SHEET]
    cell = next(c for row in sheet.iter_rows(min_row=2) for c in row if c.value == "=1+1")
    assert cell.data_type == "s"
    Study(study).reduce()
    assert len(sheet_rows(study)) == 4  # header and P01's three themes


def test_coreq_line(study: Path, tmp_path: Path) -> None:
    assert coreq_line(Study(study)) == "not done (no member-check packets sent)."
    out = export_packets(Study(study), tmp_path / "out").packets[0].parent
    day = json.loads((study / ".radar" / "member-check" / "sent.json").read_text(encoding="utf-8"))["rounds"][
        0
    ]["time"][:10]
    day = long_date(day)  # the report writes dates in words
    assert coreq_line(Study(study)) == f"packets sent to 5 participants on {day}; none returned yet."
    fill_three(out, tmp_path / "back")
    import_packets(Study(study), tmp_path / "back")
    line = coreq_line(Study(study))
    assert line.startswith(
        f"packets sent to 5 participants on {day}; 3 returned (3/5, 60%); agreement per theme: "
    )
    assert "Access 2 agree, 1 partly, 0 disagree" in line and "Privacy 1 agree, 1 partly, 0 disagree" in line
    assert "Self-care 2 agree, 0 partly, 1 disagree" in line and line.endswith(".")


def test_the_report_carries_the_result(study: Path, sent: Path, tmp_path: Path) -> None:
    from radar.report import build_report

    fill_three(sent, tmp_path / "back")
    import_packets(Study(study), tmp_path / "back")
    items = [item for block in build_report(Study(study)).blocks for item in block.items]
    line = next(item for item in items if item.startswith("28 Participant checking: "))
    assert "3 returned (3/5, 60%)" in line and "Privacy 1 agree, 1 partly, 0 disagree" in line
