"""PDF, RTF and OpenDocument transcripts read into paragraphs (radar.transcripts.pdf, .rtf, .odt).

The documents under tests/files/documents are made by make_documents.py there:
a Word transcript converted by LibreOffice, RTF written the way Word and
TextEdit write it, and hostile or damaged files. Every expected paragraph below
is written out by hand from the text put into those files.
"""

from __future__ import annotations

import io
import random
import time
import zipfile
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from radar.errors import TranscriptError
from radar.transcripts import odt, pdf, rtf

FILES = Path(__file__).parent / "files" / "documents"
Paragraphs = Callable[[bytes, str], list[str]]
READERS: dict[str, Paragraphs] = {"pdf": pdf.paragraphs, "rtf": rtf.paragraphs, "odt": odt.paragraphs}

LONG = (
    "Let’s start with the clinic on Harbour Street. When you think about the last time you "
    "or someone in your family needed to see a doctor there, what happened from the moment you "
    "decided to go until the moment you got home again, and was there anything about the waiting "
    "room, the receptionists or the opening hours that made it easier or harder than you expected?"
)
SECOND_LONG = (
    "The bus is the real problem for me. Route twelve only runs every forty minutes after six, so "
    "if the appointment overruns you either leave early or you wait in the dark at the stop, and "
    "my daughter worries about that more than I do, to be honest."
)
# The Word transcript as written, paragraph by paragraph (the table's rows as cells).
SOURCE = [
    "Riverside Health Focus Group 3",
    "Date: 14 March 2024",
    "Facilitator: Welcome, everyone. Thank you for coming.",
    "Maria Lopez: Thanks for having me. I’ve lived in Riverside for twelve years.",
    f"Facilitator: {LONG}",
    "Maria Lopez: It was  really  busy, the café was full\nthan the waiting room. [inaudible]",
    "Evening opening hours",
    "A nurse who speaks Spanish",
    "Facilitator:\tWhat about getting there?",
    f"Maria Lopez: {SECOND_LONG}",
    "Facilitator\tAnything else?",
    "Maria Lopez\tNo, that’s all.",
    "End of transcript",
]
FOOTER = "Riverside Health Focus Group – confidential"


def read(name: str) -> list[str]:
    return READERS[name.rsplit(".", 1)[1]]((FILES / name).read_bytes(), name)


def words_in_order(source: Sequence[str], found: Sequence[str]) -> list[str]:
    """The source's words missing from ``found``, in order (``found`` may hold more words)."""
    wanted = " ".join(source).split()
    have = iter(" ".join(found).split())
    return [word for word in wanted if word not in have]


# --- Word transcripts converted by LibreOffice -------------------------------------------------


def test_odt_from_libreoffice_has_every_paragraph_in_order() -> None:
    assert read("transcript.odt") == SOURCE


def test_rtf_from_libreoffice_has_every_paragraph_with_its_bullets() -> None:
    expected = list(SOURCE)
    expected[6:8] = ["•\tEvening opening hours", "•\tA nurse who speaks Spanish"]
    assert read("transcript.rtf") == expected


def test_pdf_from_libreoffice_joins_wrapped_lines_and_keeps_the_footer() -> None:
    assert read("transcript.pdf") == [
        "Riverside Health Focus Group 3",
        "Date: 14 March 2024",
        "Facilitator: Welcome, everyone. Thank you for coming.",
        "Maria Lopez: Thanks for having me. I’ve lived in Riverside for twelve years.",
        f"Facilitator: {LONG}",
        # The soft line break ends a short line, which a PDF cannot tell from a paragraph's end.
        "Maria Lopez: It was  really  busy, the café was full",
        "than the waiting room. [inaudible]",
        "• Evening opening hours",
        "• A nurse who speaks Spanish",
        FOOTER,
        "Facilitator: What about getting there?",
        f"Maria Lopez: {SECOND_LONG}",
        "Facilitator Anything else?",
        "Maria Lopez No, that’s all.",
        "End of transcript",
        FOOTER,
    ]


def test_the_pdf_long_paragraphs_wrap_over_several_lines() -> None:
    """The joining is real: pypdf gives LONG as five lines."""
    import pypdf

    lines = pypdf.PdfReader(FILES / "transcript.pdf").pages[0].extract_text().splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("Facilitator: Let’s start"))
    last = next(i for i, line in enumerate(lines) if line.endswith("than you expected?"))
    assert last - first == 4


@pytest.mark.parametrize("name", ["transcript.odt", "transcript.rtf", "transcript.pdf", "owner-only.pdf"])
def test_no_word_of_the_transcript_is_dropped(name: str) -> None:
    assert words_in_order(SOURCE, read(name)) == []


def test_a_pdf_protected_only_against_copying_is_read() -> None:
    assert read("owner-only.pdf") == read("transcript.pdf")


def test_an_aes_protected_pdf_is_read_or_names_the_package_it_needs() -> None:
    """pypdf decrypts AES only with the optional cryptography package, which radar does not require."""
    try:
        found = read("aes-owner-only.pdf")
    except TranscriptError as error:
        assert str(error) == (
            "aes-owner-only.pdf: the PDF is encrypted with AES, which needs the cryptography package "
            "(pip install cryptography); or save a copy without protection"
        )
    else:
        assert found == read("transcript.pdf")


# --- RTF as Word and TextEdit write it ---------------------------------------------------------


def test_textedit_rtf() -> None:
    assert read("textedit.rtf") == [
        "Interview 4 – José García",
        "Recorded 2 April 2024",
        "Interviewer: How did you hear about the programme?",
        "José García: My neighbour’s son told me. He said it’s free — and it is.",
        "Interviewer:\tAnd the first visit?",
        "José García: Easy. The nurse said “come back in May”.",
    ]


def test_word_rtf_reads_code_pages_fields_lists_tables_and_footnotes() -> None:
    assert read("word.rtf") == [
        "Interview 5 – Riverside Health",
        "Interviewer: Thank you for meeting me. Could you tell me about the café meetings?",
        "Olena Kovalenko: We meet on Thursdays. In Ukrainian we call it зустріч, a meeting. "
        "My friend Yui says こんにちは to everyone \U0001f600.",
        "Interviewer: That sounds lovely. Where did you find out about it?",
        "Olena Kovalenko: On the Riverside page. They list two things:",
        "•\tEnglish lessons",
        "•\tA lunch club",
        "Olena Kovalenko\tI came for the English lessons.\nAnd stayed for the people.",
        "Interviewer: Thank you, Olena.",
        "Interviewer’s note: the group started in 2022.",
    ]


def test_word_rtf_leaves_out_header_deleted_text_and_tables_of_fonts_and_styles() -> None:
    text = "\n".join(read("word.rtf"))
    for absent in (
        "Confidential",
        "sounds very",
        "Times New Roman",
        "Normal",
        "Research Office",
        "HYPERLINK",
        "504b",
    ):
        assert absent not in text


def rtf_document(body: str, header: str = r"\ansi\ansicpg1252") -> bytes:
    return ("{\\rtf1" + header + "{\\fonttbl{\\f0\\fswiss Arial;}}\\f0 " + body + "}").encode("latin-1")


@pytest.mark.parametrize(
    ("body", "header", "expected"),
    [
        (r"One\par Two\line two\tab 2\par", r"\ansi", ["One", "Two\ntwo\t2"]),
        (r"caf\'e9 \'93quoted\'94", r"\ansi\ansicpg1252", ["café “quoted”"]),
        (r"\'cf\'f0\'e8\'e2\'e5\'f2", r"\ansi\ansicpg1251", ["Привет"]),
        (r"\'83t\'8e", r"\mac", ["Été"]),
        (r"\uc2\u8217\'92\'92s \uc1\u233?t\u233?", r"\ansi", ["’s été"]),
        (r"\u-10179?\u-8704?", r"\ansi", ["\U0001f600"]),
        (r"a{\*\unknowndestination hidden}b{\*\bkmkstart x}c", r"\ansi", ["abc"]),
        (r"x{\pict\bin5 }}{{\}\par y", r"\ansi", ["x", "y"]),
        (r"\{braces\} and a \\ backslash", r"\ansi", ["{braces} and a \\ backslash"]),
        (r"kept{\v hidden}{\deleted gone} here", r"\ansi", ["kepthidden here"]),
        (r"\intbl A\cell B\par C\cell\row After", r"\ansi", ["A\tB\nC", "After"]),
        (r"Note{\footnote \pard The note.}.\par Next", r"\ansi", ["Note.", "Next", "The note."]),
        (r"non\~breaking op\-tional non\_breaking", r"\ansi", ["non\u00a0breaking optional non-breaking"]),
    ],
)
def test_rtf_details(body: str, header: str, expected: list[str]) -> None:
    assert rtf.paragraphs(rtf_document(body, header), "t.rtf") == expected


def test_rtf_after_the_document_group_is_ignored_as_word_does() -> None:
    assert rtf.paragraphs(rtf_document("Text") + b"}} trailing junk", "t.rtf") == ["Text"]


def test_rtf_with_a_double_byte_code_page_font() -> None:
    document = rb"{\rtf1\ansi{\fonttbl{\f1\fnil\fcharset128 MS Mincho;}}\f1 \'82\'b1\'82\'f1\'82\'c9\'82\'bf\'82\'cd}"
    assert rtf.paragraphs(document, "t.rtf") == ["こんにちは"]


# --- OpenDocument -------------------------------------------------------------------------------


def test_odt_reads_every_kind_of_paragraph_and_leaves_out_deletions_and_comments() -> None:
    assert read("features.odt") == [
        "Interview 6 – Riverside",
        "Date:\t22 March 2024",
        "Interviewer: So you said   the clinic opens late?",
        "Amal Haddad: Yes. See the leaflet, it says\nnine to five.",
        "Monday",
        "morning only",
        "Friday",
        "Interviewer: Here is the photo.",
        "Caption: the waiting room",
        "Speaker\tText",
        "Amal Haddad\n(joined late)",
        "Interviewer\tThank  you  all.",
        "東京 is where she studied.",
        "Interview 6 – Riverside\t1",
        "The leaflet is dated 2023.",
    ]


def odt_package(content: str, mimetype: str = "application/vnd.oasis.opendocument.text") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("mimetype", mimetype)
        package.writestr("content.xml", content)
    return buffer.getvalue()


ODT_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
)
ODT_TAIL = "</office:text></office:body></office:document-content>"


def test_odt_white_space_in_the_xml_collapses_as_odf_says() -> None:
    content = (
        ODT_HEAD + "<text:p>\n  Facilitator:\n   <text:span> Hello </text:span> there<text:s/> now\n</text:p>"
    )
    assert odt.paragraphs(odt_package(content + ODT_TAIL), "t.odt") == ["Facilitator: Hello there  now"]


@pytest.mark.parametrize("name", ["external-entity.odt", "billion-laughs.odt"])
def test_odt_declaring_entities_is_refused_at_once(name: str) -> None:
    started = time.perf_counter()
    with pytest.raises(TranscriptError, match=rf"^{name}: its content\.xml declares a DTD or XML entities"):
        read(name)
    assert time.perf_counter() - started < 0.5


def test_odt_whose_content_unpacks_too_large_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(odt, "MAX_CONTENT_BYTES", 5_000)
    with pytest.raises(
        TranscriptError, match=r"^transcript\.odt: its content\.xml unpacks to more than 0\.005 MB"
    ):
        read("transcript.odt")


def test_password_protected_odt_is_refused() -> None:
    with pytest.raises(TranscriptError, match=r"^password\.odt: the document is protected by a password"):
        read("password.odt")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            odt_package("<x/>", "application/vnd.oasis.opendocument.spreadsheet"),
            "is an OpenDocument spreadsheet",
        ),
        ((FILES / "transcript.docx").read_bytes(), "is a Word file renamed to .odt; rename it to .docx"),
        (odt_package("<x/>", "text/plain"), "is not an OpenDocument text"),
        (odt_package(ODT_HEAD + "<text:p>cut short"), "content.xml is not well-formed XML"),
        (odt_package(ODT_HEAD + ODT_TAIL), "the document holds no text"),
    ],
)
def test_odt_that_is_not_a_text_document(data: bytes, message: str) -> None:
    with pytest.raises(TranscriptError, match=rf"^t\.odt: .*{message}"):
        odt.paragraphs(data, "t.odt")


def test_a_zip_that_is_not_odt_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("notes.txt", "Facilitator: hello")
    with pytest.raises(TranscriptError, match=r"^t\.odt: this is not an OpenDocument text \(\.odt\) file"):
        odt.paragraphs(buffer.getvalue(), "t.odt")


# --- PDF: refused files and the limits ------------------------------------------------------


def test_scanned_pdf_without_a_text_layer_is_refused() -> None:
    with pytest.raises(TranscriptError) as raised:
        read("scanned.pdf")
    assert str(raised.value) == (
        "scanned.pdf: the PDF has no text layer (a scanned PDF?); "
        "export the transcript as text or Word, or run OCR first"
    )


def test_encrypted_pdf_is_refused() -> None:
    with pytest.raises(
        TranscriptError, match=r"^encrypted\.pdf: the PDF is protected by a password; open it"
    ):
        read("encrypted.pdf")


def test_pdf_with_too_many_pages_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "MAX_PAGES", 1)
    with pytest.raises(
        TranscriptError, match=r"^transcript\.pdf: the PDF has 2 pages, more than the 1 radar reads"
    ):
        read("transcript.pdf")


def test_pdf_with_too_much_text_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "MAX_CHARACTERS", 100)
    with pytest.raises(TranscriptError, match=r"^transcript\.pdf: the PDF holds more than 100 characters"):
        read("transcript.pdf")


def hand_pdf(content: bytes, stream_keys: bytes = b"") -> bytes:
    """A one-page PDF written by hand: Helvetica and the given content stream."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d%s >>\nstream\n" % (len(content), stream_keys) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def text_lines(lines: Sequence[tuple[int, str]]) -> bytes:
    return b"".join(
        b"BT /F1 12 Tf 1 0 0 1 72 %d Tm (%s) Tj ET\n" % (y, text.encode("cp1252")) for y, text in lines
    )


def test_a_zip_bomb_stream_in_a_pdf_is_refused() -> None:
    bomb = zlib.compress(b" " * 100_000_000, 9)  # about 100 kB that unpacks to 100 MB
    with pytest.raises(TranscriptError, match=r"^bomb\.pdf: page 1 holds more data than radar reads safely"):
        pdf.paragraphs(hand_pdf(bomb, b" /Filter /FlateDecode"), "bomb.pdf")


INTERVIEW = [
    "Facilitator: What did you think of the new clinic hours on weekday evenings, and",
    "did they change how often you go?",
    "Maria Lopez: Much better for me. I can go after work now and not lose any pay.",
    "Facilitator: And for your neighbours, the ones who work shifts at the plant?",
    "Maria Lopez: Same for them, I think, though the bus still stops at six, which",
    "means they cannot get there.",
]


def test_pdf_lines_a_line_apart_join_only_where_paragraphs_are_spaced() -> None:
    spaced = text_lines(list(zip([700, 686, 662, 648, 624, 610], INTERVIEW)))
    assert pdf.paragraphs(hand_pdf(spaced), "t.pdf") == [
        f"{INTERVIEW[0]} {INTERVIEW[1]}",
        INTERVIEW[2],
        # A line apart and full, but a new speaker after a finished sentence: kept apart.
        INTERVIEW[3],
        f"{INTERVIEW[4]} {INTERVIEW[5]}",
    ]


def test_pdf_lines_stay_apart_when_the_document_does_not_space_its_paragraphs() -> None:
    tight = text_lines([(700 - 14 * index, line) for index, line in enumerate(INTERVIEW)])
    assert pdf.paragraphs(hand_pdf(tight), "t.pdf") == INTERVIEW


# --- Damaged and empty files, and any bytes at all ----------------------------------------------


@pytest.mark.parametrize("name", ["transcript.pdf", "transcript.rtf", "transcript.odt", "word.rtf"])
@pytest.mark.parametrize("share", [0.05, 0.3, 0.6, 0.9, 0.99])
def test_a_file_cut_short_is_refused(name: str, share: float) -> None:
    data = (FILES / name).read_bytes()
    with pytest.raises(TranscriptError, match=rf"^{name}: .*(damaged|cut short)"):
        READERS[name.rsplit(".", 1)[1]](data[: int(len(data) * share)], name)


@pytest.mark.parametrize("kind", READERS)
def test_an_empty_file_is_refused(kind: str) -> None:
    with pytest.raises(
        TranscriptError, match=rf"^t\.{kind}: the file is empty; export the transcript again$"
    ):
        READERS[kind](b"", f"t.{kind}")


@pytest.mark.parametrize("kind", READERS)
def test_random_bytes_are_refused(kind: str) -> None:
    data = random.Random(kind).randbytes(5_000)
    with pytest.raises(TranscriptError, match=rf"^t\.{kind}: this is not an? "):
        READERS[kind](data, f"t.{kind}")


@pytest.mark.parametrize("document", [b"{\\rtf1\\ansi }", b"{\\rtf1{\\fonttbl{\\f0 Arial;}}\\par\\par}"])
def test_rtf_without_text_is_refused(document: bytes) -> None:
    with pytest.raises(TranscriptError, match=r"^t\.rtf: the RTF document holds no text"):
        rtf.paragraphs(document, "t.rtf")


MAGIC = {
    "pdf": lambda data: b"%PDF-1.7\n" + data,
    "rtf": lambda data: b"{\\rtf1\\ansi " + data,
    "odt": lambda data: odt_package(data.decode("latin-1")),
}


@pytest.mark.parametrize("kind", READERS)
@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=400), magic=st.booleans())
def test_any_bytes_give_paragraphs_or_a_transcript_error(kind: str, data: bytes, magic: bool) -> None:
    try:
        found = READERS[kind](MAGIC[kind](data) if magic else data, f"t.{kind}")
    except TranscriptError as error:
        assert str(error).startswith(f"t.{kind}: ")
    else:
        assert found and all(isinstance(paragraph, str) and paragraph.strip() for paragraph in found)


TEXT = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp")) | st.sampled_from("\t\n  ")
)


def rtf_escaped(text: str) -> str:
    out = []
    for char in text:
        if char in "\\{}":
            out.append("\\" + char)
        elif char == "\t":
            out.append("\\tab ")
        elif char == "\n":
            out.append("\\line ")
        elif " " <= char <= "~":
            out.append(char)
        else:
            units = char.encode("utf-16-le")
            for index in range(0, len(units), 2):
                unit = int.from_bytes(units[index : index + 2], "little")
                out.append(f"\\u{unit - 0x10000 if unit > 0x7FFF else unit}?")
    return "".join(out)


def odt_escaped(text: str) -> str:
    out = []
    for index, char in enumerate(text):
        if char == "\t":
            out.append("<text:tab/>")
        elif char == "\n":
            out.append("<text:line-break/>")
        elif char == " " and (index == 0 or text[index - 1] in " \t\n"):
            out.append("<text:s/>")
        else:
            out.append(escape(char))
    return "".join(out)


def kept(paragraphs: list[str]) -> list[str]:
    """The paragraphs a reader returns: ends trimmed of spaces, tabs and line breaks, blank ones left out."""
    return [text for text in (p.strip(" \t\n\u00a0") for p in paragraphs) if text]


@settings(max_examples=150, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=5).filter(lambda ps: bool(kept(ps))))
def test_any_text_survives_rtf(paragraphs: list[str]) -> None:
    body = "\\par ".join(rtf_escaped(p) for p in paragraphs)
    assert rtf.paragraphs(("{\\rtf1\\ansi\\ansicpg1252\\uc1 " + body + "}").encode("ascii"), "t.rtf") == kept(
        paragraphs
    )


@settings(max_examples=150, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=5).filter(lambda ps: bool(kept(ps))))
def test_any_text_survives_odt(paragraphs: list[str]) -> None:
    content = ODT_HEAD + "".join(f"<text:p>{odt_escaped(p)}</text:p>" for p in paragraphs) + ODT_TAIL
    assert odt.paragraphs(odt_package(content), "t.odt") == kept(paragraphs)
