"""Tests for radar.transcripts: every transcript shape, the label heuristic and the errors.

Expected turns are written by hand from the files in tests/files.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from radar.errors import TranscriptError
from radar.transcripts import (
    TRANSCRIPT_SUFFIXES,
    Transcript,
    Turn,
    is_non_speech,
    read_transcript,
)

FILES = Path(__file__).parent / "files"
REPO = Path(__file__).parent.parent


def rows(transcript: Transcript) -> list[tuple[str, str, str, int]]:
    """The turns as (speaker, text, start, line) tuples."""
    return [(t.speaker, t.text, t.start, t.line) for t in transcript.turns]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


# Caption files -------------------------------------------------------------


def test_zoom_vtt_merges_cues_of_one_speaker() -> None:
    transcript = read_transcript(FILES / "zoom.vtt")
    facilitator = "Dana Whitfield (Facilitator)"
    assert rows(transcript) == [
        (
            facilitator,
            (
                "Welcome, everyone, and thank you for joining this focus group on digital peer "
                "support. To start, how did you first hear about the peer support app?"
            ),
            "00:00:01",
            5,
        ),
        (
            "Marcus Oyelaran",
            (
                "A friend from my recovery group sent me the link. I was nervous at first, but the "
                "chat felt safer than a waiting room. [inaudible 00:00:26] it just worked."
            ),
            "00:00:12",
            13,
        ),
        (
            "priya n",
            "For me it was my nurse. The thing is: she printed the QR code for me.",
            "00:00:28",
            26,
        ),
        (facilitator, "Thanks, Priya. Marcus, anything to add?", "00:01:02", 30),
        ("Marcus Oyelaran", "[laughter]", "00:01:06", 34),
    ]
    assert transcript.format == "zoom-vtt"
    assert transcript.encoding == "utf-8"
    assert transcript.group == "zoom"
    assert transcript.path == FILES / "zoom.vtt"
    assert transcript.front_matter == ()


def test_teams_vtt_reads_voice_tags() -> None:
    transcript = read_transcript(FILES / "teams.vtt")
    assert rows(transcript) == [
        (
            "Samira Haddad",
            "Okay, let's begin. What does peer support online mean to you?",
            "00:00:03",
            5,
        ),
        (
            "Tomás Ruiz",
            ("Honestly it means somebody who has been there, answering at 2 a.m. Not a bot, a real person."),
            "00:00:08",
            9,
        ),
        (
            "Leah Brennan-Okafor",
            "[crosstalk] Sorry & yes, same for me: the night shifts are when I need it.",
            "00:00:19",
            18,
        ),
        ("Samira Haddad", "Thank you both.", "00:00:28", 26),
        ("Tomás Ruiz", "Good night, everyone.", "00:01:40", 30),
    ]
    assert transcript.format == "teams-vtt"


def test_srt_with_crlf_and_an_unlabelled_cue() -> None:
    transcript = read_transcript(FILES / "captions.srt")
    assert rows(transcript) == [
        (
            "Moderator",
            "Welcome back to the second session. What would make the peer forum feel safer?",
            "00:00:01",
            3,
        ),
        (
            "Jordan Avery",
            "Clear rules, and moderators who reply fast. Being able to hide my real name.",
            "00:00:10",
            12,
        ),
        ("Kofi Mensah", "[pause] Knowing it is not being sold to advertisers.", "00:00:19", 20),
    ]
    assert transcript.format == "srt"
    assert transcript.group == "captions"


def test_vtt_saved_as_txt_is_read_as_captions(tmp_path: Path) -> None:
    text = (FILES / "zoom.vtt").read_text(encoding="utf-8")
    transcript = read_transcript(write(tmp_path, "zoom-export.txt", text))
    assert transcript.format == "zoom-vtt"
    assert len(transcript.turns) == 5


# Text files ----------------------------------------------------------------


def test_otter_txt() -> None:
    transcript = read_transcript(FILES / "otter.txt")
    assert rows(transcript) == [
        (
            "Speaker 1",
            "Thanks for coming in. Let's start with how you use the app day to day.",
            "00:00:00",
            3,
        ),
        (
            "Ruth Adeyemi",
            "I check it every morning. Mostly the group chat, sometimes the one-to-one messages.",
            "00:00:42",
            6,
        ),
        ("Speaker 1", "And does it help?", "00:01:15", 10),
        (
            "Ruth Adeyemi",
            "It does. [laughter] More than I expected. Especially on bad days.",
            "00:01:18",
            13,
        ),
        ("Hamid Karimi", "I'd add that the notifications can be too much.", "01:02:03", 19),
    ]
    assert transcript.format == "otter"
    assert transcript.front_matter == ("Peer Support Study - Focus Group 3",)


def test_typed_cp1252_with_smart_quotes_and_times() -> None:
    transcript = read_transcript(FILES / "typed-cp1252.txt")
    assert transcript.encoding == "cp1252"
    assert transcript.format == "text"
    assert transcript.front_matter == ("Digital Peer Support Evaluation \u2013 Interview 4",)
    assert rows(transcript) == [
        ("Moderator", "Thanks for agreeing to talk with me today.", "", 2),
        (
            "Elena Petrova",
            (
                "It\u2019s been a lifeline, honestly. My mentor said "
                "\u201cyou\u2019re not alone\u201d and I believed her."
            ),
            "00:01:23",
            3,
        ),
        ("Moderator", "What made you believe her?", "00:02:05", 4),
        (
            "Elena Petrova",
            (
                "She\u2019d been through the same thing. "
                "So the thing is: she didn\u2019t judge me. Yes: absolutely, that mattered."
            ),
            "00:02:10",
            5,
        ),
        ("Moderator", "Thank you.", "00:03:40", 8),
    ]


BOM_TURNS = [
    (
        "Facilitator",
        "Welcome back. Today we talk about the mentoring app. Who would like to start?",
        "",
        4,
    ),
    (
        "P1",
        "I will. The app matched me with a mentor in two days. She messages me most evenings.",
        "",
        7,
    ),
    ("Participant 3", "[inaudible]", "", 9),
    ("P1", "Sorry, go on.", "", 10),
    (
        "Participant 3",
        "I said the video calls froze a lot [inaudible 00:12:03] so I switched to text.",
        "",
        11,
    ),
    ("Facilitator", "[crosstalk] Let\u2019s take one at a time.", "", 12),
    ("Note-taker", "Recording paused at 10:30 for a break.", "", 14),
    ("Dr. Kim", "Quick reminder: the survey link is https://example.org/survey", "", 15),
]


def test_typed_bom_without_known_speakers() -> None:
    transcript = read_transcript(FILES / "typed-bom.txt")
    assert transcript.encoding == "utf-8-sig"
    # "Observer: Jana Novak" before the first turn names who observed: a header line, front matter.
    assert transcript.front_matter == (
        "Focus Group 2: Online peer mentoring",
        "Date: 14 March 2024",
        "Observer: Jana Novak",
    )
    assert rows(transcript) == BOM_TURNS
    assert not transcript.turns[0].speaker.startswith("\ufeff")


def test_known_speakers_turn_label_lines_before_them_into_front_matter() -> None:
    known = ["Facilitator", "p1", "PARTICIPANT 3", "Dr.  Kim"]
    transcript = read_transcript(FILES / "typed-bom.txt", known_speakers=known)
    assert transcript.front_matter == (
        "Focus Group 2: Online peer mentoring",
        "Date: 14 March 2024",
        "Observer: Jana Novak",
    )
    # Note-taker is not known but comes after the first known speaker: still a turn.
    assert rows(transcript) == BOM_TURNS


def test_known_speakers_count_even_when_the_heuristic_rejects_them(tmp_path: Path) -> None:
    path = write(tmp_path, "fg.txt", "P1: My mum set it up.\nmum: I did, yes.\nP1: She did.\n")
    assert [t.speaker for t in read_transcript(path).turns] == ["P1"]
    known = read_transcript(path, known_speakers={"P1", "Mum"})
    assert rows(known) == [
        ("P1", "My mum set it up.", "", 1),
        ("mum", "I did, yes.", "", 2),
        ("P1", "She did.", "", 3),
    ]


def test_same_speaker_with_different_case_merges(tmp_path: Path) -> None:
    path = write(tmp_path, "fg.txt", "Moderator: One.\nMODERATOR: Two.\nP2: Three.\n")
    assert rows(read_transcript(path)) == [
        ("Moderator", "One. Two.", "", 1),
        ("P2", "Three.", "", 3),
    ]


def test_label_alone_on_a_line_then_text_below(tmp_path: Path) -> None:
    path = write(tmp_path, "fg.txt", "[00:00:07] Moderator:\nWelcome.\nP1:\n\nHello.\nP2:\n")
    assert rows(read_transcript(path)) == [
        ("Moderator", "Welcome.", "00:00:07", 1),
        ("P1", "Hello.", "", 3),
    ]


@pytest.mark.parametrize("ending", ["\r\n", "\r"])
def test_windows_and_old_mac_line_endings(tmp_path: Path, ending: str) -> None:
    text = ending.join(["Title", "P1: One.", "more", "P2: Two."])
    transcript = read_transcript(write(tmp_path, "fg.txt", text))
    assert transcript.front_matter == ("Title",)
    assert rows(transcript) == [("P1", "One. more", "", 2), ("P2", "Two.", "", 4)]


# The label heuristic -------------------------------------------------------


@pytest.mark.parametrize(
    "label",
    [
        "P1",
        "Participant 3",
        "Dr. Kim",
        "Note-taker",
        "Maria de la Cruz",
        "Facilitator",
        "Speaker 12",
        "Q",
        "Sam (facilitator)",
        "Siobhán O'Neill",
    ],
)
def test_labels_start_turns(tmp_path: Path, label: str) -> None:
    path = write(tmp_path, "fg.txt", f"P9: Start.\n{label}: I joined last spring.\n")
    assert rows(read_transcript(path))[1] == (label, "I joined last spring.", "", 2)


def test_time_before_label(tmp_path: Path) -> None:
    path = write(tmp_path, "fg.txt", "P9: Start.\n[1:02:03.5] Ana: Yes.\n00:04:05 Ben: No.\n")
    assert rows(read_transcript(path))[1:] == [
        ("Ana", "Yes.", "01:02:03", 2),
        ("Ben", "No.", "00:04:05", 3),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "So the thing is: we need time",
        "Yes: absolutely",
        "Well: fine",
        "The App: it crashes",
        "I think: maybe",
        "We met at 10:30 on Tuesday",
        "Meet at 10:30: bring your phone",
        "See https://example.org/help for more",
        "Https://example.org",
        "My Point Is: it helps",
        "Date: 3 May",
        "Session 2: Experiences",
        "one thing i noticed: no replies",
        "This is a long label that goes on and on: text",
    ],
)
def test_sentences_with_a_colon_are_not_labels(tmp_path: Path, sentence: str) -> None:
    path = write(tmp_path, "fg.txt", f"P1: Start.\n{sentence}\n")
    assert rows(read_transcript(path)) == [("P1", f"Start. {sentence}", "", 1)]


# Word files ----------------------------------------------------------------


def test_docx_label_paragraphs() -> None:
    transcript = read_transcript(FILES / "labels.docx")
    assert transcript.format == "docx"
    assert transcript.encoding == "docx"
    assert transcript.group == "labels"
    assert transcript.front_matter == (
        "Peer Support Pilot \u2013 Focus Group 1",
        "Date: 2 May 2024",
    )
    assert rows(transcript) == [
        (
            "Facilitator",
            "Thanks for coming. How has the peer app fitted into your week?",
            "",
            4,
        ),
        ("Amara Lewis", "I use it on the bus. It is the only quiet time I have.", "", 5),
        ("Owen Price", "Same for me.", "", 7),
        ("Amara Lewis", "One more thing: the reminders help. [laughter]", "", 8),
    ]


def test_docx_bold_speaker_runs() -> None:
    transcript = read_transcript(FILES / "bold.docx")
    assert transcript.front_matter == (
        "Interview 7 \u2013 Peer Support Champions",
        "Recorded 5 June 2024",
    )
    assert rows(transcript) == [
        ("Interviewer", "How did you become a peer champion?", "", 3),
        (
            "Grace Obi",
            "I was a member first, then they asked me to help. Now I run the Tuesday group.",
            "",
            4,
        ),
        ("Interviewer", "What is hard about it?", "", 6),
        ("Grace Obi", "Keeping up with messages. Also [pause] the training was short.", "", 7),
        ("Interviewer", "Thank you, Grace.", "", 9),
    ]


def test_docx_speaker_text_table() -> None:
    transcript = read_transcript(FILES / "table.docx")
    assert transcript.front_matter == ("Focus group 5 transcript",)
    assert rows(transcript) == [
        ("Moderator", "What would you change about the app?", "", 3),
        ("P2", "Group video calls. And a dark mode.", "", 4),
        ("P4", "[inaudible] Sorry, a panic button.", "", 6),
        ("Moderator", "Thank you.", "", 8),
    ]


def test_docx_time_speaker_text_table() -> None:
    transcript = read_transcript(FILES / "table-times.docx")
    assert transcript.front_matter == ()
    assert rows(transcript) == [
        ("Moderator", "Who reads the forum at night?", "00:00:05", 2),
        ("P7", "I do, most nights. It helps me sleep.", "00:00:09", 3),
        ("P9", "Not me.", "00:01:10", 5),
    ]


def test_docx_tracked_changes_keep_insertions_and_drop_deletions(tmp_path: Path) -> None:
    import docx
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = docx.Document()
    paragraph = document.add_paragraph("P1: The app is ")
    paragraph._p.append(
        parse_xml(f'<w:del {w} w:id="1" w:author="A"><w:r><w:delText>bad</w:delText></w:r></w:del>')
    )
    paragraph._p.append(parse_xml(f'<w:ins {w} w:id="2" w:author="A"><w:r><w:t>useful</w:t></w:r></w:ins>'))
    document.save(str(tmp_path / "tracked.docx"))
    assert rows(read_transcript(tmp_path / "tracked.docx")) == [("P1", "The app is useful", "", 1)]


# Non-speech ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[inaudible]", True),
        ("[inaudible 00:12:03]", True),
        ("[crosstalk] [laughter]", True),
        ("[pause]...", True),
        ("  [Laughs] -- ", True),
        ("", True),
        ("[laughter] Yes!", False),
        ("Yes [inaudible]", False),
        ("ok", False),
        ("3", False),
    ],
)
def test_is_non_speech(text: str, expected: bool) -> None:
    assert is_non_speech(text) is expected


def test_marker_only_turns_are_kept() -> None:
    transcript = read_transcript(FILES / "typed-bom.txt")
    markers = [t.text for t in transcript.turns if is_non_speech(t.text)]
    assert markers == ["[inaudible]"]


# Errors --------------------------------------------------------------------


def error_for(path: Path, **kwargs: object) -> str:
    with pytest.raises(TranscriptError) as caught:
        read_transcript(path, **kwargs)  # type: ignore[arg-type]
    return str(caught.value)


def test_unsupported_suffix_lists_the_supported_ones(tmp_path: Path) -> None:
    message = error_for(write(tmp_path, "fg1.xyz", "P1: hi"))
    assert message.startswith("fg1.xyz: '.xyz' is not a transcript type")
    assert all(suffix in message for suffix in TRANSCRIPT_SUFFIXES)


def test_old_word_files_are_refused_with_a_hint(tmp_path: Path) -> None:
    message = error_for(write(tmp_path, "fg1.doc", "x"))
    assert message.startswith("fg1.doc: ")
    assert "save it as .docx" in message


def test_uppercase_suffix_is_accepted(tmp_path: Path) -> None:
    assert read_transcript(write(tmp_path, "FG1.TXT", "P1: hi\n")).group == "FG1"


def test_missing_file(tmp_path: Path) -> None:
    message = error_for(tmp_path / "missing.vtt")
    assert message.startswith("missing.vtt: cannot be read")


def test_directory_is_not_a_transcript(tmp_path: Path) -> None:
    (tmp_path / "folder.txt").mkdir()
    assert error_for(tmp_path / "folder.txt").startswith("folder.txt: cannot be read")


def test_broken_docx() -> None:
    message = error_for(FILES / "broken.docx")
    assert message.startswith("broken.docx: this is not a Word .docx file")
    assert "save it as .docx" in message


def test_zip_that_is_not_word(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "P1: hi")
    assert error_for(path).startswith("archive.docx: this is not a Word .docx file")


def test_empty_files(tmp_path: Path) -> None:
    assert error_for(FILES / "empty.txt").startswith("empty.txt: the file is empty")
    (tmp_path / "blank.docx").write_bytes(b"")
    assert error_for(tmp_path / "blank.docx").startswith("blank.docx: the file is empty")
    assert error_for(write(tmp_path, "blank.vtt", "WEBVTT\n\n")).startswith("blank.vtt: the file")
    assert error_for(write(tmp_path, "spaces.txt", " \n\t\n")).startswith("spaces.txt: the file")


def test_empty_word_document(tmp_path: Path) -> None:
    import docx

    docx.Document().save(str(tmp_path / "nothing.docx"))
    assert error_for(tmp_path / "nothing.docx").startswith("nothing.docx: the file is empty")


def test_no_speaker_turns_says_how_to_label(tmp_path: Path) -> None:
    path = write(tmp_path, "notes.txt", "We talked about the app.\nEveryone liked it.\n")
    message = error_for(path)
    assert message.startswith("notes.txt: no speaker turns found")
    assert "`Name: text`" in message
    assert "speaker | text table" in message


def test_captions_without_names_are_one_speaker_with_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, "nonames.vtt", "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nhello\n")
    transcript = read_transcript(path)
    assert rows(transcript) == [("Speaker", "hello", "00:00:01", 5)]
    assert len(transcript.warnings) == 1
    assert transcript.warnings[0].startswith("nonames.vtt: the captions name no speakers")


def test_known_speakers_never_met_leave_no_turns(tmp_path: Path) -> None:
    path = write(tmp_path, "fg.txt", "P1: hi\n")
    message = error_for(path, known_speakers=["P2"])
    assert message.startswith("fg.txt: no speaker turns found")
    assert "speakers list" in message


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"P1: caf\x81\x8d\n", "cannot be decoded"),
        (b"PK\x03\x04\x14\x00\x00\x00", "rename it to .docx"),
        (b"P1: \x00\x00binary", "not a text file"),
    ],
)
def test_undecodable_text(tmp_path: Path, content: bytes, needle: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    message = error_for(path)
    assert message.startswith("bad.txt: ")
    assert needle in message


def test_transcript_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match=r"^empty\.txt: "):
        read_transcript(FILES / "empty.txt")


# Start-up and records ------------------------------------------------------


def test_import_does_not_load_heavy_libraries() -> None:
    code = (
        "import sys, radar.transcripts; "
        "print(sorted(m for m in ('docx', 'pandas', 'spacy') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_records_are_frozen() -> None:
    turn = Turn("P1", "hi", "", 1)
    with pytest.raises(AttributeError):
        turn.text = "changed"  # type: ignore[misc]


# Property ------------------------------------------------------------------

LINE_TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=60)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(LINE_TEXT, min_size=1, max_size=5).filter(lambda ts: any(t.split() for t in ts)))
def test_any_text_survives_as_p1_lines(tmp_path: Path, texts: list[str]) -> None:
    path = tmp_path / "property.txt"
    path.write_text("".join(f"P1: {text}\n" for text in texts), encoding="utf-8", newline="\n")
    transcript = read_transcript(path)
    expected = " ".join(" ".join(text.split()) for text in texts if text.split())
    assert rows(transcript) == [("P1", expected, "", 1)]
