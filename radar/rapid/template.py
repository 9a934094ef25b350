"""The summary template of rapid qualitative analysis: one sheet per transcript, one row per domain.

``radar rapid template STUDY`` writes ``radar-rapid.xlsx`` in the study
folder. Each transcript has a sheet (its Group ID) with a row per domain:

* **Summary**, **Key quotes** (cited by Segment ID, such as ``fg2-014``) and
  **Notes** are the analyst's: radar never writes over them;
* **Suggested segments** is radar's suggestion — the Segment IDs whose codes,
  themes or keywords point at the domain. radar refreshes it only while it
  holds what radar wrote there; once the analyst edits or clears it, it is
  the analyst's and stays as they left it.

Re-running follows the rules of ``radar-tables.xlsx``: rows are found by
their domain, not their place (re-sorting is safe); a domain taken out of
radar.toml keeps its row while it holds the analyst's words; a sheet whose
transcript is gone is kept; the analyst's own sheets and columns are carried;
an edit that cannot be placed stops the run with one error and the file as it
was. Every earlier version is kept in ``.radar/rapid/``.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radar import columns as C
from radar.errors import Location, WorkbookError, raise_all
from radar.excel import (
    Sheet,
    cell_str,
    clean_sheet_title,
    column_letter,
    open_workbook,
    read_sheet_rows,
    write_workbook,
)
from radar.files import check_overwrite
from radar.folder import TABLES_NAME, Folder
from radar.lock import study_lock
from radar.rapid.domains import Domain, study_domains
from radar.reduction.readback import tables_from_workbook
from radar.word import add_docx_table, new_document, save_docx

if TYPE_CHECKING:
    import pandas as pd

KEEP_VERSIONS = 20
SUGGESTED_LIMIT = 8  # Segment IDs listed in one Suggested cell; the rest as "+N more"
VERSIONS_DIR = "rapid"  # in .radar/
OWN_SHEETS = (C.SHEET_RAPID_DOMAINS, C.SHEET_RAPID_STATE)
STATE_SHEET_COLUMN = "Sheet"
_ID_TOKEN = re.compile(r"[\w.]+(?:-[\w.]+)*-\d+")


@dataclass(frozen=True)
class TemplateRow:
    """One domain of one transcript, as the analyst left it."""

    group: str
    domain: str
    summary: str = ""
    quotes: str = ""
    notes: str = ""
    suggested: str = ""
    extras: Mapping[str, str] = field(default_factory=dict)  # the analyst's own columns
    row: int = 0  # the Excel row it was read from (0: not read from a file)

    def has_work(self) -> bool:
        """Whether the analyst wrote anything in the row."""
        return any((self.summary, self.quotes, self.notes, *self.extras.values()))

    def filled(self) -> bool:
        """Whether the domain has something for this transcript (a summary or a quote)."""
        return bool(self.summary or self.quotes)


@dataclass(frozen=True)
class Template:
    """A filled (or partly filled) template workbook, read back."""

    path: Path
    rows: Mapping[tuple[str, str], TemplateRow]  # (group, domain) -> row
    sheets: Mapping[str, str]  # group -> its sheet's title
    state: Mapping[tuple[str, str], str]  # what radar last wrote in Suggested segments
    own_sheets: tuple[Sheet, ...] = ()  # the analyst's sheets, values kept
    own_columns: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def groups(self) -> list[str]:
        """The transcripts, in the order of their sheets."""
        return list(self.sheets)

    def row(self, group: str, domain: str) -> TemplateRow:
        """A transcript's row for a domain (empty when the template has none)."""
        return self.rows.get((group, domain), TemplateRow(group, domain))


@dataclass(frozen=True)
class TemplateResult:
    """What ``radar rapid template`` wrote."""

    path: Path
    groups: tuple[str, ...]
    domains: tuple[Domain, ...]
    kept: int  # rows holding the analyst's words, carried over
    notes: tuple[str, ...] = ()


# ------------------------------------------------------------------------ reading


def read_template(path: str | Path) -> Template:
    """A template workbook as the analyst left it.

    Raises:
        WorkbookError: a sheet lost one of the analyst's columns, a domain is
            given twice with different words, or a sheet looks like a
            transcript's but names none (the message names sheet and cell).
    """
    path = Path(path)
    if not path.exists():
        raise WorkbookError(
            f"{path}: no such template; write one with `radar rapid template STUDY`", path=str(path)
        )
    workbook = open_workbook(path)
    try:
        state, titles = _read_state(workbook)
        rows: dict[tuple[str, str], TemplateRow] = {}
        sheets: dict[str, str] = {}
        own_sheets: list[Sheet] = []
        own_columns: list[str] = []
        notes: list[str] = []
        for title in workbook.sheetnames:
            if title in OWN_SHEETS:
                continue
            header, body = read_sheet_rows(workbook, title)
            if C.DOMAIN not in header:
                own_sheets.append(_values_sheet(workbook, title))
                continue
            group = titles.get(title, title)
            sheets[group] = title
            for entry in _read_sheet(path, title, group, header, body, notes):
                rows[(group, entry.domain)] = entry
                own_columns += [name for name in entry.extras if name not in own_columns]
    finally:
        workbook.close()
    return Template(path, rows, sheets, state, tuple(own_sheets), tuple(own_columns), tuple(notes))


def _read_state(workbook: Any) -> tuple[dict[tuple[str, str], str], dict[str, str]]:
    if C.SHEET_RAPID_STATE not in workbook.sheetnames:
        return {}, {}
    header, body = read_sheet_rows(workbook, C.SHEET_RAPID_STATE)
    where = {
        name: header.index(name) for name in (STATE_SHEET_COLUMN, *C.RAPID_STATE_COLUMNS) if name in header
    }
    if len(where) < 4:
        return {}, {}  # a damaged state: every Suggested cell is then taken as the analyst's
    state: dict[tuple[str, str], str] = {}
    titles: dict[str, str] = {}
    for _, values in body:
        cells = {
            name: cell_str(values[index]) if index < len(values) else "" for name, index in where.items()
        }
        titles[cells[STATE_SHEET_COLUMN]] = cells[C.GROUP]
        state[(cells[C.GROUP], cells[C.DOMAIN])] = cells[C.RAPID_SUGGESTED]
    return state, titles


def _read_sheet(
    path: Path, title: str, group: str, header: list[str], body: Iterable[tuple[int, tuple[Any, ...]]],
    notes: list[str],
) -> list[TemplateRow]:  # fmt: skip
    missing = [name for name in C.RAPID_ANALYST_COLUMNS if name not in header]
    if missing:
        raise Location(path.name, title).error(
            WorkbookError,
            f"the column {missing[0]!r} is missing (renamed or deleted?); the analyst's words in it would be "
            f"lost. Give the column its header {missing[0]!r} again, or restore the file from .radar/rapid",
        )
    index = {name: header.index(name) for name in C.RAPID_TEMPLATE_COLUMNS if name in header}
    theirs = [
        (i, name or f"Column {column_letter(i + 1)}") for i, name in enumerate(header) if name not in index
    ]
    found: dict[str, TemplateRow] = {}
    loose: list[TemplateRow] = []
    for number, values in body:
        cells = {name: cell_str(values[i]) if i < len(values) else "" for name, i in index.items()}
        extras = {name: cell_str(values[i]) for i, name in theirs if i < len(values) and cell_str(values[i])}
        entry = TemplateRow(
            group, cells[C.DOMAIN], cells[C.RAPID_SUMMARY], cells[C.RAPID_QUOTES], cells[C.RAPID_NOTES],
            cells.get(C.RAPID_SUGGESTED, ""), extras, number,
        )  # fmt: skip
        if not entry.domain:
            if entry.has_work():
                loose.append(entry)
            continue
        earlier = found.get(entry.domain.casefold())
        if earlier is None:
            found[entry.domain.casefold()] = entry
        elif _work(earlier) != _work(entry):
            raise Location(path.name, title, f"A{number}", row=number).error(
                WorkbookError,
                f"the domain {entry.domain!r} is in rows {earlier.row} and {number} with different words; "
                "keep one row per domain (move what you want to keep into one of them)",
            )
        else:
            notes.append(
                f"{path.name}, sheet {title!r}: row {number} repeats row {earlier.row} ({entry.domain}); kept once"
            )
    for entry in loose:
        name = f"(no domain, row {entry.row})"
        notes.append(
            f"{path.name}, sheet {title!r}, row {entry.row}: words in a row with no domain; kept as {name!r}"
        )
        found[name.casefold()] = TemplateRow(
            group, name, entry.summary, entry.quotes, entry.notes, entry.suggested, entry.extras, entry.row
        )
    return list(found.values())


def _work(entry: TemplateRow) -> tuple[Any, ...]:
    return (entry.summary, entry.quotes, entry.notes, tuple(sorted(entry.extras.items())))


def _values_sheet(workbook: Any, title: str) -> Sheet:
    import pandas as pd

    rows = [list(row) for row in workbook[title].iter_rows(values_only=True)]
    width = max((len(r) for r in rows), default=0)
    header = [cell_str(h) for h in (rows[0] if rows else [])] + [""] * width
    body = [r + [None] * (width - len(r)) for r in rows[1:]]
    return Sheet(
        title, pd.DataFrame(body, columns=header[:width]), {}, hidden=workbook[title].sheet_state != "visible"
    )


# ------------------------------------------------------------------------ suggestions


def suggested_segments(
    domains: Sequence[Domain], phase2: pd.DataFrame, phase3: pd.DataFrame
) -> dict[tuple[str, str], list[str]]:
    """(group, domain) -> the Segment IDs whose codes, themes or keywords point at the domain, in order."""
    found: dict[tuple[str, str], list[str]] = {}
    order = {sid: i for i, sid in enumerate(phase2[C.SEGMENT_ID].astype(str))}
    for domain in domains:
        themes = {t.casefold() for t in domain.themes}
        codes = {c.casefold() for c in domain.codes}
        pattern = _keyword_pattern(domain.keywords)
        for _, row in phase3.iterrows():
            if str(row[C.THEME]).casefold() in themes or str(row[C.CODE]).casefold() in codes:
                found.setdefault((str(row[C.GROUP]), domain.name), []).append(str(row[C.SEGMENT_ID]))
        if pattern is not None:
            for _, row in phase2.iterrows():
                if pattern.search(str(row[C.TEXT])):
                    found.setdefault((str(row[C.GROUP]), domain.name), []).append(str(row[C.SEGMENT_ID]))
    return {key: sorted(set(ids), key=lambda sid: order.get(sid, len(order))) for key, ids in found.items()}


def _keyword_pattern(keywords: Sequence[str]) -> re.Pattern[str] | None:
    if not keywords:
        return None
    words = "|".join(re.escape(k) for k in sorted(keywords, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.IGNORECASE)


def suggestion_text(ids: Sequence[str]) -> str:
    """The Suggested cell: the first Segment IDs, then how many more.

    Example:
        >>> suggestion_text([f"fg1-{i:03d}" for i in range(1, 11)])
        'fg1-001, fg1-002, fg1-003, fg1-004, fg1-005, fg1-006, fg1-007, fg1-008 (+2 more)'
    """
    shown = ", ".join(ids[:SUGGESTED_LIMIT])
    return shown + (f" (+{len(ids) - SUGGESTED_LIMIT} more)" if len(ids) > SUGGESTED_LIMIT else "")


def cited_ids(text: str, groups: Iterable[str]) -> list[str]:
    """The Segment IDs a Key quotes cell cites: tokens like ``fg2-014`` whose prefix is a group.

    A token such as ``covid-19`` in a quote is not a citation unless its
    prefix is one of the study's groups, or the cell holds nothing but
    ID-like tokens.

    Example:
        >>> cited_ids('"I never log in" (fg2-014); fg1-003, covid-19', ["fg1", "fg2"])
        ['fg2-014', 'fg1-003']
        >>> cited_ids("fg9-001, fg1-002", ["fg1"])
        ['fg9-001', 'fg1-002']
    """
    known = set(groups)
    tokens = _ID_TOKEN.findall(text)
    bare = not re.sub(r"[\s,;()\[\]]+", "", _ID_TOKEN.sub("", text))
    return [token for token in tokens if bare or token.rsplit("-", 1)[0] in known]


# ------------------------------------------------------------------------ writing


def write_template(study: Folder, out: str | Path | None = None) -> TemplateResult:
    """Write (or refresh) the study's summary template, keeping every cell the analyst wrote.

    Args:
        study: the study folder; its reduction tables give the transcripts and
            Segment IDs (run ``radar reduce`` first).
        out: where to write; ``radar-rapid.xlsx`` in the study by default.

    Raises:
        StudyError: radar.toml sets no domains, or the study has no tables yet.
        WorkbookError: the template is open in a spreadsheet program, or an
            edit in it cannot be placed (nothing is written then).
    """

    domains = study_domains(study.config())
    study.require_tables()
    tables = tables_from_workbook(study)
    path = Path(out) if out is not None else study.root / C.RAPID_TEMPLATE_NAME
    _refuse_if_open(path)
    previous = read_template(path) if path.exists() else None
    groups = list(dict.fromkeys(tables.phase1[C.GROUP].astype(str)))
    suggestions = suggested_segments(domains, tables.phase2, tables.phase3)
    sheets, state, kept, notes = _sheets(domains, groups, suggestions, previous)
    with study_lock(study.paths):
        if previous is not None:
            _keep_version(study, path)
        write_workbook(path, [*sheets, _state_sheet(state)])
    return TemplateResult(path, tuple(groups), domains, kept, tuple(notes))


def write_template_docx(study: Folder, out: str | Path, *, force: bool = False) -> Path:
    """The summary template as a Word document: a section per transcript, a table of its domains.

    For summarising by hand or on paper, or handing to a colleague who works in Word: the same rows as
    ``radar-rapid.xlsx`` (with what the analysts have already written there), Key quotes cited by
    Segment ID. radar reads the summaries back from the workbook only, so type the final ones there.
    """
    import pandas as pd

    path = check_overwrite(out, force)
    if path.suffix.lower() != ".docx":
        raise WorkbookError(f"{path}: the Word form of the template is a .docx file", path=str(path))
    domains = study_domains(study.config())
    study.require_tables()
    tables = tables_from_workbook(study)
    workbook = study.root / C.RAPID_TEMPLATE_NAME
    filled = read_template(workbook) if workbook.exists() else None
    groups = list(dict.fromkeys(tables.phase1[C.GROUP].astype(str)))
    suggestions = suggested_segments(domains, tables.phase2, tables.phase3)
    document = new_document()
    document.add_heading(f"Summary template: {study.config().display_title(study.root)}", 0)
    for number, group in enumerate(groups):
        if number:
            document.add_page_break()
        document.add_heading(f"Transcript {group}", 1)
        rows = []
        for domain in domains:
            row = filled.row(group, domain.name) if filled is not None else TemplateRow(group, domain.name)
            suggested = suggestion_text(suggestions.get((group, domain.name), []))
            rows.append([domain.name, domain.question, row.summary, row.quotes or suggested, row.notes])
        frame = pd.DataFrame(
            rows, columns=[C.DOMAIN, C.QUESTION, C.RAPID_SUMMARY, C.RAPID_QUOTES, C.RAPID_NOTES]
        )
        caption = "Key quotes: Segment IDs such as fg2-014 (radar's suggestions where none is written yet)."
        _as_form(add_docx_table(document, frame, caption, keep_empty=True))
    save_docx(document, path)
    return path


FORM_SHARES = (0.12, 0.22, 0.38, 0.16, 0.12)  # Domain, Question, Summary, Key quotes, Notes
FORM_ROW_INCHES = 1.3  # room to write a summary by hand


def _as_form(table: Any) -> None:
    """A template table laid out to be filled in: the Summary column widest, each domain's row tall."""
    from docx.enum.table import WD_ROW_HEIGHT_RULE
    from docx.shared import Inches, Pt

    total = sum(column.width or 0 for column in table.columns)
    for column, share in zip(table.columns, FORM_SHARES):
        width = Pt(total * share / 12700) if total else None  # EMU -> points
        column.width = width
        for cell in column.cells:
            cell.width = width
    for row in list(table.rows)[1:]:
        row.height = Inches(FORM_ROW_INCHES)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST


def _sheets(
    domains: Sequence[Domain], groups: Sequence[str], suggestions: Mapping[tuple[str, str], list[str]],
    previous: Template | None,
) -> tuple[list[Sheet], list[tuple[str, str, str, str]], int, list[str]]:  # fmt: skip
    import pandas as pd

    notes = list(previous.notes) if previous else []
    own_columns = list(previous.own_columns) if previous else []
    sheets = [_domains_sheet(domains)]
    state: list[tuple[str, str, str, str]] = []
    kept = 0
    names = [d.name for d in domains]
    all_groups = list(groups) + [g for g in (previous.groups() if previous else []) if g not in groups]
    titles = _titles(all_groups)
    for group in all_groups:
        records = []
        old = {d: r for (g, d), r in (previous.rows.items() if previous else []) if g == group}
        if group not in groups:
            if not any(r.has_work() for r in old.values()):
                continue
            notes.append(f"no transcript is {group!r} now; its sheet in the template is kept")
        questions = {d.name: d.question for d in domains}
        for name in names + [d for d in old if d not in names]:
            row = old.get(name, TemplateRow(group, name))
            if name not in names:
                if not row.has_work():
                    continue
                notes.append(f"the domain {name!r} is no longer in radar.toml; its row for {group} is kept")
            kept += row.has_work()
            new = suggestion_text(suggestions.get((group, name), []))
            wrote = previous.state.get((group, name)) if previous else None
            shown = new if wrote is None or row.suggested == wrote else row.suggested
            state.append((titles[group], group, name, new if shown == new else wrote or ""))
            records.append(
                [name, questions.get(name, ""), row.summary, row.quotes, row.notes, shown]
                + [row.extras.get(column, "") for column in own_columns]
            )
        frame = pd.DataFrame(records, columns=[*C.RAPID_TEMPLATE_COLUMNS, *own_columns])
        sheets.append(
            Sheet(titles[group], frame, {}, wrap=frozenset({C.QUESTION}))
        )  # each question once: wrapped
    sheets += list(previous.own_sheets) if previous else []
    return sheets, state, kept, notes


def _titles(groups: Sequence[str]) -> dict[str, str]:
    """A sheet title per group: the Group ID where Excel allows it, numbered where two would clash."""
    titles: dict[str, str] = {}
    used = {name.casefold() for name in OWN_SHEETS}
    for group in groups:
        title = clean_sheet_title(group)
        number = 2
        while title.casefold() in used:
            title = f"{clean_sheet_title(group)[:27]} ({number})"
            number += 1
        used.add(title.casefold())
        titles[group] = title
    return titles


def _domains_sheet(domains: Sequence[Domain]) -> Sheet:
    import pandas as pd

    rows = [
        [d.name, d.question, d.description, "; ".join(d.themes), "; ".join(d.codes), "; ".join(d.keywords)]
        for d in domains
    ]
    frame = pd.DataFrame(rows, columns=list(C.RAPID_DOMAIN_COLUMNS))
    return Sheet(C.SHEET_RAPID_DOMAINS, frame, {}, wrap=frozenset({C.QUESTION}))


def _state_sheet(state: Sequence[tuple[str, str, str, str]]) -> Sheet:
    import pandas as pd

    columns = [STATE_SHEET_COLUMN, *C.RAPID_STATE_COLUMNS]
    return Sheet(C.SHEET_RAPID_STATE, pd.DataFrame(list(state), columns=columns), {}, hidden=True)


def _refuse_if_open(path: Path) -> None:
    for lock in (path.with_name(f"~${path.name}"), path.with_name(f".~lock.{path.name}#")):
        if lock.exists():
            raise WorkbookError(
                f"{path.name} is open in a spreadsheet program (lock file {lock.name}); save and close it, "
                "then run again",
                path=str(path),
            )


def _keep_version(study: Folder, path: Path) -> Path:
    """Copy the template as it is into .radar/rapid/, numbered; keep the newest KEEP_VERSIONS."""
    folder = study.paths.records / VERSIONS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    numbers = [
        int(p.stem.rsplit("-", 1)[1])
        for p in folder.glob(f"{path.stem}-*.xlsx")
        if p.stem.rsplit("-", 1)[1].isdigit()
    ]
    target = folder / f"{path.stem}-{max(numbers, default=0) + 1}.xlsx"
    shutil.copy2(path, target)
    for stale in sorted(numbers)[: max(len(numbers) + 1 - KEEP_VERSIONS, 0)]:
        (folder / f"{path.stem}-{stale}.xlsx").unlink(missing_ok=True)
    return target


def check_citations(template: Template, segment_ids: Iterable[str]) -> None:
    """Every Segment ID the Key quotes cite exists in the study.

    Raises:
        WorkbookError: one line per unknown citation, naming the sheet and cell.
    """

    known = set(segment_ids)
    groups = {sid.rsplit("-", 1)[0] for sid in known} | set(template.sheets)
    problems = []
    for (group, _), row in template.rows.items():
        for sid in cited_ids(row.quotes, groups):
            if sid not in known:
                cell = f"{column_letter(C.RAPID_TEMPLATE_COLUMNS.index(C.RAPID_QUOTES) + 1)}{row.row}"
                problems.append(
                    Location(template.path.name, template.sheets.get(group, group), cell, row=row.row).error(
                        WorkbookError,
                        f"cites {sid}, which is no Segment ID of the study; correct it (the Segment IDs are "
                        f"in sheet {C.SHEET_PHASE1!r} of {TABLES_NAME})",
                    )
                )
    raise_all(problems)


__all__ = [
    "Template",
    "TemplateResult",
    "TemplateRow",
    "check_citations",
    "cited_ids",
    "read_template",
    "suggested_segments",
    "suggestion_text",
    "write_template",
    "write_template_docx",
]
