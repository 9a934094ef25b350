"""The shapes of real exports that radar once refused or read wrong, one test per class.

Each file is written here in the shape its tool writes; the expected turns are
worked out by hand from the file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from radar.errors import TranscriptError
from radar.transcripts import Transcript, read_transcript


def rows(transcript: Transcript) -> list[tuple[str, str, str]]:
    return [(t.speaker, t.text, t.start) for t in transcript.turns]


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_otter_word_export_keeps_the_time_out_of_the_text(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    for name, time, text in [
        ("Dana Whitfield", "00:13", "How is the app going?"),
        ("Sam Ortiz", "1:02:03", "Well."),
    ]:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{name}  ").bold = True
        paragraph.add_run(time)
        document.add_paragraph(text)
    document.save(str(tmp_path / "otter.docx"))
    transcript = read_transcript(tmp_path / "otter.docx")
    assert transcript.format == "otter-docx"
    assert rows(transcript) == [
        ("Dana Whitfield", "How is the app going?", "00:00:13"),
        ("Sam Ortiz", "Well.", "01:02:03"),
    ]


def test_zoom_saved_transcript_txt(tmp_path: Path) -> None:
    path = write(tmp_path, "zoom.txt", "[Dana Whitfield] 19:00:25\nWelcome.\n[priya n] 19:00:31\nHi: all.\n")
    transcript = read_transcript(path)
    assert transcript.format == "zoom-txt"
    assert rows(transcript) == [
        ("Dana Whitfield", "Welcome.", "19:00:25"),
        ("priya n", "Hi: all.", "19:00:31"),
    ]


@pytest.mark.parametrize(
    "header", ["Dana Whitfield (00:00:07):", "Dana Whitfield [00:00:07]", "Dana Whitfield [00:00:07]:"]
)
def test_rev_headers(tmp_path: Path, header: str) -> None:
    path = write(tmp_path, "rev.txt", f"{header}\nHello, everyone.\n\nSpeaker 1 (00:12):\nHi.\n")
    transcript = read_transcript(path)
    assert transcript.format == "rev"
    assert rows(transcript) == [
        ("Dana Whitfield", "Hello, everyone.", "00:00:07"),
        ("Speaker 1", "Hi.", "00:00:12"),
    ]


def test_diarised_speech_to_text_lines(tmp_path: Path) -> None:
    text = "[00:01.2 - 00:04.9] SPEAKER_00 - Hello - and welcome.\n[00:05.0 - 00:07.9] SPEAKER_01 - Thanks.\n"
    transcript = read_transcript(write(tmp_path, "whisper.txt", text))
    assert transcript.format == "diarised"
    assert rows(transcript) == [
        ("SPEAKER_00", "Hello - and welcome.", "00:00:01"),
        ("SPEAKER_01", "Thanks.", "00:00:05"),
    ]


def test_speaker_labels_with_underscores_and_digits(tmp_path: Path) -> None:
    transcript = read_transcript(write(tmp_path, "s.txt", "SPEAKER_00: Hi.\nS01: Hello.\nSPEAKER_00: Bye.\n"))
    assert rows(transcript) == [("SPEAKER_00", "Hi.", ""), ("S01", "Hello.", ""), ("SPEAKER_00", "Bye.", "")]


def test_qualcoder_bracketed_ids_but_not_markers(tmp_path: Path) -> None:
    text = "[id1] How are you?\n[id2] Fine.\n[laughter] Really fine.\n[id1] Good.\n"
    transcript = read_transcript(write(tmp_path, "qc.txt", text))
    assert rows(transcript) == [
        ("id1", "How are you?", ""),
        ("id2", "Fine. [laughter] Really fine.", ""),
        ("id1", "Good.", ""),
    ]


def test_markdown_bold_names(tmp_path: Path) -> None:
    text = "# Interview 3\n\n**Emma** [0:00] Hi there.\n\n**Jo:** Hello.\n\n**Emma**: Bye.\n"
    transcript = read_transcript(write(tmp_path, "i3.md", text))
    assert transcript.format == "markdown"
    assert transcript.front_matter == ("# Interview 3",)
    assert rows(transcript) == [("Emma", "Hi there.", "00:00:00"), ("Jo", "Hello.", ""), ("Emma", "Bye.", "")]


def test_lower_case_labels_count_when_they_recur(tmp_path: Path) -> None:
    text = "interviewer: how are you?\ninterviewee: fine.\ninterviewer: good\ninterviewee: yes\n"
    assert rows(read_transcript(write(tmp_path, "lower.txt", text))) == [
        ("interviewer", "how are you?", ""),
        ("interviewee", "fine.", ""),
        ("interviewer", "good", ""),
        ("interviewee", "yes", ""),
    ]


def test_a_lower_case_phrase_said_once_is_not_a_speaker(tmp_path: Path) -> None:
    text = "Maria: we talked\nand then: the app froze\nSam: oh no\n"
    assert rows(read_transcript(write(tmp_path, "once.txt", text))) == [
        ("Maria", "we talked and then: the app froze", ""),
        ("Sam", "oh no", ""),
    ]


def test_names_without_a_colon_that_recur(tmp_path: Path) -> None:
    text = "Emma Sure, that works.\nJohn Yeah.\nEmma Okay then.\nJohn Right, then.\nEmma Fine.\nJohn Good.\n"
    transcript = read_transcript(write(tmp_path, "nocolon.txt", text))
    assert rows(transcript)[:2] == [("Emma", "Sure, that works.", ""), ("John", "Yeah.", "")]
    assert len(transcript.turns) == 6


def test_older_teams_times_with_single_digit_fields(tmp_path: Path) -> None:
    text = (
        "WEBVTT\n\n1\n0:0:8.950 --> 0:0:9.120\n<v Dana>First.</v>\n\n"
        "2\n0:0:9.950 --> 0:0:12.120\n<v Sam>Second.</v>\n\n3\n0:1:2.5 --> 0:1:4.0\n<v Dana>Third.\n"
    )
    transcript = read_transcript(write(tmp_path, "stream.vtt", text))
    assert rows(transcript) == [
        ("Dana", "First.", "00:00:08"),
        ("Sam", "Second.", "00:00:09"),
        ("Dana", "Third.", "00:01:02"),
    ]


def test_a_cue_timing_that_cannot_be_read_refuses_the_file(tmp_path: Path) -> None:
    text = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nDana: hi\n\nab:cd --> 00:00:04.000\nSam: hello\n"
    with pytest.raises(TranscriptError, match=r"^bad\.vtt, line 6: the cue timing 'ab:cd --> 00:00:04.000'"):
        read_transcript(write(tmp_path, "bad.vtt", text))


def test_a_blank_line_inside_an_srt_cue_keeps_the_rest(tmp_path: Path) -> None:
    text = "1\n00:00:01,000 --> 00:00:04,000\nDana: First part.\n\nSecond part.\n\n2\n00:00:05,000 --> 00:00:06,000\nSam: Reply.\n"
    transcript = read_transcript(write(tmp_path, "para.srt", text))
    assert rows(transcript) == [
        ("Dana", "First part. Second part.", "00:00:01"),
        ("Sam", "Reply.", "00:00:05"),
    ]


def test_captions_with_a_phrase_ending_in_a_colon_invent_no_speaker(tmp_path: Path) -> None:
    text = (
        "WEBVTT\nKind: captions\nLanguage: en\n\n00:00:01.000 --> 00:00:03.000 align:start position:0%\n"
        "so<00:00:01.500><c> today</c><00:00:02.000><c> we</c>\n\n"
        "00:00:03.000 --> 00:00:05.000\nThe Main Point: access matters\n"
    )
    transcript = read_transcript(write(tmp_path, "auto.vtt", text))
    assert transcript.format == "vtt"
    assert rows(transcript) == [("Speaker", "so today we The Main Point: access matters", "00:00:01")]
    assert "one speaker 'Speaker'" in transcript.warnings[0]


def test_two_speakers_in_one_cue(tmp_path: Path) -> None:
    text = "1\n00:00:01,000 --> 00:00:04,000\nDana: Ready?\nSam: Yes.\n\n2\n00:00:05,000 --> 00:00:06,000\nDana: Go.\n"
    assert rows(read_transcript(write(tmp_path, "two.srt", text))) == [
        ("Dana", "Ready?", "00:00:01"),
        ("Sam", "Yes.", "00:00:01"),
        ("Dana", "Go.", "00:00:05"),
    ]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_unicode_with_a_byte_order_mark_is_read(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "u.txt"
    text = ("\ufeff" if encoding == "utf-16-be" else "") + "P1: café\nP2: ok\n"
    path.write_bytes(text.encode(encoding))  # Python writes the BOM itself for utf-16 and utf-32
    transcript = read_transcript(path)
    assert rows(transcript) == [("P1", "café", ""), ("P2", "ok", "")]


@pytest.mark.parametrize(
    ("encoding", "lines", "detected"),
    [
        (
            "iso-8859-2",
            ["Ankieter: Dzień dobry, jak się pani czuje?", "Pani Zofia: Dobrze, dziękuję, było ciężko."],
            "cp1250",  # the same letters as ISO-8859-2 here; the detector may name either
        ),
        (
            "cp1250",
            ["Tazatel: Dobrý den, jak se máte? Řekněte mi víc.", "Respondentka: Děkuji, špatně, ale už líp."],
            "cp1250",
        ),
        (
            "shift_jis",
            ["A: こんにちは、今日はよろしくお願いします。", "B: はい、アプリは便利でした。"],
            "cp932",
        ),
        ("gb2312", ["A: 你好，谢谢你参加这次访谈。", "B: 我觉得这个应用很有帮助。"], "gb18030"),
    ],
)
def test_legacy_encodings_are_detected_and_named(
    tmp_path: Path, encoding: str, lines: list[str], detected: str
) -> None:
    path = write(tmp_path, "legacy.txt", "\n".join(lines) + "\n", encoding)
    transcript = read_transcript(path)
    assert [f"{t.speaker}: {t.text}" for t in transcript.turns] == lines
    assert transcript.encoding == detected
    assert transcript.warnings == (
        f"legacy.txt: decoded as {detected} (detected, not UTF-8); if words look wrong, "
        "save the transcript as UTF-8 and run again",
    )


def test_a_stray_windows_byte_in_a_utf8_file_is_decoded_by_line(tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    path.write_bytes("P1: naïve café\n".encode() + "P2: it’s fine\n".encode("cp1252") + "P1: “ok”\n".encode())
    transcript = read_transcript(path)
    assert rows(transcript) == [("P1", "naïve café", ""), ("P2", "it’s fine", ""), ("P1", "“ok”", "")]
    assert transcript.encoding == "utf-8"
    assert "line(s) 2 are not UTF-8" in transcript.warnings[0]


def test_a_time_after_the_label_is_the_start(tmp_path: Path) -> None:
    text = "P1: [00:01:23] hello there\nP2: (0:42) hi\nP3: 10:30 works for me\n"
    assert rows(read_transcript(write(tmp_path, "t.txt", text))) == [
        ("P1", "hello there", "00:01:23"),
        ("P2", "hi", "00:00:42"),
        ("P3", "10:30 works for me", ""),
    ]


def test_every_word_is_accounted_for(tmp_path: Path) -> None:
    text = "WEBVTT\n\nNOTE recorded by Zoom\n\n1\n00:00:01.000 --> 00:00:02.000\nDana: hi there\n"
    transcript = read_transcript(write(tmp_path, "w.vtt", text))
    # By hand: WEBVTT 1; NOTE recorded by Zoom 4; cue number 1; timing 8 (00 00 01 000 twice);
    # label Dana 1; text hi there 2. In all 17; 2 in turns; 15 left out.
    assert transcript.words is not None
    assert (transcript.words.source, transcript.words.turns, transcript.words.left_out) == (17, 2, 15)
    assert transcript.words.lost == 0
    assert transcript.warnings == ()


def test_words_a_reader_drops_are_named_with_their_line() -> None:
    from radar.transcripts.assemble import transcript
    from radar.transcripts.model import Evidence, Piece, Reading

    # A reader that kept the label and only part of line 2's text, and never placed line 3.
    pieces = [
        Piece("P1: hello there", 1, "P1", "hello there", "", Evidence.SHAPED, "P1:"),
        Piece("P2: one two three", 2, "P2", "one", "", Evidence.SHAPED, "P2:"),
    ]
    source = [(1, "P1: hello there"), (2, "P2: one two three"), (3, "four five")]
    result = transcript(Path("lossy.txt"), Reading("text", "utf-8", pieces, source), frozenset(), [])
    assert result.words is not None
    # By hand: 9 words in the file; turns hold 3 (hello there, one); 2 labels left out; 4 lost.
    assert (result.words.source, result.words.turns, result.words.left_out, result.words.lost) == (9, 3, 2, 4)
    assert result.warnings == (
        "lossy.txt: 4 word(s) of the file did not reach a turn, the front matter or a label "
        "(first at line 2); check the reading with `radar read`, and report the file's shape if it looks right",
    )


def test_errors_carry_where_they_are_as_fields(tmp_path: Path) -> None:
    from radar.config import load_config
    from radar.errors import StudyError

    path = write(tmp_path, "bad.vtt", "WEBVTT\n\nab:cd --> 00:00:04.000\nSam: hello\n")
    with pytest.raises(TranscriptError) as caught:
        read_transcript(path)
    assert (caught.value.path, caught.value.row) == (str(path), 3)
    config = write(tmp_path, "radar.toml", "[history]\nkeep = 0\n")
    with pytest.raises(StudyError) as wrong:
        load_config(config)
    assert (wrong.value.path, wrong.value.key) == ("radar.toml", "[history] keep")
