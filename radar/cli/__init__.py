"""The ``radar`` command: a thin layer over the library.

Each command parses its options, calls one library function (the one the
:class:`~radar.study.Study` method of the same name calls) and prints what it
made; it imports that function when it runs, so ``radar --help`` and each
command load only what they use. A :class:`radar.errors.RadarError` becomes one ``Error:`` line and
exit status 1; no traceback reaches the user for bad input.
"""

from __future__ import annotations

from pathlib import Path

import click

from radar import __version__
from radar.cli.groups import codebook, export, import_group, member_check
from radar.cli.options import (
    INPUT_FILE,
    OUTPUT_FILE,
    OUTPUT_FOLDER,
    codebook_option,
    emit,
    force_option,
    out_option,
    percent_option,
    reports_errors,
    say_notes,
    study_argument,
    study_here_argument,
    table_format_option,
    table_or_csv_option,
    unit_option,
)
from radar.cli.rapid import rapid
from radar.cli.suggest import suggest as suggest_group
from radar.tally import UNITS


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="radar")
def main() -> None:
    """radar: rigorous and accelerated data reduction (RADaR) for transcripts.

    Keep a study folder with transcripts/, a codebook and optionally
    speakers.csv, then run `radar reduce STUDY`.
    """


@main.command()
@click.argument("study", type=OUTPUT_FOLDER)
@click.option("--title", default="", help="The study's title for radar.toml.")
@click.option(
    "--codebook",
    "codebook_name",
    metavar="NAME",
    help="Start with a shipped codebook (see `radar codebook list`).",
)
@reports_errors
def init(study: str, title: str, codebook_name: str | None) -> None:
    """Start a study folder: transcripts/, a commented radar.toml, optionally a codebook."""
    from radar.folder import init_study, next_steps

    made = init_study(study, title, codebook_name)
    for path in made:
        click.echo(f"created {path}")
    if not made:
        click.echo(f"{study} is already set up; nothing changed")
    click.echo("\nNext steps:")
    for number, step in enumerate(next_steps(study), start=1):
        click.echo(f"  {number}. {step}")


@main.command()
@study_here_argument
@click.option("--quiet", "-q", is_flag=True, help="Print only the paths written.")
@click.option(
    "--semantic",
    is_flag=True,
    default=None,
    help="Also suggest codes by meaning, offline (as [suggest] semantic = true in radar.toml); "
    'needs pip install "radar-qda[semantic]".',
)
@reports_errors
def reduce(study: str, quiet: bool, semantic: bool | None) -> None:
    """Turn the transcripts into the RADaR tables (radar-tables.xlsx).

    The analyst's Keep, Reason, Code and Memo cells in an existing workbook are
    read back by Segment ID and kept; suggestions never overwrite them.
    """
    from radar import columns as C
    from radar.folder import Folder
    from radar.formats import text_table
    from radar.reduction.run import run_reduce

    # its notes are printed once, as warnings; without --semantic, radar.toml decides
    result = run_reduce(Folder(study), progress=not quiet, semantic=semantic or None)
    for remark in () if quiet else result.remarks:  # no problem, just worth knowing
        click.echo(f"Note: {remark}", err=True)
    say_notes(result.notes)
    if not quiet:
        flow = result.flow
        click.echo(
            f"Reduction: {flow.turns} turns -> {flow.kept} kept -> {flow.coded} coded -> "
            f"{flow.themes} themes ({flow.excerpts} excerpts)"
        )
        for reason, n in flow.dropped.items():
            click.echo(f"  dropped {n:>4}  {reason}")
        if result.changes:
            click.echo(
                f"Kept your {len(result.changes)} change(s) to the tables since the last run "
                "(`radar diff` lists them)"
            )
        click.echo("")
        shown = [C.TALLY_THEME, C.TALLY_N, C.TALLY_TOTAL, C.TALLY_PERCENT, C.TALLY_LABEL]
        click.echo(text_table(result.tables.themes[shown]))
    for path in result.written:
        click.echo(f"wrote {path}")


@main.command("read")
@click.argument("path", type=click.Path(path_type=str))
@click.option("--turns", "turns", type=click.IntRange(0), default=5, show_default=True,
              help="How many of the first turns to show per transcript.")  # fmt: skip
@reports_errors
def read_command(path: str, turns: int) -> None:
    """Show how radar reads a transcript (FILE) or every transcript of a STUDY.

    For each transcript: the shape detected, the encoding, each speaker's turns
    and words, the front matter, the first turns and every warning, so the
    reading can be checked before `radar reduce`. Names are shown as written:
    keep the output inside the team.
    """
    from radar.folder import read_path, study_paths, unread_files
    from radar.transcripts.summary import describe

    transcripts = read_path(path)
    for index, transcript in enumerate(transcripts):
        if index:
            click.echo("")
        click.echo(describe(transcript, turns))
    if Path(path).is_dir():
        say_notes(unread_files(study_paths(path)))


@main.command()
@study_here_argument
@click.option("--write", is_flag=True, help="Write the inferred roles to STUDY/speakers.csv, to correct.")
@force_option("With --write, replace an existing speakers.csv (a copy is kept in .radar/).")
@reports_errors
def speakers(study: str, write: bool, force: bool) -> None:
    """Show who is who in each transcript: every label's ID, role and why.

    Without speakers.csv, radar infers the roles from the transcripts: Zoom's
    (Host) marker, labels such as Moderator or Note-taker, header lines such
    as `Interviewer: SK`, or else the speaker who asks the questions. With
    --write they become speakers.csv, for you to correct. Names are shown as
    written: keep the output inside the team.
    """
    from radar.folder import SPEAKERS_NAME, Folder
    from radar.roles import study_roles, write_speakers_template

    if write:
        path, roles = write_speakers_template(Folder(study), force=force)
    else:
        roles = study_roles(Folder(study))
    for line in roles.lines():
        click.echo(line)
    if write:
        click.echo(f"\nwrote {path}: correct any role or ID there, then run `radar reduce {study}`")
    elif roles.inferred:
        click.echo(
            f"\nNo {SPEAKERS_NAME}: these roles are inferred; write them with "
            f"`radar speakers {study} --write` and correct them"
        )


@main.command()
@study_here_argument
@unit_option("What one count is: a segment-theme pair, a participant or a group.")
@click.option(
    "--by", "by", type=click.Choice(["theme", "code"]), default="theme", show_default=True,
    help="Count into themes or into codes.",
)  # fmt: skip
@click.option(
    "--format", "fmt",
    type=click.Choice(["table", "csv", "md", "text", "latex", "json", "xlsx", "docx"]),
    default="table", show_default=True,
    help="Output format; text gives in-text strings, xlsx and docx need --out.",
)  # fmt: skip
@percent_option
@click.option(
    "--combined", is_flag=True,
    help="The manuscript's theme table: definition, codes, n/N by each unit, exemplar quotes.",
)  # fmt: skip
@click.option(
    "--by-attribute", "attribute", metavar="ATTRIBUTE",
    help="A matrix of themes by group or by a speakers.csv column (state, role...): n/N in each cell.",
)  # fmt: skip
@click.option(
    "--by-question", "by_question", is_flag=True,
    help="Survey answers: themes by question, N = the respondents who answered each question.",
)  # fmt: skip
@click.option(
    "--spread", is_flag=True,
    help="With --combined or --by-attribute: each theme's spread, per group k of n participants who voiced it "
    "(* where one participant supplies most of it).",
)  # fmt: skip
@click.option(
    "--explain", "theme", metavar="THEME",
    help="Trace a theme's n: its Segment IDs, participants and groups, and what makes up each N.",
)  # fmt: skip
@out_option
@force_option("Replace an existing --out file.")
@reports_errors
def tally(
    study: str, unit: str, by: str, fmt: str, percent_style: str, combined: bool,
    attribute: str | None, by_question: bool, spread: bool, theme: str | None, out: Path | None,
    force: bool,
) -> None:  # fmt: skip
    """Count the workbook's coded segments into themes, with n/N and %.

    By theme, N is the excerpts (segment-theme pairs); by code, the coded
    segments (a segment with two codes counts once in N); with --unit, the
    participants or groups. --by-attribute gives one row per theme and one
    column per value, each cell n/N of that value's excerpts, participants or
    groups, and All. --by-question counts a survey's answers by participants,
    question by question: N is the respondents who answered that question.
    --spread adds to --combined or --by-attribute each theme's spread across
    groups (k of n participants per group; counts under [deidentify] min_cell
    shown as <3) and flags a group where one participant supplies more than
    [report] dominant_share of the theme's excerpts.
    """
    from radar.errors import RadarError
    from radar.folder import Folder
    from radar.formats import write_lines
    from radar.matrix import caption as matrix_caption
    from radar.reduction.readback import breakdown_workbook, combined_from_workbook, tally_workbook
    from radar.tally import denominator, hide_small_counts
    from radar.themes import in_text

    folder = Folder(study)
    if theme is not None:
        from radar.evidence import explain

        found = explain(folder, theme)
        for line in found.lines():
            click.echo(line)
        if fmt != "table" or out is not None:
            emit(found.rows, "table" if fmt == "text" else fmt, out, force, f"Excerpts of {found.theme}")
        return
    if combined:
        frame, title, caption = combined_from_workbook(folder, percent_style), "Themes", ""
    elif by_question:
        from radar.rapid.survey import question_tally_workbook

        frame = question_tally_workbook(folder, percent_style)
        title, caption = "Themes by survey question", "N = respondents who answered the question."
    elif attribute:
        frame = breakdown_workbook(folder, attribute, unit=unit, percent_style=percent_style)
        title = f"Themes by {attribute}"
        caption = matrix_caption(attribute, unit)
    else:
        frame = tally_workbook(folder, unit=unit, by=by, percent_style=percent_style)
        if unit != "excerpts":  # counts of people or groups: a small one singles someone out
            frame = hide_small_counts(frame, folder.config().deidentify.min_cell)
        title, caption = ("Codes" if by == "code" else "Themes"), f"{denominator(unit, by)}."
    if spread:
        if not (combined or attribute):
            raise RadarError("--spread goes with --combined or --by-attribute; add one of them")
        from radar.evidence import spread_caption, with_spread

        frame = with_spread(frame, folder)
        config = folder.config()
        caption = " ".join(
            part
            for part in (caption, spread_caption(config.report.dominant_share, config.deidentify.min_cell))
            if part
        )
    if fmt != "text":
        emit(frame, fmt, out, force, title, caption)
        return
    if combined or attribute or by_question:
        raise RadarError(
            "--format text gives in-text strings of a plain tally; drop --combined/--by-attribute/--by-question"
        )
    if out is None:
        click.echo("".join(f"{line}\n" for line in in_text(frame)), nl=False)
        return
    write_lines(in_text(frame), out, force=force)
    click.echo(f"wrote {out}")


@main.command()
@study_here_argument
@table_format_option
@percent_option
@out_option
@force_option("Replace an existing --out file.")
@reports_errors
def characteristics(study: str, fmt: str, percent_style: str, out: Path | None, force: bool) -> None:
    """Describe the participants (a paper's Table 1) from speakers.csv's own columns.

    One block per column after speaker,participant_id,role: n (%) of each
    value, or mean (SD) and median (range) where every value is a number
    (age). N is the participants: those who spoke and those listed.
    """
    from radar.folder import Folder
    from radar.reduction.readback import characteristics_workbook

    frame = characteristics_workbook(Folder(study), percent_style)
    emit(frame, fmt, out, force, "Participant characteristics")


@main.command()
@click.argument("copies", nargs=-1, type=INPUT_FILE)
@table_or_csv_option("A summary with per-code and overall tables, or the per-code CSV.")
@codebook_option("The codebook to use (default: the first copy's Codebook sheet).")
@click.option(
    "--detail", is_flag=True,
    help="Per code and overall: percent agreement, kappa, Gwet's AC1, PABAK, alpha with 95% intervals, "
    "prevalence and bias indices; rare codes flagged.",
)  # fmt: skip
@click.option("--min-positive", type=click.IntRange(0), default=None,
              help="With --detail or --plan: a code marked on fewer segments is too rare to assess "
              "(default: [agreement] min_positive of the radar.toml beside the first copy, else 5).")  # fmt: skip
@click.option("--seed", type=int, default=None,
              help="The bootstrap's seed for alpha (and Fleiss' kappa with three or more coders); "
              "default: [agreement] seed of that radar.toml, else 20200101.")  # fmt: skip
@click.option(
    "--plan", is_flag=True, help="Say how many segments to double-code for a target interval width."
)
@click.option("--width", type=click.FloatRange(0, 2, min_open=True, max_open=True), default=0.2,
              show_default=True, help="With --plan: the 95% interval's full width to aim for.")  # fmt: skip
@click.option("--expected", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=0.9,
              show_default=True, help="With --plan before a pilot: the expected percent agreement, as a share.")  # fmt: skip
@reports_errors
def agreement(
    copies: tuple[Path, ...], fmt: str, codebook_path: Path | None, detail: bool, min_positive: int | None,
    seed: int | None, plan: bool, width: float, expected: float,
) -> None:  # fmt: skip
    """Agreement between coders' copies of the tables: kappa per code, Krippendorff's alpha, Fleiss' kappa.

    With --detail, what holds up for rare codes beside kappa: Gwet's AC1 and
    PABAK with intervals. With --plan (and no copies, or pilot copies), how
    many segments to double-code for an interval --width wide.
    """
    from radar.agreement import agreement as measure
    from radar.agreement.copies import agreement_settings
    from radar.agreement.detail import plan_text
    from radar.codebook import load_codebook
    from radar.formats import render

    if plan and not copies:
        click.echo(plan_text(width, expected), nl=False)
        return
    result = measure(list(copies), load_codebook(codebook_path) if codebook_path else None)
    settings = agreement_settings(copies[0]) if copies else None
    if settings is not None:
        min_positive = settings.min_positive if min_positive is None else min_positive
        seed = settings.seed if seed is None else seed
    min_positive = 5 if min_positive is None else min_positive
    seed = 20_200_101 if seed is None else seed
    if plan:
        click.echo(plan_text(width, expected, result.detail(min_positive, seed=seed)), nl=False)
    elif detail and fmt == "csv":
        click.echo(render(result.detail(min_positive, seed=seed), "csv"), nl=False)
    elif detail:
        click.echo(result.detail_summary(min_positive, seed=seed), nl=False)
    elif fmt == "csv":
        click.echo(render(result.per_code_table(), "csv"), nl=False)
    else:
        click.echo(result.summary(), nl=False)
    say_notes(list(result.notes))


@main.command()
@click.argument("copy_a", metavar="A.xlsx", type=INPUT_FILE)
@click.argument("copy_b", metavar="B.xlsx", type=INPUT_FILE)
@click.option(
    "--out",
    "-o",
    required=True,
    type=OUTPUT_FILE,
    help="The reconciled workbook to write.",
)
@force_option("Overwrite an existing output file.")
@codebook_option("The codebook to use (default: A's Codebook sheet).")
@reports_errors
def reconcile(copy_a: Path, copy_b: Path, out: Path, force: bool, codebook_path: Path | None) -> None:
    """Lay out two coders' disagreements for the team meeting, with a Decision column.

    Agreed codes stay; once the Decision cells are filled, copy the file to the
    study as radar-tables.xlsx and run `radar reduce`: the decisions are applied
    and written to the audit trail.
    """
    from radar.codebook import load_codebook
    from radar.reconcile import reconcile as lay_out

    result = lay_out(
        copy_a, copy_b, out, load_codebook(codebook_path) if codebook_path else None, force=force
    )
    say_notes(list(result.notes))
    click.echo(result.summary())
    click.echo(f"wrote {out}")


@main.command()
@study_here_argument
@reports_errors
def history(study: str) -> None:
    """List the runs recorded in the study's audit trail."""
    from radar.folder import Folder
    from radar.formats import text_table
    from radar.reduction.history import history_frame

    frame = history_frame(Folder(study))
    if frame.empty:
        click.echo("No runs recorded yet; run `radar reduce` first.")
        return
    click.echo(text_table(frame), nl=False)


@main.command()
@study_argument
@click.argument("run", type=int, required=False)
@reports_errors
def diff(study: str, run: int | None) -> None:
    """Say what changed in the tables, in words.

    Without RUN: the analyst's changes since radar last wrote the workbook.
    With RUN: every difference between the tables as they were before that
    run (kept in .radar/history) and the workbook now.
    """
    from radar.folder import Folder
    from radar.reduction.history import describe_diff

    for line in describe_diff(Folder(study), run):
        click.echo(line)


@main.command()
@study_argument
@click.argument(
    "kind", type=click.Choice(["themes", "heatmap", "cooccurrence", "flow", "saturation", "balance"])
)
@click.option(
    "--out", "-o", required=True, type=OUTPUT_FILE,
    help="The file to write: .png (300 dpi), .svg or .pdf.",
)  # fmt: skip
@click.option(
    "--unit", type=click.Choice([*UNITS, "codes", "themes"]), default="excerpts", show_default=True,
    help="The unit of the themes chart; of the heatmap, excerpts or participants "
    "(n/N of each group's participants who spoke to the theme); of the saturation chart, codes "
    "(the default) or themes.",
)  # fmt: skip
@click.option(
    "--by", "by", type=click.Choice(["code", "theme"]), default="code", show_default=True,
    help="Co-occurrence of codes or of themes.",
)  # fmt: skip
@click.option(
    "--percent", is_flag=True,
    help="Heatmap by excerpts: n/N of each group's excerpts, coloured by the percentage.",
)  # fmt: skip
@force_option("Overwrite an existing file.")
@reports_errors
def chart(study: str, kind: str, out: Path, unit: str, by: str, percent: bool, force: bool) -> None:
    """Draw a chart: ranked themes, theme x group heatmap, code co-occurrence, reduction flow, saturation, balance of voices."""
    from radar.charts import chart as draw
    from radar.charts import save_figure
    from radar.folder import Folder

    figure = draw(Folder(study), kind, unit=unit, by=by, percent=percent)
    click.echo(f"wrote {save_figure(figure, out, force=force)}")


@main.command()
@study_here_argument
@click.option(
    "--format", "fmt", type=click.Choice(["docx", "md"]), default=None,
    help="Word (default) or Markdown; taken from --out's suffix when given.",
)  # fmt: skip
@click.option("--out", type=OUTPUT_FILE, help="Where to write the report.")
@force_option("Replace an existing --out file (radar-report.* in the study folder is always rewritten).")
@click.option(
    "--checklist", "checklists", multiple=True, type=click.Choice(["coreq", "srqr", "parrqa"]),
    help="Add a reporting checklist filled from radar's records (repeat for several).",
)  # fmt: skip
@reports_errors
def report(study: str, fmt: str | None, out: Path | None, force: bool, checklists: tuple[str, ...]) -> None:
    """Write the methods report: summary, reduction flow, themes, saturation, balance of voices, COREQ, codebook."""
    from radar.folder import Folder
    from radar.report import analyst_notes, write_report

    folder = Folder(study)
    click.echo(f"wrote {write_report(folder, out, fmt, force=force, checklists=checklists)}")
    for note in analyst_notes(folder):  # for the analyst, never in the report
        click.echo(f"Note: {note}", err=True)


@main.command()
@study_here_argument
@click.option(
    "--out", required=True, type=OUTPUT_FILE,
    help="The Word file to write (quotes.docx).",
)  # fmt: skip
@click.option(
    "--by", "by", type=click.Choice(["theme", "code"]), default="theme", show_default=True,
    help="One heading per theme or per code.",
)  # fmt: skip
@force_option("Overwrite an existing --out file.")
@reports_errors
def quotes(study: str, out: Path, by: str, force: bool) -> None:
    """Write the quote book: every coded segment's quote, with its ID, under its theme or code."""
    from radar.folder import Folder
    from radar.quotebook import write_quote_book

    click.echo(f"wrote {write_quote_book(Folder(study), out, by, force=force)}")


@main.command()
@study_here_argument
@click.option(
    "--check", is_flag=True, help="List what would be masked and what looks like a name but is not."
)
@table_or_csv_option("Output format of --check.")
@reports_errors
def deidentify(study: str, check: bool, fmt: str) -> None:
    """Say which de-identification safeguards are active; with --check, what they mask.

    Speaker names from speakers.csv (full and first names), the [deidentify]
    terms of radar.toml, and a trained spaCy pipeline's entities where one is
    installed, are masked in every table and output that leaves the team.
    """
    from radar.deidentify import deidentifier_for, deidentify_check
    from radar.folder import Folder
    from radar.formats import render

    if not check:
        for safeguard in deidentifier_for(Folder(study)).safeguards:
            click.echo(f"- {safeguard}")
        return
    result = deidentify_check(Folder(study))
    click.echo(render(result.findings, fmt), nl=False)
    if fmt == "table":
        click.echo(
            f"\n{result.masked} occurrence(s) masked; {result.suspected} suspected name(s) left for review."
        )
        rules = result.masked_by_rule()
        if rules:
            click.echo("Masked, by rule: " + "; ".join(f"{rule} {count}" for rule, count in rules.items()))
        if result.reviewed:
            found = f" ({result.kept_as_reviewed} occurrence(s) kept)" if result.kept_as_reviewed else ""
            click.echo(f"Reviewed in radar.toml{found}: " + "; ".join(result.reviewed))
        else:
            click.echo(
                "Reviewed in radar.toml: nothing yet (write [deidentify] not_names for what is no name, "
                "[deidentify.replace] for a term's own replacement)"
            )
        for safeguard in result.safeguards:
            click.echo(f"- {safeguard}")


for group in (codebook, member_check, export, import_group, rapid, suggest_group):
    main.add_command(group)
