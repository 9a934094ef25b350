"""Open-ended survey answers: a ``.csv`` or ``.xlsx`` export, one row per respondent, read as turns.

A survey in ``transcripts/`` (one row per respondent, one column per question)
becomes one transcript whose Group ID is the file's stem. Each question is a
facilitator turn (speaker :data:`QUESTION_SPEAKER`, its text the column's
header) followed by one turn per respondent who answered it, so the reduction
gives each answer a segment whose Question is the header and whose Participant
is the respondent's pseudonym (``R001``, in row order). Blank answers and
answers that are not answers (:data:`NOT_ANSWERS`: "n/a", "none", "-"...) are
left out, and a note says how many per question.

A ``.csv`` or ``.xlsx`` in ``transcripts/`` is read as a survey only when
radar.toml names it (``[surveys.<stem>]``), so a stray spreadsheet is never read
into the tables. Which column is the respondent ID, which are questions and which are
attributes is said there (``[surveys.<stem>] id = "Respondent",
questions = [...], attributes = [...]``); without ``id`` the respondent column is
the one headed Respondent, Respondent ID, Response ID, ID or Participant, and
every other column is a question (without ``questions``). Attributes become the respondents'
attributes in the speakers list (for ``--by-attribute``).

Exports as the survey programs write them (:func:`layout`):

- **Qualtrics** writes three header rows: the column IDs (``Q1``), the question
  texts, and a row of ``{"ImportId":"QID1_TEXT"}`` cells. Both extra rows are
  headers, not respondents; a question is called by its text, and without
  ``questions`` only the text-entry columns (an ImportId ending ``_TEXT``) are
  read, the choice and rating columns being no free text.
- **SurveyMonkey** writes two: the questions, then ``Response`` / ``Open-Ended
  Response`` or each choice's label. Without ``questions`` only the open-ended
  and "Other (please specify)" columns are read.
- The programs' own columns (start and end dates, progress, collector,
  language, location...) and any column of names, contact details or IP
  addresses (``RecipientEmail``, ``Email Address``, ``First Name``: Qualtrics,
  SurveyMonkey, Microsoft and Google Forms put them there) are never read as
  questions, named in radar.toml or not; a note lists every column left out
  and why, so no answer goes unread without a word.

The participants' denominator is per question (METHOD.md): the respondents who
answered it, not everyone who took the survey (:func:`answered`).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from radar.config import SurveySettings
from radar.errors import TranscriptError
from radar.identifiers import identifying_header
from radar.speakers import Speaker
from radar.transcripts.model import Transcript, Turn, WordCount, count_words

SURVEY_SUFFIXES = (".csv", ".xlsx")
QUESTION_SPEAKER = "Survey question"
SURVEY_FORMAT = "survey"  # a survey's Transcript.format
QUESTION_ID = "Q"  # the participant ID of the question turns (a facilitator's)
ID_HEADERS = ("respondent", "respondent id", "respondentid", "response id", "responseid", "id", "participant")
NOT_ANSWERS = frozenset({"n/a", "na", "n.a.", "none", "-", "--", "nothing", "no comment", "."})
REASON_BLANK = "blank"
REASON_NOT_ANSWER = "not an answer (n/a, none, -)"
QUALTRICS = "Qualtrics"
SURVEYMONKEY = "SurveyMonkey"
# The survey programs' own columns, letters and digits only (Qualtrics, SurveyMonkey,
# Google Forms, Microsoft Forms): when a response started, from where, how far it got.
METADATA_COLUMNS = frozenset({
    "startdate", "enddate", "status", "progress", "durationinseconds", "finished",
    "recordeddate", "externalreference", "externaldatareference", "locationlatitude",
    "locationlongitude", "distributionchannel", "userlanguage", "qrecaptchascore",
    "qrelevantidduplicate", "qrelevantidduplicatescore", "qrelevantidfraudscore",
    "qrelevantidlaststartdate", "qballotboxstuffing", "collectorid", "timestamp", "starttime",
    "completiontime", "lastmodifiedtime", "totalpoints", "quizfeedback", "score",
})  # fmt: skip
_CONTACT_COLUMNS = frozenset({
    "recipientlastname", "recipientfirstname", "recipientemail", "emailaddress", "firstname",
    "lastname", "email", "name", "phonenumber", "ipaddress",
})  # fmt: skip
_CUSTOM_DATA = re.compile(r"customdata\d*")
REASON_METADATA = "the survey program's own column"
REASON_CONTACT = "names, contact details or IP addresses: never read"
REASON_NOT_FREE_TEXT = "not free text in the export: a choice or rating"
_MONKEY_ANSWERS = ("response", "open-ended response")


@dataclass(frozen=True)
class Respondent:
    """One row of a survey: the respondent's ID as written, pseudonym, row and attributes."""

    label: str
    pseudonym: str
    row: int  # the file's row, the header being row 1
    attributes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Answer:
    """One respondent's answer to one question."""

    question: str
    respondent: Respondent
    text: str
    cell: str  # where it is: "C7" in a workbook, "row 7, column 'Q2'" in a CSV


@dataclass(frozen=True)
class Survey:
    """A survey export as radar reads it.

    Attributes:
        path: The file.
        questions: The free-text questions (column headers) in file order.
        respondents: One per row, in file order.
        answers: The non-empty answers, question by question.
        dropped: For each question, its (reason, count) of answers left out.
    """

    path: Path
    questions: tuple[str, ...]
    respondents: tuple[Respondent, ...]
    answers: tuple[Answer, ...]
    dropped: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]
    skipped: tuple[tuple[str, str], ...] = ()  # (column, why) of the columns not read as questions
    writer: str = ""  # the program whose export shape was recognised (Qualtrics, SurveyMonkey)

    @property
    def group(self) -> str:
        return self.path.stem

    def attribute_names(self) -> tuple[str, ...]:
        names: dict[str, None] = {}
        for respondent in self.respondents:
            names.update(dict.fromkeys(name for name, _ in respondent.attributes))
        return tuple(names)

    def speakers(self) -> tuple[Speaker, ...]:
        """The question speaker and every respondent, as speakers.csv rows of the survey's group."""
        question = Speaker(QUESTION_SPEAKER, QUESTION_ID, "facilitator", self.group)
        people = (
            Speaker(r.label, r.pseudonym, "participant", self.group, r.attributes) for r in self.respondents
        )
        return (question, *people)

    def notes(self) -> tuple[str, ...]:
        notes = []
        if self.writer:
            notes.append(f"{self.path.name}: read as a {self.writer} export ({_HEADER_ROWS[self.writer]})")
        by_reason: dict[str, list[str]] = {}
        for column, why in self.skipped:
            by_reason.setdefault(why, []).append(column)
        for why, columns in by_reason.items():
            shown = ", ".join(repr(c) for c in columns[:8]) + (
                f" and {len(columns) - 8} more" if len(columns) > 8 else ""
            )
            notes.append(f"{self.path.name}: not read as questions ({why}): {shown}")
        for question, reasons in self.dropped:
            said = "; ".join(f"{count} {reason}" for reason, count in reasons if count)
            if said:
                notes.append(f"{self.path.name}, question {question!r}: answers left out: {said}")
        return tuple(notes)

    def transcript(self) -> Transcript:
        """The survey as turns: each question as a facilitator turn, then its answers."""
        turns: list[Turn] = []
        for question in self.questions:
            turns.append(Turn(QUESTION_SPEAKER, question, "", 1))
            turns += [
                Turn(a.respondent.label, a.text, "", a.respondent.row)
                for a in self.answers
                if a.question == question
            ]
        words = sum(count_words(turn.text) for turn in turns)
        return Transcript(
            self.path,
            self.group,
            SURVEY_FORMAT,
            "survey",
            tuple(turns),
            (),
            words=WordCount(words, words, 0, 0),
            remarks=self.notes(),  # blanks left out: worth knowing, no problem
        )


def answered(survey: Survey) -> dict[str, int]:
    """Each question's denominator: the respondents who answered it (blank and n/a-style answers not counted)."""
    counts = dict.fromkeys(survey.questions, 0)
    seen: set[tuple[str, str]] = set()
    for answer in survey.answers:
        if (answer.question, answer.respondent.label) not in seen:
            seen.add((answer.question, answer.respondent.label))
            counts[answer.question] += 1
    return counts


def answered_label(n: int) -> str:
    """The denominator's words for a per-question tally.

    Example:
        >>> answered_label(143)
        'N = respondents who answered the question: 143'
    """
    return f"N = respondents who answered the question: {n}"


def is_survey(path: Path) -> bool:
    return path.suffix.lower() in SURVEY_SUFFIXES


def is_answer(text: str) -> str | None:
    """None when the text is an answer, else the reason it is not.

    Example:
        >>> is_answer("  "), is_answer("N/A"), is_answer("More evening sessions.")
        ('blank', 'not an answer (n/a, none, -)', None)
    """
    cleaned = " ".join(text.split())
    if not cleaned:
        return REASON_BLANK
    if cleaned.casefold() in NOT_ANSWERS:
        return REASON_NOT_ANSWER
    return None


@dataclass(frozen=True)
class Layout:
    """How an export lays out its header: what each column is called, where respondents start.

    Attributes:
        writer: The program recognised (:data:`QUALTRICS`, :data:`SURVEYMONKEY`), or "".
        header: Row 1, each cell's spaces collapsed (Qualtrics' column IDs: ``Q1``).
        labels: Each column's name in the tables: the question's text where the
            export gives it in a second row, else the header.
        body: The index of the first respondent's row (1 after one header row).
        free_text: The columns the export marks as free text; None when it does not say.
    """

    writer: str
    header: tuple[str, ...]
    labels: tuple[str, ...]
    body: int
    free_text: frozenset[int] | None


_HEADER_ROWS = {
    QUALTRICS: "rows 2-3 are its question texts and import IDs, not respondents",
    SURVEYMONKEY: "row 2 is its answer types, not a respondent",
}


def import_id(cell: str) -> str | None:
    """The ImportId of a Qualtrics third-row cell, else None.

    Example:
        >>> import_id('{"ImportId":"QID2_TEXT"}'), import_id("I like it")
        ('QID2_TEXT', None)
    """
    text = cell.strip()
    if not (text.startswith("{") and "ImportId" in text):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    found = value.get("ImportId") if isinstance(value, dict) else None
    return found if isinstance(found, str) else None


def layout(rows: Sequence[Sequence[str]]) -> Layout:
    """The header of an export: one row, Qualtrics' three or SurveyMonkey's two."""
    header = tuple(" ".join(cell.split()) for cell in rows[0])
    width = len(header)

    def row(index: int) -> tuple[str, ...]:
        cells = rows[index] if index < len(rows) else ()
        return tuple(" ".join(_get(cells, i).split()) for i in range(width))

    for ids_at in (2, 1):  # Qualtrics: the ImportId row third, or second when the text row is off
        ids = [import_id(cell) for cell in row(ids_at)]
        if any(ids) and sum(bool(i) for i in ids) >= sum(bool(h) for h in header) / 2:
            texts = row(1) if ids_at == 2 else header
            labels = tuple(t or h for t, h in zip(texts, header, strict=True))
            free = frozenset(i for i, found in enumerate(ids) if found and found.upper().endswith("_TEXT"))
            return Layout(QUALTRICS, header, labels, ids_at + 1, free)
    second = row(1)
    kinds = [cell.casefold() for cell in second]
    if "open-ended response" in kinds or ("response" in kinds and not second[0]):
        named: list[str] = []
        marked: set[int] = set()
        question = ""
        for i, (head, kind) in enumerate(zip(header, second, strict=True)):
            question = head or question
            if kind.casefold() in _MONKEY_ANSWERS or not kind:
                named.append(head or question)
            else:  # a choice's label, or "Other (please specify)" under the question
                named.append(f"{question} - {kind}" if question else kind)
            if kind.casefold() == "open-ended response" or "please specify" in kind.casefold():
                marked.add(i)
        return Layout(SURVEYMONKEY, header, tuple(named), 2, frozenset(marked))
    return Layout("", header, header, 1, None)


def left_out(header: str) -> str:
    """Why a column is never a question: the survey program's own, or names and contact details.

    Example:
        >>> left_out("RecipientEmail"), left_out("Start Date"), left_out("Q2")
        ('names, contact details or IP addresses: never read', "the survey program's own column", '')
    """
    key = re.sub(r"[^a-z0-9]", "", header.casefold())
    if key in _CONTACT_COLUMNS or (len(header.split()) <= 3 and identifying_header(header)):
        return REASON_CONTACT
    if key in METADATA_COLUMNS or _CUSTOM_DATA.fullmatch(key):
        return REASON_METADATA
    return ""


def read_survey(path: str | Path, settings: SurveySettings | None = None) -> Survey:
    """Read a survey export (``.csv`` or ``.xlsx``, the first sheet) into its respondents and answers.

    Raises:
        TranscriptError: the file cannot be read, has no respondent column, a
            respondent is given twice or without an ID, or a column radar.toml
            names is not in the header; each names the file and the cell.
    """
    source = Path(path)
    name = source.name
    settings = settings or SurveySettings(source.stem)
    rows, where = _rows(source)
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise TranscriptError(
            f"{name}: the survey has no header row; put the questions' headers in row 1", path=name
        )
    shape = layout(rows)
    header, labels = list(shape.header), list(shape.labels)
    positions = _positions(header, labels)
    id_column = _id_column(name, header, positions, settings, where)
    attributes = [_column(name, positions, a, "attributes", settings) for a in settings.attributes]
    skipped: list[tuple[str, str]] = []
    if settings.questions:
        questions = [_column(name, positions, q, "questions", settings) for q in settings.questions]
        for q in questions:
            if left_out(header[q]) == REASON_CONTACT:
                raise TranscriptError(
                    f"{name}, {where(1, q, header)}: the column {labels[q]!r} holds names or contact "
                    f"details, which radar never reads; take it out of [surveys.{settings.stem}] questions",
                    path=name,
                    row=1,
                )
    else:
        questions = []
        taken = {id_column, *attributes}
        for i, head in enumerate(header):
            if i in taken or not labels[i]:
                continue
            reason = left_out(head) or left_out(labels[i])
            if not reason and shape.free_text is not None and i not in shape.free_text:
                reason = REASON_NOT_FREE_TEXT
            if reason:
                skipped.append((labels[i], reason))
            else:
                questions.append(i)
    if not questions:
        raise TranscriptError(
            f"{name}: the survey has no question column besides {header[id_column]!r}; "
            "add the free-text answers, one column per question, or name them in radar.toml: "
            f"[surveys.{settings.stem}] questions = [...]",
            path=name,
        )
    respondents: list[Respondent] = []
    by_label: dict[str, int] = {}
    answers: list[Answer] = []
    dropped: dict[int, dict[str, int]] = {q: {REASON_BLANK: 0, REASON_NOT_ANSWER: 0} for q in questions}
    body = [
        (number, cells)
        for number, cells in enumerate(rows[shape.body :], start=shape.body + 1)
        if any(c.strip() for c in cells)
    ]
    width = max(3, len(str(len(body))))
    for number, cells in body:
        label = " ".join(_get(cells, id_column).split())
        if not label:
            raise TranscriptError(
                f"{name}, {where(number, id_column, header)}: the respondent ID is empty; "
                "give every row its respondent's ID",
                path=name,
                row=number,
            )
        if label.casefold() in by_label:
            raise TranscriptError(
                f"{name}, {where(number, id_column, header)}: respondent {label!r} is given twice "
                f"(first in row {by_label[label.casefold()]}); keep one row per respondent",
                path=name,
                row=number,
            )
        by_label[label.casefold()] = number
        values = tuple(
            (_attribute_name(a, header, labels, settings), " ".join(_get(cells, a).split()))
            for a in attributes
        )
        respondent = Respondent(label, f"R{len(respondents) + 1:0{width}d}", number, values)
        respondents.append(respondent)
    for q in questions:
        for respondent in respondents:
            text = _get(rows[respondent.row - 1], q).strip()
            not_answer = is_answer(text)
            if not_answer is None:
                answers.append(Answer(labels[q], respondent, text, where(respondent.row, q, header)))
            else:
                dropped[q][not_answer] += 1
    return Survey(
        source,
        tuple(labels[q] for q in questions),
        tuple(respondents),
        tuple(answers),
        tuple((labels[q], tuple(dropped[q].items())) for q in questions),
        tuple(skipped),
        shape.writer,
    )


def _positions(header: Sequence[str], labels: Sequence[str]) -> dict[str, int]:
    """Each column by its header and by its label (Qualtrics' ``Q1`` and its question's text)."""
    positions: dict[str, int] = {}
    for names in (labels, header):  # the header wins where a label and a header coincide
        positions.update({h.casefold(): i for i, h in reversed(list(enumerate(names))) if h})
    return positions


def _attribute_name(
    column: int, header: Sequence[str], labels: Sequence[str], settings: SurveySettings
) -> str:
    """An attribute's name for --by-attribute: as radar.toml gives it, in the header's spelling."""
    for given in settings.attributes:
        key = " ".join(given.split()).casefold()
        if key == header[column].casefold():
            return header[column]
        if key == labels[column].casefold():
            return labels[column]
    return header[column]


Where = Any  # (row, column, header) -> str


def _get(cells: Sequence[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


def _id_column(
    name: str, header: list[str], positions: Mapping[str, int], settings: SurveySettings, where: Where
) -> int:
    if settings.id:
        return _column(name, positions, settings.id, "id", settings)
    for candidate in ID_HEADERS:
        if candidate in positions:
            return positions[candidate]
    raise TranscriptError(
        f"{name}, {where(1, None, header)}: the survey has no respondent column (headed Respondent, "
        "Respondent ID, Response ID, ID or Participant); add one, or name it in radar.toml: "
        f'[surveys.{settings.stem}] id = "..."',
        path=name,
        row=1,
    )


def _column(name: str, positions: Mapping[str, int], header: str, key: str, settings: SurveySettings) -> int:
    found = positions.get(" ".join(header.split()).casefold())
    if found is None:
        raise TranscriptError(
            f"{name}, row 1: there is no column headed {header!r}, which radar.toml's "
            f"[surveys.{settings.stem}] {key} names; correct the header or radar.toml",
            path=name,
            row=1,
        )
    return found


def _rows(path: Path) -> tuple[list[list[str]], Where]:
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as error:
        raise TranscriptError(
            f"{name}: cannot be read ({error.strerror}); check the file", path=name
        ) from error
    if path.suffix.lower() == ".xlsx":
        return _xlsx_rows(name, data), _xlsx_where
    return _csv_rows(name, data), _csv_where


def _csv_rows(name: str, data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if "\x00" in text:
        raise TranscriptError(f"{name}: is not a text CSV file; export the survey as CSV or .xlsx", path=name)
    sample = text[:4096]
    delimiter = max(",;\t", key=lambda d: sample.split("\n", 1)[0].count(d))
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def _xlsx_rows(name: str, data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise TranscriptError(
            f"{name}: is not a readable .xlsx workbook ({type(error).__name__}); save it again from Excel",
            path=name,
        ) from error
    try:
        sheet = book.worksheets[0]
        return [["" if v is None else _cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _cell(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_where(row: int, column: int | None, header: Sequence[str]) -> str:
    from openpyxl.utils import get_column_letter

    return f"row {row}" if column is None else f"cell {get_column_letter(column + 1)}{row}"


def _csv_where(row: int, column: int | None, header: Sequence[str]) -> str:
    return f"row {row}" if column is None else f"row {row}, column {header[column]!r}"


__all__ = [
    "NOT_ANSWERS",
    "QUESTION_SPEAKER",
    "SURVEY_FORMAT",
    "SURVEY_SUFFIXES",
    "Answer",
    "Layout",
    "Respondent",
    "Survey",
    "answered",
    "answered_label",
    "import_id",
    "is_answer",
    "is_survey",
    "layout",
    "left_out",
    "read_survey",
]
