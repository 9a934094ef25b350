"""A study's chart by name, drawn from its workbook, and a chart written to PNG, SVG or PDF."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from radar import columns as C
from radar.charts.cooccurrences import cooccurrence
from radar.charts.flow import reduction_flow
from radar.charts.heatmap import group_participants, theme_group_heatmap
from radar.charts.style import EMERGING
from radar.charts.themes import theme_bars
from radar.errors import ChartError
from radar.files import check_overwrite, write_atomic
from radar.folder import Folder
from radar.reduction.readback import tables_from_workbook, tally_workbook
from radar.reduction.tables import flow_of

if TYPE_CHECKING:
    from matplotlib.figure import Figure


KINDS = ("themes", "heatmap", "cooccurrence", "flow")
SUFFIXES = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
DPI = 300


def chart(
    study: Folder, kind: str, *, unit: str = "excerpts", by: str = "code", percent: bool = False
) -> Figure:
    """Draw one of the study's charts from its workbook as it is now.

    Args:
        study: the study (its ``radar-tables.xlsx`` must exist: run ``reduce`` first).
        kind: ``themes`` (the ranked tally), ``heatmap`` (themes by group),
            ``cooccurrence`` (codes together in a segment) or ``flow`` (the
            reduction flow diagram).
        unit: the tally's unit for ``themes``: ``excerpts``, ``participants`` or
            ``groups``; for ``heatmap``, ``excerpts`` or ``participants`` (n/N of
            each group's participants who spoke to the theme). The other
            charts always count excerpts or segments.
        by: ``code`` or ``theme``, for ``cooccurrence``.
        percent: for ``heatmap`` by excerpts, n/N of each group's excerpts,
            coloured by the percentage.

    Groups are labelled with their names in radar.toml (``[groups.fg1] name``).

    Example:
        >>> from radar.study import Study
        >>> fig = chart(Study("examples/digital-peer-support"), "flow")  # doctest: +SKIP
    """
    if kind not in KINDS:
        raise ChartError(f"unknown chart {kind!r}; use one of {', '.join(KINDS)}")
    if kind == "themes":
        emerging = [t.name for t in study.codebook().themes if t.status == EMERGING]
        return theme_bars(
            tally_workbook(study, unit=unit), unit=unit, emerging=emerging, min_cell=_min_cell(study)
        )
    tables = tables_from_workbook(study)
    if kind == "heatmap":
        themes = [str(theme) for theme in tables.themes[C.TALLY_THEME]]
        groups = [str(group) for group in dict.fromkeys(tables.phase1[C.GROUP])]
        return theme_group_heatmap(
            tables.phase3,
            themes=themes,
            groups=groups,
            unit=unit,
            percent=percent,
            participants=group_participants(tables.phase1),
            group_names=study.config().group_names(),
            min_cell=_min_cell(study),
        )
    if kind == "cooccurrence":
        return cooccurrence(tables.phase3, by=by)
    return reduction_flow(flow_of(tables))


def _min_cell(study: Folder) -> int:
    """radar.toml's ``[deidentify] min_cell``: the charts' small cells."""
    return study.config().deidentify.min_cell


def save_figure(figure: Figure, path: str | os.PathLike[str], *, dpi: int = DPI, force: bool = False) -> Path:
    """Write a chart to PNG (300 dpi), SVG or PDF, by the file's suffix.

    The file is written to a temporary file beside it, then renamed, so an
    interrupted save never leaves half a picture.

    Args:
        figure: the chart.
        path: where to write it; the suffix picks the format.
        dpi: the resolution of a PNG (and of any raster part of a PDF or SVG).
        force: replace ``path`` if it exists.

    Returns:
        The path written.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in SUFFIXES:
        shown = f"{suffix!r}" if suffix else "no suffix"
        raise ChartError(f"{target.name}: cannot save a chart with {shown}; use .png, .svg or .pdf")
    check_overwrite(target, force)
    image_format = SUFFIXES[suffix]
    metadata: dict[str, str | None] = {}
    if image_format == "svg":
        metadata = {"Date": None}
    elif image_format == "pdf":
        metadata = {"CreationDate": None}

    def write(temporary: str) -> None:
        figure.savefig(temporary, format=image_format, dpi=dpi, bbox_inches="tight", metadata=metadata)

    return write_atomic(target, write, suffix=suffix)
