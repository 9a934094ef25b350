"""speakers.csv columns that identify a person: never counted, shown or exported as attributes.

A column identifies a person when its header says it holds names, contact
details or a date of birth (``name``, ``email``, ``e-mail``, ``phone``,
``tel``, ``mobile``, ``address``, ``postcode``, ``dob``, ``date of birth``...),
or when any of its values looks like an email address or a phone number.
Breakdowns refuse such a column (:func:`refuse_identifying`); the
characteristics table and the REFI-QDA export leave it out
(:func:`shown_attributes`).

Example:
    >>> identifying_header("E-mail"), identifying_header("Date of birth"), identifying_header("state")
    ('email addresses', 'dates of birth', '')
    >>> looks_like_contact("maria@example.org"), looks_like_contact("+1 (802) 555-0199"), looks_like_contact("45")
    ('email addresses', 'phone numbers', '')
"""

from __future__ import annotations

import re

from radar.errors import SpeakersError
from radar.speakers import SpeakerList

SPEAKERS_FILE = "speakers.csv"

_HEADER_WORDS = {
    "names": (
        "name", "names", "surname", "surnames", "forename", "firstname", "lastname", "fullname",
        "nickname", "nicknames", "initials",
    ),
    "email addresses": ("email", "emails", "mail"),
    "phone numbers": ("phone", "phones", "telephone", "tel", "mobile", "cell", "cellphone", "fax", "whatsapp"),
    "addresses": ("address", "addresses", "street", "postcode", "zip", "zipcode"),
    "dates of birth": ("dob", "birthday", "birthdate"),
    "identity numbers": ("ssn", "nhs", "mrn", "passport"),
}  # fmt: skip
_HEADER_PHRASES = {
    "dates of birth": ("date of birth", "birth date"),
    "identity numbers": ("social security",),
}
_WORDS = re.compile(r"[a-z0-9]+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w+])\+?\(?\d[\d ().-]{5,}\d(?!\w)")


def identifying_header(header: str) -> str:
    """What a column holds, in words, when its header names an identifier (else empty)."""
    text = header.lower().replace("e-mail", "email")
    words = _WORDS.findall(text)
    spaced = " ".join(words)
    for what, phrases in _HEADER_PHRASES.items():
        if any(f" {p} " in f" {spaced} " for p in phrases):
            return what
    for what, names in _HEADER_WORDS.items():
        if any(word in names for word in words):
            return what
    return ""


def looks_like_contact(value: str) -> str:
    """``email addresses`` or ``phone numbers`` when a value looks like one (else empty)."""
    if _EMAIL.search(value):
        return "email addresses"
    for match in _PHONE.finditer(value):
        if sum(ch.isdigit() for ch in match.group(0)) >= 7:
            return "phone numbers"
    return ""


def identifying_attributes(speakers: SpeakerList | None) -> dict[str, str]:
    """The speakers list's identifying columns, each with why: ``{"email": "email addresses (its header)"}``."""
    if speakers is None:
        return {}
    found: dict[str, str] = {}
    for name in speakers.attribute_names:
        what = identifying_header(name)
        if what:
            found[name] = f"{what} (its header)"
            continue
        for speaker in speakers.speakers:
            what = looks_like_contact(dict(speaker.attributes).get(name, ""))
            if what:
                found[name] = f"{what} (participant {speaker.participant_id}'s value)"
                break
    return found


def shown_attributes(speakers: SpeakerList | None) -> tuple[str, ...]:
    """The attribute columns outputs may show: every one that does not identify a person."""
    if speakers is None:
        return ()
    hidden = identifying_attributes(speakers)
    return tuple(name for name in speakers.attribute_names if name not in hidden)


def refuse_identifying(attribute: str, speakers: SpeakerList | None) -> None:
    """Refuse to count or show a column that identifies a person.

    Raises:
        SpeakersError: naming the column, what it holds and what to do instead.
    """
    why = identifying_attributes(speakers).get(attribute)
    if why is None:
        return
    others = ", ".join(("group", *shown_attributes(speakers)))
    raise SpeakersError(
        f"{SPEAKERS_FILE}, column {attribute!r}: it holds {why}, which identify a participant, so radar "
        f"never counts or shows it as an attribute; break down by a characteristic instead ({others})",
        path=SPEAKERS_FILE,
    )
