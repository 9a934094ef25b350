"""REFI-QDA codebooks (``.qdc``): radar's codebook exchanged with other QDA tools.

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
``Definition:`` and ``Status:``. Sub-codes (a code's ``parent``) are written as
children of their parent code, and colours as each code's ``color``. The codebook's
title and source, which REFI-QDA has no place for, ride in an XML comment after
``<Codes>`` (never before it: portableQDA stops on one). GUIDs are derived from
names (UUID 5), so the same codebook always gives the same file.

Reading accepts what real exporters write: elements are matched by local name
whatever their namespace (NVivo's ``codebook:1:0``), GUIDs with or without braces
and in any case, ATLAS.ti code groups (``<Sets><Set><MemberCode guid=…/>``) as
themes, codes without a parent or group under the theme ``Ungrouped codes``,
hierarchies deeper than theme → code (NVivo, MAXQDA, qc) kept as sub-codes of their
theme, Taguette's dotted names (``Theme.Code``) as a hierarchy, and ``#RGB`` or
``#RRGGBB`` colours.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from radar.codebook.model import Code, Codebook, Theme, name_key, split_keywords
from radar.codebook.refi import (
    CODEBOOK_NAMESPACE,
    LINE_BREAK,
    META_PREFIX,
    ORIGIN,
    PALETTE,
    code_guid,
    guid_key,
    inner_text,
    local_name,
    named_child,
    named_children,
    parse_xml,
    read_bytes,
    sub_element,
    text_child,
    theme_guid,
    xml_bytes,
    xml_text,
)
from radar.errors import RefiError
from radar.files import write_bytes_atomic

UNGROUPED_THEME = "Ungrouped codes"
"""The theme of codes that have neither a parent code nor a code group."""


_INDENT = "  "


def read(file: Path) -> tuple[Codebook, list[str]]:
    """A ``.qdc`` codebook and the notes on fitting it to radar's form (see :func:`read_qdc`)."""
    return read_qdc(file)


def write(codebook: Codebook, file: Path) -> list[str]:
    """Write a ``.qdc`` codebook; nothing is lost (title and source ride in a comment)."""
    write_qdc(codebook, file)
    return []


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
    for line in LINE_BREAK.split(text):
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


# Codebook to XML ---------------------------------------------------------------


def codes_element(codebook: Codebook) -> ET.Element:
    """``<Codes>``: each theme a non-codable parent code with its codes (and their sub-codes) as children."""
    codes = ET.Element("Codes")
    for index, theme in enumerate(codebook.themes):
        color = theme.color or PALETTE[index % len(PALETTE)]
        parent = sub_element(
            codes,
            "Code",
            {
                "guid": theme_guid(theme.name),
                "name": theme.name,
                "isCodable": "false",
                "color": color,
            },
        )
        text_child(parent, "Description", theme_description(theme))
        names = {code.name for code in theme.codes}
        children: dict[str, list[Code]] = {}
        for code in theme.codes:
            above = code.parent if code.parent in names and code.parent != code.name else ""
            children.setdefault(above, []).append(code)
        _code_elements(parent, "", children, color, set())
    return codes


def _code_elements(
    parent: ET.Element, above: str, children: Mapping[str, Sequence[Code]], color: str, done: set[str]
) -> None:
    for code in children.get(above, ()):
        if code.name in done:
            continue
        done.add(code.name)
        child = sub_element(
            parent,
            "Code",
            {
                "guid": code_guid(code.name),
                "name": code.name,
                "isCodable": "true",
                "color": code.color or color,
            },
        )
        text_child(child, "Description", code_description(code))
        _code_elements(child, code.name, children, code.color or color, done)


def meta_comment(codebook: Codebook) -> Any:
    """The title and source as a comment; JSON with ``-`` escaped, so never ``--``."""
    meta = {key: value for key, value in (("title", codebook.title), ("source", codebook.source)) if value}
    if not meta:
        return None
    text = json.dumps(meta, ensure_ascii=False).replace("-", "\\u002d")
    return ET.Comment(f" {META_PREFIX}{xml_text(text)} ")


def read_meta(element: ET.Element) -> dict[str, str]:
    for child in element:
        is_comment = child.tag is ET.Comment  # type: ignore[comparison-overlap]
        if is_comment and (child.text or "").strip().startswith(META_PREFIX):
            try:
                data = json.loads((child.text or "").strip()[len(META_PREFIX) :])
            except json.JSONDecodeError:
                return {}
            if isinstance(data, dict):
                return {key: str(data.get(key, "")) for key in ("title", "source")}
    return {}


def qdc_bytes(codebook: Codebook) -> bytes:
    """The codebook as a REFI-QDA ``.qdc`` file; the same codebook gives the same bytes."""
    root = ET.Element("CodeBook", {"xmlns": CODEBOOK_NAMESPACE, "origin": ORIGIN})
    root.append(codes_element(codebook))
    meta = meta_comment(codebook)
    if meta is not None:
        root.append(meta)  # after <Codes>: a reader such as portableQDA stops on a comment before it
    return xml_bytes(root)


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
    color: str = ""


_COLOR = re.compile(r"#?(?P<hex>[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})")


def color_value(value: str | None) -> str:
    """A colour as radar keeps it, ``#RRGGBB`` in capitals ("" when it is not one).

    Example:
        >>> color_value("#f80"), color_value("00cc99"), color_value("red")
        ('#FF8800', '#00CC99', '')
    """
    match = _COLOR.fullmatch((value or "").strip())
    if not match:
        return ""
    digits = match["hex"].upper()
    return "#" + ("".join(c * 2 for c in digits) if len(digits) == 3 else digits)


def _nodes(parent: ET.Element) -> list[_Node]:
    return [
        _Node(
            guid_key(element.get("guid")),
            " ".join((element.get("name") or "").split()),
            (element.get("isCodable") or "true").strip().lower() not in ("false", "0"),
            inner_text(named_child(element, "Description")),
            _nodes(element),
            color_value(element.get("color")),
        )
        for element in named_children(parent, "Code")
    ]


def _dotted_tree(tops: list[_Node]) -> list[_Node]:
    """Taguette's hierarchy: flat codes named ``Theme.Code.Sub-code`` made into a tree."""
    forest: list[_Node] = []
    by_path: dict[tuple[str, ...], _Node] = {}
    for node in tops:
        parts = tuple(part.strip() for part in node.name.split(".") if part.strip())
        if node.children or len(parts) < 2:
            parts = (node.name,)
        for depth in range(1, len(parts)):
            path = parts[:depth]
            if path not in by_path:
                made = _Node("", parts[depth - 1], False, "", [])
                (by_path[path[:-1]].children if depth > 1 else forest).append(made)
                by_path[path] = made
        existing = by_path.get(parts)
        if existing is not None and not existing.guid:  # made above as a parent: this is it
            existing.guid, existing.codable = node.guid, node.codable
            existing.description, existing.color = node.description, node.color
            continue
        leaf = replace(node, name=parts[-1]) if len(parts) > 1 else node
        (by_path[parts[:-1]].children if len(parts) > 1 else forest).append(leaf)
        by_path.setdefault(parts, leaf)
    return forest


@dataclass
class _Draft:
    name: str
    definition: str = ""
    status: str = ""
    codes: list[Code] = field(default_factory=list)
    color: str = ""


@dataclass(frozen=True)
class QdcBook:
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


def _code(name: str, theme: str, description: str, parent: str = "", color: str = "") -> Code:
    values = parse_description(description, CODE_FIELDS)
    return Code(
        name=name,
        theme=theme,
        definition=values.get("definition", ""),
        include=values.get("include", ""),
        exclude=values.get("exclude", ""),
        example=values.get("example", ""),
        keywords=split_keywords(values.get("keywords", "")),
        parent=parent,
        color=color,
    )


def _draft(name: str, description: str, color: str = "") -> _Draft:
    values = parse_description(description, THEME_FIELDS)
    return _Draft(name, values.get("definition", ""), values.get("status", ""), color=color)


def build_codebook(
    codes: ET.Element | None,
    sets: Sequence[ET.Element],
    where: str,
    *,
    empty_ok: bool = False,
    origin: str = "",
) -> QdcBook:
    """Themes and codes from a ``<Codes>`` element and code groups (``<Set>``).

    Top-level codes with children are themes; the codes below them keep their tree
    (``parent``) at any depth; Taguette's dotted names (``Theme.Code``, told by ``origin``)
    are a tree too. Colours are kept.
    """
    notes: list[str] = []
    names = _Names(where, notes)
    targets: dict[str, tuple[str, str]] = {}
    drafts: list[_Draft] = []
    tops = _nodes(codes) if codes is not None else []
    if "taguette" in origin.casefold() and any("." in node.name for node in tops):
        tops = _dotted_tree(tops)
        notes.append(f"{where}: Taguette's dotted code names (Theme.Code) were read as a hierarchy")
    loose = [node for node in tops if node.codable and not node.children]
    for node in tops:
        if node.codable and not node.children:
            continue
        draft = _draft(names.theme(node.name), node.description, node.color)
        drafts.append(draft)
        if node.guid:
            targets[node.guid] = ("theme", draft.name)
        for child in node.children:
            _place_code(child, [], "", draft, names, targets)
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
        draft.codes.append(_code(name, draft.name, node.description, color=node.color))
        targets[node.guid] = ("code", name)
    if not drafts:
        if not empty_ok:
            raise RefiError(f"{where}: holds no codes; a codebook needs at least one code")
        drafts.append(_Draft(names.theme(UNGROUPED_THEME)))
    themes = tuple(Theme(d.name, d.definition, d.status, tuple(d.codes), d.color) for d in drafts)
    themes = _inherited_colors(themes, drop_palette=origin.startswith("radar"))
    return QdcBook(Codebook(themes=themes), tuple(notes), targets)


def _inherited_colors(themes: Sequence[Theme], *, drop_palette: bool) -> tuple[Theme, ...]:
    """A code's colour that is its parent's (or theme's) is inherited, not repeated; in radar's
    own files the palette colour radar gave a theme is dropped too, so radar → radar is exact.
    Writing the codebook again gives every code the same colour."""
    out = []
    for index, theme in enumerate(themes):
        top = theme.color or PALETTE[index % len(PALETTE)]  # what codes_element writes for the theme
        shown: dict[str, str] = {}
        codes = []
        for code in theme.codes:  # parents come before their sub-codes
            above = shown.get(code.parent, top)
            shown[code.name] = code.color or above
            codes.append(replace(code, color="") if code.color == above else code)
        palette = drop_palette and theme.color == PALETTE[index % len(PALETTE)]
        color = "" if palette else theme.color
        out.append(replace(theme, codes=tuple(codes), color=color))
    return tuple(out)


def _place_code(
    node: _Node,
    ancestors: list[str],
    parent: str,
    draft: _Draft,
    names: _Names,
    targets: dict[str, tuple[str, str]],
) -> None:
    """A code below a theme, and its sub-codes below it, keeping the tree."""
    name = names.code(node.name, ancestors, draft.name)
    draft.codes.append(_code(name, draft.name, node.description, parent, node.color))
    if node.guid:
        targets[node.guid] = ("code", name)
    for child in node.children:
        _place_code(child, [*ancestors, node.name], name, draft, names, targets)


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
            guid_key(member.get("guid") or member.get("targetGUID"))
            for member in named_children(element, "MemberCode")
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
        draft = _draft(names.theme(name), inner_text(named_child(element, "Description")))
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
    root = parse_xml(data, name, "REFI-QDA codebook (.qdc)")
    if local_name(root.tag) != "CodeBook":
        hint = (
            "; this is a project file: import the .qdpx with `radar import qdpx`"
            if local_name(root.tag) == "Project"
            else ""
        )
        raise RefiError(
            f"{name}: the root element is <{local_name(root.tag)}>, not <CodeBook>, so this is not a "
            f"REFI-QDA codebook{hint}"
        )
    codes = named_child(root, "Codes")
    if codes is None:
        raise RefiError(f"{name}: <CodeBook> has no <Codes> element; export the codebook again")
    sets = [element for group in named_children(root, "Sets") for element in named_children(group, "Set")]
    book = build_codebook(codes, sets, Path(name).name, origin=root.get("origin") or "")
    meta = read_meta(root)
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
    codebook, notes = parse_qdc(read_bytes(file), str(file))
    return replace(codebook, path=file), notes
