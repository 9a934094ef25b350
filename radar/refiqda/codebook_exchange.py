"""Converting codebooks between radar's forms and REFI-QDA, in any direction.

A ``.qdpx`` project may be given as the source: its codebook is converted. Besides the
forms told by the suffix, ``to="taguette-csv"`` writes the CSV Taguette imports (a
``tag`` column with the hierarchy as dotted names, ``Theme.Code.Sub-code``, and a
``description`` column).
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import replace
from pathlib import Path

from radar.codebook import Codebook, read_codebook_file, read_qdc, write_codebook
from radar.codebook.forms import codebook_suffix
from radar.errors import RefiError
from radar.files import check_overwrite, write_text_atomic
from radar.refiqda.project_reading import open_qdpx, project_codebook


def read_codebook(path: str | os.PathLike[str]) -> tuple[Codebook, list[str]]:
    """A codebook from ``.yaml``/``.yml``, ``.xlsx``, ``.csv``, ``.qdc`` or a ``.qdpx`` project.

    Returns:
        The codebook and notes on what reading it changed.
    """
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix == ".qdc":
        return read_qdc(file)
    if suffix == ".qdpx":
        with open_qdpx(file) as package:
            book = project_codebook(package.root, file.name, empty_ok=False)
        return replace(book.codebook, path=file), list(book.notes)
    return read_codebook_file(file)


TAGUETTE_CSV = "taguette-csv"
"""The plain form Taguette reads codebooks in."""

PLAIN_FORMS = (TAGUETTE_CSV,)


def taguette_csv(codebook: Codebook) -> tuple[str, list[str]]:
    """The codebook as Taguette's CSV: ``tag`` (``Theme.Code.Sub-code``) and ``description``.

    Returns:
        The CSV text and notes on what Taguette's form cannot hold (a ``.`` inside a
        name, which Taguette reads as a level, is written as ``·``).

    Example:
        >>> from radar.codebook import Code, Theme
        >>> text, _ = taguette_csv(Codebook(themes=(Theme("Access", codes=(
        ...     Code("Devices", "Access", definition="Phones and laptops."),)),)))
        >>> print(text, end="")
        tag,description
        Access,
        Access.Devices,Phones and laptops.
    """
    notes: list[str] = []

    def part(name: str) -> str:
        if "." in name:
            notes.append(f"the name {name!r} holds '.', which Taguette reads as a level: written with '·'")
        return name.replace(".", "\u00b7")

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["tag", "description"])
    for theme in codebook.themes:
        writer.writerow([_safe_cell(part(theme.name)), _safe_cell(theme.definition)])
        for code in theme.codes:
            path = [theme.name, *codebook.ancestors(code.name), code.name]
            writer.writerow([_safe_cell(".".join(part(name) for name in path)), _safe_cell(code.definition)])
    return out.getvalue(), list(dict.fromkeys(notes))


def _safe_cell(text: str) -> str:
    """A cell that never runs as a formula in a spreadsheet."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def convert_codebook(
    src: str | os.PathLike[str],
    dst: str | os.PathLike[str],
    *,
    force: bool = False,
    to: str | None = None,
) -> list[str]:
    """Convert a codebook between YAML, XLSX/CSV and REFI-QDA ``.qdc``, in any direction.

    A ``.qdpx`` project may be given as ``src``: its codebook is converted.

    Args:
        src: the codebook to read.
        dst: the file to write; its suffix picks the form unless ``to`` is given.
        force: replace ``dst`` if it exists.
        to: a plain form peers read, told by name: ``"taguette-csv"``.

    Returns:
        Notes on what reading or writing changed or could not keep.

    Raises:
        OutputExistsError: ``dst`` exists (without ``force``).
        RefiError: ``dst`` is ``src``, or ``src`` is a bad file.
        CodebookError: a suffix radar does not convert, or a malformed codebook.
    """
    source, target = Path(src), Path(dst)
    if to is not None and to not in PLAIN_FORMS:
        raise RefiError(
            f"{to!r}: radar writes no codebook form of that name; use one of {', '.join(PLAIN_FORMS)}"
        )
    if to is None:
        codebook_suffix(target)
    if target.exists() and source.exists() and target.resolve() == source.resolve():
        raise RefiError(f"{target}: is the file being converted; give another output file")
    check_overwrite(target, force)
    codebook, notes = read_codebook(source)
    if to == TAGUETTE_CSV:
        text, more = taguette_csv(codebook)
        write_text_atomic(target, text)
        return notes + more
    return notes + write_codebook(codebook, target)
