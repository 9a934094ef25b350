"""The Word packet: a cover letter, the themes with quotes, the participant's words, a feedback form."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from radar.membercheck.records import (
    ADD_BOX,
    CORRECT_BOX,
    FEEDBACK_HEADER,
    FOOTER_REFERENCE,
    MISSING_BOX,
    REFERENCE,
    Recipient,
    ThemeSummary,
)
from radar.membercheck.wording import STAFF_WORDS, deadline_parts, in_sentence, support_words
from radar.word import shade

MARGIN_CM = 2.5


BODY_FONT = "Arial"


HEADER_FILL = "D9E2F3"


def build_packet(
    recipient: Recipient,
    stem: str,
    token: str,
    export: int,
    themes: Sequence[ThemeSummary],
    fields: Mapping[str, str],
    content: str,
) -> Any:
    """One packet as a python-docx Document, ready to save; every text in it is masked already.

    Its reference (study fingerprint, packet, export number) is in its document
    properties and in its footer, so a returned packet says which export it belongs to.
    """
    from docx import Document
    from docx.shared import Cm, Pt

    document = Document()
    for section in document.sections:
        section.left_margin = section.right_margin = Cm(MARGIN_CM)
        section.top_margin = section.bottom_margin = Cm(MARGIN_CM)
    normal = document.styles["Normal"].font
    normal.name, normal.size = BODY_FONT, Pt(11)  # a plain sans-serif that every office suite has
    _stamp(document, stem, token, export, fields["title"])
    _footer(document, stem, token, export, fields["title"])
    group_word = _group_word(recipient)
    _letter(document, recipient, fields, content, group_word)
    if content in ("summary", "both"):
        _themes_section(document, themes)
    if content in ("transcript", "both"):
        _words_section(document, recipient, group_word)
    _feedback_section(document, recipient, themes, fields, content)
    return document


def packet_texts(recipient: Recipient, themes: Sequence[ThemeSummary], content: str) -> list[tuple[str, str]]:
    """Every text a packet shows that comes from the study, each with where it comes from.

    ``where`` is the Segment ID of a quote, a turn or its question, else
    ``theme 'Name'`` or ``group fg1``; the review of suspected names reads
    exactly these. The packet's fixed wording is radar's own, and the cover
    letter's fields the team's (refused when they hold a listed name), so
    neither is among them.
    """
    texts: list[tuple[str, str]] = []
    if content in ("summary", "both"):
        for theme in themes:
            texts += [(f"theme {theme.name!r}", theme.name), (f"theme {theme.name!r}", theme.summary)]
            segments = [*theme.segments, *[""] * len(theme.quotes)]
            texts += [(segment or f"theme {theme.name!r}", q) for segment, q in zip(segments, theme.quotes)]
    if content in ("transcript", "both"):
        for said in recipient.turns:
            where = said.segment or f"group {said.group}"
            texts += [(f"group {said.group}", said.group), (where, said.question), (where, said.text)]
    return [(where, text) for where, text in dict.fromkeys(texts) if text]


def _group_word(recipient: Recipient) -> str:
    return "discussion" if len(recipient.groups) == 1 else "discussions"


def _stamp(document: Any, stem: str, token: str, export: int, title: str) -> None:
    from datetime import UTC, datetime

    reference = REFERENCE.format(study=token, packet=stem, export=export)
    properties = document.core_properties
    now = datetime.now(UTC).replace(microsecond=0)
    properties.title = f"{title}: checking our findings"
    properties.subject = "Member-check packet"
    properties.author = "radar"
    properties.last_modified_by = "radar"
    properties.category = "member check"
    properties.keywords = reference
    properties.identifier = reference
    properties.comments = reference
    properties.created = now
    properties.modified = now
    properties.revision = 1


def _footer(document: Any, stem: str, token: str, export: int, title: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    footer = document.sections[0].footer
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    reference = FOOTER_REFERENCE.format(packet=stem, study=token, export=export)
    run = paragraph.add_run(f"{title} \u00b7 {reference} \u00b7 Page ")
    run.font.size = Pt(8)
    _field(paragraph, "PAGE", 8)
    paragraph.add_run(" of ").font.size = Pt(8)
    _field(paragraph, "NUMPAGES", 8)


def _field(paragraph: Any, instruction: str, size: int) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field_ = OxmlElement("w:fldSimple")
    field_.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    font_size = OxmlElement("w:sz")
    font_size.set(qn("w:val"), str(size * 2))
    properties.append(font_size)
    run.append(properties)
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field_.append(run)
    paragraph._p.append(field_)


def _letter(
    document: Any, recipient: Recipient, fields: Mapping[str, str], content: str, group_word: str
) -> None:
    document.add_paragraph("Checking our findings with you", style="Title")
    document.add_paragraph(fields["title"], style="Subtitle")
    if recipient.kind == "participant":
        intro = document.add_paragraph()
        intro.add_run("Your code in this study: ").bold = True
        intro.add_run(f"{recipient.id}. We use this code instead of your name.")
        document.add_paragraph("Dear participant,")
        whose = "what you said"
    else:
        document.add_paragraph("Dear participants,")
        whose = "what was said in your group"
    document.add_paragraph(
        f"Thank you for taking part in {fields['title']}. We have now analysed what everyone said in the "
        f"{group_word}, and we would like to check our findings with you: do they match your experience, "
        "and have we missed anything?"
    )
    holds = {
        "summary": "a short summary of each theme we found, with one or two quotes",
        "transcript": f"{whose}, as it was written down",
        "both": f"a short summary of each theme we found, with one or two quotes, and {whose}, as it was written down",
    }[content]
    document.add_paragraph(f"This packet holds {holds}. At the end is a short form for your answers.")
    document.add_paragraph(
        "Taking part in this check is voluntary. You can answer all of the questions, some of them or none, "
        "and you do not have to give a reason. Whatever you decide will not affect you in any way."
    )
    staff = " or ".join(f"\u201c{w}\u201d" for w in STAFF_WORDS.values())
    document.add_paragraph(
        "Nothing in this packet names you or anyone else. Every participant is shown by a code such as P07 "
        f"and the research team as {staff}; names of people, places and organisations have been replaced "
        "by [name], [place] and [organisation]. Quotes are shown as said by \u201ca participant\u201d."
    )
    returning = f" {fields['return_to']}" if fields.get("return_to") else ""
    by, deadline_text = deadline_parts(fields["deadline"])
    deadline = document.add_paragraph(f"Please return the form {by}")
    deadline.add_run(deadline_text).bold = True
    deadline.add_run(f"{returning}. If you have questions, please contact {in_sentence(fields['contact'])}.")
    document.add_paragraph(support_words(fields["support"]))
    document.add_paragraph("With thanks,")
    document.add_paragraph(fields["signed"])
    document.add_heading("How to fill in the form", level=2)
    steps = []
    if content in ("summary", "both"):
        steps.append("Read the summary of each theme on the next pages.")
    if content in ("transcript", "both"):
        steps.append(f"Read {whose}; tell us in the form if anything is wrong or missing.")
    steps += [
        (
            "In the table under \u201cYour feedback\u201d, put an X in one box for each theme: "
            "Agree, Partly or Disagree. Leave a row empty if you prefer not to answer."
        ),
        "Write anything you like in the Comments column and in the boxes below the table.",
        f"Save the file and send it back{returning}; or print it, fill it in by hand and return it.",
        "Please keep the line at the bottom of each page: it tells us which packet this is.",
    ]
    for step in steps:
        document.add_paragraph(step, style="List Number")


def _themes_section(document: Any, themes: Sequence[ThemeSummary]) -> None:
    heading = document.add_heading("What we found", level=1)
    heading.paragraph_format.page_break_before = True
    document.add_paragraph(
        f"We found {len(themes)} themes: things that several people talked about. "
        "Each is described below in a few words, with quotes from the discussions."
    )
    for theme in themes:
        document.add_heading(theme.name, level=2)
        document.add_paragraph(theme.summary or "(No summary was written for this theme.)")
        for quote in theme.quotes:
            paragraph = document.add_paragraph(style="Quote")
            paragraph.add_run(f"\u201c{quote}\u201d")
            paragraph.add_run(" (a participant)").italic = False


def _words_section(document: Any, recipient: Recipient, group_word: str) -> None:
    from docx.shared import Pt, RGBColor

    title = "What you said" if recipient.kind == "participant" else "What was said in your group"
    heading = document.add_heading(title, level=1)
    heading.paragraph_format.page_break_before = True
    if not recipient.turns:
        document.add_paragraph("Nothing you said was recorded in the transcript.")
        return
    if recipient.kind == "participant":
        document.add_paragraph(
            f"These are your own words from the {group_word}, in the order you said them, with names "
            "replaced as explained in the letter. The question you were answering is shown in grey above them."
        )
    else:
        document.add_paragraph(
            "This is the transcript of your group, with every speaker shown by a code and names replaced "
            "as explained in the letter."
        )
    several = len({s.group for s in recipient.turns}) > 1
    question: str | None = None
    group: str | None = None
    for said in recipient.turns:
        if several and said.group != group:
            document.add_heading(f"Discussion {said.group}", level=2)
            question = None
        group = said.group
        if recipient.kind == "participant":
            if said.question and said.question != question:
                asked = document.add_paragraph()
                run = asked.add_run(f"Question: {said.question}")
                run.italic = True
                run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
                run.font.size = Pt(10)
                asked.paragraph_format.space_after = Pt(2)
                question = said.question
            document.add_paragraph(said.text, style="List Bullet")
        else:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{said.speaker}: ").bold = True
            paragraph.add_run(said.text)


def _feedback_section(
    document: Any,
    recipient: Recipient,
    themes: Sequence[ThemeSummary],
    fields: Mapping[str, str],
    content: str,
) -> None:
    from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    heading = document.add_heading("Your feedback", level=1)
    heading.paragraph_format.page_break_before = True
    document.add_paragraph(
        "For each theme, put an X in one box: Agree (it matches my experience), Partly, or Disagree "
        "(it does not match my experience). Add a comment if you like. Leave a row empty if you prefer "
        "not to answer."
    )
    text_width = _text_width_cm(document)
    mark, theme_width = 2.0, 4.2
    widths = [theme_width, mark, mark, mark, text_width - theme_width - 3 * mark]
    table = document.add_table(rows=1, cols=len(FEEDBACK_HEADER))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, header in zip(table.rows[0].cells, FEEDBACK_HEADER):
        run = cell.paragraphs[0].add_run(header)
        run.bold = True
        run.font.size = Pt(10)
        if header in ("Agree", "Partly", "Disagree"):
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        shade(cell, HEADER_FILL)
    _repeat_header(table.rows[0])
    table.rows[0].height = Cm(0.8)
    table.rows[0].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    for theme in themes:
        row = table.add_row()
        row.height = Cm(1.6)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        _cant_split(row)
        row.cells[0].text = theme.name
        for cell in row.cells[1:4]:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_widths(table, widths)
    _vertical_centre(table)
    boxes = [(MISSING_BOX, "Is anything important missing from these themes?")]
    if content in ("transcript", "both"):
        what = "what you said" if recipient.kind == "participant" else "the transcript"
        boxes.append((CORRECT_BOX, f"Is anything wrong in {what}? Tell us what it should say."))
    boxes.append((ADD_BOX, "Is there anything else you would like to tell us?"))
    for title, prompt in boxes:
        document.add_paragraph()
        _box(document, title, prompt, text_width)
    document.add_paragraph()
    by, deadline_text = deadline_parts(fields["deadline"])
    closing = document.add_paragraph(f"Thank you for your time. Please return this form {by}")
    closing.add_run(deadline_text).bold = True
    closing.add_run(".")


def _box(document: Any, title: str, prompt: str, width: float) -> None:
    """A box to write in: a shaded title row kept with a tall empty row."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
    from docx.shared import Cm

    table = document.add_table(rows=2, cols=1)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    head = table.rows[0].cells[0]
    head.paragraphs[0].add_run(title).bold = True
    head.paragraphs[0].add_run(f"  {prompt}").italic = True
    head.paragraphs[0].paragraph_format.keep_with_next = True
    head.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    table.rows[0].height = Cm(0.8)
    table.rows[0].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    _cant_split(table.rows[0])
    shade(head, HEADER_FILL)
    table.rows[1].height = Cm(4.5)
    table.rows[1].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    _cant_split(table.rows[1])
    _set_widths(table, [width])


def _text_width_cm(document: Any) -> float:
    section = document.sections[0]
    return float(round((section.page_width - section.left_margin - section.right_margin) / 360000, 2))


def _set_widths(table: Any, widths_cm: Sequence[float]) -> None:
    from docx.shared import Cm

    table.autofit = False
    for column, width in zip(table.columns, widths_cm):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)


def _vertical_centre(table: Any) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT

    for row in table.rows:
        for cell in row.cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def _cant_split(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    keep = OxmlElement("w:cantSplit")
    keep.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(keep)
