"""How good radar's keyword suggestions were, and where the final codes came from.

Precision and recall of the suggestions against the analyst's final codes of
the kept segments, per code and overall, with the counts behind each figure: a
suggestion is *accepted* when the code is in the segment's final codes
(a suggestion the analyst left in place counts as accepted), *rejected* when it
is not, and a final code radar did not suggest is *missed*.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from radar import columns as C
from radar.reduction.provenance import by_meaning, origin_counts
from radar.reduction.readback import previous_work
from radar.reduction.records import Decision, Record
from radar.reduction.tables import decisions_of

if TYPE_CHECKING:
    import pandas as pd

    from radar.codebook import Codebook
    from radar.folder import Folder

ALL_CODES = "(all codes)"


SOURCES = ("all", "keywords", "semantic")


def suggestion_measures(
    decisions: Mapping[str, Decision], records: Mapping[str, Record], codebook: Codebook, source: str = "all"
) -> pd.DataFrame:
    """Per code (codebook order) and overall: suggested, accepted, rejected, missed, precision, recall.

    Only kept segments count. Precision is accepted / suggested, recall accepted
    / (accepted + missed); a figure with nothing to divide by is empty (NaN).
    ``source``: ``keywords`` or ``semantic`` counts only what that matcher
    suggested (a final code it did not suggest is its miss); ``all`` both.
    """
    import pandas as pd

    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, not {source!r}")
    counts = {code: [0, 0, 0] for code in codebook.code_names}  # suggested, accepted, missed
    for sid, decision in decisions.items():
        if decision.keep != C.YES:
            continue
        record = records.get(sid)
        suggested = _suggested_by(record, source)
        final = set(decision.codes)
        for code in suggested | final:
            row = counts.setdefault(code, [0, 0, 0])
            row[0] += code in suggested
            row[1] += code in suggested and code in final
            row[2] += code in final and code not in suggested
    rows = [(code, row[0], row[1], row[2]) for code, row in counts.items() if any(row)]
    rows.append((ALL_CODES, sum(r[1] for r in rows), sum(r[2] for r in rows), sum(r[3] for r in rows)))
    out = []
    for code, suggested_n, accepted, missed in rows:
        precision = accepted / suggested_n if suggested_n else float("nan")
        recall = accepted / (accepted + missed) if accepted + missed else float("nan")
        out.append((code, suggested_n, accepted, suggested_n - accepted, missed, precision, recall))
    return pd.DataFrame(out, columns=list(C.SUGGEST_REPORT_COLUMNS))


def _suggested_by(record: Record | None, source: str) -> set[str]:
    if record is None:
        return set()
    meaning = by_meaning(record.suggested_by)
    if source == "semantic":
        return {code for code in record.suggested if code in meaning}
    if source == "keywords":
        return {code for code in record.suggested if code not in meaning}
    return set(record.suggested)


def mostly_rejected(measures: pd.DataFrame) -> list[str]:
    """The codes more than half of whose suggestions the analyst rejected."""
    rows = measures[measures[C.TALLY_CODE] != ALL_CODES]
    return [str(r[C.TALLY_CODE]) for _, r in rows.iterrows() if r["rejected"] * 2 > r["suggested"]]


def study_measures(folder: Folder, source: str = "all") -> pd.DataFrame:
    """:func:`suggestion_measures` for the study's workbook as it is now."""
    codebook = folder.codebook()
    folder.require_tables()
    previous = previous_work(folder, codebook)
    assert previous is not None  # require_tables refused a study without a workbook
    return suggestion_measures(decisions_of(previous), previous.records, codebook, source)


def _percent(value: float) -> str:
    return "n/a" if value != value else f"{value * 100:.0f}%"


def measures_paragraph(
    measures: pd.DataFrame, by: str = "The codebook's keywords", short: str = "the keywords"
) -> str:
    """The methods report's paragraph on the suggestions of one matcher (``by`` names it)."""
    total = measures[measures[C.TALLY_CODE] == ALL_CODES].iloc[0]
    if not total["suggested"]:
        return f"{by} suggested no code on a kept segment."
    text = (
        f"{by} suggested {total['suggested']} code(s) on kept segments; the analyst "
        f"kept {total['accepted']} and rejected {total['rejected']} (precision {_percent(total['precision'])}), "
        f"and added {total['missed']} code(s) {short} did not suggest (recall "
        f"{_percent(total['recall'])}); a suggestion left in place counts as accepted."
    )
    rejected = mostly_rejected(measures)
    if rejected:
        text += f" Most suggestions of {', '.join(rejected)} were rejected: their keywords may need tuning."
    return text


def origins_paragraph(table3: pd.DataFrame) -> str:
    """The methods report's paragraph on where the coded excerpts' codes came from."""
    counts = origin_counts(table3)
    if not counts:
        return ""
    said = [f"{n} {'was' if n == 1 else 'were'} {_origin_words(name)}" for name, n in counts.items()]
    listed = ", ".join(said[:-1]) + (" and " if len(said) > 1 else "") + said[-1]
    return f"Of the {len(table3)} codes given to coded segments, {listed}."


def _origin_words(name: str) -> str:
    return {
        C.ORIGIN_KEYWORD: "suggested by keywords and accepted",
        C.ORIGIN_SEMANTIC: "suggested by semantic matching and accepted",
        C.ORIGIN_ANALYST: "typed by the analyst",
        C.ORIGIN_CHANGED: "typed by the analyst in place of a suggestion",
        C.ORIGIN_RECONCILED: "set by a reconciled decision",
        C.ORIGIN_IMPORTED: "imported from another tool",
    }.get(name, name)


def provenance_paragraphs(folder: Folder, table3: pd.DataFrame) -> list[str]:
    """The report's paragraphs: the codes' origins, then the suggestions measured (only what applies)."""
    found = [origins_paragraph(table3)]
    measures = study_measures(folder, "keywords")
    if measures[C.TALLY_CODE].iloc[-1] == ALL_CODES and len(measures) > 1:
        found.append(measures_paragraph(measures))
    semantic = study_measures(folder, "semantic")
    if len(semantic) > 1:
        found.append(measures_paragraph(semantic, "Semantic matching", "semantic matching"))
    return [text for text in found if text]


def suggested_by_frame(folder: Folder) -> pd.DataFrame:
    """What suggested each suggested code: one row per (Segment ID, code, keyword) with the matched words."""
    import pandas as pd

    folder.require_tables()
    previous = previous_work(folder, folder.codebook())
    records = previous.records if previous is not None else {}
    rows = [
        (sid, code, keyword, ", ".join(words))
        for sid, record in records.items()
        for code in record.suggested
        for keyword, words in record.suggested_by.get(code, ())
    ]
    return pd.DataFrame(rows, columns=[C.SEGMENT_ID, C.CODE, "Keyword", "Matched"])
