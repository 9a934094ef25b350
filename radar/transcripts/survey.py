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

The participants' denominator is per question (METHOD.md): the respondents who
answered it, not everyone who took the survey (:func:`answered`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from radar.config import SurveySettings
from radar.errors import TranscriptError
from radar.speakers import Speaker
from radar.transcripts.model import Transcript, Turn, WordCount, count_words

SURVEY_SUFFIXES = (".csv", ".xlsx")
QUESTION_SPEAKER = "Survey question"
QUESTION_ID = "Q"  # the participant ID of the question turns (a facilitator's)
ID_HEADERS = ("respondent", "respondent id", "respondentid", "response id", "responseid", "id", "participant")
NOT_ANSWERS = frozenset({"n/a", "na", "n.a.", "none", "-", "--", "nothing", "no comment", "."})
REASON_BLANK = "blank"
REASON_NOT_ANSWER = "not an answer (n/a, none, -)"


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
            "survey",
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
    header = [" ".join(cell.split()) for cell in rows[0]]
    positions = {h.casefold(): i for i, h in reversed(list(enumerate(header))) if h}
    id_column = _id_column(name, header, positions, settings, where)
    attributes = [_column(name, positions, a, "attributes", settings) for a in settings.attributes]
    if settings.questions:
        questions = [_column(name, positions, q, "questions", settings) for q in settings.questions]
    else:
        taken = {id_column, *attributes}
        questions = [i for i, h in enumerate(header) if h and i not in taken]
    if not questions:
        raise TranscriptError(
            f"{name}: the survey has no question column besides {header[id_column]!r}; "
            "add the free-text answers, one column per question",
            path=name,
        )
    respondents: list[Respondent] = []
    by_label: dict[str, int] = {}
    answers: list[Answer] = []
    dropped: dict[int, dict[str, int]] = {q: {REASON_BLANK: 0, REASON_NOT_ANSWER: 0} for q in questions}
    body = [
        (number, cells) for number, cells in enumerate(rows[1:], start=2) if any(c.strip() for c in cells)
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
        values = tuple((header[a], " ".join(_get(cells, a).split())) for a in attributes)
        respondent = Respondent(label, f"R{len(respondents) + 1:0{width}d}", number, values)
        respondents.append(respondent)
    for q in questions:
        for respondent in respondents:
            text = _get(rows[respondent.row - 1], q).strip()
            reason = is_answer(text)
            if reason is None:
                answers.append(Answer(header[q], respondent, text, where(respondent.row, q, header)))
            else:
                dropped[q][reason] += 1
    return Survey(
        source,
        tuple(header[q] for q in questions),
        tuple(respondents),
        tuple(answers),
        tuple((header[q], tuple(dropped[q].items())) for q in questions),
    )


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
    "SURVEY_SUFFIXES",
    "Answer",
    "Respondent",
    "Survey",
    "answered",
    "answered_label",
    "is_answer",
    "is_survey",
    "read_survey",
]
