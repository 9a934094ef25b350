"""``radar suggest``: how good the keyword suggestions were, measured against the analyst's final codes."""

from __future__ import annotations

import click

from radar.cli.options import reports_errors, study_here_argument


@click.group()
def suggest() -> None:
    """radar's code suggestions: what suggested them, and how good they were."""


@suggest.command("report")
@study_here_argument
@reports_errors
def report_command(study: str) -> None:
    """Precision and recall of the keyword suggestions, per code and overall, with their counts.

    A suggestion is accepted when the code is in the segment's final codes (one
    left in place counts), rejected when it is not; a final code no keyword
    suggested is missed. Precision = accepted / suggested, recall = accepted /
    (accepted + missed), over the kept segments of the workbook as it is now.
    """
    from radar.folder import Folder
    from radar.suggestions_report import measures_paragraph, study_measures

    measures = study_measures(Folder(study))
    shown = measures.copy()
    for column in ("precision", "recall"):
        shown[column] = [("" if v != v else f"{v:.2f}") for v in shown[column]]
    click.echo(shown.to_string(index=False))
    click.echo()
    click.echo(measures_paragraph(measures))
