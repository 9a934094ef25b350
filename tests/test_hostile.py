"""Hostile and clumsy input (issue 13, items 1, 7 and 8): no traceback, no hang, no lost work, no injection.

Every hostile file is built here, small: a zip member whose central directory *says* it unpacks to
1 GB (radar must refuse it from the header, before unpacking), a billion-laughs entity bomb of 10
levels of 10, an external entity naming /etc/passwd, XML nested 100,000 deep and YAML 50,000 deep.
Each goes through the CLI: exit 1, one ``Error:`` line naming the file, no traceback, and the study
folder byte for byte as it was. Then the cells radar writes: no CSV cell starts like a formula
(OWASP: ``=``, ``+``, ``-``, ``@``, tab, carriage return get a leading ``'``), and no code name
holds ``;``, the separator of codes in a cell.
"""

from __future__ import annotations

import csv
import io
import shutil
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import openpyxl
import pytest
from cli_helpers import assert_one_error, run

from radar import columns as C
from radar.errors import RefiError, TranscriptError

GIGABYTE = 1_000_000_000
XXE = b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
LAUGHS = (
    b'<!DOCTYPE x [<!ENTITY l0 "lol">'
    + b"".join(
        b'<!ENTITY l%d "%s">' % (i, b"".join(b"&l%d;" % (i - 1) for _ in range(10))) for i in range(1, 11)
    )
    + b"]>"
)
FORMULA = ("=", "+", "-", "@", "\t", "\r")


# ------------------------------------------------------------------------ helpers


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def rezip(path: Path, change: Callable[[str, bytes], bytes]) -> None:
    """Rewrite a zip with each member's bytes passed through ``change(name, data)``."""
    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            archive.writestr(info.filename, change(info.filename, data))


def with_doctype(xml: bytes, doctype: bytes, entity: bytes) -> bytes:
    """The XML with a DTD after its declaration and ``entity`` (``&xxe;``) as the first element's text."""
    declaration, _, rest = xml.partition(b"?>") if xml.startswith(b"<?xml") else (b"", b"", xml)
    head = declaration + b"?>" if declaration else b""
    close = rest.index(b">", rest.index(b"<", rest.index(b"<") + 1))  # after the root's first child opens
    return head + doctype + rest[: close + 1] + entity + rest[close + 1 :]


def declare_size(path: Path, member: str, size: int) -> None:
    """Make the zip's central directory say ``member`` unpacks to ``size`` bytes (its data stays small)."""
    data = bytearray(path.read_bytes())
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) >= 0:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_length].decode() == member:
            struct.pack_into("<I", data, at + 24, size)
            path.write_bytes(bytes(data))
            return
        at += 4
    raise AssertionError(f"{member} not in {path}")


def docx_transcript(path: Path) -> Path:
    document = docx.Document()
    for line in (
        "Moderator: What gets in the way?",
        "P1: My laptop is ancient.",
        "P2: The data plan runs out.",
    ):
        document.add_paragraph(line)
    document.save(str(path))
    return path


def xlsx_codebook(path: Path) -> Path:
    """A codebook workbook as Excel writes one (its text in xl/sharedStrings.xml)."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Codebook")
    for row, values in enumerate(
        [["Theme", "Code", "Definition", "Keywords"], ["Access", "Devices", "Phones.", "laptop"]]
    ):
        sheet.write_row(row, 0, values)
    workbook.close()
    return path


QDC = b"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="test"><Codes>
<Code guid="11111111-1111-1111-1111-111111111111" name="Access" isCodable="false">
<Code guid="22222222-2222-2222-2222-222222222222" name="Devices" isCodable="true"/></Code>
</Codes></CodeBook>
"""

QDE = b"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p" origin="test"><Sources>
<TextSource guid="33333333-3333-3333-3333-333333333333" name="fg1" plainTextPath="internal://fg1.txt"/>
</Sources></Project>
"""


def qdpx(path: Path, qde: bytes = QDE) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", qde)
        archive.writestr("sources/fg1.txt", "P1: My laptop is ancient.\n")
    return path


# ------------------------------------------------------------------------ item 1: transcripts (.docx, .odt)


@pytest.mark.parametrize(
    ("attack", "needle"),
    [("xxe", "declares a DTD or XML entities"), ("laughs", "declares a DTD or XML entities"),
     ("huge", "unpacks to more than 200 MB")],
)  # fmt: skip
def test_a_hostile_docx_transcript_is_refused(study_dir: Path, attack: str, needle: str) -> None:
    path = docx_transcript(study_dir / "transcripts" / "fg3.docx")
    if attack == "huge":
        declare_size(path, "word/document.xml", GIGABYTE)
    else:
        doctype, entity = (XXE, b"&xxe;") if attack == "xxe" else (LAUGHS, b"&l10;")
        rezip(
            path,
            lambda name, data: with_doctype(data, doctype, entity) if name == "word/document.xml" else data,
        )
    before = tree(study_dir)
    assert_one_error(run("read", path), "fg3.docx", needle, "word/document.xml")
    assert_one_error(run("reduce", study_dir, "--quiet"), "fg3.docx", needle)
    assert tree(study_dir) == before


def test_an_odt_whose_members_say_they_unpack_to_too_much_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fg.odt"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("Pictures/a.png", b"\0" * 100)
    declare_size(path, "Pictures/a.png", GIGABYTE)
    assert_one_error(run("read", path), "fg.odt", "unpacks to more than 200 MB")


# ------------------------------------------------------------------------ item 1: codebooks


@pytest.mark.parametrize(
    ("member", "attack"),
    [
        ("xl/sharedStrings.xml", "xxe"),
        ("xl/worksheets/sheet1.xml", "laughs"),
        ("xl/sharedStrings.xml", "huge"),
    ],
)
def test_a_hostile_xlsx_codebook_is_refused(tmp_path: Path, member: str, attack: str) -> None:
    path = xlsx_codebook(tmp_path / "codebook.xlsx")
    if attack == "huge":
        declare_size(path, member, GIGABYTE)
        needle = "unpacks to more than 200 MB"
    else:
        doctype, entity = (XXE, b"") if attack == "xxe" else (LAUGHS, b"")
        rezip(path, lambda name, data: with_doctype(data, doctype, entity) if name == member else data)
        needle = "declares a DTD or XML entities"
    assert_one_error(run("codebook", "check", path), "codebook.xlsx", member, needle)


def test_an_xlsx_codebook_with_broken_xml_is_refused_in_one_line(tmp_path: Path) -> None:
    """openpyxl's own message runs over three lines; the error stays one."""
    path = xlsx_codebook(tmp_path / "codebook.xlsx")
    rezip(path, lambda name, data: b"<sst><si>" if name == "xl/sharedStrings.xml" else data)
    assert_one_error(run("codebook", "check", path), "codebook.xlsx", "cannot be opened as an Excel workbook")


@pytest.mark.parametrize("attack", ["xxe", "laughs", "deep"])
def test_a_hostile_qdc_codebook_is_refused(tmp_path: Path, attack: str) -> None:
    path = tmp_path / "codebook.qdc"
    if attack == "deep":
        depth = 100_000
        path.write_bytes(
            b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
            + b"<Code>" * depth
            + b"</Code>" * depth
            + b"</Codes></CodeBook>"
        )
        needle = "nests elements more than 256 deep"
    else:
        doctype, entity = (XXE, b"&xxe;") if attack == "xxe" else (LAUGHS, b"&l10;")
        path.write_bytes(
            QDC.replace(b"<CodeBook", doctype + b"<CodeBook", 1).replace(b"<Codes>", b"<Codes>" + entity)
        )
        needle = "declares a DTD or XML entities"
    assert_one_error(run("codebook", "check", path), "codebook.qdc", needle)


def test_a_yaml_codebook_nested_50000_deep_is_refused(study_dir: Path) -> None:
    path = study_dir / "codebook.yaml"
    path.write_text("title: deep\nthemes: " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    before = tree(study_dir)
    assert_one_error(run("codebook", "check", path), "codebook.yaml")
    assert_one_error(run("reduce", study_dir, "--quiet"), "codebook.yaml")
    assert tree(study_dir) == before


def test_the_pure_python_yaml_parser_nested_too_deep_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where PyYAML has no libyaml, its own parser recurses: RecursionError becomes one line."""
    import yaml

    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    path = tmp_path / "codebook.yaml"
    path.write_text("title: deep\nthemes: " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    assert_one_error(run("codebook", "check", path), "codebook.yaml", "nests lists or mappings")


def test_a_codebook_file_over_5_mb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "codebook.yaml"
    path.write_text("# " + "x" * 6_000_000 + "\ntitle: big\n", encoding="utf-8")
    assert_one_error(run("codebook", "check", path), "codebook.yaml", "over 5 MB")


# ------------------------------------------------------------------------ item 1: REFI-QDA projects


@pytest.mark.parametrize("attack", ["xxe", "laughs", "huge"])
def test_a_hostile_qdpx_project_is_refused(tmp_path: Path, attack: str) -> None:
    path = tmp_path / "project.qdpx"
    if attack == "huge":
        qdpx(path)
        declare_size(path, "sources/fg1.txt", GIGABYTE)
        needle = "sources/fg1.txt unpacks to more than 200 MB"
    else:
        doctype, entity = (XXE, b"&xxe;") if attack == "xxe" else (LAUGHS, b"&l10;")
        qdpx(
            path,
            QDE.replace(b"<Project", doctype + b"<Project", 1).replace(b"<Sources>", b"<Sources>" + entity),
        )
        needle = "declares a DTD or XML entities"
    assert_one_error(run("import", "qdpx", path, tmp_path / "new"), "project.qdpx", needle)
    assert not (tmp_path / "new").exists()


# ------------------------------------------------------------------------ item 1: the analyst's workbook


@pytest.fixture
def reduced(study_dir: Path) -> Path:
    result = run("reduce", study_dir, "--quiet")
    assert result.exit_code == 0, result.output
    return study_dir


@pytest.mark.parametrize("attack", ["xxe", "huge"])
def test_a_hostile_tables_workbook_is_refused_and_left_alone(reduced: Path, attack: str) -> None:
    path = reduced / "radar-tables.xlsx"
    if attack == "huge":
        declare_size(path, "xl/worksheets/sheet1.xml", GIGABYTE)
        needle = "unpacks to more than 200 MB"
    else:
        rezip(
            path,
            lambda name, data: with_doctype(data, XXE, b"") if name == "xl/worksheets/sheet1.xml" else data,
        )
        needle = "declares a DTD or XML entities"
    before = tree(reduced)
    assert_one_error(run("tally", reduced), "radar-tables.xlsx", needle)
    assert_one_error(run("reduce", reduced, "--quiet"), "radar-tables.xlsx", needle)
    assert_one_error(run("codebook", "rename", reduced, "Devices", "Hardware"), "radar-tables.xlsx", needle)
    assert tree(reduced) == before


# ------------------------------------------------------------------------ item 1: returned member-check packets

MEMBER_CHECK_TOML = """\
[deidentify]
ner = false

[member_check]
contact = "the study team, study@example.org"
deadline = "30 June 2026"
support = "the support line, 0800 123 456"
"""


def test_a_returned_packet_with_an_external_entity_is_not_read(study_dir: Path, tmp_path: Path) -> None:
    (study_dir / "radar.toml").write_text(MEMBER_CHECK_TOML, encoding="utf-8")
    assert run("reduce", study_dir, "--quiet").exit_code == 0
    sent, back = tmp_path / "packets", tmp_path / "back"
    assert run("member-check", "export", study_dir, "--out", sent).exit_code == 0
    back.mkdir()
    shutil.copy(sent / "P01.docx", back / "P01.docx")
    rezip(
        back / "P01.docx",
        lambda name, data: with_doctype(data, XXE, b"&xxe;") if name == "word/document.xml" else data,
    )
    result = run("member-check", "import", study_dir, back)
    # a packet that cannot be read is left out with a warning naming it, as a damaged one is
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning: ")]
    assert len(warnings) == 1
    assert "P01.docx" in warnings[0]
    assert "declares a DTD or XML entities" in warnings[0]
    assert "Response: 0 of 5 packets returned" in result.stdout
    assert "Traceback" not in result.output


# ------------------------------------------------------------------------ item 1: the limits themselves


def test_a_real_zip_bomb_is_stopped_at_the_limit_before_it_is_unpacked(tmp_path: Path) -> None:
    """5 MB of zeros packed into about 5 kB: refused by a 1 MB limit from its header, and from the stream."""
    from radar import safety

    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * 5_000_000)
    assert path.stat().st_size < 20_000
    with zipfile.ZipFile(path) as archive:
        with pytest.raises(TranscriptError, match="unpacks to more than 1 MB"):
            safety.check_zip(archive, "bomb.zip", TranscriptError, max_member=1_000_000)
        with pytest.raises(TranscriptError, match="together"):
            safety.check_zip(archive, "bomb.zip", TranscriptError, max_total=1_000_000)
        with pytest.raises(TranscriptError, match="unpacks to more than 1 MB"):
            safety.read_member(archive, "word/document.xml", "bomb.zip", TranscriptError, max_bytes=1_000_000)
        # the header trusted alone would not do: the stream is counted too
        info = archive.getinfo("word/document.xml")
        info.file_size = 10
        with pytest.raises((TranscriptError, zipfile.BadZipFile)):
            safety.read_member(archive, info, "bomb.zip", TranscriptError, max_bytes=1_000_000)


def test_parse_xml_keeps_comments_and_refuses_depth_past_the_limit() -> None:
    from radar import safety

    root = safety.parse_xml(b"<a><!-- note --><b/></a>", "x.qdc", RefiError)
    assert [child.tag for child in root][1] == "b"
    assert len(list(root)) == 2
    safety.parse_xml(b"<a>" * 256 + b"</a>" * 256, "x.qdc", RefiError)
    with pytest.raises(RefiError, match="more than 256 deep"):
        safety.parse_xml(b"<a>" * 257 + b"</a>" * 257, "x.qdc", RefiError)


def test_a_dtd_is_found_after_comments_and_in_utf16_but_not_in_the_body() -> None:
    from radar import safety

    assert safety.declares_dtd(io.BytesIO(b'<?xml version="1.0"?>\n<!-- <a> -->\n<!DOCTYPE a []><a/>'))
    assert safety.declares_dtd(
        io.BytesIO('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a><a/>'.encode("utf-16"))
    )
    assert not safety.declares_dtd(
        io.BytesIO(b'<?xml version="1.0"?><a>&lt;!DOCTYPE a&gt;<![CDATA[<!DOCTYPE a>]]></a>')
    )


# ------------------------------------------------------------------------ item 7: formulas in what radar writes

INJECTED_CODEBOOK = """\
title: Test codebook
themes:
  - name: "=Access"
    definition: "=HYPERLINK(\\"http://example.org\\")"
    codes:
      - name: Devices
        keywords: [laptop, tablet]
      - name: Data plans
        keywords: [data plan, hotspot]
  - name: "+Privacy"
    codes:
      - name: "@Passwords"
        keywords: [password]
  - name: Self-care
    codes:
      - name: "-Burnout"
        keywords: [burnout, exhausted]
"""


@pytest.fixture
def injected(study_dir: Path) -> Path:
    (study_dir / "codebook.yaml").write_text(INJECTED_CODEBOOK, encoding="utf-8")
    fg2 = study_dir / "transcripts" / "fg2.txt"
    fg2.write_text(fg2.read_text(encoding="utf-8").replace("P2: I lost", "P2: -I lost"), encoding="utf-8")
    result = run("reduce", study_dir, "--quiet")
    assert result.exit_code == 0, result.output
    return study_dir


def csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def assert_no_formula(text: str, *expected: str) -> None:
    cells = csv_cells(text)
    assert [cell for cell in cells if cell.startswith(FORMULA)] == []
    for cell in expected:
        assert cell in cells, (cell, cells)


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ((), ("'=Access", "'+Privacy")),
        (("--by", "code"), ("'@Passwords", "'-Burnout", "'=Access")),
        (("--unit", "participants"), ("'=Access",)),
        (("--combined",), ("'=Access", '\'=HYPERLINK("http://example.org")')),
        (("--by-attribute", "group"), ("'=Access", "'+Privacy")),
    ],
)
def test_tally_csv_never_starts_a_cell_like_a_formula(
    injected: Path, options: tuple[str, ...], expected: tuple[str, ...]
) -> None:
    result = run("tally", injected, "--format", "csv", *options)
    assert result.exit_code == 0, result.output
    assert_no_formula(result.stdout, *expected)


def test_tally_csv_out_file_never_starts_a_cell_like_a_formula(injected: Path, tmp_path: Path) -> None:
    out = tmp_path / "tally.csv"
    assert run("tally", injected, "--by", "code", "--out", out).exit_code == 0
    assert_no_formula(out.read_text(encoding="utf-8"), "'@Passwords", "'-Burnout")


def test_agreement_csv_never_starts_a_cell_like_a_formula(injected: Path, tmp_path: Path) -> None:
    alice, bob = tmp_path / "alice.xlsx", tmp_path / "bob.xlsx"
    shutil.copy(injected / "radar-tables.xlsx", alice)
    shutil.copy(injected / "radar-tables.xlsx", bob)
    result = run("agreement", alice, bob, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert_no_formula(result.stdout, "'@Passwords", "'-Burnout", "'=Access", "'+Privacy")


def test_member_check_summary_csv_never_starts_a_cell_like_a_formula(injected: Path, tmp_path: Path) -> None:
    (injected / "radar.toml").write_text(MEMBER_CHECK_TOML, encoding="utf-8")
    sent, back = tmp_path / "packets", tmp_path / "back"
    assert run("member-check", "export", injected, "--out", sent).exit_code == 0
    back.mkdir()
    shutil.copy(sent / "P01.docx", back / "P01.docx")
    result = run("member-check", "import", injected, back, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert_no_formula(result.stdout.rsplit("\n", 2)[0], "'=Access", "'+Privacy")


def test_deidentify_check_csv_never_starts_a_cell_like_a_formula(study_dir: Path) -> None:
    fg2 = study_dir / "transcripts" / "fg2.txt"
    fg2.write_text(
        fg2.read_text(encoding="utf-8").replace("twice.", "twice at @Springfield library."), encoding="utf-8"
    )
    (study_dir / "radar.toml").write_text(
        '[deidentify]\nplaces = ["@Springfield"]\nner = false\n', encoding="utf-8"
    )
    result = run("deidentify", study_dir, "--check", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert_no_formula(result.stdout, "'@Springfield", "I lost my password twice at @Springfield library.")


def test_a_csv_codebook_keeps_formula_text_safe_and_reads_it_back(injected: Path, tmp_path: Path) -> None:
    out = tmp_path / "codebook.csv"
    assert run("codebook", "convert", injected / "codebook.yaml", out).exit_code == 0
    assert_no_formula(out.read_text(encoding="utf-8"), "'=Access", "'@Passwords", "'-Burnout")
    back = tmp_path / "again.yaml"
    assert run("codebook", "convert", out, back).exit_code == 0
    from radar.codebook import load_codebook

    assert [code.name for code in load_codebook(back).codes] == [
        "Devices",
        "Data plans",
        "@Passwords",
        "-Burnout",
    ]
    assert [theme.name for theme in load_codebook(back).themes] == ["=Access", "+Privacy", "Self-care"]


def test_rename_to_a_formula_writes_text_into_the_workbook(reduced: Path) -> None:
    result = run("codebook", "rename", reduced, "Burnout", "=BURNOUT()")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(reduced / "radar-tables.xlsx") as archive:
        sheets = [archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/")]
    assert [xml for xml in sheets if b"<f>" in xml or b"<f " in xml] == []  # no formula cell anywhere
    assert sum(xml.count(b"<t>=BURNOUT()</t>") for xml in sheets) > 0  # the name, as text
    # fg1-007 (Burnout alone) reads back as the renamed code, not a formula's empty value
    workbook = openpyxl.load_workbook(reduced / "radar-tables.xlsx")
    assert "=BURNOUT()" in [cell.value for row in workbook[C.SHEET_PHASE2].iter_rows() for cell in row]


# ------------------------------------------------------------------------ item 8: the separator in code names


def test_a_code_name_with_the_separator_is_refused(study_dir: Path) -> None:
    path = study_dir / "codebook.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("name: Passwords", "name: Passwords; security"),
        encoding="utf-8",
    )
    before = tree(study_dir)
    line = assert_one_error(
        run("codebook", "check", path), "codebook.yaml", "'Passwords; security'", "'/' or 'and'"
    )
    assert "theme 'Privacy'" in line
    assert_one_error(run("reduce", study_dir, "--quiet"), "codebook.yaml", "'Passwords; security'")
    assert tree(study_dir) == before


def test_a_csv_codebook_code_with_the_separator_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "codebook.csv"
    path.write_text('Theme,Code,Keywords\nPrivacy,"Passwords; security",password\n', encoding="utf-8")
    assert_one_error(run("codebook", "check", path), "codebook.csv", "'Passwords; security'")


def test_rename_to_a_name_with_the_separator_is_refused(reduced: Path) -> None:
    before = tree(reduced)
    assert_one_error(
        run("codebook", "rename", reduced, "Passwords", "Privacy; security"),
        "codebook.yaml", "'Privacy; security'", "nothing was renamed",
    )  # fmt: skip
    assert tree(reduced) == before
