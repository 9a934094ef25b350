"""The workbook's "Member check" sheet, the summary per theme, and COREQ item 28."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radar.errors import WorkbookError
from radar.excel import (
    cell_text,
    column_width,
    open_for_edit,
    open_workbook,
    print_setup,
    read_sheet_rows,
    set_text,
    style_header,
)
from radar.files import long_date, write_atomic
from radar.folder import Folder
from radar.membercheck.records import (
    COMMENT_JOIN,
    IMPORTED_NAME,
    NO_RESPONSE,
    SHEET,
    SHEET_COLUMNS,
    SUMMARY_COLUMNS,
    VERDICTS,
    Answer,
    Packet,
    Response,
    current_exports,
    exports_of,
    read_sent,
    records_dir,
    responses,
    row_key,
    share_label,
    theme_order,
    write_json,
)
from radar.reduction.history import snapshot

if TYPE_CHECKING:
    import pandas as pd


SHEET_WIDTHS = {
    "Participant": 12,
    "Group": 14,
    "Theme": 36,
    "Verdict": 12,
    "Comment": 70,
    "Packet": 18,
    "Imported": 22,
}


def answer_row(answer: Answer, packet: str, time: str) -> dict[str, str]:
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
        check_header(workbook_path, header)
        found = []
        for _, row in rows:
            values = {h: ("" if v is None else str(v).strip()) for h, v in zip(header, row) if h}
            if any(values.get(c) for c in SHEET_COLUMNS[:5]):  # Participant ... Comment
                found.append({c: values.get(c, "") for c in SHEET_COLUMNS})
        return found
    finally:
        workbook.close()


def check_header(path: Path, header: Sequence[str]) -> None:
    missing = [c for c in SHEET_COLUMNS if c not in header]
    if missing:
        raise WorkbookError(
            f"{path.name}, sheet {SHEET!r}: the column {missing[0]!r} is missing; "
            "restore the header row (radar finds columns by their names)"
        )


def record_answers(
    study: Folder,
    run: int,
    packets: Sequence[Packet],
    rows: Sequence[Mapping[str, str]],
    imported: Mapping[str, Any],
    time: str,
) -> Path | None:
    """Append the rows to the sheet (kept copy first, then the digests, then the workbook)."""

    paths = study.paths
    keep = study.config().history.keep
    workbook = open_for_edit(paths.tables)
    if SHEET in workbook.sheetnames:
        sheet = workbook[SHEET]
        header = [str(c.value or "").strip() for c in sheet[1]]
        check_header(paths.tables, header)
    else:
        sheet = _new_sheet(workbook)
        header = list(SHEET_COLUMNS)
    _append_rows(sheet, header, rows)
    kept_copy = snapshot(paths, run, keep)
    digests = dict(imported)
    for packet in packets:
        digests[packet.key] = {
            "digest": packet.digest,
            "file": packet.file,
            "time": time,
            "export": packet.export,
        }
    write_json(records_dir(paths) / IMPORTED_NAME, digests)
    write_atomic(paths.tables, workbook.save, suffix=".xlsx")
    return kept_copy


def _new_sheet(workbook: Any) -> Any:
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(SHEET)
    sheet.append(list(SHEET_COLUMNS))
    for index, name in enumerate(SHEET_COLUMNS, start=1):
        style_header(sheet.cell(row=1, column=index))
        sheet.column_dimensions[get_column_letter(index)].width = SHEET_WIDTHS.get(name, 14)
    sheet.freeze_panes = "A2"
    return sheet


def _append_rows(sheet: Any, header: Sequence[str], rows: Sequence[Mapping[str, str]]) -> None:
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    top, wrap = Alignment(vertical="top"), Alignment(wrap_text=True, vertical="top")
    positions = {name: header.index(name) + 1 for name in SHEET_COLUMNS}
    last = sheet.max_row
    while last > 1 and all(c.value in (None, "") for c in sheet[last]):
        last -= 1
    for offset, row in enumerate(rows, start=1):
        for name, column in positions.items():
            value = cell_text(row.get(name, "")) or None
            cell = sheet.cell(row=last + offset, column=column)
            set_text(cell, value)  # a participant's text never runs as a formula
            cell.alignment = wrap if name in ("Comment", "Theme") else top
    width = max(len(header), len(SHEET_COLUMNS))
    sheet.auto_filter.ref = f"A1:{get_column_letter(width)}{last + len(rows)}"
    for name, column in positions.items():  # sized to what the sheet now holds
        values = [sheet.cell(row=r, column=column).value for r in range(2, last + len(rows) + 1)]
        sheet.column_dimensions[get_column_letter(column)].width = column_width(name, values)[0]
    print_setup(sheet)


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
    """Member checking so far: packets sent and returned, agreement per theme.

    ``sent`` and ``returned`` count the exports in force only: a later export
    of packets to the same unit (participants or groups) replaces an earlier one.
    """

    sent: int
    sent_kind: str  # participants | groups | participants or groups
    first_sent: str
    last_sent: str
    returned: int
    summary: pd.DataFrame
    rows: tuple[Mapping[str, str], ...] = field(default=(), repr=False)
    responses: tuple[Response, ...] = ()  # per export in force


def member_check_status(study: Folder) -> MemberCheckStatus | None:
    """Where member checking stands, from the records and the workbook (None if nothing was sent)."""
    exports = exports_of(read_sent(study.paths))
    in_force = current_exports(exports)
    if not in_force:
        return None
    rows = read_sheet(study.paths.tables) if study.paths.tables.exists() else []
    counted = responses(exports, in_force, (row_key(r) for r in rows))
    kinds = {e.by for e in in_force}
    kind = (
        "participants"
        if kinds == {"participant"}
        else "groups"
        if kinds == {"group"}
        else "participants or groups"
    )
    days = sorted(e.day for e in in_force)
    return MemberCheckStatus(
        sum(r.sent for r in counted),
        kind,
        days[0],
        days[-1],
        sum(r.returned for r in counted),
        summary_frame(rows, theme_order(exports)),
        tuple(rows),
        counted,
    )


def coreq_line(study: Folder) -> str:
    """COREQ item 28 (participant checking) in one sentence, after "Participant checking: ".

    Counts the exports in force: packets exported again to the same unit
    replace the earlier export, so a trial export is not counted as sent.
    """
    status = member_check_status(study)
    if status is None:
        return "not done (no member-check packets sent)."
    clauses = []
    for response in status.responses:
        unit = "participants" if response.export.by == "participant" else "groups"
        clause = f"packets sent to {response.sent} {unit} on {long_date(response.export.day)}; "
        if response.returned:
            clause += f"{response.returned} returned ({share_label(response.returned, response.sent)})"
        else:
            clause += "none returned yet"
        clauses.append(clause)
    line = "; ".join(clauses)
    if not status.returned:
        return line + "."
    parts = []
    for row in status.summary.to_dict("records"):
        agree, partly, disagree = int(row["agree"]), int(row["partly"]), int(row["disagree"])
        if agree + partly + disagree + int(row["no_response"]):
            parts.append(f"{row['theme']} {agree} agree, {partly} partly, {disagree} disagree")
    return line + ("; agreement per theme: " + "; ".join(parts) if parts else "") + "."
