"""The methods report: what radar did, the themes, and the COREQ items it can answer.

The report is built once as a list of blocks (headings, paragraphs, tables,
figures, page breaks) and rendered to Word or Markdown, so both always hold
the same content.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib.metadata import version as package_version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radar import __version__
from radar import columns as C
from radar.balance import spread_cells
from radar.charts import balance_chart, reduction_flow, saturation_chart
from radar.checklists import SCOPE, TITLES, check_names, checklist, filled, for_authors
from radar.codebook import Codebook, name_key
from radar.config import StudyConfig
from radar.errors import RadarError
from radar.evidence import checklist_facts, study_balance, study_saturation
from radar.files import check_overwrite, long_date, now_utc, write_text_atomic
from radar.folder import Folder
from radar.formats import markdown_escape, markdown_table
from radar.membercheck import coreq_line
from radar.rapid.report import rapid_section
from radar.reduction.history import read_audit, snapshots
from radar.reduction.readback import tables_from_workbook
from radar.reduction.records import Flow, Tables
from radar.reduction.tables import flow_of
from radar.suggestions_report import provenance_paragraphs
from radar.tally import small_cell_rule, tally
from radar.themes import exemplars, theme_label
from radar.word import add_docx_table, at_page_start, new_document, save_docx

if TYPE_CHECKING:
    import pandas as pd

REPORT_FORMATS = ("docx", "md")


@dataclass(frozen=True)
class Block:
    """One piece of the report."""

    kind: str  # heading | paragraph | bullets | table | figure | page
    text: str = ""
    level: int = 1
    items: tuple[str, ...] = ()
    table: Any = None  # a DataFrame for kind == "table"
    figure: Any = None  # a matplotlib Figure for kind == "figure"
    keep: bool = False  # kept on one page with what follows (Word's keep with next)


@dataclass
class Report:
    """The report's blocks, in reading order."""

    title: str
    blocks: list[Block] = field(default_factory=list)

    def heading(self, text: str, level: int = 1) -> None:
        self.blocks.append(Block("heading", text, level))

    def paragraph(self, text: str, keep: bool = False) -> None:
        self.blocks.append(Block("paragraph", text, keep=keep))

    def bullets(self, items: Sequence[str]) -> None:
        self.blocks.append(Block("bullets", items=tuple(items)))

    def table(self, frame: pd.DataFrame, caption: str = "", keep: bool = False) -> None:
        self.blocks.append(Block("table", caption, table=frame, keep=keep))

    def figure(self, figure: Any, caption: str) -> None:
        self.blocks.append(Block("figure", caption, figure=figure))

    def page(self) -> None:
        self.blocks.append(Block("page"))


def build_report(study: Folder, checklists: Sequence[str] = ()) -> Report:
    """The report's content for a study whose tables exist: written for its readers, not the analyst.

    ``checklists`` (``coreq``, ``srqr``, ``parrqa``) adds each as a table of the
    items radar's records answer, with their sources, and the items left for the
    authors.
    """
    chosen = check_names(checklists)
    config = study.config()
    codebook = study.codebook()
    tables = tables_from_workbook(study)
    flow = flow_of(tables)
    title = config.display_title(study.root)
    report = Report(f"{title}: methods and results")
    _summary(report, study, tables, flow, config)
    _flow_section(report, flow)
    _provenance_section(report, study, tables)
    combined = tables.combined
    report.heading("Themes", 1)
    report.paragraph(
        "Counts are coded excerpts (distinct segment and theme pairs among kept, coded segments), "
        f"so N = {flow.excerpts} and the percentages add up to 100; participants and groups are counted "
        "among all participants and all groups of the study. Percentages follow JMIR's rule."
    )
    if small_cell_rule(config.deidentify.min_cell):
        report.paragraph(small_cell_rule(config.deidentify.min_cell))
    report.table(combined.drop(columns=["Exemplar quote (ID)"]), "Table 1. Themes, ranked by coded excerpts.")
    _theme_sections(report, study, tables, config)
    _saturation_section(report, study, tables, config)
    _balance_section(report, study, tables, config)
    rapid_section(report, study, config, list(dict.fromkeys(tables.phase1[C.GROUP].astype(str))))
    if "coreq" not in chosen:  # the full checklist below answers these items too
        _coreq(report, study, tables, config)
    for name in chosen:
        _checklist_section(report, study, tables, config, name)
    report.page()
    report.heading("Appendix: codebook", 1)
    report.table(codebook.to_frame().drop(columns=[C.KEYWORDS]), "The codebook used for coding.")
    return report


def _provenance_section(report: Report, study: Folder, tables: Tables) -> None:
    """Where the codes came from and how good the keyword suggestions were (radar.suggestions_report)."""
    for text in provenance_paragraphs(study, tables.phase3):
        report.paragraph(text)


def _summary(report: Report, study: Folder, tables: Tables, flow: Flow, config: StudyConfig) -> None:
    report.heading("Study summary", 1)
    if config.research_questions:
        report.paragraph("Research questions:", keep=True)
        report.bullets(list(config.research_questions))
    groups = [str(group) for group in dict.fromkeys(tables.phase1[C.GROUP])]
    coders = config.coders
    report.paragraph("Study facts:", keep=True)
    report.bullets(
        [
            f"Groups: {groups_in_words(groups, config)}.",
            f"Participants: {tables.participants}.",
            f"Speaker turns: {flow.turns}; {flow.kept} kept as relevant; {flow.coded} coded; "
            f"{flow.excerpts} coded excerpts in {flow.themes} themes.",
            f"Dates: {_dates(study)}.",
            f"Coders: {', '.join(coders)}." if coders else "Coders: not recorded.",
            f"Analysed with radar {__version__} (RADaR: rigorous and accelerated data reduction).",
        ]
    )


def groups_in_words(groups: Sequence[str], config: StudyConfig) -> str:
    """The study's groups by type, as the report says them: ``3 focus groups and 2 interviews``.

    Example:
        >>> groups_in_words(["fg1", "fg2"], StudyConfig())
        '2 focus groups or interviews'
    """
    types = [config.group_type(group) for group in groups]
    focus, interviews = types.count("focus group"), types.count("interview")
    other = len(types) - focus - interviews
    if other == len(types):
        return f"{other} focus group{'s' if other != 1 else ''} or interview{'s' if other != 1 else ''}"
    parts = [
        f"{n} {kind}{'s' if n != 1 else ''}"
        for n, kind in ((focus, "focus group"), (interviews, "interview"))
        if n
    ]
    if other:
        parts.append(f"{other} other group{'s' if other != 1 else ''}")
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _dates(study: Folder) -> str:
    """When the tables were first made and last run, and when the report was written, in words."""
    runs = [
        run for run in read_audit(study.paths) if run.get("action", "reduce") == "reduce" and run.get("time")
    ]
    written = f"report written {long_date(now_utc())}"
    if not runs:
        return written
    first, last = long_date(str(runs[0]["time"])), long_date(str(runs[-1]["time"]))
    made = f"tables first made {first}" + (f", last run {last}" if last != first else "")
    return f"{made}; {written}"


def _flow_section(report: Report, flow: Flow) -> None:
    report.heading("Data reduction", 1)
    dropped = "; ".join(f"{reason} {n}" for reason, n in flow.dropped.items()) or "none"
    report.paragraph(
        f"Phase 1 held all {flow.turns} turns. Turns dropped in phase 1, by reason: {dropped}. "
        f"Phase 2 held the {flow.kept} kept turns, of which {flow.coded} received at least one code "
        f"(phase 3); {flow.kept - flow.coded} kept turns received no code."
    )

    report.figure(reduction_flow(flow), "Figure 1. The reduction flow.")


def _theme_sections(report: Report, study: Folder, tables: Tables, config: StudyConfig) -> None:
    """Each theme in one flowing section: its definition, its codes with theirs, its quotes."""
    codebook = study.codebook()
    codes = tally(tables.phase3, codebook, by="code")
    quotes = exemplars(tables.phase3, turns=tables.phase1)
    names = config.group_names()
    definitions = {code.name: code.definition for code in codebook.codes}
    for theme in tables.themes[C.TALLY_THEME]:
        report.heading(theme_label(str(theme), codebook), 2)
        definition = next((t.definition for t in codebook.themes if t.name == theme), "")
        if definition:
            report.paragraph(definition, keep=True)
        in_theme = codes[codes[C.TALLY_THEME] == theme]
        frame = in_theme[[C.TALLY_CODE]].rename(columns={C.TALLY_CODE: C.CODE})
        frame.insert(1, C.DEFINITION, [definitions.get(str(code), "") for code in in_theme[C.TALLY_CODE]])
        frame.insert(2, "n/N coded segments (%)", list(in_theme[C.TALLY_LABEL]))
        chosen = quotes.get(str(theme), [])
        report.table(frame, keep=True)
        if chosen:
            report.paragraph("Exemplar quotes:", keep=True)
            report.bullets([q.cited(names) for q in chosen])


def _saturation_section(report: Report, study: Folder, tables: Tables, config: StudyConfig) -> None:
    """Guest, Namey & Chen's saturation assessment: the paragraph and the chart."""
    result = study_saturation(study, tables=tables)
    report.heading("Saturation", 1)
    report.paragraph(result.paragraph(config.group_names()))
    report.figure(
        saturation_chart(result, group_names=config.group_names()),
        f"Figure 2. New {result.unit} per transcript in the order held, and the {result.unit} so far.",
    )


def _balance_section(report: Report, study: Folder, tables: Tables, config: StudyConfig) -> None:
    """Who spoke how much in each group, and whether one participant carries a theme."""
    import pandas as pd

    balance = study_balance(study, tables=tables)
    names = config.group_names()
    report.heading("Balance of voices", 1)
    counted = (
        "as spoken, in the transcripts"
        if balance.words_from == "transcripts"
        else "in the de-identified tables"
    )
    report.paragraph(
        "Turns and words (counted " + counted + "; non-speech markers left out) of each group's speakers. "
        "The Gini index of the participants' words is 0 when everyone spoke as much and nears 1 when one "
        "voice dominates."
    )
    groups = balance.groups
    report.table(
        pd.DataFrame(
            {
                "Group": [names.get(str(g), str(g)) for g in groups[C.GROUP]],
                "Participants": groups["participants"],
                "Turns / words": [f"{t} / {w}" for t, w in zip(groups["turns"], groups["words"])],
                "Facilitator's share of turns / words": [
                    f"{t:.0%} / {w:.0%}"
                    for t, w in zip(groups["facilitator_turn_share"], groups["facilitator_word_share"])
                ],
                "Participants' Gini of turns / words": [
                    f"{t:.2f} / {w:.2f}" for t, w in zip(groups["gini_turns"], groups["gini_words"])
                ],
            }
        ),
        "Table 2. Participation per group.",
    )
    report.figure(
        balance_chart(balance.speakers, groups, group_names=names),
        "Figure 3. Words per speaker in each group.",
    )
    report.paragraph(
        "Within-group spread of each theme: k of n means k of the group's n participants voiced it; "
        f"* marks a group where one participant supplied more than {balance.dominant_share:.0%} of the "
        f"theme's excerpts; counts under {config.deidentify.min_cell} are shown as <{config.deidentify.min_cell}."
    )
    report.table(
        spread_cells(balance.spread, names, config.deidentify.min_cell),
        "Table 3. Participants who voiced each theme, per group.",
    )
    dominance = balance.dominance
    carried = [
        f"{theme} ({who}: {share:.0%} of {n} excerpts)"
        for theme, n, who, share, flag in zip(
            dominance[C.TALLY_THEME], dominance["excerpts"], dominance["top_participant"],
            dominance["top_share"], dominance["dominant"],
        )
        if flag == C.YES
    ]  # fmt: skip
    share = f"{balance.dominant_share:.0%}"
    report.paragraph(
        f"Themes where one participant supplied more than {share} of the excerpts: "
        + "; ".join(carried)
        + "."
        if carried
        else f"No theme has more than {share} of its excerpts from one participant."
    )


def _checklist_section(report: Report, study: Folder, tables: Tables, config: StudyConfig, name: str) -> None:
    """One reporting checklist: the items radar's records answer, with their sources, then those left."""
    codebook = study.codebook()
    quote = next((q for chosen in exemplars(tables.phase3).values() for q in chosen), None)
    groups = [str(group) for group in dict.fromkeys(tables.phase1[C.GROUP])]
    facts = checklist_facts(
        study,
        tables,
        groups=groups_in_words(groups, config),
        derivation=derivation(codes_added(study, codebook)),
        software=f"radar {__version__} with spaCy {package_version('spacy')}",
        quote_example=quote.citation(config.group_names()) if quote else "",
    )
    frame = checklist(name, facts)
    report.page()
    report.heading(f"Checklist: {TITLES[name]}", 1)
    answered = filled(frame)
    scope = f" {SCOPE[name]}" if name in SCOPE else ""
    report.paragraph(
        f"{len(answered)} of {len(frame)} items are answered from radar's records; each names its source.{scope}"
    )
    report.table(answered, f"The {name.upper()} items radar can answer.")
    left = for_authors(frame)
    if left:
        report.paragraph(f"For the authors to complete ({len(left)}):", keep=True)
        report.bullets(left)


def analyst_notes(study: Folder) -> list[str]:
    """What the analyst may want to do before sending the report out (never written in it)."""
    tables = tables_from_workbook(study)
    config = study.config()
    notes = []
    proposed = [
        theme for theme, chosen in exemplars(tables.phase3).items() if any(q.proposed for q in chosen)
    ]
    if proposed:
        which = f"{len(proposed)} theme(s)" if len(proposed) > 3 else ", ".join(proposed)
        notes.append(
            f"the report's exemplar quotes of {which} were proposed by radar; "
            f"mark your own in the {C.EXEMPLAR} column of sheet {C.SHEET_PHASE3!r}"
        )
    if not config.coders:
        notes.append(
            "the report gives the coders (COREQ 24) as not recorded; list them in radar.toml: coders = [...]"
        )
    notes += study_saturation(study, tables=tables).notes  # groups without a date
    return notes


def _coreq(report: Report, study: Folder, tables: Tables, config: StudyConfig) -> None:

    coders = config.coders
    runs = read_audit(study.paths)
    codebook = study.codebook()
    emerging = [t.name for t in codebook.themes if t.status.strip().lower() == "emerging"]
    quote = next((q for chosen in exemplars(tables.phase3).values() for q in chosen), None)
    example = quote.citation(config.group_names()) if quote else "(P14, fg2)"
    recorded = f"{len(runs)} recorded run{'' if len(runs) == 1 else 's'}"
    report.heading("COREQ items radar can answer", 1)
    report.bullets(
        [
            "23 Transcripts returned: see member checking (item 28).",
            f"24 Number of data coders: {len(coders)} ({', '.join(coders)})."
            if coders
            else "24 Number of data coders: not recorded.",
            f"25 Description of the coding tree: {len(codebook.themes)} themes and {len(codebook.codes)} codes "
            "(see the appendix).",
            "26 Derivation of themes: "
            + derivation(codes_added(study, codebook))
            + "; keyword suggestions were reviewed by the analyst"
            + (f"; emerging themes: {', '.join(emerging)}." if emerging else "."),
            f"27 Software: radar {__version__} with spaCy {package_version('spacy')}; {recorded} "
            "in the audit trail (.radar/audit.jsonl).",
            "28 Participant checking: " + _member_check_line(study),
            f"29 Quotations presented: yes, each identified by participant pseudonym and group, as {example}.",
        ]
    )


def codes_added(study: Folder, codebook: Codebook) -> tuple[str, ...] | None:
    """The codebook's codes that the first reduce run did not have, or None when that is not known.

    The first run's codes are those its audit entry records, else those of the
    Codebook sheet of the workbook it wrote (the oldest kept version, when the
    history still holds it).
    """
    runs = [run for run in read_audit(study.paths) if run.get("action", "reduce") == "reduce"]
    first: set[str] | None = None
    if runs and isinstance(runs[0].get("codes"), list):
        first = {name_key(str(name)) for name in runs[0]["codes"]}
    elif runs:
        first = _first_version_codes(study)
    if first is None:
        return None
    return tuple(code for code in codebook.code_names if name_key(code) not in first)


def _first_version_codes(study: Folder) -> set[str] | None:
    """The codes of the Codebook sheet of the workbook the first run wrote, if it is kept."""
    kept = snapshots(study.paths)
    if not kept or not kept[0].name.endswith("before-run-0002.xlsx"):
        return None
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(kept[0], read_only=True)
    except (OSError, ValueError, KeyError):
        return None
    try:
        if C.SHEET_CODEBOOK not in workbook.sheetnames:
            return None
        rows = list(workbook[C.SHEET_CODEBOOK].iter_rows(values_only=True))
    finally:
        workbook.close()
    if not rows or C.CODE not in rows[0]:
        return None
    column = list(rows[0]).index(C.CODE)
    return {name_key(str(row[column])) for row in rows[1:] if row[column] not in (None, "")}


def derivation(added: Sequence[str] | None) -> str:
    """COREQ 26 on how the codebook came about, from the codes added since the first run.

    Example:
        >>> derivation(("Praise",)), derivation(()), derivation(None)  # doctest: +NORMALIZE_WHITESPACE
        ('codes were applied with a codebook developed before the analysis, and 1 code was added
        during the analysis (Praise), as the audit trail records', 'codes were applied with a codebook
        developed before the analysis, unchanged during it', 'themes were derived from a codebook,
        refined during analysis (see the audit trail)')
    """
    if added is None:
        return "themes were derived from a codebook, refined during analysis (see the audit trail)"
    before = "codes were applied with a codebook developed before the analysis"
    if not added:
        return f"{before}, unchanged during it"
    many = len(added) != 1
    return (
        f"{before}, and {len(added)} code{'s were' if many else ' was'} added during the analysis "
        f"({', '.join(added)}), as the audit trail records"
    )


def _member_check_line(study: Folder) -> str:
    """COREQ 28 from the member-check records, when there are any."""
    return coreq_line(study)


# Rendering ------------------------------------------------------------------------


def write_report(
    study: Folder,
    out: str | os.PathLike[str] | None = None,
    fmt: str | None = None,
    *,
    force: bool = False,
    checklists: Sequence[str] = (),
) -> Path:
    """Write the report as Word (default) or Markdown; returns the path.

    Without ``out`` it goes to ``radar-report.docx`` (or ``.md``) in the study
    folder, rewritten each time; a file named as ``out`` that exists is
    replaced only with ``force``. The report is written for its readers: what
    the analyst may want to do first is in :func:`analyst_notes`.
    """
    target = check_overwrite(out, force) if out is not None else None
    fmt = fmt or (target.suffix.lstrip(".").lower() if target else "docx")
    if fmt not in REPORT_FORMATS:
        raise RadarError(f"unknown report format {fmt!r}; use docx or md")
    out = target or study.root / f"radar-report.{fmt}"
    report = build_report(study, checklists)
    if fmt == "docx":
        render_docx(report, out)
    else:
        render_markdown(report, out)
    return out


def render_docx(report: Report, out: Path) -> None:
    """The report as a Word document with real headings, tables and figures."""
    import io

    from docx.enum.text import WD_BREAK
    from docx.shared import Inches, Pt

    document = new_document()
    document.add_heading(report.title, 0)
    for number, block in enumerate(report.blocks, start=1):
        following = report.blocks[number] if number < len(report.blocks) else None
        if block.kind == "heading":
            document.add_heading(block.text, block.level).paragraph_format.keep_with_next = True
        elif block.kind == "paragraph":
            layout = document.add_paragraph(block.text).paragraph_format
            layout.keep_with_next = block.keep
            if number > 1 and report.blocks[number - 2].kind == "table":
                layout.space_before = Pt(10)  # clear of the table above
        elif block.kind == "bullets":
            for index, item in enumerate(block.items):
                bullet = document.add_paragraph(item, style="List Bullet").paragraph_format
                bullet.keep_together = True
                bullet.keep_with_next = index == 0 and len(block.items) > 1  # never one quote alone
        elif block.kind == "table":
            table = add_docx_table(document, block.table, block.text)
            if block.keep:  # and with what follows, unless a new section does
                _keep_on_one_page(table, with_next=following is not None and following.kind != "heading")
        elif block.kind == "figure":
            image = io.BytesIO()
            block.figure.savefig(image, format="png", dpi=200, bbox_inches="tight")
            document.add_picture(image, width=Inches(6))
            document.add_paragraph(block.text, style="Caption")
        elif block.kind == "page" and not at_page_start(document):
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    save_docx(document, out)


def _keep_on_one_page(table: Any, *, with_next: bool) -> None:
    """Keep a table's rows on one page, and ``with_next`` with the paragraph after it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rows = list(table.rows)
    for number, row in enumerate(rows, start=1):
        properties = row._tr.get_or_add_trPr()
        if properties.find(qn("w:cantSplit")) is None:
            properties.append(OxmlElement("w:cantSplit"))
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = with_next or number < len(rows)


def render_markdown(report: Report, out: Path) -> None:
    """The report as Markdown; figures are written as PNG files beside it."""
    lines = [f"# {markdown_escape(report.title)}", ""]
    figures = 0
    for block in report.blocks:
        if block.kind == "heading":
            lines += ["#" * (block.level + 1) + " " + markdown_escape(block.text), ""]
        elif block.kind == "paragraph":
            lines += [markdown_escape(block.text), ""]
        elif block.kind == "bullets":
            lines += [f"- {markdown_escape(item)}" for item in block.items] + [""]
        elif block.kind == "table":
            if block.text:
                lines += [f"*{markdown_escape(block.text)}*", ""]
            lines += [markdown_table(block.table), ""]
        elif block.kind == "figure":
            figures += 1
            name = f"{out.stem}-figure-{figures}.png"
            block.figure.savefig(out.with_name(name), format="png", dpi=150, bbox_inches="tight")
            caption = markdown_escape(block.text)
            lines += [f"![{caption}]({name})", "", f"*{caption}*", ""]
    write_text_atomic(out, "\n".join(lines).rstrip() + "\n")


__all__ = [
    "REPORT_FORMATS",
    "Report",
    "analyst_notes",
    "build_report",
    "codes_added",
    "derivation",
    "groups_in_words",
    "write_report",
]
