"""``radar suggest``: how good the keyword suggestions were, measured against the analyst's final codes."""

from __future__ import annotations

import click

from radar.cli.options import reports_errors, study_here_argument


@click.group()
def suggest() -> None:
    """radar's code suggestions: what suggested them, and how good they were."""


@suggest.command("report")
@study_here_argument
@click.option("--by", "source", type=click.Choice(["all", "keywords", "semantic"]), default="all",
              show_default=True, help="Measure the suggestions of one matcher, or of both.")  # fmt: skip
@reports_errors
def report_command(study: str, source: str) -> None:
    """Precision and recall of the code suggestions, per code and overall, with their counts.

    The keyword and semantic suggestions together, or one matcher's (--by). A
    suggestion is accepted when the code is in the segment's final codes (one
    left in place counts), rejected when it is not; a final code nothing
    suggested is missed. Precision = accepted / suggested, recall = accepted /
    (accepted + missed), over the kept segments of the workbook as it is now.
    """
    from radar.folder import Folder
    from radar.suggestions_report import measures_paragraph, study_measures

    measures = study_measures(Folder(study), source)
    shown = measures.copy()
    for column in ("precision", "recall"):
        shown[column] = [("" if v != v else f"{v:.2f}") for v in shown[column]]
    click.echo(shown.to_string(index=False))
    click.echo()
    by = {"all": ("radar's suggestions", "they"), "keywords": ("The codebook's keywords", "the keywords"),
          "semantic": ("Semantic matching", "semantic matching")}[source]  # fmt: skip
    click.echo(measures_paragraph(measures, by[0].capitalize() if source == "all" else by[0], by[1]))
