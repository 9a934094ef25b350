"""``radar read`` and the study's transcripts folder: every file read, or named."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from radar.cli import main
from radar.errors import StudyError
from radar.study import read_path, study_paths, transcript_files, unread_files


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_read_a_study_shows_shape_speakers_turns_and_front_matter(study_dir: Path) -> None:
    code, out, err = run("read", str(study_dir), "--turns", "2")
    assert code == 0, err
    # fg1.txt of the standard study, counted by hand: 4 speakers, 8 turns after the merge of
    # P2's two lines; front matter "Focus group 1" and the date line.
    assert "fg1.txt: text, utf-8, 8 turns, 4 speakers" in out
    assert "fg2.txt: text, utf-8, 3 turns, 3 speakers" in out
    assert "    Focus group 1\n    Date: 3 May 2026\n" in out
    assert "first 2 turns:\n    [line 4] Moderator: What gets in the way of joining a group online?" in out
    assert "    [line 5] P1: My laptop is ancient, it freezes every call." in out
    assert re.search(r"^    Moderator +2 turns +14 words$", out, re.MULTILINE)
    # Words of fg1.txt counted by hand: 7 in front matter ("Focus group 1", "Date: 3 May 2026"),
    # 8 labels left out, 10+8+13+6+1+4+5+10+4 = 61 in turns, 76 in all.
    assert "words: 76 in the file = 61 in turns + 7 front matter + 8 left out" in out
    assert err == ""


def test_read_one_file_names_its_warning(tmp_path: Path) -> None:
    path = tmp_path / "auto.vtt"
    path.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.500\nwelcome back: today we\n", encoding="utf-8")
    code, out, _ = run("read", str(path))
    assert code == 0
    assert "auto.vtt: vtt, utf-8, 1 turn, 1 speaker" in out
    assert "[line 4, 00:00:01] Speaker: welcome back: today we" in out
    assert "warning: auto.vtt: the captions name no speakers" in out


def test_read_a_missing_path_is_one_error(tmp_path: Path) -> None:
    code, _, err = run("read", str(tmp_path / "nothing.vtt"))
    assert code == 1
    assert err.strip().splitlines() == [
        f"Error: {tmp_path / 'nothing.vtt'}: no such file or folder; give a transcript or a study folder"
    ]


def test_a_file_in_a_study_is_read_with_the_labels_listed_for_it(tmp_path: Path) -> None:
    transcripts = tmp_path / "study" / "transcripts"
    transcripts.mkdir(parents=True)
    (transcripts / "fg1.txt").write_text("Note: room 4\nAna: hello\nBo: hi\n", encoding="utf-8")
    (tmp_path / "study" / "speakers.csv").write_text(
        "speaker,participant_id,role\nAna,P01,participant\nBo,P02,participant\n", encoding="utf-8"
    )
    (transcript,) = read_path(transcripts / "fg1.txt")
    assert [(t.speaker, t.text) for t in transcript.turns] == [("Ana", "hello"), ("Bo", "hi")]
    assert transcript.front_matter == ("Note: room 4",)


def test_files_radar_cannot_read_are_named(study_dir: Path) -> None:
    folder = study_dir / "transcripts"
    (folder / "notes.xlsx").write_bytes(b"PK")
    (folder / "~$fg1.docx").write_bytes(b"lock")
    (folder / ".DS_Store").write_bytes(b"")
    assert unread_files(study_paths(study_dir)) == [
        "transcripts/notes.xlsx is not read: radar reads .vtt, .srt, .txt, .md, .markdown, .docx, "
        ".pdf, .rtf, .odt files"
    ]
    code, _, err = run("reduce", str(study_dir), "-q")
    assert code == 0
    assert "Warning: transcripts/notes.xlsx is not read" in err


def test_an_old_word_file_stops_the_run(study_dir: Path) -> None:
    (study_dir / "transcripts" / "fg3.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(StudyError, match=r"^transcripts/fg3\.doc: old Word \.doc files are not read"):
        transcript_files(study_paths(study_dir))
    code, _, err = run("reduce", str(study_dir))
    assert code == 1
    assert "Error: transcripts/fg3.doc: old Word .doc files are not read" in err


def test_two_files_with_one_group_id_are_refused(study_dir: Path) -> None:
    (study_dir / "transcripts" / "FG1.docx").write_bytes(b"")
    with pytest.raises(StudyError, match=r"FG1\.docx and fg1\.txt would both be group 'fg1'"):
        transcript_files(study_paths(study_dir))


def test_labels_match_the_list_ignoring_zoom_suffixes_and_zeros(tmp_path: Path) -> None:
    from radar.transcripts import read_transcript

    path = tmp_path / "fg1.vtt"
    path.write_text(
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nDate: today\n\n"
        "2\n00:00:03.000 --> 00:00:04.000\nDana Whitfield (Host): Welcome.\n\n"
        "3\n00:00:05.000 --> 00:00:06.000\nP01: Thanks.\n",
        encoding="utf-8",
    )
    transcript = read_transcript(path, ["Dana Whitfield", "P1"])
    assert [(t.speaker, t.text) for t in transcript.turns] == [
        ("Dana Whitfield (Host)", "Welcome."),
        ("P01", "Thanks."),
    ]
    assert transcript.front_matter == ("Date: today",)


def test_a_list_that_matches_no_label_names_the_labels_and_the_nearest(tmp_path: Path) -> None:
    from radar.errors import TranscriptError
    from radar.transcripts import read_transcript

    path = tmp_path / "fg1.txt"
    path.write_text("Dana W: Welcome.\nSam: Thanks.\n", encoding="utf-8")
    with pytest.raises(TranscriptError) as caught:
        read_transcript(path, ["Dana Whitfield", "Sam Ortiz"])
    assert str(caught.value) == (
        "fg1.txt: no speaker turns found; none of the speakers listed for it speaks; labels found in "
        "the file: 'Dana W', 'Sam'; closest in the speakers list: 'Dana Whitfield', 'Sam Ortiz'; "
        "correct the speaker column of speakers.csv (or its group column)"
    )


def test_unlisted_labels_are_reported_with_the_nearest_listed(study_dir: Path) -> None:
    (study_dir / "speakers.csv").write_text(
        "speaker,participant_id,role\nModerater,,facilitator\nP1,P01,participant\nP2,P02,participant\n"
        "P3,P03,participant\n",
        encoding="utf-8",
    )
    code, _, err = run("reduce", str(study_dir), "-q")
    assert code == 0
    assert (
        "fg1.txt: 1 speaker label(s) not in speakers.csv were set Keep = no (Moderator); nearest listed: "
        "'Moderator' -> 'Moderater'?; add them to speakers.csv or correct their spelling there"
    ) in err


def test_read_file_honours_radar_tomls_documents(tmp_path: Path) -> None:
    # radar read FILE reads a study's transcript as reduce does: a listed document by paragraph
    (tmp_path / "transcripts").mkdir()
    (tmp_path / "radar.toml").write_text('[transcripts]\ndocuments = ["brief"]\n', encoding="utf-8")
    (tmp_path / "transcripts" / "brief.txt").write_text(
        "Policy brief\n\nNote: the clinic changed vendors.\n\nSummary: staff found it clearer.\n",
        encoding="utf-8",
    )
    code, out, err = run("read", str(tmp_path / "transcripts" / "brief.txt"))
    assert code == 0, err
    assert "3 turns, 1 speaker" in out  # three paragraphs, no 'Note' or 'Summary' speaker
    assert "[line 3] Document: Note: the clinic changed vendors." in out
