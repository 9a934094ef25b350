"""Tests for radar.refiqda: REFI-QDA codebooks (.qdc) and projects (.qdpx)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from radar import columns as C
from radar.codebook import Code, Codebook, Theme, load_codebook, split_keywords
from radar.errors import CodebookError, OutputExistsError, RadarError, WorkbookError
from radar.refiqda import (
    UNGROUPED_THEME,
    RefiError,
    code_description,
    convert_codebook,
    export_qdpx,
    import_qdpx,
    parse_description,
    parse_qdc,
    qdc_bytes,
    read_codebook,
    read_qdc,
    stable_guid,
    theme_description,
    write_qdc,
)
from radar.study import Study, init_study

ROOT = Path(__file__).resolve().parents[1]
FILES = Path(__file__).resolve().parent / "files" / "refiqda"
SHIPPED = ROOT / "codebooks" / "digital-peer-support-supervision.yaml"
EXAMPLE = ROOT / "examples" / "digital-peer-support"


# ------------------------------------------------------------------------ helpers


def schema(reference: Path, name: str) -> object:
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(reference / "refi-qda" / name)))


def assert_valid(xsd: object, data: bytes) -> None:
    from lxml import etree

    document = etree.fromstring(data)
    assert xsd.validate(document), str(xsd.error_log)  # type: ignore[attr-defined]


def qde_of(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("project.qde")


def write_qdpx(
    path: Path, qde: str, files: dict[str, bytes] | None = None, name: str = "project.qde"
) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(name, qde.encode("utf-8"))
        for entry, data in (files or {}).items():
            archive.writestr(entry, data)
    return path


def coded(study: Path) -> set[tuple[str, str, str]]:
    """(participant, text, code) for every coded segment of a study's workbook."""
    phase3 = Study(study).tables().phase3
    return set(zip(phase3[C.PARTICIPANT], phase3[C.TEXT], phase3[C.CODE]))


def memos(study: Path) -> set[tuple[str, str]]:
    phase2 = Study(study).tables().phase2
    return {(text, memo) for text, memo in zip(phase2[C.TEXT], phase2[C.MEMO]) if memo}


def set_cells(path: Path, sid: str, **cells: object) -> None:
    book = openpyxl.load_workbook(path)
    sheet = book[C.SHEET_PHASE2]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == sid:
            for column, value in cells.items():
                row[header.index(column.replace("_", " "))].value = value
    book.save(path)


def listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


PROJECT = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Tiny" origin="Test 1.0">
<CodeBook><Codes>
  <Code guid="{{AAAAAAAA-0000-4000-8000-000000000001}}" name="Access" isCodable="true">
    <Code guid="AAAAAAAA-0000-4000-8000-000000000002" name="Devices" isCodable="true"/>
  </Code>
</Codes></CodeBook>
<Sources>
  <TextSource guid="BBBBBBBB-0000-4000-8000-000000000001" name="fg1" plainTextPath="internal://fg1.txt">
    <PlainTextSelection guid="CCCCCCCC-0000-4000-8000-000000000001" startPosition="{start}" endPosition="{end}">
      <Coding guid="DDDDDDDD-0000-4000-8000-000000000001"><CodeRef targetGUID="{code}"/></Coding>
    </PlainTextSelection>
  </TextSource>
</Sources>
</Project>
"""
TINY_TEXT = "Moderator: Any problems?\nP1: My laptop is old.\nP2: Fine here.\n"


def tiny(path: Path, start: int, end: int, code: str = "AAAAAAAA-0000-4000-8000-000000000002") -> Path:
    qde = PROJECT.format(start=start, end=end, code=code)
    return write_qdpx(path, qde, {"sources/fg1.txt": TINY_TEXT.encode("utf-8")})


# -------------------------------------------------------------------- descriptions


def test_a_code_description_reads_as_labelled_lines() -> None:
    code = Code(
        "Burnout", "Self-care", definition="Running on empty.", include="Fatigue.",
        exclude="Boredom.", example='"I was done."', keywords=("burnout", "exhausted"),
    )  # fmt: skip
    assert code_description(code) == (
        "Definition: Running on empty.\nInclude: Fatigue.\nExclude: Boredom.\n"
        'Example: "I was done."\nKeywords: burnout; exhausted'
    )
    assert theme_description(Theme("Health literacy", "Knowing health.", "emerging")) == (
        "Definition: Knowing health.\nStatus: emerging"
    )


def test_a_description_without_labels_is_the_definition() -> None:
    assert parse_description("  Anything about sleep.\nOr rest.  ") == {
        "definition": "Anything about sleep.\nOr rest."
    }
    assert parse_description("") == {}


def test_labels_are_read_in_any_case_with_synonyms() -> None:
    text = "Talk about rest.\nINCLUSION CRITERIA: naps\nexamples: 'I nap.'\nNote: kept\nkeyword: sleep; rest"
    assert parse_description(text) == {
        "definition": "Talk about rest.",
        "include": "naps",
        "example": "'I nap.'\nNote: kept",
        "keywords": "sleep; rest",
    }


def test_multi_line_values_are_indented_and_read_back() -> None:
    code = Code("Burnout", "T", definition="First line.\nInclude: not a label\n\n  indented")
    text = code_description(code)
    assert text == "Definition: First line.\n  Include: not a label\n  \n    indented"
    assert parse_description(text) == {"definition": code.definition}


_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cn"), whitelist_characters="\n"),
    max_size=60,
).map(str.strip)
_NAME = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cn"), blacklist_characters=";"),
        min_size=1,
        max_size=30,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(bool)
)
_KEYWORDS = st.lists(_NAME, max_size=4).map(lambda words: split_keywords("; ".join(words)))


@settings(max_examples=150, deadline=None)
@given(
    theme=_NAME, name=_NAME, definition=_TEXT, include=_TEXT, exclude=_TEXT, example=_TEXT,
    keywords=_KEYWORDS, title=_TEXT, status=_TEXT,
)  # fmt: skip
def test_any_codebook_text_survives_a_qdc_round_trip(
    theme: str, name: str, definition: str, include: str, exclude: str, example: str,
    keywords: tuple[str, ...], title: str, status: str,
) -> None:  # fmt: skip
    code = Code(name, theme, definition, include, exclude, example, keywords)
    book = Codebook(
        (Theme(theme, definition=example, status=status, codes=(code,)),),
        title=title,
        source="a--b-",
    )
    read, notes = parse_qdc(qdc_bytes(book))
    assert read == book
    assert notes == []


# ------------------------------------------------------------------------ codebooks


def test_the_written_qdc_validates_against_the_schema(shared_reference: Path) -> None:
    xsd = schema(shared_reference, "Codebook.xsd")  # not in the repository: it carries no licence
    assert_valid(xsd, qdc_bytes(load_codebook(SHIPPED)))
    book = Codebook((Theme("Empty theme", status="emerging"), Theme("T", codes=(Code("c", "T"),))))
    assert_valid(xsd, qdc_bytes(book))


def test_yaml_to_qdc_to_yaml_gives_the_same_codebook(tmp_path: Path) -> None:
    assert convert_codebook(SHIPPED, tmp_path / "book.qdc") == []
    assert convert_codebook(tmp_path / "book.qdc", tmp_path / "book.yaml") == []
    original = load_codebook(SHIPPED)
    assert load_codebook(tmp_path / "book.yaml") == original
    read, notes = read_qdc(tmp_path / "book.qdc")
    assert (read, notes, read.path) == (original, [], tmp_path / "book.qdc")


def test_themes_are_parent_codes_and_codes_their_children(tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    book = load_codebook(SHIPPED)
    root = ET.fromstring(qdc_bytes(book))
    ns = "{urn:QDA-XML:codebook:1.0}"
    assert root.tag == f"{ns}CodeBook"
    parents = root.findall(f"{ns}Codes/{ns}Code")
    assert [p.get("name") for p in parents] == [t.name for t in book.themes]
    assert {p.get("isCodable") for p in parents} == {"false"}
    first = parents[0].findall(f"{ns}Code")
    assert [c.get("name") for c in first] == [c.name for c in book.themes[0].codes]
    assert first[0].get("guid") == stable_guid("code", book.themes[0].codes[0].name)
    description = first[0].findtext(f"{ns}Description") or ""
    assert description.startswith("Definition: Operating the features")
    assert "\nKeywords: screen sharing; breakout room;" in description


def test_the_qdc_is_deterministic_and_guids_follow_names(tmp_path: Path) -> None:
    book = load_codebook(SHIPPED)
    write_qdc(book, tmp_path / "a.qdc")
    write_qdc(book, tmp_path / "b.qdc")
    assert (tmp_path / "a.qdc").read_bytes() == (tmp_path / "b.qdc").read_bytes()
    grown = replace(book, themes=(*book.themes, Theme("New", codes=(Code("Brand new", "New"),))))
    guids = re.compile(rb'guid="([^"]+)"')
    before = guids.findall(qdc_bytes(book))
    assert guids.findall(qdc_bytes(grown))[: len(before)] == before


def test_conversion_between_every_form(tmp_path: Path) -> None:
    original = load_codebook(SHIPPED)
    steps = ["book.xlsx", "book.csv", "book.qdc", "book.yml", "again.xlsx"]
    source = SHIPPED
    notes: list[str] = []
    for step in steps:
        notes += convert_codebook(source, tmp_path / step)
        source = tmp_path / step
    assert load_codebook(tmp_path / "again.xlsx").themes == original.themes
    assert load_codebook(tmp_path / "book.csv").themes == original.themes
    assert (
        notes[0]
        == "book.xlsx: a spreadsheet codebook has no place for the title and source; they are not in it"
    )
    assert (tmp_path / "book.csv").read_bytes().startswith(b"\xef\xbb\xbfTheme,Code,Definition")


def test_a_spreadsheet_notes_a_lost_theme_status(tmp_path: Path) -> None:
    book = Codebook(
        (Theme("Health literacy", status="emerging", codes=(Code("Labels", "Health literacy"),)),)
    )
    write_qdc(book, tmp_path / "book.qdc")
    assert convert_codebook(tmp_path / "book.qdc", tmp_path / "book.csv") == [
        "book.csv: a spreadsheet codebook has no place for the theme status; they are not in it"
    ]
    convert_codebook(tmp_path / "book.qdc", tmp_path / "book.yaml")
    assert load_codebook(tmp_path / "book.yaml").themes[0].status == "emerging"


TREE_YAML = """\
themes:
  - name: Access
    color: "#112233"
    codes:
      - name: Devices
        color: "#AA0000"
        keywords: [device]
      - name: Laptops
        parent: Devices
        keywords: [laptop]
      - name: Old laptops
        parent: Laptops
        color: "#00AA00"
  - name: Privacy
    codes:
      - name: Passwords
"""


@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_a_spreadsheet_carries_a_coloured_tree_three_deep(tmp_path: Path, form: str) -> None:
    (tmp_path / "book.yaml").write_text(TREE_YAML, encoding="utf-8")
    assert convert_codebook(tmp_path / "book.yaml", tmp_path / f"book.{form}") == []
    if form == "csv":  # the columns as a person sees them in the file
        rows = list(csv.reader((tmp_path / "book.csv").read_text(encoding="utf-8-sig").splitlines()))
        header = rows[0]
        assert header[-2:] == ["Parent", "Color"]
        by_code = {r[header.index("Code")] or f"theme {r[0]}": r for r in rows[1:]}
        assert by_code["theme Access"][-1] == "#112233"  # a theme's colour on its own row
        assert by_code["Old laptops"][-2:] == ["Laptops", "#00AA00"]
        assert by_code["Passwords"][-2:] == ["", ""]
    assert convert_codebook(tmp_path / f"book.{form}", tmp_path / "back.yaml") == []
    back, original = load_codebook(tmp_path / "back.yaml"), load_codebook(tmp_path / "book.yaml")
    assert [(t.name, t.color) for t in back.themes] == [("Access", "#112233"), ("Privacy", "")]
    assert [(c.name, c.parent, c.color) for c in back.codes] == [
        ("Devices", "", "#AA0000"), ("Laptops", "Devices", ""), ("Old laptops", "Laptops", "#00AA00"),
        ("Passwords", "", ""),
    ]  # fmt: skip
    assert back.path_of("Old laptops") == "Access / Devices / Laptops / Old laptops"
    assert [c.keywords for c in back.codes] == [c.keywords for c in original.codes]


def test_a_flat_codebook_gets_no_tree_columns(tmp_path: Path) -> None:
    (tmp_path / "book.yaml").write_text("themes:\n  - name: Access\n    codes: [Devices]\n", encoding="utf-8")
    convert_codebook(tmp_path / "book.yaml", tmp_path / "book.csv")
    header = (tmp_path / "book.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header == "Theme,Code,Definition,Include,Exclude,Example,Keywords"


def test_a_parent_of_another_theme_is_one_error_naming_the_row(tmp_path: Path) -> None:
    (tmp_path / "book.csv").write_text(
        "Theme,Code,Parent\nAccess,Devices,\nPrivacy,Passwords,Devices\n", encoding="utf-8"
    )
    with pytest.raises(CodebookError, match=r"row 3.*'Passwords' has the Parent 'Devices'"):
        load_codebook(tmp_path / "book.csv")


def test_convert_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "book.qdc"
    target.write_text("mine", encoding="utf-8")
    with pytest.raises(
        OutputExistsError, match=r"book\.qdc: already exists; give another name, or use --force"
    ):
        convert_codebook(SHIPPED, target)
    assert target.read_text(encoding="utf-8") == "mine"
    convert_codebook(SHIPPED, target, force=True)
    assert read_qdc(target)[0] == load_codebook(SHIPPED)


def test_convert_refuses_an_unknown_suffix_and_itself(tmp_path: Path) -> None:
    with pytest.raises(
        CodebookError, match=r"book\.json: radar writes codebooks as .yaml, .yml, .xlsx, .csv, .qdc"
    ):
        convert_codebook(SHIPPED, tmp_path / "book.json")
    copy = tmp_path / "book.yaml"
    copy.write_bytes(SHIPPED.read_bytes())
    with pytest.raises(RefiError, match="is the file being converted"):
        convert_codebook(copy, copy, force=True)
    assert not (tmp_path / "book.json").exists()


# The shapes other tools write -------------------------------------------------


def shape(book: Codebook) -> list[tuple[str, list[str]]]:
    return [(theme.name, [code.name for code in theme.codes]) for theme in book.themes]


def test_reads_nvivo_12_mac_codebooks() -> None:
    book, notes = read_qdc(FILES / "nvivo12-mac.qdc")
    assert shape(book) == [("Access", ["Devices", "Data plans"]), ("Privacy", ["Passwords"])]
    assert notes == []
    assert book.themes[0].definition == "Getting online and staying online."
    assert book.code("Devices").definition == "Phones, tablets and laptops, and what breaks on them."
    passwords = book.code("Passwords")
    assert (passwords.definition, passwords.include, passwords.exclude, passwords.example) == (
        "Keeping passwords and log-ins safe.",
        "Sharing, reusing or forgetting passwords.",
        "Consent forms (Consent).",
        '"I never reuse a password."',
    )
    assert passwords.keywords == ("password", "passcode", "log-in")


def test_reads_atlas_ti_code_groups_as_themes() -> None:
    book, notes = read_qdc(FILES / "atlasti.qdc")
    assert shape(book) == [
        ("Access", ["Devices", "Data plans"]),
        ("Privacy", ["Passwords"]),
        (UNGROUPED_THEME, ["Burnout"]),
    ]
    assert book.themes[0].definition == "Getting online."
    assert notes == [
        "atlasti.qdc: code groups became themes: Access, Privacy",
        (
            "atlasti.qdc: 1 code(s) without a parent code or code group were put under the theme "
            "'Ungrouped codes'; move them into themes in the codebook"
        ),
    ]


def test_reads_maxqda_deep_hierarchies_as_sub_codes() -> None:
    book, notes = read_qdc(FILES / "maxqda.qdc")
    assert shape(book) == [
        ("Technology", ["Skills", "Video calls", "Texting", "Other", "Access"]),
        ("Wellbeing", ["Burnout", "Compassion fatigue", "Secondary trauma", "Burnout / Other"]),
    ]
    assert book.code("Skills").definition == "Knowing how to use the tools."
    # The tree is kept: each sub-code names its parent, shown as a path.
    assert [(code.name, code.parent) for code in book.themes[1].codes] == [
        ("Burnout", ""),
        ("Compassion fatigue", "Burnout"),
        ("Secondary trauma", "Compassion fatigue"),
        ("Burnout / Other", "Burnout"),
    ]
    assert book.path_of("Secondary trauma") == "Wellbeing / Burnout / Compassion fatigue / Secondary trauma"
    assert book.depth() == 4  # Wellbeing > Burnout > Compassion fatigue > Secondary trauma
    assert notes == [
        "maxqda.qdc: the code 'Other' under 'Wellbeing' was named 'Burnout / Other': radar needs code "
        "names that differ (ignoring case) across the codebook"
    ]


def test_reads_qualcoder_categories_and_sub_codes() -> None:
    book, notes = read_qdc(FILES / "qualcoder.qdc")
    assert shape(book) == [
        ("Supervision", ["Feedback", "Shadowing", "Availability"]),
        ("Emerging", []),
    ]
    feedback = book.code("Feedback")
    assert (feedback.definition, feedback.include, feedback.example) == (
        "",
        "Comments on calls or texts.",
        '"She listened to my call and told me what worked."',
    )
    assert (book.themes[1].definition, book.themes[1].status) == (
        "Ideas still taking shape.",
        "emerging",
    )
    assert book.code("Shadowing").parent == "Feedback" and notes == []
    # Colours are kept; a sub-code without its own colour inherits its parent's.
    assert [(c.name, c.color) for c in book.codes] == [
        ("Feedback", "#9CE3FF"),
        ("Shadowing", ""),
        ("Availability", "#FFC0CB"),
    ]


def test_reads_taguette_flat_codes_without_namespace() -> None:
    book, notes = read_qdc(FILES / "taguette.qdc")
    assert shape(book) == [(UNGROUPED_THEME, ["interesting", "devices", "privacy, passwords"])]
    assert all(code.definition == "" for code in book.codes)
    assert any("radar separates the codes in a cell with ';'" in note for note in notes)


@pytest.mark.parametrize("name", ["nvivo12-mac", "atlasti", "maxqda", "qualcoder", "taguette"])
def test_every_tool_shape_converts_to_a_loadable_yaml_codebook(tmp_path: Path, name: str) -> None:
    convert_codebook(FILES / f"{name}.qdc", tmp_path / "codebook.yaml")
    book = load_codebook(tmp_path / "codebook.yaml")
    assert book.themes == read_qdc(FILES / f"{name}.qdc")[0].themes
    convert_codebook(tmp_path / "codebook.yaml", tmp_path / "again.qdc")
    again = read_qdc(tmp_path / "again.qdc")[0]
    # What another tool sees is the same file; a colour that is radar's own default for its
    # place may come back as that default (no colour) rather than written out.
    assert qdc_bytes(again) == qdc_bytes(book)
    assert [(c.name, c.parent, c.definition) for c in again.codes] == [
        (c.name, c.parent, c.definition) for c in book.codes
    ]


def test_reads_the_codebook_of_a_project() -> None:
    book, notes = read_codebook(FILES / "trial.qdpx")
    assert shape(book) == [
        ("Access", ["Devices", "Data plans"]),
        ("Privacy", ["Passwords"]),
        (UNGROUPED_THEME, ["Burnout"]),
    ]
    assert notes[0] == "trial.qdpx: code groups became themes: Access, Privacy"


# ---------------------------------------------------------------------- bad files


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"Theme,Code\nAccess,Devices\n",
            r"bad\.qdc: is not XML \(syntax error: line 1, column 0\); it is not a REFI-QDA codebook",
        ),
        (
            b'<?xml version="1.0"?><Codebook><Codes/></Codebook>',
            r"bad\.qdc: the root element is <Codebook>, not <CodeBook>",
        ),
        (
            b'<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>',
            r"<Project>, not <CodeBook>, so this is not a REFI-QDA codebook; this is a project file",
        ),
        (
            b"PK\x03\x04rest",
            r"bad\.qdc: is a zip file \(a \.qdpx project\?\), not a REFI-QDA codebook",
        ),
        (
            b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>',
            r"bad\.qdc: holds no codes",
        ),
    ],
)
def test_a_bad_qdc_gives_one_clear_error_and_writes_nothing(
    tmp_path: Path, content: bytes, message: str
) -> None:
    bad = tmp_path / "bad.qdc"
    bad.write_bytes(content)
    with pytest.raises(RefiError, match=message) as caught:
        convert_codebook(bad, tmp_path / "out.yaml")
    assert "\n" not in str(caught.value)
    assert not (tmp_path / "out.yaml").exists()


def not_a_zip(path: Path) -> Path:
    path.write_bytes(b"this is not a zip file at all")
    return path


def no_qde(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("sources/a.txt", "P1: hello")
    return path


def qde_not_xml(path: Path) -> Path:
    return write_qdpx(path, "<Project name='x'><Sources>", name="Trial.qde")


def wrong_root(path: Path) -> Path:
    return write_qdpx(path, '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>')


def past_the_end(path: Path) -> Path:
    return tiny(path, 30, len(TINY_TEXT) + 5)


def missing_text(path: Path) -> Path:
    return write_qdpx(path, PROJECT.format(start=0, end=1, code="x"))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (not_a_zip, r"trial\.qdpx: is not a readable \.qdpx \(zip\) file \(File is not a zip file\)"),
        (no_qde, r"trial\.qdpx: the zip holds no project file \(\.qde\)"),
        (qde_not_xml, r"trial\.qdpx \(Trial\.qde\): is not XML \(no element found: line 1, column \d+\)"),
        (wrong_root, r"trial\.qdpx \(project\.qde\): the root element is <CodeBook>, not <Project>"),
        (past_the_end, (r"selection CCCCCCCC-0000-4000-8000-000000000001 in source 'fg1': ends at position 67, "
                        r"past the end of the source's text \(62 characters\); the project is damaged: export it again from Test 1\.0")),
        (missing_text, r"trial\.qdpx: holds no text source radar can import \(text source 'fg1': its text is not "
                           r"inside the \.qdpx \(internal://fg1\.txt\)\)"),
    ],
)  # fmt: skip
def test_a_bad_qdpx_gives_one_clear_error_and_changes_nothing(
    tmp_path: Path, make: Callable[[Path], Path], message: str
) -> None:
    bad = make(tmp_path / "trial.qdpx")
    before = listing(tmp_path)
    with pytest.raises(RefiError, match=message) as caught:
        import_qdpx(bad, tmp_path / "study")
    assert "\n" not in str(caught.value)
    assert listing(tmp_path) == before


def test_a_project_without_text_sources_is_refused(tmp_path: Path) -> None:
    qde = (
        '<Project xmlns="urn:QDA-XML:project:1.0" name="Pictures"><Sources>'
        '<PictureSource guid="BBBBBBBB-0000-4000-8000-000000000001" name="board.png"/>'
        "</Sources></Project>"
    )
    with pytest.raises(
        RefiError,
        match=r"holds no text source radar can import \(picture source 'board\.png': radar imports text "
        r"sources only\)",
    ):
        import_qdpx(write_qdpx(tmp_path / "p.qdpx", qde), tmp_path / "study")
    assert not (tmp_path / "study").exists()


def test_a_selection_running_backwards_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RefiError, match=r"runs from position 20 to 10, which is not a stretch of the text"):
        import_qdpx(tiny(tmp_path / "t.qdpx", 20, 10), tmp_path / "study")
    assert not (tmp_path / "study").exists()


# ------------------------------------------------------------------------- export


@pytest.fixture
def worked_study(study_dir: Path) -> Path:
    """The standard study, reduced, with an analyst's memo, a removed and an added code."""
    study = Study(study_dir)
    study.reduce()
    tables = study_dir / "radar-tables.xlsx"
    set_cells(tables, "fg1-002", Memo="Hardware keeps coming up -- ask about loans.")
    set_cells(tables, "fg2-002", Code_1="Burnout", Code_2=None)  # drop the suggested Devices
    set_cells(tables, "fg1-006", Code_1="Burnout", Code_2="Passwords")
    study.reduce()
    return study_dir


def test_the_exported_project_validates_against_the_schema(
    worked_study: Path, reference: Path, tmp_path: Path
) -> None:
    out = export_qdpx(Study(worked_study), tmp_path / "study.qdpx")
    assert out == tmp_path / "study.qdpx"
    assert_valid(schema(reference, "Project.xsd"), qde_of(out))


def test_the_export_holds_sources_selections_cases_and_notes(worked_study: Path, tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    out = export_qdpx(worked_study, tmp_path / "study.qdpx")
    ns = {"q": "urn:QDA-XML:project:1.0"}
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        root = ET.fromstring(archive.read("project.qde"))
        sources = {
            element.get("name"): (
                element,
                archive.read(f"sources/{element.get('guid')}.txt").decode("utf-8"),
            )
            for element in root.iterfind("q:Sources/q:TextSource", ns)
        }
    assert names[0] == "project.qde" and len(names) == 3
    element, text = sources["fg1"]
    assert text.splitlines()[0] == "F01: What gets in the way of joining a group online?"
    assert text.splitlines()[1] == "P01: My laptop is ancient, it freezes every call."
    phase3 = Study(worked_study).tables().phase3
    segment_text = dict(zip(phase3[C.SEGMENT_ID], phase3[C.TEXT]))
    for selection in element.iterfind("q:PlainTextSelection", ns):
        start, end = int(selection.get("startPosition", "")), int(selection.get("endPosition", ""))
        if selection.get("name") in segment_text:
            assert text[start:end] == segment_text[selection.get("name")]
    by_name = {s.get("name"): s for s in element.iterfind("q:PlainTextSelection", ns)}
    assert [c.get("targetGUID") for c in by_name["fg1-006"].iterfind("q:Coding/q:CodeRef", ns)] == [
        stable_guid("code", "Burnout"),
        stable_guid("code", "Passwords"),
    ]
    memo = by_name["fg1-002"]
    assert memo.findtext("q:Description", namespaces=ns) == "Hardware keeps coming up -- ask about loans."
    note_guid = memo.find("q:NoteRef", ns).get("targetGUID")  # type: ignore[union-attr]
    note = root.find(f"q:Notes/q:Note[@guid='{note_guid}']", ns)
    assert note is not None and note.findtext("q:PlainTextContent", namespaces=ns) == (
        "Hardware keeps coming up -- ask about loans."
    )
    cases = {case.get("name"): case for case in root.iterfind("q:Cases/q:Case", ns)}
    phase1 = Study(worked_study).tables().phase1
    assert list(cases) == list(dict.fromkeys(phase1[C.PARTICIPANT]))
    roles = dict(zip(phase1[C.PARTICIPANT], phase1[C.ROLE]))
    for name, case in cases.items():
        assert case.findtext("q:VariableValue/q:TextValue", namespaces=ns) == roles[name]
        assert len(case.findall("q:SourceRef", ns)) == 1
    # Pseudonyms only, and no front matter.
    assert "Moderator" not in text and "Focus group 1" not in text


def test_two_exports_are_byte_identical(worked_study: Path, tmp_path: Path) -> None:
    first = export_qdpx(worked_study, tmp_path / "a.qdpx")
    second = export_qdpx(worked_study, tmp_path / "b.qdpx")
    assert first.read_bytes() == second.read_bytes()


def test_export_refuses_to_overwrite_and_needs_the_suffix(worked_study: Path, tmp_path: Path) -> None:
    target = tmp_path / "a.qdpx"
    target.write_bytes(b"old")
    with pytest.raises(
        OutputExistsError, match=r"a\.qdpx: already exists; give another name, or use --force"
    ) as refused:
        export_qdpx(worked_study, target)
    assert refused.value.path == str(target)
    assert target.read_bytes() == b"old"
    export_qdpx(worked_study, target, force=True)
    assert zipfile.is_zipfile(target)
    with pytest.raises(RefiError, match=r"a\.zip: a REFI-QDA project file must end in \.qdpx"):
        export_qdpx(worked_study, tmp_path / "a.zip")


def test_export_before_reduce_says_what_to_do(study_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(WorkbookError, match="run `radar reduce"):
        export_qdpx(study_dir, tmp_path / "a.qdpx")
    assert not (tmp_path / "a.qdpx").exists()


# ------------------------------------------------------------------------- import


def test_export_then_import_keeps_every_coded_segment(worked_study: Path, tmp_path: Path) -> None:
    out = export_qdpx(worked_study, tmp_path / "study.qdpx")
    report = import_qdpx(out, tmp_path / "copy")
    assert coded(tmp_path / "copy") == coded(worked_study)
    assert memos(tmp_path / "copy") == memos(worked_study)
    assert report.skipped == ()
    assert report.segments == len({row[1] for row in coded(worked_study)})
    before, after = Study(worked_study).tables().phase1, Study(tmp_path / "copy").tables().phase1
    columns = [C.SEGMENT_ID, C.PARTICIPANT, C.ROLE, C.TEXT, C.KEEP]
    assert after[columns].values.tolist() == before[columns].values.tolist()
    assert load_codebook(tmp_path / "copy" / "codebook.yaml") == Study(worked_study).codebook()
    assert report.lines()[0] == f"Imported 2 source(s) into {tmp_path / 'copy'} (from radar 0.1.0)"


@pytest.mark.skipif(not EXAMPLE.is_dir(), reason="the example study is not in this checkout")
def test_the_example_study_survives_export_and_import(tmp_path: Path) -> None:
    import shutil

    study = tmp_path / "example"
    shutil.copytree(EXAMPLE, study)
    if not (study / "radar-tables.xlsx").exists():
        Study(study).reduce()
    out = export_qdpx(study, tmp_path / "example.qdpx")
    report = import_qdpx(out, tmp_path / "copy")
    assert coded(tmp_path / "copy") == coded(study)
    assert report.skipped == ()
    speakers = (tmp_path / "copy" / "speakers.csv").read_text(encoding="utf-8").splitlines()
    assert speakers[0] == "speaker,participant_id,role,state,years_experience"


def test_imports_another_tools_project(tmp_path: Path) -> None:
    target = tmp_path / "trial"
    report = import_qdpx(FILES / "trial.qdpx", target)
    assert sorted(p.name for p in (target / "transcripts").iterdir()) == [
        "Field notes.txt",
        "Interview 1.txt",
    ]
    interview = (target / "transcripts" / "Interview 1.txt").read_text(encoding="utf-8")
    # No BOM, no CRLF.
    assert interview.startswith("Interview with two peer supporters\n\nInterviewer:")
    assert (target / "speakers.csv").read_text(encoding="utf-8").splitlines() == [
        "speaker,participant_id,role,Age group",
        "Interviewer,F01,facilitator,",
        "Maria,P01,participant,30-39",
        "Dev,P02,participant,40-49",
        "Document,document,participant,",
    ]
    # The field notes are a document: listed in radar.toml, written as they read, no label added.
    assert Study(target).config().transcripts.documents == ("Field notes",)
    notes = (target / "transcripts" / "Field notes.txt").read_text(encoding="utf-8")
    assert "Document:" not in notes
    assert coded(target) == {
        ("P01", "My \U0001f62c laptop is ancient, it freezes every call.", "Devices"),
        (
            "P02",
            "I use a hotspot from my phone and the data plan runs out. It runs out in a week.",
            "Data plans",
        ),
        (
            "F01",
            "And keeping things private?",
            "Passwords",
        ),  # kept: the interviewer's turn was coded
        ("P01", "I never reuse a password.", "Passwords"),
        # The field notes have no speaker labels: a document, one segment per paragraph.
        ("document", "Everyone looked exhausted by the end of the week.", "Burnout"),
    }
    assert memos(target) == {
        (
            "I use a hotspot from my phone and the data plan runs out. It runs out in a week.",
            "Check what a data plan costs.",
        ),
        ("I never reuse a password.", "A good exemplar."),
    }
    phase1 = Study(target).tables().phase1
    assert not {"Maria", "Dev", "Interviewer"} & set(phase1[C.PARTICIPANT])
    assert (report.codings, report.segments, report.memos) == (5, 5, 2)
    assert report.speakers == target / "speakers.csv"
    assert report.skipped == (
        "text source 'Interview 1.docx': 1 coding(s) of the whole source (not of a selection)",
        "picture source 'whiteboard.png': radar imports text sources only",
        "1 note(s) not attached to a text selection or source (journals, memos on codes or cases)",
        "who made each coding (2 users): radar's tables do not record coders",
        "source 'Interview 1.docx', positions 0-18 (Burnout): outside every speaker turn ('Interview with two')",
        "1 coding(s) that refer to no code of the codebook (cases or deleted codes)",
    )
    assert any(
        "each paragraph became a segment" in note and "Field notes.txt" in note for note in report.notes
    )
    assert report.notes[-1].startswith(
        "6 thing(s) not carried over (also in .radar/audit.jsonl):\n  - text source"
    )
    record = (target / ".radar" / "imported-project.md").read_text(encoding="utf-8")
    assert "- **Interviews**: Interview 1.docx" in record and "- **Access**: Devices, Data plans" in record
    # A later reduce keeps the imported codes as the analyst's.
    Study(target).reduce()
    assert len(coded(target)) == 5


def test_a_coded_parent_code_gains_a_code_of_its_own(tmp_path: Path) -> None:
    start = TINY_TEXT.index("My laptop")
    path = tiny(tmp_path / "t.qdpx", start, start + 9, code="{aaaaaaaa-0000-4000-8000-000000000001}")
    report = import_qdpx(path, tmp_path / "study")
    book = load_codebook(tmp_path / "study" / "codebook.yaml")
    assert [c.name for c in book.themes[0].codes] == ["Access", "Devices"]
    assert coded(tmp_path / "study") == {("P01", "My laptop is old.", "Access")}
    assert any("the parent code 'Access' was applied itself" in note for note in report.notes)


def test_a_coded_parent_code_named_like_a_code_gets_general(tmp_path: Path) -> None:
    qde = PROJECT.format(start=0, end=9, code="AAAAAAAA-0000-4000-8000-000000000001").replace(
        'name="Devices"', 'name="Access"'
    )
    start = TINY_TEXT.index("My laptop")
    qde = qde.replace(
        'startPosition="0" endPosition="9"', f'startPosition="{start}" endPosition="{start + 9}"'
    )
    path = write_qdpx(tmp_path / "t.qdpx", qde, {"Sources/fg1.txt": TINY_TEXT.encode("utf-8")})
    import_qdpx(path, tmp_path / "study")
    book = load_codebook(tmp_path / "study" / "codebook.yaml")
    assert [c.name for c in book.themes[0].codes] == ["Access (general)", "Access"]
    assert coded(tmp_path / "study") == {("P01", "My laptop is old.", "Access (general)")}


def test_imports_into_a_folder_made_by_init(tmp_path: Path) -> None:
    target = tmp_path / "new"
    init_study(target, title="Kept title")
    start = TINY_TEXT.index("My laptop")
    import_qdpx(tiny(tmp_path / "t.qdpx", start, start + 9), target)
    assert 'title = "Kept title"' in (target / "radar.toml").read_text(encoding="utf-8")
    assert coded(target) == {("P01", "My laptop is old.", "Devices")}
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".radar-import-")]


def test_import_refuses_a_folder_that_has_transcripts(study_dir: Path, tmp_path: Path) -> None:
    before = listing(study_dir)
    with pytest.raises(RefiError, match=r"study: already has transcripts; import into a new folder"):
        import_qdpx(FILES / "trial.qdpx", study_dir)
    assert listing(study_dir) == before
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "codebook.yaml").write_text("themes: []", encoding="utf-8")
    with pytest.raises(RefiError, match=r"other: already has codebook\.yaml"):
        import_qdpx(FILES / "trial.qdpx", tmp_path / "other")


def test_refi_errors_are_radar_errors() -> None:
    assert issubclass(RefiError, RadarError) and issubclass(RefiError, ValueError)


def test_zip_entries_have_fixed_times(worked_study: Path, tmp_path: Path) -> None:
    out = export_qdpx(worked_study, tmp_path / "a.qdpx")
    with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
