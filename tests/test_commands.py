"""Every command that test_cli.py leaves out, through click's CliRunner, on the small study of conftest.py.

Each command gets its happy path, with output lines and counts worked out by hand from FG1, FG2 and
the codebook, and the files it says it wrote read back; and a bad input that must give exit status
1 and one ``Error:`` line. Bad *path* arguments that click turns into a usage error (exit 2, three
lines) are written as they should behave and marked xfail until issue 13 item 9 is fixed.

The small study, reduced: 11 turns; the 3 moderator turns and fg1's "[crosstalk]" are dropped, so
7 are kept (fg1-002, -003, -006, -007, -008, fg2-002, -003); fg1-008 ("Nothing to add really.")
matches no keyword, so 6 are coded with 7 codes: fg1-002 Devices, fg1-003 Data plans, fg1-006
Passwords, fg1-007 Burnout, fg2-002 Devices and Burnout, fg2-003 Passwords.
"""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import openpyxl
import pytest
from cli_helpers import assert_one_error, ok, run
from workbook_helpers import rows_of, set_codes, set_keep

from radar import __version__
from radar import columns as C
from radar.codebook import load_codebook

QDA = "{urn:QDA-XML:project:1.0}"
QDC = "{urn:QDA-XML:codebook:1.0}"

MEMBER_CHECK_TOML = """\
[deidentify]
ner = false

[member_check]
contact = "the study team, study@example.org"
deadline = "30 June 2026"
support = "the support line, 0800 123 456"
"""

# The segments as reduce writes them, by Segment ID (the text of 1 All data).
SEGMENTS = {
    "fg1-002": "My laptop is ancient, it freezes every call.",
    "fg1-003": "I use a hotspot from my phone and the data plan runs out. It runs out in a week.",
    "fg1-006": "I never reuse a password.",
    "fg1-007": "Honestly I am exhausted by the end of the day.",
    "fg2-002": "My tablet works fine, but burnout is real.",
    "fg2-003": "I lost my password twice.",
}
CODED = [
    ("fg1-002", "Devices"),
    ("fg1-003", "Data plans"),
    ("fg1-006", "Passwords"),
    ("fg1-007", "Burnout"),
    ("fg2-002", "Devices"),
    ("fg2-002", "Burnout"),
    ("fg2-003", "Passwords"),
]


# ------------------------------------------------------------------------ helpers


def cells(line: str) -> list[str]:
    """The cells of one row of a plain-text table (columns are two or more spaces apart)."""
    return re.split(r"\s{2,}", line.strip())


def fill(packet: Path, target: Path, marks: dict[str, str], comments: dict[str, str] | None = None) -> None:
    """Put an X in one box per theme of a packet's feedback table, as a participant does in Word."""
    document = docx.Document(str(packet))
    table = document.tables[0]
    columns = [cell.text for cell in table.rows[0].cells]
    for row in table.rows[1:]:
        theme = row.cells[0].text
        if theme in marks:
            row.cells[columns.index(marks[theme])].text = "X"
        if comments and theme in comments:
            row.cells[columns.index("Comments")].text = comments[theme]
    target.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(target))


def export_day(study: Path, number: int = 1) -> str:
    """The date of a member-check export, as the study's record of what was sent has it."""
    import json

    record = json.loads((study / ".radar" / "member-check" / "sent.json").read_text(encoding="utf-8"))
    return str(next(r for r in record["rounds"] if r["export"] == number)["time"])[:10]


def files_under(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# ------------------------------------------------------------------------ fixtures


@pytest.fixture
def reduced(study_dir: Path) -> Path:
    ok(run("reduce", study_dir, "--quiet"))
    return study_dir


@pytest.fixture
def copies(reduced: Path, tmp_path: Path) -> tuple[Path, Path]:
    """Two coders' copies: alice keeps radar's suggestions; bob adds Devices to fg1-003 and drops fg1-008."""
    alice, bob = tmp_path / "alice.xlsx", tmp_path / "bob.xlsx"
    shutil.copy(reduced / "radar-tables.xlsx", alice)
    shutil.copy(reduced / "radar-tables.xlsx", bob)
    set_codes(bob, {"fg1-003": ["Data plans", "Devices"]})
    set_keep(bob, "fg1-008", "no", "off topic")
    return alice, bob


@pytest.fixture
def member_study(study_dir: Path) -> Path:
    """The small study with a cover letter for packets (and spaCy NER off, so the output is fixed); reduced."""
    (study_dir / "radar.toml").write_text(MEMBER_CHECK_TOML, encoding="utf-8")
    ok(run("reduce", study_dir, "--quiet"))
    return study_dir


# ------------------------------------------------------------------------ radar agreement

# Kept by both coders: fg1-002, -003, -006, -007, fg2-002, -003 (n = 6); bob dropped fg1-008.
# Devices: alice 1 0 0 0 1 0, bob 1 1 0 0 1 0. po = 5/6; pe = 2/6 x 3/6 + 4/6 x 3/6 = 1/2;
#   kappa = (5/6 - 1/2) / (1/2) = 2/3 = 0.667; agreement 5/6 = 83.3%. The other codes agree: 1.000.
# Codes overall: 6 segments x 4 codes = 24 units, 1 disagreement: 23/24 = 95.8%.
#   Present: alice 7, bob 8. pe = (7 x 8 + 17 x 16) / 576 = 328/576; po = 552/576;
#   kappa = (552 - 328) / (576 - 328) = 224/248 = 0.903.
#   Alpha: o_pp = 14, o_aa = 32, o_pa = o_ap = 1; n_p = 15, n_a = 33, n = 48;
#   alpha = 1 - 47 x 2 / (2 x 15 x 33) = 1 - 94/990 = 0.905.
# Keep over all 11 segments: alice 7 yes, bob 6 yes, 1 disagreement: 10/11 = 90.9%.
#   pe = (7 x 6 + 4 x 5) / 121 = 62/121; kappa = (110 - 62) / (121 - 62) = 48/59 = 0.814.
#   Alpha: o_yy = 12, o_nn = 8, o_yn = o_ny = 1; n_y = 13, n_n = 9, n = 22;
#   alpha = 1 - 21 x 2 / (2 x 13 x 9) = 1 - 42/234 = 0.821.


def test_agreement_prints_kappa_alpha_and_percent_worked_by_hand(copies: tuple[Path, Path]) -> None:
    lines = ok(run("agreement", *copies))
    assert lines[:3] == [
        "Agreement between 2 coders: alice, bob",
        "Keep: 11 segment(s) in every copy.",
        "Codes: the 6 kept in every copy (5 dropped by at least one coder are compared on Keep only); "
        "kappa is Cohen's kappa on each code's presence.",
    ]
    rows = [cells(line) for line in lines[3:] if line.strip() and not set(line) <= {"-", " "}]
    assert rows == [
        ["code", "theme", "kappa", "percent_agreement", "n"],
        ["Devices", "Access", "0.667", "83.3", "6"],
        ["Data plans", "Access", "1.000", "100.0", "6"],
        ["Passwords", "Privacy", "1.000", "100.0", "6"],
        ["Burnout", "Self-care", "1.000", "100.0", "6"],
        ["measure", "value", "n"],
        ["Codes: Krippendorff's alpha", "0.905", "24"],
        ["Codes: Cohen's kappa", "0.903", "24"],
        ["Codes: percent agreement", "95.8", "24"],
        ["Keep: Krippendorff's alpha", "0.821", "11"],
        ["Keep: Cohen's kappa", "0.814", "11"],
        ["Keep: percent agreement", "90.9", "11"],
    ]


def test_agreement_csv_is_the_per_code_table(copies: tuple[Path, Path]) -> None:
    assert ok(run("agreement", *copies, "--format", "csv")) == [
        "code,theme,kappa,percent_agreement,n",
        "Devices,Access,0.667,83.3,6",
        "Data plans,Access,1.000,100.0,6",
        "Passwords,Privacy,1.000,100.0,6",
        "Burnout,Self-care,1.000,100.0,6",
    ]


def test_agreement_refuses_a_copy_that_is_not_a_workbook(copies: tuple[Path, Path], tmp_path: Path) -> None:
    notes = tmp_path / "notes.xlsx"
    notes.write_text("not a workbook", encoding="utf-8")
    assert_one_error(run("agreement", copies[0], notes), "notes.xlsx", "cannot be read as an Excel workbook")


def test_agreement_refuses_a_single_copy(copies: tuple[Path, Path]) -> None:
    assert_one_error(run("agreement", copies[0]), "at least 2 coders' copies", "got 1")


# ------------------------------------------------------------------------ radar reconcile


def test_reconcile_lays_out_the_two_disagreements(copies: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "meeting.xlsx"
    assert ok(run("reconcile", *copies, "--out", out)) == [
        f"2 of 11 segment(s) to decide in sheet 'Reconcile' of {out} "
        "(1 on Keep, 1 on codes; alice is A, bob is B)",
        f"wrote {out}",
    ]
    rows = rows_of(out, "Reconcile")
    header = list(rows[0])
    assert header == [
        "Segment ID", "Group", "Participant", "Text",
        "Keep A (alice)", "Reason A (alice)", "Codes A (alice)",
        "Keep B (bob)", "Reason B (bob)", "Codes B (bob)",
        "Agreed codes", "Decision", "Decided by", "Note", "Applied",
    ]  # fmt: skip
    picked = ["Segment ID", "Keep A (alice)", "Codes A (alice)", "Keep B (bob)", "Reason B (bob)",
              "Codes B (bob)", "Agreed codes", "Decision"]  # fmt: skip
    assert [tuple(row[header.index(name)] for name in picked) for row in rows[1:]] == [
        ("fg1-003", "yes", "Data plans", "yes", None, "Data plans; Devices", "Data plans", None),
        ("fg1-008", "yes", None, "no", "off topic", None, None, None),
    ]
    # the rest of A's tables come along, so the file can become the study's radar-tables.xlsx
    assert openpyxl.load_workbook(out).sheetnames[:3] == [C.SHEET_PHASE1, C.SHEET_PHASE2, C.SHEET_PHASE3]


def test_reconcile_refuses_to_overwrite_without_force(copies: tuple[Path, Path], tmp_path: Path) -> None:
    out = tmp_path / "meeting.xlsx"
    out.write_bytes(b"the team's notes")
    assert_one_error(run("reconcile", *copies, "-o", out), "meeting.xlsx", "already exists", "--force")
    assert out.read_bytes() == b"the team's notes"


# ------------------------------------------------------------------------ radar deidentify


@pytest.fixture
def named_study(make_study: Callable[..., Path], tmp_path: Path) -> Path:
    """The small study where P2 of fg2 names a place (listed in radar.toml) and a person (not listed)."""
    root = make_study(tmp_path / "named")
    fg2 = root / "transcripts" / "fg2.txt"
    fg2.write_text(
        fg2.read_text(encoding="utf-8").replace("twice.", "twice at the Springfield library, Maria said."),
        encoding="utf-8",
    )
    (root / "radar.toml").write_text(
        '[deidentify]\nplaces = ["Springfield"]\nner = false\n', encoding="utf-8"
    )
    return root


def test_deidentify_lists_the_active_safeguards(named_study: Path) -> None:
    assert ok(run("deidentify", named_study)) == [
        "- speaker names: none known yet (the speaker key (.radar/speaker-key.csv) is empty)",
        "- radar.toml terms (1)",
        "- spaCy NER: switched off in radar.toml ([deidentify] ner = false)",
    ]


def test_deidentify_check_lists_what_is_masked_and_writes_nothing(named_study: Path) -> None:
    before = files_under(named_study)
    lines = ok(run("deidentify", named_study, "--check"))
    assert cells(lines[0]) == ["where", "speaker", "kind", "found", "replacement", "context"]
    # fg2's third turn (P2, participant P05): Springfield is a radar.toml place, Maria only looks like a name
    assert cells(lines[2])[:5] == [
        "fg2, turn 3",
        "P05",
        "masked (radar.toml places)",
        "Springfield",
        "[place]",
    ]
    assert [cells(line)[:4] for line in lines[2:] if line.startswith("fg")][1] == [
        "fg2, turn 3", "P05", "suspected name or place", "Maria",
    ]  # fmt: skip
    assert lines[-4:] == [
        "1 occurrence(s) masked; 1 suspected name(s) left for review.",
        "- speaker names from the speaker key (.radar/speaker-key.csv): "
        "none of the 7 labels look like names (P1, Moderator...)",
        "- radar.toml terms (1)",
        "- spaCy NER: switched off in radar.toml ([deidentify] ner = false)",
    ]
    assert files_under(named_study) == before


def test_deidentify_check_csv(named_study: Path) -> None:
    assert ok(run("deidentify", named_study, "--check", "--format", "csv")) == [
        "where,speaker,kind,found,replacement,context",
        '"fg2, turn 3",P05,masked (radar.toml places),Springfield,[place],'
        '"\u2026lost my password twice at the Springfield library, Maria said."',
        '"fg2, turn 3",P05,suspected name or place,Maria,,"\u2026twice at the [place] library, Maria said."',
    ]


def test_deidentify_names_a_bad_setting(study_dir: Path) -> None:
    (study_dir / "radar.toml").write_text('[deidentify]\nplaces = "Springfield"\n', encoding="utf-8")
    assert_one_error(
        run("deidentify", study_dir), "radar.toml, [deidentify] places", 'such as places = ["Springfield"]'
    )


# ------------------------------------------------------------------------ radar codebook convert


def test_codebook_convert_to_qdc_and_back(study_dir: Path, tmp_path: Path) -> None:
    qdc = tmp_path / "codebook.qdc"
    assert ok(run("codebook", "convert", study_dir / "codebook.yaml", qdc)) == [f"wrote {qdc}"]
    root = ET.parse(qdc).getroot()
    assert root.tag == f"{QDC}CodeBook"
    tree = [
        (theme.get("name"), theme.get("isCodable"), [c.get("name") for c in theme.findall(f"{QDC}Code")])
        for theme in root.find(f"{QDC}Codes").findall(f"{QDC}Code")  # type: ignore[union-attr]
    ]
    assert tree == [
        ("Access", "false", ["Devices", "Data plans"]),
        ("Privacy", "false", ["Passwords"]),
        ("Self-care", "false", ["Burnout"]),
    ]
    back = tmp_path / "back.yaml"
    ok(run("codebook", "convert", qdc, back))
    assert load_codebook(back) == load_codebook(study_dir / "codebook.yaml")


def test_codebook_convert_to_xlsx_warns_that_the_title_is_left_out(study_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "codebook.xlsx"
    result = run("codebook", "convert", study_dir / "codebook.yaml", out)
    assert ok(result) == [f"wrote {out}"]
    assert result.stderr.startswith(
        "Warning: codebook.xlsx: a spreadsheet codebook has no place for the title"
    )
    rows = [row[:3] + row[6:7] for row in rows_of(out, openpyxl.load_workbook(out).sheetnames[0])]
    assert rows == [
        ("Theme", "Code", "Definition", "Keywords"),
        ("Access", None, "Getting online.", None),
        ("Access", "Devices", "Phones, tablets, laptops.", "laptop; tablet"),
        ("Access", "Data plans", None, "data plan; hotspot"),
        ("Privacy", "Passwords", None, "password"),
        ("Self-care", "Burnout", None, "burnout; exhausted"),
    ]
    assert [code.name for code in load_codebook(out).codes] == [
        "Devices",
        "Data plans",
        "Passwords",
        "Burnout",
    ]


def test_codebook_convert_refuses_an_unknown_suffix_and_writes_nothing(
    study_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "codebook.docx"
    assert_one_error(
        run("codebook", "convert", study_dir / "codebook.yaml", out), "codebook.docx", ".yaml, .yml, .xlsx"
    )
    assert not out.exists()


def test_codebook_convert_refuses_to_overwrite_without_force(study_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "codebook.qdc"
    out.write_text("mine", encoding="utf-8")
    assert_one_error(run("codebook", "convert", study_dir / "codebook.yaml", out), "codebook.qdc", "--force")
    assert out.read_text(encoding="utf-8") == "mine"


# ------------------------------------------------------------------------ radar codebook check / rename


def test_codebook_check_names_the_line_of_broken_yaml(tmp_path: Path) -> None:
    path = tmp_path / "codebook.yaml"
    path.write_text("themes: [Access\n", encoding="utf-8")
    assert_one_error(run("codebook", "check", path), "codebook.yaml", "not valid YAML at line 2")


def test_codebook_rename_of_an_unknown_code_changes_nothing(reduced: Path) -> None:
    before = files_under(reduced)
    assert_one_error(run("codebook", "rename", reduced, "Pasword", "Password hygiene"), "no code 'Pasword'")
    assert files_under(reduced) == before


def test_codebook_rename_with_an_unreadable_workbook_is_one_error(reduced: Path) -> None:
    (reduced / "radar-tables.xlsx").write_bytes(b"not a workbook")
    assert_one_error(run("codebook", "rename", reduced, "Passwords", "Password hygiene"), "radar-tables.xlsx")
    assert "Passwords" in (reduced / "codebook.yaml").read_text(encoding="utf-8")


# ------------------------------------------------------------------------ radar diff / report


def test_diff_of_an_unknown_run(reduced: Path) -> None:
    assert_one_error(run("diff", reduced, "7"), "no run 7", "radar history")


def test_report_of_an_unknown_format(reduced: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    assert_one_error(run("report", reduced, "--out", out), "'pdf'", "docx or md")
    assert not out.exists()


# ------------------------------------------------------------------------ radar member-check export


def test_member_check_export_writes_one_packet_per_participant(member_study: Path, tmp_path: Path) -> None:
    out = tmp_path / "packets"
    result = run("member-check", "export", member_study, "--out", out)
    # the codebook defines Access only: the researcher is told before the packets go out
    assert result.stderr.splitlines() == [
        "Warning: codebook.yaml: 'Privacy' and 'Self-care' have no definition, so the packets show no "
        'plain-language summary of them (at most "This theme is about" and the codes\' names); write a '
        "definition a participant understands, then export again"
    ]
    assert ok(result) == [
        f"wrote 5 packet(s) to {out} as export 1",
        "- speaker names from the speaker key (.radar/speaker-key.csv): "
        "none of the 7 labels look like names (P1, Moderator...)",
        "- radar.toml terms: none (list places, organisations and names under [deidentify])",
        "- spaCy NER: switched off in radar.toml ([deidentify] ner = false)",
    ]
    # fg1's P1, P2, P3 and fg2's P1, P2 are P01 to P05; P03 gets a packet though nothing of theirs was coded
    assert sorted(p.name for p in out.iterdir()) == [
        "P01.docx",
        "P02.docx",
        "P03.docx",
        "P04.docx",
        "P05.docx",
    ]
    packet = docx.Document(str(out / "P01.docx"))
    assert [[cell.text for cell in row.cells] for row in packet.tables[0].rows] == [
        ["Theme", "Agree", "Partly", "Disagree", "Comments"],
        ["Access", "", "", "", ""],
        ["Privacy", "", "", "", ""],
        ["Self-care", "", "", "", ""],
    ]
    said = [p.text for p in packet.paragraphs if p.style is not None and p.style.name == "List Bullet"]
    assert said == [SEGMENTS["fg1-002"], SEGMENTS["fg1-006"]]  # P01's own kept turns, nobody else's
    p03 = docx.Document(str(out / "P03.docx"))
    assert [p.text for p in p03.paragraphs if p.style is not None and p.style.name == "List Bullet"] == [
        "Nothing to add really."  # [crosstalk] was dropped
    ]


def test_member_check_export_by_group(member_study: Path, tmp_path: Path) -> None:
    out = tmp_path / "groups"
    lines = ok(run("member-check", "export", member_study, "--out", out, "--by", "group"))
    assert lines[0] == f"wrote 2 packet(s) to {out} as export 1"
    assert sorted(p.name for p in out.iterdir()) == ["fg1.docx", "fg2.docx"]


def test_member_check_export_refuses_to_replace_packets_without_force(
    member_study: Path, tmp_path: Path
) -> None:
    out = tmp_path / "packets"
    ok(run("member-check", "export", member_study, "--out", out))
    before = files_under(out)
    assert_one_error(
        run("member-check", "export", member_study, "--out", out), "already holds packets", "--force"
    )
    assert files_under(out) == before


def test_member_check_export_needs_the_cover_letter(reduced: Path, tmp_path: Path) -> None:
    assert_one_error(
        run("member-check", "export", reduced, "--out", tmp_path / "packets"),
        "radar.toml",
        "missing: contact, deadline, support",
    )
    assert not (tmp_path / "packets").exists()


# ------------------------------------------------------------------------ radar member-check import


def test_member_check_import_counts_two_returned_packets(member_study: Path, tmp_path: Path) -> None:
    sent, back = tmp_path / "packets", tmp_path / "back"
    ok(run("member-check", "export", member_study, "--out", sent))
    fill(
        sent / "P01.docx",
        back / "P01.docx",
        {"Access": "Agree", "Privacy": "Partly"},
        {"Privacy": "Only at work"},
    )
    fill(sent / "P02.docx", back / "P02.docx", {"Access": "Disagree"})
    lines = ok(run("member-check", "import", member_study, back))
    # Access: P01 agree, P02 disagree. Privacy: P01 partly, P02 blank. Self-care: both blank.
    assert [cells(line) for line in lines[:1] + lines[2:5]] == [
        ["theme", "agree", "partly", "disagree", "no_response", "comments"],
        ["Access", "1", "0", "1", "0"],
        ["Privacy", "0", "1", "0", "1", "Only at work"],
        ["Self-care", "0", "0", "0", "2"],
    ]
    assert lines[5:] == [
        f"Response: 2 of 5 packets returned (40%) from export 1 ({export_day(member_study)}, to {sent})."
    ]
    rows = rows_of(member_study / "radar-tables.xlsx", "Member check")
    assert rows[0][:6] == ("Participant", "Group", "Theme", "Verdict", "Comment", "Packet")
    assert [row[:6] for row in rows[1:]] == [
        ("P01", "fg1", "Access", "agree", None, "P01.docx"),
        ("P01", "fg1", "Privacy", "partly", "Only at work", "P01.docx"),
        ("P01", "fg1", "Self-care", "no response", None, "P01.docx"),
        ("P02", "fg1", "Access", "disagree", None, "P02.docx"),
        ("P02", "fg1", "Privacy", "no response", None, "P02.docx"),
        ("P02", "fg1", "Self-care", "no response", None, "P02.docx"),
    ]


def test_member_check_import_csv(member_study: Path, tmp_path: Path) -> None:
    sent, back = tmp_path / "packets", tmp_path / "back"
    ok(run("member-check", "export", member_study, "--out", sent))
    fill(sent / "P04.docx", back / "P04.docx", {"Access": "Agree", "Privacy": "Agree", "Self-care": "Partly"})
    assert ok(run("member-check", "import", member_study, back, "--format", "csv")) == [
        "theme,agree,partly,disagree,no_response,comments",
        "Access,1,0,0,0,",
        "Privacy,1,0,0,0,",
        "Self-care,0,1,0,0,",
        f"Response: 1 of 5 packets returned (20%) from export 1 ({export_day(member_study)}, to {sent}).",
    ]


def test_member_check_import_of_an_empty_folder(member_study: Path, tmp_path: Path) -> None:
    ok(run("member-check", "export", member_study, "--out", tmp_path / "packets"))
    (tmp_path / "back").mkdir()
    assert_one_error(run("member-check", "import", member_study, tmp_path / "back"), "back", "holds no files")


# ------------------------------------------------------------------------ radar export qdpx


def test_export_qdpx_writes_the_sources_codes_and_codings(reduced: Path, tmp_path: Path) -> None:
    out = tmp_path / "study.qdpx"
    assert ok(run("export", "qdpx", reduced, out)) == [f"wrote {out}"]
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        project = ET.fromstring(archive.read("project.qde"))
        texts = {n: archive.read(n).decode("utf-8") for n in names if n.startswith("sources/")}
    assert names[0] == "project.qde" and len(texts) == 2
    codes = {
        code.get("guid"): code.get("name", "")
        for code in project.iter(f"{QDA}Code")
        if code.get("isCodable") == "true"
    }
    assert sorted(codes.values()) == ["Burnout", "Data plans", "Devices", "Passwords"]
    sources = project.findall(f"{QDA}Sources/{QDA}TextSource")
    assert [s.get("name") for s in sources] == ["fg1", "fg2"]
    coded, selected = [], {}
    for source in sources:
        text = texts["sources/" + source.get("plainTextPath", "").removeprefix("internal://")]
        for selection in source.findall(f"{QDA}PlainTextSelection"):
            start, end = int(selection.get("startPosition", "")), int(selection.get("endPosition", ""))
            selected[selection.get("name")] = text[start:end]
            coded += [
                (selection.get("name"), codes[ref.get("targetGUID")])
                for ref in selection.iter(f"{QDA}CodeRef")
            ]
    assert coded == CODED
    assert selected == SEGMENTS  # each selection's positions point at its segment's text


def test_export_qdpx_before_reduce(study_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "study.qdpx"
    assert_one_error(run("export", "qdpx", study_dir, out), "radar-tables.xlsx", "radar reduce")
    assert not out.exists()


def test_export_qdpx_refuses_to_overwrite_without_force(reduced: Path, tmp_path: Path) -> None:
    out = tmp_path / "study.qdpx"
    out.write_bytes(b"an older project")
    assert_one_error(run("export", "qdpx", reduced, out), "study.qdpx", "already exists", "--force")
    assert out.read_bytes() == b"an older project"


# ------------------------------------------------------------------------ radar import qdpx


def test_import_qdpx_rebuilds_the_study(reduced: Path, tmp_path: Path) -> None:
    project, new = tmp_path / "study.qdpx", tmp_path / "imported"
    ok(run("export", "qdpx", reduced, project))
    result = run("import", "qdpx", project, new)
    assert ok(result) == [
        f"Imported 2 source(s) into {new} (from radar {__version__})",
        f"wrote {new / 'transcripts' / 'fg1.txt'}",
        f"wrote {new / 'transcripts' / 'fg2.txt'}",
        f"wrote {new / 'codebook.yaml'}",
        f"wrote {new / 'speakers.csv'}",
        "7 coding(s) carried over onto 6 segment(s); 0 memo(s)",
    ]
    fg2 = (new / "transcripts" / "fg2.txt").read_text(encoding="utf-8")
    assert fg2.rstrip("\n").split("\n") == [  # the importer ends the file with a blank line
        "F02: What gets in the way of joining a group online?",
        f"P04: {SEGMENTS['fg2-002']}",
        f"P05: {SEGMENTS['fg2-003']}",
    ]
    assert load_codebook(new / "codebook.yaml") == load_codebook(reduced / "codebook.yaml")
    relevant = rows_of(new / "radar-tables.xlsx", C.SHEET_PHASE2)
    assert [(row[0], [c for c in row[4:7] if c]) for row in relevant[1:]] == [
        ("fg1-002", ["Devices"]),
        ("fg1-003", ["Data plans"]),
        ("fg1-006", ["Passwords"]),
        ("fg1-007", ["Burnout"]),
        ("fg1-008", []),
        ("fg2-002", ["Devices", "Burnout"]),
        ("fg2-003", ["Passwords"]),
    ]
    # the imported study reduces to the same flow
    assert ok(run("reduce", new))[0] == "Reduction: 11 turns -> 7 kept -> 6 coded -> 3 themes (7 excerpts)"


def test_import_qdpx_of_a_file_that_is_not_a_zip(tmp_path: Path) -> None:
    fake = tmp_path / "project.qdpx"
    fake.write_text("not a zip", encoding="utf-8")
    assert_one_error(run("import", "qdpx", fake, tmp_path / "new"), "project.qdpx", "not a readable .qdpx")
    assert not (tmp_path / "new").exists()


def test_import_qdpx_refuses_a_folder_that_has_transcripts(reduced: Path, tmp_path: Path) -> None:
    project = tmp_path / "study.qdpx"
    ok(run("export", "qdpx", reduced, project))
    before = files_under(reduced)
    assert_one_error(run("import", "qdpx", project, reduced), "already has transcripts", "new folder")
    assert files_under(reduced) == before


# ------------------------------------------------------------------------ bad paths (issue 13 item 9)

# Every command whose STUDY must be an existing folder, with the other arguments it needs.
STUDY_COMMANDS = [
    ["reduce", "{study}"],
    ["tally", "{study}"],
    ["characteristics", "{study}"],
    ["history", "{study}"],
    ["diff", "{study}"],
    ["chart", "{study}", "themes", "--out", "{tmp}/themes.png"],
    ["report", "{study}"],
    ["codebook", "rename", "{study}", "Passwords", "Password hygiene"],
    ["deidentify", "{study}"],
    ["member-check", "export", "{study}", "--out", "{tmp}/packets"],
    ["member-check", "import", "{study}", "{tmp}"],
    ["export", "qdpx", "{study}", "{tmp}/study.qdpx"],
]


@pytest.mark.parametrize(
    "command", STUDY_COMMANDS, ids=lambda args: " ".join(a for a in args if "{" not in a)
)
def test_a_missing_study_folder_is_one_error(command: list[str], tmp_path: Path) -> None:
    study = tmp_path / "no-such-study"
    args = [arg.format(study=study, tmp=tmp_path) for arg in command]
    assert_one_error(run(*args), "no-such-study")


# A bad file or folder argument other than STUDY, and the name its Error line must give.
# {study} is the reduced small study, {copy} a copy of its workbook, {file} an existing file,
# {tmp} an empty folder.
BAD_PATHS = [
    pytest.param(["agreement", "{study}/radar-tables.xlsx", "{tmp}/missing.xlsx"], "missing.xlsx",
                 id="agreement: a missing copy"),
    pytest.param(["reconcile", "{study}/radar-tables.xlsx", "{tmp}/missing.xlsx", "-o", "{tmp}/r.xlsx"],
                 "missing.xlsx", id="reconcile: a missing copy"),
    pytest.param(["reconcile", "{study}/radar-tables.xlsx", "{copy}", "-o", "{tmp}"], "{tmp}",
                 id="reconcile: --out a folder"),
    pytest.param(["codebook", "check", "{tmp}/missing.yaml"], "missing.yaml", id="codebook check: a missing file"),
    pytest.param(["codebook", "convert", "{tmp}/missing.yaml", "{tmp}/out.qdc"], "missing.yaml",
                 id="codebook convert: a missing IN"),
    pytest.param(["codebook", "convert", "{study}/codebook.yaml", "{tmp}"], "{tmp}",
                 id="codebook convert: OUT a folder"),
    pytest.param(["import", "qdpx", "{tmp}/missing.qdpx", "{tmp}/new"], "missing.qdpx",
                 id="import qdpx: a missing FILE"),
    pytest.param(["import", "qdpx", "{qdpx}", "{file}"], "{file}", id="import qdpx: STUDY a file"),
    pytest.param(["export", "qdpx", "{study}", "{tmp}"], "{tmp}", id="export qdpx: OUT a folder"),
    pytest.param(["init", "{file}"], "{file}", id="init: STUDY a file"),
    pytest.param(["member-check", "export", "{study}", "--out", "{file}"], "{file}",
                 id="member-check export: --out a file"),
    pytest.param(["member-check", "import", "{study}", "{tmp}/missing"], "missing",
                 id="member-check import: a missing DIR"),
    pytest.param(["chart", "{study}", "themes", "--out", "{tmp}"], "{tmp}", id="chart: --out a folder"),
    pytest.param(["tally", "{study}", "--out", "{tmp}"], "{tmp}", id="tally: --out a folder"),
    pytest.param(["report", "{study}", "--out", "{tmp}"], "{tmp}", id="report: --out a folder"),
    pytest.param(["agreement", "{study}/radar-tables.xlsx", "{copy}", "--codebook", "{tmp}/missing.yaml"],
                 "missing.yaml", id="agreement: a missing --codebook"),
    pytest.param(["agreement", "{tmp}", "{copy}"], "{tmp}", id="agreement: a folder for a copy"),
    pytest.param(["read", "{tmp}/missing.txt"], "missing.txt", id="read: a missing file"),
    pytest.param(["reduce", "{file}"], "codebook.yaml", id="reduce: STUDY a file"),
    pytest.param(["reduce", "{tmp}/missing"], "missing", id="reduce: a missing STUDY"),
    pytest.param(["tally", "{file}"], "codebook.yaml", id="tally: STUDY a file"),
    pytest.param(["member-check", "export", "{tmp}/missing", "--out", "{tmp}/packets"], "missing",
                 id="member-check export: a missing STUDY"),
    pytest.param(["member-check", "import", "{study}", "{file}"], "codebook.yaml",
                 id="member-check import: DIR a file"),
    pytest.param(["export", "qdpx", "{tmp}/missing", "{tmp}/out.qdpx"], "missing",
                 id="export qdpx: a missing STUDY"),
]  # fmt: skip


@pytest.mark.parametrize(("command", "named"), BAD_PATHS)
def test_a_bad_path_argument_is_one_error(
    command: list[str], named: str, reduced: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    copy = tmp_path / "copy.xlsx"
    shutil.copy(reduced / "radar-tables.xlsx", copy)
    places = {
        "study": reduced,
        "copy": copy,
        "tmp": empty,
        "file": reduced / "codebook.yaml",
        "qdpx": Path(__file__).parent / "files" / "refiqda" / "trial.qdpx",
    }
    args = [arg.format(**places) for arg in command]
    assert_one_error(run(*args), named.format(**places))


# ------------------------------------------------------------------------ one overwrite rule

# Every command that writes a file the user names: its arguments with OUT in place of the path.
WRITES_A_NAMED_FILE = {
    "tally --out (table)": ["tally", "{study}", "--out", "OUT.csv"],
    "tally --out (text)": ["tally", "{study}", "--format", "text", "--out", "OUT.txt"],
    "tally --combined --out": ["tally", "{study}", "--combined", "--out", "OUT.xlsx"],
    "tally --by-attribute --out": ["tally", "{study}", "--by-attribute", "group", "--out", "OUT.docx"],
    "chart": ["chart", "{study}", "themes", "-o", "OUT.png"],
    "report --out": ["report", "{study}", "--out", "OUT.md"],
    "export qdpx": ["export", "qdpx", "{study}", "OUT.qdpx"],
    "codebook convert": ["codebook", "convert", "{study}/codebook.yaml", "OUT.qdc"],
}


@pytest.mark.parametrize("args", WRITES_A_NAMED_FILE.values(), ids=WRITES_A_NAMED_FILE.keys())
def test_a_named_output_is_replaced_only_with_force(args: list[str], reduced: Path, tmp_path: Path) -> None:
    suffix = next(arg for arg in args if arg.startswith("OUT")).removeprefix("OUT")
    out = tmp_path / f"mine{suffix}"
    out.write_bytes(b"the analyst's own file")
    command = [str(out) if a.startswith("OUT") else a.replace("{study}", str(reduced)) for a in args]
    assert_one_error(run(*command), out.name, "already exists", "--force")
    assert out.read_bytes() == b"the analyst's own file"
    assert ok(run(*command, "--force")) == [f"wrote {out}"]
    assert out.read_bytes() != b"the analyst's own file"


def test_the_default_report_is_rewritten_without_force(reduced: Path) -> None:
    assert ok(run("report", reduced, "--format", "md")) == [f"wrote {reduced / 'radar-report.md'}"]
    (reduced / "radar-report.md").write_text("old", encoding="utf-8")
    ok(run("report", reduced, "--format", "md"))
    assert (reduced / "radar-report.md").read_text(encoding="utf-8").startswith("#")


# ------------------------------------------------------------------------ the first day (issue 12 item 20)


@pytest.mark.parametrize(
    "command",
    [["reduce"], ["tally"], ["history"], ["report", "--format", "md"], ["deidentify"]],
    ids=" ".join,
)
def test_a_command_run_in_the_study_folder_needs_no_study_argument(
    command: list[str], reduced: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(reduced)
    assert run(*command).exit_code == 0, run(*command).output


def test_run_inside_transcripts_it_says_where_to_run(reduced: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(reduced / "transcripts")
    line = assert_one_error(run("reduce"), "this is the study's transcripts folder", "cd ..")
    assert str(reduced.resolve()) in line


def test_a_file_given_as_study_is_one_error(reduced: Path) -> None:
    assert_one_error(
        run("tally", reduced / "codebook.yaml"), "codebook.yaml: is a file; give the study folder"
    )


def test_init_prints_the_next_steps(tmp_path: Path) -> None:
    study = tmp_path / "carers"
    lines = ok(run("init", study))
    assert lines[:3] == [
        f"created {study}",
        f"created {study / 'transcripts'}",
        f"created {study / 'radar.toml'}",
    ]
    steps = lines[lines.index("Next steps:") + 1 :]
    assert (
        steps[0] == f"  1. put the transcripts (.docx, .vtt, .srt, .txt, .pdf ...) in {study / 'transcripts'}"
    )
    assert (
        len(steps) == 5
        and steps[-1] == f"  5. run `radar reduce {study}`, then open {study / 'radar-tables.xlsx'} in Excel"
    )
    text = (study / "radar.toml").read_text(encoding="utf-8")
    assert "[deidentify]" in text and "[member_check]" in text and "coders" in text and "ner = true" in text


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["tally", "{study}", "--out", "{study}/radar-tables.xlsx", "--force"], "radar-tables.xlsx"),
        (["report", "{study}", "--out", "{study}/speakers.csv", "--force"], "speakers.csv"),
        (
            ["codebook", "convert", "{study}/codebook.yaml", "{study}/codebook.yaml", "--force"],
            "codebook.yaml",
        ),
        (
            ["tally", "{study}", "--format", "csv", "--out", "{study}/transcripts/fg1.txt", "--force"],
            "fg1.txt",
        ),
    ],
    ids=[
        "tally over the workbook",
        "report over speakers.csv",
        "convert over itself",
        "tally over a transcript",
    ],
)
def test_no_output_is_written_over_a_study_input_even_with_force(
    args: list[str], name: str, reduced: Path
) -> None:
    (reduced / "speakers.csv").write_text("group,speaker,participant_id,role\n", encoding="utf-8")
    (reduced / "radar.toml").write_text('title = "T"\n', encoding="utf-8")
    before = files_under(reduced)
    assert_one_error(run(*[a.format(study=reduced) for a in args]), name)
    assert files_under(reduced) == before
