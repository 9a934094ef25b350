"""Member-check exports: each one numbered, the response rate counted for the export the packets belong to.

The study is tests/files/membercheck/study (see tests/test_membercheck.py): five participants, P01 to
P05, so a first export writes five packets. Making Sam Okafor (P05) an observer in speakers.csv and
reducing again leaves four participants (P01 to P04), whom a second export sends packets to.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import docx
import pytest
from membercheck_helpers import FIXTURE, export_day, fill, footer, reduced, sheet_rows

from radar.errors import RadarWarning
from radar.files import long_date
from radar.membercheck import coreq_line, export_packets, import_packets
from radar.report import build_report
from radar.study import Study


@pytest.fixture
def study(tmp_path: Path) -> Path:
    return reduced(tmp_path / "study")


def drop_p05(root: Path) -> None:
    """Sam Okafor was listed as a participant by mistake: the note-taker, O1."""
    speakers = root / "speakers.csv"
    text = speakers.read_text(encoding="utf-8")
    assert "Sam Okafor,P05,participant" in text
    speakers.write_text(
        text.replace("Sam Okafor,P05,participant", "Sam Okafor,O1,observer"), encoding="utf-8"
    )
    Study(root).reduce()


def two_exports(study: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A trial export of five packets to A, then four packets to B after the speakers changed."""
    trial, real = tmp_path / "A", tmp_path / "B"
    first = export_packets(Study(study), trial)
    assert (len(first.packets), first.number, first.replaces) == (5, 1, None)
    drop_p05(study)
    second = export_packets(Study(study), real)
    assert [p.name for p in second.packets] == ["P01.docx", "P02.docx", "P03.docx", "P04.docx"]
    assert (second.number, second.replaces) == (2, 1)
    assert (
        second.line(real)
        == f"wrote 4 packet(s) to {real} as export 2 (it replaces export 1 in the response rate)"
    )
    return trial, real


def test_each_export_is_numbered_and_its_packets_say_which(study: Path, tmp_path: Path) -> None:
    trial, real = two_exports(study, tmp_path)
    record = json.loads((study / ".radar" / "member-check" / "sent.json").read_text(encoding="utf-8"))
    assert [(r["export"], r["folder"], r["by"], len(r["packets"])) for r in record["rounds"]] == [
        (1, str(trial), "participant", 5),
        (2, str(real), "participant", 4),
    ]
    assert record["rounds"][1]["replaces"] == 1
    token = record["study"]
    packet = real / "P02.docx"
    assert f"Packet reference: P02 / {token} / export 2" in footer(packet)
    assert docx.Document(str(packet)).core_properties.identifier == (
        f"radar-member-check study={token} packet=P02 export=2"
    )
    assert f"Packet reference: P02 / {token} / export 1" in footer(trial / "P02.docx")


def test_the_response_rate_counts_the_export_the_packets_belong_to(study: Path, tmp_path: Path) -> None:
    _, real = two_exports(study, tmp_path)
    back = tmp_path / "back"
    fill(real / "P01.docx", back / "P01.docx", {"Access": ["Agree:X"]})
    fill(real / "P02.docx", back / "P02.docx", {"Privacy": ["Partly:X"]})
    fill(real / "P04.docx", back / "P04.docx", {"Self-care": ["Disagree:X"]})
    result = import_packets(Study(study), back)
    # export 2 sent four packets and replaced the trial export's five: 3 of 4, not 3 of 5
    assert (result.sent, result.returned, result.notes) == (4, 3, ())
    day = export_day(study, 2)
    assert result.response_line() == (
        f"Response: 3 of 4 packets returned (75%) from export 2 ({day}, to {real}, replacing export 1)."
    )
    line = coreq_line(Study(study))
    assert line.startswith(
        f"packets sent to 4 participants on {long_date(day)}; 3 returned (3/4, 75%); agreement per theme: "
    )
    items = [item for block in build_report(Study(study)).blocks for item in block.items]
    assert f"28 Participant checking: {line}" in items


def test_a_packet_of_the_replaced_export_is_recorded_and_said_so(study: Path, tmp_path: Path) -> None:
    trial, _ = two_exports(study, tmp_path)
    back = tmp_path / "back"
    fill(trial / "P03.docx", back / "P03.docx", {"Access": ["Agree:X"]})  # P03 is in export 2 too
    fill(trial / "P05.docx", back / "P05.docx", {"Access": ["Agree:X"]})  # P05 is not
    result = import_packets(Study(study), back)
    assert {a.participant for a in result.recorded} == {"P03", "P05"}
    described = f"export 1 ({export_day(study, 1)}, to {trial})"
    assert result.notes == (
        f"P03.docx: a packet of {described}, which export 2 replaced; counted as participant P03's answer to export 2",
        (
            f"P05.docx: a packet of {described}, which export 2 replaced; export 2 sent participant P05 no packet, "
            "so its answers are recorded but not counted in the response rate"
        ),
    )
    assert (result.sent, result.returned) == (4, 1)
    assert result.response_line().startswith("Response: 1 of 4 packets returned (25%) from export 2 (")


def test_a_packet_written_before_exports_were_numbered_is_read(study: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    export_packets(Study(study), out)
    document = docx.Document(str(out / "P01.docx"))
    for name in ("identifier", "keywords", "comments"):
        value = getattr(document.core_properties, name)
        setattr(document.core_properties, name, value.replace(" export=1", ""))
    for paragraph in document.sections[0].footer.paragraphs:
        for run in paragraph.runs:
            run.text = run.text.replace(" / export 1", "")
    document.save(str(tmp_path / "old.docx"))
    fill(tmp_path / "old.docx", tmp_path / "back" / "P01.docx", {"Access": ["Agree:X"]})
    result = import_packets(Study(study), tmp_path / "back")
    assert result.problems == () and (result.sent, result.returned) == (5, 1)


def test_a_blank_packet_is_not_counted_and_its_answers_come_later(study: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    export_packets(Study(study), out)
    (tmp_path / "back").mkdir()
    shutil.copy(out / "P03.docx", tmp_path / "back" / "P03.docx")  # sent back without a mark
    before = (study / "radar-tables.xlsx").read_bytes()
    result = import_packets(Study(study), tmp_path / "back")
    assert result.recorded == () and result.problems == ()
    assert result.skipped == (
        "P03.docx: nothing is filled in (no mark, comment or box); not counted as returned, "
        "import it again once it is filled in",
    )
    assert (result.sent, result.returned) == (5, 0)
    assert (study / "radar-tables.xlsx").read_bytes() == before
    fill(out / "P03.docx", tmp_path / "later" / "P03.docx", {"Privacy": ["Agree:X"]})
    later = import_packets(Study(study), tmp_path / "later")
    assert later.problems == () and [(a.theme, a.verdict) for a in later.recorded] == [
        ("Access", "no response"),
        ("Privacy", "agree"),
        ("Self-care", "no response"),
    ]
    assert (later.sent, later.returned) == (5, 1)


def test_a_group_id_holding_a_place_gives_one_readable_name(tmp_path: Path) -> None:
    root = tmp_path / "study"
    shutil.copytree(FIXTURE, root)
    for group in ("fg1", "fg2"):  # Springfield is one of radar.toml's places
        (root / "transcripts" / f"{group}.txt").rename(root / "transcripts" / f"{group}-springfield.txt")
    Study(root).reduce()
    with pytest.warns(RadarWarning, match="group 'fg1-springfield'"):
        result = export_packets(Study(root), tmp_path / "groups", by="group")
    assert [p.name for p in result.packets] == ["fg1.docx", "fg2.docx"]
    assert result.notes[0].startswith("codebook.yaml: 'Privacy' and 'Self-care' have no definition")
    assert result.notes[1:] == tuple(
        f"group '{g}-springfield': its ID holds a name, place or organisation that de-identification masks, "
        f"so packets call the group '{g}' ({g}.docx), as do the 'Member check' sheet's Packet cells and the "
        f"import; its Group cells keep '{g}-springfield'"
        for g in ("fg1", "fg2")
    )
    for packet in result.packets:
        assert not re.search(r"springfield|_place", footer(packet) + _all(packet), re.IGNORECASE), packet.name
    assert "Packet reference: fg1 / " in footer(tmp_path / "groups" / "fg1.docx")
    fill(tmp_path / "groups" / "fg1.docx", tmp_path / "back" / "fg1.docx", {"Access": ["Agree:X"]})
    outcome = import_packets(Study(root), tmp_path / "back")
    assert {(r[1], r[5]) for r in sheet_rows(root)[1:]} == {("fg1-springfield", "fg1.docx")}
    again = import_packets(Study(root), tmp_path / "back")
    assert again.skipped[0].startswith("fg1.docx: already imported (fg1.docx, ")
    assert (outcome.sent, outcome.returned) == (2, 1)


def _all(packet: Path) -> str:
    """Every paragraph and table cell of a packet, as one text."""
    document = docx.Document(str(packet))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return " ".join([*(p.text for p in document.paragraphs), *cells])
