"""The audit trail, by its old module name: see :mod:`radar.reduction.history`, where it lives now."""

from __future__ import annotations

from radar.reduction.history import (
    AUDIT_NAME,
    HISTORY_DIR,
    RUN_COLUMNS,
    analyst_changes,
    append_audit,
    audit_path,
    describe_differences,
    history_dir,
    next_run_number,
    read_audit,
    runs_table,
    snapshot,
    snapshots,
)
from radar.reduction.records import Change
from radar.reduction.tables import decisions_of

__all__ = [
    "AUDIT_NAME",
    "HISTORY_DIR",
    "RUN_COLUMNS",
    "Change",
    "analyst_changes",
    "append_audit",
    "audit_path",
    "decisions_of",
    "describe_differences",
    "history_dir",
    "next_run_number",
    "read_audit",
    "runs_table",
    "snapshot",
    "snapshots",
]
