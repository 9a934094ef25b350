"""RTF transcripts (.rtf), as Word, LibreOffice, WordPad and macOS TextEdit write them.

A small parser of the RTF 1.9 body: ``\\par`` (and TextEdit's backslash at a
line end) ends a paragraph, ``\\line`` is a line break inside one, ``\\tab`` a
tab. Bytes written as ``\\'xx`` (or raw) are decoded with the code page of the
current font (``\\fcharset``, ``\\cpg``) or else the document's (``\\ansicpg``,
``\\mac``, ``\\pc``), double-byte code pages included; ``\\uN`` is a Unicode
character and the ``\\ucN`` characters after it, the fallback for old readers,
are skipped.

Left out: the font, colour and style tables, document information, pictures,
headers and footers, comments, index entries, fields' instructions (their
results are kept), text deleted with track changes, and every ``{\\*\\...}``
group radar does not know. Footnotes come after the body's paragraphs. A table
row is one paragraph with its cells separated by tabs (``Facilitator\\tWhat
about...``). List bullets and numbers that the file spells out are kept.
"""

from __future__ import annotations

import codecs
import dataclasses
import re
from dataclasses import dataclass, field

from radar.errors import TranscriptError
from radar.transcripts.pdf import SYMBOL_BULLETS

SUFFIXES = (".rtf",)
MAX_BYTES = 200_000_000

_TOKEN = re.compile(
    rb"\\(?P<word>[a-zA-Z]{1,32})(?P<arg>-?\d{1,10})? ?"
    rb"|\\'(?P<hex>[0-9a-fA-F]{2})"
    rb"|\\(?P<symbol>.)"
    rb"|(?P<brace>[{}])"
    rb"|[\r\n]+"
    rb"|(?P<text>[^\\{}\r\n]+)",
    re.DOTALL,
)
# Groups whose text is not the document's body (those written with \* are skipped too).
_SKIPPED = frozenset(
    """
    aftncn aftnsep aftnsepc annotation atnauthor atndate atnicn atnid atnparent atnref atntime atrfend
    atrfstart author background bkmkend bkmkstart blipuid buptim category colorschememapping colortbl
    comment company creatim datafield datastore do doccomm docvar dptxbxtext falt fldinst filetbl fname
    footer footerf footerl footerr ftncn ftnsep ftnsepc generator header headerf headerl headerr
    hlinkbase info keycode keywords latentstyles leveltext levelnumbers listname listoverridetable
    listtable manager nonshppict objclass objdata objname operator panose password passwordhash pgdsctbl
    pict picprop pn pntxta pntxtb printim private propname protusertbl revtbl revtim rsidtbl rxe shpinst
    shprslt sn sp stylesheet subject sv tc template themedata title txe ud upr userprops wgrffmtfilter
    xe xmlnstbl
    """.split()  # noqa: SIM905 (a word list reads better than 100 quoted lines)
)
_CHARACTERS = {
    "tab": "\t",
    "cell": "\t",
    "nestcell": "\t",
    "line": "\n",
    "nestrow": "\n",
    "emdash": "\u2014",
    "endash": "\u2013",
    "emspace": "\u2003",
    "enspace": "\u2002",
    "qmspace": "\u2005",
    "bullet": "\u2022",
    "lquote": "\u2018",
    "rquote": "\u2019",
    "ldblquote": "\u201c",
    "rdblquote": "\u201d",
    "zwj": "\u200d",
    "zwnj": "\u200c",
}
_SYMBOLS = {"~": "\u00a0", "_": "-", "{": "{", "}": "}", "\\": "\\", "\t": "\t"}
_PARAGRAPH_ENDS = frozenset({"par", "sect", "page", "row"})
# Windows character sets (\fcharset) and their code pages; 0 and 1 mean the document's.
_CHARSETS = {
    77: "mac_roman",
    128: "cp932",
    129: "cp949",
    130: "johab",
    134: "cp936",
    136: "cp950",
    161: "cp1253",
    162: "cp1254",
    163: "cp1258",
    177: "cp1255",
    178: "cp1256",
    186: "cp1257",
    204: "cp1251",
    222: "cp874",
    238: "cp1250",
    254: "cp437",
    255: "cp850",
}
_CODE_PAGES = {
    10000: "mac_roman",
    10006: "mac_greek",
    10007: "mac_cyrillic",
    10029: "mac_latin2",
    65001: "utf-8",
}
_SYMBOL_FONT = "symbol"  # the Symbol font's bytes, read as Windows does (U+F020-U+F0FF)


def paragraphs(data: bytes, name: str) -> list[str]:
    """The RTF document's text as paragraphs in reading order (see the module docstring).

    Raises:
        TranscriptError: the file is empty, not RTF, cut short, too large or holds no text.
    """
    if not data.strip():
        raise TranscriptError(f"{name}: the file is empty; export the transcript again")
    if len(data) > MAX_BYTES:
        raise TranscriptError(
            f"{name}: the RTF file is over {MAX_BYTES / 1_000_000:g} MB, far larger than a transcript "
            "(pictures?); save it as Word (.docx) or text"
        )
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        raise TranscriptError(
            f"{name}: this is not an RTF file (another file renamed?); save the transcript as RTF, Word or text"
        )
    parser = _Parser()
    if not parser.parse(data):
        raise TranscriptError(
            f"{name}: the RTF file is cut short (a group is never closed), so text may be missing; "
            "save or export the transcript again"
        )
    result = parser.body.finish() + parser.notes.finish()
    if not result:
        raise TranscriptError(f"{name}: the RTF document holds no text; check it is the transcript")
    return result


@dataclass
class _Group:
    """What a group inherits from its parent and may change for itself."""

    skip: bool = False
    notes: bool = False
    fonts: bool = False  # inside the font table
    font: int | None = None
    skip_after_unicode: int = 1  # \ucN
    deleted: bool = False


@dataclass
class _Text:
    """Paragraphs being written, with bytes decoded in their code page as they come."""

    paragraphs: list[str] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    encoding: str = "cp1252"
    decoder: codecs.IncrementalDecoder | None = None

    def add_bytes(self, raw: bytes, encoding: str) -> None:
        if encoding == _SYMBOL_FONT:
            self.add("".join(chr(0xF000 + byte) if byte >= 0x20 else chr(byte) for byte in raw))
            return
        if self.decoder is None or encoding != self.encoding:
            self.flush_bytes()
            self.encoding = encoding
            self.decoder = codecs.getincrementaldecoder(encoding)("replace")
        self.parts.append(self.decoder.decode(raw))

    def add(self, text: str) -> None:
        self.flush_bytes()
        self.parts.append(text)

    def flush_bytes(self) -> None:
        if self.decoder is not None:
            self.parts.append(self.decoder.decode(b"", final=True))
            self.decoder = None

    def end_paragraph(self) -> None:
        self.flush_bytes()
        text = "".join(self.parts)
        # \uN gives UTF-16 code units: pair the surrogates, and mark a lone one.
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        text = text.translate(SYMBOL_BULLETS).strip(" \t\n\u00a0")
        if text:
            self.paragraphs.append(text)
        self.parts.clear()

    def finish(self) -> list[str]:
        self.end_paragraph()
        return self.paragraphs


class _Parser:
    """One pass over the RTF tokens, keeping a stack of group states."""

    def __init__(self) -> None:
        self.body = _Text()
        self.notes = _Text()
        self.group = _Group()
        self.stack: list[_Group] = []
        self.encoding = "cp1252"
        self.default_font: int | None = None
        self.font_encodings: dict[int, str] = {}
        self.defining: int | None = None  # the font being defined in the font table
        self.skipping = 0  # fallback characters left to skip after \uN
        self.in_table = False

    @property
    def text(self) -> _Text:
        return self.notes if self.group.notes else self.body

    def parse(self, data: bytes) -> bool:
        """Read the document; False when it ends before its groups are closed."""
        position = 0
        started = False
        while position < len(data):
            match = _TOKEN.match(data, position)
            if match is None:  # a backslash as the very last byte
                break
            position = match.end()
            if match["brace"] == b"{":
                started = True
                self.skipping = 0
                self.stack.append(self.group)
                self.group = dataclasses.replace(self.group)
            elif match["brace"] == b"}":
                self.skipping = 0
                if not self.stack:
                    return True
                self.group = self.stack.pop()
                if started and not self.stack:
                    return True  # the document's group is closed; Word ignores what follows
            elif match["word"] is not None:
                arg = match["arg"]
                number = int(arg) if arg is not None else None
                position = self.control(match["word"].decode("ascii"), number, data, position)
            elif match["hex"] is not None:
                self.characters(bytes.fromhex(match["hex"].decode("ascii")))
            elif match["symbol"] is not None:
                self.symbol(match["symbol"].decode("latin-1"))
            elif match["text"] is not None:
                self.characters(match["text"])
        return False

    def visible(self) -> bool:
        return not (self.group.skip or self.group.deleted)

    def characters(self, raw: bytes) -> None:
        """Bytes of text in the current code page, after any \\uN fallback still to skip."""
        if self.skipping:
            skipped = min(self.skipping, len(raw))
            self.skipping -= skipped
            raw = raw[skipped:]
        if self.group.fonts and self.defining is not None:
            return  # a font's name
        if raw and self.visible():
            self.text.add_bytes(raw, self.current_encoding())

    def current_encoding(self) -> str:
        font = self.group.font if self.group.font is not None else self.default_font
        return self.font_encodings.get(font, self.encoding) if font is not None else self.encoding

    def symbol(self, char: str) -> None:
        """A control symbol: an escaped character, or TextEdit's paragraph end."""
        if char == "*":
            self.skipping = 0
            self.group.skip = True  # \* marks a group for readers that know it; radar knows none
            return
        if self.skip_one():
            return
        if char in "\r\n":
            self.paragraph_end()
        elif char in _SYMBOLS and self.visible():
            self.text.add(_SYMBOLS[char])

    def skip_one(self) -> bool:
        """Whether this token is a \\uN fallback character to skip."""
        if self.skipping:
            self.skipping -= 1
            return True
        return False

    def control(self, word: str, number: int | None, data: bytes, position: int) -> int:
        """Act on a control word; returns where reading goes on (after \\bin's bytes)."""
        if word == "bin":
            return position + max(number or 0, 0)
        if word == "u" and number is not None:
            self.unicode(number)
            return position
        if self.skip_one():
            return position
        if word in _SKIPPED:
            self.group.skip = True
        elif word == "fonttbl":
            self.group.fonts = True
            self.group.skip = True
        elif self.group.fonts:
            self.font_definition(word, number)
        elif not self.group.skip:
            self.formatting(word, number)
        return position

    def unicode(self, number: int) -> None:
        if self.visible():
            self.text.add(chr(number % 0x10000))
        self.skipping = self.group.skip_after_unicode

    def font_definition(self, word: str, number: int | None) -> None:
        """Font table entries: each font's number and code page."""
        if word == "f" and number is not None:
            self.defining = number
        elif word == "fcharset" and number is not None and self.defining is not None:
            charset = _SYMBOL_FONT if number == 2 else _CHARSETS.get(number)
            if charset is not None:
                self.font_encodings[self.defining] = charset
        elif word == "cpg" and number is not None and self.defining is not None:
            self.font_encodings[self.defining] = _code_page(number, self.encoding)

    def formatting(self, word: str, number: int | None) -> None:
        """Body control words: breaks, special characters, code pages and the state radar tracks."""
        group = self.group
        if word in _PARAGRAPH_ENDS:
            self.paragraph_end(row=word == "row")
        elif word in _CHARACTERS:
            if self.visible():
                self.text.add(_CHARACTERS[word])
        elif word == "footnote":
            self.notes.end_paragraph()
            group.notes = True
        elif word == "uc" and number is not None:
            group.skip_after_unicode = max(number, 0)
        elif word == "f":
            group.font = number
        elif word == "plain":
            group.font = None
            group.deleted = False
        elif word == "deleted":
            group.deleted = number != 0
        elif word == "pard":
            self.in_table = False
        elif word == "intbl":
            self.in_table = True
        else:
            self.document_setting(word, number)

    def document_setting(self, word: str, number: int | None) -> None:
        if word == "ansicpg" and number is not None:
            self.encoding = _code_page(number, "cp1252")
        elif word in ("mac", "pc", "pca"):
            self.encoding = {"mac": "mac_roman", "pc": "cp437", "pca": "cp850"}[word]
        elif word == "deff":
            self.default_font = number

    def paragraph_end(self, *, row: bool = False) -> None:
        """\\par ends a paragraph, except inside a table cell; \\row ends the row's paragraph."""
        if not self.visible():
            return
        if self.in_table and not row and not self.group.notes:
            self.text.add("\n")
            return
        self.text.end_paragraph()


def _code_page(number: int, fallback: str) -> str:
    """The Python codec for a Windows code page number, or the fallback for an unknown one."""
    if number in _CODE_PAGES:
        return _CODE_PAGES[number]
    if 28591 <= number <= 28605:
        name = f"iso8859_{number - 28590}"
    else:
        name = f"cp{number}"
    try:
        codecs.lookup(name)
    except LookupError:
        return fallback
    return name
