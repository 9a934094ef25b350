"""REFI-QDA's XML as radar reads and writes it: namespaces, stable GUIDs, tolerant parsing.

Shared by the codebook exchange (``.qdc``, :mod:`radar.codebook.qdc`) and the
project exchange (``.qdpx``, :mod:`radar.refiqda`). Elements are matched by
local name whatever their namespace, GUIDs compared without braces and case.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path

from radar import __version__
from radar.errors import RefiError
from radar.safety import parse_xml as safe_parse_xml

CODEBOOK_NAMESPACE = "urn:QDA-XML:codebook:1.0"


PROJECT_NAMESPACE = "urn:QDA-XML:project:1.0"


ORIGIN = f"radar {__version__}"


RADAR_GUIDS = uuid.UUID("0972c538-4de8-5264-9132-93f4acaf46ef")
"""The UUID-5 namespace of every GUID radar writes."""


PALETTE = (
    "#4E79A7", "#F28E2B", "#E15759", "#76B7B2", "#59A14F", "#EDC948",
    "#B07AA1", "#FF9DA7", "#9C755F", "#BAB0AC", "#1F77B4", "#2CA02C",
)  # fmt: skip


META_PREFIX = "radar codebook "


XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


LINE_BREAK = re.compile(r"\r\n|\r|\n")


def stable_guid(*parts: str) -> str:
    """A GUID that depends only on ``parts``, so every export gives the same GUIDs.

    Example:
        >>> stable_guid("code", "Burnout") == stable_guid("code", "Burnout")
        True
    """
    return str(uuid.uuid5(RADAR_GUIDS, "\x1f".join(parts)))


def guid_key(value: str | None) -> str:
    """A GUID as compared: braces and surrounding space dropped, lower case."""
    return (value or "").strip().strip("{}").strip().lower()


def theme_guid(name: str) -> str:
    return stable_guid("theme", name)


def code_guid(name: str) -> str:
    return stable_guid("code", name)


def local_name(tag: object) -> str:
    """An element's name without its namespace ('' for comments)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def named_children(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element if local_name(child.tag) == name]


def named_child(element: ET.Element, name: str) -> ET.Element | None:
    return next((child for child in element if local_name(child.tag) == name), None)


def inner_text(element: ET.Element | None) -> str:
    return "" if element is None else "".join(element.itertext())


def xml_text(text: object) -> str:
    """Text XML 1.0 can carry: control characters and lone surrogates removed."""
    return XML_ILLEGAL.sub("", "" if text is None else str(text))


def sub_element(parent: ET.Element, tag: str, attributes: Mapping[str, str] | None = None) -> ET.Element:
    return ET.SubElement(parent, tag, {key: xml_text(value) for key, value in (attributes or {}).items()})


def text_child(parent: ET.Element, tag: str, text: str) -> None:
    if text:
        sub_element(parent, tag).text = xml_text(text)


def xml_bytes(root: ET.Element) -> bytes:
    ET.indent(root, space="  ")
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def parse_xml(data: bytes, where: str, kind: str) -> ET.Element:
    """Parse XML, keeping comments; one clear error when it is not XML, declares entities or nests too deep."""
    if data.startswith(b"PK\x03\x04"):
        raise RefiError(
            f"{where}: is a zip file (a .qdpx project?), not a {kind}; give the {kind} itself, "
            "or use `radar import qdpx` for a project"
        )
    try:
        return safe_parse_xml(data, where, RefiError, what=kind)
    except ET.ParseError as err:
        raise RefiError(
            f"{where}: is not XML ({err}); it is not a {kind}: export it again from the program that made it"
        ) from None


def read_bytes(file: Path) -> bytes:
    if file.is_dir():
        raise RefiError(f"{file}: is a folder; give the path of the file")
    try:
        return file.read_bytes()
    except FileNotFoundError:
        raise RefiError(f"{file}: no such file; check the path") from None
    except OSError as err:
        raise RefiError(f"{file}: cannot be read ({err.strerror}); check the file") from None
