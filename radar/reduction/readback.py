"""The workbook read back: the analyst's cells by Segment ID, and the tables as they are now.

radar finds columns by their names and rows by Segment ID, never by position,
so the analyst may sort, filter, hide and add columns; a Keep value that is not
yes or no, or a code the codebook lacks, is an error naming the sheet and cell.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radar import columns as C
from radar.characteristics import characteristics, require_attributes
from radar.codebook import Codebook
from radar.errors import Location, RadarError, RadarWarning, WorkbookError, raise_all
from radar.excel import cell_str, column_letter, frame_from_sheet, open_workbook, read_sheet_rows
from radar.folder import Folder
from radar.matrix import breakdown
from radar.reduction.identity import read_record
from radar.reduction.provenance import audit_lines
from radar.reduction.records import (
    Decision,
    PreviousWork,
    Record,
    Row1,
    Row2,
    Tables,
    join_codes,
    parse_keep,
    resolve_cell_codes,
    split_codes,
)
from radar.reduction.sheets import refuse_other_formats, title_of, under_radar_titles
from radar.reduction.tables import STATE_COLUMNS, decisions_of, make_tables, phases, record_from_state
from radar.tally import tally

if TYPE_CHECKING:
    import pandas as pd


def read_previous_work(
    path: Path, codebook: Codebook | None, texts: Mapping[str, str] | None = None
) -> PreviousWork:
    """Read the analyst's cells back by Segment ID.

    Rows and columns are read as Excel users leave them: a row copied (the
    edited copy wins), a Segment ID edited (the row is known by its text), a
    column with notes but no header (kept as the analyst's own) are settled
    with a note in ``notes``; what cannot be settled without losing work is
    refused.

    Args:
        path: the workbook.
        codebook: resolves code names in Code cells; None reads them as written.
        texts: each segment's text as radar last read it (the segment record),
            to know a row whose Segment ID was edited.

    Raises:
        WorkbookError: naming the sheet and cell of every Keep value that is
            not yes/no and every code the codebook does not hold (all of them,
            in ``problems``, so the analyst fixes them in one go); of a
            column radar wrote something in that is missing; of merged cells;
            of two columns with one header, both filled; of copies of a row
            edited differently; of a Segment ID radar did not write.
    """
    return _read_workbook(path, codebook, texts)[0]


def _read_workbook(
    path: Path, codebook: Codebook | None, texts: Mapping[str, str] | None, segments: bool = False
) -> tuple[PreviousWork, dict[str, dict[str, str]]]:
    """The analyst's work and (``segments``) each phase-1 row's radar cells by Segment ID, as the sheet holds them."""
    refuse_other_formats(path)
    workbook = under_radar_titles(path, open_workbook(path))  # a renamed sheet of radar's is read as its own
    try:
        records = _read_state(workbook)
        reader = _Reader(path, workbook, records, texts or {})
        rows1, extra1, chosen1 = reader.phase1()
        rows2, extra2 = reader.phase2(codebook)
        marks, quotes = reader.marks(codebook)
    finally:
        workbook.close()
    raise_all(reader.problems)
    notes = tuple(dict.fromkeys(reader.notes))
    cells1 = {}
    if segments:
        cells1 = {
            sid: {
                name: sid if name == C.SEGMENT_ID else cell_str(_value(row, index))
                for name, index in reader.radar_columns1.items()
            }
            for sid, row in chosen1.items()
        }
    return PreviousWork(rows1, rows2, records, extra1, extra2, marks, quotes, notes), cells1


def _value(row: tuple[Any, ...], index: int | None) -> Any:
    if index is None or index >= len(row):
        return None
    value = row[index]
    if value is None or isinstance(value, str | int | float):
        return value
    text = getattr(value, "text", None)  # an array formula pasted in: its text, never an object's repr
    return text if isinstance(text, str) else value


def _filled(value: Any) -> bool:
    return value is not None and cell_str(value) != ""


def _same_text(value: Any) -> str:
    return " ".join(cell_str(value).split())


Rows = list[tuple[int, tuple[Any, ...]]]


@dataclass(frozen=True)
class _Table:
    """One of radar's sheets as read: the header (unnamed columns with notes named) and the numbered rows."""

    title: str
    header: list[str]
    rows: Rows

    def filled(self, index: int) -> bool:
        return any(_filled(_value(row, index)) for _, row in self.rows)

    def cell(self, index: int, number: int) -> str:
        return f"{column_letter(index + 1)}{number}"


class _Reader:
    """Reads radar's sheets of one workbook, collecting the problems and the notes."""

    def __init__(self, path: Path, workbook: Any, records: Mapping[str, Record], texts: Mapping[str, str]):
        self.path = path
        self.records = records
        self.problems: list[RadarError] = []
        self.notes: list[str] = []
        titles = [C.SHEET_PHASE1, C.SHEET_PHASE2, C.SHEET_PHASE3]
        merged = _merged_ranges(path, workbook, [t for t in titles if t in workbook.sheetnames])
        self.tables = {
            title: self._table(workbook, title, merged.get(title, ()))
            for title in titles
            if title in workbook.sheetnames
        }
        self.recorded_texts = texts
        self._texts: dict[str, set[str]] | None = None
        self.radar_columns1: dict[str, int] = {}  # phase 1: radar's columns by name

    @property
    def texts(self) -> dict[str, set[str]]:
        """Each segment's texts as radar wrote them on any sheet, and as the transcript had it (made once, when needed)."""
        if self._texts is None:
            self._texts = {sid: {_same_text(text)} for sid, text in self.recorded_texts.items()}
            for table in self.tables.values():
                sid_col, text_col = _position(table, C.SEGMENT_ID), _position(table, C.TEXT)
                if sid_col is None or text_col is None:
                    continue
                for _, row in table.rows:
                    sid = cell_str(_value(row, sid_col))
                    if sid in self.records:
                        self._texts.setdefault(sid, set()).add(_same_text(_value(row, text_col)))
        return self._texts

    def where(self, title: str, cell: str | None = None, segment: str | None = None) -> Location:
        return Location(self.path.name, title, cell, segment)

    def _table(self, workbook: Any, title: str, merged: Sequence[Any]) -> _Table:
        header, numbered = read_sheet_rows(workbook, title)
        rows = list(numbered)
        width = max([len(header), *(len(row) for _, row in rows)])
        table = _Table(title, [*header, *[""] * (width - len(header))], rows)
        for (top, left), (bottom, right) in merged:
            if (top, left) != (bottom, right):
                cells = f"{column_letter(left + 1)}{top + 1}:{column_letter(right + 1)}{bottom + 1}"
                raise self.where(title, cells).error(
                    WorkbookError,
                    "these cells are merged, but radar keeps one value in each cell of its sheets "
                    "(Excel keeps only the first cell's value when merging): unmerge them and give each "
                    "row its own value (the last version radar wrote is in .radar/history)",
                )
        for index, name in enumerate(table.header):
            if not name and table.filled(index):
                letter = column_letter(index + 1)
                own = _free_name(f"Column {letter}", table.header)
                table.header[index] = own
                self.notes.append(
                    f"{self.path.name}, sheet {title!r}: column {letter} holds notes but has no header; "
                    f"radar keeps them as your own column {own!r} (give it a header of your own)"
                )
        return table

    # Columns ------------------------------------------------------------------

    def column(self, table: _Table, name: str) -> int | None:
        """The position of a column by its name; of two with one name, the one that holds anything."""
        positions = [i for i, h in enumerate(table.header) if h == name]
        if len(positions) < 2:
            return positions[0] if positions else None
        filled = [i for i in positions if table.filled(i)]
        if len(filled) > 1:
            cells = " and ".join(f"{column_letter(i + 1)}1" for i in filled)
            raise self.where(table.title, cells).error(
                WorkbookError,
                f"{len(filled)} columns are headed {name!r}, and each holds values; radar reads one: "
                f"move what you mean to keep into one of them and rename or delete the other",
            )
        chosen = filled or positions
        return chosen[0] if chosen else None

    def required(self, table: _Table, name: str) -> int:
        index = self.column(table, name)
        if index is None:
            raise self.where(table.title).error(
                WorkbookError,
                f"the column {name!r} is missing; restore the header row (radar finds columns by their names)",
            )
        return index

    def owned(self, table: _Table, name: str, written: Mapping[str, str], what: str) -> int | None:
        """A column radar writes that holds the analyst's decisions; missing, it may only have held nothing.

        Args:
            written: Segment ID -> what the last run wrote in the column, for the rows it wrote.
            what: the column's contents, in words (``memos``).
        """
        index = self.column(table, name)
        if index is not None:
            return index
        held = [sid for sid, value in written.items() if value]
        if not held:
            self.notes.append(
                f"{self.path.name}, sheet {table.title!r}: the column {name!r} was missing; "
                f"it held nothing and radar writes it again"
            )
            return None
        listed = ", ".join(held[:5]) + (f" and {len(held) - 5} more" if len(held) > 5 else "")
        raise self.where(table.title).error(
            WorkbookError,
            f"the column {name!r} is missing, and the last run wrote the {what} of {len(held)} row(s) in it "
            f"({listed}); {self._renamed_hint(table, name, written) or 'restore the column'} (radar finds "
            f"its columns by their names; the last version radar wrote is in .radar/history)",
        )

    def _renamed_hint(self, table: _Table, name: str, written: Mapping[str, str]) -> str:
        """Where the column's values are now, if the analyst renamed its header."""
        sid_col = self.column(table, C.SEGMENT_ID)
        if sid_col is None:
            return ""
        for index, header in enumerate(table.header):
            matches = sum(
                1
                for _, row in table.rows
                if written.get(cell_str(_value(row, sid_col)))
                and cell_str(_value(row, index)) == written[cell_str(_value(row, sid_col))]
            )
            if matches and index != sid_col:
                return (
                    f"the column {header!r} ({column_letter(index + 1)}1) holds them: name it {name!r} again"
                )
        return ""

    def own_columns(self, table: _Table, known: set[str]) -> list[int]:
        """Positions of the analyst's own columns: named, and not radar's (one per name)."""
        names = dict.fromkeys(h for h in table.header if h and h not in known and not C.is_code_column(h))
        return [index for name in names if (index := self.column(table, name)) is not None]

    def written(self, pick: Callable[[Decision], str], sheet2: bool = False) -> dict[str, str]:
        """What the last run wrote for each row of a sheet (``sheet2``: only the kept rows are on it)."""
        return {
            sid: pick(record.written)
            for sid, record in self.records.items()
            if not sheet2 or record.written.keep == C.YES
        }

    # Rows ------------------------------------------------------------------------

    def segment_rows(
        self, table: _Table, sid_col: int, text_col: int | None, by_id: bool = True
    ) -> dict[str, list[tuple[int, tuple[Any, ...]]]]:
        """The rows by Segment ID; a row whose ID radar did not write is known by its text, or refused.

        Args:
            by_id: each segment has one row on the sheet (its rows are grouped
                as copies); else (the coded sheet) one per code.
        """
        found: dict[str, Rows] = {}
        strangers: Rows = []
        for number, row in table.rows:
            sid = cell_str(_value(row, sid_col))
            if not any(_filled(value) for value in row):
                continue
            if self.records and sid not in self.records:
                strangers.append((number, row))
                continue
            if sid:
                found.setdefault(sid, []).append((number, row))
        for number, row in strangers:
            sid = cell_str(_value(row, sid_col))
            text = _same_text(_value(row, text_col))
            known = sorted(
                s
                for s, texts in self.texts.items()
                if text and text in texts and s in self.records and not (by_id and s in found)
            )
            cell = table.cell(sid_col, number)
            if len(known) == 1:
                found.setdefault(known[0], []).append((number, row))
                said = f"the Segment ID {sid!r}, not one radar wrote" if sid else "no Segment ID"
                self.notes.append(
                    f"{self.path.name}, sheet {table.title!r}, cell {cell}: row {number} has {said}; "
                    f"its text is that of {known[0]}, so radar reads it as {known[0]} "
                    f"and writes that ID back (radar finds rows by Segment ID: leave the IDs as they are)"
                )
                continue
            said = f"the Segment ID {sid!r} is not one radar wrote" if sid else "the row has no Segment ID"
            why = (
                f"its text is that of {', '.join(known)}"
                if known
                else "its text is not that of any row whose ID is missing"
            )
            self.problems.append(
                self.where(table.title, cell).error(
                    WorkbookError,
                    f"{said}, and radar cannot tell which segment the row is ({why}): put back the ID "
                    "radar gave it, or move the row's values to a sheet of your own (radar finds rows by "
                    "Segment ID; the last version radar wrote is in .radar/history)",
                )
            )
        return found

    def settle(
        self,
        title: str,
        sid: str,
        copies: Sequence[tuple[int, Mapping[str, str]]],
        baseline: Mapping[str, str] | None,
    ) -> int | None:
        """Which of a segment's copied rows holds the analyst's work (its index), or None if they disagree.

        Copies alike are one row; of copies that differ, the one that differs
        from what radar last wrote (``baseline``) is the edited one. Copies
        edited in different ways are refused, naming both rows.
        """
        if len(copies) == 1:
            return 0
        numbers = [number for number, _ in copies]
        rows = f"rows {', '.join(map(str, numbers[:-1]))} and {numbers[-1]}"
        distinct = list(dict.fromkeys(tuple(sorted(cells.items())) for _, cells in copies))
        if len(distinct) == 1:
            self.notes.append(
                f"{self.path.name}, sheet {title!r}: {rows} are copies of Segment ID {sid}; "
                "radar writes the segment once"
            )
            return 0
        base = tuple(sorted(baseline.items())) if baseline is not None else None
        edited = [i for i, (_, cells) in enumerate(copies) if tuple(sorted(cells.items())) != base]
        if baseline is not None and len({tuple(sorted(copies[i][1].items())) for i in edited}) == 1:
            chosen = edited[0]
            self.notes.append(
                f"{self.path.name}, sheet {title!r}: {rows} {'both' if len(copies) == 2 else 'all'} have "
                f"Segment ID {sid}; radar keeps the one "
                f"you edited (row {numbers[chosen]}) and writes the segment once"
            )
            return chosen
        first, second = (copies[i] for i in (edited if len(edited) > 1 else [0, 1])[:2])
        differ = sorted(k for k in {*first[1], *second[1]} if first[1].get(k, "") != second[1].get(k, ""))
        self.problems.append(
            self.where(title, segment=sid).error(
                WorkbookError,
                f"rows {first[0]} and {second[0]} both have Segment ID {sid}, edited differently "
                f"({', '.join(differ)}); keep the one you mean and delete the other row",
            )
        )
        return None

    # The sheets -------------------------------------------------------------------

    def phase1(self) -> tuple[dict[str, Row1], tuple[str, ...], dict[str, tuple[Any, ...]]]:
        title = C.SHEET_PHASE1
        table = self.tables.get(title)
        if table is None:
            raise WorkbookError(
                f"{self.path.name}: the sheet {title!r} is missing; restore it from .radar/history",
                path=self.path.name, sheet=title,
            )  # fmt: skip
        sid_col = self.required(table, C.SEGMENT_ID)
        keep_col = self.required(table, C.KEEP)
        reason_col = self.required(table, C.REASON)
        text_col = self.required(table, C.TEXT)
        review_col = self.owned(table, C.REVIEW, self.written(lambda w: w.review), "review flags")
        own = self.own_columns(table, {*C.PHASE1_COLUMNS, C.REVIEW})
        for name in C.PHASE1_COLUMNS:
            if (index := self.column(table, name)) is not None:
                self.radar_columns1[name] = index
        found: dict[str, Row1] = {}
        chosen_rows: dict[str, tuple[Any, ...]] = {}
        for sid, copies in self.segment_rows(table, sid_col, text_col).items():
            rows: list[tuple[int, Row1]] = []
            for number, row in copies:
                raw = _value(row, keep_col)
                keep = parse_keep(raw)
                if keep is None:
                    where = Location(self.path.name, title, table.cell(keep_col, number), sid, number)
                    self.problems.append(
                        where.error(WorkbookError, f"Keep is {cell_str(raw)!r}; write yes or no")
                    )
                    continue
                review = cell_str(_value(row, review_col))
                text = "" if _value(row, text_col) is None else str(_value(row, text_col))
                extras = _extras(table.header, row, own)
                rows.append((number, Row1(keep, cell_str(_value(row, reason_col)), review, text, extras)))
            if not rows:
                continue
            chosen = self.pick(title, sid, rows, _row1_cells)
            if chosen is None:
                continue
            number, found[sid] = rows[chosen]
            chosen_rows[sid] = dict(copies)[number] if len(copies) > 1 else copies[0][1]
        return found, tuple(table.header[i] for i in own), chosen_rows

    def pick(
        self, title: str, sid: str, rows: Sequence[tuple[int, Any]], cells: Callable[[Any], Any]
    ) -> int | None:
        """Which of a segment's rows to read: the only one, or the copy :meth:`settle` keeps (None: refused).

        ``cells`` gives the cells that tell copies apart, of a row and of what radar last wrote.
        """
        if len(rows) <= 1:
            return 0
        record = self.records.get(sid)
        return self.settle(
            title,
            sid,
            [(number, cells(row)) for number, row in rows],
            cells(record.written) if record is not None else None,
        )

    def phase2(self, codebook: Codebook | None) -> tuple[dict[str, Row2], tuple[str, ...]]:
        title = C.SHEET_PHASE2
        table = self.tables.get(title)
        if table is None:
            return {}, ()
        sid_col = self.required(table, C.SEGMENT_ID)
        text_col = self.column(table, C.TEXT)
        memo_col = self.owned(table, C.MEMO, self.written(lambda w: w.memo, sheet2=True), "memos")
        code_cols = [i for i, h in enumerate(table.header) if C.is_code_column(h)]
        present = {table.header[i] for i in code_cols}
        wrote = max(
            [0, *(len(w.codes) for w in (r.written for r in self.records.values()) if w.keep == C.YES)]
        )
        for n in range(1, wrote + 1):  # the columns that held the codes radar last wrote
            if C.code_column(n) not in present:
                held = self.written(lambda w, n=n: join_codes(w.codes[n - 1 :]), sheet2=True)  # type: ignore[misc]
                self.owned(table, C.code_column(n), held, "codes")
        own = self.own_columns(table, {*C.PHASE2_FIXED, C.MEMO, C.SUGGESTED_BY})  # "Suggested by" is radar's
        found: dict[str, Row2] = {}
        for sid, copies in self.segment_rows(table, sid_col, text_col).items():
            rows: list[tuple[int, Row2]] = []
            for number, row in copies:
                codes: list[str] = []
                for col in code_cols:
                    cell = cell_str(_value(row, col))
                    names: Sequence[str] = split_codes(cell)
                    if codebook and names:
                        where = Location(self.path.name, title, table.cell(col, number), sid, number)
                        try:
                            names = resolve_cell_codes(cell, codebook, where)
                        except WorkbookError as problem:
                            self.problems.append(problem)
                            continue
                    codes += [code for code in names if code not in codes]
                memo = "" if _value(row, memo_col) is None else str(_value(row, memo_col))
                rows.append((number, Row2(tuple(codes), memo, _extras(table.header, row, own))))
            chosen = self.pick(title, sid, rows, _row2_cells)
            if chosen is not None and rows:
                found[sid] = rows[chosen][1]
        return found, tuple(table.header[i] for i in own)

    def marks(self, codebook: Codebook | None) -> tuple[Marks, Marks]:
        """The Exemplar marks and Quote cells of the coded sheet, each Segment ID -> code -> value.

        A segment on the sheet gets an entry (empty when its cells are), so that
        clearing a cell is read as the analyst's decision.
        """
        table = self.tables.get(C.SHEET_PHASE3)
        if table is None or C.CODE not in table.header:
            return {}, {}
        sid_col = self.required(table, C.SEGMENT_ID)
        code_col = self.required(table, C.CODE)
        text_col = self.column(table, C.TEXT)
        columns = [self.column(table, name) for name in (C.EXEMPLAR, C.QUOTE)]
        found: tuple[Marks, Marks] = ({}, {})
        for sid, rows in self.segment_rows(table, sid_col, text_col, by_id=False).items():
            record = self.records.get(sid)
            by_code: dict[str, Rows] = {}
            for number, row in rows:
                code = cell_str(_value(row, code_col))
                by_code.setdefault((codebook.resolve(code) if codebook else None) or code, []).append(
                    (number, row)
                )
            present = [
                (column, values, name, kept)
                for column, values, name, kept in zip(
                    columns, found, (C.EXEMPLAR, C.QUOTE), ("exemplars", "quotes")
                )
                if column is not None
            ]
            for _, values, _, _ in present:
                values.setdefault(sid, {})
            for code, copies in by_code.items():
                options = [
                    (number, {name: cell_str(_value(row, column)) for column, _, name, _ in present})
                    for number, row in copies
                ]
                base = None
                if record is not None:
                    base = {name: getattr(record.written, kept).get(code, "") for _, _, name, kept in present}
                chosen = self.settle(C.SHEET_PHASE3, sid, options, base) if len(options) > 1 else 0
                if chosen is None or not code:
                    continue
                for _, values, name, _ in present:
                    if options[chosen][1][name]:
                        values[sid][code] = options[chosen][1][name]
        return found


def _position(table: _Table, name: str) -> int | None:
    return table.header.index(name) if name in table.header else None


def _free_name(name: str, taken: Sequence[str]) -> str:
    found, n = name, 1
    while found in taken:
        n += 1
        found = f"{name} ({n})"
    return found


def _extras(header: list[str], row: tuple[Any, ...], positions: list[int]) -> dict[str, Any]:
    found = {}
    for i in positions:
        value = _value(row, i)
        if value is not None and value != "":
            found[header[i]] = value
    return found


def _plain(extras: Mapping[str, Any]) -> dict[str, str]:
    return {name: cell_str(value) for name, value in extras.items() if cell_str(value)}


def _row1_cells(row: Row1 | Decision) -> dict[str, str]:
    """What the analyst decides in a phase-1 row, for comparing copies of it."""
    extras = row.extras if isinstance(row, Row1) else row.extra1
    cells = {C.KEEP: row.keep, C.REASON: cell_str(row.reason), C.REVIEW: cell_str(row.review)}
    return {**cells, **_plain(extras)}


def _row2_cells(row: Row2 | Decision) -> dict[str, str]:
    """What the analyst decides in a phase-2 row, for comparing copies of it."""
    extras = row.extras if isinstance(row, Row2) else row.extra2
    return {"Codes": join_codes(row.codes), C.MEMO: cell_str(row.memo), **_plain(extras)}


Marks = dict[str, dict[str, str]]


def _merged_ranges(path: Path, workbook: Any, titles: Sequence[str]) -> dict[str, Sequence[Any]]:
    """The merged ranges of some sheets, ((top, left), (bottom, right)) counting from 0."""
    found: dict[str, Sequence[Any]] = {}
    missing = []
    for title in titles:
        merged = getattr(workbook[title], "merged", None)  # python-calamine's, when it read the values
        if merged is None:
            missing.append(title)
        else:
            found[title] = merged
    if missing:  # read with openpyxl (the workbook holds formulas): ask calamine for the merges only
        import io

        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
        try:
            for title in missing:
                found[title] = book.get_sheet_by_name(title).merged_cell_ranges or ()
        finally:
            book.close()
    return found


def _read_state(workbook: Any) -> dict[str, Record]:
    if C.SHEET_STATE not in workbook.sheetnames:
        return {}
    header, rows = read_sheet_rows(workbook, C.SHEET_STATE)
    if list(header[: len(STATE_COLUMNS)]) != list(STATE_COLUMNS):
        return {}
    records = {}
    for _, row in rows:
        values = dict(zip(header, row))
        sid = cell_str(values.get(C.SEGMENT_ID))
        if sid:
            records[sid] = record_from_state(values)
    return records


def previous_work(folder: Folder, codebook: Codebook) -> PreviousWork | None:
    """The analyst's cells in the study's workbook, or None when there is no workbook yet."""
    refuse_other_formats(folder.paths.tables)
    if not folder.paths.tables.exists():
        return None
    return read_previous_work(folder.paths.tables, codebook, _recorded_texts(folder))


def _recorded_texts(folder: Folder) -> dict[str, str]:
    """Each segment's text as the last run read it from its transcript (the segment record)."""
    record = read_record(folder.paths)
    return {} if record is None else {sid: text for pairs in record.groups.values() for sid, text in pairs}


def check_codes(decisions: Mapping[str, Decision], codebook: Codebook, workbook: str) -> None:
    """Refuse codes kept on record (on rows set Keep = no) that the codebook no longer has."""
    for sid, decision in decisions.items():
        for code in decision.codes:
            if codebook.resolve(code) is None:
                did_you_mean = codebook.did_you_mean(code)
                raise WorkbookError(
                    f"{workbook}, sheet {C.SHEET_STATE!r} (Segment ID {sid}, a row set Keep = no): "
                    f"the code {code!r} is not in the codebook{did_you_mean}; "
                    f"use `radar codebook rename` or put the code back in the codebook",
                    path=workbook,
                    sheet=C.SHEET_STATE,
                    segment=sid,
                )


# The tables as the analyst left them ----------------------------------------


def tables_from_workbook(
    folder: Folder, codebook: Codebook | None = None, percent_style: str = "jmir"
) -> Tables:
    """The reduction tables as the workbook holds them now.

    Phase 1 comes from the workbook's first sheet; Keep, Reason, codes and
    memos are the analyst's current cells, so the tables reflect edits made
    since the last ``reduce``.
    """
    codebook = codebook or folder.codebook()
    segments, decisions, records = _workbook_now(folder, codebook, with_records=True)
    config = folder.config()
    return make_tables(
        segments,
        decisions,
        codebook,
        folder.speakers(),
        percent_style=percent_style,
        group_names=config.group_names(),
        min_cell=config.deidentify.min_cell,
        records=records,
        audit=audit_lines(folder.paths.records),
    )


def _workbook_now(folder: Folder, codebook: Codebook, with_records: bool = False) -> Any:
    """The workbook's segments and the analyst's current decisions, read once (``with_records``: and radar's state)."""
    import warnings

    import pandas as pd

    path = folder.require_tables()
    previous, cells = _read_workbook(path, codebook, _recorded_texts(folder), segments=True)
    for note in previous.notes:
        warnings.warn(note, RadarWarning, stacklevel=3)
    wanted = [c for c in C.PHASE1_COLUMNS if c not in (C.KEEP, C.REASON)]
    for name in wanted:
        if cells and name not in next(iter(cells.values())):
            raise WorkbookError(
                f"{path.name}, sheet {C.SHEET_PHASE1!r}: the column {name!r} is missing; "
                "run `radar reduce` to write it again (radar finds columns by their names)",
                path=path.name,
                sheet=C.SHEET_PHASE1,
            )
    segments = pd.DataFrame([[row[name] for name in wanted] for row in cells.values()], columns=wanted)
    decisions = decisions_of(previous)
    check_codes(decisions, codebook, path.name)
    return (segments, decisions, previous.records) if with_records else (segments, decisions)


def combined_from_workbook(folder: Folder, percent_style: str = "jmir") -> pd.DataFrame:
    """The manuscript's theme table from the workbook as it is now."""
    return tables_from_workbook(folder, percent_style=percent_style).combined


def tally_workbook(
    folder: Folder, unit: str = "excerpts", by: str = "theme", percent_style: str = "jmir"
) -> pd.DataFrame:
    """Tally the workbook's current codes (only the tally asked for is computed)."""
    codebook = folder.codebook()
    segments, decisions = _workbook_now(folder, codebook)
    _, _, table3, people, groups = phases(segments, decisions, codebook, folder.speakers())
    return tally(
        table3,
        codebook,
        unit=unit,
        by=by,
        participants_total=people,
        groups_total=groups,
        percent_style=percent_style,
    )


def breakdown_workbook(
    folder: Folder,
    attribute: str,
    unit: str = "excerpts",
    percent_style: str = "jmir",
    shape: str = "matrix",
) -> pd.DataFrame:
    """Themes by a group or participant attribute (:func:`radar.matrix.breakdown`), from the workbook now."""
    codebook = folder.codebook()
    speakers = folder.speakers()
    segments, decisions = _workbook_now(folder, codebook)
    table1, _, table3, _, _ = phases(segments, decisions, codebook, speakers)
    return breakdown(
        table3, table1, codebook, attribute, speakers, unit=unit, percent_style=percent_style, shape=shape,
        min_cell=folder.config().deidentify.min_cell,
    )  # fmt: skip


def characteristics_workbook(folder: Folder, percent_style: str = "jmir") -> pd.DataFrame:
    """The participant characteristics table (:func:`radar.characteristics.characteristics`).

    The participants are those who spoke (the workbook's first sheet) and those listed in speakers.csv.
    """
    speakers = require_attributes(folder.speakers(), str(folder.root))
    table1 = frame_from_sheet(folder.require_tables(), title_of(folder.require_tables(), C.SHEET_PHASE1))
    table1 = table1[table1[C.SEGMENT_ID] != ""]
    return characteristics(
        table1,
        speakers,
        percent_style=percent_style,
        where=str(folder.root),
        min_cell=folder.config().deidentify.min_cell,
    )
