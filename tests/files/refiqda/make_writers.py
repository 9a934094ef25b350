"""Write one small ``.qdpx`` in the shape each real writer produces (``writers/*.qdpx``).

Run ``python tests/files/refiqda/make_writers.py`` to rebuild them. The shapes follow the
public REFI-QDA documentation and the writers' known quirks (``../shared/reference/README.md``):

- ``nvivo-mac.qdpx``: NVivo for Mac 15: positions in UTF-16 code units with emoji before
  codings, a ``Sources`` folder, GUIDs in braces and capitals, ``#RGB`` colours, a code tree
  three levels deep with a coding on a parent code, an article (no speaker labels) shipped
  as an empty ``.txt`` beside its ``.docx``;
- ``nvivo-win.qdpx``: NVivo 14 for Windows: UTF-16 positions with characters outside the
  Basic Multilingual Plane, a text file with a BOM, a tree seven levels deep, a project
  description, a memo on a whole source, a document whose coding spans two paragraphs;
- ``atlasti.qdpx``: ATLAS.ti 23: the project file named after the project (``Study.qde``),
  flat codes grouped by code groups (``Sets`` of ``MemberCode``), an empty set and a set of
  sources, GUIDs in braces, code points;
- ``maxqda.qdpx``: MAXQDA 24: the ``0:4`` namespace, a text source and an audio file that
  are not inside the zip, memos as selection descriptions, a tree three levels deep;
- ``qc.qdpx``: qc: ``plainTextPath`` as a bare file name, a tree five levels deep, no colours;
- ``taguette.qdpx``: Taguette: flat codes with dotted names (``Theme.Code``) for hierarchy,
  documents without speaker labels;
- ``qualcoder.qdpx``: QualCoder: categories (``isCodable="false"``) with coloured codes, a
  source memo as its description, a coding memo as the selection's description, an
  annotation (a note on a selection with no coding), cases with a variable.

Every selection is written from the text it covers, in the writer's unit, so a reader that
places it right finds exactly that text.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

HERE = Path(__file__).resolve().parent / "writers"
SPACE = uuid.UUID("5b1d0c3e-8a2f-4e6b-9c7d-1f2e3a4b5c6d")


@dataclass
class Node:
    name: str
    color: str = ""
    codable: bool = True
    children: list[Node] = field(default_factory=list)


@dataclass
class Mark:
    part: str  # the text the selection covers (its first occurrence after ``after``)
    codes: Sequence[str] = ()
    memo: str = ""  # as a <Description>
    note: str = ""  # as a <Note> referenced by <NoteRef>
    after: str = ""


@dataclass
class Src:
    name: str
    text: str
    marks: Sequence[Mark] = ()
    path: str = "internal"  # internal | bare | absent | empty-with-docx | inline
    memo: str = ""
    bom: bool = False


@dataclass
class Writer:
    origin: str
    codes: Sequence[Node]
    sources: Sequence[Src]
    utf16: bool = False
    braces: bool = False
    namespace: str = "urn:QDA-XML:project:1.0"
    qde: str = "project.qde"
    folder: str = "sources"
    description: str = ""
    sets: Sequence[tuple[str, str, Sequence[str]]] = ()  # (name, kind, member names)
    cases: Sequence[tuple[str, str, Sequence[str]]] = ()  # (name, age group, source names)
    extra_sources: str = ""


def guid(writer: Writer, *parts: str) -> str:
    value = str(uuid.uuid5(SPACE, "/".join((writer.origin, *parts))))
    return "{" + value.upper() + "}" if writer.braces else value


def bare(value: str) -> str:
    return value.strip("{}").lower()


def units(text: str, index: int, utf16: bool) -> int:
    return len(text[:index].encode("utf-16-le")) // 2 if utf16 else index


def code_xml(writer: Writer, node: Node) -> str:
    color = f" color={quoteattr(node.color)}" if node.color else ""
    inner = "".join(code_xml(writer, child) for child in node.children)
    codable = "true" if node.codable else "false"
    head = f'<Code guid={quoteattr(guid(writer, "code", node.name))} name={quoteattr(node.name)} isCodable="{codable}"{color}'
    return f"{head}>{inner}</Code>" if inner else f"{head}/>"


def source_xml(writer: Writer, source: Src, notes: list[str]) -> str:
    gid = guid(writer, "source", source.name)
    selections = []
    for number, mark in enumerate(source.marks):
        begin = source.text.index(mark.after) + len(mark.after) if mark.after else 0
        start = source.text.index(mark.part, begin)
        end = start + len(mark.part)
        inner = f"<Description>{escape(mark.memo)}</Description>" if mark.memo else ""
        for code in mark.codes:
            inner += (
                f'<Coding guid="{guid(writer, "coding", source.name, str(number), code)}">'
                f'<CodeRef targetGUID="{guid(writer, "code", code)}"/></Coding>'
            )
        if mark.note:
            note = guid(writer, "note", source.name, str(number))
            inner += f'<NoteRef targetGUID="{note}"/>'
            notes.append(
                f'<Note guid="{note}" name="Note {number}"><PlainTextContent>{escape(mark.note)}</PlainTextContent></Note>'
            )
        selections.append(
            f'<PlainTextSelection guid="{guid(writer, "selection", source.name, str(number))}" '
            f'startPosition="{units(source.text, start, writer.utf16)}" '
            f'endPosition="{units(source.text, end, writer.utf16)}">{inner}</PlainTextSelection>'
        )
    memo = f"<Description>{escape(source.memo)}</Description>" if source.memo else ""
    content = ""
    paths = {
        "internal": f' plainTextPath="internal://{bare(gid)}.txt"',
        "bare": f' plainTextPath="{source.name}.txt"',
        "absent": f' plainTextPath="absolute://C:/Users/analyst/Documents/{source.name}.txt"',
        "empty-with-docx": f' richTextPath="internal://{bare(gid)}.docx" plainTextPath="internal://{bare(gid)}.txt"',
        "inline": "",
    }
    if source.path == "inline":
        content = f"<PlainTextContent>{escape(source.text)}</PlainTextContent>"
    return (
        f'<TextSource guid="{gid}" name={quoteattr(source.name)}{paths[source.path]}>'
        f"{memo}{content}{''.join(selections)}</TextSource>"
    )


def docx_bytes(paragraphs: Sequence[str]) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def project(writer: Writer) -> dict[str, bytes]:
    notes: list[str] = []
    sources = "".join(source_xml(writer, source, notes) for source in writer.sources)
    by_name = {s.name: guid(writer, "source", s.name) for s in writer.sources}
    sets = ""
    for name, kind, members in writer.sets:
        refs = "".join(
            f'<MemberCode targetGUID="{guid(writer, "code", m)}"/>'
            if kind == "code"
            else f'<MemberSource targetGUID="{by_name[m]}"/>'
            for m in members
        )
        sets += f'<Set guid="{guid(writer, "set", name)}" name={quoteattr(name)}>{refs}</Set>'
    variables = cases = ""
    if writer.cases:
        age = guid(writer, "variable", "Age group")
        variables = f'<Variables><Variable guid="{age}" name="Age group" typeOfVariable="Text"/></Variables>'
        cases = (
            "<Cases>"
            + "".join(
                f'<Case guid="{guid(writer, "case", name)}" name={quoteattr(name)}>'
                f'<VariableValue><VariableRef targetGUID="{age}"/><TextValue>{value}</TextValue></VariableValue>'
                + "".join(f'<SourceRef targetGUID="{by_name[s]}"/>' for s in refs)
                + "</Case>"
                for name, value, refs in writer.cases
            )
            + "</Cases>"
        )
    description = f"<Description>{escape(writer.description)}</Description>" if writer.description else ""
    qde = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<Project xmlns="{writer.namespace}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'name="Study" origin={quoteattr(writer.origin)}>'
        f"<CodeBook><Codes>{''.join(code_xml(writer, n) for n in writer.codes)}</Codes></CodeBook>"
        f"{variables}{cases}<Sources>{sources}{writer.extra_sources}</Sources>"
        + (f"<Notes>{''.join(notes)}</Notes>" if notes else "")
        + (f"<Sets>{sets}</Sets>" if sets else "")
        + f"{description}</Project>\n"
    )
    files = {writer.qde: qde.encode("utf-8")}
    for source in writer.sources:
        gid = bare(guid(writer, "source", source.name))
        data = ("\ufeff" if source.bom else "") + source.text
        if source.path == "internal":
            files[f"{writer.folder}/{gid}.txt"] = data.encode("utf-8")
        elif source.path == "bare":
            files[f"{source.name}.txt"] = data.encode("utf-8")
        elif source.path == "empty-with-docx":
            files[f"{writer.folder}/{gid}.txt"] = b""
            files[f"{writer.folder}/{gid}.docx"] = docx_bytes(source.text.split("\n"))
    return files


# The writers ---------------------------------------------------------------------

NVIVO_MAC = Writer(
    origin="NVivo for Mac 15.0.1 (Mac)",
    utf16=True,
    braces=True,
    folder="Sources",
    codes=[
        Node(
            "Access",
            "#F00",
            children=[Node("Devices", "#0F0", children=[Node("Phones", "#00F")]), Node("Data plans", "#F80")],
        ),
        Node("Wellbeing", "#808", children=[Node("Burnout", "#0FF")]),
    ],
    sources=[
        Src(
            "Interview 1",
            "Interviewer: How do you get online? \U0001f600\n"
            "Maria: My phone \U0001f4f1 is my only device.\n"
            "Interviewer: And the data? \U0001f914\n"
            "Maria: The data \U0001f62c runs out every week.\n"
            "Interviewer: How do you feel at the end of a shift?\n"
            "Maria: Tired \U0001f634 and flat.\n",
            [
                Mark("My phone \U0001f4f1 is my only device.", ["Phones"]),
                Mark("The data \U0001f62c runs out every week.", ["Data plans"]),
                Mark("Tired \U0001f634 and flat.", ["Burnout"]),
                Mark("How do you get online?", ["Access"]),  # a parent code applied itself
            ],
        ),
        Src(
            "Article",
            "Phones \U0001f4f1 are how most peers reach support.\n"
            "Data plans \U0001f4b8 run out before the month ends.\n"
            "Supervisors see burnout \U0001f525 first.",
            [
                Mark("Data plans \U0001f4b8 run out before the month ends.", ["Data plans"]),
                Mark("burnout \U0001f525 first", ["Burnout"]),
            ],
            path="empty-with-docx",
        ),
    ],
)

NVIVO_WIN = Writer(
    origin="NVivo 14.23.0 (Windows)",
    utf16=True,
    braces=True,
    folder="Sources",
    description="Pilot of the peer support supervision study.",
    codes=[
        Node(
            "L1",
            "#112233",
            codable=False,
            children=[
                Node(
                    "L2",
                    "#223344",
                    children=[
                        Node(
                            "L3",
                            "#334455",
                            children=[
                                Node(
                                    "L4",
                                    "#445566",
                                    children=[
                                        Node(
                                            "L5",
                                            "#556677",
                                            children=[
                                                Node("L6", "#667788", children=[Node("L7", "#778899")])
                                            ],
                                        )
                                    ],
                                )
                            ],
                        )
                    ],
                )
            ],
        ),
        Node("Method", "#ABCDEF", codable=False, children=[Node("Notes", "#FEDCBA")]),
    ],
    sources=[
        Src(
            "Focus group 1",
            "Moderator: What does supervision look like? \U0001d4b3\n"
            "P1: My supervisor \U0001f9d1\u200d\U0001f3eb listens to my calls.\n"
            "P2: Mine \U00010348 texts me every week.\n",
            [
                Mark("My supervisor \U0001f9d1\u200d\U0001f3eb listens to my calls.", ["L7"]),
                Mark("Mine \U00010348 texts me every week.", ["L3"]),
            ],
            memo="Recorded on a phone; the start is missing.",
            bom=True,
        ),
        Src(
            "Field notes",
            "The room \U0001f3e0 was cold.\n"
            "Two peers \U0001f465 left early.\n"
            "Everyone \U0001f634 looked tired.",
            [Mark("left early.\nEveryone", ["Notes"])],  # spans two paragraphs
        ),
    ],
)

ATLAS = Writer(
    origin="ATLAS.ti 23.2.1",
    braces=True,
    qde="Study.qde",
    codes=[
        Node("Devices", "#FF0000"),
        Node("Data plans", "#FF8000"),
        Node("Passwords", "#0000FF"),
        Node("Burnout", "#00AA00"),
    ],
    sources=[
        Src(
            "Interview 2",
            "Interviewer: What gets in the way? \U0001f914\n"
            "Dev: My laptop \U0001f4bb freezes.\n"
            "Interviewer: Anything else?\n"
            "Dev: I reuse one password \U0001f511 everywhere.\n"
            "Interviewer: How are you?\n"
            "Dev: Worn out.\n",
            [
                Mark("My laptop \U0001f4bb freezes.", ["Devices"]),
                Mark("I reuse one password \U0001f511 everywhere.", ["Passwords"]),
                Mark("Worn out.", ["Burnout"]),
            ],
        )
    ],
    sets=[
        ("Access", "code", ["Devices", "Data plans"]),
        ("Privacy", "code", ["Passwords"]),
        ("Later", "code", []),
        ("Interviews", "source", ["Interview 2"]),
    ],
)

MAXQDA = Writer(
    origin="MAXQDA 24 (Release 24.1.0)",
    namespace="urn:QDA-XML:project:0:4",
    codes=[
        Node(
            "Technology",
            "#4E79A7",
            children=[
                Node("Skills", "#4E79A7", children=[Node("Video calls", "#59A14F")]),
                Node("Access", "#F28E2B"),
            ],
        ),
    ],
    sources=[
        Src(
            "Interview 3",
            "I: Which tools do you use?\nR: Mostly video calls.\nI: And at home?\nR: I have no wifi.\n",
            [
                Mark("Mostly video calls.", ["Video calls"], memo="Zoom, mostly."),
                Mark("I have no wifi.", ["Access"]),
            ],
        ),
        Src("Interview 4", "I: Hello.\nR: Hi.\n", path="absent"),
    ],
    extra_sources=(
        '<AudioSource guid="a0d10000-0000-4000-8000-000000000001" name="Interview 3 audio" '
        'path="absolute://C:/Users/analyst/Music/interview3.m4a"/>'
    ),
)

QC = Writer(
    origin="qc 0.3.0",
    codes=[
        Node(
            "Support",
            children=[
                Node(
                    "Supervision",
                    children=[Node("Feedback", children=[Node("Calls", children=[Node("Listening in")])])],
                )
            ],
        ),
    ],
    sources=[
        Src(
            "interview-5",
            "Facilitator: Tell me about feedback.\nP07: She listens in on my calls.\nFacilitator: Often?\nP07: Every Friday.\n",
            [Mark("She listens in on my calls.", ["Listening in"]), Mark("Every Friday.", ["Feedback"])],
            path="bare",
        ),
    ],
)

TAGUETTE = Writer(
    origin="Taguette 1.4.1",
    codes=[
        Node("access.devices"),
        Node("access.data plans"),
        Node("wellbeing"),
        Node("wellbeing.burnout.sleep"),
    ],
    sources=[
        Src(
            "Blog post",
            "Every peer I met carries an old phone.\n\nTheir data runs out by the third week.\n\nNobody sleeps enough.",
            [
                Mark("carries an old phone", ["access.devices"]),
                Mark("Their data runs out", ["access.data plans"]),
                Mark("Nobody sleeps enough.", ["wellbeing.burnout.sleep", "wellbeing"]),
            ],
            path="inline",
        )
    ],
)

QUALCODER = Writer(
    origin="QualCoder 3.5",
    codes=[
        Node(
            "Supervision",
            codable=False,
            children=[Node("Feedback", "#9CE3FF"), Node("Availability", "#FFC0CB")],
        ),
    ],
    sources=[
        Src(
            "Interview 6",
            "Sam: My supervisor answers at night.\nAlex: Mine gives me notes on each call.\nSam: Not always quickly.\n",
            [
                Mark("My supervisor answers at night.", ["Availability"], memo="Night shifts only."),
                Mark("Mine gives me notes on each call.", ["Feedback"]),
                Mark("Not always quickly.", [], note="Annotation: contradicts the first answer."),
            ],
            memo="Second interview of the pilot.",
        )
    ],
    cases=[("Sam", "30-39", ["Interview 6"]), ("Alex", "40-49", ["Interview 6"])],
)

WRITERS = {
    "nvivo-mac": NVIVO_MAC,
    "nvivo-win": NVIVO_WIN,
    "atlasti": ATLAS,
    "maxqda": MAXQDA,
    "qc": QC,
    "taguette": TAGUETTE,
    "qualcoder": QUALCODER,
}


def main() -> list[Path]:
    HERE.mkdir(exist_ok=True)
    written = []
    for name, writer in WRITERS.items():
        target = HERE / f"{name}.qdpx"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for entry, data in project(writer).items():
                info = zipfile.ZipInfo(entry, date_time=(2024, 5, 6, 7, 8, 9))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data)
        written.append(target)
    return written


if __name__ == "__main__":
    for path in main():
        print(f"wrote {path}")
