"""The matrix of rapid qualitative analysis: transcripts (or participants, or sites) down, domains across.

``radar rapid matrix STUDY`` stacks the filled summary templates into one
table. Its cells are the analysts' summaries (with the Segment IDs of their
key quotes); below it, per domain, how many transcripts have something for
it (n/N); and every cited Segment ID with its de-identified text, so any cell
can be checked against the data. A citation that is no Segment ID of the
study stops the run, naming the cell.

Rows are transcripts by default (``--by group``); ``--by participant`` gives
a row per participant who spoke in each transcript, and ``--by ATTRIBUTE`` a
row per value of a speakers.csv column (a site, a role), each cell the
summaries of that value's transcripts, each marked with its Group ID.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from radar import columns as C
from radar.errors import StudyError
from radar.excel import Sheet, write_workbook
from radar.files import check_overwrite
from radar.folder import Folder
from radar.identifiers import refuse_identifying
from radar.rapid.domains import Domain, study_domains
from radar.rapid.template import Template, check_citations, cited_ids, read_template
from radar.reduction.readback import tables_from_workbook
from radar.tally import label
from radar.word import add_docx_table, new_document, save_docx

if TYPE_CHECKING:
    import pandas as pd

BY_GROUP = "group"
BY_PARTICIPANT = "participant"
MATRIX_FORMATS = (".xlsx", ".docx")


@dataclass(frozen=True)
class Matrix:
    """The matrix, its per-domain counts and the quotes its cells cite."""

    cells: pd.DataFrame  # one row per transcript/participant/value, one column per domain
    counts: pd.DataFrame  # C.RAPID_COUNT_COLUMNS
    quotes: pd.DataFrame  # C.RAPID_QUOTE_COLUMNS
    by: str


def build_matrix(study: Folder, by: str = BY_GROUP, template: str | Path | None = None) -> Matrix:
    """The study's rapid-analysis matrix, from its filled template.

    Args:
        study: the study folder (its reduction tables resolve the quotes).
        by: ``group``, ``participant``, or a speakers.csv attribute.
        template: the filled template; ``radar-rapid.xlsx`` in the study by default.

    Raises:
        WorkbookError: a cited Segment ID does not exist (naming the cell).
        StudyError: ``by`` is no attribute of speakers.csv.
    """
    import pandas as pd

    filled = read_template(template if template is not None else study.root / C.RAPID_TEMPLATE_NAME)
    domains = _domains(study, filled)
    tables = tables_from_workbook(study)
    phase1 = tables.phase1
    check_citations(filled, phase1[C.SEGMENT_ID].astype(str))
    groups = filled.groups()
    rows = _rows(study, phase1, groups, by)
    names = [d.name for d in domains]
    records = []
    for row_label, members in rows:
        record = [row_label]
        for name in names:
            parts = [
                _cell(filled, g, name, groups, prefix=len(members) > 1 or by not in (BY_GROUP,))
                for g in members
            ]
            record.append("\n\n".join(part for part in parts if part))
        records.append(record)
    header = {BY_GROUP: C.GROUP, BY_PARTICIPANT: C.PARTICIPANT}.get(by, by)
    cells = pd.DataFrame(records, columns=[header, *names])
    counts = pd.DataFrame(
        [_count(filled, name, groups) for name in names], columns=list(C.RAPID_COUNT_COLUMNS)
    )
    return Matrix(cells, counts, _quotes(filled, phase1, groups), by)


def _domains(study: Folder, filled: Template) -> list[Domain]:
    """The study's domains, then any the template still holds words for."""
    domains = list(study_domains(study.config()))
    known = {d.name for d in domains}
    for _, name in filled.rows:
        if name not in known and any(r.has_work() for (_, n), r in filled.rows.items() if n == name):
            domains.append(Domain(name))
            known.add(name)
    return domains


def _rows(study: Folder, phase1: pd.DataFrame, groups: Sequence[str], by: str) -> list[tuple[str, list[str]]]:
    """(row label, the transcripts whose summaries fill the row), in the template's order."""
    if by == BY_GROUP:
        return [(group, [group]) for group in groups]
    spoke = phase1[phase1[C.ROLE].astype(str) == C.PARTICIPANT_ROLE]
    pairs = list(
        dict.fromkeys(zip(spoke[C.GROUP].astype(str), spoke[C.PARTICIPANT].astype(str), strict=True))
    )
    if by == BY_PARTICIPANT:
        return [(f"{participant} ({group})", [group]) for group, participant in pairs if group in groups]
    speakers = study.speakers()
    if speakers is None or by not in speakers.attribute_names:
        known = ", ".join(speakers.attribute_names) if speakers and speakers.attribute_names else "none"
        raise StudyError(
            f"--by {by}: no such column in speakers.csv (its attributes: {known}); "
            "or use --by group or --by participant"
        )
    refuse_identifying(by, speakers)  # a matrix by email would name every participant
    values: dict[str, list[str]] = {}
    attributes = {s.participant_id: dict(s.attributes) for s in speakers.speakers}
    for group, participant in pairs:
        value = attributes.get(participant, {}).get(by, "") or "(not given)"
        if group in groups and group not in values.setdefault(value, []):
            values[value].append(group)
    return sorted(values.items())


def _cell(filled: Template, group: str, domain: str, groups: Sequence[str], *, prefix: bool) -> str:
    row = filled.row(group, domain)
    if not row.filled():
        return ""
    ids = cited_ids(row.quotes, groups)
    text = row.summary + (f" [{', '.join(ids)}]" if ids else "")
    return f"{group}: {text.strip()}" if prefix else text.strip()


def _count(filled: Template, domain: str, groups: Sequence[str]) -> list[object]:
    n = sum(filled.row(group, domain).filled() for group in groups)
    return [domain, n, len(groups), label(n, len(groups))]


def _quotes(filled: Template, phase1: pd.DataFrame, groups: Sequence[str]) -> pd.DataFrame:
    import pandas as pd

    cited: dict[str, list[str]] = {}
    for (group, domain), row in filled.rows.items():
        for sid in cited_ids(row.quotes, groups):
            cited.setdefault(sid, []).append(f"{group} / {domain}")
    by_id = phase1.set_index(phase1[C.SEGMENT_ID].astype(str))
    records = [
        [sid, by_id.at[sid, C.GROUP], by_id.at[sid, C.PARTICIPANT], by_id.at[sid, C.TEXT], "; ".join(places)]
        for sid, places in sorted(cited.items(), key=lambda item: list(by_id.index).index(item[0]))
    ]
    return pd.DataFrame(records, columns=list(C.RAPID_QUOTE_COLUMNS))


def write_matrix(matrix: Matrix, out: str | Path, *, force: bool = False, title: str = "") -> Path:
    """Write the matrix as Excel (three sheets) or Word (three tables), by the file's suffix."""

    path = check_overwrite(out, force)
    if path.suffix.lower() not in MATRIX_FORMATS:
        raise StudyError(f"{path}: write the matrix as .xlsx or .docx", path=str(path))
    sheets: Mapping[str, pd.DataFrame] = {
        "Matrix": matrix.cells,
        "Domains n-N": matrix.counts,
        "Quotes": matrix.quotes,
    }
    if path.suffix.lower() == ".xlsx":
        write_workbook(path, [Sheet(name, frame, {}) for name, frame in sheets.items()])
    else:
        _write_docx(sheets, path, title)
    return path


def _write_docx(sheets: Mapping[str, pd.DataFrame], path: Path, title: str) -> None:

    document = new_document()
    document.add_heading(title or "Rapid analysis matrix", 0)
    captions = {
        "Matrix": "Table 1. Summaries by domain, with the Segment IDs of their key quotes.",
        "Domains n-N": "Table 2. Transcripts with a summary or a quote for each domain (n/N).",
        "Quotes": "Table 3. The key quotes cited, by Segment ID (de-identified text).",
    }
    for number, (name, frame) in enumerate(sheets.items()):
        if number:
            document.add_paragraph()  # a line between a table and the next one's caption
        add_docx_table(document, frame, captions[name])
    save_docx(document, path)


__all__ = ["BY_GROUP", "BY_PARTICIPANT", "Matrix", "build_matrix", "write_matrix"]
