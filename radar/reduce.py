"""The reduce run, by its old module name: see :mod:`radar.reduction`, where it lives now."""

from __future__ import annotations

from radar.reduction.edits import (
    edit_tables,
    rename_code,
)
from radar.reduction.history import describe_diff
from radar.reduction.readback import (
    check_codes,
    combined_from_workbook,
    tables_from_workbook,
    tally_workbook,
)
from radar.reduction.run import (
    REVIEW_CHANGED,
    StageHook,
    audit_entry,
    kept_suggestions,
    log_frame,
    merge_all,
    run_reduce,
)
from radar.reduction.tables import (
    flow_of,
    make_tables,
    participants_total,
    phases,
)
from radar.reduction.workbook import (
    carried_sheets,
    themes_sheet,
    workbook_sheets,
)

__all__ = [
    "REVIEW_CHANGED",
    "StageHook",
    "audit_entry",
    "carried_sheets",
    "check_codes",
    "combined_from_workbook",
    "describe_diff",
    "edit_tables",
    "flow_of",
    "kept_suggestions",
    "log_frame",
    "make_tables",
    "merge_all",
    "participants_total",
    "phases",
    "rename_code",
    "run_reduce",
    "tables_from_workbook",
    "tally_workbook",
    "themes_sheet",
    "workbook_sheets",
]
