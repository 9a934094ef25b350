"""Member-check packets in tests: the synthetic study reduced, and packets filled in as a participant would."""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

import docx
import openpyxl

from radar.membercheck import SHEET
from radar.study import Study

FIXTURE = Path(__file__).parent / "files" / "membercheck" / "study"


def reduced(root: Path, source: Path = FIXTURE) -> Path:
    shutil.copytree(source, root)
    Study(root).reduce()
    return root


def fill(
    packet: Path,
    target: Path,
    marks: Mapping[str, Sequence[str]] = {},
    comments: Mapping[str, str] = {},
    boxes: Mapping[str, str] = {},
) -> Path:
    """Fill a packet in with python-docx the way a participant does in Word."""
    document = docx.Document(str(packet))
    table = document.tables[0]
    columns = [c.text for c in table.rows[0].cells]
    for row in table.rows[1:]:
        theme = row.cells[0].text
        for verdict_and_mark in marks.get(theme, ()):
            verdict, mark = verdict_and_mark.split(":")
            row.cells[columns.index(verdict)].text = mark
        if theme in comments:
            row.cells[columns.index("Comments")].text = comments[theme]
    for box in document.tables[1:]:
        for title, text in boxes.items():
            if box.rows[0].cells[0].text.startswith(title):
                box.rows[1].cells[0].paragraphs[0].add_run(text)
    target.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(target))
    return target


def export_day(root: Path, number: int) -> str:
    """The date export ``number`` was made, from the study's record of what was sent."""
    record = json.loads((root / ".radar" / "member-check" / "sent.json").read_text(encoding="utf-8"))
    return str(next(r for r in record["rounds"] if r["export"] == number)["time"])[:10]


def sheet_rows(root: Path) -> list[tuple[object, ...]]:
    sheet = openpyxl.load_workbook(root / "radar-tables.xlsx")[SHEET]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def body(packet: Path) -> list[str | list[str]]:
    """Every paragraph (its text) and every table row (its cells' texts) of a packet's body, in order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(packet))
    out: list[str | list[str]] = []
    for child in document.element.body.iterchildren():
        if child.tag.endswith("}p"):
            out.append(Paragraph(child, document).text)
        elif child.tag.endswith("}tbl"):
            out += [[cell.text for cell in row.cells] for row in Table(child, document).rows]
    return out


def footer(packet: Path) -> str:
    """The text of a packet's footer (its page-number fields read as nothing)."""
    return " ".join(p.text for p in docx.Document(str(packet)).sections[0].footer.paragraphs)
