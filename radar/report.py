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
from radar.charts import reduction_flow
from radar.config import StudyConfig
from radar.errors import RadarError
from radar.files import check_overwrite, now_utc, write_text_atomic
from radar.folder import Folder
from radar.formats import markdown_table
from radar.membercheck import coreq_line
from radar.reduction.history import read_audit
from radar.reduction.readback import tables_from_workbook
from radar.reduction.records import Flow, Tables
from radar.reduction.tables import flow_of
from radar.tally import tally
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


@dataclass
class Report:
    """The report's blocks, in reading order."""

    title: str
    blocks: list[Block] = field(default_factory=list)

    def heading(self, text: str, level: int = 1) -> None:
        self.blocks.append(Block("heading", text, level))

    def paragraph(self, text: str) -> None:
        self.blocks.append(Block("paragraph", text))

    def bullets(self, items: Sequence[str]) -> None:
        self.blocks.append(Block("bullets", items=tuple(items)))

    def table(self, frame: pd.DataFrame, caption: str = "") -> None:
        self.blocks.append(Block("table", caption, table=frame))

    def figure(self, figure: Any, caption: str) -> None:
        self.blocks.append(Block("figure", caption, figure=figure))

    def page(self) -> None:
        self.blocks.append(Block("page"))


def build_report(study: Folder) -> Report:
    """The report's content for a study whose tables exist."""
    config = study.config()
    codebook = study.codebook()
    tables = tables_from_workbook(study)
    flow = flow_of(tables)
    title = config.display_title(study.root)
    report = Report(f"{title}: methods and results")
    _summary(report, study, tables, flow, config)
    _flow_section(report, flow)
    combined = tables.combined
    report.heading("Themes", 1)
    report.paragraph(
        "Counts are coded excerpts (distinct segment and theme pairs among kept, coded segments), "
        f"so N = {flow.excerpts} and the percentages add up to 100; participants and groups are counted "
        "among all participants and all groups of the study. Percentages follow JMIR's rule."
    )
    report.table(combined.drop(columns=["Exemplar quote (ID)"]), "Table 1. Themes, ranked by coded excerpts.")
    _theme_pages(report, study, tables)
    _coreq(report, study, tables, config)
    report.page()
    report.heading("Appendix: codebook", 1)
    report.table(codebook.to_frame().drop(columns=[C.KEYWORDS]), "The codebook used for coding.")
    return report


def _summary(report: Report, study: Folder, tables: Tables, flow: Flow, config: StudyConfig) -> None:
    groups, people = tables.groups, tables.participants
    report.heading("Study summary", 1)
    if config.research_questions:
        report.paragraph("Research questions:")
        report.bullets(list(config.research_questions))
    report.bullets(
        [
            f"{groups} focus groups or interviews with {people} participants.",
            f"{flow.turns} speaker turns; {flow.kept} kept as relevant; {flow.coded} coded; "
            f"{flow.excerpts} coded excerpts in {flow.themes} themes.",
            f"Analysed with radar {__version__} (RADaR: rigorous and accelerated data reduction), "
            f"report written {now_utc()}.",
        ]
    )


def _flow_section(report: Report, flow: Flow) -> None:
    report.heading("Data reduction", 1)
    dropped = "; ".join(f"{reason} {n}" for reason, n in flow.dropped.items()) or "none"
    report.paragraph(
        f"Phase 1 held all {flow.turns} turns. Turns dropped in phase 1, by reason: {dropped}. "
        f"Phase 2 held the {flow.kept} kept turns, of which {flow.coded} received at least one code "
        f"(phase 3); {flow.kept - flow.coded} kept turns received no code."
    )

    report.figure(reduction_flow(flow), "Figure 1. The reduction flow.")


def _theme_pages(report: Report, study: Folder, tables: Tables) -> None:

    codebook = study.codebook()
    codes = tally(tables.phase3, codebook, by="code")
    quotes = exemplars(tables.phase3)
    for theme in tables.themes[C.TALLY_THEME]:
        report.page()
        report.heading(theme_label(str(theme), codebook), 2)
        definition = next((t.definition for t in codebook.themes if t.name == theme), "")
        if definition:
            report.paragraph(definition)
        in_theme = codes[codes[C.TALLY_THEME] == theme][[C.TALLY_CODE, C.TALLY_N, C.TALLY_LABEL]]
        report.table(
            in_theme.rename(columns={C.TALLY_CODE: C.CODE, C.TALLY_N: "n", C.TALLY_LABEL: "n/N (%)"})
        )
        chosen = quotes.get(str(theme), [])
        if chosen:
            proposed = any(q.proposed for q in chosen)
            report.paragraph(
                "Exemplar quotes (proposed by radar; mark your own in the Exemplar column):"
                if proposed
                else "Exemplar quotes:"
            )
            report.bullets([q.cited() for q in chosen])


def _coreq(report: Report, study: Folder, tables: Tables, config: StudyConfig) -> None:

    coders = config.coders
    runs = read_audit(study.paths)
    codebook = study.codebook()
    emerging = [t.name for t in codebook.themes if t.status.strip().lower() == "emerging"]
    report.page()
    report.heading("COREQ items radar can answer", 1)
    report.bullets(
        [
            "23 Transcripts returned: see member checking (item 28).",
            f"24 Number of data coders: {len(coders)} ({', '.join(coders)})."
            if coders
            else "24 Number of data coders: not recorded; list the coders in radar.toml (coders = [...]).",
            f"25 Description of the coding tree: {len(codebook.themes)} themes and {len(codebook.codes)} codes "
            "(see the appendix).",
            "26 Derivation of themes: codes were applied with a codebook defined in advance; keyword "
            "suggestions were reviewed by the analyst"
            + (f"; emerging themes: {', '.join(emerging)}." if emerging else "."),
            f"27 Software: radar {__version__} with spaCy {package_version('spacy')}; {len(runs)} recorded runs "
            "in the audit trail (.radar/audit.jsonl).",
            "28 Participant checking: " + _member_check_line(study),
            "29 Quotations presented: yes, each identified by participant pseudonym and group, as (P14, fg2).",
        ]
    )


def _member_check_line(study: Folder) -> str:
    """COREQ 28 from the member-check records, when there are any."""
    return coreq_line(study)


# Rendering ------------------------------------------------------------------------


def write_report(
    study: Folder, out: str | os.PathLike[str] | None = None, fmt: str | None = None, *, force: bool = False
) -> Path:
    """Write the report as Word (default) or Markdown; returns the path.

    Without ``out`` it goes to ``radar-report.docx`` (or ``.md``) in the study
    folder, rewritten each time; a file named as ``out`` that exists is
    replaced only with ``force``.
    """
    target = check_overwrite(out, force) if out is not None else None
    fmt = fmt or (target.suffix.lstrip(".").lower() if target else "docx")
    if fmt not in REPORT_FORMATS:
        raise RadarError(f"unknown report format {fmt!r}; use docx or md")
    out = target or study.root / f"radar-report.{fmt}"
    report = build_report(study)
    if fmt == "docx":
        render_docx(report, out)
    else:
        render_markdown(report, out)
    return out


def render_docx(report: Report, out: Path) -> None:
    """The report as a Word document with real headings, tables and figures."""
    import io

    from docx.enum.text import WD_BREAK
    from docx.shared import Inches

    document = new_document()
    document.add_heading(report.title, 0)
    for block in report.blocks:
        if block.kind == "heading":
            document.add_heading(block.text, block.level)
        elif block.kind == "paragraph":
            document.add_paragraph(block.text)
        elif block.kind == "bullets":
            for item in block.items:
                document.add_paragraph(item, style="List Bullet")
        elif block.kind == "table":
            add_docx_table(document, block.table, block.text)
        elif block.kind == "figure":
            image = io.BytesIO()
            block.figure.savefig(image, format="png", dpi=200, bbox_inches="tight")
            document.add_picture(image, width=Inches(6))
            document.add_paragraph(block.text, style="Caption")
        elif block.kind == "page" and not at_page_start(document):
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    save_docx(document, out)


def render_markdown(report: Report, out: Path) -> None:
    """The report as Markdown; figures are written as PNG files beside it."""
    lines = [f"# {report.title}", ""]
    figures = 0
    for block in report.blocks:
        if block.kind == "heading":
            lines += ["#" * (block.level + 1) + " " + block.text, ""]
        elif block.kind == "paragraph":
            lines += [block.text, ""]
        elif block.kind == "bullets":
            lines += [f"- {item}" for item in block.items] + [""]
        elif block.kind == "table":
            if block.text:
                lines += [f"*{block.text}*", ""]
            lines += [markdown_table(block.table), ""]
        elif block.kind == "figure":
            figures += 1
            name = f"{out.stem}-figure-{figures}.png"
            block.figure.savefig(out.with_name(name), format="png", dpi=150, bbox_inches="tight")
            lines += [f"![{block.text}]({name})", "", f"*{block.text}*", ""]
    write_text_atomic(out, "\n".join(lines).rstrip() + "\n")


__all__ = ["REPORT_FORMATS", "Report", "build_report", "write_report"]
