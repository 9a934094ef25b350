"""Tables in every form a manuscript needs: terminal, CSV, Markdown, LaTeX, JSON, Excel, Word."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radar.errors import RadarError
from radar.excel import Sheet, write_workbook
from radar.files import check_overwrite, write_atomic, write_text_atomic
from radar.safety import safe_cell

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


def markdown_table(frame: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table; numbers right-aligned."""
    headers = [str(c) for c in frame.columns]
    rule = ["---:" if n else "---" for n in _numeric(frame)]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(rule) + " |"]
    for row in _cells(frame):
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
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


def add_docx_table(document: Any, frame: pd.DataFrame) -> Any:
    """Append a frame to a Word document as a real table with a bold header row."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Pt

    table = document.add_table(rows=1, cols=len(frame.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    numeric = _numeric(frame)
    for cell, header in zip(table.rows[0].cells, frame.columns):
        cell.text = ""
        run = cell.paragraphs[0].add_run(str(header))
        run.bold = True
    _repeat_header(table.rows[0])
    for row in _cells(frame):
        cells = table.add_row().cells
        for cell, value, is_number in zip(cells, row, numeric):
            cell.text = value
            if is_number:
                cell.paragraphs[0].alignment = 2  # right
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
    return table


def _repeat_header(row: Any) -> None:
    """Mark a table row as a header that repeats on every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def write_docx_table(frame: pd.DataFrame, path: Path, title: str = "") -> None:
    """A Word document holding one titled table, written atomically."""
    from docx import Document

    document = Document()
    if title:
        document.add_heading(title, level=1)
    add_docx_table(document, frame)
    save_docx(document, path)


def save_docx(document: Any, path: Path) -> None:
    """Save a Word document through a temporary file and a rename."""
    write_atomic(path, document.save, suffix=".docx")
