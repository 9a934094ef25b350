"""Contact details and numbers masked by pattern: emails, phones, addresses, postcodes, URLs, birth dates, ages over 89.

Each pattern is written to leave alone what transcripts are full of: times
(``00:12:31``), Segment IDs (``fg1-003``), counts (``1,200``, ``12000``) and
years (``1998``). A ZIP code is five digits only in context (after a state,
an address or the word zip); a date is masked only as a date of birth (after
"born", "DOB", "birthday", "date of birth"); an age only over 89 (the HIPAA
Safe Harbor rule), as "93 years old", "aged 93", "ninety-two years old".

Example:
    >>> mask_contacts("Call me on (555) 010-0142 or mail rosa.d@example.org at 12:30.")
    'Call me on [phone] or mail [email] at 12:30.'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MASK_EMAIL = "[email]"
MASK_PHONE = "[phone]"
MASK_ADDRESS = "[address]"
MASK_POSTCODE = "[postcode]"
MASK_URL = "[url]"
MASK_BIRTH_DATE = "[date of birth]"
MASK_OLD_AGE = "[age 90+]"

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_DATE = (
    rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}})"  # 3/14/1952, 14.03.52
    rf"|\d{{4}}-\d{{2}}-\d{{2}}"  # 1952-03-14
    rf"|(?:the\s+)?{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?"  # 14 March 1952, the 14th of March
    rf"|{_MONTH}\s+{_DAY}(?:,?\s+\d{{4}})?)"  # March 14, 1952
)
_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_OLD_WORDS = rf"(?:ninety(?:[- ](?:{_UNITS}))?|(?:a|one)\s+hundred(?:\s+and\s+(?:{_UNITS}|ten))?)"
_OLD_NUMBER = r"(?:9\d|1[01]\d)"
_PERSON = (
    "she|he|mother|father|mom|mum|mam|dad|grandmother|grandfather|grandma|grandpa|granny|nana|"
    "husband|wife|partner|aunt|auntie|uncle|neighbou?r|patient|client"
)
_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|"
    "NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY"
)
_STREET = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Drive|Dr|Boulevard|Blvd|Court|Ct|Way|Place|Pl|Terrace|"
    r"Close|Crescent|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Square|Sq|Trail|Row)"
)


@dataclass(frozen=True)
class Pattern:
    """One kind of contact detail or number: its name, what replaces it, and the regex that finds it.

    ``group`` is the part of the match replaced (0 for the whole).
    """

    name: str
    replacement: str
    regex: re.Pattern[str]
    group: int = 0


PATTERNS: tuple[Pattern, ...] = (
    Pattern(
        "email",
        MASK_EMAIL,
        re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])"),
    ),
    Pattern(
        "url",
        MASK_URL,
        # a web address with a path, a query or a user part: facebook.com/maria.lopez; bare domains are kept
        re.compile(
            r"(?<![\w@/.-])(?:https?://|www\.)?(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}(?::\d+)?"
            r"/[^\s<>\"'\]\[)]*[^\s<>\"'\]\[).,;:!?/]"
        ),
    ),
    Pattern(
        "phone",
        MASK_PHONE,
        re.compile(
            r"(?<![\w+:./-])(?:"
            r"\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,5}"  # +1 555 010 0142, +44 20 7946 0958
            r"|\(\d{3}\)\s?\d{3}[ .-]\d{4}"  # (555) 010-0142
            r"|\d{3}[.-]\d{3}[.-]\d{4}|\d{3} \d{3} \d{4}"  # 555-010-0142, 555.010.0142
            r"|0\d{2,4}[ -]\d{3,4}[ -]?\d{3,4}"  # 020 7946 0958, 0800 123 456, 07700 900123
            r"|0\d{9,10}"  # 07700900123
            r")(?![\w:/-]|\.\d)"
        ),
    ),
    Pattern(
        "address",
        MASK_ADDRESS,
        re.compile(
            rf"(?<![\w:/.-])\d{{1,5}}[A-Za-z]?\s+(?:[A-Z][a-z]+\.?\s+){{1,3}}{_STREET}\b\.?"
            r"(?:,?\s+(?:Apt|Apartment|Unit|Suite|Flat)\.?\s*#?\w+)?"
        ),
    ),
    Pattern(
        "postcode",
        MASK_POSTCODE,
        re.compile(r"(?<![\w-])(?:GIR 0AA|[A-Z]{1,2}\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2})(?![\w-])"),  # UK
    ),
    Pattern(
        "postcode",
        MASK_POSTCODE,
        re.compile(
            rf"(?:\b(?:{_STATES})|\b(?:zip|zip\s?code|postcode|postal\s+code)(?:\s+is)?:?|\[address\],?)"
            r"\s+(\d{5}(?:-\d{4})?)(?![\w-])",
            re.IGNORECASE,
        ),
        group=1,
    ),
    Pattern("postcode", MASK_POSTCODE, re.compile(r"(?<![\w:/.-])\d{5}-\d{4}(?![\w-])")),  # ZIP+4 alone
    Pattern(
        "date of birth",
        MASK_BIRTH_DATE,
        re.compile(
            rf"\b(?:born(?:\s+on)?|date\s+of\s+birth(?:\s+is)?|d\.?o\.?b\.?|birthday(?:\s+is)?)\s*:?\s+({_DATE})"
            r"(?!\d)",
            re.IGNORECASE,
        ),
        group=1,
    ),
    Pattern(
        "age over 89",
        MASK_OLD_AGE,
        re.compile(
            rf"\b(?:{_OLD_NUMBER}|{_OLD_WORDS})(?:[ -](?:years?|yrs?)[ -]old|[ -]year[ -]old)\b",
            re.IGNORECASE,
        ),
    ),
    Pattern(
        "age over 89",
        MASK_OLD_AGE,
        re.compile(rf"\b(?:aged?|age\s+of|turned|turning)\s+({_OLD_NUMBER}|{_OLD_WORDS})\b", re.IGNORECASE),
        group=1,
    ),
    Pattern(
        "age over 89",
        MASK_OLD_AGE,
        re.compile(rf"\b({_OLD_NUMBER}(?:st|nd|rd|th))\s+birthday\b", re.IGNORECASE),
        group=1,
    ),
    Pattern(
        "age over 89",
        MASK_OLD_AGE,
        # "my mother is 93", "she's ninety-one", "he was 90 when": a person, then is/was and the age alone
        re.compile(
            rf"\b(?:{_PERSON})(?:\s+(?:is|was)|['\u2019]s)\s+(?:now\s+|nearly\s+|almost\s+)?"
            rf"({_OLD_NUMBER}|{_OLD_WORDS})\b(?![.,]\d|\s*(?:%|[a-z]*\s*(?:percent|per|pounds?|lbs?|kg|"
            r"dollars?|bucks|cents?|minutes?|mins?|miles?|km|degrees?|times?|days?|hours?|weeks?)\b))",
            re.IGNORECASE,
        ),
        group=1,
    ),
)


_MAYBE = re.compile(r"[\d@/]|ninety|hundred", re.IGNORECASE)


@dataclass(frozen=True)
class Match:
    """Where a pattern matched in a text: the span replaced, the pattern's name and replacement."""

    start: int
    end: int
    name: str
    replacement: str


def contact_matches(text: str, skip: tuple[tuple[int, int], ...] = ()) -> list[Match]:
    """The contact details and numbers in a text, in order, none overlapping another or a ``skip`` span.

    Example:
        >>> [(m.name, m.replacement) for m in contact_matches("She turned 93 on June 2.")]
        [('age over 89', '[age 90+]')]
    """
    if not _MAYBE.search(text):  # no digit, @, / nor age in words: nothing any pattern finds
        return []
    found: list[Match] = []
    taken = list(skip)
    for pattern in PATTERNS:
        for hit in pattern.regex.finditer(text):
            start, end = hit.span(pattern.group)
            if start == end or any(start < e and s < end for s, e in taken):
                continue
            found.append(Match(start, end, pattern.name, pattern.replacement))
            taken.append((start, end))
    return sorted(found, key=lambda m: m.start)


def mask_contacts(text: str) -> str:
    """The text with every contact detail and number the patterns find replaced."""
    out = []
    last = 0
    for match in contact_matches(text):
        out += [text[last : match.start], match.replacement]
        last = match.end
    return "".join(out) + text[last:]
