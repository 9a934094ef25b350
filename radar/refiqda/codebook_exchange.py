"""Converting codebooks between radar's forms and REFI-QDA, in any direction.

A ``.qdpx`` project may be given as the source: its codebook is converted.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from radar.codebook import Codebook, read_codebook_file, read_qdc, write_codebook
from radar.codebook.forms import codebook_suffix
from radar.errors import RefiError
from radar.files import check_overwrite
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


def convert_codebook(
    src: str | os.PathLike[str], dst: str | os.PathLike[str], *, force: bool = False
) -> list[str]:
    """Convert a codebook between YAML, XLSX/CSV and REFI-QDA ``.qdc``, in any direction.

    A ``.qdpx`` project may be given as ``src``: its codebook is converted.

    Args:
        src: the codebook to read.
        dst: the file to write; its suffix picks the form.
        force: replace ``dst`` if it exists.

    Returns:
        Notes on what reading or writing changed or could not keep.

    Raises:
        OutputExistsError: ``dst`` exists (without ``force``).
        RefiError: ``dst`` is ``src``, or ``src`` is a bad file.
        CodebookError: a suffix radar does not convert, or a malformed codebook.
    """
    source, target = Path(src), Path(dst)
    codebook_suffix(target)
    if target.exists() and source.exists() and target.resolve() == source.resolve():
        raise RefiError(f"{target}: is the file being converted; give another output file")
    check_overwrite(target, force)
    codebook, notes = read_codebook(source)
    return notes + write_codebook(codebook, target)
