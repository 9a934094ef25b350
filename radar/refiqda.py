"""REFI-QDA exchange: codebooks (``.qdc``) and projects (``.qdpx``) with other QDA tools.

REFI-QDA (www.qdasoftware.org) is the exchange format of NVivo, ATLAS.ti, MAXQDA,
QualCoder, Taguette and others.

**Codebooks.** radar's themes become parent codes (``isCodable="false"``, shown as
categories or folders), its codes their children. A code's definition, include,
exclude, example and keywords travel in its ``Description`` as labelled lines that
read well in any tool and parse back exactly::

    Definition: Operating the features of a video-meeting platform during a call.
    Include: Sharing a screen, moving people between breakout rooms.
    Exclude: Choosing which platform an agency may use.
    Example: Nobody showed me how to do screen sharing.
    Keywords: screen sharing; breakout room; mute button

A description without these labels is read whole as the definition. Continuation
lines of a multi-line value are indented by two spaces. A theme's description holds
``Definition:`` and ``Status:``. The codebook's title and source, which REFI-QDA
has no place for, ride in an XML comment other tools ignore. GUIDs are derived
from names (UUID 5), so the same codebook always gives the same file.

Reading accepts what real exporters write: elements are matched by local name
whatever their namespace (NVivo's ``codebook:1:0``), GUIDs with or without braces
and in any case, ATLAS.ti code groups (``<Sets><Set><MemberCode guid=…/>``) as
themes, codes without a parent or group under the theme ``Ungrouped codes``, and
hierarchies deeper than theme → code (MAXQDA) flattened into the top theme, with a
note saying so.

**Projects.** :func:`export_qdpx` writes a study's transcripts as plain-text sources,
one line per turn (``[00:01:02] P07: text``, pseudonyms only), each coded segment as a
selection with one coding per code, speakers as cases, memos as notes.
:func:`import_qdpx` builds a study from another tool's project; see its docstring.

Example:
    >>> notes = convert_codebook("codebook.yaml", "codebook.qdc")  # doctest: +SKIP
    >>> book, notes = read_qdc("from-nvivo.qdc")  # doctest: +SKIP
"""

from __future__ import annotations

import bisect
import csv
import io
import json
import os
import re
import tempfile
import uuid
import warnings
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from radar import __version__
from radar import columns as C
from radar.codebook import (
    CODEBOOK_NAMES,
    YAML_SUFFIXES,
    Code,
    Codebook,
    Theme,
    load_codebook,
    name_key,
    split_keywords,
)
from radar.config import CONFIG_NAME
from radar.errors import CodebookError, RefiError, TranscriptError
from radar.excel import Sheet, write_workbook
from radar.files import file_hash, now_utc, write_atomic, write_bytes_atomic, write_text_atomic
from radar.folder import RECORDS_DIR, SPEAKERS_NAME, TABLES_NAME, TRANSCRIPTS_DIR, Folder, init_study
from radar.reduction.history import append_audit, read_audit
from radar.reduction.readback import tables_from_workbook
from radar.reduction.run import reduce_study
from radar.speakers import default_role, normalise_label, read_speakers
from radar.transcripts import read_transcript

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CODEBOOK_NAMESPACE",
    "PROJECT_NAMESPACE",
    "UNGROUPED_THEME",
    "ImportReport",
    "RefiError",
    "code_description",
    "codebook_yaml",
    "convert_codebook",
    "export_qdpx",
    "import_qdpx",
    "parse_description",
    "parse_qdc",
    "qdc_bytes",
    "qdpx_bytes",
    "read_codebook",
    "read_qdc",
    "stable_guid",
    "theme_description",
    "write_codebook",
    "write_qdc",
]

CODEBOOK_NAMESPACE = "urn:QDA-XML:codebook:1.0"
PROJECT_NAMESPACE = "urn:QDA-XML:project:1.0"
ORIGIN = f"radar {__version__}"
RADAR_GUIDS = uuid.UUID("0972c538-4de8-5264-9132-93f4acaf46ef")
"""The UUID-5 namespace of every GUID radar writes."""

UNGROUPED_THEME = "Ungrouped codes"
"""The theme of codes that have neither a parent code nor a code group."""
UNKNOWN_SPEAKER = "Unknown"
"""The speaker label given to imported text that has no speaker labels."""
ROLE_VARIABLE = "Role"
CODEBOOK_SUFFIXES = (*YAML_SUFFIXES, ".xlsx", ".csv", ".qdc")
PALETTE = (
    "#4E79A7", "#F28E2B", "#E15759", "#76B7B2", "#59A14F", "#EDC948",
    "#B07AA1", "#FF9DA7", "#9C755F", "#BAB0AC", "#1F77B4", "#2CA02C",
)  # fmt: skip
EPOCH = "1970-01-01T00:00:00Z"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_META = "radar codebook "
_INDENT = "  "
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_PSEUDONYM = re.compile(r"[A-Za-z]{1,3}-?\d{1,4}")
_FILE_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
_SOURCE_SUFFIXES = (".txt", ".docx", ".doc", ".rtf", ".odt", ".pdf", ".html", ".htm", ".md")
_IMPORT_PREFIX = ".radar-import-"


def stable_guid(*parts: str) -> str:
    """A GUID that depends only on ``parts``, so every export gives the same GUIDs.

    Example:
        >>> stable_guid("code", "Burnout") == stable_guid("code", "Burnout")
        True
    """
    return str(uuid.uuid5(RADAR_GUIDS, "\x1f".join(parts)))


def _guid_key(value: str | None) -> str:
    """A GUID as compared: braces and surrounding space dropped, lower case."""
    return (value or "").strip().strip("{}").strip().lower()


def _theme_guid(name: str) -> str:
    return stable_guid("theme", name)


def _code_guid(name: str) -> str:
    return stable_guid("code", name)


# Descriptions ------------------------------------------------------------------

_LABELS = {
    "definition": "definition",
    "description": "definition",
    "include": "include",
    "inclusion": "include",
    "inclusion criteria": "include",
    "exclude": "exclude",
    "exclusion": "exclude",
    "exclusion criteria": "exclude",
    "example": "example",
    "examples": "example",
    "keywords": "keywords",
    "keyword": "keywords",
    "status": "status",
}
CODE_FIELDS = frozenset({"definition", "include", "exclude", "example", "keywords"})
THEME_FIELDS = frozenset({"definition", "status"})
_LABEL_LINE = re.compile(r"^(?P<label>[A-Za-z][A-Za-z ]{2,20}?) ?: ?(?P<rest>.*)$")


def code_description(code: Code) -> str:
    """A code's definition, include, exclude, example and keywords as labelled lines.

    Example:
        >>> print(code_description(Code("Burnout", "Self-care", definition="Running on empty.",
        ...                              keywords=("burnout", "exhausted"))))
        Definition: Running on empty.
        Keywords: burnout; exhausted
    """
    lines = [
        _labelled(label, value)
        for label, value in (
            ("Definition", code.definition),
            ("Include", code.include),
            ("Exclude", code.exclude),
            ("Example", code.example),
        )
        if value
    ]
    if code.keywords:
        lines.append(_labelled("Keywords", "; ".join(code.keywords)))
    return "\n".join(lines)


def theme_description(theme: Theme) -> str:
    """A theme's definition and status as labelled lines."""
    pairs = (("Definition", theme.definition), ("Status", theme.status))
    return "\n".join(_labelled(label, value) for label, value in pairs if value)


def _labelled(label: str, value: str) -> str:
    first, *rest = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join([f"{label}: {first}", *(_INDENT + line for line in rest)])


def parse_description(text: str, fields: frozenset[str] = CODE_FIELDS) -> dict[str, str]:
    """The labelled values of a description; unlabelled text is the definition.

    Args:
        text: a ``Description`` as another tool (or radar) wrote it.
        fields: the labels to recognise: :data:`CODE_FIELDS` or :data:`THEME_FIELDS`.
            Synonyms are accepted (``Inclusion criteria:``, ``Examples:``...).

    Returns:
        The values by field name (``definition``, ``include``...), stripped; only
        fields that are present.

    Example:
        >>> parse_description("Talk about rest.\\nKeywords: sleep; rest")
        {'keywords': 'sleep; rest', 'definition': 'Talk about rest.'}
    """
    found: dict[str, list[str]] = {}
    lead: list[str] = []
    current: list[str] | None = None
    for line in _LINE_BREAK.split(text):
        match = _LABEL_LINE.match(line)
        key = _LABELS.get(" ".join(match["label"].split()).lower()) if match else None
        if match and key in fields:
            current = found.setdefault(key, [])
            if current:
                current.append("")
            current.append(match["rest"])
        elif current is None:
            lead.append(line)
        else:
            current.append(line.removeprefix(_INDENT))
    values = {key: "\n".join(lines).strip() for key, lines in found.items()}
    preamble = "\n".join(lead).strip()
    if preamble:
        values["definition"] = "\n\n".join(v for v in (preamble, values.get("definition", "")) if v)
    return {key: value for key, value in values.items() if value}


# XML helpers -------------------------------------------------------------------


def _local(tag: object) -> str:
    """An element's name without its namespace ('' for comments)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _kids(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element if _local(child.tag) == name]


def _kid(element: ET.Element, name: str) -> ET.Element | None:
    return next((child for child in element if _local(child.tag) == name), None)


def _inner_text(element: ET.Element | None) -> str:
    return "" if element is None else "".join(element.itertext())


def _clean(text: object) -> str:
    """Text XML 1.0 can carry: control characters and lone surrogates removed."""
    return _XML_ILLEGAL.sub("", "" if text is None else str(text))


def _sub(parent: ET.Element, tag: str, attributes: Mapping[str, str] | None = None) -> ET.Element:
    return ET.SubElement(parent, tag, {key: _clean(value) for key, value in (attributes or {}).items()})


def _text_child(parent: ET.Element, tag: str, text: str) -> None:
    if text:
        _sub(parent, tag).text = _clean(text)


def _xml_bytes(root: ET.Element) -> bytes:
    ET.indent(root, space="  ")
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def _parse_xml(data: bytes, where: str, kind: str) -> ET.Element:
    """Parse XML, keeping comments; one clear error when it is not XML."""
    if data.startswith(b"PK\x03\x04"):
        raise RefiError(
            f"{where}: is a zip file (a .qdpx project?), not a {kind}; give the {kind} itself, "
            "or use `radar import qdpx` for a project"
        )
    parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True))
    try:
        parser.feed(data)
        return parser.close()
    except ET.ParseError as err:
        raise RefiError(
            f"{where}: is not XML ({err}); it is not a {kind}: export it again from the program that made it"
        ) from None


def _read_bytes(file: Path) -> bytes:
    if file.is_dir():
        raise RefiError(f"{file}: is a folder; give the path of the file")
    try:
        return file.read_bytes()
    except FileNotFoundError:
        raise RefiError(f"{file}: no such file; check the path") from None
    except OSError as err:
        raise RefiError(f"{file}: cannot be read ({err.strerror}); check the file") from None


# Codebook to XML ---------------------------------------------------------------


def _codes_element(codebook: Codebook) -> ET.Element:
    """``<Codes>``: each theme a non-codable parent code with its codes as children."""
    codes = ET.Element("Codes")
    for index, theme in enumerate(codebook.themes):
        color = PALETTE[index % len(PALETTE)]
        parent = _sub(
            codes,
            "Code",
            {
                "guid": _theme_guid(theme.name),
                "name": theme.name,
                "isCodable": "false",
                "color": color,
            },
        )
        _text_child(parent, "Description", theme_description(theme))
        for code in theme.codes:
            child = _sub(
                parent,
                "Code",
                {
                    "guid": _code_guid(code.name),
                    "name": code.name,
                    "isCodable": "true",
                    "color": color,
                },
            )
            _text_child(child, "Description", code_description(code))
    return codes


def _meta_comment(codebook: Codebook) -> Any:
    """The title and source as a comment; JSON with ``-`` escaped, so never ``--``."""
    meta = {key: value for key, value in (("title", codebook.title), ("source", codebook.source)) if value}
    if not meta:
        return None
    text = json.dumps(meta, ensure_ascii=False).replace("-", "\\u002d")
    return ET.Comment(f" {_META}{_clean(text)} ")


def _read_meta(element: ET.Element) -> dict[str, str]:
    for child in element:
        is_comment = child.tag is ET.Comment  # type: ignore[comparison-overlap]
        if is_comment and (child.text or "").strip().startswith(_META):
            try:
                data = json.loads((child.text or "").strip()[len(_META) :])
            except json.JSONDecodeError:
                return {}
            if isinstance(data, dict):
                return {key: str(data.get(key, "")) for key in ("title", "source")}
    return {}


def qdc_bytes(codebook: Codebook) -> bytes:
    """The codebook as a REFI-QDA ``.qdc`` file; the same codebook gives the same bytes."""
    root = ET.Element("CodeBook", {"xmlns": CODEBOOK_NAMESPACE, "origin": ORIGIN})
    meta = _meta_comment(codebook)
    if meta is not None:
        root.append(meta)
    root.append(_codes_element(codebook))
    return _xml_bytes(root)


def write_qdc(codebook: Codebook, path: str | os.PathLike[str]) -> Path:
    """Write a codebook as a REFI-QDA ``.qdc`` file (atomically); returns the path."""
    return write_bytes_atomic(Path(path), qdc_bytes(codebook))


# XML to codebook ---------------------------------------------------------------


@dataclass
class _Node:
    guid: str
    name: str
    codable: bool
    description: str
    children: list[_Node]


def _nodes(parent: ET.Element) -> list[_Node]:
    return [
        _Node(
            _guid_key(element.get("guid")),
            " ".join((element.get("name") or "").split()),
            (element.get("isCodable") or "true").strip().lower() not in ("false", "0"),
            _inner_text(_kid(element, "Description")),
            _nodes(element),
        )
        for element in _kids(parent, "Code")
    ]


@dataclass
class _Draft:
    name: str
    definition: str = ""
    status: str = ""
    codes: list[Code] = field(default_factory=list)


@dataclass(frozen=True)
class _Book:
    """A codebook read from XML, the notes on what was changed, and where each GUID went."""

    codebook: Codebook
    notes: tuple[str, ...]
    targets: Mapping[str, tuple[str, str]]  # GUID key -> ("theme" | "code", name)


class _Names:
    """Unique theme and code names (ignoring case and spacing), with a note per rename."""

    def __init__(self, where: str, notes: list[str]) -> None:
        self.where, self.notes = where, notes
        self.themes: set[str] = set()
        self.codes: set[str] = set()

    def theme(self, name: str) -> str:
        base = name or "Unnamed theme"
        chosen = self._first_free(self.themes, [base])
        if chosen != name:
            why = "it had no name" if not name else "radar needs theme names that differ (ignoring case)"
            self.notes.append(f"{self.where}: the parent code or group {name!r} was named {chosen!r}: {why}")
        return chosen

    def code(self, name: str, ancestors: Sequence[str], theme: str) -> str:
        base = (name or "Unnamed code").replace(";", ",")
        candidates = [base]
        if ancestors:
            candidates.append(" / ".join([*ancestors, base]))
        candidates.append(f"{theme} / {base}")
        chosen = self._first_free(self.codes, candidates)
        if chosen != name:
            if not name:
                why = "it had no name"
            elif chosen == base:
                why = "radar separates the codes in a cell with ';'"
            else:
                why = "radar needs code names that differ (ignoring case) across the codebook"
            self.notes.append(f"{self.where}: the code {name!r} under {theme!r} was named {chosen!r}: {why}")
        return chosen

    @staticmethod
    def _first_free(used: set[str], candidates: Sequence[str]) -> str:
        for candidate in candidates:
            if name_key(candidate) not in used:
                used.add(name_key(candidate))
                return candidate
        number = 2
        while name_key(f"{candidates[0]} ({number})") in used:
            number += 1
        chosen = f"{candidates[0]} ({number})"
        used.add(name_key(chosen))
        return chosen


def _code(name: str, theme: str, description: str) -> Code:
    values = parse_description(description, CODE_FIELDS)
    return Code(
        name=name,
        theme=theme,
        definition=values.get("definition", ""),
        include=values.get("include", ""),
        exclude=values.get("exclude", ""),
        example=values.get("example", ""),
        keywords=split_keywords(values.get("keywords", "")),
    )


def _draft(name: str, description: str) -> _Draft:
    values = parse_description(description, THEME_FIELDS)
    return _Draft(name, values.get("definition", ""), values.get("status", ""))


def _build_codebook(
    codes: ET.Element | None, sets: Sequence[ET.Element], where: str, *, empty_ok: bool = False
) -> _Book:
    """Themes and codes from a ``<Codes>`` element and code groups (``<Set>``)."""
    notes: list[str] = []
    names = _Names(where, notes)
    targets: dict[str, tuple[str, str]] = {}
    drafts: list[_Draft] = []
    tops = _nodes(codes) if codes is not None else []
    loose = [node for node in tops if node.codable and not node.children]
    for node in tops:
        if node.codable and not node.children:
            continue
        draft = _draft(names.theme(node.name), node.description)
        drafts.append(draft)
        targets[node.guid] = ("theme", draft.name)
        deep: list[str] = []
        for child in node.children:
            _flatten(child, [], draft, names, targets, deep)
        if deep:
            notes.append(
                f"{where}: {len(deep)} code(s) nested deeper than theme → code were flattened into "
                f"codes of the theme {draft.name!r}: {'; '.join(deep)}"
            )
    grouped = _group_loose(loose, sets, names, drafts, where, notes)
    ungrouped = [node for node in loose if node.guid not in grouped]
    if ungrouped:
        home = _Draft(names.theme(UNGROUPED_THEME))
        drafts.append(home)
        grouped.update((node.guid, home) for node in ungrouped)
        notes.append(
            f"{where}: {len(ungrouped)} code(s) without a parent code or code group were put under "
            f"the theme {home.name!r}; move them into themes in the codebook"
        )
    for node in loose:
        draft = grouped[node.guid]
        name = names.code(node.name, [], draft.name)
        draft.codes.append(_code(name, draft.name, node.description))
        targets[node.guid] = ("code", name)
    if not drafts:
        if not empty_ok:
            raise RefiError(f"{where}: holds no codes; a codebook needs at least one code")
        drafts.append(_Draft(names.theme(UNGROUPED_THEME)))
    themes = tuple(Theme(d.name, d.definition, d.status, tuple(d.codes)) for d in drafts)
    return _Book(Codebook(themes=themes), tuple(notes), targets)


def _flatten(
    node: _Node,
    ancestors: list[str],
    draft: _Draft,
    names: _Names,
    targets: dict[str, tuple[str, str]],
    deep: list[str],
) -> None:
    """A code below a theme, and its descendants, as codes of that theme."""
    if ancestors:
        deep.append(" > ".join([draft.name, *ancestors, node.name]))
    if node.codable or not node.children:
        name = names.code(node.name, ancestors, draft.name)
        draft.codes.append(_code(name, draft.name, node.description))
        targets[node.guid] = ("code", name)
    else:
        targets[node.guid] = ("theme", draft.name)
    for child in node.children:
        _flatten(child, [*ancestors, node.name], draft, names, targets, deep)


def _group_loose(
    loose: Sequence[_Node],
    sets: Sequence[ET.Element],
    names: _Names,
    drafts: list[_Draft],
    where: str,
    notes: list[str],
) -> dict[str, _Draft]:
    """ATLAS.ti code groups: a set of parentless codes becomes a theme."""
    loose_keys = {node.guid for node in loose}
    grouped: dict[str, _Draft] = {}
    made: list[str] = []
    for element in sets:
        members = [
            _guid_key(member.get("guid") or member.get("targetGUID"))
            for member in _kids(element, "MemberCode")
        ]
        name = " ".join((element.get("name") or "").split())
        if not members:
            continue
        mine = [guid for guid in members if guid in loose_keys]
        if not mine:
            notes.append(
                f"{where}: the code group {name!r} holds only codes that already sit under a "
                "parent code; it was not made a theme"
            )
            continue
        draft = _draft(names.theme(name), _inner_text(_kid(element, "Description")))
        drafts.append(draft)
        made.append(draft.name)
        for guid in mine:
            if guid in grouped:
                notes.append(
                    f"{where}: a code is in the groups {grouped[guid].name!r} and {draft.name!r}; "
                    f"radar keeps it under {grouped[guid].name!r} only"
                )
            else:
                grouped[guid] = draft
    if made:
        notes.append(f"{where}: code groups became themes: {', '.join(made)}")
    return grouped


def parse_qdc(data: bytes, name: str = "codebook.qdc") -> tuple[Codebook, list[str]]:
    """A codebook from the bytes of a ``.qdc`` file; see :func:`read_qdc`."""
    root = _parse_xml(data, name, "REFI-QDA codebook (.qdc)")
    if _local(root.tag) != "CodeBook":
        hint = (
            "; this is a project file: import the .qdpx with `radar import qdpx`"
            if _local(root.tag) == "Project"
            else ""
        )
        raise RefiError(
            f"{name}: the root element is <{_local(root.tag)}>, not <CodeBook>, so this is not a "
            f"REFI-QDA codebook{hint}"
        )
    codes = _kid(root, "Codes")
    if codes is None:
        raise RefiError(f"{name}: <CodeBook> has no <Codes> element; export the codebook again")
    sets = [element for group in _kids(root, "Sets") for element in _kids(group, "Set")]
    book = _build_codebook(codes, sets, Path(name).name)
    meta = _read_meta(root)
    codebook = replace(book.codebook, title=meta.get("title", ""), source=meta.get("source", ""))
    return codebook, list(book.notes)


def read_qdc(path: str | os.PathLike[str]) -> tuple[Codebook, list[str]]:
    """Read a REFI-QDA codebook (``.qdc``) as NVivo, ATLAS.ti, MAXQDA, QualCoder or Taguette write it.

    Returns:
        The codebook (``path`` set to the file) and notes on what had to change to fit
        radar's theme → code form: flattened hierarchies, groups made themes, renames.

    Raises:
        RefiError: the file cannot be read, is not XML, or its root is not ``<CodeBook>``.
    """
    file = Path(path)
    codebook, notes = parse_qdc(_read_bytes(file), str(file))
    return replace(codebook, path=file), notes


# Converting --------------------------------------------------------------------


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
        with _open_qdpx(file) as package:
            book = _project_codebook(package.root, file.name, empty_ok=False)
        return replace(book.codebook, path=file), list(book.notes)
    return load_codebook(file), []


def write_codebook(codebook: Codebook, path: str | os.PathLike[str]) -> list[str]:
    """Write a codebook in the form its suffix names (``.yaml``/``.yml``, ``.xlsx``, ``.csv``, ``.qdc``).

    Returns:
        Notes on what the form cannot hold (a spreadsheet has no title, source or status).
    """
    file = Path(path)
    suffix = _codebook_suffix(file)
    if suffix == ".qdc":
        write_qdc(codebook, file)
        return []
    if suffix in YAML_SUFFIXES:
        write_text_atomic(file, codebook_yaml(codebook))
        return []
    frame = codebook.to_frame(theme_definitions=True)
    if suffix == ".csv":
        write_bytes_atomic(file, _csv_text(frame).encode("utf-8-sig"))  # the BOM tells Excel it is UTF-8
    else:
        write_workbook(file, [Sheet(C.SHEET_CODEBOOK, frame, {})])
    lost = [label for label, value in (("title", codebook.title), ("source", codebook.source)) if value]
    if any(theme.status for theme in codebook.themes):
        lost.append("theme status")
    if not lost:
        return []
    listed = " and ".join([", ".join(lost[:-1]), lost[-1]] if len(lost) > 1 else lost)
    return [f"{file.name}: a spreadsheet codebook has no place for the {listed}; they are not in it"]


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
        RefiError: ``dst`` exists (without ``force``) or is ``src``, or ``src`` is a bad file.
        CodebookError: a suffix radar does not convert, or a malformed codebook.
    """
    source, target = Path(src), Path(dst)
    _codebook_suffix(target)
    if target.exists() and source.exists() and target.resolve() == source.resolve():
        raise RefiError(f"{target}: is the file being converted; give another output file")
    if target.exists() and not force:
        raise RefiError(f"{target}: already exists; give another name, or use --force to replace it")
    codebook, notes = read_codebook(source)
    return notes + write_codebook(codebook, target)


def _codebook_suffix(file: Path) -> str:
    suffix = file.suffix.lower()
    if suffix not in CODEBOOK_SUFFIXES:
        raise CodebookError(
            f"{file}: radar writes codebooks as {', '.join(CODEBOOK_SUFFIXES)}, "
            f"not {suffix or 'files without a suffix'}; give the output file one of those suffixes"
        )
    return suffix


def _csv_text(frame: pd.DataFrame) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(frame.columns))
    writer.writerows(frame.itertuples(index=False, name=None))
    return out.getvalue()


def codebook_yaml(codebook: Codebook) -> str:
    """A codebook as YAML in the form of radar's shipped codebooks (empty fields left out)."""
    import yaml

    class Dumper(yaml.SafeDumper):
        def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
            super().increase_indent(flow, False)

    def strings(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    def flow(dumper: yaml.SafeDumper, value: _FlowList) -> yaml.Node:
        return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)

    Dumper.add_representer(str, strings)
    Dumper.add_representer(_FlowList, flow)
    data: dict[str, Any] = {
        key: value for key, value in (("title", codebook.title), ("source", codebook.source)) if value
    }
    data["themes"] = [_theme_data(theme) for theme in codebook.themes]
    text: str = yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100)
    return text


class _FlowList(list[str]):
    """A list written in YAML flow style: ``[a, b]``."""


def _theme_data(theme: Theme) -> dict[str, Any]:
    data: dict[str, Any] = {"name": theme.name}
    data.update(
        {key: value for key, value in (("definition", theme.definition), ("status", theme.status)) if value}
    )
    data["codes"] = [_code_data(code) for code in theme.codes]
    return data


def _code_data(code: Code) -> dict[str, Any]:
    data: dict[str, Any] = {"name": code.name}
    for key in ("definition", "include", "exclude", "example"):
        if getattr(code, key):
            data[key] = getattr(code, key)
    if code.keywords:
        data["keywords"] = _FlowList(code.keywords)
    return data


# Project export ----------------------------------------------------------------


@dataclass
class _Line:
    segment: str
    participant: str
    start: int
    end: int


def export_qdpx(
    study: Folder | str | os.PathLike[str], out: str | os.PathLike[str], *, force: bool = False
) -> Path:
    """Write a study as a REFI-QDA project (``.qdpx``) that NVivo, ATLAS.ti, MAXQDA and QualCoder open.

    Each transcript becomes a plain-text source (UTF-8; one line per turn,
    ``[HH:MM:SS] P07: text``, with the tables' pseudonyms, never the raw file), each
    coded segment a selection over the turn's text (positions in code points, end
    exclusive) with one coding per code, each speaker a case (with a ``Role``
    variable and the attributes of speakers.csv), each memo a note referenced from
    its selection (and the selection's description, where QualCoder reads memos).
    Codes and memos are the workbook's cells as they are now. The same study gives
    the same bytes (GUIDs derive from names, times from the audit log).

    Args:
        study: the study (or its folder), reduced at least once.
        out: the ``.qdpx`` file to write.
        force: replace ``out`` if it exists.

    Returns:
        The path written.
    """
    target = Path(out)
    if target.suffix.lower() != ".qdpx":
        raise RefiError(f"{target}: a REFI-QDA project file must end in .qdpx; rename the output file")
    if target.exists() and not force:
        raise RefiError(f"{target}: already exists; give another name, or use --force to replace it")
    folder = study if isinstance(study, Folder) else Folder(study)
    return write_bytes_atomic(target, qdpx_bytes(folder))


def qdpx_bytes(study: Folder) -> bytes:
    """The study as the bytes of a ``.qdpx`` file; see :func:`export_qdpx`."""
    codebook = study.codebook()
    tables = tables_from_workbook(study)
    when = _export_time(study)
    user = stable_guid("user", "radar")
    stamp = {"creatingUser": user, "creationDateTime": when}
    codes_of = _codes_by_segment(tables.phase3)
    memos = {
        str(sid): _clean(memo).strip()
        for sid, memo in zip(tables.phase2[C.SEGMENT_ID], tables.phase2[C.MEMO])
        if _clean(memo).strip()
    }
    texts, lines, speakers = _source_texts(tables.phase1)

    root = ET.Element(
        "Project",
        {
            "xmlns": PROJECT_NAMESPACE,
            "name": _clean(_study_title(study)),
            "origin": ORIGIN,
            "creatingUserGUID": user,
            "creationDateTime": when,
        },
    )
    _sub(_sub(root, "Users"), "User", {"guid": user, "name": "radar"})
    book = _sub(root, "CodeBook")
    meta = _meta_comment(codebook)
    if meta is not None:
        book.append(meta)
    book.append(_codes_element(codebook))
    attributes = _speaker_attributes(study)
    names = [
        ROLE_VARIABLE,
        *dict.fromkeys(name for values in attributes.values() for name in values),
    ]
    if speakers:
        variables = _sub(root, "Variables")
        for name in names:
            _sub(
                variables,
                "Variable",
                {"guid": stable_guid("variable", name), "name": name, "typeOfVariable": "Text"},
            )
        cases = _sub(root, "Cases")
        for participant, (role, groups) in speakers.items():
            values = {ROLE_VARIABLE: role, **attributes.get(participant, {})}
            _case(cases, participant, values, groups)
    sources = _sub(root, "Sources")
    for group in texts:
        guid = stable_guid("source", group)
        element = _sub(
            sources,
            "TextSource",
            {"guid": guid, "name": group, "plainTextPath": f"internal://{guid}.txt", **stamp},
        )
        for line in lines[group]:
            codes = codes_of.get(line.segment, [])
            memo = memos.get(line.segment, "")
            if codes or memo:
                _selection(element, line, codes, memo, stamp)
    if memos:
        notes = _sub(root, "Notes")
        for line in (line for group in texts for line in lines[group] if line.segment in memos):
            note = _sub(
                notes,
                "Note",
                {
                    "guid": stable_guid("note", line.segment),
                    "name": f"Memo {line.segment}",
                    **stamp,
                },
            )
            _text_child(note, "PlainTextContent", memos[line.segment])
    _text_child(root, "Description", _project_description(study))

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _add(archive, "project.qde", _xml_bytes(root))
        for group, text in texts.items():
            _add(archive, f"sources/{stable_guid('source', group)}.txt", text.encode("utf-8"))
    return buffer.getvalue()


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def _codes_by_segment(phase3: pd.DataFrame) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for sid, code in zip(phase3[C.SEGMENT_ID], phase3[C.CODE]):
        codes = found.setdefault(str(sid), [])
        if code not in codes:
            codes.append(str(code))
    return found


def _source_texts(
    phase1: pd.DataFrame,
) -> tuple[dict[str, str], dict[str, list[_Line]], dict[str, tuple[str, list[str]]]]:
    """Each group's text, one line per turn, where each turn's text sits, and who spoke where."""
    texts: dict[str, list[str]] = {}
    lines: dict[str, list[_Line]] = {}
    offsets: dict[str, int] = {}
    speakers: dict[str, tuple[str, list[str]]] = {}
    columns = (C.SEGMENT_ID, C.GROUP, C.PARTICIPANT, C.ROLE, C.START, C.TEXT)
    for sid, group, participant, role, start, raw in zip(*(phase1[column] for column in columns)):
        group, participant, role = str(group), str(participant), str(role)
        text = " ".join(_LINE_BREAK.split(_clean(raw))).strip()
        prefix = f"[{start}] " if str(start).strip() else ""
        head = f"{prefix}{participant}: "
        offset = offsets.get(group, 0)
        texts.setdefault(group, []).append(head + text)
        lines.setdefault(group, []).append(
            _Line(str(sid), participant, offset + len(head), offset + len(head) + len(text))
        )
        offsets[group] = offset + len(head) + len(text) + 1
        if role in C.ROLES:
            known = speakers.setdefault(participant, (role, []))
            if group not in known[1]:
                known[1].append(group)
    return {group: "\n".join(parts) + "\n" for group, parts in texts.items()}, lines, speakers


def _selection(
    source: ET.Element, line: _Line, codes: Sequence[str], memo: str, stamp: Mapping[str, str]
) -> None:
    selection = _sub(
        source,
        "PlainTextSelection",
        {
            "guid": stable_guid("selection", line.segment),
            "name": line.segment,
            "startPosition": str(line.start),
            "endPosition": str(line.end),
            **stamp,
        },
    )
    _text_child(selection, "Description", memo)
    for code in codes:
        coding = _sub(selection, "Coding", {"guid": stable_guid("coding", line.segment, code), **stamp})
        _sub(coding, "CodeRef", {"targetGUID": _code_guid(code)})
    if memo:
        _sub(selection, "NoteRef", {"targetGUID": stable_guid("note", line.segment)})


def _case(cases: ET.Element, participant: str, values: Mapping[str, str], groups: Sequence[str]) -> None:
    case = _sub(cases, "Case", {"guid": stable_guid("case", participant), "name": participant})
    for name, value in values.items():
        if value:
            variable = _sub(case, "VariableValue")
            _sub(variable, "VariableRef", {"targetGUID": stable_guid("variable", name)})
            _text_child(variable, "TextValue", value)
    for group in groups:
        _sub(case, "SourceRef", {"targetGUID": stable_guid("source", group)})


def _speaker_attributes(study: Folder) -> dict[str, dict[str, str]]:
    """The attributes of speakers.csv by participant ID (first non-empty value wins)."""
    speakers = study.speakers()
    found: dict[str, dict[str, str]] = {}
    for speaker in speakers.speakers if speakers else ():
        values = found.setdefault(speaker.participant_id, {})
        for name, value in speaker.attributes:
            if value and not values.get(name):
                values[name] = value
    return found


def _study_title(study: Folder) -> str:
    return study.config().display_title(study.root)


def _project_description(study: Folder) -> str:
    questions = study.config().research_questions
    if not questions:
        return ""
    return "Research questions:\n" + "\n".join(f"- {question}" for question in questions)


def _export_time(study: Folder) -> str:
    """When the tables were last written, from the audit log (else the workbook's time)."""
    for entry in reversed(read_audit(study.paths)):
        try:
            moment = datetime.fromisoformat(str(entry.get("time", "")))
        except ValueError:
            continue
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        seconds = study.paths.tables.stat().st_mtime
    except OSError:
        return EPOCH
    return datetime.fromtimestamp(int(seconds), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# Project import: reading -------------------------------------------------------


@dataclass(frozen=True)
class _Selection:
    guid: str
    start: int
    end: int
    codes: tuple[str, ...]  # GUID keys
    memo: str


@dataclass(frozen=True)
class _Source:
    name: str
    guid: str
    text: str
    selections: tuple[_Selection, ...]


@dataclass(frozen=True)
class _Case:
    name: str
    values: Mapping[str, str]


@dataclass(frozen=True)
class _Project:
    name: str
    origin: str
    book: _Book
    sources: tuple[_Source, ...]
    cases: tuple[_Case, ...]
    skipped: tuple[str, ...]


class _Package:
    """An open ``.qdpx``: its zip and its parsed project file."""

    def __init__(self, file: Path, archive: zipfile.ZipFile, qde: str, root: ET.Element) -> None:
        self.file, self.archive, self.qde, self.root = file, archive, qde, root
        self.entries = {name.lower(): name for name in archive.namelist() if not name.endswith("/")}

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.archive.close()

    def read(self, name: str) -> bytes:
        try:
            return self.archive.read(name)
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError) as err:
            raise RefiError(
                f"{self.file}: the entry {name} cannot be read ({err}); the file is damaged: "
                "export the project again"
            ) from None

    def internal(self, path: str) -> str | None:
        """The zip entry an ``internal://`` path names (``sources/`` or ``Sources/``)."""
        wanted = path[len("internal://") :].lstrip("/").lower()
        folder = self.qde.rsplit("/", 1)[0].lower() + "/" if "/" in self.qde else ""
        for candidate in (
            f"{folder}sources/{wanted}",
            f"sources/{wanted}",
            f"{folder}{wanted}",
            wanted,
        ):
            if candidate in self.entries:
                return self.entries[candidate]
        base = wanted.rsplit("/", 1)[-1]
        return next(
            (real for low, real in sorted(self.entries.items()) if low.rsplit("/", 1)[-1] == base),
            None,
        )


def _open_qdpx(file: Path) -> _Package:
    """Open a ``.qdpx``, find its ``.qde`` and parse it; one clear error for each kind of bad file."""
    data = _read_bytes(file)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as err:
        raise RefiError(
            f"{file}: is not a readable .qdpx (zip) file ({err}); export the project again "
            "as a REFI-QDA project (.qdpx)"
        ) from None
    qdes = sorted(
        (
            name
            for name in archive.namelist()
            if name.lower().endswith(".qde") and not name.startswith("__MACOSX/")
        ),
        key=lambda name: (name.count("/"), name.lower() != "project.qde", name),
    )
    if not qdes:
        archive.close()
        raise RefiError(
            f"{file}: the zip holds no project file (.qde); a .qdpx holds project.qde (or "
            "<name>.qde) and its sources: export the project again as REFI-QDA"
        )
    try:
        raw = archive.read(qdes[0])
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError) as err:
        archive.close()
        raise RefiError(f"{file}: {qdes[0]} cannot be read ({err}); export the project again") from None
    where = f"{file} ({qdes[0]})"
    try:
        root = _parse_xml(raw, where, "REFI-QDA project file")
    except RefiError:
        archive.close()
        raise
    if _local(root.tag) != "Project":
        archive.close()
        raise RefiError(
            f"{where}: the root element is <{_local(root.tag)}>, not <Project>, so this is not a "
            "REFI-QDA project; export the project again"
        )
    return _Package(file, archive, qdes[0], root)


def _project_codebook(root: ET.Element, where: str, *, empty_ok: bool = True) -> _Book:
    book_element = _kid(root, "CodeBook")
    codes = _kid(book_element, "Codes") if book_element is not None else None
    sets = [element for group in _kids(root, "Sets") for element in _kids(group, "Set")]
    if book_element is not None:
        sets += [element for group in _kids(book_element, "Sets") for element in _kids(group, "Set")]
    book = _build_codebook(codes, sets, where, empty_ok=empty_ok)
    meta = _read_meta(book_element) if book_element is not None else {}
    codebook = replace(book.codebook, title=meta.get("title", ""), source=meta.get("source", ""))
    return replace(book, codebook=codebook)


def _read_project(file: Path) -> _Project:
    """Everything radar carries over from a ``.qdpx``, checked before anything is written."""
    with _open_qdpx(file) as package:
        root = package.root
        origin = root.get("origin") or "the program that made it"
        book = _project_codebook(root, file.name)
        skipped: list[str] = []
        notes = _read_notes(package, skipped)
        variables = {
            _guid_key(element.get("guid")): " ".join((element.get("name") or "").split())
            for group in _kids(root, "Variables")
            for element in _kids(group, "Variable")
        }
        sources = _read_sources(package, notes, variables, origin, skipped)
        cases = tuple(
            _Case(" ".join((element.get("name") or "").split()), _variable_values(element, variables))
            for group in _kids(root, "Cases")
            for element in _kids(group, "Case")
        )
        _note_leftovers(root, book, skipped)
        return _Project(
            name=" ".join((root.get("name") or "").split()) or file.stem,
            origin=root.get("origin") or "",
            book=book,
            sources=tuple(sources),
            cases=cases,
            skipped=tuple(skipped),
        )


def _read_notes(package: _Package, skipped: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for group in _kids(package.root, "Notes"):
        for element in _kids(group, "Note"):
            text = _inner_text(_kid(element, "PlainTextContent"))
            path = element.get("plainTextPath") or ""
            if not text and path.startswith("internal://"):
                entry = package.internal(path)
                if entry is None:
                    skipped.append(
                        f"note {element.get('name') or element.get('guid')!r}: its text file is missing"
                    )
                    continue
                text = _decode_source(package.read(entry), f"{package.file} ({entry})")
            found[_guid_key(element.get("guid"))] = text.strip()
    return found


def _variable_values(element: ET.Element, variables: Mapping[str, str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for value in _kids(element, "VariableValue"):
        ref = _kid(value, "VariableRef")
        name = variables.get(_guid_key(ref.get("targetGUID") if ref is not None else ""), "")
        texts = [_inner_text(child).strip() for child in value if _local(child.tag).endswith("Value")]
        if name and texts:
            values[name] = texts[0]
    return values


def _decode_source(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise RefiError(
            f"{where}: is not UTF-8 text (byte {err.start + 1}); REFI-QDA sources are UTF-8: "
            "export the project again"
        ) from None


_NON_TEXT = {
    "PictureSource": "picture",
    "PDFSource": "PDF",
    "AudioSource": "audio",
    "VideoSource": "video",
}


def _read_sources(
    package: _Package,
    notes: Mapping[str, str],
    variables: Mapping[str, str],
    origin: str,
    skipped: list[str],
) -> list[_Source]:
    sources: list[_Source] = []
    used_notes: set[str] = set()
    for group in _kids(package.root, "Sources"):
        for element in group:
            kind = _local(element.tag)
            name = " ".join((element.get("name") or "").split()) or _guid_key(element.get("guid"))
            if kind in _NON_TEXT:
                skipped.append(f"{_NON_TEXT[kind]} source {name!r}: radar imports text sources only")
            elif kind == "TextSource":
                source = _read_text_source(package, element, name, notes, used_notes, origin, skipped)
                if source is not None:
                    sources.append(source)
                _source_leftovers(element, name, skipped)
    unused = [key for key in notes if key not in used_notes]
    if unused:
        skipped.append(
            f"{len(unused)} note(s) not attached to a text selection (journals, memos on codes, "
            "cases or whole sources)"
        )
    return sources


def _read_text_source(
    package: _Package,
    element: ET.Element,
    name: str,
    notes: Mapping[str, str],
    used_notes: set[str],
    origin: str,
    skipped: list[str],
) -> _Source | None:
    content = _kid(element, "PlainTextContent")
    path = element.get("plainTextPath") or ""
    if content is not None:
        text = _inner_text(content)
    elif path.startswith("internal://"):
        entry = package.internal(path)
        if entry is None:
            raise RefiError(
                f"{package.file}: the text of source {name!r} ({path}) is not in the zip; the "
                f"project is incomplete: export it again from {origin}"
            )
        text = _decode_source(package.read(entry), f"{package.file} ({entry})")
    else:
        where = path or element.get("richTextPath") or "no plain text"
        skipped.append(f"text source {name!r}: its plain text is not inside the .qdpx ({where})")
        return None
    selections = []
    for selection in _kids(element, "PlainTextSelection"):
        start, end, codes = _read_selection(package.file, selection, name, len(text), origin)
        memo = _memos(selection, notes, used_notes)
        selections.append(_Selection(_guid_key(selection.get("guid")), start, end, codes, memo))
    return _Source(name, _guid_key(element.get("guid")), text, tuple(selections))


def _read_selection(
    file: Path, element: ET.Element, source: str, length: int, origin: str
) -> tuple[int, int, tuple[str, ...]]:
    where = f"{file}: selection {element.get('guid') or '(no guid)'} in source {source!r}"
    try:
        start = int((element.get("startPosition") or "").strip())
        end = int((element.get("endPosition") or "").strip())
    except ValueError:
        raise RefiError(
            f"{where}: startPosition {element.get('startPosition')!r} and endPosition "
            f"{element.get('endPosition')!r} must be whole numbers; export the project again from {origin}"
        ) from None
    if end > length:
        raise RefiError(
            f"{where}: ends at position {end}, past the end of the source's text ({length} "
            f"characters); the project is damaged: export it again from {origin}"
        )
    if start < 0 or start > end:
        raise RefiError(
            f"{where}: runs from position {start} to {end}, which is not a stretch of the text; "
            f"the project is damaged: export it again from {origin}"
        )
    codes = tuple(
        _guid_key(ref.get("targetGUID"))
        for coding in _kids(element, "Coding")
        for ref in _kids(coding, "CodeRef")
    )
    return start, end, codes


def _memos(element: ET.Element, notes: Mapping[str, str], used: set[str]) -> str:
    """A selection's memo: its notes (on it or on its codings), else its description."""
    refs = [_guid_key(ref.get("targetGUID")) for ref in _kids(element, "NoteRef")]
    refs += [
        _guid_key(ref.get("targetGUID"))
        for coding in _kids(element, "Coding")
        for ref in _kids(coding, "NoteRef")
    ]
    texts = []
    for ref in refs:
        if ref in notes:
            used.add(ref)
            if notes[ref] and notes[ref] not in texts:
                texts.append(notes[ref])
    if not texts:
        description = _inner_text(_kid(element, "Description")).strip()
        texts = [description] if description else []
    return "\n\n".join(texts)


def _source_leftovers(element: ET.Element, name: str, skipped: list[str]) -> None:
    whole = len(_kids(element, "Coding"))
    if whole:
        skipped.append(f"text source {name!r}: {whole} coding(s) of the whole source (not of a selection)")
    values = len(_kids(element, "VariableValue"))
    if values:
        skipped.append(f"text source {name!r}: {values} variable value(s) of the source")


def _note_leftovers(root: ET.Element, book: _Book, skipped: list[str]) -> None:
    users = [element for group in _kids(root, "Users") for element in _kids(group, "User")]
    if len(users) > 1:
        skipped.append(f"who made each coding ({len(users)} users): radar's tables do not record coders")
    for name, label in (("Links", "link"), ("Graphs", "graph")):
        count = sum(len(list(group)) for group in _kids(root, name))
        if count:
            skipped.append(f"{count} {label}(s)")
    for group in _kids(root, "Sets"):
        for element in _kids(group, "Set"):
            if _kids(element, "MemberSource") or _kids(element, "MemberNote"):
                skipped.append(f"set {element.get('name')!r} of sources or notes")


# Project import: building the study --------------------------------------------


@dataclass(frozen=True)
class ImportReport:
    """What :func:`import_qdpx` made, and what it could not carry over."""

    study: Path
    origin: str
    transcripts: tuple[Path, ...]
    codebook: Path
    speakers: Path | None
    codings: int  # (selection, code) pairs that reached a Code cell
    segments: int  # segments that received codes
    memos: int  # segments that received a memo
    skipped: tuple[str, ...]
    notes: tuple[str, ...]

    def lines(self) -> list[str]:
        """The report as the command prints it."""
        origin = f" (from {self.origin})" if self.origin else ""
        out = [f"Imported {len(self.transcripts)} source(s) into {self.study}{origin}"]
        out += [f"wrote {path}" for path in (*self.transcripts, self.codebook) if path]
        if self.speakers is not None:
            out.append(f"wrote {self.speakers}")
        out.append(
            f"{self.codings} coding(s) carried over onto {self.segments} segment(s); {self.memos} memo(s)"
        )
        if self.skipped:
            out.append("Not carried over:")
            out += [f"  - {item}" for item in self.skipped]
        return out


def import_qdpx(path: str | os.PathLike[str], study_dir: str | os.PathLike[str]) -> ImportReport:
    """Build a study from another tool's REFI-QDA project (``.qdpx``).

    * Each text source becomes ``transcripts/<name>.txt``: its text as it is when it has
      speaker labels (``Name: text`` lines), else each paragraph labelled
      ``Unknown:``, so that the source's positions map onto the turns radar reads.
    * The project's codebook becomes ``codebook.yaml`` (see :func:`read_qdc` for how
      hierarchies are fitted); a parent code that was itself applied gains a code of
      the same name under its theme.
    * When the project's cases are named like the speakers, ``speakers.csv`` is written
      from them: role from a ``Role`` variable (else from the label), the label kept as
      the ID when it is already a pseudonym (``P07``), else a new one; the other case
      variables become attributes.
    * ``radar reduce`` is run, then each coding becomes a Code cell of every turn its
      selection overlaps, and each memo a Memo cell; turns that were coded but dropped
      by default (a facilitator's) are kept. Turns the other tool did not code get no
      codes (radar's keyword suggestions are cleared), so the tables hold exactly the
      other tool's coding. ``reduce`` is run again so the cells are read as the analyst's.

    The study is built in a temporary folder beside ``study_dir`` and moved into place
    at the end: a refused or failed import writes nothing.

    Raises:
        RefiError: the folder already holds a study, or the file is not a readable
            ``.qdpx`` (not a zip, no ``.qde``, not XML, a selection past the end of its source).
    """
    file, target = Path(path), Path(study_dir)
    _refuse_target(target)
    project = _read_project(file)
    if not project.sources:
        listed = "; ".join(project.skipped) or "it has no sources"
        raise RefiError(f"{file}: holds no text source radar can import ({listed})")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=_IMPORT_PREFIX, dir=target.parent) as folder:
        build = Path(folder) / target.name
        build.mkdir()
        report = _build_study(project, file, build, target)
        _move_into_place(build, target)
    return report


def _refuse_target(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise RefiError(f"{target}: is a file; give a new folder for the imported study")
    if not target.is_dir():
        return
    transcripts = target / TRANSCRIPTS_DIR
    if transcripts.is_dir() and any(transcripts.iterdir()):
        raise RefiError(
            f"{target}: already has transcripts; import into a new folder (radar never mixes "
            "an imported project into a study)"
        )
    for name in (*CODEBOOK_NAMES, TABLES_NAME, RECORDS_DIR):
        if (target / name).exists():
            raise RefiError(f"{target}: already has {name}; import into a new folder")


@dataclass
class _Placed:
    """An imported source written as a transcript, and the raw span of each of its turns."""

    source: _Source
    path: Path
    structured: bool
    spans: list[tuple[int, int]] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)


def _build_study(project: _Project, file: Path, build: Path, target: Path) -> ImportReport:

    for name in (CONFIG_NAME, SPEAKERS_NAME):
        if (target / name).is_file():
            (build / name).write_bytes((target / name).read_bytes())
    init_study(build, title=_clean(project.name).replace("\\", "/"))
    folder = build / TRANSCRIPTS_DIR
    placed = [_place(source, folder / f"{stem}.txt") for source, stem in _stems(project.sources)]
    notes = list(project.book.notes)
    unstructured = [item.path.name for item in placed if not item.structured]
    if unstructured:
        notes.append(
            f"{len(unstructured)} source(s) have no speaker labels, so each became one turn of the "
            f"speaker {UNKNOWN_SPEAKER!r}: {', '.join(unstructured)}; add `Name:` labels to split them"
        )
    speakers_path = build / SPEAKERS_NAME
    written_speakers = None
    if not speakers_path.exists():
        rows = _speaker_rows([turn for item in placed for turn in _labels(item.path)], project.cases)
        if rows is not None:
            write_text_atomic(speakers_path, rows)
            written_speakers = target / SPEAKERS_NAME
        elif project.cases:
            names = sorted({name for case in project.cases for name in case.values})
            listed = f" and their variables ({', '.join(names)})" if names else ""
            notes.append(f"{len(project.cases)} case(s){listed}: no case is named like a speaker label")
    speakers = read_speakers(speakers_path) if speakers_path.exists() else None

    codings = _codings(project, placed)
    codebook = _with_theme_codes(project.book, codings, notes)
    write_text_atomic(build / "codebook.yaml", codebook_yaml(codebook))
    for item in placed:
        known = speakers.labels_for(item.path.stem) if speakers else None
        item.spans = _turn_spans(item, known)
        item.ends = [end for _, end in item.spans]

    study = Folder(build)
    result = reduce_study(study)
    notes += result.notes
    groups: dict[str, list[str]] = {}
    for sid, group in zip(result.tables.phase1[C.SEGMENT_ID], result.tables.phase1[C.GROUP]):
        groups.setdefault(str(group), []).append(str(sid))
    for item in placed:
        item.ids = groups.get(item.path.stem, [])
        if len(item.ids) != len(item.spans):
            raise RefiError(
                f"{item.path.name}: radar read {len(item.ids)} turns where the import found "
                f"{len(item.spans)}; please report this with the .qdpx file"
            )
    skipped = list(project.skipped)
    codes, memos, carried = _segment_work(placed, codings, codebook, skipped)

    kept = dict(zip(result.tables.phase1[C.SEGMENT_ID], result.tables.phase1[C.KEEP]))
    revive = {sid for sid in (*codes, *memos) if kept.get(sid) == C.NO}
    if revive:
        _edit_sheet(
            study.paths.tables,
            C.SHEET_PHASE1,
            lambda sheet, header: _keep_rows(sheet, header, revive),
        )
        reduce_study(study)
    _edit_sheet(
        study.paths.tables,
        C.SHEET_PHASE2,
        lambda sheet, header: _code_rows(sheet, header, codes, memos),
    )
    final = reduce_study(study)
    notes += [note for note in final.notes if note not in notes]
    _check_carried(final.tables.phase3, codes, skipped)

    append_audit(
        study.paths,
        {
            "action": "import qdpx",
            "time": now_utc(),
            "radar_version": __version__,
            "inputs": {file.name: file_hash(file)},
            "origin": project.origin,
            "counts": {
                "sources": len(placed),
                "codings": carried,
                "segments": len(codes),
                "memos": len(memos),
            },
            "skipped": skipped,
            "notes": notes,
        },
    )
    return ImportReport(
        study=target,
        origin=project.origin,
        transcripts=tuple(target / TRANSCRIPTS_DIR / item.path.name for item in placed),
        codebook=target / "codebook.yaml",
        speakers=written_speakers,
        codings=carried,
        segments=len(codes),
        memos=len(memos),
        skipped=tuple(skipped),
        notes=tuple(notes),
    )


def _stems(sources: Sequence[_Source]) -> list[tuple[_Source, str]]:
    """A file stem (the Group ID) for each source: its name made safe, unique."""
    used: set[str] = set()
    out = []
    for source in sources:
        name = source.name
        if name.lower().endswith(_SOURCE_SUFFIXES):
            name = name.rsplit(".", 1)[0]
        stem = " ".join(_FILE_UNSAFE.sub("-", name).split()).strip(". ").lstrip("~$") or "source"
        stem = stem[:100]
        candidate, number = stem, 2
        while candidate.casefold() in used:
            candidate, number = f"{stem}-{number}", number + 1
        used.add(candidate.casefold())
        out.append((source, candidate))
    return out


def _raw_lines(text: str) -> list[tuple[int, int]]:
    """The (start, end) positions of each line's content in the source text."""
    spans, position = [], 0
    for match in _LINE_BREAK.finditer(text):
        spans.append((position, match.start()))
        position = match.end()
    spans.append((position, len(text)))
    return spans


def _place(source: _Source, path: Path) -> _Placed:
    """Write a source as a transcript: as it is if it has speaker labels, else labelled ``Unknown``."""
    lines = [source.text[start:end].replace("\x00", " ") for start, end in _raw_lines(source.text)]
    write_text_atomic(path, "\n".join(lines) + "\n")
    try:
        transcript = read_transcript(path)
    except TranscriptError:
        transcript = None
    filled = sum(1 for line in lines if line.strip())
    if transcript is not None and len([f for f in transcript.front_matter if f.strip()]) * 2 <= filled:
        return _Placed(source, path, True)
    labelled = [f"{UNKNOWN_SPEAKER}: {line}" if line.strip() else "" for line in lines]
    write_text_atomic(path, "\n".join(labelled) + "\n")
    return _Placed(source, path, False)


def _labels(path: Path) -> list[str]:

    return [turn.speaker for turn in read_transcript(path).turns]


def _turn_spans(item: _Placed, known: Sequence[str] | None) -> list[tuple[int, int]]:
    """Where each turn radar reads from the written file lies in the source text.

    A turn runs from the start of its first line to the end of the last line with
    text before the next turn (the written file has the source's lines, one for one).
    """
    text = item.source.text
    raw = _raw_lines(text)
    turns = read_transcript(item.path, known).turns
    spans = []
    for index, turn in enumerate(turns):
        following = turns[index + 1].line if index + 1 < len(turns) else len(raw) + 1
        lines = [raw[n - 1] for n in range(turn.line, min(following, len(raw) + 1))]
        filled = [span for span in lines if text[span[0] : span[1]].strip()] or lines[:1]
        spans.append((filled[0][0], filled[-1][1]))
    return spans


def _speaker_rows(labels: Sequence[str], cases: Sequence[_Case]) -> str | None:
    """speakers.csv from the cases named like speaker labels, or None when none is."""
    by_name = {normalise_label(case.name): case for case in cases if case.name}
    unique: dict[str, str] = {}
    for label in labels:
        unique.setdefault(normalise_label(label), label)
    if not any(key in by_name for key in unique):
        return None
    attributes = list(
        dict.fromkeys(
            name
            for key in unique
            if key in by_name
            for name in by_name[key].values
            if name.casefold() != ROLE_VARIABLE.casefold()
        )
    )
    used = {label.casefold() for label in unique.values() if _PSEUDONYM.fullmatch(label)}
    counters: dict[str, int] = {}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["speaker", "participant_id", "role", *attributes])
    for key, label in unique.items():
        case = by_name.get(key)
        values = {name.casefold(): value for name, value in (case.values if case else {}).items()}
        role = values.get(ROLE_VARIABLE.casefold(), "").strip().lower()
        role = role if role in C.ROLES else default_role(label)
        participant = label
        if not _PSEUDONYM.fullmatch(label):
            prefix = role[0].upper()
            while participant == label or participant.casefold() in used:
                counters[prefix] = counters.get(prefix, 0) + 1
                participant = f"{prefix}{counters[prefix]:02d}"
            used.add(participant.casefold())
        writer.writerow([label, participant, role, *(values.get(name.casefold(), "") for name in attributes)])
    return out.getvalue()


@dataclass(frozen=True)
class _Coding:
    source: int  # index into project.sources
    selection: _Selection
    targets: tuple[tuple[str, str], ...]  # ("theme" | "code", name)


def _codings(project: _Project, placed: Sequence[_Placed]) -> list[_Coding]:
    found = []
    for index, item in enumerate(placed):
        for selection in item.source.selections:
            targets = tuple(project.book.targets[g] for g in selection.codes if g in project.book.targets)
            found.append(_Coding(index, selection, targets))
    return found


def _with_theme_codes(book: _Book, codings: Sequence[_Coding], notes: list[str]) -> Codebook:
    """The codebook, plus a code named like each theme that was itself applied."""
    applied = {name for coding in codings for kind, name in coding.targets if kind == "theme"}
    if not applied:
        return book.codebook
    taken = {name_key(code.name) for code in book.codebook.codes}
    themes = []
    for theme in book.codebook.themes:
        if theme.name in applied:
            name = theme.name if name_key(theme.name) not in taken else f"{theme.name} (general)"
            taken.add(name_key(name))
            code = Code(
                name,
                theme.name,
                definition=f"Coded at the parent code {theme.name!r} in the imported project.",
            )
            theme = replace(theme, codes=(code, *theme.codes))
            notes.append(
                f"the parent code {theme.name!r} was applied itself: its codings went to a new code {name!r} under it"
            )
        themes.append(theme)
    return replace(book.codebook, themes=tuple(themes))


def _segment_work(
    placed: Sequence[_Placed],
    codings: Sequence[_Coding],
    codebook: Codebook,
    skipped: list[str],
) -> tuple[dict[str, list[str]], dict[str, str], int]:
    """Codes and memos per Segment ID, from the selections each turn overlaps."""
    codes: dict[str, list[str]] = {}
    memos: dict[str, list[str]] = {}
    carried = 0
    theme_codes = {theme.name: theme.codes[0].name for theme in codebook.themes if theme.codes}
    unknown = empty = 0
    for coding in codings:
        item = placed[coding.source]
        selection = coding.selection
        known = len(coding.targets)
        unknown += len(selection.codes) - known
        names = [theme_codes.get(name, name) if kind == "theme" else name for kind, name in coding.targets]
        if selection.start == selection.end:
            empty += 1
            continue
        hits = _overlapping(item.spans, item.ends, selection.start, selection.end)
        if not hits:
            if names or selection.memo:
                excerpt = " ".join(item.source.text[selection.start : selection.end].split())
                short = excerpt if len(excerpt) <= 50 else excerpt[:49] + "…"
                what = ", ".join(names) if names else "a memo"
                skipped.append(
                    f"source {item.source.name!r}, positions {selection.start}-{selection.end} "
                    f"({what}): outside every speaker turn ({short!r})"
                )
            continue
        carried += len(names)
        for hit in hits:
            sid = item.ids[hit]
            if names:
                cell = codes.setdefault(sid, [])
                cell += [name for name in names if name not in cell]
            if selection.memo:
                memo = memos.setdefault(sid, [])
                if selection.memo not in memo:
                    memo.append(selection.memo)
    if unknown:
        skipped.append(f"{unknown} coding(s) that refer to no code of the codebook (cases or deleted codes)")
    if empty:
        skipped.append(f"{empty} empty selection(s) (start = end)")
    return codes, {sid: "\n\n".join(texts) for sid, texts in memos.items()}, carried


def _overlapping(spans: Sequence[tuple[int, int]], ends: Sequence[int], start: int, end: int) -> list[int]:
    """The turns whose span shares at least one position with [start, end) (spans in order)."""
    first = bisect.bisect_right(ends, start)
    hits = []
    for index in range(first, len(spans)):
        span_start, span_end = spans[index]
        if span_start >= end:
            break
        if span_start < end and start < span_end:
            hits.append(index)
    return hits


def _edit_sheet(path: Path, title: str, edit: Callable[[Any, dict[str, int]], None]) -> None:
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workbook = load_workbook(path)
    sheet = workbook[title]
    header = {str(cell.value).strip(): cell.column for cell in sheet[1] if cell.value is not None}
    edit(sheet, header)
    write_atomic(path, workbook.save, suffix=".xlsx")


def _keep_rows(sheet: Any, header: Mapping[str, int], keep: set[str]) -> None:
    sid_col, keep_col, reason_col = header[C.SEGMENT_ID], header[C.KEEP], header[C.REASON]
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, sid_col).value in keep:
            sheet.cell(row, keep_col).value = C.YES
            sheet.cell(row, reason_col).value = None


def _code_rows(
    sheet: Any, header: dict[str, int], codes: Mapping[str, Sequence[str]], memos: Mapping[str, str]
) -> None:
    code_cols = [
        column for name, column in sorted(header.items(), key=lambda item: item[1]) if C.is_code_column(name)
    ]
    needed = max([len(cell) for cell in codes.values()] + [0])
    while len(code_cols) < needed:
        column = sheet.max_column + 1
        sheet.cell(1, column).value = C.code_column(len(code_cols) + 1)
        code_cols.append(column)
    sid_col, memo_col = header[C.SEGMENT_ID], header.get(C.MEMO)
    for row in range(2, sheet.max_row + 1):
        sid = sheet.cell(row, sid_col).value
        if sid is None:
            continue
        cell = list(codes.get(str(sid), []))
        for index, column in enumerate(code_cols):
            _set_text(sheet.cell(row, column), cell[index] if index < len(cell) else None)
        if memo_col is not None and str(sid) in memos:
            _set_text(sheet.cell(row, memo_col), memos[str(sid)])


def _set_text(cell: Any, value: str | None) -> None:
    """Set a cell to text, never a formula (a memo may start with '=')."""
    cell.value = value
    if value is not None and value.startswith("="):
        cell.data_type = "s"


def _check_carried(phase3: pd.DataFrame, codes: Mapping[str, Sequence[str]], skipped: list[str]) -> None:
    present = set(zip(phase3[C.SEGMENT_ID].astype(str), phase3[C.CODE].astype(str)))
    for sid, names in codes.items():
        missing = [name for name in names if (sid, name) not in present]
        if missing:
            skipped.append(f"segment {sid}: the code(s) {', '.join(missing)} could not be set")


def _move_into_place(build: Path, target: Path) -> None:
    """Move the built study to its folder: one rename, or entry by entry into an existing folder."""
    if not target.exists():
        os.replace(build, target)
        return
    for item in sorted(build.iterdir()):
        destination = target / item.name
        if destination.is_dir() and not any(destination.iterdir()):
            destination.rmdir()
        elif destination.exists():
            continue  # radar.toml or speakers.csv the folder already had (copied into the build)
        os.replace(item, destination)
