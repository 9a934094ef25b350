"""Tables in every form a manuscript needs: terminal, CSV, Markdown, LaTeX, JSON, Excel, Word.

Excel is written by :mod:`radar.excel`, Word by :mod:`radar.word`.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radar.errors import RadarError
from radar.excel import Sheet, write_workbook
from radar.files import check_overwrite, write_text_atomic
from radar.safety import safe_cell
from radar.word import add_docx_table, save_docx, write_docx_table

if TYPE_CHECKING:
    import pandas as pd

TEXT_FORMATS = ("table", "csv", "md", "latex", "json")
FILE_FORMATS = ("xlsx", "docx")
FORMATS = TEXT_FORMATS + FILE_FORMATS
WRAP = 60
LATEX_SPECIAL = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
    "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}  # fmt: skip


def render(frame: pd.DataFrame, fmt: str) -> str:
    """A frame as text in one of :data:`TEXT_FORMATS`."""
    if fmt == "csv":
        return str(csv_safe(frame).to_csv(index=False, lineterminator="\n"))
    if fmt == "md":
        return markdown_table(frame)
    if fmt == "latex":
        return latex_table(frame)
    if fmt == "json":
        return json_records(frame)
    if fmt == "table":
        return text_table(frame)
    raise RadarError(f"{fmt!r} is written to a file; give --out FILE.{fmt}")


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell (and header) that a spreadsheet would run as a formula made safe.

    OWASP's rule (:func:`radar.safety.safe_cell`): such text gets a leading ``'``;
    numbers stay numbers, so ``-3`` in a count column is still ``-3``.
    """
    out = frame.rename(columns=lambda name: safe_cell(name) if isinstance(name, str) else name)
    for column in range(out.shape[1]):
        values = out.iloc[:, column]
        if values.dtype == object or str(values.dtype) in ("string", "str", "category"):
            out.isetitem(column, values.map(safe_cell).astype(object).tolist())
    return out


def write_table(
    frame: pd.DataFrame, path: Path, fmt: str | None = None, title: str = "", *, force: bool = False
) -> Path:
    """Write a frame to a file; the format comes from ``fmt`` or the suffix.

    An existing ``path`` is replaced only with ``force`` (:func:`radar.files.check_overwrite`).
    """
    check_overwrite(path, force)
    fmt = fmt or path.suffix.lstrip(".").lower()
    fmt = {"md": "md", "tex": "latex", "txt": "table"}.get(fmt, fmt)
    if fmt == "xlsx":
        write_workbook(path, [Sheet(title or "Table", frame, {})])
    elif fmt == "docx":
        write_docx_table(frame, path, title)
    elif fmt in TEXT_FORMATS:
        write_text_atomic(path, render(frame, fmt))
    else:
        raise RadarError(f"{path.name}: unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    return path


def write_lines(lines: list[str], path: Path, *, force: bool = False) -> Path:
    """Write lines of text (UTF-8, one per line); an existing ``path`` only with ``force``."""
    return write_text_atomic(check_overwrite(path, force), "".join(f"{line}\n" for line in lines))


def _cells(frame: pd.DataFrame) -> list[list[str]]:
    return [["" if v is None else str(v) for v in row] for row in frame.itertuples(index=False)]


def _numeric(frame: pd.DataFrame) -> list[bool]:
    return [frame[c].dtype.kind in "iuf" for c in frame.columns]


# Characters Markdown or the HTML inside it would act on: a backslash escape shows them as they are.
MARKDOWN_SPECIAL = frozenset("\\`*_[]|")
HTML_SPECIAL = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def markdown_escape(text: str) -> str:
    """Text from a codebook or a transcript, shown as written in Markdown and never run as HTML or a link.

    ``<script>``, ``<img onerror=...>`` and ``[x](javascript:...)`` from a
    code name or a quote come out as text: ``<`` and ``>`` as entities, the
    characters that make links, emphasis, code and table cells
    backslash-escaped, a ``#`` that would open a heading escaped, and line
    breaks as spaces (a table row and a list item are one line).

    Example:
        >>> markdown_escape("<script>alert(1)</script> [x](javascript:go)")
        '&lt;script&gt;alert(1)&lt;/script&gt; \\\\[x\\\\](javascript:go)'
    """
    out = []
    for ch in " ".join(text.splitlines()):
        if ch in HTML_SPECIAL:
            out.append(HTML_SPECIAL[ch])
        elif ch in MARKDOWN_SPECIAL:
            out.append("\\" + ch)
        else:
            out.append(ch)
    escaped = "".join(out)
    return "\\" + escaped if escaped.lstrip().startswith("#") else escaped


def markdown_table(frame: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table; numbers right-aligned, every cell escaped (:func:`markdown_escape`)."""
    headers = [markdown_escape(str(c)) for c in frame.columns]
    rule = ["---:" if n else "---" for n in _numeric(frame)]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(rule) + " |"]
    for row in _cells(frame):
        lines.append("| " + " | ".join(markdown_escape(cell) for cell in row) + " |")
    return "\n".join(lines) + "\n"


def latex_escape(text: str) -> str:
    """Text safe inside a LaTeX table cell."""
    return "".join(LATEX_SPECIAL.get(ch, ch) for ch in text)


def latex_table(frame: pd.DataFrame) -> str:
    """A booktabs ``tabular``: one row per frame row, ``&`` between cells."""
    spec = "".join("r" if n else "l" for n in _numeric(frame))
    head = " & ".join(latex_escape(str(c)) for c in frame.columns) + r" \\"
    body = [" & ".join(latex_escape(cell) for cell in row) + r" \\" for row in _cells(frame)]
    lines = [
        rf"\begin{{tabular}}{{{spec}}}",
        r"\toprule",
        head,
        r"\midrule",
        *body,
        r"\bottomrule",
        r"\end{tabular}",
    ]
    return "\n".join(lines) + "\n"


def json_records(frame: pd.DataFrame) -> str:
    """A JSON array of row objects, numbers as numbers."""
    records: list[dict[str, Any]] = []
    for row in frame.to_dict("records"):
        records.append({str(k): _plain(v) for k, v in row.items()})
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    return value


def text_table(frame: pd.DataFrame, wrap: int = WRAP) -> str:
    """A plain table for the terminal; long text wraps within its column."""
    headers = [str(c) for c in frame.columns]
    numeric = _numeric(frame)
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


__all__ = [
    "FILE_FORMATS",
    "FORMATS",
    "TEXT_FORMATS",
    "add_docx_table",
    "json_records",
    "latex_escape",
    "latex_table",
    "markdown_escape",
    "markdown_table",
    "render",
    "save_docx",
    "text_table",
    "write_docx_table",
    "write_lines",
    "write_table",
]
