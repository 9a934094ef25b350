"""Keyword matching: whole words only, exact form and lemma, real spaCy pipeline."""

from __future__ import annotations

import pytest

from radar.codebook import Code, Codebook, Theme
from radar.suggest import KeywordMatcher

BOOK = Codebook(
    themes=(
        Theme(
            "Technology",
            codes=(
                Code("Apps", "Technology", keywords=("app",)),
                Code("Screen sharing", "Technology", keywords=("screen sharing", "share my screen")),
            ),
        ),
        Theme(
            "Wellbeing",
            codes=(
                Code("Worry", "Wellbeing", keywords=("worry",)),
                Code("Care", "Wellbeing", keywords=("care",)),
            ),
        ),
    )
)


@pytest.fixture(scope="module")
def matcher() -> KeywordMatcher:
    return KeywordMatcher(BOOK)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I was happy with it", ()),  # "app" inside "happy"
        ("Be careful out there", ()),  # "care" inside "careful"
        ("The APP crashed", ("Apps",)),  # case
        ("Both apps crashed", ("Apps",)),  # plural -> lemma
        ("I worried a lot", ("Worry",)),  # past tense -> lemma
        ("Worrying about it", ("Worry",)),
        ("Screen sharing froze", ("Screen sharing",)),
        ("I could not share my screen", ("Screen sharing",)),
        ("screen and sharing", ()),  # a phrase needs its words together
        ("Self-care and the app", ("Apps", "Care")),  # codebook order
        ("", ()),
    ],
)
def test_codes_in(matcher: KeywordMatcher, text: str, expected: tuple[str, ...]) -> None:
    assert matcher.codes_in(text) == expected


def test_batches_equal_single_texts(matcher: KeywordMatcher) -> None:
    texts = ["the app", "nothing here", "I worry", "happy careful"] * 100
    assert matcher.codes_in_many(texts) == [matcher.codes_in(t) for t in texts]


def test_hits_say_which_keyword_matched(matcher: KeywordMatcher) -> None:
    text = "Honestly, my Apps made me WORRIED."
    hits = matcher.hits(text)
    assert [(h.code, h.keyword, h.matched) for h in hits] == [
        ("Apps", "app", "Apps"),
        ("Worry", "worry", "WORRIED"),
    ]
    assert text[hits[0].start : hits[0].end] == "Apps"


SPELLINGS = Codebook(
    themes=(
        Theme(
            "Forms",
            codes=(
                Code("Check-ins", "Forms", keywords=("check-in",)),
                Code("Emoji", "Forms", keywords=("emoji",)),
                Code("Access", "Forms", keywords=("hearing impaired",)),
            ),
        ),
    )
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("weekly check-ins help", ("Check-ins",)),  # a plural the lookup tables lack
        ("a quick check in", ("Check-ins",)),  # a space for the hyphen
        ("too many emojis", ("Emoji",)),
        ("for hearing-impaired members", ("Access",)),  # a hyphen for the space
        ("checking inside", ()),  # still whole words only
        ("emojiss", ()),
    ],
)
def test_spelling_variants(text: str, expected: tuple[str, ...]) -> None:
    assert KeywordMatcher(SPELLINGS).codes_in(text) == expected


def test_a_turn_over_a_million_characters_is_matched(matcher: KeywordMatcher) -> None:
    # A whole transcript with no speaker labels is one turn; spaCy's default limit is 1,000,000 characters.
    text = "we talked about nothing much today. " * 40_000 + "the app froze."
    assert len(text) > 1_400_000
    assert matcher.codes_in(text) == ("Apps",)
    assert matcher.codes_in_many([text]) == [("Apps",)]
