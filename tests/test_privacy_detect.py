"""Names nobody listed, name variants, contact details and the replacement style (issue 15 items 1-3, 7).

Every expected text below was worked out by hand from the sentence it masks.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest

from radar.config import DeidentifySettings
from radar.deidentify import Deidentifier, deidentifier_for, deidentifier_from, deidentify_check
from radar.speakers import Speaker, SpeakerList
from radar.study import Study
from tests.cli_helpers import assert_one_error, ok, run

FIXTURE = Path(__file__).parent / "files" / "membercheck" / "study"
EXAMPLE = Path(__file__).parents[1] / "examples" / "digital-peer-support"

SPEAKERS = SpeakerList(
    (
        Speaker("Dana Whitfield", "F1", "facilitator"),
        Speaker("José Núñez", "P01", "participant", attributes=(("nicknames", "Pepe; Joe"),)),
        Speaker("Anne-Marie Sorensen", "P02", "participant"),
        Speaker("Will Hart", "P03", "participant"),
    )
)


def deid(**settings: object) -> Deidentifier:
    values: dict[str, object] = {"ner": False, **settings}
    return deidentifier_from(SPEAKERS, None, DeidentifySettings(**values))  # type: ignore[arg-type]


# ------------------------------------------------------------------ names nobody listed


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        # after a kinship or role word: a name even when it is also a word or a month
        ("I look after my husband Frank.", "I look after my husband [name 1]."),
        ("Her daughter June drives her.", "Her daughter [name 1] drives her."),
        ("My wife, June, does the nights.", "My wife, [name 1], does the nights."),
        ("We asked nurse Kelly twice.", "We asked nurse [name 1] twice."),
        ("My neighbour Rosa Delgado told me.", "My neighbour [name 1] told me."),
        # after a title
        ("Dr Lopez never calls back.", "Dr [name 1] never calls back."),
        # before said / told / asked, sentence start or not
        ("Then Harold said no.", "Then [name 1] said no."),
        # after told / asked: a first name
        ("I told Eleanor about it.", "I told [name 1] about it."),
        # a first name from the list, even opening a sentence, with its surname
        ("Margaret came by on Tuesday.", "[name 1] came by on Tuesday."),
        ("We met Rosa Delgado there.", "We met [name 1] there."),
        ("Emma Sure, that works.", "[name 1] Sure, that works."),  # an interjection is no surname
        # the same person named again keeps the number, before the kinship word says who he is too;
        # another person gets the next
        (
            "Dr Castillo remembers things about Frank, my husband Frank. Castillo is kind.",
            "Dr [name 1] remembers things about [name 2], my husband [name 2]. [name 1] is kind.",
        ),
    ],
)
def test_names_nobody_listed_are_masked(text: str, masked: str) -> None:
    assert deid().mask(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "In June we moved, and in May we came back.",  # months without a kinship word
        "To be frank, I will grace them with a visit.",  # words, lower case
        "Peer Support Specialists met on Monday.",  # a role word before a capitalised word
        "Will you come? May I ask?",  # function words opening a sentence
        "Everyone said yes, and Somebody told me.",  # not first names, before said
        "We met at 00:12:31 in 1998, all 12 of us, segment fg1-003.",  # times, years, counts, IDs
    ],
)
def test_words_months_and_numbers_stay(text: str) -> None:
    assert deid().mask(text) == text


def test_a_first_name_that_is_a_word_goes_to_the_review_list_without_context() -> None:
    deidentifier = deid()
    text = "I asked Hope about it, then Frank came."
    # "asked Hope" is a first name after asked: masked; Frank (also a word) with no kinship word is suspected
    assert deidentifier.mask(text) == "I asked [name 1] about it, then Frank came."
    assert deidentifier.suspected_names(text) == ["Frank"]


def test_detect_false_puts_the_rules_names_on_the_review_list() -> None:
    deidentifier = deid(detect=False)
    text = "My husband Frank said Margaret knows."
    assert deidentifier.mask(text) == text
    assert deidentifier.suspected_names(text) == ["Frank", "Margaret"]


def test_the_analyst_marks_not_a_name_and_gives_a_replacement() -> None:
    deidentifier = deid(not_names=("Kelly",), replace=(("Frank", "[husband]"),))
    text = "Ask nurse Kelly, or Frank. I am frank about it."
    assert deidentifier.mask(text) == "Ask nurse Kelly, or [husband]. I am frank about it."
    findings = deidentifier.check([("fg1, turn 1", "P01", text)])
    assert [(f.kind, f.found, f.replacement) for f in findings] == [
        ("masked (radar.toml replace)", "Frank", "[husband]"),
        ("reviewed (not a name)", "Kelly", ""),
    ]
    assert deidentifier.suspected_names(text) == []


def test_spacy_entities_join_the_review_flow() -> None:
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "PERSON", "pattern": "Zed Quill"}, {"label": "PERSON", "pattern": "Orla"}])
    settings = DeidentifySettings(not_names=("Orla",))
    deidentifier = deidentifier_from(None, None, settings, nlp=nlp)
    text = "Zed Quill phoned Orla."
    # spaCy's person gets a number like the rules' names; the analyst's not_names holds for spaCy too
    assert deidentifier.mask(text) == "[name 1] phoned Orla."
    kinds = [(f.kind, f.found) for f in deidentifier.check([("g", "P01", text)])]
    assert ("reviewed (not a name)", "Orla") in kinds


# ------------------------------------------------------------------ variants of listed names


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("José Núñez and Jose Nunez and JOSE NUNEZ", "[P01] and [P01] and [P01]"),
        ("jose and Núñez said so", "[P01] and [P01] said so"),  # a surname alone before said
        ("Anne-Marie, Anne Marie and anne marie", "[P02], [P02] and [P02]"),
        ("Anne-Marie's phone, Dana\u2019s laptop", "[P02]'s phone, [F1]\u2019s laptop"),
        ("Ask Ms Sorensen, or Sorensen said", "Ask [P02], or [P02] said"),
        ("Pepe and Joe came", "[P01] and [P01] came"),  # nicknames from speakers.csv
        ("Will said so. Will you come?", "[P03] said so. Will you come?"),  # a listed name opening a sentence
        ("The Sorensen Bridge", "The Sorensen Bridge"),  # a surname alone, no context: left (review list)
    ],
)
def test_listed_names_match_their_variants(text: str, masked: str) -> None:
    assert deid().mask(text) == masked


# ------------------------------------------------------------------ contact details and numbers


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("Mail rosa.d@example.org today.", "Mail [email] today."),
        ("Call (555) 010-0142 or 555-010-0142.", "Call [phone] or [phone]."),
        ("From abroad +44 20 7946 0958, or 0800 123 456.", "From abroad [phone], or [phone]."),
        ("I live at 42 Elm Street, Apt 4B, near the park.", "I live at [address], near the park."),
        ("Tucson, AZ 85701 and zip code 02139.", "Tucson, AZ [postcode] and zip code [postcode]."),
        ("The office is at SW1A 1AA.", "The office is at [postcode]."),
        ("See facebook.com/rosa.delgado or zoom.us.", "See [url] or zoom.us."),
        ("https://example.org/team/frank-lee", "[url]"),
        ("She was born on March 14, 1952.", "She was born on [date of birth]."),
        ("DOB 3/14/52, born in 1952.", "DOB [date of birth], born in 1952."),
        ("Mum is 93 years old, aged 95.", "Mum is [age 90+], aged [age 90+]."),
        ("A ninety-two year old man.", "A [age 90+] man."),
        ("Her 100th birthday.", "Her [age 90+] birthday."),
        ("He is 45 years old, turned 89.", "He is 45 years old, turned 89."),
        ("At 00:12:31, 1,200 calls in 2019; 12000 texts; call 988.", None),
        ("[inaudible 00:01:02] segment fg1-003, 3.5 hours, version 2.0.1", None),
        ("We recorded on https://otter.ai and zoom.us.", None),  # a bare address names no one
    ],
)
def test_contact_details_and_numbers(text: str, masked: str | None) -> None:
    assert deid().mask(text) == (text if masked is None else masked)


def test_a_name_in_an_email_goes_with_the_email() -> None:
    assert deid().mask("jose.nunez@example.org") == "[email]"


# ------------------------------------------------------------------ replacement style


def test_pseudonyms_are_bracketed_by_default_and_plain_on_request() -> None:
    assert deid().mask("Hi, it's José.") == "Hi, it's [P01]."
    assert deid(pseudonym_style="{id}").mask("Hi, it's José.") == "Hi, it's P01."
    assert deid(pseudonym_style="<{id}>").mask("Hi, it's José.") == "Hi, it's <P01>."


def test_each_listed_name_has_its_own_number_and_keeps_it() -> None:
    first = deid(names=("Bobby", "Aunt Rosa"))
    text = "Dr Castillo remembers things about Bobby, and Aunt Rosa does not."
    assert first.mask(text) == "Dr [name 3] remembers things about [name 1], and [name 2] does not."
    # a name added at the end of the list keeps the others' numbers; the same texts give the same numbers
    again = deid(names=("Bobby", "Aunt Rosa", "Uncle Ted"))
    assert again.mask_all([text, "Uncle Ted too."]) == [
        "Dr [name 4] remembers things about [name 1], and [name 2] does not.",
        "[name 3] too.",
    ]
    assert deid(names=("Bobby", "Aunt Rosa", "Uncle Ted")).mask_all([text]) == again.mask_all([text])


def test_mask_all_numbers_a_name_in_every_text_it_appears_in() -> None:
    texts = ["Castillo was late.", "Dr Castillo called me."]
    # the second text says Castillo is a name; the first, masked in the same run, gets the same number
    assert deid().mask_all(texts) == ["[name 1] was late.", "Dr [name 1] called me."]


# ------------------------------------------------------------------ radar.toml


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            'pseudonym_style = "P"',
            "radar.toml, [deidentify] pseudonym_style: found 'P'; write text holding {id}",
        ),
        ("detect = 1", "radar.toml, [deidentify] detect: found 1; write true or false"),
        (
            'not_names = [""]',
            "radar.toml, [deidentify] not_names[0]: found ''; every entry must be non-empty",
        ),
        (
            "[deidentify.replace]\nFrank = 3",
            "radar.toml, [deidentify.replace] Frank: found 3; write the replacement",
        ),
    ],
)
def test_bad_settings_are_one_error(tmp_path: Path, table: str, message: str) -> None:
    study = tmp_path / "study"
    shutil.copytree(FIXTURE, study)
    (study / "radar.toml").write_text(f"[deidentify]\n{table}\n", encoding="utf-8")
    before = sorted(p.relative_to(study) for p in study.rglob("*"))
    assert_one_error(run("deidentify", study, "--check"), message)
    assert sorted(p.relative_to(study) for p in study.rglob("*")) == before


# ------------------------------------------------------------------ a study with planted identifiers

TRANSCRIPT = """\
Dana Whitfield: Thanks for coming. What gets in the way of caring at home?
José Núñez: My husband Frank has dementia, and my neighbour Rosa Delgado told me about the day centre.
Anne-Marie Sorensen: Margaret at the centre is lovely. Dr Castillo remembers things about Frank too.
Will Hart: Will said it before: her daughter June drives her. Call me on (555) 010-0142.
José Núñez: Pepe is fine. Mail me at pepe.nunez@example.org, I live at 42 Elm Street, Denver, CO 80202.
Anne-Marie Sorensen: Mum was born on March 14, 1931 and she is 93 years old. Ask nurse Kelly.
Will Hart: Jose Nunez and Anne Marie know. Ms Sorensen has my page at facebook.com/will.hart.
Dana Whitfield: And in June, how many of you met? Twelve of us, at 00:12:31, in 1998.
"""
PLANTED = [
    "Frank", "Rosa", "Delgado", "Margaret", "Castillo", "June drives", "Will said", "010-0142",
    "Pepe", "example.org", "Elm Street", "80202", "March 14", "1931", "93 years", "Kelly",
    "Jose", "Nunez", "Núñez", "José", "Anne Marie", "Anne-Marie", "Sorensen", "will.hart", "Whitfield",
    "Dana",
]  # fmt: skip


@pytest.fixture
def planted(tmp_path: Path) -> Path:
    study = tmp_path / "planted"
    (study / "transcripts").mkdir(parents=True)
    shutil.copy(FIXTURE / "codebook.yaml", study / "codebook.yaml")
    (study / "transcripts" / "fg1.txt").write_text(TRANSCRIPT, encoding="utf-8")
    (study / "speakers.csv").write_text(
        "speaker,participant_id,role,nicknames\n"
        "Dana Whitfield,F1,facilitator,\n"
        "José Núñez,P01,participant,Pepe\n"
        "Anne-Marie Sorensen,P02,participant,\n"
        "Will Hart,P03,participant,\n",
        encoding="utf-8",
    )
    (study / "radar.toml").write_text(
        '[deidentify]\nner = false\nnot_names = ["Centre"]\n\n[deidentify.replace]\nFrank = "[husband]"\n',
        encoding="utf-8",
    )
    return study


def test_no_planted_identifier_reaches_the_workbook(planted: Path) -> None:
    Study(planted).reduce()
    with zipfile.ZipFile(planted / "radar-tables.xlsx") as book:
        xml = "\n".join(book.read(name).decode("utf-8") for name in book.namelist() if name.endswith(".xml"))
    assert "[husband]" in xml and "[P01]" in xml and "[email]" in xml  # the masking did run
    left = [word for word in PLANTED if re.search(re.escape(word), xml, re.IGNORECASE)]
    assert left == []
    # what was not an identifier is still there
    for kept in ("in June", "Twelve of us", "00:12:31", "1998"):
        assert kept in xml


def test_check_shows_the_rules_the_review_list_and_what_was_reviewed(planted: Path) -> None:
    lines = ok(run("deidentify", planted, "--check"))
    text = "\n".join(lines)
    for kind in (
        "masked (radar.toml replace)",
        "masked (rule: after a kinship or role word)",
        "masked (rule: first name)",
        "masked (pattern: email)",
        "masked (pattern: phone)",
        "masked (pattern: address)",
        "masked (pattern: postcode)",
        "masked (pattern: url)",
        "masked (pattern: date of birth)",
        "masked (pattern: age over 89)",
        "masked (nickname in speakers.csv)",
    ):
        assert kind in text, kind
    summary = next(line for line in lines if line.startswith("Masked, by rule: "))
    assert "radar.toml replace 2" in summary and "pattern: email 1" in summary
    assert "Reviewed in radar.toml: not a name: Centre; own replacement: Frank -> [husband]" in lines
    result = deidentify_check(Study(planted))
    assert result.reviewed == ("not a name: Centre", "own replacement: Frank -> [husband]")


def test_the_review_list_api_for_other_outputs(planted: Path) -> None:
    deidentifier = deidentifier_for(Study(planted))
    # a packet's text, masked or not: what is left for a human is the capitalised pair nobody listed
    text = "Ask Frank, and the Oakwood Grange people. Margaret too."
    assert deidentifier.suspected_names(text) == ["Oakwood Grange"]
    assert deidentifier.suspected_names(deidentifier.mask(text)) == ["Oakwood Grange"]


# ------------------------------------------------------------------ false masking on the shipped example


def test_the_shipped_example_masks_nothing_that_is_no_identifier() -> None:
    """Every occurrence masked in the example is a speaker's name or a listed place (measured: 0 of 69).

    A guard: no rule may start masking ordinary words of the example's 6,800.
    """
    result = deidentify_check(Study(EXAMPLE))
    rows = result.findings[result.findings["kind"].str.startswith("masked")]
    speakers = (EXAMPLE / "speakers.csv").read_text(encoding="utf-8")
    places = (EXAMPLE / "radar.toml").read_text(encoding="utf-8")
    wrong = [found for found in rows["found"] if found not in speakers and f'"{found}"' not in places]
    assert wrong == []
    assert len(rows) == 69  # 39 first names, 30 places (Birmingham listed after the privacy sweep found it)


def test_masking_with_the_rules_is_idempotent() -> None:
    deidentifier = deid(replace=(("Frank", "[husband]"),))
    for line in TRANSCRIPT.splitlines():
        text = line.partition(": ")[2]
        once = deidentifier.mask(text)
        assert deidentifier.mask(once) == once, text
