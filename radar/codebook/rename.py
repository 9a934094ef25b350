"""Renaming a code in its codebook file, everything else left as it was."""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

from radar.codebook.forms import load_codebook, read_codebook_file
from radar.codebook.model import Codebook, name_key, separator_problem
from radar.codebook.rules import read_text
from radar.codebook.sheet_form import codebook_sheet, csv_delimiter, header_index
from radar.columns import CODE
from radar.errors import CodebookError
from radar.excel import open_for_edit, set_text
from radar.safety import safe_cell


def renamed_codebook_bytes(path: str | os.PathLike[str], old: str, new: str) -> bytes:
    """The codebook file's content with one code renamed, everything else as it was.

    YAML is edited as text (comments and layout survive); spreadsheets have
    their Code cells rewritten. The result is loaded back to check that
    exactly that code changed.

    Raises:
        CodebookError: when ``old`` is not a code, ``new`` already is one, or
            the edit could not be made safely.
    """
    file = Path(path)
    book = load_codebook(file)
    canonical = book.resolve(old)
    if canonical is None:
        raise CodebookError(f"{file.name}: there is no code {old!r}{book.did_you_mean(old)}")
    new = " ".join(new.split())
    if not new:
        raise CodebookError(f"{file.name}: the new name is empty; give the code a name")
    problem = separator_problem(new)
    if problem is not None:
        raise CodebookError(f"{file.name}: {problem}; nothing was renamed", path=str(file))
    clash = book.resolve(new)
    if clash is not None and clash != canonical:
        raise CodebookError(f"{file.name}: a code {clash!r} already exists; choose another name")
    suffix = file.suffix.lower()
    if suffix in (".yaml", ".yml"):
        data = _renamed_yaml(file, canonical, new)
    elif suffix == ".csv":
        data = _renamed_csv(file, canonical, new)
    else:
        data = _renamed_xlsx(file, canonical, new)
    _check_renamed(file, data, book, canonical, new)
    return data


def _renamed_yaml(file: Path, old: str, new: str) -> bytes:
    import json

    text = read_text(file)
    quoted = json.dumps(new, ensure_ascii=False)
    pattern = re.compile(
        r"^(?P<lead>\s*(?:-\s+)?(?:name:\s*)?)(?P<q>['\"]?)" + re.escape(old) + r"(?P=q)\s*$",
        re.MULTILINE,
    )
    lines = text.split("\n")
    hits = [i for i, line in enumerate(lines) if pattern.match(line)]
    code_hits = [i for i in hits if not _is_theme_line(lines, i)]
    if len(code_hits) != 1:
        raise CodebookError(
            f"{file.name}: could not find the line naming the code {old!r} exactly once; "
            "rename it in the file by hand"
        )
    i = code_hits[0]
    lines[i] = pattern.sub(lambda m: f"{m.group('lead')}{quoted}", lines[i])
    return "\n".join(lines).encode("utf-8")


def _is_theme_line(lines: list[str], index: int) -> bool:
    """Whether a ``name:`` line names a theme (its block holds ``codes:``)."""
    indent = len(lines[index]) - len(lines[index].lstrip(" -"))
    for line in lines[index + 1 :]:
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        depth = len(line) - len(line.lstrip(" -"))
        if depth < indent or (line.lstrip().startswith("- ") and depth <= indent):
            return False
        if stripped.startswith("codes:") and depth == indent:
            return True
    return False


def _renamed_csv(file: Path, old: str, new: str) -> bytes:
    text = read_text(file)
    delimiter = csv_delimiter(text)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    at = _header_at(file, rows)
    column = _code_column(rows[at])
    for row in rows[at + 1 :]:
        if column < len(row) and name_key(row[column]) == name_key(old):
            row[column] = safe_cell(new)
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def _renamed_xlsx(file: Path, old: str, new: str) -> bytes:
    workbook = open_for_edit(file)
    sheet = codebook_sheet(workbook)
    rows = [[str(cell.value or "") for cell in cells] for cells in sheet.iter_rows()]
    at = _header_at(file, rows)
    column = _code_column(rows[at]) + 1
    for (cell,) in sheet.iter_rows(min_row=at + 2, min_col=column, max_col=column):
        if isinstance(cell.value, str) and name_key(cell.value) == name_key(old):
            set_text(cell, new)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _header_at(file: Path, rows: list[list[str]]) -> int:
    at = header_index(rows)
    if at is None:  # the codebook loaded, so its header is there; refuse rather than guess
        raise CodebookError(
            f"{file.name}: could not find the header row; rename the code in the file by hand"
        )
    return at


def _code_column(header: list[str]) -> int:
    return [cell.strip().lower() for cell in header].index(CODE.lower())


def _check_renamed(file: Path, data: bytes, before: Codebook, old: str, new: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        probe = Path(folder) / file.name
        probe.write_bytes(data)
        after = read_codebook_file(probe)[0]  # its notes are the ones loading the file gave
    expected = [new if name == old else name for name in before.code_names]
    if list(after.code_names) != expected:
        raise CodebookError(
            f"{file.name}: renaming {old!r} would change more than that code; rename it by hand"
        )
