"""The codebook: themes, the codes under each, and the keywords that suggest them.

A codebook is written by the analysts either as YAML::

    title: Digital peer support supervision standards
    source: Collins-Pisano et al., JMIR Human Factors 2023
    themes:
      - name: Education on technology competency
        definition: ...
        codes:
          - name: Video platform skills
            definition: ...
            include: ...
            exclude: ...
            example: "..."
            keywords: [screen sharing, breakout room]

or as a spreadsheet (``.xlsx`` or ``.csv``) with one row per code and the columns
``Theme, Code, Definition, Include, Exclude, Example, Keywords`` (keywords separated
by ``;``). A row with a Theme and no Code may carry the theme's definition.

Loading checks the codebook and raises :class:`~radar.errors.CodebookError` with the
file and the row or entry at fault.
"""

from __future__ import annotations

import csv
import difflib
import io
import os
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radar.columns import (
    CODE,
    CODEBOOK_COLUMNS,
    DEFINITION,
    EXAMPLE,
    EXCLUDE,
    INCLUDE,
    KEYWORDS,
    SHEET_CODEBOOK,
    THEME,
)
from radar.errors import CodebookError, StudyError

if TYPE_CHECKING:
    import pandas as pd

CODEBOOK_NAMES = ("codebook.yaml", "codebook.yml", "codebook.xlsx", "codebook.csv")
"""The file names :func:`find_codebook` accepts in a study folder, in order of preference."""

YAML_SUFFIXES = (".yaml", ".yml")
KEYWORD_SEPARATOR = ";"

_TOP_KEYS = ("title", "source", "themes")
_THEME_KEYS = ("name", "definition", "status", "codes")
_CODE_KEYS = ("name", "definition", "include", "exclude", "example", "keywords")
_TEXT_COLUMNS = (DEFINITION, INCLUDE, EXCLUDE, EXAMPLE)
_WORD = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True)
class Code:
    """One code: its name, the theme it belongs to, how to apply it, its keywords."""

    name: str
    theme: str
    definition: str = ""
    include: str = ""
    exclude: str = ""
    example: str = ""
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Theme:
    """One theme with its codes; ``status`` marks e.g. an ``emerging`` theme."""

    name: str
    definition: str = ""
    status: str = ""
    codes: tuple[Code, ...] = ()


@dataclass(frozen=True)
class Codebook:
    """The themes and codes of a study.

    ``path`` records where the codebook was loaded from and does not take part in
    comparisons, so the same codebook read from two files compares equal.

    Example:
        >>> book = Codebook(themes=(Theme("Feedback", codes=(
        ...     Code("Observation of calls", "Feedback", keywords=("shadowing",)),)),))
        >>> book.resolve("  observation OF calls ")
        'Observation of calls'
        >>> book.theme_of("Observation of calls")
        'Feedback'
    """

    themes: tuple[Theme, ...]
    title: str = ""
    source: str = ""
    path: Path | None = field(default=None, compare=False)

    @cached_property
    def codes(self) -> tuple[Code, ...]:
        """All codes, theme by theme in codebook order."""
        return tuple(code for theme in self.themes for code in theme.codes)

    @property
    def code_names(self) -> tuple[str, ...]:
        """The names of all codes in codebook order."""
        return tuple(code.name for code in self.codes)

    @cached_property
    def _by_name(self) -> dict[str, Code]:
        return {code.name: code for code in self.codes}

    @cached_property
    def _by_key(self) -> dict[str, str]:
        keys: dict[str, str] = {}
        for code in self.codes:
            keys.setdefault(name_key(code.name), code.name)
        return keys

    def code(self, name: str) -> Code:
        """The code with exactly this name.

        Raises:
            KeyError: if no code has this name.
        """
        try:
            return self._by_name[name]
        except KeyError:
            raise KeyError(f"no code named {name!r} in the codebook") from None

    def theme_of(self, code_name: str) -> str:
        """The name of the theme a code belongs to.

        Raises:
            KeyError: if no code has this name.
        """
        return self.code(code_name).theme

    def resolve(self, name: object) -> str | None:
        """The canonical code name a cell value stands for, or None if unknown.

        An exact match wins; otherwise case and whitespace are ignored, so
        ``" video  PLATFORM skills"`` resolves to ``"Video platform skills"``.
        """
        if not isinstance(name, str):
            return None
        if name in self._by_name:
            return name
        return self._by_key.get(name_key(name))

    def closest(self, name: str, n: int = 3) -> list[str]:
        """Up to ``n`` code names that look like ``name``, best first, for "did you mean"."""
        matches = difflib.get_close_matches(name_key(name), list(self._by_key), n=n)
        return [self._by_key[match] for match in matches]

    def __len__(self) -> int:
        return len(self.codes)

    def _repr_html_(self) -> str:
        """Themes with their codes, for Jupyter."""
        import html

        title = html.escape(self.title or (self.path.name if self.path else "Codebook"))
        rows = "".join(
            "<tr><td style='text-align:left'>{}</td><td>{}</td><td style='text-align:left'>{}</td></tr>".format(
                html.escape(theme.name + (" (emerging)" if theme.status == "emerging" else "")),
                len(theme.codes),
                html.escape(", ".join(code.name for code in theme.codes)),
            )
            for theme in self.themes
        )
        head = "<tr><th>Theme</th><th>Codes</th><th>Code names</th></tr>"
        summary = f"{len(self.themes)} themes, {len(self.codes)} codes"
        return f"<div><strong>{title}</strong> ({summary})<table>{head}{rows}</table></div>"

    def did_you_mean(self, name: str) -> str:
        """`` (did you mean 'X' or 'Y'?)`` for an unknown name, or "" when nothing is close."""
        hint = self.closest(name)
        return f" (did you mean {' or '.join(repr(h) for h in hint)}?)" if hint else ""

    def to_frame(self, *, theme_definitions: bool = False) -> pd.DataFrame:
        """The codebook in spreadsheet form, one row per code.

        Args:
            theme_definitions: also write, before each theme's codes, a row with the
                theme and its definition and no code (for themes with a definition
                or without codes), so that :func:`load_codebook` reads the themes back
                whole.

        Returns:
            A frame with the columns ``CODEBOOK_COLUMNS``; keywords joined with ``"; "``.
        """
        import pandas as pd

        rows: list[tuple[str, ...]] = []
        for theme in self.themes:
            if theme_definitions and (theme.definition or not theme.codes):
                rows.append((theme.name, "", theme.definition, "", "", "", ""))
            rows.extend(_code_row(code) for code in theme.codes)
        return pd.DataFrame(rows, columns=list(CODEBOOK_COLUMNS), dtype=object)


def _code_row(code: Code) -> tuple[str, ...]:
    keywords = f"{KEYWORD_SEPARATOR} ".join(code.keywords)
    return (
        code.theme,
        code.name,
        code.definition,
        code.include,
        code.exclude,
        code.example,
        keywords,
    )


def name_key(name: str) -> str:
    """The form of a name used to compare names regardless of case and spacing."""
    return " ".join(name.split()).casefold()


# --------------------------------------------------------------------------- loading


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
    """
    file = Path(path)
    if file.is_dir():
        raise CodebookError(f"{file}: is a folder; give the path of the codebook file inside it.")
    if not file.exists():
        raise CodebookError(f"{file}: no such file; check the path of the codebook.")
    suffix = file.suffix.lower()
    if suffix in YAML_SUFFIXES:
        return _load_yaml(file)
    if suffix == ".xlsx":
        return _from_rows(file, *_xlsx_rows(file))
    if suffix == ".csv":
        return _from_rows(file, _csv_rows(file), "")
    if suffix == ".qdc":
        from radar.refiqda import read_qdc

        return read_qdc(file)[0]
    raise CodebookError(_unsupported(file))


def _unsupported(file: Path) -> str:
    hint = "save it in one of those forms"
    if file.suffix.lower() in {".xls", ".xlsm", ".ods"}:
        hint = "open it in Excel and save it as an .xlsx workbook"
    return (
        f"{file}: radar reads codebooks from .yaml, .yml, .xlsx and .csv files, "
        f"not {file.suffix or 'files without a suffix'}; {hint}."
    )


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


# ---------------------------------------------------------------------------- YAML


def _load_yaml(file: Path) -> Codebook:
    data = _parse_yaml(file)
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise CodebookError(
            f"{file}: the top level must be a mapping with the keys title, source and themes."
        )
    _check_keys(file, "the top level", data, _TOP_KEYS)
    themes = data.get("themes")
    if not themes:
        raise CodebookError(
            f"{file}: has no themes; add a 'themes:' list, each theme with a name and its codes."
        )
    if not isinstance(themes, list):
        raise CodebookError(f"{file}: 'themes' must be a list, each item starting with '- name:'.")
    parsed = tuple(_yaml_theme(file, i, entry) for i, entry in enumerate(themes, start=1))
    _check_unique_themes(file, parsed)
    placed = [
        (code, _yaml_place(item, j, code.name))
        for item in parsed
        for j, code in enumerate(item[0].codes, start=1)
    ]
    _check_unique_codes(str(file), placed)
    return Codebook(
        themes=tuple(theme for theme, _ in parsed),
        title=_text(file, "title", data.get("title")),
        source=_text(file, "source", data.get("source")),
        path=file,
    )


def _parse_yaml(file: Path) -> Any:
    import yaml

    text = _read_text(file)
    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = error.problem or error.context or "syntax error"
        raise CodebookError(
            f"{file}: is not valid YAML{where}: {problem}. Check the indentation and quoting "
            "there (text containing ': ' or starting with a quote must be put in quotes)."
        ) from None
    except yaml.YAMLError as error:
        raise CodebookError(f"{file}: is not valid YAML: {error}.") from None


def _read_text(file: Path) -> str:
    try:
        data = file.read_bytes()
    except OSError as error:
        raise CodebookError(f"{file}: cannot be read ({error.strerror}).") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CodebookError(
            f"{file}: is not UTF-8 text (byte {error.start + 1}); save it with UTF-8 encoding "
            "(in Excel: 'CSV UTF-8 (Comma delimited)')."
        ) from None


_Parsed = tuple[Theme, int]


def _yaml_theme(file: Path, position: int, entry: Any) -> _Parsed:
    label = f"theme {position}"
    if not isinstance(entry, Mapping):
        raise CodebookError(
            f"{file}: {label} must be a mapping with a name and codes, e.g. '- name: Feedback'."
        )
    name = _text(file, f"{label} name", entry.get("name"))
    if not name:
        raise CodebookError(f"{file}: {label} has no name; add 'name:' to it.")
    label = f"theme {position} ({name!r})"
    _check_keys(file, label, entry, _THEME_KEYS)
    codes = entry.get("codes") or []
    if not isinstance(codes, list):
        raise CodebookError(f"{file}: {label}: 'codes' must be a list, each item starting with '- name:'.")
    theme = Theme(
        name=name,
        definition=_text(file, f"{label} definition", entry.get("definition")),
        status=_text(file, f"{label} status", entry.get("status")),
        codes=tuple(_yaml_code(file, label, name, j, item) for j, item in enumerate(codes, start=1)),
    )
    return theme, position


def _yaml_code(file: Path, theme_label: str, theme: str, position: int, entry: Any) -> Code:
    label = f"{theme_label}, code {position}"
    if isinstance(entry, str):
        entry = {"name": entry}
    if not isinstance(entry, Mapping):
        raise CodebookError(f"{file}: {label} must be a mapping with a name, e.g. '- name: Burnout'.")
    name = _text(file, f"{label} name", entry.get("name"))
    if not name:
        raise CodebookError(f"{file}: {label} has no name; add 'name:' to it or delete the entry.")
    label = f"{label} ({name!r})"
    _check_keys(file, label, entry, _CODE_KEYS)
    return Code(
        name=name,
        theme=theme,
        definition=_text(file, f"{label} definition", entry.get("definition")),
        include=_text(file, f"{label} include", entry.get("include")),
        exclude=_text(file, f"{label} exclude", entry.get("exclude")),
        example=_text(file, f"{label} example", entry.get("example")),
        keywords=_yaml_keywords(file, label, entry.get("keywords")),
    )


def _yaml_keywords(file: Path, label: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return split_keywords(value)
    if not isinstance(value, list):
        raise CodebookError(
            f"{file}: {label}: keywords must be a list, e.g. 'keywords: [burnout, self-care]'."
        )
    return _unique_keywords(_text(file, f"{label} keyword", item) for item in value)


def _text(file: Path, label: str, value: Any) -> str:
    """A YAML scalar as stripped text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise CodebookError(
            f"{file}: {label} reads as {str(value).lower()} (a yes/no value); put it in quotes."
        )
    if isinstance(value, (str, int, float)):
        return str(value).strip()
    raise CodebookError(f"{file}: {label} must be text, not a {type(value).__name__}.")


def _check_keys(file: Path, label: str, entry: Mapping[Any, Any], allowed: Sequence[str]) -> None:
    for key in entry:
        if key not in allowed:
            guess = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f"did you mean {guess[0]!r}? " if guess else ""
            raise CodebookError(
                f"{file}: {label} has an unknown key {key!r}; {hint}"
                f"the keys radar reads there are {', '.join(allowed)}."
            )


def _yaml_place(parsed: _Parsed, position: int, name: str) -> str:
    theme, theme_position = parsed
    return f"theme {theme_position} ({theme.name!r}), code {position} ({name!r})"


def _check_unique_themes(file: Path, parsed: Sequence[_Parsed]) -> None:
    seen: dict[str, _Parsed] = {}
    for theme, position in parsed:
        first = seen.setdefault(name_key(theme.name), (theme, position))
        if first[1] != position:
            raise CodebookError(
                f"{file}: theme {first[1]} ({first[0].name!r}) and theme {position} "
                f"({theme.name!r}) have the same name; merge their codes under one theme."
            )


def _check_unique_codes(where: str, placed: Iterable[tuple[Code, str]]) -> None:
    """Raise if two codes share a name regardless of case and spacing."""
    seen: dict[str, str] = {}
    for code, place in placed:
        first = seen.setdefault(name_key(code.name), place)
        if first != place:
            raise CodebookError(
                f"{where}: {first} and {place} have the same code name (ignoring case); "
                "code names must be unique across the codebook: rename or merge one of them."
            )


# --------------------------------------------------------------------- spreadsheets


@dataclass(frozen=True)
class _Row:
    number: int
    cells: dict[str, str]


def _xlsx_rows(file: Path) -> tuple[list[tuple[int, list[str]]], str]:
    """The rows of the workbook's Codebook sheet (else its first sheet), and where."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(file, data_only=True)
    except (BadZipFile, InvalidFileException, OSError, KeyError, ValueError) as error:
        raise CodebookError(
            f"{file}: cannot be opened as an Excel workbook ({error}); save it again from Excel as .xlsx."
        ) from None
    try:
        sheet = _codebook_sheet(workbook)
        rows = [
            (cells[0].row, [_cell_text(cell.value) for cell in cells])
            for cells in sheet.iter_rows(min_row=1, min_col=1)
        ]
        return rows, f"sheet {sheet.title!r}"
    finally:
        workbook.close()


def _codebook_sheet(workbook: Any) -> Any:
    for sheet in workbook.worksheets:
        if sheet.title.strip().lower() == SHEET_CODEBOOK.lower():
            return sheet
    return workbook.worksheets[0]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_rows(file: Path) -> list[tuple[int, list[str]]]:
    text = _read_text(file)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=lambda sep: _known_headers(first_line.split(sep)))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [(i, [cell.strip() for cell in row]) for i, row in enumerate(reader, start=1)]
    except csv.Error as error:
        raise CodebookError(f"{file}: is not a readable CSV file ({error}).") from None


def _known_headers(cells: Iterable[str]) -> int:
    expected = {column.lower() for column in CODEBOOK_COLUMNS}
    return sum(cell.strip().strip('"').lower() in expected for cell in cells)


def _from_rows(file: Path, rows: list[tuple[int, list[str]]], sheet: str) -> Codebook:
    where = f"{file}" + (f", {sheet}" if sheet else "")
    body = [(number, cells) for number, cells in rows if any(cells)]
    if not body:
        raise CodebookError(
            f"{where}: is empty; the first row must hold the columns {', '.join(CODEBOOK_COLUMNS)}."
        )
    (header_number, header), *records = body
    columns = _header_columns(where, header_number, header)
    parsed = [_Row(number, _cells(columns, cells)) for number, cells in records]
    return _build(file, where, [row for row in parsed if any(row.cells.values())])


def _header_columns(where: str, number: int, header: list[str]) -> dict[str, int]:
    wanted = {column.lower(): column for column in CODEBOOK_COLUMNS}
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        column = wanted.get(cell.strip().lower())
        if column is None:
            continue
        if column in columns:
            raise CodebookError(
                f"{where}, row {number}: the column {column!r} appears twice in the header; "
                "delete or rename one of them."
            )
        columns[column] = index
    for column in CODEBOOK_COLUMNS:
        if column not in columns:
            raise CodebookError(
                f"{where}, row {number}: the header has no {column!r} column; a codebook sheet "
                f"needs the columns {', '.join(CODEBOOK_COLUMNS)} (cells may be empty), "
                "with the header in its first row."
            )
    return columns


def _cells(columns: Mapping[str, int], cells: Sequence[str]) -> dict[str, str]:
    return {name: cells[i] if i < len(cells) else "" for name, i in columns.items()}


class _ThemeDraft:
    """A theme being assembled from spreadsheet rows."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.definition = ""
        self.definition_row = 0
        self.codes: list[Code] = []

    def theme(self) -> Theme:
        return Theme(name=self.name, definition=self.definition, codes=tuple(self.codes))


def _build(file: Path, where: str, rows: Sequence[_Row]) -> Codebook:
    drafts: dict[str, _ThemeDraft] = {}
    placed: list[tuple[Code, str]] = []
    for row in rows:
        theme_name, code_name = row.cells[THEME], row.cells[CODE]
        _check_row(where, row)
        draft = drafts.setdefault(name_key(theme_name), _ThemeDraft(theme_name))
        if not code_name:
            _set_theme_definition(where, draft, row)
            continue
        code = _row_code(draft.name, row.cells)
        draft.codes.append(code)
        placed.append((code, f"row {row.number} ({code_name!r})"))
    if not drafts:
        raise CodebookError(f"{where}: has no themes; add one row per code below the header.")
    _check_unique_codes(where, placed)
    themes = tuple(draft.theme() for draft in drafts.values())
    return Codebook(themes=themes, path=file)


def _check_row(where: str, row: _Row) -> None:
    cells = row.cells
    if cells[CODE] and not cells[THEME]:
        raise CodebookError(
            f"{where}, row {row.number}: the code {cells[CODE]!r} has no theme; fill in its Theme "
            "cell (radar does not carry a theme down from the rows above, so unmerge merged "
            "cells and fill in every row)."
        )
    details = [column for column in (INCLUDE, EXCLUDE, EXAMPLE, KEYWORDS) if cells[column]]
    if not cells[CODE] and (details or not cells[THEME]):
        filled = ", ".join(details or [column for column in _TEXT_COLUMNS if cells[column]])
        raise CodebookError(
            f"{where}, row {row.number}: has {filled} but an empty Code cell; fill in the code's "
            "name (a row with only a Theme and a Definition defines the theme)."
        )


def _set_theme_definition(where: str, draft: _ThemeDraft, row: _Row) -> None:
    definition = row.cells[DEFINITION]
    if not definition:
        return
    if draft.definition and draft.definition != definition:
        raise CodebookError(
            f"{where}, rows {draft.definition_row} and {row.number}: the theme {draft.name!r} "
            "has two different definitions; keep one of them."
        )
    draft.definition, draft.definition_row = definition, row.number


def _row_code(theme: str, cells: Mapping[str, str]) -> Code:
    return Code(
        name=cells[CODE],
        theme=theme,
        definition=cells[DEFINITION],
        include=cells[INCLUDE],
        exclude=cells[EXCLUDE],
        example=cells[EXAMPLE],
        keywords=split_keywords(cells[KEYWORDS]),
    )


def split_keywords(cell: str) -> tuple[str, ...]:
    """The keywords in a ``;``-separated cell, stripped, empty ones and repeats dropped.

    Example:
        >>> split_keywords("screen sharing; Breakout room;; screen sharing ")
        ('screen sharing', 'Breakout room')
    """
    return _unique_keywords(cell.split(KEYWORD_SEPARATOR))


def _unique_keywords(keywords: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for keyword in keywords:
        text = " ".join(keyword.split())
        if text:
            seen.setdefault(text.casefold(), text)
    return tuple(seen.values())


# ------------------------------------------------------------------------ reporting


def codebook_warnings(codebook: Codebook) -> list[str]:
    """What in a codebook is legal but probably a mistake.

    Themes without codes, codes without keywords (radar never suggests them), and
    keywords that would suggest two codes at once: the same keyword under two codes,
    or one code's keyword inside another code's keyword phrase.
    """
    found = [f"theme {t.name!r} has no codes." for t in codebook.themes if not t.codes]
    found += [
        f"code {c.name!r} has no keywords, so radar will never suggest it."
        for c in codebook.codes
        if not c.keywords
    ]
    return found + _keyword_warnings(codebook.codes)


def _keyword_warnings(codes: Sequence[Code]) -> list[str]:
    owners: dict[tuple[str, ...], list[tuple[str, str]]] = {}
    for code in codes:
        for keyword in code.keywords:
            owners.setdefault(keyword_words(keyword), []).append((code.name, keyword))
    found = []
    for words, holders in owners.items():
        names = list(dict.fromkeys(name for name, _ in holders))
        if len(names) > 1:
            listed = " and ".join(repr(name) for name in names)
            found.append(
                f"keyword {holders[0][1]!r} belongs to codes {listed}: a segment containing it "
                "is suggested for all of them."
            )
        found += _inside_warnings(words, holders[0], owners)
    return found


def _inside_warnings(
    words: tuple[str, ...],
    holder: tuple[str, str],
    owners: Mapping[tuple[str, ...], list[tuple[str, str]]],
) -> list[str]:
    found = []
    for other, others in owners.items():
        if other == words or not _contains(other, words):
            continue
        for name, keyword in others:
            if name != holder[0]:
                found.append(
                    f"keyword {holder[1]!r} of code {holder[0]!r} is part of keyword {keyword!r} "
                    f"of code {name!r}: a segment containing {keyword!r} is suggested for both."
                )
    return found


def keyword_words(keyword: str) -> tuple[str, ...]:
    """A keyword's words and punctuation marks, lowercased, as a tokeniser splits them.

    Example:
        >>> keyword_words("Two-factor  authentication")
        ('two', '-', 'factor', 'authentication')
    """
    return tuple(_WORD.findall(keyword.casefold()))


def _contains(phrase: Sequence[str], part: Sequence[str]) -> bool:
    size = len(part)
    return any(tuple(phrase[i : i + size]) == tuple(part) for i in range(len(phrase) - size + 1))


def describe_codebook(codebook: Codebook) -> str:
    """A multi-line summary of a codebook and its warnings, as ``radar codebook check`` shows it."""
    codes = codebook.codes
    keywords = sum(len(code.keywords) for code in codes)
    lines = []
    if codebook.title:
        lines.append(codebook.title)
    if codebook.path is not None:
        lines.append(f"File: {codebook.path}")
    lines.append(
        f"{_count(len(codebook.themes), 'theme')}, {_count(len(codes), 'code')}, "
        f"{_count(keywords, 'keyword')}"
    )
    for theme in codebook.themes:
        status = f" ({theme.status})" if theme.status else ""
        lines.append(f"  {theme.name}{status}: {_count(len(theme.codes), 'code')}")
    found = codebook_warnings(codebook)
    if found:
        lines.append(f"{_count(len(found), 'warning')}:")
        lines += [f"  - {warning}" for warning in found]
    else:
        lines.append("No warnings.")
    return "\n".join(lines)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


# Renaming a code in its file -------------------------------------------------


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

    text = _read_text(file)
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
    text = _read_text(file)
    dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    rows = list(csv.reader(io.StringIO(text), dialect))
    header = [h.strip().lower() for h in rows[0]]
    column = header.index("code")
    for row in rows[1:]:
        if column < len(row) and name_key(row[column]) == name_key(old):
            row[column] = new
    out = io.StringIO()
    csv.writer(out, dialect, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def _renamed_xlsx(file: Path, old: str, new: str) -> bytes:
    from openpyxl import load_workbook

    workbook = load_workbook(file)
    sheet = workbook["Codebook"] if "Codebook" in workbook.sheetnames else workbook.worksheets[0]
    header = [str(c.value or "").strip().lower() for c in sheet[1]]
    column = header.index("code") + 1
    for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
        if isinstance(cell.value, str) and name_key(cell.value) == name_key(old):
            cell.value = new
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _check_renamed(file: Path, data: bytes, before: Codebook, old: str, new: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        probe = Path(folder) / file.name
        probe.write_bytes(data)
        after = load_codebook(probe)
    expected = [new if name == old else name for name in before.code_names]
    if list(after.code_names) != expected:
        raise CodebookError(
            f"{file.name}: renaming {old!r} would change more than that code; rename it by hand"
        )


# Codebooks shipped with radar --------------------------------------------------


def shipped_codebooks_dir() -> Path:
    """Where radar's ready-made codebooks are: inside the installed package, or in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "codebooks", here.parent / "codebooks"):
        if candidate.is_dir():
            return candidate
    raise CodebookError("radar's shipped codebooks are missing from this installation; reinstall radar-qda")


def shipped_codebooks() -> dict[str, Path]:
    """The ready-made codebooks by name (the file stem), sorted."""
    folder = shipped_codebooks_dir()
    return {path.stem: path for path in sorted(folder.glob("*.yaml"))}


def shipped_codebook(name: str) -> Path:
    """The path of a shipped codebook, or an error listing the names."""
    books = shipped_codebooks()
    if name in books:
        return books[name]
    close = [n for n in books if name.lower() in n.lower()] or difflib.get_close_matches(
        name, list(books), n=1, cutoff=0.4
    )
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise CodebookError(
        f"no shipped codebook {name!r}{hint}; `radar codebook list` shows them: {', '.join(books)}"
    )


def list_shipped_codebooks() -> pd.DataFrame:
    """Name, title, themes, codes and source of each shipped codebook."""
    import pandas as pd

    rows = []
    for name, path in shipped_codebooks().items():
        book = load_codebook(path)
        source = " ".join(book.source.split())
        cited = source if len(source) <= 60 else source[:59].rstrip() + "…"
        rows.append((name, book.title, len(book.themes), len(book.codes), cited))
    return pd.DataFrame(rows, columns=["name", "title", "themes", "codes", "source"])
