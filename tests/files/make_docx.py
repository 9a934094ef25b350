"""Write the Word transcripts under tests/files (run once; the outputs are committed).

Usage: python tests/files/make_docx.py
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import docx
from docx.document import Document

HERE = Path(__file__).parent


def labels(document: Document) -> None:
    """``Name: text`` paragraphs, continuation paragraphs, a title and a date."""
    document.add_paragraph("Peer Support Pilot \u2013 Focus Group 1", style="Title")
    document.add_paragraph("Date: 2 May 2024")
    document.add_paragraph("")
    document.add_paragraph("Facilitator: Thanks for coming. How has the peer app fitted into your week?")
    document.add_paragraph("Amara Lewis: I use it on the bus.")
    document.add_paragraph("It is the only quiet time I have.")
    document.add_paragraph("Owen Price: Same for me.")
    document.add_paragraph("Amara Lewis: One more thing: the reminders help.")
    document.add_paragraph("[laughter]")


def bold(document: Document) -> None:
    """Bold speaker names at the start of paragraphs, with and without colons."""
    document.add_paragraph().add_run("Interview 7 \u2013 Peer Support Champions").bold = True
    document.add_paragraph("Recorded 5 June 2024")
    _bold_paragraph(document, "Interviewer:", " How did you become a peer champion?")
    _bold_paragraph(document, "Grace Obi", " I was a member first, then they asked me to help.")
    paragraph = document.add_paragraph("Now I run the ")
    paragraph.add_run("Tuesday").bold = True
    paragraph.add_run(" group.")
    _bold_paragraph(document, "Interviewer", ": What is hard about it?")
    _bold_paragraph(document, "Grace Obi:", " Keeping up with messages.")
    _bold_paragraph(document, "Grace Obi:", " Also [pause] the training was short.")
    _bold_paragraph(document, "Interviewer:", "")
    document.add_paragraph("Thank you, Grace.")


def table(document: Document) -> None:
    """A speaker | text table with a header row, after a title paragraph."""
    document.add_paragraph("Focus group 5 transcript")
    _add_table(
        document,
        [
            ("Speaker", "Text"),
            ("Moderator", "What would you change about the app?"),
            ("P2", "Group video calls."),
            ("P2", "And a dark mode."),
            ("P4", "[inaudible]"),
            ("", "Sorry, a panic button."),
            ("Moderator:", "Thank you."),
        ],
    )


def table_times(document: Document) -> None:
    """A time | speaker | text table with a header row."""
    _add_table(
        document,
        [
            ("Time", "Speaker", "Text"),
            ("00:00:05", "Moderator", "Who reads the forum at night?"),
            ("00:00:09", "P7", "I do, most nights."),
            ("", "P7", "It helps me sleep."),
            ("00:01:10", "P9", "Not me."),
        ],
    )


def _bold_paragraph(document: Document, name: str, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(name).bold = True
    if text:
        paragraph.add_run(text)


def _add_table(document: Document, rows: Sequence[Sequence[str]]) -> None:
    grid = document.add_table(rows=len(rows), cols=len(rows[0]))
    for row, values in zip(grid.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value


def main() -> None:
    """Write every Word fixture."""
    for name, build in [
        ("labels.docx", labels),
        ("bold.docx", bold),
        ("table.docx", table),
        ("table-times.docx", table_times),
    ]:
        document = docx.Document()
        build(document)
        document.save(str(HERE / name))


if __name__ == "__main__":
    main()
