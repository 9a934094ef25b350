"""No identifier in what leaves the team: file names, identifying attributes, small cells, packets (issue 15 items 4-6).

The study below is small on purpose: two focus groups of three, one participant from Vermont and one
from Maine, an email address and a phone number in speakers.csv, and a neighbour named in the text whom
nobody listed. Every expected figure is worked out by hand in the comments.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import docx
import numpy as np
import openpyxl
import pytest
from click.testing import CliRunner

from radar import columns as C
from radar.cli import main
from radar.study import Study
from radar.tally import small_cell_rule

CODEBOOK = """\
title: Privacy test codebook
themes:
  - name: Access
    definition: Getting online.
    codes:
      - name: Devices
        keywords: [laptop, tablet]
      - name: Data plans
        keywords: [hotspot]
  - name: Privacy
    definition: Keeping things private.
    codes:
      - name: Passwords
        keywords: [password]
  - name: Self-care
    definition: Looking after oneself.
    codes:
      - name: Burnout
        keywords: [exhausted]
"""

# Coded by keyword: Access = P01 P02 P03 (fg1), P04 P06 (fg2); Privacy = P01 (fg1), P05 (fg2);
# Self-care = P02 (fg1). Excerpts N = 5 + 2 + 1 = 8; participants N = 6; groups N = 2.
FG1 = """\
Moderator: What gets in the way of joining a group online?
Maria Lopez: My laptop is ancient, it freezes every call.
Sam Ortiz: I use a hotspot from my phone and it is slow.
Ana Berg: My tablet is fine most days.
Moderator: And keeping things private?
Maria Lopez: I never reuse a password.
Sam Ortiz: Honestly I am exhausted by the end of the day.
"""

FG2 = """\
Moderator: What gets in the way of joining a group online?
Tom Reyes: My laptop works fine.
Lee Chan: I lost my password twice.
Kim Novak: The tablet my neighbour Rosa Delgado lent me is great.
"""

# state: ME = P06 (1), NH = P02 P03 P04 P05 (4), VT = P01 (1). years: two values given.
# email holds addresses (its header); contact holds a phone number (its content).
SPEAKERS = (
    "speaker,participant_id,role,group,state,years,email,contact\n"
    "Moderator,F1,facilitator,,,,,\n"
    "Maria Lopez,P01,participant,fg1,VT,3,maria.lopez@example.org,\n"
    "Sam Ortiz,P02,participant,fg1,NH,,,\n"
    "Ana Berg,P03,participant,fg1,NH,5,,\n"
    "Tom Reyes,P04,participant,fg2,NH,,,call 802-555-0199 after six\n"
    "Lee Chan,P05,participant,fg2,NH,,,\n"
    "Kim Novak,P06,participant,fg2,ME,,,\n"
)

LETTER = """\
[member_check]
contact = "the study team, study@example.org"
deadline = "30 June 2026"
support = "the support line, 0800 123 456"
"""

LEAKS = ("maria.lopez@example.org", "802-555-0199")


def write_study(root: Path, *, transcripts: dict[str, str] | None = None, toml: str = LETTER) -> Path:
    (root / "transcripts").mkdir(parents=True)
    for name, text in (transcripts or {"fg1.txt": FG1, "fg2.txt": FG2}).items():
        (root / "transcripts" / name).write_text(text, encoding="utf-8")
    (root / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    (root / "speakers.csv").write_text(SPEAKERS, encoding="utf-8")
    (root / "radar.toml").write_text(toml, encoding="utf-8")
    return root


@pytest.fixture
def reduced(tmp_path: Path) -> Path:
    root = write_study(tmp_path / "study")
    Study(root).reduce()
    return root


def invoke(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def ok(*args: object) -> str:
    code, out, err = invoke(*args)
    assert code == 0, err
    return out


def csv_rows(*args: object) -> list[list[str]]:
    return list(csv.reader(io.StringIO(ok(*args, "--format", "csv"))))


def one_error(*args: object) -> str:
    code, out, err = invoke(*args)
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 1, (out, err)
    assert len(lines) == 1 and lines[0].startswith("Error: "), err
    assert "Traceback" not in out + err
    return lines[0]


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# ------------------------------------------------------------------ small cells


def test_breakdown_by_participants_hides_one_and_two(reduced: Path) -> None:
    # Access: ME P06 1/1, NH P02 P03 P04 3/4, VT P01 1/1, All 5/6 (83.3%);
    # Privacy: ME 0/1, NH P05 1/4, VT P01 1/1, All 2/6; Self-care: ME 0/1, NH P02 1/4, VT 0/1, All 1/6.
    assert csv_rows("tally", reduced, "--by-attribute", "state", "--unit", "participants") == [
        ["Theme", "ME", "NH", "VT", "All"],
        ["Access", "<3/<3", "3/4, 75%", "<3/<3", "5/6, 83%"],
        ["Privacy", "0/<3", "<3/4", "<3/<3", "<3/6"],
        ["Self-care", "0/<3", "<3/4", "0/<3", "<3/6"],
    ]


def test_breakdown_by_excerpts_hides_small_counts_too(reduced: Path) -> None:
    # Excerpts: ME = P06 Access (1); NH = P02 Access, P02 Self-care, P03 Access, P04 Access, P05 Privacy (5);
    # VT = P01 Access, P01 Privacy (2). All: Access 5/8 (62.5% -> 63%), Privacy 2/8, Self-care 1/8.
    assert csv_rows("tally", reduced, "--by-attribute", "state") == [
        ["Theme", "ME", "NH", "VT", "All"],
        ["Access", "<3/<3", "3/5, 60%", "<3/<3", "5/8, 63%"],
        ["Privacy", "0/<3", "<3/5", "<3/<3", "<3/8"],
        ["Self-care", "0/<3", "<3/5", "0/<3", "<3/8"],
    ]


def test_min_cell_one_shows_every_count(reduced: Path) -> None:
    (reduced / "radar.toml").write_text(LETTER + "[deidentify]\nmin_cell = 1\n", encoding="utf-8")
    ok("reduce", reduced)  # a setting radar knows
    rows = csv_rows("tally", reduced, "--by-attribute", "state", "--unit", "participants")
    assert rows[2] == ["Privacy", "0/1, 0%", "1/4, 25%", "1/1, 100%", "2/6, 33%"]


def test_a_bad_min_cell_is_one_error(reduced: Path) -> None:
    (reduced / "radar.toml").write_text("[deidentify]\nmin_cell = 0\n", encoding="utf-8")
    line = one_error("tally", reduced, "--by-attribute", "state")
    assert "[deidentify] min_cell: found 0" in line and "min_cell = 3" in line


def test_the_theme_table_hides_small_participant_and_group_counts(reduced: Path) -> None:
    # Participants: Access 5/6, Privacy 2/6, Self-care 1/6; groups: 2/2, 2/2, 1/2 (fg1 only).
    # Excerpts are not people: 5/8, 2/8 and 1/8 stay. 2/2 groups is all of them: it singles no one out.
    rows = csv_rows("tally", reduced, "--combined")
    got = {r[0]: (r[3], r[4], r[5]) for r in rows[1:]}
    assert got == {
        "Access": ("5/8, 63%", "5/6", "2/2"),
        "Privacy": ("2/8, 25%", "<3/6", "2/2"),
        "Self-care": ("1/8, 13%", "<3/6", "<3/2"),
    }
    sheet = openpyxl.load_workbook(reduced / "radar-tables.xlsx", read_only=True)[C.SHEET_THEMES]
    cells = {str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None}
    assert {"<3/6", "<3/2"} <= cells and not {"1/6", "2/6", "1/2"} & cells


def test_characteristics_hide_small_counts_and_identifiers(reduced: Path) -> None:
    # state: ME 1, NH 4 (66.7% -> 67%), VT 1; years: two values given, four not (67%).
    assert csv_rows("characteristics", reduced) == [
        ["Characteristic", "Value", "Participants (N = 6)"],
        ["state, n (%)", "ME", "<3"],
        ["", "NH", "4 (67%)"],
        ["", "VT", "<3"],
        ["years", "Mean (SD)", "not shown (fewer than 3 values)"],
        ["", "(not given)", "4 (67%)"],
    ]


def test_the_report_states_the_rule_and_shows_no_small_count(reduced: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    ok("report", reduced, "--format", "md", "--out", out)
    text = out.read_text(encoding="utf-8").replace("&lt;", "<")  # Markdown escapes "<" as &lt;
    assert small_cell_rule(3) in text
    assert "| 1/8, 13% | <3/6 | <3/2 |" in text
    for leak in (*LEAKS, "1/6", "2/6"):
        assert leak not in text
    word = tmp_path / "report.docx"
    ok("report", reduced, "--out", word)
    paragraphs = "\n".join(p.text for p in docx.Document(str(word)).paragraphs)
    assert small_cell_rule(3) in paragraphs


def test_theme_bars_by_participants_draw_no_small_bar(reduced: Path) -> None:
    figure = Study(reduced).chart("themes", unit="participants")
    ax = figure.axes[0]
    assert [int(bar.get_width()) for bar in ax.patches] == [5, 0, 0]
    assert [t.get_text() for t in ax.texts] == ["5/6, 83%", "<3/6", "<3/6"]


def test_heatmap_by_participants_blanks_small_cells(reduced: Path) -> None:
    # fg1 = P01 P02 P03, fg2 = P04 P05 P06. Access 3/3, 2/3; Privacy 1/3, 1/3; Self-care 1/3, 0/3.
    figure = Study(reduced).chart("heatmap", unit="participants")
    ax = figure.axes[0]
    assert [t.get_text() for t in ax.texts] == ["3/3", "<3/3", "<3/3", "<3/3", "<3/3", "0/3"]
    image = ax.images[0].get_array()
    assert np.ma.getmaskarray(image).tolist() == [[False, True], [True, True], [True, False]]
    assert image[0, 0] == pytest.approx(100.0) and image[2, 1] == pytest.approx(0.0)


# ------------------------------------------------------------------ identifying attributes


@pytest.mark.parametrize(
    ("attribute", "why"),
    [("email", "email addresses (its header)"), ("contact", "phone numbers (participant P04's value)")],
)
def test_by_attribute_refuses_an_identifying_column(reduced: Path, attribute: str, why: str) -> None:
    line = one_error("tally", reduced, "--by-attribute", attribute)
    assert f"speakers.csv, column {attribute!r}: it holds {why}" in line
    assert "break down by a characteristic instead (group, state, years)" in line


def test_no_table_or_export_shows_an_identifying_column(reduced: Path, tmp_path: Path) -> None:
    shown = [
        ok("characteristics", reduced, "--format", "csv"),
        ok("tally", reduced, "--combined", "--format", "csv"),
        ok("tally", reduced, "--by-attribute", "state", "--format", "md"),
    ]
    out = tmp_path / "study.qdpx"
    ok("export", "qdpx", reduced, out)
    with zipfile.ZipFile(out) as archive:
        shown += [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()]
    text = "\n".join(shown)
    for leak in (*LEAKS, 'name="email"', 'name="contact"'):
        assert leak not in text
    assert 'name="state"' in text  # the characteristics that identify no one are still exported


# ------------------------------------------------------------------ names in file names


INTERVIEW = """\
Moderator: What gets in the way of joining a group online?
Maria Lopez: My laptop is ancient, it freezes every call.
"""


@pytest.mark.parametrize("listed", [True, False], ids=["speakers.csv", "speaker label only"])
def test_a_file_named_after_a_participant_is_refused_before_anything_is_written(
    tmp_path: Path, listed: bool
) -> None:
    root = write_study(
        tmp_path / "study", transcripts={"interview-maria-lopez.txt": INTERVIEW, "fg2.txt": FG2}
    )
    if not listed:
        (root / "speakers.csv").unlink()
    before = snapshot(root)
    line = one_error("reduce", root)
    assert "interview-maria-lopez.txt holds 'Maria Lopez' (a listed name)" in line
    assert "rename the file to a neutral ID" in line
    assert snapshot(root) == before


def test_a_file_named_after_a_name_the_review_list_suspects_is_refused(tmp_path: Path) -> None:
    # "Rosa" is nobody's listed name, but the review list suspects it where she introduces herself.
    rosa = "Moderator: Please introduce yourself.\nP1: I'm Rosa, and my laptop is ancient.\n"
    root = write_study(tmp_path / "study", transcripts={"interview-rosa.txt": rosa, "fg2.txt": FG2})
    (root / "speakers.csv").unlink()
    before = snapshot(root)
    line = one_error("reduce", root)
    assert "interview-rosa.txt holds 'Rosa' (a word the review list suspects is a name)" in line
    assert snapshot(root) == before
    (root / "transcripts" / "interview-rosa.txt").rename(root / "transcripts" / "interview-07.txt")
    ok("reduce", root)  # the neutral name goes through


# ------------------------------------------------------------------ member-check packets


def packet_text(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def rosa_segment(root: Path) -> str:
    sheet = Study(root).tables().phase1
    return str(sheet.loc[sheet[C.TEXT].str.contains("Rosa Delgado"), C.SEGMENT_ID].iloc[0])


def test_a_packet_with_an_unreviewed_suspected_name_is_not_written(reduced: Path, tmp_path: Path) -> None:
    out = tmp_path / "packets"
    before = snapshot(reduced)
    line = one_error("member-check", "export", reduced, "--out", out, "--content", "transcript")
    assert f"'Rosa Delgado' (Segment ID {rosa_segment(reduced)}) in P06.docx" in line
    assert "--accept-review" in line and "nothing was written" in line
    assert "P01.docx" not in line  # only Kim's own packet holds her turn
    assert not out.exists()
    assert snapshot(reduced) == before
    # reviewed: listed under [deidentify] names, the name is masked and the packets go
    (reduced / "radar.toml").write_text(LETTER + '[deidentify]\nnames = ["Rosa Delgado"]\n', encoding="utf-8")
    ok("member-check", "export", reduced, "--out", out)
    texts = {p.name: packet_text(p) for p in sorted(out.glob("*.docx"))}
    assert sorted(texts) == [f"P0{i}.docx" for i in range(1, 7)]
    for text in texts.values():
        assert "Rosa" not in text and "Delgado" not in text
        for leak in LEAKS:
            assert leak not in text


def test_accept_review_writes_the_packets_and_says_what_was_accepted(reduced: Path, tmp_path: Path) -> None:
    out = tmp_path / "packets"
    code, _, err = invoke(
        "member-check", "export", reduced, "--out", out, "--content", "transcript", "--accept-review"
    )
    assert code == 0, err
    assert "written with --accept-review: 'Rosa Delgado'" in err
    assert "Rosa Delgado" in packet_text(out / "P06.docx")
    assert "--accept-review" in (reduced / ".radar" / "audit.jsonl").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("header", "what"),
    [
        ("E-mail", "email addresses"),
        ("Phone number", "phone numbers"),
        ("home_address", "addresses"),
        ("Date of birth", "dates of birth"),
        ("Last name", "names"),
        ("nicknames", "names"),
        ("state", ""),
        ("country of birth", ""),
        ("years in post", ""),
    ],
)
def test_identifying_headers(header: str, what: str) -> None:
    from radar.identifiers import identifying_header

    assert identifying_header(header) == what


def test_characteristics_of_identifiers_only_is_one_error(tmp_path: Path) -> None:
    root = write_study(tmp_path / "study")
    rows = [[*line.split(",")[:4], line.split(",")[6]] for line in SPEAKERS.splitlines()]
    (root / "speakers.csv").write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    ok("reduce", root)
    line = one_error("characteristics", root)
    assert "speakers.csv: its columns after speaker,participant_id,role (email) all identify a person" in line
