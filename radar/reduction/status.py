"""Where a study stands: whether its tables are out of date, and its card for Jupyter."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING

from radar.config import CONFIG_NAME
from radar.errors import RadarError, StudyError
from radar.files import file_hash
from radar.folder import Folder, input_files
from radar.reduction.history import read_audit

if TYPE_CHECKING:
    import pandas as pd


def stale(folder: Folder) -> list[str]:
    """Why the tables are out of date with their inputs (empty when they are not).

    Compares the inputs' hashes with those recorded by the last ``reduce``.
    """
    if not folder.paths.tables.exists():
        return ["no tables yet: run reduce()"]
    runs = [entry for entry in read_audit(folder.paths) if entry.get("action", "reduce") == "reduce"]
    if not runs:
        return ["the tables were not made by radar reduce here: run reduce()"]
    recorded: dict[str, str] = runs[-1].get("inputs", {})
    current = {}
    for path in input_files(folder.paths):
        current[path.relative_to(folder.root).as_posix()] = file_hash(path)
    reasons = [
        f"{name} changed" for name in sorted(current) if name in recorded and recorded[name] != current[name]
    ]
    reasons += [f"{name} is new" for name in sorted(set(current) - set(recorded))]
    reasons += [f"{name} was removed" for name in sorted(set(recorded) - set(current))]
    return reasons


def _codebook_line(folder: Folder) -> str:
    try:
        codebook = folder.codebook()
    except RadarError as err:
        return f"<span style='color:#b35900'>{html.escape(str(err))}</span>"
    name = codebook.path.name if codebook.path else "codebook"
    return html.escape(f"{name}: {len(codebook.themes)} themes, {len(codebook.codes)} codes")


def _speakers_line(folder: Folder) -> str:
    try:
        speakers = folder.speakers()
    except RadarError as err:
        return f"<span style='color:#b35900'>{html.escape(str(err))}</span>"
    if speakers is None:
        return "no speakers.csv: every label that is not a facilitator's is a participant"
    staff = len({s.participant_id for s in speakers.speakers}) - len(speakers.participants())
    return html.escape(f"speakers.csv: {len(speakers.participants())} participants, {staff} staff")


def _edited_since(folder: Folder, time: str) -> bool:
    """Whether the workbook was saved after the run recorded at ``time`` (ISO 8601)."""
    from datetime import datetime

    try:
        written = datetime.fromisoformat(time).timestamp()
    except ValueError:
        return False
    return folder.paths.tables.exists() and folder.paths.tables.stat().st_mtime > written + 2


def study_card(folder: Folder) -> str:
    """A summary card for Jupyter, as HTML: inputs, tables, and what needs ``reduce()``."""
    rows = [("Folder", html.escape(str(folder.root)))]
    try:
        title = html.escape(folder.config().display_title(folder.root))
    except StudyError as err:  # the card still shows, and says what to correct
        title = html.escape(folder.root.resolve().name)
        rows.append((CONFIG_NAME, f"<span style='color:#b35900'>{html.escape(str(err))}</span>"))
    transcripts = [p for p in input_files(folder.paths) if p.parent == folder.paths.transcripts]
    rows.append(("Transcripts", str(len(transcripts))))
    rows.append(("Codebook", _codebook_line(folder)))
    rows.append(("Speakers", _speakers_line(folder)))
    runs = read_audit(folder.paths)
    if runs:
        last = runs[-1]
        counts = last.get("counts", {})
        if counts:
            rows.append(
                (
                    "Last reduce",
                    f"run {last.get('run')} at {html.escape(str(last.get('time')))}: {counts.get('turns')} turns "
                    f"&rarr; {counts.get('kept')} kept &rarr; {counts.get('coded')} coded &rarr; "
                    f"{counts.get('excerpts')} excerpts in {counts.get('themes')} themes",
                )
            )
    reasons = stale(folder)
    if runs and not reasons and _edited_since(folder, str(runs[-1].get("time", ""))):
        reasons = ["the workbook was edited since the last run (its Themes sheet and counts are older)"]
    notes = runs[-1].get("notes", []) if runs else []
    if notes:
        shown = "".join(f"<li>{html.escape(str(note))}</li>" for note in notes[:3])
        more = f"<li>and {len(notes) - 3} more (the Log sheet lists them)</li>" if len(notes) > 3 else ""
        rows.append(("Notes of the last run", f"<ul style='margin:0'>{shown}{more}</ul>"))
    status = (
        "<span style='color:#b35900'>needs <code>reduce()</code>: "
        + html.escape("; ".join(reasons))
        + "</span>"
        if reasons
        else "up to date"
    )
    rows.append(("Tables", status))
    body = "".join(
        f"<tr><th style='text-align:left'>{k}</th><td style='text-align:left'>{v}</td></tr>" for k, v in rows
    )
    return f"<div><strong>radar study: {title}</strong><table>{body}</table></div>"


@dataclass(frozen=True)
class TableView:
    """A reduction table for reading in Jupyter: every column, text wrapped, rows top-aligned.

    A DataFrame's own view cuts long turns to one line and hides middle
    columns; this one shows the turns whole (up to ``rows`` rows).
    """

    frame: pd.DataFrame
    title: str = ""
    rows: int = 50

    def _repr_html_(self) -> str:
        shown = self.frame.head(self.rows)
        more = len(self.frame) - len(shown)
        table = shown.to_html(index=False, escape=True, na_rep="", border=0)
        note = f"<p>{more} more row(s); the workbook holds them all.</p>" if more > 0 else ""
        caption = f"<strong>{html.escape(self.title)}</strong> ({len(self.frame)} rows)" if self.title else ""
        return f"<div>{caption}<style>{_VIEW_STYLE}</style>{table}{note}</div>"


_VIEW_STYLE = (
    ".dataframe td, .dataframe th {text-align: left; vertical-align: top; white-space: pre-wrap;"
    " max-width: 40em; padding: 2px 6px}"
)
