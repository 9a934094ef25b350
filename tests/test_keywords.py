"""Keyword matching that reads real text: curly quotes, exact forms, phrases, exclusions, keyword in context."""

from __future__ import annotations

from pathlib import Path

import pytest

from radar.codebook import Code, Codebook, Theme, read_codebook_file, write_codebook
from radar.codebook.checks import codebook_warnings, keyword_problems
from radar.codebook.model import KeywordTerm, parse_keyword, straight_quotes
from radar.errors import CodebookError
from radar.suggest import KeywordMatcher
from tests.cli_helpers import assert_one_error, ok, run


def book(**codes: tuple[str, ...]) -> Codebook:
    """One theme 'T' holding each code with its keywords."""
    return Codebook(
        themes=(Theme("T", codes=tuple(Code(name, "T", keywords=kw) for name, kw in codes.items())),)
    )


# 1. Curly apostrophes and quotes


@pytest.mark.parametrize(
    ("keyword", "text"),
    [
        ("wouldn't", "I wouldn\u2019t go back"),  # Word's apostrophe in the transcript
        ("wouldn\u2019t", "I wouldn't go back"),  # Word's apostrophe in the codebook
        ("don't know", "Honestly I don\u2019t know"),
        ("don\u2019t know", "Honestly I don't know"),
        ("\u201chearing aid\u201d", "my hearing aid broke"),  # a phrase in curly quotes is a quoted phrase
    ],
)
def test_curly_and_straight_quotes_match_each_other(keyword: str, text: str) -> None:
    assert KeywordMatcher(book(A=(keyword,))).codes_in(text) == ("A",)


def test_a_curly_hit_reports_the_words_as_the_text_has_them() -> None:
    text = "I wouldn\u2019t go back"
    (hit,) = KeywordMatcher(book(A=("wouldn't",))).hits(text)
    # "I " is two characters, "wouldn’t" eight
    assert (hit.code, hit.keyword, hit.start, hit.end, hit.matched) == (
        "A",
        "wouldn't",
        2,
        10,
        "wouldn\u2019t",
    )
    assert hit.reason == 'keyword wouldn\'t matched "wouldn\u2019t"'


def test_hyphen_and_space_variants_still_match() -> None:
    matcher = KeywordMatcher(book(A=("self-care",), B=('"check in"',), C=('="hearing aid"',)))
    assert matcher.codes_in("self care matters") == ("A",)
    assert matcher.codes_in("a weekly check-in") == ("B",)
    assert matcher.codes_in("the hearing-aid battery") == ("C",)


def test_straight_quotes_keeps_every_position() -> None:
    text = "\u201cI wouldn\u2019t\u201d"
    assert straight_quotes(text) == '"I wouldn\'t"'
    assert len(straight_quotes(text)) == len(text)


# 2. The keyword syntax


def test_an_exact_form_does_not_match_its_lemma() -> None:
    plain = KeywordMatcher(book(A=("hearing",)))
    exact = KeywordMatcher(book(A=('="hearing"',)))
    assert plain.codes_in("I did not feel heard") == ("A",)  # the lemma of both is "hear"
    assert exact.codes_in("I did not feel heard") == ()
    assert exact.codes_in("I hear you") == ()
    assert exact.codes_in("two hearings") == ()  # no plural either: the form as written
    (hit,) = exact.hits("My Hearing is going")
    assert (hit.keyword, hit.matched, hit.start, hit.end) == ('="hearing"', "Hearing", 3, 10)


def test_an_exact_form_may_be_written_without_quotes() -> None:
    matcher = KeywordMatcher(book(A=("=hearing",)))
    assert matcher.codes_in("I was heard") == ()
    assert matcher.codes_in("my hearing aid") == ("A",)


def test_a_quoted_phrase_matches_by_lemma_and_in_order() -> None:
    matcher = KeywordMatcher(book(A=('"hearing aid"',)))
    assert matcher.codes_in("two hearing aids") == ("A",)
    assert matcher.codes_in("an aid for hearing") == ()
    (hit,) = matcher.hits("two hearing aids")
    assert (hit.keyword, hit.matched) == ('"hearing aid"', "hearing aids")


def test_an_exclusion_drops_the_hits_inside_it_for_its_code_only() -> None:
    matcher = KeywordMatcher(book(Honesty=("honest", '-"to be honest"'), Candour=("honest",)))
    assert matcher.codes_in("To be honest, the app is slow") == ("Candour",)
    text = "To be honest, she was honest with me"
    hits = [(hit.code, hit.start) for hit in matcher.hits(text)]
    # "To be " is 6 characters: the first "honest" at 6 is excluded for Honesty; "she was " puts
    # the second at 22
    assert hits == [("Candour", 6), ("Honesty", 22), ("Candour", 22)]
    assert matcher.codes_in(text) == ("Honesty", "Candour")


def test_an_exclusion_of_one_code_keeps_the_same_words_for_another_keyword() -> None:
    matcher = KeywordMatcher(book(Honesty=("honest", "frank", '-"to be honest"')))
    assert matcher.codes_in("To be honest, I was frank") == ("Honesty",)
    assert [hit.keyword for hit in matcher.hits("To be honest, I was frank")] == ["frank"]


@pytest.mark.parametrize(
    ("keyword", "term"),
    [
        ("hearing", KeywordTerm("hearing", "hearing")),
        ('"hearing aid"', KeywordTerm('"hearing aid"', "hearing aid")),
        ('="hearing"', KeywordTerm('="hearing"', "hearing", exact=True)),
        ('-"to be honest"', KeywordTerm('-"to be honest"', "to be honest", exclude=True)),
        ('-="heard"', KeywordTerm('-="heard"', "heard", exact=True, exclude=True)),
        ("- honest", KeywordTerm("- honest", "honest", exclude=True)),
        ("wouldn't", KeywordTerm("wouldn't", "wouldn't")),
    ],
)
def test_the_syntax_reads_each_form(keyword: str, term: KeywordTerm) -> None:
    assert parse_keyword(keyword) == term


@pytest.mark.parametrize(
    ("keyword", "says"),
    [
        ('="hearing', "never closed"),
        ('"hearing aid', "never closed"),
        ('hear"ing', "quote inside"),
        ('"hearing" aid', "quote inside"),
        ("=", "no word"),
        ('-""', "no word"),
        ("--honest", "sign too many"),
        ('=-"honest"', "sign too many"),
    ],
)
def test_a_broken_keyword_is_named_with_its_theme_and_code(keyword: str, says: str) -> None:
    codebook = Codebook(themes=(Theme("Care", codes=(Code("Aids", "Care", keywords=("fine", keyword)),)),))
    (problem,) = keyword_problems(codebook)
    assert problem.startswith(f"theme 'Care', code 'Aids', keyword {keyword!r}: ")
    assert says in problem
    with pytest.raises(CodebookError, match="theme 'Care', code 'Aids', keyword"):
        KeywordMatcher(codebook)


FG1 = """\
Moderator: What helps you hear in groups?
P1: My hearing aid whistles on calls, email me at sam@example.org about it.
P2: I did not feel heard by my supervisor.
P3: To be honest, the app is slow.
P1: To be honest, she was honest with me.
P2: I wouldn\u2019t go back to phone calls.
"""


YAML = """\
title: Hearing
themes:
  - name: Listening
    codes:
      - name: Hearing aids
        keywords: ['="hearing"', '"hearing aid"']
      - name: Being heard
        keywords: [hear]
      - name: Honesty
        keywords: [honest, '-"to be honest"']
      - name: Refusal
        keywords: [wouldn't]
"""


def test_the_yaml_codebook_keeps_the_syntax_and_writes_it_back(tmp_path: Path) -> None:
    file = tmp_path / "codebook.yaml"
    file.write_text(YAML, encoding="utf-8")
    codebook, _ = read_codebook_file(file)
    keywords = [code.keywords for code in codebook.codes]
    assert keywords == [
        ('="hearing"', '"hearing aid"'),
        ("hear",),
        ("honest", '-"to be honest"'),
        ("wouldn't",),
    ]
    again = tmp_path / "again.yaml"
    write_codebook(codebook, again)
    assert [code.keywords for code in read_codebook_file(again)[0].codes] == keywords


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".qdc"])
def test_every_codebook_form_keeps_the_syntax(tmp_path: Path, suffix: str) -> None:
    keywords = ('="hearing"', '-"to be honest"', '"hearing aid"', "wouldn\u2019t")
    file = tmp_path / f"codebook{suffix}"
    write_codebook(book(A=keywords), file)
    assert read_codebook_file(file)[0].codes[0].keywords == keywords


def test_reduce_refuses_a_broken_keyword_and_writes_nothing(tmp_path: Path) -> None:
    study = tmp_path / "study"
    (study / "transcripts").mkdir(parents=True)
    (study / "transcripts" / "fg1.txt").write_text(FG1, encoding="utf-8")
    (study / "codebook.yaml").write_text(YAML.replace("[hear]", "['=\"hear']"), encoding="utf-8")
    assert_one_error(run("reduce", study), "codebook.yaml", "code 'Being heard', keyword '=\"hear'")
    assert not (study / "radar-tables.xlsx").exists()


def test_codebook_check_refuses_a_broken_keyword(tmp_path: Path) -> None:
    file = tmp_path / "codebook.yaml"
    file.write_text(YAML.replace("'-\"to be honest\"'", "'-\"to be honest'"), encoding="utf-8")
    line = assert_one_error(
        run("codebook", "check", file),
        str(file),
        "theme 'Listening', code 'Honesty', keyword '-\"to be honest'",
        "never closed",
    )
    assert "more keyword" not in line


def test_codebook_check_counts_the_other_broken_keywords(tmp_path: Path) -> None:
    file = tmp_path / "codebook.yaml"
    broken = YAML.replace("[hear]", "['hear\"d', '=']")
    file.write_text(broken, encoding="utf-8")
    assert_one_error(
        run("codebook", "check", file), "code 'Being heard', keyword 'hear\"d'", "(1 more keyword"
    )


def test_a_code_with_only_exclusions_is_warned_about() -> None:
    warnings = codebook_warnings(book(A=('-"to be honest"',), B=("honest",)))
    assert warnings == [
        "code 'A' has exclusions but no keyword to suggest it, so radar will never suggest it."
    ]


# 3. Keyword in context


def test_codebook_check_against_a_study_shows_each_keyword_in_context(tmp_path: Path) -> None:
    study = tmp_path / "study"
    (study / "transcripts").mkdir(parents=True)
    (study / "transcripts" / "fg1.txt").write_text(FG1, encoding="utf-8")
    (study / "codebook.yaml").write_text(YAML, encoding="utf-8")
    ok(run("reduce", study, "--quiet"))
    lines = ok(run("codebook", "check", study / "codebook.yaml", "--against", study))
    start = lines.index("Keywords in context, in 5 kept turns:")  # the moderator's turn is not kept
    shown = lines[start + 1 :]
    # counted by hand from FG1: "hear" is the lemma of "hearing" (P1) and "heard" (P2); the exclusion
    # covers the first "honest" of P3's and P1's turns, leaving P1's second one to "honest"
    assert [line for line in shown if not line.lstrip().startswith("- ")] == [
        "  Hearing aids",
        '    ="hearing": matches 1 turn',
        '    "hearing aid": matches 1 turn',
        "  Being heard",
        "    hear: matches 2 turns",
        "  Honesty",
        "    honest: matches 1 turn",
        '    -"to be honest": dropped a hit in 2 turns',
        "  Refusal",
        "    wouldn't: matches 1 turn",
    ]
    assert "      - I did not feel [heard] by my supervisor." in shown
    assert "      - To be honest, she was [honest] with me." in shown
    assert "      - [To be honest], the app is slow." in shown
    assert "      - I [wouldn\u2019t] go back to phone calls." in shown
    text = "\n".join(lines)
    assert "[email]" in text  # the examples come from the de-identified tables
    assert "sam@example.org" not in text


def test_codebook_check_against_a_study_without_tables_says_to_reduce(tmp_path: Path) -> None:
    study = tmp_path / "study"
    (study / "transcripts").mkdir(parents=True)
    (study / "codebook.yaml").write_text(YAML, encoding="utf-8")
    result = run("codebook", "check", study / "codebook.yaml", "--against", study)
    assert_one_error(result, "radar reduce")
    assert result.stdout == ""  # refused before printing the codebook


def test_keyword_uses_gives_at_most_the_examples_asked_for() -> None:
    texts = ["I worry", "we worried", "worrying times", "no worries"]
    (use,) = KeywordMatcher(book(Worry=("worry",))).uses(texts, examples=3)
    assert (use.code, use.keyword, use.exclusion, use.texts) == ("Worry", "worry", False, 4)
    assert use.examples == ("I [worry]", "we [worried]", "[worrying] times")


def test_hits_in_many_gives_each_text_its_own_hits_with_reasons() -> None:
    matcher = KeywordMatcher(book(Aids=('="hearing"',), Honesty=("honest", '-"to be honest"')))
    texts = ["My Hearing is fine", "To be honest, no", "she was honest"]
    found = matcher.hits_in_many(texts)
    assert found == [matcher.hits(text) for text in texts]
    assert [[hit.reason for hit in hits] for hits in found] == [
        ['keyword ="hearing" matched "Hearing"'],
        [],
        ['keyword honest matched "honest"'],
    ]


def test_codebook_check_warns_about_an_exclusion_that_never_drops_a_hit(tmp_path: Path) -> None:
    file = tmp_path / "codebook.yaml"
    file.write_text(YAML.replace("'-\"to be honest\"'", "'-\"to be honest\"', -battery"), encoding="utf-8")
    lines = ok(run("codebook", "check", file))
    assert lines[-2:] == [
        "1 warning:",
        "  - exclusion '-battery' of code 'Honesty' holds none of the code's keywords, so it never drops "
        "a hit (an exclusion removes the code's hits inside the phrase, not whole turns).",
    ]
    file.write_text(YAML, encoding="utf-8")
    assert ok(run("codebook", "check", file))[-1] == "No warnings."
