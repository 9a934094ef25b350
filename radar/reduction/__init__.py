"""The reduction: transcripts in, the RADaR tables out, and the analyst's work read back.

One module per thing the reduction handles:

* :mod:`~radar.reduction.records`: the decisions, records and results (frozen);
* :mod:`~radar.reduction.segments`: turns numbered, speakers resolved, defaults set;
* :mod:`~radar.reduction.tables`: phases 1 to 3 and the hidden state;
* :mod:`~radar.reduction.workbook`: the sheets of ``radar-tables.xlsx``;
* :mod:`~radar.reduction.readback`: the analyst's cells and the tables as they are now;
* :mod:`~radar.reduction.history`: kept versions, the audit log, what changed;
* :mod:`~radar.reduction.reconciliation`: the team's decisions applied;
* :mod:`~radar.reduction.run`: the ``reduce`` run itself;
* :mod:`~radar.reduction.edits`: a code renamed, cells written from Python;
* :mod:`~radar.reduction.status`: whether the tables are out of date.
"""

from __future__ import annotations

from radar.reduction.edits import edit_tables, rename_code
from radar.reduction.history import describe_diff, history_frame, read_audit
from radar.reduction.readback import (
    breakdown_workbook,
    combined_from_workbook,
    previous_work,
    read_previous_work,
    tables_from_workbook,
    tally_workbook,
)
from radar.reduction.records import (
    Change,
    Decision,
    Flow,
    PreviousWork,
    Record,
    ReduceResult,
    Tables,
)
from radar.reduction.run import reduce_study, run_reduce
from radar.reduction.segments import Segments, align_ids, build_segments, default_decision, suggest
from radar.reduction.status import stale, study_card
from radar.reduction.tables import dropped_by_reason, flow_of, make_tables

__all__ = [
    "Change",
    "Decision",
    "Flow",
    "PreviousWork",
    "Record",
    "ReduceResult",
    "Segments",
    "Tables",
    "align_ids",
    "breakdown_workbook",
    "build_segments",
    "combined_from_workbook",
    "default_decision",
    "describe_diff",
    "dropped_by_reason",
    "edit_tables",
    "flow_of",
    "history_frame",
    "make_tables",
    "previous_work",
    "read_audit",
    "read_previous_work",
    "reduce_study",
    "rename_code",
    "run_reduce",
    "stale",
    "study_card",
    "suggest",
    "tables_from_workbook",
    "tally_workbook",
]
