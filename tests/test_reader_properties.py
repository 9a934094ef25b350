"""One property per reader family: any text survives read -> table -> workbook -> read back.

For each family a transcript is written in that family's real shape with
Hypothesis-made turns, reduced into the workbook, and the "1 All data" sheet is
read back with openpyxl: every turn's text must come back word for word, in
order, under its speaker. The texts avoid what a shape reserves for itself
(``-->`` and tags in captions, a leading label or time), and capitalised words,
which de-identification may mask as names.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from radar import columns as C
from radar.study import Study
from radar.transcripts import read_transcript
from tests.conftest import CODEBOOK_YAML

SPEAKERS = ("P1", "P2", "P3")
WORD = st.text(
    st.characters(whitelist_categories=("Ll", "Nd", "Lo"), blacklist_characters="ªº"), min_size=1, max_size=8
)
PUNCTUATION = st.sampled_from(["", ",", ".", "?", "!", ";", "'s", " -", " (aside)", ":", " 42%"])
TEXT = st.lists(st.tuples(WORD, PUNCTUATION), min_size=1, max_size=12).map(
    lambda words: " ".join(word + mark for word, mark in words)
)
TURNS = st.lists(st.tuples(st.sampled_from(SPEAKERS), TEXT), min_size=1, max_size=6)


def expected_turns(turns: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Consecutive turns of one speaker merge, their texts joined with one space."""
    merged: list[tuple[str, str]] = []
    for speaker, text in turns:
        if merged and merged[-1][0] == speaker:
            merged[-1] = (speaker, f"{merged[-1][1]} {text}")
        else:
            merged.append((speaker, text))
    return merged


def stamp(seconds: int, sep: str = ".") -> str:
    return f"00:{seconds // 60:02d}:{seconds % 60:02d}{sep}000"


def write_vtt(path: Path, turns: list[tuple[str, str]]) -> Path:
    cues = [f"{i + 1}\n{stamp(i * 3)} --> {stamp(i * 3 + 2)}\n{s}: {t}\n" for i, (s, t) in enumerate(turns)]
    target = path / "fg1.vtt"
    target.write_text("WEBVTT\n\n" + "\n".join(cues), encoding="utf-8")
    return target


def write_srt(path: Path, turns: list[tuple[str, str]]) -> Path:
    cues = [
        f"{i + 1}\r\n{stamp(i * 3, ',')} --> {stamp(i * 3 + 2, ',')}\r\n{s}: {t}\r\n"
        for i, (s, t) in enumerate(turns)
    ]
    target = path / "fg1.srt"
    target.write_bytes("\r\n".join(cues).encode("utf-8"))
    return target


def write_otter(path: Path, turns: list[tuple[str, str]]) -> Path:
    blocks = [f"{s}  {i // 60}:{i % 60:02d}\n{t}\n" for i, (s, t) in enumerate(turns)]
    target = path / "fg1.txt"
    target.write_text("\n".join(blocks) + "\nTranscribed by https://otter.ai\n", encoding="utf-8")
    return target


def write_typed_utf16(path: Path, turns: list[tuple[str, str]]) -> Path:
    target = path / "fg1.txt"
    text = "".join(f"{s}: {t}\n" for s, t in turns)
    target.write_bytes(text.encode("utf-16"))
    return target


def write_docx(path: Path, turns: list[tuple[str, str]]) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("Focus group 1", style="Title")
    for speaker, text in turns:
        paragraph = document.add_paragraph()
        paragraph.add_run(speaker).bold = True
        paragraph.add_run(f" {text}")
    target = path / "fg1.docx"
    document.save(str(target))
    return target


def write_docx_table(path: Path, turns: list[tuple[str, str]]) -> Path:
    import docx

    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Speaker", "Text"
    for speaker, text in turns:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = speaker, text
    target = path / "fg1.docx"
    document.save(str(target))
    return target


def write_rtf(path: Path, turns: list[tuple[str, str]]) -> Path:
    """RTF as Word writes it: a font table, then one \\par per paragraph, non-ASCII as \\uN?."""

    def escaped(text: str) -> str:
        out = []
        for char in text:
            if char in "\\{}":
                out.append("\\" + char)
            elif ord(char) > 127:
                out.extend(f"\\u{unit - 65536 if unit > 32767 else unit}?" for unit in _utf16_units(char))
            else:
                out.append(char)
        return "".join(out)

    body = "".join(f"{{\\pard\\plain \\b {s}:\\b0  {escaped(t)}\\par}}\n" for s, t in turns)
    target = path / "fg1.rtf"
    target.write_text(
        "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss Calibri;}}\n" + body + "}\n",
        encoding="ascii",
    )
    return target


def _utf16_units(char: str) -> list[int]:
    data = char.encode("utf-16-le")
    return [int.from_bytes(data[i : i + 2], "little") for i in range(0, len(data), 2)]


def write_odt(path: Path, turns: list[tuple[str, str]]) -> Path:
    """An OpenDocument text package as LibreOffice writes it: mimetype first and stored."""
    import zipfile
    from xml.sax.saxutils import escape

    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    text_ns = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    paragraphs = "".join(f"<text:p>{s}: {escape(t)}</text:p>" for s, t in turns)
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="{office}" '
        f'xmlns:text="{text_ns}" office:version="1.3"><office:body><office:text>{paragraphs}'
        "</office:text></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    target = path / "fg1.odt"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        package.writestr("META-INF/manifest.xml", manifest)
        package.writestr("content.xml", content)
    return target


WRITERS: dict[str, Callable[[Path, list[tuple[str, str]]], Path]] = {
    "captions-vtt": write_vtt,
    "captions-srt": write_srt,
    "text-otter": write_otter,
    "text-utf16": write_typed_utf16,
    "word-bold": write_docx,
    "word-table": write_docx_table,
    "document-rtf": write_rtf,
    "document-odt": write_odt,
}


def workbook_texts(root: Path) -> list[tuple[str, str]]:
    book = openpyxl.load_workbook(root / "radar-tables.xlsx", read_only=True)
    try:
        rows = book[C.SHEET_PHASE1].iter_rows(values_only=True)
        header = [str(h) for h in next(rows)]
        who, text = header.index(C.PARTICIPANT), header.index(C.TEXT)
        return [(str(row[who]), str(row[text])) for row in rows if row[0]]
    finally:
        book.close()


@pytest.mark.parametrize("family", sorted(WRITERS))
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(turns=TURNS)
def test_any_text_survives_into_the_workbook(
    tmp_path: Path, family: str, turns: list[tuple[str, str]]
) -> None:
    root = tmp_path / family
    shutil.rmtree(root, ignore_errors=True)
    (root / "transcripts").mkdir(parents=True)
    (root / "codebook.yaml").write_text(CODEBOOK_YAML, encoding="utf-8")
    (root / "speakers.csv").write_text(
        "speaker,participant_id,role\n"
        + "".join(f"{s},{s.replace('P', 'X')},participant\n" for s in SPEAKERS),
        encoding="utf-8",
    )
    path = WRITERS[family](root / "transcripts", turns)
    expected = expected_turns(turns)
    transcript = read_transcript(path, SPEAKERS)
    assert [(t.speaker, t.text) for t in transcript.turns] == expected
    assert transcript.words is not None and transcript.words.lost == 0
    Study(root).reduce()
    assert workbook_texts(root) == [(speaker.replace("P", "X"), text) for speaker, text in expected]
