"""The hostile-input matrix's machinery: hostile files, the cases, and a runner that forks one radar per case.

The runner is this file run as a script (``python tests/hostile_support.py JOBS RESULTS``): it imports
radar and its heavy libraries once, then forks one child per case, two at a time. Each child is a real
``radar`` command in its own process: its address space is capped (``RLIMIT_AS``, 2 GiB), it is
killed after ``TIMEOUT`` seconds of CPU (or ``WALL_TIMEOUT`` of waiting), and its stdout and stderr go to files. The parent hashes the case's
folder before and after and writes what it saw to RESULTS, for the tests to judge.

Nothing here imports radar at module level: the test process builds the files with python-docx,
xlsxwriter and the zip module, and only the runner's children run radar's code.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import random
import shutil
import struct
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MEMORY_LIMIT = 2 << 30  # bytes of address space per case
TIMEOUT = 30  # CPU seconds per case (RLIMIT_CPU): a handled case takes a few, however loaded the machine
WALL_TIMEOUT = 4 * TIMEOUT  # wall-clock seconds, for a case that blocks without spending CPU
WORKERS = 2
GIGABYTE = 1_000_000_000
SECRET = "HOSTILE-SECRET-6b1f0c"  # the content of the file an external entity points at
MEMO = "Analyst memo on fg1-002: keep this"
ADDED_CODE = "Passwords"  # the analyst's second code on fg1-003
HERE = Path(__file__).resolve().parent
FILES = HERE / "files"
OUTCOMES = ("handled", "traceback", "hang", "lost work", "injection", "unclear")

# ------------------------------------------------------------------------ hostile bytes


def noise(size: int = 4096, seed: int = 13) -> bytes:
    return random.Random(seed).randbytes(size)


LAUGHS = (
    b'<!DOCTYPE x [<!ENTITY l0 "lol">'
    + b"".join(
        b'<!ENTITY l%d "%s">' % (i, b"".join(b"&l%d;" % (i - 1) for _ in range(10))) for i in range(1, 11)
    )
    + b"]>"
)


def with_doctype(xml: bytes, doctype: bytes, entity: bytes) -> bytes:
    """The XML with a DTD after its declaration and ``entity`` inside the root's first child."""
    head = b""
    if xml.startswith(b"<?xml"):
        end = xml.index(b"?>") + 2
        head, xml = xml[:end], xml[end:]
    return head + doctype + inside_first_child(xml, entity)


def inside_first_child(xml: bytes, payload: bytes) -> bytes:
    """``payload`` just after the opening tag of the root's first child."""
    root = xml.index(b"<")
    child = xml.index(b"<", xml.index(b">", root) + 1)
    close = xml.index(b">", child)
    if xml[close - 1 : close] == b"/":  # an empty first child: put the payload after it
        return xml[: close + 1] + payload + xml[close + 1 :]
    return xml[: close + 1] + payload + xml[close + 1 :]


DEEP_XML = b"<x>" * 100_000 + b"</x>" * 100_000


def rezip(data: bytes, change: Callable[[str, bytes], bytes]) -> bytes:
    """A zip's bytes with each member passed through ``change(name, data)``."""
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as archive, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in archive.infolist():
            new.writestr(info.filename, change(info.filename, archive.read(info)))
    return out.getvalue()


def rezip_without(data: bytes, member: str) -> bytes:
    """The zip without one member."""
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as archive, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in archive.infolist():
            if info.filename != member:
                new.writestr(info.filename, archive.read(info))
    return out.getvalue()


def declare_size(data: bytes, member: str, size: int = GIGABYTE) -> bytes:
    """The zip with its central directory saying ``member`` unpacks to ``size`` bytes."""
    out = bytearray(data)
    at = 0
    while (at := out.find(b"PK\x01\x02", at)) >= 0:
        name_length = struct.unpack_from("<H", out, at + 28)[0]
        if out[at + 46 : at + 46 + name_length].decode() == member:
            struct.pack_into("<I", out, at + 24, size)
            return bytes(out)
        at += 4
    raise AssertionError(f"{member} not in the zip")


def corrupt_zip(data: bytes) -> bytes:
    """Each deflated member's data starting with an invalid block (0xFF): the zip's structure intact, no member inflates.

    Deterministic whatever else the bytes hold (python-docx and xlsxwriter stamp the time in theirs).
    """
    out = bytearray(data)
    at = 0
    while (at := out.find(b"PK\x03\x04", at)) >= 0:
        method, compressed = (
            struct.unpack_from("<H", out, at + 8)[0],
            struct.unpack_from("<I", out, at + 18)[0],
        )
        start = at + 30 + sum(struct.unpack_from("<HH", out, at + 26))
        if method == zipfile.ZIP_DEFLATED and compressed:
            out[start] = 0xFF
        at = start
    return bytes(out)


def with_nuls(data: bytes) -> bytes:
    return data.replace(b"\n", b"\0\n").replace(b" ", b" \0", 3)


def empty_zip() -> bytes:
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w"):
        pass
    return out.getvalue()


# ------------------------------------------------------------------------ good files of each type

TXT = (
    "Focus group 3\n\nModerator: What gets in the way of joining?\n"
    "P1: My laptop is ancient, it freezes.\nP2: The data plan runs out.\n"
)
VTT = (
    "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Moderator>What gets in the way?</v>\n\n"
    "00:00:03.000 --> 00:00:05.000\n<v P1>My laptop is ancient.</v>\n"
)
SRT = (
    "1\n00:00:01,000 --> 00:00:02,000\nModerator: What gets in the way?\n\n"
    "2\n00:00:03,000 --> 00:00:05,000\nP1: My laptop is ancient.\n"
)
CODEBOOK_ROWS = [
    ["Theme", "Code", "Definition", "Keywords"],
    ["Access", "Devices", "Phones, tablets, laptops.", "laptop; tablet"],
    ["Access", "Data plans", "", "data plan; hotspot"],
    ["Privacy", "Passwords", "", "password"],
    ["Self-care", "Burnout", "", "burnout; exhausted"],
]
QDC = b"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="test"><Codes>
<Code guid="11111111-1111-1111-1111-111111111111" name="Access" isCodable="false">
<Code guid="22222222-2222-2222-2222-222222222222" name="Devices" isCodable="true"/>
<Code guid="22222222-2222-2222-2222-222222222223" name="Data plans" isCodable="true"/></Code>
<Code guid="11111111-1111-1111-1111-111111111112" name="Privacy" isCodable="false">
<Code guid="22222222-2222-2222-2222-222222222224" name="Passwords" isCodable="true"/></Code>
<Code guid="11111111-1111-1111-1111-111111111113" name="Self-care" isCodable="false">
<Code guid="22222222-2222-2222-2222-222222222225" name="Burnout" isCodable="true"/></Code>
</Codes></CodeBook>
"""
SPEAKERS = (
    "speaker,participant_id,role,group\nModerator,F01,facilitator,\nP1,P01,participant,fg1\n"
    "P2,P02,participant,fg1\nP3,P03,participant,fg1\nP1,P04,participant,fg2\nP2,P05,participant,fg2\n"
    # fg3, the file each case spoils: a label of each fixture it is made from
    # (no label that is a person's name: a name costs each run seconds of de-identification set-up)
    "Facilitator,F02,facilitator,fg3\nSpeaker 1,F03,facilitator,fg3\nP1,P07,participant,fg3\n"
)
MEMBER_CHECK_TOML = """\
[deidentify]
ner = false

[member_check]
contact = "the study team, study@example.org"
deadline = "30 June 2026"
support = "the support line, 0800 123 456"
"""


def docx_bytes(lines: list[str] | None = None) -> bytes:
    import io

    import docx

    document = docx.Document()
    for line in lines or TXT.splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_codebook_bytes(rows: list[list[str]] = CODEBOOK_ROWS) -> bytes:
    import io

    import xlsxwriter

    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = workbook.add_worksheet("Codebook")
    for row, values in enumerate(rows):
        sheet.write_row(row, 0, values)
    workbook.close()
    return out.getvalue()


def csv_codebook() -> str:
    return "".join(",".join(f'"{v}"' if "," in v else v for v in row) + "\n" for row in CODEBOOK_ROWS)


# ------------------------------------------------------------------------ the cases

Make = Callable[[bytes], "bytes | None"]  # the good file's bytes -> the hostile file's (None: a folder)


@dataclass(frozen=True)
class Case:
    """One hostile or clumsy input and the command that reads it."""

    id: str
    kind: str  # the file type, as the report counts them
    variant: str
    target: str  # the hostile file, relative to the case folder
    make: Make  # its bytes, from the good file's
    good: str  # where the good file of its type is, in the base folder ("" for a fixed one below)
    args: tuple[str, ...]  # the radar command, with {case} for the case folder
    needle: str  # what the one Error line must name ("a|b": either)
    writes: bool = False  # the command may write the study (reduce, import)
    unreadable: bool = False  # chmod 000 after writing (meaningless as root)
    remove: tuple[str, ...] = ()  # files of the base to delete first (the YAML codebook, for another form)
    fixed: Callable[[], bytes] | None = None  # the good bytes, where no base file holds them
    refuse: bool = False  # exit 0 is not enough: radar must say no (duplicate YAML keys)
    keeps_edits: bool = False  # the hostile workbook still holds the analyst's work: success must keep it
    extra: tuple[str, ...] = ()  # further files put beside the target, empty (another program's lock file)

    def argv(self, folder: Path) -> list[str]:
        return [arg.replace("{case}", str(folder)) for arg in self.args]

    def content(self, base: Path, secret: Path) -> bytes | None:
        good = self.fixed() if self.fixed else (base / self.good).read_bytes()
        return self.make(good.replace(b"@SECRET@", str(secret).encode()))


STUDY = "{case}/study"
REDUCE = ("reduce", STUDY, "-q")
Variant = tuple[str, Make, bool]  # name, how to make it, unreadable


def _const(data: bytes | None) -> Make:
    return lambda good: data


def common(other: Callable[[], bytes], text: bool) -> list[Variant]:
    """The variants of every file type: empty, random, another type's bytes, a folder, unreadable..."""
    variants: list[Variant] = [
        ("empty", _const(b""), False),
        ("random bytes", lambda good: noise(), False),
        ("wrong extension", lambda good: other(), False),
        ("a folder", _const(None), False),
        ("unreadable", lambda good: good, True),
    ]
    if text:
        variants += [
            ("NUL bytes", with_nuls, False),
            # 1.5 MB in one line: past spaCy's default max_length (1,000,000) and Excel's cell (32,767)
            ("huge line", lambda good: good + b"P1: " + b"word " * 300_000 + b"\n", False),
        ]
    else:
        variants.append(("truncated", lambda good: good[: len(good) // 2], False))
    return variants


def zip_attacks(member: str) -> list[Variant]:
    """XML and zip attacks on one member of an Office or REFI-QDA zip (the DTD names @SECRET@)."""
    doctype = b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://@SECRET@">]>'
    return [
        ("XXE", lambda good: rezip(good, lambda n, d: with_doctype(d, doctype, b"&xxe;") if n == member else d), False),
        ("entity bomb", lambda good: rezip(good, lambda n, d: with_doctype(d, LAUGHS, b"&l10;") if n == member else d), False),
        ("deep nesting", lambda good: rezip(good, lambda n, d: inside_first_child(d, DEEP_XML) if n == member else d), False),
        ("member says 1 GB", lambda good: declare_size(good, member), False),
        ("corrupt members", corrupt_zip, False),
        ("empty zip", lambda good: empty_zip(), False),
    ]  # fmt: skip


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-").replace("--", "-")


def _cases(
    kind: str, target: str, needle: str, variants: list[Variant], commands: list[tuple[str, tuple[str, ...], bool]],
    good: str = "", fixed: Callable[[], bytes] | None = None, remove: tuple[str, ...] = (),
) -> list[Case]:  # fmt: skip
    return [
        Case(
            id=f"{_slug(kind)}-{_slug(variant)}-{command}",
            kind=kind,
            variant=variant,
            target=target,
            make=make,
            good=good,
            args=args,
            needle=needle,
            writes=writes,
            unreadable=unreadable,
            remove=remove,
            fixed=fixed,
        )
        for variant, make, unreadable in variants
        for command, args, writes in commands
    ]


def _file(path: Path) -> Callable[[], bytes]:
    return path.read_bytes


def _text(text: str) -> Callable[[], bytes]:
    return text.encode


def _zoom_cues() -> bytes:
    """50,000 cues of one speaker: one turn of 1.25 million characters, past spaCy's default max_length."""
    cues = "".join(
        f"{i}\n{i // 3600:02d}:{i // 60 % 60:02d}:{i % 60:02d}.000 --> {i // 3600:02d}:{i // 60 % 60:02d}:{i % 60:02d}.500\n"
        "P1: word word word word\n\n"
        for i in range(50_000)
    )
    return ("WEBVTT\n\n" + cues).encode()


def transcript_cases() -> list[Case]:
    shapes: list[tuple[str, str, Callable[[], bytes]]] = [
        ("transcript .txt typed", ".txt", _text(TXT)),
        ("transcript .txt Otter", ".txt", _file(FILES / "otter.txt")),
        ("transcript .md", ".md", _text(TXT)),
        ("transcript .vtt Zoom", ".vtt", _file(FILES / "zoom.vtt")),
        ("transcript .vtt Teams", ".vtt", _file(FILES / "teams.vtt")),
        ("transcript .srt", ".srt", _file(FILES / "captions.srt")),
        ("transcript .docx", ".docx", docx_bytes),
        ("transcript .odt", ".odt", _file(FILES / "documents" / "transcript.odt")),
        ("transcript .rtf", ".rtf", _file(FILES / "documents" / "transcript.rtf")),
        ("transcript .pdf", ".pdf", _file(FILES / "documents" / "transcript.pdf")),
    ]
    cases: list[Case] = []
    for kind, suffix, good in shapes:
        text = suffix in (".txt", ".md", ".vtt", ".srt", ".rtf")
        variants = common(docx_bytes if text else _text(TXT), text)
        if suffix in (".docx", ".odt"):
            variants += zip_attacks("word/document.xml" if suffix == ".docx" else "content.xml")
        if suffix == ".odt":
            variants.append(
                ("password", lambda good: (FILES / "documents" / "password.odt").read_bytes(), False)
            )
        if kind.endswith("typed"):
            variants += [
                ("UTF-16 without BOM", lambda good: good.decode().encode("utf-16-le"), False),
                ("UTF-8 with one cp1252 byte", lambda good: good.replace(b"ancient", b"ancient\x92"), False),
                ("BOM then cp1252", lambda good: b"\xef\xbb\xbf" + good.decode().replace("laptop", "café laptop").encode("cp1252"), False),
                ("formula turns", lambda good: good.replace(b"My laptop", b'=HYPERLINK("http://x","laptop")').replace(b"The data", b"@SUM(1+1) data"), False),
                ("20,000 labels", lambda good: "".join(f"S{i}: hi\n" for i in range(20_000)).encode(), False),
                ("CR line ends", lambda good: good.replace(b"\n", b"\r"), False),
            ]  # fmt: skip
        if kind.endswith("Zoom"):
            variants += [
                ("50,000 cues", lambda good: _zoom_cues(), False),
                ("50,000 unclosed voice tags", lambda good: b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n" + b"<v " * 50_000 + b"\n", False),
                ("UTF-16 with BOM", lambda good: good.decode("utf-8-sig").encode("utf-16"), False),
            ]  # fmt: skip
        if suffix == ".rtf":
            variants += [
                ("deep nesting", lambda good: b"{\\rtf1 " + b"{" * 100_000 + b"P1: hi" + b"}" * 100_000 + b"}", False),
                ("unclosed groups", lambda good: b"{\\rtf1 " + b"{\\b " * 100_000 + b"P1: hi", False),
                ("huge bin", lambda good: b"{\\rtf1 P1: hi \\bin999999999 abc}", False),
                ("200,000 unicode escapes", lambda good: b"{\\rtf1 P1: " + b"\\u8364?" * 200_000 + b"}", False),
            ]  # fmt: skip
        if suffix == ".pdf":
            variants += [
                ("deep nesting", lambda good: b"%PDF-1.4\n1 0 obj\n" + b"[" * 100_000 + b"]" * 100_000 + b"\nendobj\ntrailer\n<</Root 1 0 R>>\n%%EOF\n", False),
                ("stream says 1 GB", lambda good: good.replace(b"/Length 3 0 R", b"/Length 1000000000", 1), False),
                ("encrypted", lambda good: (FILES / "documents" / "encrypted.pdf").read_bytes(), False),
            ]  # fmt: skip
        name = f"fg3{suffix}"
        target = f"study/transcripts/{name}"
        commands = [("read", ("read", "{case}/" + target), False), ("reduce", REDUCE, True)]
        cases += _cases(kind, target, name, variants, commands, fixed=good)
    cases += _cases(
        "transcript .txt typed", "study/transcripts/fg\udcff3.txt", "fg", [("name not UTF-8", lambda g: g, False)],
        [("reduce", REDUCE, True)], fixed=_text(TXT),
    )  # fmt: skip
    cases += _cases(
        "transcript .txt typed", "study/transcripts/fg1.docx", "fg1.docx",
        [("fg1.txt and fg1.docx", lambda g: g, False)], [("reduce", REDUCE, True)], fixed=docx_bytes,
    )  # fmt: skip
    return cases


def good_yaml() -> bytes:
    text = (HERE / "conftest.py").read_text(encoding="utf-8")
    return text.split('CODEBOOK_YAML = """\\\n', 1)[1].split('"""', 1)[0].encode()


def _alias_bomb(good: bytes) -> bytes:
    lines = [b"a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        previous, this = chr(96 + i).encode(), chr(97 + i).encode()
        lines.append(b"%s: &%s [%s]" % (this, this, b", ".join([b"*" + previous] * 9)))
    return b"\n".join(lines) + b"\ntitle: x\nthemes: []\n"


def codebook_cases() -> list[Case]:
    forms: list[tuple[str, Callable[[], bytes], Callable[[], bytes]]] = [
        (".yaml", good_yaml, xlsx_codebook_bytes),
        (".xlsx", xlsx_codebook_bytes, _text(csv_codebook())),
        (".csv", _text(csv_codebook()), xlsx_codebook_bytes),
        (".qdc", lambda: QDC, good_yaml),
    ]
    doctype = b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://@SECRET@">]>'
    cases: list[Case] = []
    for suffix, good, other in forms:
        variants = common(other, text=suffix != ".xlsx")
        if suffix == ".yaml":
            variants += [
                ("deep nesting", lambda g: b"title: deep\nthemes: " + b"[" * 50_000 + b"]" * 50_000 + b"\n", False),
                ("alias bomb", _alias_bomb, False),
                ("python tag", lambda g: b"title: !!python/object/apply:os.system ['echo PWNED']\nthemes: []\n", False),
                ("UTF-16 with BOM", lambda g: g.decode().encode("utf-16"), False),
                ("a list at the top", lambda g: b"- a\n- b\n", False),
                ("duplicate keys", lambda g: g.replace(b"title: Test codebook\n", b"title: Test codebook\ntitle: Other\n"), False),
            ]  # fmt: skip
        if suffix == ".xlsx":
            variants += zip_attacks("xl/sharedStrings.xml")
            variants.append(("sheet XXE", lambda g: rezip(g, lambda n, d: with_doctype(d, doctype, b"") if n == "xl/worksheets/sheet1.xml" else d), False))  # fmt: skip
        if suffix == ".csv":
            variants += [
                ("UTF-16 without BOM", lambda g: g.decode().encode("utf-16-le"), False),
                ("cp1252", lambda g: g.decode().replace("Phones", "Téléphones").encode("cp1252"), False),
                ("semicolons", lambda g: g.replace(b",", b";"), False),
                ("100,000 columns", lambda g: b",".join([b"Theme", b"Code"] + [b"x"] * 100_000) + b"\nA,B\n", False),
            ]  # fmt: skip
        if suffix == ".qdc":
            variants += [
                ("XXE", lambda g: g.replace(b"<CodeBook", doctype + b"<CodeBook", 1).replace(b"<Codes>", b"<Codes>&xxe;"), False),
                ("entity bomb", lambda g: g.replace(b"<CodeBook", LAUGHS + b"<CodeBook", 1).replace(b"<Codes>", b"<Codes>&l10;"), False),
                ("deep nesting", lambda g: b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>' + b"<Code>" * 100_000 + b"</Code>" * 100_000 + b"</Codes></CodeBook>", False),
                ("UTF-16 declared UTF-8", lambda g: g.decode().encode("utf-16-le"), False),
            ]  # fmt: skip
        name = f"codebook{suffix}"
        remove = () if suffix == ".yaml" else ("study/codebook.yaml",)
        check = [("check", ("codebook", "check", "{case}/study/" + name), False)]
        checks = _cases(
            f"codebook {suffix}", f"study/{name}", name, variants, check, fixed=good, remove=remove
        )
        # issue 19 item 8: a key given twice must be reported, not the last one silently kept
        cases += [dataclasses.replace(c, refuse=c.variant == "duplicate keys") for c in checks]
        if suffix != ".qdc":  # a study's codebook is YAML, XLSX or CSV; a .qdc is converted first
            # a codebook read without its codes may be refused through the cells that use them
            reduce = [("reduce", REDUCE, True)]
            needle = f"{name}|is not a code in the codebook"
            cases += _cases(
                f"codebook {suffix}", f"study/{name}", needle, variants, reduce, fixed=good, remove=remove
            )
    return cases


def workbook_variants() -> list[Variant]:
    doctype = b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://@SECRET@">]>'
    return [
        *common(_text("Segment ID,Memo\nfg1-002,hi\n"), text=False),
        *zip_attacks("xl/worksheets/sheet1.xml"),
        ("shared strings XXE", lambda g: rezip(g, lambda n, d: with_doctype(d, doctype, b"") if n == "xl/sharedStrings.xml" else d), False),
        ("a sheet's XML missing", lambda g: rezip_without(g, "xl/worksheets/sheet2.xml"), False),
    ]  # fmt: skip


def _edited(change: Callable[[Any], None]) -> Make:
    """The workbook as an Excel user left it: ``change(workbook)`` applied with openpyxl."""

    def make(good: bytes) -> bytes:
        import io

        import openpyxl

        workbook = openpyxl.load_workbook(io.BytesIO(good))
        change(workbook)
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()

    return make


def _rename_sheet(workbook: Any) -> None:
    workbook["2 Relevant"].title = "Relevant (mine)"


def _rename_memo(workbook: Any) -> None:
    sheet = workbook["2 Relevant"]
    next(cell for cell in sheet[1] if cell.value == "Memo").value = "Notes"


def _second_memo_column(workbook: Any) -> None:
    sheet = workbook["2 Relevant"]
    sheet.cell(1, sheet.max_column + 1).value = "Memo"


def tables_cases() -> list[Case]:
    commands = [("tally", ("tally", STUDY), False), ("reduce", REDUCE, True)]
    cases = _cases(
        "tables workbook", "study/radar-tables.xlsx", "radar-tables.xlsx", workbook_variants(), commands,
        good="study/radar-tables.xlsx",
    )  # fmt: skip
    # Excel users' habits (issue 13 item 2, issue 19 items 1-3): the memo and code must survive or radar must stop
    habits: list[Variant] = [
        ("sheet 2 renamed", _edited(_rename_sheet), False),
        ("Memo header renamed", _edited(_rename_memo), False),
        ("a second Memo column", _edited(_second_memo_column), False),
    ]
    for case in _cases(
        "tables workbook", "study/radar-tables.xlsx", "radar-tables.xlsx", habits, [("reduce", REDUCE, True)],
        good="study/radar-tables.xlsx",
    ):  # fmt: skip
        cases.append(dataclasses.replace(case, keeps_edits=True))
    lock = _cases(
        "tables workbook", "study/radar-tables.xlsx", "radar-tables.xlsx",
        [("open in LibreOffice", lambda g: g, False)], [("reduce", REDUCE, True)], good="study/radar-tables.xlsx",
    )[0]  # fmt: skip
    cases.append(dataclasses.replace(lock, extra=("study/.~lock.radar-tables.xlsx#",), refuse=True))
    return cases


def speakers_cases() -> list[Case]:
    variants: list[Variant] = [
        *common(xlsx_codebook_bytes, text=True),
        ("UTF-16 without BOM", lambda g: g.decode().encode("utf-16-le"), False),
        ("UTF-16 with BOM and tabs", lambda g: g.decode().replace(",", "\t").encode("utf-16"), False),
        ("cp1252", lambda g: g.decode().replace("Moderator,", "Modératrice,").encode("cp1252"), False),
        ("one participant_id for two people", lambda g: g.replace(b"P2,P02", b"P2,P01"), False),
        ("formula labels", lambda g: g.replace(b"Moderator,F01", b"\"=cmd|' /C calc'!A0\",F01"), False),
        ("no header", lambda g: b"Moderator,F01,facilitator\n", False),
    ]
    commands = [("speakers", ("speakers", STUDY), False), ("reduce", REDUCE, True)]
    return _cases(
        "speakers.csv", "study/speakers.csv", "speakers.csv", variants, commands, good="study/speakers.csv"
    )


def config_cases() -> list[Case]:
    variants: list[Variant] = [
        *common(xlsx_codebook_bytes, text=True),
        ("deep nesting", lambda g: b"a = " + b"[" * 100_000 + b"]" * 100_000 + b"\n", False),
        ("deep tables", lambda g: b"a = " + b"{b = " * 10_000 + b"1" + b"}" * 10_000 + b"\n", False),
        ("UTF-16 with BOM", lambda g: g.decode().encode("utf-16"), False),
        ("wrong types", lambda g: b'title = 3\n[deidentify]\nner = "maybe"\nplaces = "Springfield"\n', False),
        ("a table that is a value", lambda g: b"deidentify = 3\nmember_check = []\n", False),
        ("huge string", lambda g: b'title = "' + b"x" * 1_500_000 + b'"\n', False),
    ]
    commands = [("deidentify", ("deidentify", STUDY), False), ("reduce", REDUCE, True)]
    return _cases("radar.toml", "study/radar.toml", "radar.toml", variants, commands, good="study/radar.toml")


def packet_cases() -> list[Case]:
    variants = common(_text(TXT), text=False) + zip_attacks("word/document.xml")
    commands = [("import", ("member-check", "import", STUDY, "{case}/back"), True)]
    # a folder named P01.docx is no packet: the error may name the folder the packets were looked for in
    cases = _cases(
        "returned packet", "back/P01.docx", "P01.docx|/back", variants, commands, good="sent/P01.docx"
    )
    cases += _cases(
        "returned packet", "back", "/back", [("the folder is a file", lambda good: good, False)], commands,
        good="sent/P01.docx",
    )  # fmt: skip
    return cases


QDPX_SOURCE = "Sources/7A1B2C3D-4E5F-4061-8273-94A5B6C7D8E9.txt"


def zip_slip(good: bytes) -> bytes:
    """The project with sources stored as ``../../../evil.txt`` and at an absolute path, the .qde naming them."""
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as archive, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in archive.infolist():
            data = archive.read(info)
            if info.filename == "Trial.qde":
                data = data.replace(QDPX_SOURCE.split("/")[1].encode(), b"../../../evil.txt")
            new.writestr(info.filename, data)
        new.writestr("Sources/../../../evil.txt", b"P1: written outside the study\n")
        new.writestr("/tmp/hostile-matrix-evil.txt", b"P1: written outside the study\n")
    return out.getvalue()


def qdpx_cases() -> list[Case]:
    variants = (
        common(_text(TXT), text=False)
        + zip_attacks("Trial.qde")
        + [
            ("source says 1 GB", lambda g: declare_size(g, QDPX_SOURCE), False),
            ("zip slip", zip_slip, False),
        ]
    )
    commands = [("import", ("import", "qdpx", "{case}/project.qdpx", "{case}/out/new"), True)]
    return _cases(
        ".qdpx", "project.qdpx", "project.qdpx", variants, commands,
        fixed=_file(FILES / "refiqda" / "trial.qdpx"),
    )  # fmt: skip


def _decision(text: str) -> Make:
    def make(good: bytes) -> bytes:
        import io

        import openpyxl

        workbook = openpyxl.load_workbook(io.BytesIO(good))
        sheet = next(ws for ws in workbook.worksheets if any(c.value == "Decision" for c in ws[1]))
        column = next(c.column for c in sheet[1] if c.value == "Decision")
        for row in range(2, sheet.max_row + 1):
            sheet.cell(row, column).value = text
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()

    return make


def copies_cases() -> list[Case]:
    commands = [
        (
            "reconcile",
            ("reconcile", "{case}/A.xlsx", "{case}/B.xlsx", "-o", "{case}/out/reconciled.xlsx"),
            False,
        ),
        ("agreement", ("agreement", "{case}/A.xlsx", "{case}/B.xlsx"), False),
    ]
    cases = _cases("coder's copy", "A.xlsx", "A.xlsx", workbook_variants(), commands, good="A.xlsx")
    decisions: list[Variant] = [
        ("formula decision", _decision('=HYPERLINK("http://example.org","Devices")'), False),
        ("unknown code decision", _decision("Telepathy"), False),
        ("separator decision", _decision("Devices;;; ;Passwords;"), False),
        ("40,000-character decision", _decision("Devices " * 5_000), False),
    ]
    cases += _cases(
        "reconciled copy", "study/radar-tables.xlsx", "radar-tables.xlsx", decisions, [("reduce", REDUCE, True)],
        good="reconciled.xlsx",
    )  # fmt: skip
    return cases


def control_cases() -> list[Case]:
    """The good file of each type, through the same commands: the harness itself must call these handled."""
    seen: dict[tuple[str, tuple[str, ...]], Case] = {}
    for case in hostile_cases():
        seen.setdefault((case.kind, case.args), case)
    return [
        Case(
            id=f"control-{_slug(case.kind)}-{case.id.rsplit('-', 1)[1]}",
            kind=case.kind,
            variant="the good file",
            target=case.target,
            make=lambda good: good,
            good=case.good,
            args=case.args,
            needle=case.needle,
            writes=case.writes,
            remove=case.remove,
            fixed=case.fixed,
        )
        for case in seen.values()
    ]


def hostile_cases() -> list[Case]:
    """Every case of the matrix (cheap: the hostile bytes are made when a case is built)."""
    cases = (
        transcript_cases()
        + codebook_cases()
        + tables_cases()
        + speakers_cases()
        + config_cases()
        + packet_cases()
        + qdpx_cases()
        + copies_cases()
    )
    return cases


def all_cases() -> list[Case]:
    """The hostile cases and the controls, every id unique."""
    cases = hostile_cases() + control_cases()
    ids = [case.id for case in cases]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    return cases


# ------------------------------------------------------------------------ building the folders


def build_base(root: Path) -> Path:
    """A reduced study with the analyst's edits, packets sent, and two coders' copies beside it."""
    import openpyxl
    from click.testing import CliRunner

    sys.path.insert(0, str(HERE))
    from conftest import write_study

    from radar.cli import main

    base = root / "base"
    study = write_study(base / "study")
    (study / "radar.toml").write_text(MEMBER_CHECK_TOML, encoding="utf-8")
    (study / "speakers.csv").write_text(SPEAKERS, encoding="utf-8")

    def radar(*args: str | Path) -> None:
        result = CliRunner().invoke(main, [str(a) for a in args])
        assert result.exit_code == 0, result.output

    radar("reduce", study, "-q")
    radar("member-check", "export", study, "--out", base / "sent")
    set_edits(study / "radar-tables.xlsx")
    radar("reduce", study, "-q")
    assert edits_kept(study / "radar-tables.xlsx") == []
    shutil.copy(study / "radar-tables.xlsx", base / "A.xlsx")
    shutil.copy(study / "radar-tables.xlsx", base / "B.xlsx")
    workbook = openpyxl.load_workbook(base / "B.xlsx")
    sheet = workbook["2 Relevant"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "fg1-002":
            row[header.index("Code 1")].value = "Burnout"
    workbook.save(base / "B.xlsx")
    radar("reconcile", base / "A.xlsx", base / "B.xlsx", "-o", base / "reconciled.xlsx")
    (base / "back").mkdir()
    return base


def set_edits(path: Path) -> None:
    """The analyst's work: a memo on fg1-002 and a second code on fg1-003, saved as Excel would."""
    import openpyxl

    workbook = openpyxl.load_workbook(path)
    sheet = workbook["2 Relevant"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "fg1-002":
            row[header.index("Memo")].value = MEMO
        if row[0].value == "fg1-003":
            row[header.index("Code 2")].value = ADDED_CODE
    workbook.save(path)


def edits_kept(path: Path) -> list[str]:
    """What of the analyst's work is missing from the workbook (empty: all kept)."""
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True)
        rows = {
            row[0]: row
            for row in workbook["2 Relevant"].iter_rows(values_only=True)
            if row and isinstance(row[0], str)
        }
        workbook.close()
    except Exception as error:  # the workbook itself gone or broken
        return [f"the workbook cannot be read back: {type(error).__name__}: {error}"]
    missing = []
    if MEMO not in rows.get("fg1-002", ()):
        missing.append("the memo on fg1-002")
    if ADDED_CODE not in rows.get("fg1-003", ()):
        missing.append(f"the code {ADDED_CODE} on fg1-003")
    return missing


def build_case(case: Case, base: Path, cases_dir: Path, secret: Path) -> Path:
    """The case's folder: a copy of the base with the hostile file in place."""
    folder = cases_dir / case.id
    shutil.copytree(base, folder, symlinks=True)
    for name in case.remove:
        (folder / name).unlink()
    for name in case.extra:
        (folder / name).write_text("another program has this file open\n", encoding="utf-8")
    target = folder / case.target
    if target.is_dir():
        shutil.rmtree(target)
    elif target.exists():
        target.unlink()
    target.parent.mkdir(parents=True, exist_ok=True)
    content = case.content(base, secret)
    if content is None:
        target.mkdir()
        (target / "note.txt").write_text("a folder where a file should be\n", encoding="utf-8")
    else:
        target.write_bytes(content)
    if case.unreadable:
        target.chmod(0)
    return folder


# ------------------------------------------------------------------------ judging a result


def tree(root: Path) -> dict[str, str]:
    """Every file and folder under root: a hash of each file, 'dir' for each folder."""
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if path.is_symlink() or not (path.is_dir() or path.is_file()):
            found[name] = "other"
        elif path.is_dir():
            found[name] = "dir"
        else:
            try:
                found[name] = hashlib.sha256(path.read_bytes()).hexdigest()
            except PermissionError:
                found[name] = "unreadable"
    return found


def leaked(path: Path, secret: str = SECRET) -> bool:
    """Whether a file radar wrote holds the secret, in its bytes or in any zip member."""
    needle = secret.encode()
    try:
        data = path.read_bytes()
    except OSError:
        return False
    if needle in data:
        return True
    if zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as archive:
                for info in archive.infolist():
                    if info.file_size < 50_000_000 and needle in archive.read(info):
                        return True
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
    return False


def formula_cells(path: Path) -> bool:
    """Whether a workbook radar wrote has a formula cell anywhere."""
    if not zipfile.is_zipfile(path):
        return False
    with zipfile.ZipFile(path) as archive:
        return any(
            b"<f>" in archive.read(name) or b"<f " in archive.read(name)
            for name in archive.namelist()
            if name.startswith("xl/worksheets/")
        )


@dataclass(frozen=True)
class Verdict:
    outcome: str  # one of OUTCOMES
    why: str


def judge(case: Case, folder: Path, result: dict[str, Any]) -> Verdict:
    """Classify one case's run by the rule of issue 13."""
    stdout, stderr = result["stdout"], result["stderr"]
    before, after = result["before"], result["after"]
    changed = sorted(name for name in set(before) | set(after) if before.get(name) != after.get(name))
    outside = [n for n in changed if not n.startswith(("study/", "out/")) and n not in ("study", "out")]
    if result["timed_out"]:
        return Verdict("hang", f"still running after {TIMEOUT} s of CPU ({result['seconds']:.0f} s)")
    if SECRET in stdout or SECRET in stderr:
        return Verdict("injection", "the external entity's file was read into the output")
    written = [folder / n for n in changed if n in after and after[n] not in ("dir", "other")]
    if any(leaked(path) for path in written):
        return Verdict("injection", "the external entity's file was read into a file radar wrote")
    if outside:
        return Verdict("injection", f"wrote outside the study and --out: {outside[:3]}")
    if result["signal"]:
        return Verdict("traceback", f"killed by signal {result['signal']} (memory?)")
    if "Traceback (most recent call last)" in stderr:
        return Verdict("traceback", stderr.strip().splitlines()[-1][:300])
    errors = [line for line in stderr.splitlines() if line.startswith("Error:")]
    if result["code"] == 1:
        if changed:
            return Verdict("lost work", f"refused but changed {changed[:4]}")
        if not errors:
            return Verdict("unclear", f"exit 1 without an Error line: {stderr[-300:]!r}")
        # several problems found in one pass are one Error line each (radar/cli/options.py): each names its place
        for line in errors:
            if not any(needle in line for needle in case.needle.split("|")):
                return Verdict("unclear", f"the Error line does not name {case.needle}: {line[:300]}")
        return Verdict("handled", errors[0][:300])
    if result["code"] == 0:
        if errors:
            return Verdict("unclear", f"exit 0 with an Error line: {errors[0][:200]}")
        if case.refuse:
            return Verdict("unclear", "exit 0: radar went ahead where it must refuse")
        if not case.writes and (in_study := [n for n in changed if n.startswith("study")]):
            return Verdict("lost work", f"a command that only reads changed {in_study[:4]}")
        inputs = [
            n
            for n in changed
            if n.startswith("study/")
            and not n.startswith("study/.radar")
            and n not in ("study/radar-tables.xlsx", "study/.~lock.radar-tables.xlsx#")
            and n in before
        ]
        if inputs:
            return Verdict("lost work", f"an input of the study was written over: {inputs[:3]}")
        tables = folder / "study" / "radar-tables.xlsx"
        if case.writes and "study/radar-tables.xlsx" in changed:
            edits = case.target != "study/radar-tables.xlsx" or case.keeps_edits
            if edits and (missing := edits_kept(tables)):
                return Verdict("lost work", f"succeeded but lost {missing}")
            if formula_cells(tables):
                return Verdict("injection", "radar-tables.xlsx has a formula cell")
        for name in changed:
            if name.startswith("out/") and name.endswith(".xlsx") and formula_cells(folder / name):
                return Verdict("injection", f"{name} has a formula cell")
        return Verdict("handled", "exit 0, analyst's work kept")
    return Verdict("unclear", f"exit {result['code']}: {stderr[-300:]!r}")


# ------------------------------------------------------------------------ the runner (a script)


def _child(argv: list[str], folder: Path, out: Path, err: Path) -> None:
    import resource
    import traceback

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (TIMEOUT, TIMEOUT + 5))  # SIGXCPU at TIMEOUT, SIGKILL at +5
    stdout = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    stderr = os.open(err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(stdout, 1)
    os.dup2(stderr, 2)
    os.chdir(folder)
    code = 1
    try:
        from radar.cli import main

        main.main(args=argv, prog_name="radar")
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _warm_up() -> None:
    """Import once what every child needs, so that each fork starts warm."""
    import click  # noqa: F401
    import docx  # noqa: F401
    import openpyxl  # noqa: F401
    import pandas  # noqa: F401
    import xlsxwriter  # noqa: F401
    import yaml  # noqa: F401

    import radar.cli
    import radar.folder
    import radar.membercheck
    import radar.reconcile
    import radar.refiqda
    import radar.study  # noqa: F401
    from radar.suggest import english_pipeline

    english_pipeline()


def _clip(text: str, keep: int = 10_000) -> str:
    """The head and tail of a long output, each line's start kept (an Error line 40,000 characters long too)."""
    if len(text) <= 2 * keep:
        return text
    return "\n".join(line[:keep] for line in text.splitlines())[: 4 * keep] + "\n" + text[-keep:]


def serve(jobs_path: Path, results_path: Path) -> None:
    """Run every job of JOBS (a JSON list of {id, argv, folder}) and write RESULTS."""
    import signal

    _warm_up()
    jobs = json.loads(jobs_path.read_text(encoding="utf-8"))
    pending = list(reversed(jobs))
    running: dict[int, tuple[dict[str, Any], float, dict[str, str]]] = {}
    results: dict[str, Any] = {}
    logs = results_path.parent / "logs"
    logs.mkdir(exist_ok=True)
    while pending or running:
        while pending and len(running) < WORKERS:
            job = pending.pop()
            folder = Path(job["folder"])
            before = tree(folder)
            out, err = logs / f"{job['id']}.out", logs / f"{job['id']}.err"
            pid = os.fork()
            if pid == 0:
                _child(job["argv"], folder, out, err)
            running[pid] = (job, time.monotonic(), before)
        pid, status, usage = os.wait4(-1, os.WNOHANG)
        now = time.monotonic()
        if pid == 0:
            for other, (job, started, _) in running.items():
                if now - started > WALL_TIMEOUT and not job.get("killed"):
                    job["killed"] = True
                    os.kill(other, signal.SIGKILL)
            time.sleep(0.005)
            continue
        job, started, before = running.pop(pid)
        folder = Path(job["folder"])
        cpu = usage.ru_utime + usage.ru_stime
        killed = os.WIFSIGNALED(status) and (
            job.get("killed") or os.WTERMSIG(status) == signal.SIGXCPU or cpu >= TIMEOUT
        )
        results[job["id"]] = {
            "code": os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else None,
            "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) and not killed else 0,
            "timed_out": bool(killed),
            "seconds": round(now - started, 3),
            "cpu": round(cpu, 3),
            "stdout": _clip((logs / f"{job['id']}.out").read_text(encoding="utf-8", errors="replace")),
            "stderr": _clip((logs / f"{job['id']}.err").read_text(encoding="utf-8", errors="replace")),
            "before": before,
            "after": tree(folder),
        }
    results_path.write_text(json.dumps(results), encoding="utf-8")


if __name__ == "__main__":
    serve(Path(sys.argv[1]), Path(sys.argv[2]))
