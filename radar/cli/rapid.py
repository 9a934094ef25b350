"""``radar rapid``: rapid qualitative analysis beside RADaR (templates, matrix, calibration)."""

from __future__ import annotations

from pathlib import Path

import click

from radar.cli.options import (
    INPUT_FILE,
    OUTPUT_FILE,
    force_option,
    reports_errors,
    say_notes,
    study_here_argument,
)


@click.group()
def rapid() -> None:
    """Rapid qualitative analysis (RQA): summary templates, the matrix, calibration.

    Set the domains in radar.toml ([[rapid.domains]], see `radar rapid domains`),
    run `radar reduce STUDY` once for the Segment IDs, then `radar rapid template`.
    """


@rapid.command("domains")
@study_here_argument
@click.option("--example", is_flag=True, help="Print radar.toml lines for a starting set of domains.")
@reports_errors
def domains_command(study: str, example: bool) -> None:
    """List the study's domains (from radar.toml, else its research questions)."""
    from radar.folder import Folder
    from radar.rapid import example_domains_toml, study_domains

    if example:
        click.echo(example_domains_toml(), nl=False)
        return
    for number, domain in enumerate(study_domains(Folder(study).config()), start=1):
        question = f" - {domain.question}" if domain.question and domain.question != domain.name else ""
        click.echo(f"{number}. {domain.name}{question}")


@rapid.command("template")
@study_here_argument
@click.option("--out", type=OUTPUT_FILE, help="Where to write (default: radar-rapid.xlsx in the study).")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "docx"]), default="xlsx", show_default=True,
              help="docx: a Word copy to summarise by hand or share (needs --out); radar reads back the xlsx.")  # fmt: skip
@force_option("Replace an existing Word file.")
@reports_errors
def template_command(study: str, out: Path | None, fmt: str, force: bool) -> None:
    """Write or refresh the summary template: a sheet per transcript, a row per domain.

    Summary, Key quotes (Segment IDs such as fg2-014) and Notes are yours:
    re-running keeps every cell you wrote and adds new transcripts and domains.
    """
    from radar.folder import Folder
    from radar.rapid import write_template, write_template_docx

    if fmt == "docx":
        if out is None:
            from radar.errors import RadarError

            raise RadarError("--format docx writes a Word file; add --out FILE.docx")
        click.echo(f"wrote {write_template_docx(Folder(study), out, force=force)}")
        return
    result = write_template(Folder(study), out)
    say_notes(result.notes)
    click.echo(
        f"wrote {result.path}: {len(result.groups)} transcript(s) x {len(result.domains)} domain(s); "
        f"{result.kept} row(s) of your summaries kept"
    )


@rapid.command("matrix")
@study_here_argument
@click.option("--by", default="group", show_default=True, metavar="group|participant|ATTRIBUTE",
              help="Rows by transcript, participant, or a speakers.csv column.")  # fmt: skip
@click.option(
    "--template", "template", type=INPUT_FILE, help="The filled template (default: radar-rapid.xlsx)."
)
@click.option("--out", "-o", required=True, type=OUTPUT_FILE, help="The matrix file, .xlsx or .docx.")
@force_option("Replace an existing output file.")
@reports_errors
def matrix_command(study: str, by: str, template: Path | None, out: Path, force: bool) -> None:
    """Build the matrix: rows by transcript (or participant, or attribute), domains across."""
    from radar.folder import Folder
    from radar.rapid import build_matrix, write_matrix

    folder = Folder(study)
    matrix = build_matrix(folder, by, template)
    write_matrix(matrix, out, force=force, title=folder.config().display_title(folder.root))
    click.echo(f"wrote {out}: {len(matrix.cells)} row(s) x {len(matrix.counts)} domain(s)")
    for _, row in matrix.counts.iterrows():
        click.echo(f"  {row.iloc[0]}: {row.iloc[3]}")


@rapid.command("calibrate")
@click.argument("first", metavar="A.xlsx", type=INPUT_FILE)
@click.argument("second", metavar="B.xlsx", type=INPUT_FILE)
@click.option("--names", help="The two analysts' names, comma-separated (default: the file names).")
@click.option("--study", "study", help="Record the calibration in this study's audit trail.")
@click.option("--out", "-o", type=OUTPUT_FILE, help="Write the side-by-side workbook (.xlsx).")
@force_option("Replace an existing output file.")
@reports_errors
def calibrate_command(
    first: Path, second: Path, names: str | None, study: str | None, out: Path | None, force: bool
) -> None:
    """Compare two analysts' templates of the same transcripts, domain by domain."""
    from radar.folder import Folder
    from radar.rapid import calibrate, record_calibration, write_calibration

    analysts = [n.strip() for n in names.split(",")] if names else []
    if names and len(analysts) != 2:
        from radar.errors import RadarError

        raise RadarError(
            f"--names {names!r}: give two names, comma-separated, such as --names 'A. Rivera,B. Chen'"
        )
    result = calibrate(first, second, analysts)
    for _, row in result.summary.iterrows():
        click.echo(
            f"{row.iloc[0]}: {row.iloc[2]} of {row.iloc[1]} domains filled by both, {row.iloc[3]} only by "
            f"{result.analysts[0]}, {row.iloc[4]} only by {result.analysts[1]}; "
            f"mean quote overlap {row.iloc[6] if row.iloc[6] != '' else 'n/a'}"
        )
    if out is not None:
        click.echo(f"wrote {write_calibration(result, out, force=force)}")
    if study is not None:
        record_calibration(Folder(study), result)
        click.echo(f"recorded in {study}'s audit trail")
