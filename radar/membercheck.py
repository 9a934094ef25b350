"""Member checking: packets for participants, and their answers read back as data.

``export_packets`` writes one Word packet per participant (``P07.docx``) or
per group: a cover letter from radar.toml, a plain-language summary of each
theme with one or two de-identified quotes, the participant's own
de-identified words, and a feedback form::

    Theme | Agree | Partly | Disagree | Comments

with "What is missing?" and "Anything to add?" boxes below. Every text in a
packet goes through the study's :class:`~radar.deidentify.Deidentifier`;
quotes are cited as "(a participant)", so nothing in a packet identifies
another participant. Each packet carries a hidden reference (the study's
member-check fingerprint and the packet's ID) in its document properties and
its footer; what was sent is recorded in ``.radar/member-check/sent.json``.

``import_packets`` reads the returned packets, records every answer in the
workbook's "Member check" sheet (Participant, Group, Theme, Verdict, Comment,
Packet, Imported) and in the audit trail, and summarises agreement per theme.
A packet that cannot be read is reported by file and row and left out; the
others are read; the same packet imported twice is counted once.

The cover letter's fields live in radar.toml::

    title = "Supervising digital peer support"

    [member_check]
    contact = "the study team, peer-study@example.org, 555-0100"
    deadline = "30 June 2026"
    support = "the peer support line, 0800 123 456 (free, every day 8am to 10pm)"
    return_to = "by email to peer-study@example.org"   # optional
    signed = "The study team"                          # optional
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import secrets
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radar import __version__
from radar import columns as C
from radar.config import StudyConfig
from radar.deidentify import Deidentifier, deidentifier_for
from radar.errors import MemberCheckError, WorkbookError
from radar.excel import HEADER_FILL as SHEET_FILL
from radar.excel import cell_text, open_workbook, read_sheet_rows
from radar.files import now_utc, write_atomic, write_text_atomic
from radar.folder import Folder, StudyPaths
from radar.formats import save_docx
from radar.reduction.history import append_audit, next_run_number, snapshot
from radar.reduction.readback import tables_from_workbook
from radar.reduction.records import Tables, segment_number
from radar.tally import label
from radar.themes import exemplars
from radar.transcripts import is_non_speech

if TYPE_CHECKING:
    import pandas as pd


BY = ("participant", "group")
CONTENTS = ("summary", "transcript", "both")
SHEET = "Member check"
SHEET_COLUMNS = ("Participant", "Group", "Theme", "Verdict", "Comment", "Packet", "Imported")
FEEDBACK_HEADER = ("Theme", "Agree", "Partly", "Disagree", "Comments")
VERDICTS = ("agree", "partly", "disagree")
NO_RESPONSE = "no response"
COMMENT = "comment"
SUMMARY_COLUMNS = ("theme", "agree", "partly", "disagree", "no_response", "comments")
MISSING_BOX = "What is missing?"
ADD_BOX = "Anything to add?"
CORRECT_BOX = "Anything to correct?"
BOXES = (MISSING_BOX, ADD_BOX, CORRECT_BOX)
CONFIG_TABLE = "member_check"
REQUIRED_FIELDS = ("contact", "deadline", "support")
RECORD_DIR = "member-check"
SENT_NAME = "sent.json"
IMPORTED_NAME = "imported.json"
QUOTES_PER_THEME = 2
COMMENT_JOIN = " | "
REFERENCE = "radar-member-check study={study} packet={packet}"
_REFERENCE = re.compile(r"radar-member-check study=([0-9a-f]+) packet=(\S+)")
_FOOTER_REFERENCE = re.compile(r"Packet reference:\s*(\S+)\s*/\s*([0-9a-f]{6,})")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)
MARGIN_CM = 2.5
BODY_FONT = "Arial"
HEADER_FILL = "D9E2F3"
SHEET_WIDTHS = {
    "Participant": 12,
    "Group": 14,
    "Theme": 36,
    "Verdict": 12,
    "Comment": 70,
    "Packet": 18,
    "Imported": 22,
}


# Records ---------------------------------------------------------------------------


def records_dir(paths: StudyPaths) -> Path:
    """Where member checking keeps its records: ``.radar/member-check``."""
    return paths.records / RECORD_DIR


def read_sent(paths: StudyPaths) -> dict[str, Any]:
    """What was sent: the study's packet fingerprint and every export round (empty if none)."""
    path = records_dir(paths) / SENT_NAME
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise MemberCheckError(
            f"{path}: cannot be read ({err}); restore it from a backup, it records which packets were sent"
        ) from err
    return data if isinstance(data, dict) else {}


def _write_json(path: Path, data: Mapping[str, Any]) -> None:

    write_text_atomic(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def sent_packets(record: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Every packet ever sent, by its reference (the file stem); the latest round wins."""
    packets: dict[str, dict[str, Any]] = {}
    for round_ in record.get("rounds", []):
        for packet in round_.get("packets", []):
            packets[str(packet["packet"])] = dict(packet, time=round_.get("time", ""))
    return packets


def safe_stem(identifier: str) -> str:
    """A file name stem from an ID: no folders, no dots in front, no reserved names.

    Example:
        >>> safe_stem("P07"), safe_stem("../../etc/passwd"), safe_stem("CON"), safe_stem("fg 1/a")
        ('P07', 'etc_passwd', '_CON', 'fg_1_a')
    """
    stem = _UNSAFE.sub("_", identifier).strip("._-")
    stem = re.sub(r"\.{2,}", ".", stem)[:80] or "packet"
    return f"_{stem}" if _RESERVED.match(stem) else stem


# Export ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeSummary:
    """One theme as a packet shows it: name, plain-language summary, quotes."""

    name: str
    summary: str
    quotes: tuple[str, ...]


@dataclass(frozen=True)
class Said:
    """One turn as a packet shows it."""

    group: str
    speaker: str  # a pseudonym, or Facilitator / Observer
    question: str
    text: str


@dataclass(frozen=True)
class Recipient:
    """Who a packet is for: a participant or a group, and what they said."""

    kind: str  # participant | group
    id: str
    groups: tuple[str, ...]
    turns: tuple[Said, ...]


@dataclass(frozen=True)
class ExportResult:
    """What ``export_packets`` wrote and which safeguards were active."""

    packets: tuple[Path, ...]
    safeguards: tuple[str, ...]
    record: Path
    by: str
    content: str


def letter_fields(config: StudyConfig, root: Path) -> dict[str, str]:
    """The cover letter's fields from radar.toml, refusing missing ones."""
    letter = config.member_check
    required = {"contact": letter.contact, "deadline": letter.deadline, "support": letter.support}
    missing = [key for key, value in required.items() if not value.strip()]
    if missing:
        raise MemberCheckError(
            f"radar.toml: the cover letter needs [{CONFIG_TABLE}] {', '.join(REQUIRED_FIELDS)} "
            f"(missing: {', '.join(missing)}); add for example "
            'contact = "the study team, study@example.org", deadline = "30 June 2026", '
            'support = "the support line, 0800 123 456 (free, every day)"'
        )
    fields = {key: " ".join(value.split()) for key, value in required.items()}
    fields["return_to"] = " ".join(letter.return_to.split())
    fields["signed"] = " ".join(letter.signed.split()) or "The study team"
    fields["title"] = config.display_title(root)
    return fields


def _refuse_names_in_letter(fields: Mapping[str, str], deid: Deidentifier) -> None:
    for key, value in fields.items():
        found = deid.found_terms(value)
        if found:
            where = "title" if key == "title" else f"[{CONFIG_TABLE}] {key}"
            raise MemberCheckError(
                f"radar.toml, {where}: it holds {found[0]!r}, which de-identification masks "
                "(a speaker's name or a [deidentify] term); packets name no one, so write a role "
                "or a team address instead, e.g. 'the study team, study@example.org'"
            )


def check_out_dir(study: Folder, out_dir: str | os.PathLike[str]) -> Path:
    """The folder packets go to, refusing the study's own records and transcripts."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise MemberCheckError(f"{out}: is a file; give a folder for the packets")
    resolved, root = out.resolve(), study.root.resolve()
    for inside, what in (
        (study.paths.records, "radar's records"),
        (study.paths.transcripts, "the transcripts"),
    ):
        folder = inside.resolve()
        if resolved == folder or folder in resolved.parents:
            raise MemberCheckError(
                f"{out}: is inside {what} ({inside}); give a folder of its own, e.g. {root / 'member-check'}"
            )
    if resolved == root:
        raise MemberCheckError(
            f"{out}: is the study folder itself; give a folder of its own, e.g. {root / 'member-check'}"
        )
    return out


def export_packets(
    study: Folder,
    out_dir: str | os.PathLike[str],
    by: str = "participant",
    content: str = "both",
    force: bool = False,
) -> ExportResult:
    """Write one member-check packet per participant or per group.

    Args:
        study: the study; its workbook must exist (``radar reduce`` first).
        out_dir: the folder to write to (created if needed); not inside the
            study's ``.radar`` or ``transcripts`` folders.
        by: ``participant`` (``P07.docx``) or ``group`` (``fg1.docx``).
        content: ``summary`` (themes and quotes), ``transcript`` (the
            participant's own words, or the group's transcript) or ``both``.
        force: overwrite packets already in ``out_dir``.

    Raises:
        MemberCheckError: for a bad option, folder or cover-letter field, or
            packets already in the folder without ``force``.
    """
    if by not in BY:
        raise MemberCheckError(f"--by {by!r}: packets go to one of {', '.join(BY)}")
    if content not in CONTENTS:
        raise MemberCheckError(f"--content {content!r}: use one of {', '.join(CONTENTS)}")
    out = check_out_dir(study, out_dir)
    fields = letter_fields(study.config(), study.root)
    tables = tables_from_workbook(study)
    deid = deidentifier_for(study)
    _refuse_names_in_letter(fields, deid)
    themes = theme_summaries(study, tables, deid)
    recipients = recipients_of(tables.phase1, by, deid)
    if not recipients:
        raise MemberCheckError(
            f"{study.paths.tables.name}: no participant spoke; there is no one to send a packet to"
        )
    stems = _unique_stems([r.id if r.kind == "participant" else deid.mask(r.id) for r in recipients])
    existing = [s for s in stems if (out / f"{s}.docx").exists()]
    if existing and not force:
        raise MemberCheckError(
            f"{out}: already holds packets ({', '.join(f'{s}.docx' for s in existing[:3])}"
            f"{'...' if len(existing) > 3 else ''}); give an empty folder, or --force to replace them"
        )
    paths = study.paths
    record = read_sent(paths)
    if not record.get("study"):
        record = {"study": secrets.token_hex(6), "rounds": list(record.get("rounds", []))}
        # the study's fingerprint is kept before any packet carries it
        _write_json(records_dir(paths) / SENT_NAME, record)
    token = str(record["study"])
    time = now_utc()
    written: list[Path] = []
    sent: list[dict[str, Any]] = []
    out.mkdir(parents=True, exist_ok=True)
    for recipient, stem in zip(recipients, stems):
        target = out / f"{stem}.docx"
        if target.resolve().parent != out.resolve():  # pragma: no cover - safe_stem prevents it
            raise MemberCheckError(f"{stem}: not a safe file name")
        document = build_packet(recipient, stem, token, themes, fields, content)
        save_docx(document, target)
        written.append(target)
        sent.append(
            {
                "packet": stem,
                "kind": recipient.kind,
                "id": recipient.id,
                "groups": list(recipient.groups),
                "themes": [t.name for t in themes],
                "file": target.name,
            }
        )
    round_ = {
        "time": time,
        "by": by,
        "content": content,
        "safeguards": list(deid.safeguards),
        "packets": sent,
    }
    record = {"study": token, "rounds": [*record.get("rounds", []), round_]}
    record_path = records_dir(paths) / SENT_NAME
    _write_json(record_path, record)
    append_audit(
        paths,
        {
            "action": "member-check export",
            "time": time,
            "radar_version": __version__,
            "by": by,
            "content": content,
            "sent": [p["packet"] for p in sent],
            "themes": [t.name for t in themes],
            "safeguards": list(deid.safeguards),
        },
    )
    return ExportResult(tuple(written), deid.safeguards, record_path, by, content)


def _unique_stems(ids: Sequence[str]) -> list[str]:
    stems: list[str] = []
    used: set[str] = set()
    for identifier in ids:
        stem = base = safe_stem(identifier)
        number = 2
        while stem.lower() in used:
            stem = f"{base}-{number}"
            number += 1
        used.add(stem.lower())
        stems.append(stem)
    return stems


def theme_summaries(study: Folder, tables: Tables, deid: Deidentifier) -> list[ThemeSummary]:
    """The themes with excerpts, ranked as in the tally, each with a summary and quotes."""
    codebook = study.codebook()
    themes = [str(t) for t, n in zip(tables.themes["theme"], tables.themes[C.TALLY_N]) if int(n) > 0]
    if not themes:
        raise MemberCheckError(
            f"{study.paths.tables.name}: no theme has coded excerpts yet; code the tables before member checking"
        )
    by_name = {t.name: t for t in codebook.themes}
    quotes = exemplars(tables.phase3, per_theme=QUOTES_PER_THEME)
    summaries = []
    for name in themes:
        theme = by_name.get(name)
        summary = theme.definition.strip() if theme else ""
        if not summary and theme and theme.codes:
            summary = "This theme is about " + _and_list([c.name.lower() for c in theme.codes]) + "."
        chosen = [deid.mask(q.text) for q in quotes.get(name, [])][:QUOTES_PER_THEME]
        summaries.append(ThemeSummary(name, deid.mask(summary), tuple(chosen)))
    return summaries


def _and_list(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def recipients_of(table1: pd.DataFrame, by: str, deid: Deidentifier) -> list[Recipient]:
    """Each participant (or group) with the turns their packet shows, masked."""
    rows = table1.to_dict("records")
    rows.sort(key=lambda r: (str(r[C.GROUP]), segment_number(str(r[C.SEGMENT_ID]))))
    rows = [r for r in rows if not is_non_speech(str(r[C.TEXT] or ""))]
    texts = deid.mask_all([str(r[C.TEXT] or "") for r in rows])
    questions = deid.mask_all([str(r[C.QUESTION] or "") for r in rows])
    said = [
        (r, Said(deid.mask(str(r[C.GROUP])), _speaker(r), question, text))
        for r, text, question in zip(rows, texts, questions)
    ]
    every = table1.to_dict("records")
    if by == "group":
        return [
            Recipient("group", g, (g,), tuple(s for r, s in said if str(r[C.GROUP]) == g))
            for g in sorted({str(r[C.GROUP]) for r in every})
        ]
    groups_of: dict[str, dict[str, None]] = {}
    turns_of: dict[str, list[Said]] = {}
    for r in every:
        if r[C.ROLE] == C.PARTICIPANT_ROLE:
            groups_of.setdefault(str(r[C.PARTICIPANT]), {})[str(r[C.GROUP])] = None
    for r, s in said:
        if r[C.ROLE] == C.PARTICIPANT_ROLE:
            turns_of.setdefault(str(r[C.PARTICIPANT]), []).append(s)
    return [
        Recipient("participant", pid, tuple(groups_of[pid]), tuple(turns_of.get(pid, ())))
        for pid in sorted(groups_of)
    ]


def _speaker(row: Mapping[Any, Any]) -> str:
    role = str(row[C.ROLE])
    if role == C.FACILITATOR_ROLE:
        return "Facilitator"
    if role == C.OBSERVER_ROLE:
        return "Observer"
    return str(row[C.PARTICIPANT])


# The Word packet -------------------------------------------------------------------


def build_packet(
    recipient: Recipient,
    stem: str,
    token: str,
    themes: Sequence[ThemeSummary],
    fields: Mapping[str, str],
    content: str,
) -> Any:
    """One packet as a python-docx Document, ready to save; every text in it is masked already."""
    from docx import Document
    from docx.shared import Cm, Pt

    document = Document()
    for section in document.sections:
        section.left_margin = section.right_margin = Cm(MARGIN_CM)
        section.top_margin = section.bottom_margin = Cm(MARGIN_CM)
    normal = document.styles["Normal"].font
    normal.name, normal.size = BODY_FONT, Pt(11)  # a plain sans-serif that every office suite has
    _stamp(document, stem, token, fields["title"])
    _footer(document, stem, token, fields["title"])
    group_word = _group_word(recipient)
    _letter(document, recipient, fields, content, group_word)
    if content in ("summary", "both"):
        _themes_section(document, themes)
    if content in ("transcript", "both"):
        _words_section(document, recipient, group_word)
    _feedback_section(document, recipient, themes, fields, content)
    return document


def _group_word(recipient: Recipient) -> str:
    return "discussion" if len(recipient.groups) == 1 else "discussions"


def _stamp(document: Any, stem: str, token: str, title: str) -> None:
    from datetime import UTC, datetime

    reference = REFERENCE.format(study=token, packet=stem)
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


def _footer(document: Any, stem: str, token: str, title: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    footer = document.sections[0].footer
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(f"{title} \u00b7 Packet reference: {stem} / {token} \u00b7 Page ")
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
    document.add_paragraph(
        "Nothing in this packet names you or anyone else. Every speaker is shown by a code such as P07, "
        "and names of people, places and organisations have been replaced by [name], [place] and "
        "[organisation]. Quotes are shown as said by \u201ca participant\u201d."
    )
    returning = f" {fields['return_to']}" if fields.get("return_to") else ""
    deadline = document.add_paragraph("Please return the form by ")
    deadline.add_run(fields["deadline"]).bold = True
    deadline.add_run(f"{returning}. If you have questions, please contact {fields['contact']}.")
    document.add_paragraph(
        f"If anything in this packet is upsetting, support is available: {fields['support'].rstrip('.')}."
    )
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
        _shade(cell)
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
    closing = document.add_paragraph("Thank you for your time. Please return this form by ")
    closing.add_run(fields["deadline"]).bold = True
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
    _shade(head)
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


def _shade(cell: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), HEADER_FILL)
    cell._tc.get_or_add_tcPr().append(shading)


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


# Import ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """One recorded answer: a verdict on a theme, or a free-text comment (Theme empty)."""

    participant: str
    group: str
    theme: str
    verdict: str  # agree | partly | disagree | no response | comment
    comment: str
    packet: str


@dataclass(frozen=True)
class Packet:
    """A returned packet, read."""

    file: str
    reference: str
    kind: str
    id: str
    answers: tuple[Answer, ...]
    digest: str

    @property
    def key(self) -> str:
        """Who answered: ``participant P07`` or ``group fg1``."""
        return f"{self.kind} {self.id}"


@dataclass(frozen=True)
class ImportResult:
    """What ``import_packets`` read, recorded, skipped and could not read."""

    summary: pd.DataFrame  # SUMMARY_COLUMNS, over every answer recorded so far
    sent: int
    returned: int
    recorded: tuple[Answer, ...]  # the answers this import added
    problems: tuple[str, ...]  # "FILE, row N: ..." for packets left out
    skipped: tuple[str, ...]  # packets already imported
    written: tuple[Path, ...] = ()

    @property
    def response_rate(self) -> float:
        """Returned packets over sent packets (0 when none were sent)."""
        return self.returned / self.sent if self.sent else 0.0

    def response_line(self) -> str:
        """``Response: 3 of 5 packets returned (60%).``"""
        return f"Response: {self.returned} of {self.sent} packets returned ({_percent(self.returned, self.sent)})."


def _label(n: int, total: int) -> str:
    """``3/5, 60%`` (JMIR's decimals)."""
    return label(n, total, "jmir")


def _percent(n: int, total: int) -> str:
    return _label(n, total).split(", ", 1)[-1] if total else "0%"


def import_packets(study: Folder, in_dir: str | os.PathLike[str]) -> ImportResult:
    """Read returned packets and record their answers.

    Every answer goes to the workbook's "Member check" sheet (the previous
    workbook is kept in ``.radar/history``) and to the audit trail. A packet
    that cannot be read, holds two marks in one row, comes from another study
    or names a participant no packet was sent to is reported and left out;
    the others are read. A packet already recorded is not counted again.

    Raises:
        MemberCheckError: when no packets were ever sent or the folder is missing.
        WorkbookError: when the workbook is open in Excel or its sheet is damaged.
    """
    paths = study.paths
    record = read_sent(paths)
    if not record.get("study"):
        raise MemberCheckError(
            f"{study.root}: no member-check packets were sent from this study; "
            f"run `radar member-check export {study.root} --out DIR` first"
        )
    folder = Path(in_dir)
    if not folder.is_dir():
        raise MemberCheckError(f"{folder}: no such folder; give the folder that holds the returned packets")
    workbook = study.require_tables()
    study.refuse_if_open()
    packets_sent = sent_packets(record)
    deid = deidentifier_for(study)
    rows = read_sheet(workbook)
    imported = _read_imported(paths)
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith((".", "~$")))
    if not files:
        raise MemberCheckError(f"{folder}: holds no files; put the returned .docx packets there")
    accepted, problems, skipped = _triage(files, str(record["study"]), packets_sent, deid, rows, imported)
    written: tuple[Path, ...] = ()
    new_rows: list[dict[str, str]] = []

    time = now_utc()
    entry: dict[str, Any] = {
        "action": "member-check import",
        "time": time,
        "radar_version": __version__,
        "folder": str(folder),
        "packets": {p.file: p.digest for p in accepted},
        "skipped": skipped,
        "problems": problems,
    }
    if accepted:
        run = next_run_number(paths)
        new_rows = [_answer_row(a, p.file, time) for p in accepted for a in p.answers]
        kept_copy = _record_answers(study, run, accepted, new_rows, imported, time)
        written = (workbook,)
        entry["run"] = run
        entry["answers"] = [{k: v for k, v in r.items() if v} for r in new_rows]
        entry["previous_version"] = kept_copy.relative_to(study.root).as_posix() if kept_copy else None
    append_audit(paths, entry)
    all_rows = rows + new_rows
    returned = {_row_key(r) for r in all_rows} & {f"{p['kind']} {p['id']}" for p in packets_sent.values()}
    sent_keys = {f"{p['kind']} {p['id']}" for p in packets_sent.values()}
    return ImportResult(
        summary_frame(all_rows, _theme_order(record)),
        len(sent_keys),
        len(returned),
        tuple(a for p in accepted for a in p.answers),
        tuple(problems),
        tuple(skipped),
        written,
    )


def _triage(
    files: Sequence[Path],
    token: str,
    sent: Mapping[str, Mapping[str, Any]],
    deid: Deidentifier,
    rows: Sequence[Mapping[str, str]],
    imported: Mapping[str, Mapping[str, str]],
) -> tuple[list[Packet], list[str], list[str]]:
    """The packets to record, the problems that keep others out, and the ones already recorded."""
    recorded = {_row_key(r) for r in rows}
    accepted: list[Packet] = []
    problems: list[str] = []
    skipped: list[str] = []
    this_run: dict[str, Packet] = {}
    for path in files:
        if path.suffix.lower() != ".docx":
            problems.append(
                f"{path.name}: not a Word packet (.docx); open it and save it as .docx, or leave it out"
            )
            continue
        packet, errors = read_packet(path, token, sent, deid)
        if packet is None:
            problems += errors
            continue
        earlier = this_run.get(packet.key)
        if earlier is not None:
            if earlier.digest == packet.digest:
                skipped.append(f"{path.name}: the same answers as {earlier.file}; counted once")
            else:
                problems.append(
                    f"{path.name}: a second packet from {packet.key} with different answers "
                    f"({earlier.file} was read); keep the right one in the folder and import again"
                )
            continue
        if packet.key in recorded:
            before = imported.get(packet.key, {})
            if before.get("digest") == packet.digest:
                skipped.append(
                    f"{path.name}: already imported ({before.get('file')}, {before.get('time')}); not counted again"
                )
            else:
                problems.append(
                    f"{path.name}: answers from {packet.key} are already in the {SHEET!r} sheet and this packet's "
                    f"answers differ; nothing was changed (delete that {packet.kind}'s rows in the sheet to import this one instead)"
                )
            continue
        this_run[packet.key] = packet
        accepted.append(packet)
    return accepted, problems, skipped


def _theme_order(record: Mapping[str, Any]) -> list[str]:
    order: list[str] = []
    for round_ in record.get("rounds", []):
        for packet in round_.get("packets", []):
            order += [t for t in packet.get("themes", []) if t not in order]
    return order


def read_packet(
    path: Path, study_token: str, sent: Mapping[str, Mapping[str, Any]], deid: Deidentifier
) -> tuple[Packet | None, list[str]]:
    """One returned packet's answers, or the problems that keep it out (by file and row)."""
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    name = path.name
    try:
        document = Document(io.BytesIO(path.read_bytes()))
    # A damaged or renamed package fails in any of these ways while it is parsed.
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, SyntaxError) as err:
        return None, [
            f"{name}: cannot be read as a Word file ({type(err).__name__}); open it in Word or LibreOffice, save it as .docx and import again"
        ]
    reference = packet_reference(document)
    if reference is None:
        return None, [
            f"{name}: not a radar member-check packet (no packet reference in its properties or footer)"
        ]
    token, stem = reference
    if token != study_token:
        return None, [
            f"{name}: this packet belongs to another study (reference {stem} / {token}); it was not sent from this one"
        ]
    info = sent.get(stem)
    if info is None:
        return None, [
            f"{name}: no packet {stem!r} was sent from this study (unknown participant or group); check the file"
        ]
    kind, identifier = str(info["kind"]), str(info["id"])
    groups = ", ".join(info.get("groups", []))
    participant, group = (identifier, groups) if kind == "participant" else ("", identifier)
    themes = [str(t) for t in info.get("themes", [])]
    answers, problems = _read_feedback(name, document, themes)
    if problems:
        return None, problems
    rows: list[Answer] = []
    for theme in themes:
        verdict, comment = answers.get(theme, (NO_RESPONSE, ""))
        rows.append(Answer(participant, group, theme, verdict, deid.mask(comment), name))
    for text in _free_text(document, answers.get("", (COMMENT, ""))[1]):
        rows.append(Answer(participant, group, "", COMMENT, deid.mask(text), name))
    digest = hashlib.sha256(
        json.dumps(
            [kind, identifier, [(a.theme, a.verdict, a.comment) for a in rows]], ensure_ascii=False
        ).encode()
    ).hexdigest()
    return Packet(name, stem, kind, identifier, tuple(rows), digest), []


def packet_reference(document: Any) -> tuple[str, str] | None:
    """(study fingerprint, packet) from a packet's properties, or from its footer."""
    properties = document.core_properties
    for value in (properties.identifier, properties.keywords, properties.comments):
        match = _REFERENCE.search(value or "")
        if match:
            return match.group(1), match.group(2)
    for section in document.sections:
        for paragraph in section.footer.paragraphs:
            match = _FOOTER_REFERENCE.search(paragraph.text)
            if match:
                return match.group(2), match.group(1)
    return None


def _cell_text(cell: Any) -> str:
    return " ".join(cell.text.split())


def _theme_key(text: str) -> str:
    return re.sub(r"\s*\(emerging\)$", "", " ".join(text.split()).casefold())


def _read_feedback(
    name: str, document: Any, themes: Sequence[str]
) -> tuple[dict[str, tuple[str, str]], list[str]]:
    """Verdict and comment per theme from the feedback table ("" holds comments in rows without a theme)."""
    wanted = [h.casefold() for h in FEEDBACK_HEADER]
    table = None
    columns: list[int] = []
    for candidate in document.tables:
        if not candidate.rows:
            continue
        header = [_cell_text(c).casefold() for c in candidate.rows[0].cells]
        if all(h in header for h in wanted):
            table, columns = candidate, [header.index(h) for h in wanted]
            break
    if table is None:
        return {}, [
            (
                f"{name}: the feedback table ({' | '.join(FEEDBACK_HEADER)}) is missing; "
                "ask for the packet again, or copy the answers into a fresh packet"
            )
        ]
    by_key = {_theme_key(t): t for t in themes}
    answers: dict[str, tuple[str, str]] = {}
    problems: list[str] = []
    loose: list[str] = []
    for number, row in enumerate(table.rows[1:], start=2):
        cells = row.cells
        if len(cells) <= max(columns):
            problems.append(
                f"{name}, feedback table row {number}: the row has lost cells; restore its five columns"
            )
            continue
        theme_text, *marks, comment = (_cell_text(cells[i]) for i in columns)
        where = f"{name}, feedback table row {number}"
        marked = [verdict for verdict, value in zip(VERDICTS, marks) if value]
        if not theme_text:
            if marked:
                problems.append(
                    f"{where}: a mark in a row without a theme; write the theme in the first cell"
                )
            elif comment:
                loose.append(comment)
            continue
        theme = by_key.get(_theme_key(theme_text))
        if theme is None:
            problems.append(
                f"{where}: {theme_text!r} is not one of the themes sent in this packet; restore the theme's name"
            )
            continue
        if theme in answers:
            problems.append(f"{where} ({theme}): the theme has two rows; keep one")
            continue
        if len(marked) > 1:
            problems.append(
                f"{where} ({theme}): marks in {' and '.join(m.capitalize() for m in marked)}; "
                "keep one mark per row (ask the participant if unsure) and import again"
            )
            continue
        answers[theme] = (marked[0] if marked else NO_RESPONSE, comment)
    if loose:
        answers[""] = (COMMENT, COMMENT_JOIN.join(loose))
    return answers, problems


def _free_text(document: Any, loose: str) -> list[str]:
    """The answers in the boxes below the table, each prefixed by its question."""
    texts = [f"Comments: {loose}"] if loose else []
    for table in document.tables:
        if not table.rows or not table.rows[0].cells:
            continue
        head = _cell_text(table.rows[0].cells[0])
        title = next((b for b in BOXES if head.casefold().startswith(b.casefold())), None)
        if title is None:
            continue
        written = " ".join(_cell_text(c) for row in table.rows[1:] for c in row.cells if _cell_text(c))
        if written:
            texts.append(f"{title} {written}")
    return texts


# The workbook sheet ----------------------------------------------------------------


def _row_key(row: Mapping[str, str]) -> str:
    if row.get("Participant"):
        return f"participant {row['Participant']}"
    return f"group {row.get('Group', '')}"


def _answer_row(answer: Answer, packet: str, time: str) -> dict[str, str]:
    return {
        "Participant": answer.participant,
        "Group": answer.group,
        "Theme": answer.theme,
        "Verdict": answer.verdict,
        "Comment": answer.comment,
        "Packet": packet,
        "Imported": time,
    }


def read_sheet(workbook_path: Path) -> list[dict[str, str]]:
    """The rows of the workbook's "Member check" sheet (none when it has no such sheet)."""
    workbook = open_workbook(workbook_path)
    try:
        if SHEET not in workbook.sheetnames:
            return []
        header, rows = read_sheet_rows(workbook, SHEET)
        _check_header(workbook_path, header)
        found = []
        for _, row in rows:
            values = {h: ("" if v is None else str(v).strip()) for h, v in zip(header, row) if h}
            if any(values.get(c) for c in ("Participant", "Group", "Theme", "Verdict", "Comment")):
                found.append({c: values.get(c, "") for c in SHEET_COLUMNS})
        return found
    finally:
        workbook.close()


def _check_header(path: Path, header: Sequence[str]) -> None:
    missing = [c for c in SHEET_COLUMNS if c not in header]
    if missing:
        raise WorkbookError(
            f"{path.name}, sheet {SHEET!r}: the column {missing[0]!r} is missing; "
            "restore the header row (radar finds columns by their names)"
        )


def _read_imported(paths: StudyPaths) -> dict[str, dict[str, str]]:
    path = records_dir(paths) / IMPORTED_NAME
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _record_answers(
    study: Folder,
    run: int,
    packets: Sequence[Packet],
    rows: Sequence[Mapping[str, str]],
    imported: Mapping[str, Any],
    time: str,
) -> Path | None:
    """Append the rows to the sheet (kept copy first, then the digests, then the workbook)."""
    import warnings

    from openpyxl import load_workbook

    paths = study.paths
    keep = study.config().history.keep
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # Excel extensions openpyxl does not keep
        workbook = load_workbook(paths.tables)
    if SHEET in workbook.sheetnames:
        sheet = workbook[SHEET]
        header = [str(c.value or "").strip() for c in sheet[1]]
        _check_header(paths.tables, header)
    else:
        sheet = _new_sheet(workbook)
        header = list(SHEET_COLUMNS)
    _append_rows(sheet, header, rows)
    kept_copy = snapshot(paths, run, keep)
    digests = dict(imported)
    for packet in packets:
        digests[packet.key] = {"digest": packet.digest, "file": packet.file, "time": time}
    _write_json(records_dir(paths) / IMPORTED_NAME, digests)
    write_atomic(paths.tables, workbook.save, suffix=".xlsx")
    return kept_copy


def _new_sheet(workbook: Any) -> Any:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(SHEET)
    sheet.append(list(SHEET_COLUMNS))
    for index, name in enumerate(SHEET_COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=SHEET_FILL)
        cell.alignment = Alignment(vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = SHEET_WIDTHS.get(name, 14)
    sheet.freeze_panes = "A2"
    return sheet


def _append_rows(sheet: Any, header: Sequence[str], rows: Sequence[Mapping[str, str]]) -> None:
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    wrap = Alignment(wrap_text=True, vertical="top")
    positions = {name: header.index(name) + 1 for name in SHEET_COLUMNS}
    last = sheet.max_row
    while last > 1 and all(c.value in (None, "") for c in sheet[last]):
        last -= 1
    for offset, row in enumerate(rows, start=1):
        for name, column in positions.items():
            value = cell_text(row.get(name, "")) or None
            cell = sheet.cell(row=last + offset, column=column, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # a participant's text never runs as a formula
            if name in ("Comment", "Theme"):
                cell.alignment = wrap
    width = max(len(header), len(SHEET_COLUMNS))
    sheet.auto_filter.ref = f"A1:{get_column_letter(width)}{last + len(rows)}"


# Summaries -------------------------------------------------------------------------


def summary_frame(rows: Iterable[Mapping[str, str]], themes: Sequence[str] = ()) -> pd.DataFrame:
    """Per theme: how many agreed, partly agreed, disagreed, gave no answer; the comments joined."""
    import pandas as pd

    counts: dict[str, dict[str, Any]] = {}
    for theme in themes:
        counts.setdefault(theme, _empty_counts())
    for row in rows:
        theme = row.get("Theme", "")
        if not theme:
            continue
        entry = counts.setdefault(theme, _empty_counts())
        verdict = row.get("Verdict", "").strip().lower()
        if verdict in VERDICTS:
            entry[verdict] += 1
        elif verdict in (NO_RESPONSE, "no_response", ""):
            entry["no_response"] += 1
        if row.get("Comment"):
            entry["comments"].append(row["Comment"])
    records = [
        (
            theme,
            c["agree"],
            c["partly"],
            c["disagree"],
            c["no_response"],
            COMMENT_JOIN.join(c["comments"]),
        )
        for theme, c in counts.items()
    ]
    return pd.DataFrame(records, columns=list(SUMMARY_COLUMNS))


def _empty_counts() -> dict[str, Any]:
    return {"agree": 0, "partly": 0, "disagree": 0, "no_response": 0, "comments": []}


@dataclass(frozen=True)
class MemberCheckStatus:
    """Member checking so far: packets sent and returned, agreement per theme."""

    sent: int
    sent_kind: str  # participants | groups | packets
    first_sent: str
    last_sent: str
    returned: int
    summary: pd.DataFrame
    rows: tuple[Mapping[str, str], ...] = field(default=(), repr=False)


def member_check_status(study: Folder) -> MemberCheckStatus | None:
    """Where member checking stands, from the records and the workbook (None if nothing was sent)."""
    record = read_sent(study.paths)
    packets = sent_packets(record)
    if not packets:
        return None
    rows = read_sheet(study.paths.tables) if study.paths.tables.exists() else []
    sent_keys = {f"{p['kind']} {p['id']}" for p in packets.values()}
    kinds = {str(p["kind"]) for p in packets.values()}
    kind = (
        "participants"
        if kinds == {"participant"}
        else "groups"
        if kinds == {"group"}
        else "participants or groups"
    )
    times = sorted(str(r.get("time", ""))[:10] for r in record.get("rounds", []) if r.get("packets"))
    returned = {_row_key(r) for r in rows} & sent_keys
    return MemberCheckStatus(
        len(sent_keys),
        kind,
        times[0],
        times[-1],
        len(returned),
        summary_frame(rows, _theme_order(record)),
        tuple(rows),
    )


def coreq_line(study: Folder) -> str:
    """COREQ item 28 (participant checking) in one sentence, after "Participant checking: "."""
    status = member_check_status(study)
    if status is None:
        return "not done (no member-check packets sent)."
    when = (
        f"on {status.first_sent}"
        if status.first_sent == status.last_sent
        else f"between {status.first_sent} and {status.last_sent}"
    )
    line = f"packets sent to {status.sent} {status.sent_kind} {when}; "
    if not status.returned:
        return line + "none returned yet."
    line += f"{status.returned} returned ({_label(status.returned, status.sent)})"
    parts = []
    for row in status.summary.to_dict("records"):
        agree, partly, disagree = int(row["agree"]), int(row["partly"]), int(row["disagree"])
        if agree + partly + disagree + int(row["no_response"]):
            parts.append(f"{row['theme']} {agree} agree, {partly} partly, {disagree} disagree")
    return line + ("; agreement per theme: " + "; ".join(parts) if parts else "") + "."


__all__ = [
    "Answer",
    "ExportResult",
    "ImportResult",
    "MemberCheckError",
    "MemberCheckStatus",
    "coreq_line",
    "export_packets",
    "import_packets",
    "member_check_status",
    "safe_stem",
    "summary_frame",
]
