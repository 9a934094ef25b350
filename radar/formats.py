"""Tables as text: the terminal table, CSV and Markdown."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

TEXT_FORMATS = ("table", "csv", "md")
WRAP = 60


def render(frame: pd.DataFrame, fmt: str) -> str:
    """A frame in one of :data:`TEXT_FORMATS`."""
    if fmt == "csv":
        return str(frame.to_csv(index=False, lineterminator="\n"))
    if fmt == "md":
        return markdown_table(frame)
    return text_table(frame)


def _cells(frame: pd.DataFrame) -> list[list[str]]:
    return [["" if v is None else str(v) for v in row] for row in frame.itertuples(index=False)]


def markdown_table(frame: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table; numbers right-aligned."""
    headers = [str(c) for c in frame.columns]
    numeric = [frame[c].dtype.kind in "iuf" for c in frame.columns]
    rule = ["---:" if n else "---" for n in numeric]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(rule) + " |"]
    for row in _cells(frame):
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
    return "\n".join(lines) + "\n"


def text_table(frame: pd.DataFrame, wrap: int = WRAP) -> str:
    """A plain table for the terminal; long text wraps within its column."""
    headers = [str(c) for c in frame.columns]
    numeric = [frame[c].dtype.kind in "iuf" for c in frame.columns]
    rows = [[textwrap.wrap(cell, wrap) or [""] for cell in row] for row in _cells(frame)]
    widths = [len(h) for h in headers]
    for row in rows:
        for i, lines in enumerate(row):
            widths[i] = max(widths[i], *(len(line) for line in lines))

    def line(cells: list[str]) -> str:
        parts = [c.rjust(w) if n else c.ljust(w) for c, w, n in zip(cells, widths, numeric)]
        return "  ".join(parts).rstrip()

    out = [line(headers), line(["-" * w for w in widths])]
    for row in rows:
        height = max(len(lines) for lines in row)
        for k in range(height):
            out.append(line([lines[k] if k < len(lines) else "" for lines in row]))
    return "\n".join(out) + "\n"
