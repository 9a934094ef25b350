"""Bytes to text: the encodings transcripts arrive in, detected, never guessed silently.

In order: a byte-order mark (UTF-8, UTF-16, UTF-32); UTF-8; UTF-8 with a few
bytes in Windows-1252 (a file edited in two programs, a character pasted from
another), each such byte read as Windows-1252 and the rest as UTF-8, with a
note naming the lines; Windows-1252 when every character it gives is one
that Western text uses; else the encoding charset-normalizer detects, with a
note saying which. A file that none of these decodes into letters is refused.
"""

from __future__ import annotations

import codecs
import re

from radar.errors import TranscriptError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Characters Windows-1252 gives for Western text: accented letters, typographic
# quotes and dashes, currency and a few signs. Mojibake of other code pages
# brings superscripts, fractions, ± and ¶ into the middle of words instead.
_WESTERN = frozenset(
    "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝàáâãäåæçèéêëìíîïñòóôõöøùúûüýÿßŒœŠšŽžŸƒ‘’‚“”„–—…•€£¥©®™°§¢¡¿«»·\u00a0"
)
# Non-ASCII characters that text in any of the languages below uses besides letters.
_TYPOGRAPHY = frozenset("‘’‚“”„–—…•€£¥©®™°§¢«»·\u00a0")
# Where a detector finds several encodings that fit equally, the ones in common use first.
_PREFERRED = (
    "cp1250",
    "iso8859_2",
    "cp1251",
    "koi8_r",
    "cp932",
    "shift_jis",
    "gb18030",
    "gb2312",
    "big5",
    "cp949",
    "euc_kr",
    "euc_jp",
    "cp1253",
    "iso8859_7",
    "cp1254",
    "cp1257",
    "cp1255",
    "cp1256",
)
# The non-ASCII letters of the languages whose Windows code pages are tried above.
_ALPHABETS = tuple(
    frozenset(letters)
    for letters in (
        "àâæçéèêëîïôœùûüÿ",  # French
        "äöüßé",  # German
        "áéíñóúü",  # Spanish
        "áâãàçéêíóôõú",  # Portuguese
        "àèéìíîòóùú",  # Italian
        "åäöæøéü",  # Danish, Norwegian, Swedish
        "ëïéèáóöü",  # Dutch
        "àçèéíïòóúü",  # Catalan
        "áðéíóúýþæö",  # Icelandic
        "áčďéěíňóřšťúůýž",  # Czech
        "ąćęłńóśźż",  # Polish
        "áéíóöőúüű",  # Hungarian
        "áäčďéíĺľňóôŕšťúýž",  # Slovak
        "čćđšž",  # Croatian, Bosnian, Slovene
        "ăâîșțşţ",  # Romanian
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",  # Russian
        "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",  # Ukrainian
        "абвгдђежзијклљмнњопрстћуфхцчџш",  # Serbian
        "абвгдежзийклмнопрстуфхцчшщъьюя",  # Bulgarian
        "çğıöşüâî",  # Turkish
    )
)
_LINE = re.compile(rb"[^\n]*\n|[^\n]+$")


def decode(data: bytes, name: str) -> tuple[str, str, list[str]]:
    """Decode a text file.

    Returns:
        The text with every line ending made a newline, the encoding used and
        notes for a person to check (fallback lines, a detected encoding).

    Raises:
        TranscriptError: The file is a zip or binary file, or no encoding fits.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _lines(_strict(data, codec, name)), codec, []
    if data.startswith(b"PK\x03\x04"):
        raise TranscriptError(
            f"{name}: this is a Word or zip file, not plain text; "
            "if it is a Word document, rename it to .docx"
        )
    if b"\x00" in data:
        raise TranscriptError(f"{name}: this is not a text file; export the transcript as text")
    try:
        return _lines(data.decode("utf-8")), "utf-8", []
    except UnicodeDecodeError:
        pass
    mixed = _mostly_utf8(data, name)
    if mixed is not None:
        return _lines(mixed[0]), "utf-8", mixed[1]
    single = _single_byte(data)
    if single is not None and single[1] == "cp1252":
        return _lines(single[0]), "cp1252", []
    text, codec = single if single is not None else _detected(data, name)
    note = (
        f"{name}: decoded as {codec} (detected, not UTF-8); if words look wrong, "
        "save the transcript as UTF-8 and run again"
    )
    return _lines(text), codec, [note]


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _strict(data: bytes, codec: str, name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        raise TranscriptError(
            f"{name}: starts as {codec.upper()} text but byte {error.start} does not decode; "
            "save it again as UTF-8"
        ) from error


def _mostly_utf8(data: bytes, name: str) -> tuple[str, list[str]] | None:
    """A UTF-8 file with a few Windows-1252 bytes, or None.

    A line is UTF-8 when it holds at least as many UTF-8 sequences as bytes
    that are not UTF-8 (a legacy code page such as GB2312 gives far more of
    those); when UTF-8 lines are at least as many as the others, each byte
    that is not UTF-8 is read as Windows-1252 and the rest of its line stays
    UTF-8 (``José: it’s`` with one stray ``’`` keeps its ``é``).
    """
    lines = _LINE.findall(data)
    good = bad = 0
    for line in lines:
        if line.isascii():
            continue
        if _mostly_utf8_line(line):
            good += 1
        else:
            bad += 1
    if good == 0 or bad > good:
        return None
    texts, fallback = [], []
    for number, line in enumerate(lines, start=1):
        try:
            texts.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            texts.append(line.decode("utf-8", errors=_FALLBACK))
            fallback.append(number)
    shown = ", ".join(map(str, fallback[:5])) + (" ..." if len(fallback) > 5 else "")
    note = (
        f"{name}: line(s) {shown} are not UTF-8 like the rest; their bytes that are not were read as "
        "Windows-1252; check them, and save the file as UTF-8"
    )
    return "".join(texts), [note]


def _mostly_utf8_line(line: bytes) -> bool:
    """Whether a line's UTF-8 sequences are at least as many as its bytes that are not UTF-8."""
    sequences = _UTF8_SEQUENCE.findall(line)
    wide = sum(map(len, _WIDE_BYTES.findall(line)))
    stray = wide - sum(map(len, sequences))
    return bool(sequences) and len(sequences) >= stray


_WIDE_BYTES = re.compile(rb"[\x80-\xff]+")
# A well-formed UTF-8 sequence of two to four bytes (RFC 3629): Windows-1252 text almost never holds one.
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_FALLBACK = "radar-cp1252"


def _cp1252_bytes(error: UnicodeError) -> tuple[str, int]:
    """The bytes UTF-8 cannot decode, read as Windows-1252 (a codecs error handler)."""
    assert isinstance(error, UnicodeDecodeError)
    return error.object[error.start : error.end].decode("cp1252", errors="replace"), error.end


codecs.register_error(_FALLBACK, _cp1252_bytes)


def _single_byte(data: bytes) -> tuple[str, str] | None:
    """The text in the Windows code page whose letters read as one language, or None.

    Windows-1252, -1250 (Central European), ISO-8859-2, -1251 (Cyrillic) and
    -1254 (Turkish) share most bytes, so each decoding is scored by the share of
    its non-ASCII letters that one language's alphabet holds; mojibake mixes
    alphabets (``Øeknìte`` for ``Řekněte``). Windows-1252 wins ties.
    """
    best: tuple[float, str, str] | None = None
    for codec in ("cp1252", "cp1250", "iso8859_2", "cp1251", "cp1254"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if codec == "cp1252" and any(not c.isascii() and c not in _WESTERN for c in text):
            continue
        score = _alphabet_share(text)
        if best is None or score > best[0]:
            best = (score, codec, text)
    if best is None or best[0] < 0.9:
        return None
    return best[2], best[1]


def _alphabet_share(text: str) -> float:
    """The largest share of a text's non-ASCII letters that one alphabet holds (1.0 when none).

    Signs that text rarely holds (``±``, ``¹``, ``¶``, control characters)
    count as letters no alphabet holds: they are what mojibake leaves.
    """
    wide = [char.casefold() for char in text if not char.isascii() and char not in _TYPOGRAPHY]
    if not wide:
        return 1.0
    return max(sum(char in alphabet for char in wide) for alphabet in _ALPHABETS) / len(wide)


def _detected(data: bytes, name: str) -> tuple[str, str]:
    """The text in the encoding charset-normalizer finds, or a TranscriptError."""
    from charset_normalizer import from_bytes

    matches = [m for m in from_bytes(data) if not m.encoding.startswith(("utf_16", "utf_32"))]
    if matches:
        least = min(m.chaos for m in matches)
        fitting = [m for m in matches if m.chaos <= least + 1e-9 and m.chaos < 0.2]
        fitting.sort(key=lambda m: _PREFERRED.index(m.encoding) if m.encoding in _PREFERRED else 99)
        for match in fitting:
            text = str(match)
            if _letters_share(text) >= 0.5:
                return text, match.encoding
    raise TranscriptError(
        f"{name}: cannot be decoded as UTF-8, Windows-1252 or another encoding radar can detect; "
        "save it as UTF-8 and try again"
    )


def _letters_share(text: str) -> float:
    """The share of letters among the non-ASCII characters of a text."""
    wide = [char for char in text if not char.isascii() and not char.isspace()]
    return sum(char.isalpha() for char in wide) / len(wide) if wide else 0.0
