"""The RADaR reduction tables as pandas DataFrames.

Phase 1 holds every turn with Keep and Reason; phase 2 the kept rows with
their codes and memo; phase 3 one row per (kept segment, code) with the code's
theme. Rows are flagged, never silently deleted: a dropped row stays in phase 1
with its reason, and its codes stay on record.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from radar import columns as C
from radar.codebook import Codebook
from radar.config import DEFAULT_MIN_CELL
from radar.reduction.provenance import (
    evidence_from_json,
    evidence_json,
    imported_runs,
    origins_from_json,
    origins_json,
    origins_now,
    shown_origin,
    suggested_by_cell,
)
from radar.reduction.records import (
    Decision,
    Flow,
    PreviousWork,
    Record,
    Row2,
    Tables,
    join_codes,
    split_codes,
)
from radar.speakers import SpeakerList
from radar.tally import tally
from radar.themes import combined_table

if TYPE_CHECKING:
    import pandas as pd


def merge_decision(
    segment_id: str,
    default: Decision,
    suggested: tuple[str, ...],
    previous: PreviousWork | None,
    review: str = "",
) -> tuple[Decision, Record]:
    """Combine radar's proposal for a segment with what the analyst decided.

    A cell the analyst changed always wins; a cell still holding radar's last
    proposal takes the new one. Nothing the analyst wrote is ever dropped:
    a row set to Keep = no keeps its codes, memo and own columns on record.

    Args:
        segment_id: the segment.
        default: radar's default Keep and Reason for it this run.
        suggested: radar's suggested codes for it this run.
        previous: the analyst's cells from the existing workbook, if any.
        review: a note flagging the segment for review (its text changed).
    """
    record = previous.records.get(segment_id) if previous else None
    row1 = previous.rows1.get(segment_id) if previous else None
    row2 = previous.rows2.get(segment_id) if previous else None
    keep, reason = default.keep, default.reason
    written = record.written if record else None
    # The analyst's Keep and Reason: the row's cells, or (a deleted row) what radar last wrote.
    said = (
        (row1.keep, row1.reason) if row1 is not None else (written.keep, written.reason) if written else None
    )
    if said is not None and (record is None or said != (record.default.keep, record.default.reason)):
        keep, reason = said
    codes, touched = _merged_codes(suggested, row2, record)
    memo = row2.memo if row2 is not None else (written.memo if written else "")
    extra2 = dict(row2.extras) if row2 is not None else dict(written.extra2 if written else {})
    extra1 = dict(row1.extras) if row1 is not None else dict(written.extra1 if written else {})
    old_review = row1.review if row1 is not None else (written.review if written else "")
    marks, quotes = _phase3_cells(segment_id, previous, written)
    decision = Decision(keep, reason, codes, memo, review or old_review, extra1, extra2, marks, quotes)
    return decision, Record(default, suggested, decision, touched)


def _phase3_cells(
    segment_id: str, previous: PreviousWork | None, written: Decision | None
) -> tuple[dict[str, str], dict[str, str]]:
    """A segment's Exemplar marks and Quote cells: the coded sheet's, else (a row not on it) the record's."""
    if previous is not None and segment_id in previous.marks:
        marks = dict(previous.marks[segment_id])
    else:
        marks = dict(written.exemplars) if written else {}
    if previous is not None and segment_id in previous.quotes:
        quotes = dict(previous.quotes[segment_id])
    else:
        quotes = dict(written.quotes) if written else {}
    return marks, quotes


def _merged_codes(
    suggested: tuple[str, ...], row2: Row2 | None, record: Record | None
) -> tuple[tuple[str, ...], bool]:
    """The codes to keep and whether the analyst has ever changed them.

    Codes the analyst never changed follow radar's newest suggestion; once
    changed (even if changed back), they are the analyst's for good.
    """
    if row2 is not None:
        current = row2.codes
    elif record is not None:
        current = record.written.codes
    else:
        return suggested, False
    if record is None:
        return current, True
    if not record.touched and set(current) == set(record.suggested):
        return suggested, False
    return current, True


def has_analyst_work(record: Record) -> bool:
    """Whether the analyst decided anything about a segment (beyond radar's proposals)."""
    written, default = record.written, record.default
    return (
        (written.keep, written.reason) != (default.keep, default.reason)
        or set(written.codes) != set(record.suggested)
        or bool(written.memo)
        or bool(written.exemplars)
        or bool(written.quotes)
        or any(v not in (None, "") for v in (*written.extra1.values(), *written.extra2.values()))
    )


def phase1(
    segments: pd.DataFrame, decisions: Mapping[str, Decision], extra_columns: Sequence[str] = ()
) -> pd.DataFrame:
    """Every turn with its Keep, Reason and Review, then the analyst's own columns."""
    frame = segments.copy()
    ids = list(frame[C.SEGMENT_ID])
    frame[C.KEEP] = [decisions[s].keep for s in ids]
    frame[C.REASON] = [decisions[s].reason for s in ids]
    frame[C.REVIEW] = [decisions[s].review for s in ids]
    for column in extra_columns:
        frame[column] = [decisions[s].extra1.get(column) for s in ids]
    return frame[[*C.PHASE1_COLUMNS, C.REVIEW, *extra_columns]].reset_index(drop=True)


def code_column_count(decisions: Iterable[Decision]) -> int:
    """How many Code columns phase 2 needs (at least three)."""
    return max([C.MIN_CODE_COLUMNS, *(len(d.codes) for d in decisions)])


def phase2(
    table1: pd.DataFrame,
    decisions: Mapping[str, Decision],
    extra_columns: Sequence[str] = (),
    records: Mapping[str, Record] | None = None,
) -> pd.DataFrame:
    """The kept rows, one Code column per code, the memo, "Suggested by", then the analyst's own columns.

    "Suggested by" (with ``records``) says what suggested each of radar's suggested codes.
    """
    import pandas as pd

    kept = table1[table1[C.KEEP] == C.YES]
    k = code_column_count(decisions[s] for s in kept[C.SEGMENT_ID])
    frame = kept[list(C.PHASE2_FIXED)].reset_index(drop=True)
    ids = list(frame[C.SEGMENT_ID])
    code_cells = [_padded(decisions[s].codes, k) for s in ids]
    codes = pd.DataFrame(code_cells, columns=[C.code_column(i + 1) for i in range(k)])
    frame = pd.concat([frame, codes], axis=1)
    frame[C.MEMO] = [decisions[s].memo for s in ids]
    if records is not None:
        frame[C.SUGGESTED_BY] = [
            suggested_by_cell(r.suggested_by, r.suggested) if (r := records.get(s)) else "" for s in ids
        ]
    for column in extra_columns:
        frame[column] = [decisions[s].extra2.get(column) for s in ids]
    return frame


def _padded(codes: Sequence[str], k: int) -> list[str]:
    return list(codes) + [""] * (k - len(codes))


def code_columns(frame: pd.DataFrame) -> list[str]:
    """The Code column headers of a phase-2 frame, in order."""
    return [c for c in frame.columns if C.is_code_column(str(c))]


def phase3(
    table2: pd.DataFrame,
    codebook: Codebook,
    decisions: Mapping[str, Decision] | None = None,
    origins: Mapping[str, Mapping[str, str]] | None = None,
) -> pd.DataFrame:
    """One row per (kept segment, code), with the code's theme, the exemplar mark and the Quote.

    With ``origins`` (Segment ID -> code -> origin), an Origin column says where each code came from.
    """
    import pandas as pd

    rows = []
    columns = code_columns(table2)
    for record in table2.to_dict("records"):
        seen: set[str] = set()
        sid = record[C.SEGMENT_ID]
        marks = decisions[sid].exemplars if decisions else {}
        quotes = decisions[sid].quotes if decisions else {}
        for column in columns:
            code = record[column]
            if code and code not in seen:
                seen.add(code)
                rows.append(
                    (
                        sid,
                        record[C.GROUP],
                        record[C.PARTICIPANT],
                        code,
                        codebook.theme_of(code),
                        record[C.TEXT],
                        marks.get(code, ""),
                        quotes.get(code, ""),
                    )
                )
    frame = pd.DataFrame(rows, columns=list(C.PHASE3_COLUMNS))
    if origins is not None:
        frame[C.ORIGIN] = [
            origins.get(sid, {}).get(code, "") for sid, code in zip(frame[C.SEGMENT_ID], frame[C.CODE])
        ]
    return frame


def code_origins(
    decisions: Mapping[str, Decision],
    records: Mapping[str, Record],
    audit: Sequence[Mapping[str, object]] = (),
) -> dict[str, dict[str, str]]:
    """Each segment's codes with their origins as the tables show them.

    A code the record holds keeps its recorded origin; a code the analyst
    added since the last run (the workbook read as it is now) is the analyst's
    (typed, or changing a suggestion). ``audit`` tells the runs of a qdpx import.
    """
    imported = imported_runs(audit)
    found: dict[str, dict[str, str]] = {}
    for sid, decision in decisions.items():
        record = records.get(sid)
        suggested = record.suggested if record is not None else ()
        now = origins_now(decision.codes, record, suggested, 0)
        if record is not None:
            untouched = not record.touched and set(decision.codes) == set(record.suggested)
            if not untouched:
                now = {
                    code: origin if code in record.written.codes else (origin_of_analyst(code, record), 0)
                    for code, origin in now.items()
                }
        found[sid] = {code: shown_origin(origin, imported) for code, origin in now.items()}
    return found


def origin_of_analyst(code: str, record: Record) -> str:
    """The origin of a code the analyst put in a cell since the last run."""
    return C.ORIGIN_CHANGED if record.suggested else C.ORIGIN_ANALYST


def make_tables(
    segments: pd.DataFrame,
    decisions: Mapping[str, Decision],
    codebook: Codebook,
    speakers: SpeakerList | None,
    extra1: Sequence[str] = (),
    extra2: Sequence[str] = (),
    percent_style: str = "jmir",
    group_names: Mapping[str, str] | None = None,
    min_cell: int = DEFAULT_MIN_CELL,
    records: Mapping[str, Record] | None = None,
    audit: Sequence[Mapping[str, object]] = (),
) -> Tables:
    """Phases 1 to 3, the theme tally and the manuscript's theme table (quotes cite ``group_names``).

    ``min_cell`` is radar.toml's ``[deidentify] min_cell``: the theme table's small cells. With
    ``records`` (radar's state), phase 2 says what suggested each code and 3 Coded where each came
    from (``audit``, the audit trail, tells the runs of an import).
    """
    table1, table2, table3, people, groups = phases(
        segments, decisions, codebook, speakers, extra1, extra2, records=records, audit=audit
    )
    themes = tally(table3, codebook, participants_total=people, groups_total=groups)
    combined = combined_table(
        table3,
        codebook,
        participants_total=people,
        groups_total=groups,
        percent_style=percent_style,
        turns=table1,
        group_names=group_names,
        min_cell=min_cell,
    )
    return Tables(table1, table2, table3, themes, combined, people, groups)


def phases(
    segments: pd.DataFrame,
    decisions: Mapping[str, Decision],
    codebook: Codebook,
    speakers: SpeakerList | None,
    extra1: Sequence[str] = (),
    extra2: Sequence[str] = (),
    *,
    records: Mapping[str, Record] | None = None,
    audit: Sequence[Mapping[str, object]] = (),
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, int, int]:
    """Phases 1, 2 and 3 with the participants' and groups' denominators."""
    table1 = phase1(segments, decisions, extra1)
    table2 = phase2(table1, decisions, extra2, records)
    origins = code_origins(decisions, records, audit) if records is not None else None
    table3 = phase3(table2, codebook, decisions, origins)
    return table1, table2, table3, participants_total(table1, speakers), int(table1[C.GROUP].nunique())


def participants_total(table1: pd.DataFrame, speakers: SpeakerList | None) -> int:
    """Participants in the study: those who spoke and those listed in speakers.csv."""
    spoke = set(table1.loc[table1[C.ROLE] == C.PARTICIPANT_ROLE, C.PARTICIPANT])
    listed = {s.participant_id for s in speakers.participants()} if speakers else set()
    return len(spoke | listed)


def flow_of(tables: Tables) -> Flow:
    """Counts per phase and drops per reason."""
    coded = tables.phase3[C.SEGMENT_ID].nunique()
    excerpts = len(tables.phase3[[C.SEGMENT_ID, C.THEME]].drop_duplicates())
    themes = int((tables.themes[C.TALLY_N] > 0).sum())
    return Flow(
        turns=len(tables.phase1),
        kept=len(tables.phase2),
        coded=int(coded),
        themes=themes,
        excerpts=excerpts,
        dropped=dropped_by_reason(tables.phase1),
    )


def dropped_by_reason(table1: pd.DataFrame) -> dict[str, int]:
    """How many phase-1 rows are dropped, per reason."""
    dropped = table1[table1[C.KEEP] == C.NO]
    counts = Counter(reason or "(no reason given)" for reason in dropped[C.REASON])
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def decisions_of(previous: PreviousWork) -> dict[str, Decision]:
    """The decisions a workbook holds, by Segment ID."""
    decisions = {}
    for sid, row in previous.rows1.items():
        record = previous.records.get(sid)
        row2 = previous.rows2.get(sid)
        if row2 is not None:
            codes, memo = row2.codes, row2.memo
        elif record is not None:
            codes, memo = record.written.codes, record.written.memo
        else:
            codes, memo = (), ""
        marks, quotes = _phase3_cells(sid, previous, record.written if record is not None else None)
        decisions[sid] = Decision(
            row.keep, row.reason, codes, memo, row.review, exemplars=marks, quotes=quotes
        )
    return decisions


# The hidden state sheet -----------------------------------------------------


STATE_COLUMNS = C.STATE_COLUMNS


def state_frame(records: Mapping[str, Record]) -> pd.DataFrame:
    """The hidden state sheet: what radar proposed and what it wrote."""
    import pandas as pd

    rows = []
    for sid, r in records.items():
        w = r.written
        extras = {
            key: dict(values)
            for key, values in (("1", w.extra1), ("2", w.extra2), ("3", w.exemplars), ("quotes", w.quotes))
            if values
        }
        rows.append(
            (
                sid, r.default.keep, r.default.reason, join_codes(r.suggested),
                w.keep, w.reason, join_codes(w.codes), w.memo, w.review,
                json.dumps(extras, default=str, ensure_ascii=False) if extras else "",
                C.YES if r.touched else "", evidence_json(r.suggested_by), origins_json(r.origins),
            )
        )  # fmt: skip
    return pd.DataFrame(rows, columns=list(STATE_COLUMNS))


def record_from_state(row: Mapping[str, object]) -> Record:
    """A :class:`Record` from one row of the state sheet."""

    def text(column: str) -> str:
        value = row.get(column)
        return "" if value is None else str(value)

    try:
        extras = json.loads(text("Own columns") or "{}")
    except json.JSONDecodeError:
        extras = {}
    default = Decision(text("Default keep"), text("Default reason"))
    written = Decision(
        text(C.KEEP),
        text(C.REASON),
        tuple(split_codes(text("Codes"))),
        text(C.MEMO),
        text(C.REVIEW),
        extras.get("1", {}),
        extras.get("2", {}),
        extras.get("3", {}),
        extras.get("quotes", {}),
    )
    touched = text("Codes changed by analyst") == C.YES
    suggested_by = evidence_from_json(text(C.STATE_SUGGESTED_BY))
    origins = origins_from_json(text(C.STATE_ORIGINS))
    return Record(default, tuple(split_codes(text("Suggested"))), written, touched, suggested_by, origins)
