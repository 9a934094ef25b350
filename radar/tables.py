"""The reduction tables, by their old module name: see :mod:`radar.reduction.records` and
:mod:`radar.reduction.tables`, where they live now.
"""

from __future__ import annotations

from radar.reduction.records import (
    CODE_SEPARATOR,
    KEEP_VALUES,
    Decision,
    PreviousWork,
    Record,
    Row1,
    Row2,
    group_of,
    join_codes,
    parse_keep,
    resolve_cell_codes,
    segment_number,
    split_codes,
)
from radar.reduction.tables import (
    STATE_COLUMNS,
    code_column_count,
    code_columns,
    has_analyst_work,
    merge_decision,
    phase1,
    phase2,
    phase3,
    record_from_state,
    state_frame,
)

__all__ = [
    "CODE_SEPARATOR",
    "KEEP_VALUES",
    "STATE_COLUMNS",
    "Decision",
    "PreviousWork",
    "Record",
    "Row1",
    "Row2",
    "code_column_count",
    "code_columns",
    "group_of",
    "has_analyst_work",
    "join_codes",
    "merge_decision",
    "parse_keep",
    "phase1",
    "phase2",
    "phase3",
    "record_from_state",
    "resolve_cell_codes",
    "segment_number",
    "split_codes",
    "state_frame",
]
