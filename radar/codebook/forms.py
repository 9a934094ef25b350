"""The forms a codebook comes in, registered in one place: YAML, XLSX, CSV and REFI-QDA ``.qdc``.

Each form is a module with ``read(file) -> (codebook, notes)`` and
``write(codebook, file) -> notes``; :func:`load_codebook` and
:func:`write_codebook` pick the form by the file's suffix.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from radar.codebook import qdc, sheet_form, yaml_form
from radar.codebook.model import Codebook, separator_problem
from radar.errors import CodebookError, RadarWarning, StudyError

CODEBOOK_NAMES = ("codebook.yaml", "codebook.yml", "codebook.xlsx", "codebook.csv")
"""The file names :func:`find_codebook` accepts in a study folder, in order of preference."""

YAML_SUFFIXES = yaml_form.SUFFIXES


@dataclass(frozen=True)
class Form:
    """One form of codebook file: its suffixes, how it is read, how it is written."""

    name: str
    suffixes: tuple[str, ...]
    read: Callable[[Path], tuple[Codebook, list[str]]]
    write: Callable[[Codebook, Path], list[str]]


FORMS = (
    Form("YAML", YAML_SUFFIXES, yaml_form.read, yaml_form.write),
    Form("Excel workbook", (".xlsx",), sheet_form.read_xlsx, sheet_form.write_xlsx),
    Form("CSV", (".csv",), sheet_form.read_csv, sheet_form.write_csv),
    Form("REFI-QDA codebook", (".qdc",), qdc.read, qdc.write),
)
CODEBOOK_SUFFIXES = tuple(suffix for form in FORMS for suffix in form.suffixes)
"""The suffixes radar reads and writes codebooks with."""


def form_of(file: Path) -> Form | None:
    """The form a file's suffix names, or None."""
    suffix = file.suffix.lower()
    return next((form for form in FORMS if suffix in form.suffixes), None)


def read_codebook_file(path: str | os.PathLike[str]) -> tuple[Codebook, list[str]]:
    """Read and check a codebook file in any form, with notes on what reading it changed.

    Raises:
        CodebookError: as :func:`load_codebook`.
    """
    file = Path(path)
    if file.is_dir():
        raise CodebookError(f"{file}: is a folder; give the path of the codebook file inside it.")
    if not file.exists():
        raise CodebookError(f"{file}: no such file; check the path of the codebook.")
    form = form_of(file)
    if form is None:
        raise CodebookError(_unsupported(file))
    codebook, notes = form.read(file)
    for theme in codebook.themes:
        for code in theme.codes:
            problem = separator_problem(code.name)
            if problem is not None:
                raise CodebookError(f"{file}: theme {theme.name!r}: {problem}.", path=str(file))
    return codebook, notes


def load_codebook(path: str | os.PathLike[str]) -> Codebook:
    """Read and check a codebook from a ``.yaml``/``.yml``, ``.xlsx``, ``.csv`` or REFI-QDA ``.qdc`` file.

    A workbook is read from its sheet named ``Codebook`` if it has one (as radar's
    own tables workbook does), otherwise from its first sheet.

    Args:
        path: the codebook file.

    Returns:
        The codebook, with ``path`` set to the file.

    Raises:
        CodebookError: if the file is missing, of an unsupported kind, does not parse,
            or breaks a rule (duplicate code names, a code without a theme, ...).

    Warns:
        RadarWarning: for each note :func:`read_codebook_file` returns (a spreadsheet's
            theme filled down, a title row above its header, a column left out, a ``.qdc``
            name changed to fit, ...).
    """
    codebook, notes = read_codebook_file(path)
    for note in notes:
        warnings.warn(note, RadarWarning, stacklevel=2)
    return codebook


def _unsupported(file: Path) -> str:
    hint = "save it in one of those forms"
    if file.suffix.lower() in {".xls", ".xlsm", ".ods"}:
        hint = "open it in Excel and save it as an .xlsx workbook"
    return (
        f"{file}: radar reads codebooks from .yaml, .yml, .xlsx and .csv files, "
        f"not {file.suffix or 'files without a suffix'}; {hint}."
    )


def write_codebook(codebook: Codebook, path: str | os.PathLike[str]) -> list[str]:
    """Write a codebook in the form its suffix names (``.yaml``/``.yml``, ``.xlsx``, ``.csv``, ``.qdc``).

    Returns:
        Notes on what the form cannot hold (a spreadsheet has no title, source or status).
    """
    file = Path(path)
    codebook_suffix(file)
    form = form_of(file)
    assert form is not None  # codebook_suffix refused every other suffix
    return form.write(codebook, file)


def codebook_suffix(file: Path) -> str:
    """The suffix of a codebook file to write, refusing one radar does not write."""
    suffix = file.suffix.lower()
    if suffix not in CODEBOOK_SUFFIXES:
        raise CodebookError(
            f"{file}: radar writes codebooks as {', '.join(CODEBOOK_SUFFIXES)}, "
            f"not {suffix or 'files without a suffix'}; give the output file one of those suffixes"
        )
    return suffix


def find_codebook(study_dir: str | os.PathLike[str]) -> Path:
    """The one codebook file in a study folder.

    Accepts ``codebook.yaml``, ``codebook.yml``, ``codebook.xlsx`` or ``codebook.csv``
    (any letter case).

    Raises:
        StudyError: if the folder holds none of them, or more than one.
    """
    folder = Path(study_dir)
    if not folder.is_dir():
        raise StudyError(f"{folder}: no such folder; give the path of the study folder.")
    found = sorted(
        (item for item in folder.iterdir() if item.name.lower() in CODEBOOK_NAMES and item.is_file()),
        key=lambda item: (CODEBOOK_NAMES.index(item.name.lower()), item.name),
    )
    if not found:
        accepted = ", ".join(CODEBOOK_NAMES[:-1]) + f" or {CODEBOOK_NAMES[-1]}"
        raise StudyError(f"{folder}: no codebook found; put one file named {accepted} in the study folder.")
    if len(found) > 1:
        names = ", ".join(item.name for item in found)
        raise StudyError(
            f"{folder}: found {len(found)} codebooks ({names}); keep only one of them "
            "in the study folder and move or rename the others."
        )
    return found[0]
