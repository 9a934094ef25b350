"""Write trial.qdpx: a small REFI-QDA project in the shapes other tools write.

Run ``python tests/files/refiqda/make_qdpx.py`` to rebuild it. Its quirks:

- the project file is named after the project (``Trial.qde``, as ATLAS.ti does) and the
  sources folder is ``Sources`` (capital S, as NVivo does);
- the interview's text file starts with a BOM and has Windows line endings, and an
  emoji (one code point, two UTF-16 units) comes before a coded selection;
- GUIDs in braces and upper case in places; ``#RGB`` colours;
- flat codes grouped by ATLAS.ti code groups (``Sets`` with ``MemberCode``), one code in
  no group, and a set of sources;
- a memo as a note referenced from its selection, another as a selection description
  (MAXQDA), and a journal note referenced from nothing;
- a coding of a case's GUID (QualCoder), a coding of a whole source, a selection in the
  front matter, a coded interviewer question, a continuation line inside a selection;
- a second text source without speaker labels, its text inline; a picture source;
- cases named like the speakers, with a variable; two users.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

INTERVIEW = (
    "Interview with two peer supporters\r\n"
    "\r\n"
    "Interviewer: What gets in the way of joining a group online?\r\n"
    "Maria: My \U0001f62c laptop is ancient, it freezes every call.\r\n"
    "Dev: I use a hotspot from my phone and the data plan runs out.\r\n"
    "It runs out in a week.\r\n"
    "Interviewer: And keeping things private?\r\n"
    "Maria: I never reuse a password.\r\n"
)
NOTES = "Visited the drop-in centre.\nEveryone looked exhausted by the end of the week."

INTERVIEW_GUID = "{7A1B2C3D-4E5F-4061-8273-94A5B6C7D8E9}"
NOTES_GUID = "7a1b2c3d-4e5f-4061-8273-94a5b6c7d8ea"
USER_1 = "{11111111-2222-4333-8444-555555555555}"
USER_2 = "11111111-2222-4333-8444-666666666666"
CODES = {
    "Devices": "C0DE0000-0000-4000-8000-000000000001",
    "Data plans": "{C0DE0000-0000-4000-8000-000000000002}",
    "Passwords": "c0de0000-0000-4000-8000-000000000003",
    "Burnout": "C0DE0000-0000-4000-8000-000000000004",
}
CASE_MARIA = "CA5E0000-0000-4000-8000-000000000001"
CASE_DEV = "CA5E0000-0000-4000-8000-000000000002"
AGE = "7A810000-0000-4000-8000-000000000001"


def span(text: str, part: str) -> tuple[int, int]:
    """Start and (exclusive) end of ``part`` in ``text``, in code points."""
    start = text.index(part)
    return start, start + len(part)


def selection(guid: str, text: str, part: str, inner: str, user: str = USER_1) -> str:
    start, end = span(text, part)
    return (
        f'<PlainTextSelection guid="{guid}" name="" startPosition="{start}" endPosition="{end}" '
        f'creatingUser="{user}" creationDateTime="2021-03-04T10:00:00Z">{inner}</PlainTextSelection>'
    )


def coding(guid: str, code: str, extra: str = "") -> str:
    return f'<Coding guid="{guid}" creatingUser="{USER_1}"><CodeRef targetGUID="{code}"/>{extra}</Coding>'


def project() -> str:
    text = INTERVIEW  # positions count from after the BOM
    selections = "".join(
        [
            selection(
                "5E100000-0000-4000-8000-000000000001",
                text,
                "laptop is ancient, it freezes every call.",
                coding("C0D10000-0000-4000-8000-000000000001", CODES["Devices"]),
            ),
            selection(
                "5E100000-0000-4000-8000-000000000002",
                text,
                "the data plan runs out.\r\nIt runs out in a week.",
                coding("C0D10000-0000-4000-8000-000000000002", CODES["Data plans"])
                + '<NoteRef targetGUID="{A0E70000-0000-4000-8000-000000000001}"/>',
                USER_2,
            ),
            selection(
                "5E100000-0000-4000-8000-000000000003",
                text,
                "I never reuse a password.",
                "<Description>A good exemplar.</Description>"
                + coding("C0D10000-0000-4000-8000-000000000003", CODES["Passwords"])
                + coding("C0D10000-0000-4000-8000-000000000004", CASE_MARIA),
            ),
            selection(
                "5E100000-0000-4000-8000-000000000004",
                text,
                "Interview with two",
                coding("C0D10000-0000-4000-8000-000000000005", CODES["Burnout"]),
            ),
            selection(
                "5E100000-0000-4000-8000-000000000005",
                text,
                "And keeping things private?",
                coding("C0D10000-0000-4000-8000-000000000006", CODES["Passwords"]),
            ),
        ]
    )
    notes_selection = selection(
        "5E100000-0000-4000-8000-000000000006",
        NOTES,
        "Everyone looked exhausted",
        coding("C0D10000-0000-4000-8000-000000000007", CODES["Burnout"]),
    )
    codes = "".join(
        f'<Code guid="{guid}" name="{name}" isCodable="true" color="#{"F00" if n % 2 else "00CC99"}"/>'
        for n, (name, guid) in enumerate(CODES.items())
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="Trial" origin="ATLAS.ti 9.1.7" creatingUserGUID="{USER_1}" creationDateTime="2021-03-04T09:00:00Z">
<Users><User guid="{USER_1}" name="Ana"/><User guid="{USER_2}" name="Ben"/></Users>
<CodeBook><Codes>{codes}</Codes></CodeBook>
<Variables><Variable guid="{AGE}" name="Age group" typeOfVariable="Text"/></Variables>
<Cases>
<Case guid="{CASE_MARIA}" name="Maria"><VariableValue><VariableRef targetGUID="{AGE}"/><TextValue>30-39</TextValue></VariableValue><SourceRef targetGUID="{INTERVIEW_GUID}"/></Case>
<Case guid="{CASE_DEV}" name="Dev"><VariableValue><VariableRef targetGUID="{AGE}"/><TextValue>40-49</TextValue></VariableValue></Case>
</Cases>
<Sources>
<TextSource guid="{INTERVIEW_GUID}" name="Interview 1.docx" richTextPath="internal://{INTERVIEW_GUID.strip("{}")}.docx" plainTextPath="internal://{INTERVIEW_GUID.strip("{}")}.txt" creatingUser="{USER_1}" creationDateTime="2021-03-04T09:00:00Z">{selections}{coding("C0D10000-0000-4000-8000-000000000008", CODES["Devices"])}</TextSource>
<TextSource guid="{NOTES_GUID}" name="Field notes" creatingUser="{USER_1}" creationDateTime="2021-03-04T09:00:00Z"><PlainTextContent>{NOTES}</PlainTextContent>{notes_selection}</TextSource>
<PictureSource guid="B1C00000-0000-4000-8000-000000000001" name="whiteboard.png" path="internal://B1C00000-0000-4000-8000-000000000001.png"/>
</Sources>
<Notes>
<Note guid="A0E70000-0000-4000-8000-000000000001" name="Memo on data plans" creatingUser="{USER_2}" creationDateTime="2021-03-04T11:00:00Z"><PlainTextContent>Check what a data plan costs.</PlainTextContent></Note>
<Note guid="A0E70000-0000-4000-8000-000000000002" name="Journal" creatingUser="{USER_1}" creationDateTime="2021-03-04T12:00:00Z"><PlainTextContent>Day one of coding.</PlainTextContent></Note>
</Notes>
<Sets>
<Set guid="5E700000-0000-4000-8000-000000000001" name="Access"><MemberCode targetGUID="{CODES["Devices"]}"/><MemberCode targetGUID="{CODES["Data plans"]}"/></Set>
<Set guid="5E700000-0000-4000-8000-000000000002" name="Privacy"><MemberCode targetGUID="{CODES["Passwords"]}"/></Set>
<Set guid="5E700000-0000-4000-8000-000000000003" name="Interviews"><MemberSource targetGUID="{INTERVIEW_GUID}"/></Set>
</Sets>
</Project>
"""


def main() -> Path:
    target = HERE / "trial.qdpx"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (
            ("Trial.qde", project().encode("utf-8")),
            (
                f"Sources/{INTERVIEW_GUID.strip('{}')}.txt",
                b"\xef\xbb\xbf" + INTERVIEW.encode("utf-8"),
            ),
            (f"Sources/{INTERVIEW_GUID.strip('{}')}.docx", b"PK\x03\x04 (a Word file, not read)"),
            ("Sources/B1C00000-0000-4000-8000-000000000001.png", b"\x89PNG\r\n\x1a\n"),
        ):
            info = zipfile.ZipInfo(name, date_time=(2021, 3, 4, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return target


if __name__ == "__main__":
    print(f"wrote {main()}")
