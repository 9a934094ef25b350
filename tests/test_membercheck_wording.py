"""The words of a member-check packet, read back from the .docx paragraph by paragraph and cell by cell.

The study is tests/files/membercheck/wording (synthetic, one group): F1 Dana Whitfield facilitates
and introduces O1 Lee Park, the note-taker; P02 Tomas Berg opens with "Tomas."; P01 Maria Lopez says
"I'm Maria" and names Dana. Keywords code P02's laptop (Access) and P01's password (Privacy). Both
answer "say your name", so radar proposes neither as a quote; the analyst marks both as exemplars,
so each theme has one quote. radar.toml's deadline is "within two weeks" and its contact starts with "The";
the codebook gives Privacy no definition.
"""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import openpyxl
import pytest
from membercheck_helpers import body, footer

from radar import columns as C
from radar.errors import RadarWarning
from radar.membercheck import export_packets
from radar.membercheck.wording import deadline_parts, in_sentence, support_words
from radar.study import Study

WORDING = Path(__file__).parent / "files" / "membercheck" / "wording"
FORM_PROMPT = (
    "For each theme, put an X in one box: Agree (it matches my experience), Partly, or Disagree "
    "(it does not match my experience). Add a comment if you like. Leave a row empty if you prefer not to answer."
)
LETTER_START = [
    "Checking our findings with you",
    "Peer support online",
]
LETTER_END = [
    "Taking part in this check is voluntary. You can answer all of the questions, some of them or none, "
    "and you do not have to give a reason. Whatever you decide will not affect you in any way.",
    "Nothing in this packet names you or anyone else. Every participant is shown by a code such as P07 and "
    "the research team as \u201cthe facilitator\u201d or \u201cthe observer\u201d; names of people, places "
    "and organisations have been replaced by [name], [place] and [organisation]. Quotes are shown as said "
    "by \u201ca participant\u201d.",
    # no "by" before "within", and "the study team" inside the sentence
    "Please return the form within two weeks. If you have questions, please contact the study team, "
    "peer-study@example.org.",
    "If anything in this packet is upsetting, support is available: the peer support line, 0800 123 456.",
    "With thanks,",
    "The study team",
    "How to fill in the form",
    "Read the summary of each theme on the next pages.",
]
FOUND = [
    "What we found",
    "We found 2 themes: things that several people talked about. Each is described below in a few words, "
    "with quotes from the discussions.",
    "Access",
    "Getting online.",
    # P02's own "Tomas." (masked to P02) is not in the quote
    "\u201cI look after my dad, so my laptop is shared.\u201d (a participant)",
    "Privacy",
    "This theme is about passwords.",
    # P01's "I'm Maria" would say who the participant is: [name]; Dana is the facilitator
    "\u201cHi, I'm [name]. I never reuse a password, the facilitator knows that.\u201d (a participant)",
]
STEPS_END = [
    "In the table under \u201cYour feedback\u201d, put an X in one box for each theme: Agree, Partly or "
    "Disagree. Leave a row empty if you prefer not to answer.",
    "Write anything you like in the Comments column and in the boxes below the table.",
    "Save the file and send it back; or print it, fill it in by hand and return it.",
    "Please keep the line at the bottom of each page: it tells us which packet this is.",
]


def form(correct: str) -> list[str | list[str]]:
    return [
        "Your feedback",
        FORM_PROMPT,
        ["Theme", "Agree", "Partly", "Disagree", "Comments"],
        ["Access", "", "", "", ""],
        ["Privacy", "", "", "", ""],
        "",
        ["What is missing?  Is anything important missing from these themes?"],
        [""],
        "",
        [f"Anything to correct?  Is anything wrong in {correct}? Tell us what it should say."],
        [""],
        "",
        ["Anything to add?  Is there anything else you would like to tell us?"],
        [""],
        "",
        "Thank you for your time. Please return this form within two weeks.",
    ]


@pytest.fixture
def study(tmp_path: Path) -> Path:
    root = tmp_path / "wording"
    shutil.copytree(WORDING, root)
    Study(root).reduce()
    book = openpyxl.load_workbook(root / "radar-tables.xlsx")
    sheet = book[C.SHEET_PHASE3]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):  # both coded turns answer an introduction: marked by hand
        row[header.index(C.EXEMPLAR)].value = "x"
    book.save(root / "radar-tables.xlsx")
    return root


def test_the_group_packet_word_for_word(study: Path, tmp_path: Path) -> None:
    with pytest.warns(RadarWarning, match="'Privacy' has no definition"):
        result = export_packets(Study(study), tmp_path / "groups", by="group")
    packet = result.packets[0]
    assert body(packet) == [
        *LETTER_START,
        "Dear participants,",
        "Thank you for taking part in Peer support online. We have now analysed what everyone said in the "
        "discussion, and we would like to check our findings with you: do they match your experience, and "
        "have we missed anything?",
        "This packet holds a short summary of each theme we found, with one or two quotes, and what was said "
        "in your group, as it was written down. At the end is a short form for your answers.",
        *LETTER_END,
        "Read what was said in your group; tell us in the form if anything is wrong or missing.",
        *STEPS_END,
        *FOUND,
        "What was said in your group",
        "This is the transcript of your group, with every speaker shown by a code and names replaced as "
        "explained in the letter.",
        # staff by their role: "I'm Dana, and Lee from the research team" and "Thanks, Lee."
        "Facilitator: Welcome. I'm the facilitator, and the observer from the research team is taking notes.",
        "Observer: Hi all, I'm the observer.",
        "Facilitator: Thanks. Please say your name and what gets in the way.",
        # not "P02: P02. I look after my dad"
        "P02: I look after my dad, so my laptop is shared.",
        "P01: Hi, I'm [P01]. I never reuse a password, the facilitator knows that.",
        *form("the transcript"),
    ]
    token = result.record.read_text(encoding="utf-8").split('"study": "')[1].split('"')[0]
    assert (
        footer(packet)
        == f"Peer support online \u00b7 Packet reference: fg1 / {token} / export 1 \u00b7 Page  of "
    )


def test_a_participant_packet_word_for_word(study: Path, tmp_path: Path) -> None:
    with pytest.warns(RadarWarning, match="'Privacy' has no definition"):
        result = export_packets(Study(study), tmp_path / "people")
    assert [p.name for p in result.packets] == ["P01.docx", "P02.docx"]
    assert body(result.packets[1]) == [
        *LETTER_START,
        "Your code in this study: P02. We use this code instead of your name.",
        "Dear participant,",
        "Thank you for taking part in Peer support online. We have now analysed what everyone said in the "
        "discussion, and we would like to check our findings with you: do they match your experience, and "
        "have we missed anything?",
        "This packet holds a short summary of each theme we found, with one or two quotes, and what you said, "
        "as it was written down. At the end is a short form for your answers.",
        *LETTER_END,
        "Read what you said; tell us in the form if anything is wrong or missing.",
        *STEPS_END,
        *FOUND,
        "What you said",
        "These are your own words from the discussion, in the order you said them, with names replaced as "
        "explained in the letter. The question you were answering is shown in grey above them.",
        "Question: Thanks. Please say your name and what gets in the way.",
        "I look after my dad, so my laptop is shared.",
        *form("what you said"),
    ]


def test_a_theme_without_a_summary_is_flagged_before_export(study: Path, tmp_path: Path) -> None:
    with pytest.warns(RadarWarning) as caught:
        result = export_packets(Study(study), tmp_path / "out", content="summary")
    note = (
        "codebook.yaml: 'Privacy' has no definition, so the packets show no plain-language summary of it "
        '(at most "This theme is about" and the codes\' names); write a definition a participant understands, '
        "then export again"
    )
    assert [str(w.message) for w in caught] == [note]
    assert result.notes == (note,)
    # the themes are not shown when only the transcript goes out: nothing to flag
    with warnings.catch_warnings():
        warnings.simplefilter("error", RadarWarning)
        assert export_packets(Study(study), tmp_path / "words", content="transcript").notes == ()


@pytest.mark.parametrize(
    ("deadline", "parts"),
    [
        ("30 June 2026", ("by ", "30 June 2026")),
        ("the end of June", ("by ", "the end of June")),
        ("within three weeks of receiving this packet", ("", "within three weeks of receiving this packet")),
        ("By Friday 3 July", ("", "By Friday 3 July")),
        ("no later than 1 July", ("", "no later than 1 July")),
        ("  Friday\n 3 July ", ("by ", "Friday 3 July")),
    ],
)
def test_the_deadline_takes_by_only_when_it_needs_it(deadline: str, parts: tuple[str, str]) -> None:
    assert deadline_parts(deadline) == parts


def test_letter_fields_read_inside_a_sentence() -> None:
    assert in_sentence("The study team, study@example.org") == "the study team, study@example.org"
    assert in_sentence("Our team lead") == "our team lead"
    assert in_sentence("Dr Rivera, 555-0100") == "Dr Rivera, 555-0100"
    assert in_sentence("The Samaritans, 116 123") == "The Samaritans, 116 123"
    assert support_words("the support line, 0800 123 456.") == (
        "If anything in this packet is upsetting, support is available: the support line, 0800 123 456."
    )
    assert support_words("If taking part brings anything up, call 988 any time.") == (
        "If anything in this packet is upsetting, support is available. "
        "If taking part brings anything up, call 988 any time."
    )
