"""radar-tables.xlsx, by its old module name: any sheet is written and read in :mod:`radar.excel`;
radar's own sheets in :mod:`radar.reduction.workbook`, read back in :mod:`radar.reduction.readback`
and edited in :mod:`radar.reduction.edits`.
"""

from __future__ import annotations

from radar.excel import (
    HEADER_FILL,
    WIDTHS,
    WRAPPED,
    Sheet,
    ValuesBook,
    ValuesSheet,
    cell_str,
    cell_text,
    clean_sheet_title,
    column_letter,
    frame_from_sheet,
    open_workbook,
    read_sheet_rows,
    write_workbook,
)
from radar.reduction.edits import (
    edited_workbook_bytes,
    renamed_workbook_bytes,
)
from radar.reduction.readback import read_previous_work
from radar.reduction.tables import code_columns
from radar.reduction.workbook import (
    RADAR_SHEETS,
    list_range,
    lists_frame,
    other_sheets,
)

__all__ = [
    "HEADER_FILL",
    "RADAR_SHEETS",
    "WIDTHS",
    "WRAPPED",
    "Sheet",
    "ValuesBook",
    "ValuesSheet",
    "cell_str",
    "cell_text",
    "clean_sheet_title",
    "code_columns",
    "column_letter",
    "edited_workbook_bytes",
    "frame_from_sheet",
    "list_range",
    "lists_frame",
    "open_workbook",
    "other_sheets",
    "read_previous_work",
    "read_sheet_rows",
    "renamed_workbook_bytes",
    "write_workbook",
]
