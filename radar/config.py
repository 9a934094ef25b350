"""radar.toml: the study's settings as one frozen, typed record.

Every key radar reads, with its default::

    title = "Supervising digital peer support"   # else the folder's name
    research_questions = ["How ...?"]             # one string is one question
    coders = ["A. Rivera", "B. Chen"]             # one string is one coder

    [history]
    keep = 20                  # versions of the workbook .radar/history/ keeps

    [member_check]             # the cover letter of member-checking packets
    contact = "the study team, study@example.org"
    deadline = "30 June 2026"
    support = "the support line, 0800 123 456 (free, every day)"
    return_to = "by email to study@example.org"   # optional
    signed = "The study team"                     # optional

    [deidentify]               # masked besides the speakers' names
    names = ["Aunt Rosa"]                 # -> [name]
    organisations = ["Acme Health"]       # -> [organisation]
    places = ["Springfield"]              # -> [place]
    keep = ["Zoom"]                       # never masked by NER nor flagged by the check
    ner = true                            # false, or the name of an installed spaCy pipeline
    min_cell = 3                          # counts of people under this are shown as "<3"; 1 shows all
    not_names = ["Hope"]                  # reviewed: found by the name rules, but not a name
    detect = true                         # mask names nobody listed that the rules are sure of
    pseudonym_style = "[{id}]"            # how a speaker's pseudonym reads in quotes: [P07]

    [deidentify.replace]                  # a term's own replacement
    Frank = "[husband]"

    [groups.fg1]               # one table per Group ID (a transcript's file name, no suffix)
    name = "Northside carers"  # shown in quote citations, the theme table, the heatmap, the report
    type = "focus group"       # or "interview": the report counts each
    date = 2026-05-03          # when it was held: the order of the saturation table

    [agreement]
    min_positive = 5           # a code marked on fewer segments is "too rare to assess"
    seed = 20200101            # the bootstrap's seed (Krippendorff's alpha)

    [saturation]               # Guest, Namey & Chen (2020)
    base = 4                   # transcripts in the base
    run = 2                    # transcripts in each run
    threshold = 5.0            # new information (% of the base's codes) at or below which saturation is met

    [report]
    dominant_share = 0.5       # flag a theme where one participant supplies more of a group's excerpts

:func:`load_config` parses the file once and checks every key. A value of the
wrong type is a :class:`~radar.errors.StudyError` that names the file and the
key and says what to write (``radar.toml, [history] keep: found 0; write a
whole number of at least 1, such as keep = 20``). An unknown key is a note
naming the nearest known one, except in ``[deidentify]``, where a misspelt
list would leave its terms unmasked, so it is an error.

Example:
    >>> config, notes = load_config(Path("no-such-folder") / CONFIG_NAME)
    >>> config.history.keep, notes
    (20, ())
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, NoReturn

from radar.errors import StudyError

CONFIG_NAME = "radar.toml"
DEFAULT_KEEP = 20  # versions of the workbook kept in .radar/history/
DEFAULT_MIN_CELL = 3  # counts of people or groups from 1 to this minus 1 are shown as "<3"
DEFAULT_MIN_POSITIVE = 5  # positive segments below which a code is too rare to assess
DEFAULT_SEED = 20_200_101  # the agreement bootstrap's seed
GROUP_TYPES = ("focus group", "interview")
DEFAULT_SEMANTIC_THRESHOLD = 0.4  # cosine similarity at or above which a code is suggested by meaning
DEFAULT_PSEUDONYM_STYLE = "[{id}]"  # [P07]: brackets mark a replacement in quoted text

CONFIG_TEMPLATE = """\
# radar.toml: settings of this study. Every line is optional.

# The study's title, used in reports and member-checking packets.
title = {title}

# The research questions the reduction answers.
research_questions = [
  # "How should digital peer support be supervised?",
]

# Who coded the tables (the report's COREQ item 24).
# coders = ["A. Rivera", "B. Chen"]

# What de-identification masks besides speakers' names (see `radar deidentify --check`).
# [deidentify]
# places = ["Springfield"]
# organisations = ["Acme Health"]
# names = ["Aunt Rosa"]
# keep = ["Zoom"]         # words never masked nor flagged
# ner = true              # spaCy's name finder, if a pipeline is installed (false to turn it off)
# min_cell = 3            # breakdowns and tables show counts of people under 3 as "<3" (1 shows all)
# not_names = ["Hope"]    # found by the name rules but reviewed: not a name
# detect = true           # mask names nobody listed that the rules are sure of (false: review only)
# pseudonym_style = "[{{id}}]"  # a speaker's pseudonym in quoted text: [P07]; "{{id}}" for plain P07
# [deidentify.replace]    # a term's own replacement, masked wherever it is written
# Frank = "[husband]"

# The cover letter of member-checking packets (`radar member-check export`).
# [member_check]
# contact = "the study team, study@example.org"
# deadline = "30 June 2026"
# support = "the support line, 0800 123 456 (free, every day)"

# Friendly names and kinds of groups, by Group ID (a transcript's file name without its suffix).
# The name appears in quote citations, the theme table, the heatmap and the report instead of the
# ID, so choose one that does not identify anyone (no place a reader could recognise); the Group
# column and the Segment IDs keep the ID.
# [groups.fg1]
# name = "Northside carers"
# type = "focus group"    # or "interview"

# How many earlier versions of the workbook .radar/history/ keeps.
# [history]
# keep = 20

# Transcripts that are documents (an article, notes), by file name without its suffix: each
# paragraph (line) is a segment of the speaker "Document", even where a line looks like "Note: ...".
# List "Document" in speakers.csv (with a group column for one source) to say whose it is.
# [transcripts]
# documents = ["policy-brief"]

# Semantic code suggestions, offline, besides the keywords (pip install "radar-qda[semantic]").
# [suggest]
# semantic = true
# threshold = 0.4    # the least similarity (0 to 1) of a turn to a code's definition or example
"""


@dataclass(frozen=True)
class HistorySettings:
    """``[history]``: how many earlier versions of the workbook to keep."""

    keep: int = DEFAULT_KEEP


@dataclass(frozen=True)
class MemberCheckSettings:
    """``[member_check]``: the cover letter's fields, as written (empty when not given).

    ``contact``, ``deadline`` and ``support`` are needed only to export packets,
    and are asked for then; ``signed`` falls back to "The study team" there.
    """

    contact: str = ""
    deadline: str = ""
    support: str = ""
    return_to: str = ""
    signed: str = ""


@dataclass(frozen=True)
class DeidentifySettings:
    """``[deidentify]``: the terms masked besides speakers' names, and spaCy NER."""

    names: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()  # never masked by NER nor flagged by the check
    ner: bool | str = True  # any installed pipeline, none, or the one named
    min_cell: int = DEFAULT_MIN_CELL  # counts of people or groups under it are shown as "<min_cell"
    not_names: tuple[str, ...] = ()  # reviewed: found by the name rules, not a name
    replace: tuple[tuple[str, str], ...] = ()  # [deidentify.replace]: (term, its own replacement)
    detect: bool = True  # mask the names nobody listed that the rules are sure of
    pseudonym_style: str = DEFAULT_PSEUDONYM_STYLE  # a speaker's pseudonym in masked text


@dataclass(frozen=True)
class GroupSettings:
    """``[groups.<ID>]``: a group's friendly name, type and date held (empty when not given)."""

    id: str
    name: str = ""
    type: str = ""  # one of GROUP_TYPES, or empty
    date: str = ""  # ISO date (2026-05-03), or empty


@dataclass(frozen=True)
class AgreementSettings:
    """``[agreement]``: when a code is too rare to assess, and the bootstrap's seed."""

    min_positive: int = DEFAULT_MIN_POSITIVE
    seed: int = DEFAULT_SEED


@dataclass(frozen=True)
class SaturationSettings:
    """``[saturation]``: Guest, Namey & Chen's base size, run length and new-information threshold (%)."""

    base: int = 4
    run: int = 2
    threshold: float = 5.0


@dataclass(frozen=True)
class ReportSettings:
    """``[report]``: the share of a theme's excerpts in a group above which one participant dominates it."""

    dominant_share: float = 0.5


@dataclass(frozen=True)
class DomainSettings:
    """``[[rapid.domains]]``: one domain of the rapid-analysis summary template."""

    name: str
    question: str = ""  # the interview guide's question for the domain
    description: str = ""
    themes: tuple[str, ...] = ()  # codebook themes that point at the domain
    codes: tuple[str, ...] = ()  # codebook codes that point at the domain
    keywords: tuple[str, ...] = ()  # words in a kept turn that point at the domain


@dataclass(frozen=True)
class RapidSettings:
    """``[rapid]``: the domains of rapid qualitative analysis (RQA), in the template's order."""

    domains: tuple[DomainSettings, ...] = ()


@dataclass(frozen=True)
class SuggestSettings:
    """``[suggest]``: whether codes are also suggested by meaning (offline), and from what similarity."""

    semantic: bool = False
    threshold: float = DEFAULT_SEMANTIC_THRESHOLD


@dataclass(frozen=True)
class SurveySettings:
    """``[surveys.<stem>]``: which columns of a survey export are the respondent ID, questions and attributes."""

    stem: str
    id: str = ""  # the respondent column's header; by default a column called Respondent, ID...
    questions: tuple[str, ...] = ()  # the free-text questions; by default every other column
    attributes: tuple[str, ...] = ()  # the respondents' attributes (for --by-attribute)


@dataclass(frozen=True)
class TranscriptSettings:
    """``[transcripts]``: the sources that are documents (an article, notes), by file stem."""

    documents: tuple[str, ...] = ()  # read one segment per paragraph, never as speaker turns

    def is_document(self, stem: str) -> bool:
        """Whether radar.toml marks the transcript with this file stem as a document."""
        return stem.casefold() in {name.casefold() for name in self.documents}


@dataclass(frozen=True)
class StudyConfig:
    """The settings in radar.toml, checked; the defaults for what it does not say."""

    title: str = ""
    research_questions: tuple[str, ...] = ()
    coders: tuple[str, ...] = ()
    history: HistorySettings = field(default_factory=HistorySettings)
    member_check: MemberCheckSettings = field(default_factory=MemberCheckSettings)
    deidentify: DeidentifySettings = field(default_factory=DeidentifySettings)
    groups: tuple[GroupSettings, ...] = ()
    rapid: RapidSettings = field(default_factory=RapidSettings)
    agreement: AgreementSettings = field(default_factory=AgreementSettings)
    saturation: SaturationSettings = field(default_factory=SaturationSettings)
    report: ReportSettings = field(default_factory=ReportSettings)
    suggest: SuggestSettings = field(default_factory=SuggestSettings)
    surveys: tuple[SurveySettings, ...] = ()
    transcripts: TranscriptSettings = field(default_factory=TranscriptSettings)

    def survey(self, stem: str) -> SurveySettings:
        """The settings of the survey whose file stem is ``stem`` (the defaults when radar.toml has none)."""
        found = (s for s in self.surveys if s.stem.casefold() == stem.casefold())
        return next(found, SurveySettings(stem))

    def group_dates(self) -> dict[str, str]:
        """Group ID -> the date it was held (ISO), for the groups radar.toml dates."""
        return {group.id: group.date for group in self.groups if group.date}

    def group_name(self, group_id: str) -> str:
        """A group as outputs name it: its name in radar.toml, else its ID.

        Example:
            >>> config = StudyConfig(groups=(GroupSettings("fg1", "Northside carers"),))
            >>> config.group_name("fg1"), config.group_name("fg2")
            ('Northside carers', 'fg2')
        """
        return self.group_names().get(group_id, group_id)

    def group_names(self) -> dict[str, str]:
        """Group ID -> friendly name, for the groups radar.toml names."""
        return {group.id: group.name for group in self.groups if group.name}

    def group_type(self, group_id: str) -> str:
        """``focus group``, ``interview``, or empty when radar.toml does not say."""
        return next((group.type for group in self.groups if group.id == group_id), "")

    def group_notes(self, group_ids: Sequence[str]) -> list[str]:
        """Notes on ``[groups.<ID>]`` tables whose ID is no group of the study, naming the closest."""
        notes = []
        for group in self.groups:
            if group.id in group_ids:
                continue
            close = difflib.get_close_matches(group.id, list(group_ids), n=1)
            hint = f"did you mean [groups.{close[0]}]?" if close else f"the groups are {', '.join(group_ids)}"
            notes.append(f"{CONFIG_NAME}, [groups.{group.id}]: no transcript is group {group.id!r}; {hint}")
        return notes

    def display_title(self, root: Path) -> str:
        """The study's title as shown in reports, packets and exports: the title, else the folder's name.

        Example:
            >>> StudyConfig(title="Peer  support  online ").display_title(Path("my-study"))
            'Peer support online'
        """
        return " ".join(self.title.split()) or Path(root).resolve().name


EXAMPLES = {
    "documents": 'documents = ["policy-brief"]',
    "title": 'title = "Supervising digital peer support"',
    "research_questions": 'research_questions = ["How ...?"]',
    "coders": 'coders = ["A. Rivera", "B. Chen"]',
    "history": "keep = 20",
    "domain": '[[rapid.domains]] on a line of its own, then name = "Barriers"',
    "member_check": 'contact = "the study team, study@example.org"',
    "deidentify": 'places = ["Springfield"]',
    "contact": 'contact = "the study team, study@example.org"',
    "deadline": 'deadline = "30 June 2026"',
    "support": 'support = "the support line, 0800 123 456 (free, every day)"',
    "return_to": 'return_to = "by email to study@example.org"',
    "signed": 'signed = "The study team"',
    "names": 'names = ["Aunt Rosa"]',
    "organisations": 'organisations = ["Acme Health"]',
    "places": 'places = ["Springfield"]',
    "keep": 'keep = ["Zoom"]',
    "not_names": 'not_names = ["Hope"]',
    "replace": 'Frank = "[husband]"',
    "pseudonym_style": 'pseudonym_style = "[{id}]"',
    "ner": 'ner = "en_core_web_sm"',
    "min_cell": "min_cell = 3",
    "groups": 'name = "Northside carers"',
    "name": 'name = "Northside carers"',
}


def load_config(path: Path) -> tuple[StudyConfig, tuple[str, ...]]:
    """The study's settings from radar.toml, and notes on keys radar does not know.

    The file is read on every call and parsed once per distinct content, so a
    command that asks for the settings several times parses them once, and an
    edit to the file is seen on the next call.

    Returns:
        The record (the defaults when the file does not exist) and the notes.

    Raises:
        StudyError: the file is not TOML, or a key holds a value of the wrong
            type; the message names the file and the key and says what to write.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return StudyConfig(), ()
    except IsADirectoryError:
        raise StudyError(f"{path.name}: is a folder; radar.toml must be a file of settings") from None
    return _parse(data, path.name)


@functools.lru_cache(maxsize=16)
def _parse(data: bytes, name: str) -> tuple[StudyConfig, tuple[str, ...]]:
    try:
        raw = tomllib.loads(data.decode("utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise StudyError(f"{name}: {err}; correct the file or delete it") from err
    except RecursionError:  # tomllib recurses once per level of nested lists or inline tables
        raise StudyError(
            f"{name}: nests lists or tables thousands deep, which no settings need (a damaged file?); "
            "correct the file or delete it"
        ) from None
    reader = _Reader(name)
    return reader.study(raw), tuple(reader.notes)


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string: quotes, backslashes and control characters escaped.

    Example:
        >>> print(toml_string('Say "hi"'))
        "Say \\"hi\\""
    """
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif (ord(char) < 0x20 and char != "\t") or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def describe(value: Any) -> str:
    """A TOML value as a message names it: ``5``, ``'text'``, ``true``, ``a table``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, datetime):
        return f"the date and time {value.isoformat()}"
    if isinstance(value, date):
        return f"the date {value.isoformat()}"
    if isinstance(value, time):
        return f"the time {value.isoformat()}"
    return repr(value)


def _is_iso_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _keys(record: type[Any]) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(record))


class _Reader:
    """Checks one radar.toml's tables, collecting notes; the first wrong value raises."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.notes: list[str] = []

    def fail(self, where: str, value: Any, fix: str) -> NoReturn:
        raise StudyError(f"{self.name}, {where}: found {describe(value)}; {fix}", path=self.name, key=where)

    def unknown(self, table: Mapping[str, Any], known: Sequence[str], section: str = "") -> list[str]:
        """Messages for the table's keys that are not in ``known``."""
        place = f"{self.name}, [{section}]" if section else self.name
        found = []
        for key in table:
            if key in known:
                continue
            close = difflib.get_close_matches(key, known, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"the keys are {', '.join(known)}"
            found.append(f"{place}: unknown key {key!r}; {hint}")
        return found

    def table(self, raw: Mapping[str, Any], key: str, fields: str) -> Mapping[str, Any]:
        value = raw.get(key, {})
        if not isinstance(value, Mapping):
            self.fail(f"[{key}]", value, f"write it as a table: [{key}] on a line of its own, then {fields}")
        return value

    def text(self, table: Mapping[str, Any], key: str, where: str) -> str:
        value = table.get(key, "")
        if not isinstance(value, str):
            self.fail(where, value, f"write text in quotes, such as {EXAMPLES[key]}")
        return value

    def texts(self, table: Mapping[str, Any], key: str) -> tuple[str, ...]:
        """A list of text, where one string is a list of one; blank entries are left out."""
        value = table.get(key, [])
        fix = f"write a list of strings, such as {EXAMPLES[key]}"
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.fail(key, value, fix)
        for index, entry in enumerate(value):
            if not isinstance(entry, str):
                self.fail(f"{key}[{index}]", entry, fix)
        return tuple(entry for entry in value if entry.strip())

    def terms(self, table: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
        """A list of non-empty text, strictly: a term that is not masked would leak."""
        value = table.get(key, [])
        if not isinstance(value, list):
            self.fail(where, value, f"write a list of strings, such as {EXAMPLES[key]}")
        for index, entry in enumerate(value):
            if not isinstance(entry, str) or not entry.strip():
                self.fail(
                    f"{where}[{index}]",
                    entry,
                    f"every entry must be non-empty text in quotes, such as {EXAMPLES[key]}",
                )
        return tuple(value)

    def study(self, raw: Mapping[str, Any]) -> StudyConfig:
        self.notes += self.unknown(raw, _keys(StudyConfig))
        return StudyConfig(
            title=self.text(raw, "title", "title"),
            research_questions=self.texts(raw, "research_questions"),
            coders=self.texts(raw, "coders"),
            history=self.history(self.table(raw, "history", EXAMPLES["history"])),
            member_check=self.member_check(self.table(raw, "member_check", "contact, deadline and support")),
            deidentify=self.deidentify(self.table(raw, "deidentify", EXAMPLES["deidentify"])),
            groups=self.groups(raw.get("groups", {})),
            rapid=self.rapid(self.table(raw, "rapid", EXAMPLES["domain"])),
            agreement=self.agreement(self.table(raw, "agreement", "min_positive = 5")),
            saturation=self.saturation(self.table(raw, "saturation", "base = 4")),
            report=self.report(self.table(raw, "report", "dominant_share = 0.5")),
            suggest=self.suggest(self.table(raw, "suggest", "semantic = true")),
            surveys=self.surveys(raw.get("surveys", {})),
            transcripts=self.transcripts(self.table(raw, "transcripts", EXAMPLES["documents"])),
        )

    def transcripts(self, table: Mapping[str, Any]) -> TranscriptSettings:
        self.notes += self.unknown(table, _keys(TranscriptSettings), "transcripts")
        return TranscriptSettings(tuple(" ".join(stem.split()) for stem in self.texts(table, "documents")))

    def surveys(self, table: Any) -> tuple[SurveySettings, ...]:
        example = 'id = "Respondent", questions = ["What helped?"], attributes = ["Site"]'
        if not isinstance(table, Mapping):
            self.fail(
                "[surveys]",
                table,
                f"write one table per survey file, such as [surveys.answers], then {example}",
            )
        found = []
        for stem, entry in table.items():
            where = f"[surveys.{stem}]"
            if not isinstance(entry, Mapping):
                self.fail(where, entry, f"write it as a table: {where} on a line of its own, then {example}")
            self.notes += self.unknown(entry, ("id", "questions", "attributes"), f"surveys.{stem}")
            lists = {}
            for key in ("questions", "attributes"):
                value = entry.get(key, [])
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    self.fail(f"{where} {key}", value, f"write a list of column headers, such as {example}")
                lists[key] = tuple(v.strip() for v in value if v.strip())
            found.append(
                SurveySettings(
                    stem,
                    self.text(entry, "id", f"{where} id").strip(),
                    lists["questions"],
                    lists["attributes"],
                )
            )
        return tuple(found)

    def whole(self, table: Mapping[str, Any], key: str, where: str, default: int, least: int) -> int:
        value = table.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < least:
            self.fail(where, value, f"write a whole number of at least {least}, such as {key} = {default}")
        return value

    def share(self, table: Mapping[str, Any], key: str, where: str, default: float, top: float) -> float:
        value = table.get(key, default)
        if not isinstance(value, int | float) or isinstance(value, bool) or not 0 < value <= top:
            self.fail(
                where, value, f"write a number above 0 and at most {top:g}, such as {key} = {default:g}"
            )
        return float(value)

    def agreement(self, table: Mapping[str, Any]) -> AgreementSettings:
        self.notes += self.unknown(table, _keys(AgreementSettings), "agreement")
        return AgreementSettings(
            self.whole(table, "min_positive", "[agreement] min_positive", DEFAULT_MIN_POSITIVE, 0),
            self.whole(table, "seed", "[agreement] seed", DEFAULT_SEED, 0),
        )

    def saturation(self, table: Mapping[str, Any]) -> SaturationSettings:
        self.notes += self.unknown(table, _keys(SaturationSettings), "saturation")
        return SaturationSettings(
            self.whole(table, "base", "[saturation] base", 4, 1),
            self.whole(table, "run", "[saturation] run", 2, 1),
            self.share(table, "threshold", "[saturation] threshold", 5.0, 100),
        )

    def report(self, table: Mapping[str, Any]) -> ReportSettings:
        self.notes += self.unknown(table, _keys(ReportSettings), "report")
        return ReportSettings(self.share(table, "dominant_share", "[report] dominant_share", 0.5, 1))

    def suggest(self, table: Mapping[str, Any]) -> SuggestSettings:
        self.notes += self.unknown(table, _keys(SuggestSettings), "suggest")
        return SuggestSettings(
            self.flag(table, "semantic", "[suggest] semantic", False),
            self.share(table, "threshold", "[suggest] threshold", DEFAULT_SEMANTIC_THRESHOLD, 1),
        )

    def groups(self, table: Any) -> tuple[GroupSettings, ...]:
        if not isinstance(table, Mapping):
            self.fail(
                "[groups]", table, f"write one table per group, such as [groups.fg1], then {EXAMPLES['name']}"
            )
        groups = []
        named: dict[str, str] = {}
        for group_id, entry in table.items():
            where = f"[groups.{group_id}]"
            if not isinstance(entry, Mapping):
                self.fail(
                    where,
                    entry,
                    f'write it as a table: {where} on a line of its own, then name = "Northside carers" '
                    'and type = "focus group"',
                )
            self.notes += self.unknown(entry, ("name", "type", "date"), f"groups.{group_id}")
            held = entry.get("date", "")
            if isinstance(held, datetime):
                held = held.date()
            if isinstance(held, date):
                held = held.isoformat()
            elif not isinstance(held, str) or (held.strip() and not _is_iso_date(held.strip())):
                self.fail(f"{where} date", held, "write the date it was held, such as date = 2026-05-03")
            name = " ".join(self.text(entry, "name", f"{where} name").split())
            kind = entry.get("type", "")
            if not isinstance(kind, str) or kind.strip().lower() not in ("", *GROUP_TYPES):
                self.fail(
                    f"{where} type", kind, 'write "focus group" or "interview", such as type = "interview"'
                )
            if name and name.casefold() in named:
                raise StudyError(
                    f"{self.name}, {where} name: {name!r} is the name of [groups.{named[name.casefold()]}] too; "
                    "give each group its own name",
                    path=self.name,
                    key=f"{where} name",
                )
            named[name.casefold()] = group_id
            groups.append(GroupSettings(group_id, name, kind.strip().lower(), held.strip()))
        return tuple(groups)

    def history(self, table: Mapping[str, Any]) -> HistorySettings:
        self.notes += self.unknown(table, _keys(HistorySettings), "history")
        keep = table.get("keep", DEFAULT_KEEP)
        if not isinstance(keep, int) or isinstance(keep, bool) or keep < 1:
            self.fail("[history] keep", keep, "write a whole number of at least 1, such as keep = 20")
        return HistorySettings(keep)

    def member_check(self, table: Mapping[str, Any]) -> MemberCheckSettings:
        self.notes += self.unknown(table, _keys(MemberCheckSettings), "member_check")
        values = {key: self.text(table, key, f"[member_check] {key}") for key in _keys(MemberCheckSettings)}
        return MemberCheckSettings(**values)

    def deidentify(self, table: Mapping[str, Any]) -> DeidentifySettings:
        unknown = self.unknown(table, _keys(DeidentifySettings), "deidentify")
        if unknown:
            raise StudyError(f"{unknown[0]} (terms under an unknown key would not be masked)")
        ner = table.get("ner", True)
        if not isinstance(ner, bool | str) or (isinstance(ner, str) and not ner.strip()):
            self.fail(
                "[deidentify] ner",
                ner,
                f"write true, false or the name of a spaCy pipeline, such as {EXAMPLES['ner']}",
            )
        min_cell = table.get("min_cell", DEFAULT_MIN_CELL)
        if not isinstance(min_cell, int) or isinstance(min_cell, bool) or min_cell < 1:
            self.fail(
                "[deidentify] min_cell",
                min_cell,
                "write a whole number of at least 1, such as min_cell = 3 (1 shows every count)",
            )
        return DeidentifySettings(
            names=self.terms(table, "names", "[deidentify] names"),
            organisations=self.terms(table, "organisations", "[deidentify] organisations"),
            places=self.terms(table, "places", "[deidentify] places"),
            keep=self.terms(table, "keep", "[deidentify] keep"),
            ner=ner,
            min_cell=min_cell,
            not_names=self.terms(table, "not_names", "[deidentify] not_names"),
            replace=self.replacements(self.table(table, "replace", EXAMPLES["replace"])),
            detect=self.flag(table, "detect", "[deidentify] detect", True),
            pseudonym_style=self.pseudonym_style(table),
        )

    def flag(self, table: Mapping[str, Any], key: str, where: str, default: bool) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            self.fail(where, value, f"write true or false, such as {key} = {'true' if default else 'false'}")
        return value

    def replacements(self, table: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
        """``[deidentify.replace]``: each term and its own replacement, both non-empty text."""
        pairs = []
        for term, replacement in table.items():
            where = f"[deidentify.replace] {toml_string(term) if not term.isidentifier() else term}"
            if not term.strip():
                self.fail(
                    "[deidentify.replace]",
                    term,
                    f"every term must be non-empty, such as {EXAMPLES['replace']}",
                )
            if not isinstance(replacement, str) or not replacement.strip():
                self.fail(
                    where,
                    replacement,
                    f"write the replacement as non-empty text in quotes, such as {EXAMPLES['replace']}",
                )
            pairs.append((term, " ".join(replacement.split())))
        return tuple(pairs)

    def pseudonym_style(self, table: Mapping[str, Any]) -> str:
        style = table.get("pseudonym_style", DEFAULT_PSEUDONYM_STYLE)
        where = "[deidentify] pseudonym_style"
        fix = 'write text holding {id} once, where the pseudonym goes, such as pseudonym_style = "[{id}]" or "{id}"'
        if not isinstance(style, str) or style.count("{id}") != 1:
            self.fail(where, style, fix)
        try:
            style.format(id="P01")
        except (ValueError, IndexError, KeyError):
            self.fail(where, style, fix)
        if any(ch.isspace() for ch in style):
            self.fail(where, style, 'write it without spaces, such as pseudonym_style = "[{id}]"')
        return style

    def rapid(self, table: Mapping[str, Any]) -> RapidSettings:
        self.notes += self.unknown(table, _keys(RapidSettings), "rapid")
        entries = table.get("domains", [])
        if not isinstance(entries, list):
            self.fail("[rapid] domains", entries, f"write one table per domain: {EXAMPLES['domain']}")
        domains: list[DomainSettings] = []
        for number, entry in enumerate(entries, start=1):
            where = f"[[rapid.domains]] number {number}"
            if isinstance(entry, str):  # a bare list of names: domains = ["Barriers", "Facilitators"]
                entry = {"name": entry}
            if not isinstance(entry, Mapping):
                self.fail(where, entry, f"write each domain as a table: {EXAMPLES['domain']}")
            self.notes += self.unknown(entry, _keys(DomainSettings), "rapid.domains")
            texts = {
                key: self.domain_text(entry, key, f"{where} {key}")
                for key in ("name", "question", "description")
            }
            name = " ".join(texts.pop("name").split())
            if not name:
                self.fail(
                    f"{where} name",
                    entry.get("name", ""),
                    'give each domain a name, such as name = "Barriers"',
                )
            if any(domain.name.casefold() == name.casefold() for domain in domains):
                raise StudyError(
                    f"{self.name}, {where}: the domain {name!r} is given twice; give each domain once",
                    path=self.name,
                    key=f"{where} name",
                )
            lists = {
                key: self.domain_list(entry, key, f"{where} {key}") for key in ("themes", "codes", "keywords")
            }
            domains.append(
                DomainSettings(
                    name,
                    texts["question"],
                    texts["description"],
                    lists["themes"],
                    lists["codes"],
                    lists["keywords"],
                )
            )
        return RapidSettings(tuple(domains))

    def domain_text(self, entry: Mapping[str, Any], key: str, where: str) -> str:
        value = entry.get(key, "")
        if not isinstance(value, str):
            self.fail(where, value, f'write text in quotes, such as {key} = "..."')
        return value.strip()

    def domain_list(self, entry: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
        value = entry.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.fail(where, value, f'write a list of strings, such as {key} = ["..."]')
        return tuple(item.strip() for item in value if item.strip())


__all__ = [
    "CONFIG_NAME",
    "CONFIG_TEMPLATE",
    "DEFAULT_KEEP",
    "DEFAULT_MIN_CELL",
    "DEFAULT_PSEUDONYM_STYLE",
    "DEFAULT_SEMANTIC_THRESHOLD",
    "GROUP_TYPES",
    "AgreementSettings",
    "DeidentifySettings",
    "DomainSettings",
    "GroupSettings",
    "HistorySettings",
    "MemberCheckSettings",
    "RapidSettings",
    "ReportSettings",
    "SaturationSettings",
    "StudyConfig",
    "SuggestSettings",
    "SurveySettings",
    "load_config",
    "toml_string",
]
