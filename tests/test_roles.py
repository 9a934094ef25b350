"""Roles without speakers.csv: inferred from each transcript, used by reduce, shown and written by `radar speakers`.

The study below has three transcripts, written as real files. Worked out by hand:

* fg1.vtt, a Zoom export that shows everyone by name. Dana Whitfield speaks 5 turns, 4 of them ending
  in "?" (80%); Priya Nair 3 turns, 1 question (33%); Marcus Oyelaran 2 turns, none; "Sam Lee
  (Note-taker)" is an observer by label, so not a candidate. No label or header names a facilitator,
  4 people speak, and 80% >= 30%, 4 >= 3 questions and 80% >= 2 x 33%: Dana is the facilitator, who
  "asks 4 of 5 questions" (the transcript's 5: Dana's 4 and Priya's 1).
* fg2.txt, a typed focus group without roles: Lee asks 4 of 4 turns, Ana 1 of 3, Ben 0 of 3: Lee is
  the facilitator ("asks 4 of 5 questions").
* int1.txt, a typed interview whose header says ``Interviewer: SK`` and ``Participant: JT``: those
  lines are front matter (3 lines with the title), SK is the facilitator, JT a participant.

Pseudonyms, in file order (fg1.vtt, fg2.txt, int1.txt) and first turn: Dana F01, Marcus P01, Sam O01,
Priya P02; Lee F02, Ana P03, Ben P04; SK F03, JT P05. Participants: 2 + 2 + 1 = 5.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import CODEBOOK_YAML
from workbook_helpers import rows_of

from radar import columns as C
from radar.cli import main
from radar.roles import infer_roles
from radar.speakers import read_speakers
from radar.study import Study
from radar.transcripts import read_transcript
from radar.transcripts.labels import header_names, names_label

ZOOM_BY_NAME = """\
WEBVTT

1
00:00:01.000 --> 00:00:06.000
Dana Whitfield: Welcome, everyone, and thank you for joining. How did you first hear about the app?

2
00:00:06.000 --> 00:00:11.000
Marcus Oyelaran: A friend sent me the link. My laptop is ancient, so I was nervous.

3
00:00:11.000 --> 00:00:13.000
Sam Lee (Note-taker): Sorry to interrupt, the recording is on now.

4
00:00:13.000 --> 00:00:18.000
Priya Nair: My nurse printed the code for me. Does everyone get one?

5
00:00:18.000 --> 00:00:22.000
Dana Whitfield: Most people do. What made you keep using it?

6
00:00:22.000 --> 00:00:25.000
Marcus Oyelaran: The peer workers answered at night.

7
00:00:25.000 --> 00:00:27.000
Dana Whitfield: Priya, what about you?

8
00:00:27.000 --> 00:00:30.000
Priya Nair: The chat felt safer than a waiting room.

9
00:00:30.000 --> 00:00:33.000
Dana Whitfield: And what would you change?

10
00:00:33.000 --> 00:00:36.000
Priya Nair: I would add a password reminder.

11
00:00:36.000 --> 00:00:39.000
Dana Whitfield: Thank you both, that is all for today.
"""

FOCUS_GROUP = """\
Focus group 2, peer workers, 3 June 2024

Lee: Thanks for coming. What does supervision look like for you?
Ana: Mostly a call with my lead every fortnight.
Ben: Mine is weekly, in person, and I like it.
Lee: How do you raise a worry between sessions?
Ana: I text my lead. Is that allowed?
Lee: It is. What about you, Ben?
Ben: I wait for the next session, honestly.
Ana: Same for the night shifts, there is nobody to call.
Lee: What would you change first?
Ben: A rota for urgent calls.
"""

INTERVIEW = """\
Interview 3, 12 May 2024
Interviewer: SK
Participant: JT

SK: Thanks for making time. What does a normal shift look like?
JT: I start at eight and check the messages from the night.
SK: And who supervises you?
JT: My team lead, once a week. Honestly I am exhausted by Friday.
"""

HOSTED = """\
WEBVTT

00:00:01.000 --> 00:00:04.000
Dana Whitfield (Host): Welcome. Shall we start?

00:00:04.000 --> 00:00:07.000
Lee Chan (Co-host): I will keep the time.

00:00:07.000 --> 00:00:10.000
Marcus Oyelaran: Fine by me.

00:00:10.000 --> 00:00:13.000
Dana Whitfield: Then tell us about your week.
"""

NOTE_LINE = "No speakers.csv: roles inferred from the transcripts; write them to speakers.csv with "


def write_file(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def write_study(root: Path, **transcripts: str) -> Path:
    """A study with the given transcripts (file name -> text) and the small codebook; no speakers.csv."""
    for name, text in (
        transcripts or {"fg1.vtt": ZOOM_BY_NAME, "fg2.txt": FOCUS_GROUP, "int1.txt": INTERVIEW}
    ).items():
        write_file(root / "transcripts", name, text)
    (root / "codebook.yaml").write_text(CODEBOOK_YAML, encoding="utf-8")
    return root


def roles_of(path: Path) -> list[tuple[str, str, str]]:
    return [(s.label, s.role, s.reason) for s in infer_roles(read_transcript(path)).speakers]


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args])


def phase1(study: Path) -> dict[str, tuple[object, ...]]:
    """Sheet 1 read back with openpyxl: Segment ID -> (Participant, Role, Keep, Reason)."""
    header, *rows = rows_of(study / "radar-tables.xlsx", C.SHEET_PHASE1)
    at = [header.index(c) for c in (C.PARTICIPANT, C.ROLE, C.KEEP, C.REASON)]
    return {str(row[0]): tuple(row[i] or "" for i in at) for row in rows}


# --- Inferring roles from one transcript ------------------------------------------------------------


def test_a_zoom_facilitator_shown_by_name_is_found_by_the_questions_she_asks(tmp_path: Path) -> None:
    path = write_file(tmp_path, "fg1.vtt", ZOOM_BY_NAME)
    assert roles_of(path) == [
        ("Dana Whitfield", "facilitator", "asks 4 of 5 questions"),
        ("Marcus Oyelaran", "participant", ""),
        ("Sam Lee (Note-taker)", "observer", "label 'Note-taker'"),
        ("Priya Nair", "participant", ""),
    ]


def test_zoom_host_markers_make_facilitators_and_every_label_of_the_host_shares_the_role(
    tmp_path: Path,
) -> None:
    path = write_file(tmp_path, "fg3.vtt", HOSTED)
    assert roles_of(path) == [
        ("Dana Whitfield (Host)", "facilitator", "Zoom host marker '(Host)'"),
        ("Lee Chan (Co-host)", "facilitator", "Zoom host marker '(Co-host)'"),
        ("Marcus Oyelaran", "participant", ""),
        ("Dana Whitfield", "facilitator", "Zoom host marker '(Host)'"),  # the same person without the marker
    ]


def test_a_header_line_names_the_interviewer_and_is_front_matter_not_a_turn(tmp_path: Path) -> None:
    transcript = read_transcript(write_file(tmp_path, "int1.txt", INTERVIEW))
    assert transcript.front_matter == ("Interview 3, 12 May 2024", "Interviewer: SK", "Participant: JT")
    assert [turn.speaker for turn in transcript.turns] == ["SK", "JT", "SK", "JT"]
    assert roles_of(transcript.path) == [
        ("SK", "facilitator", "header line 'Interviewer: SK'"),
        ("JT", "participant", "header line 'Participant: JT'"),
    ]


def test_a_header_names_a_speaker_by_full_name_initials_or_first_name(tmp_path: Path) -> None:
    text = (
        "Focus group 4\nModerator - Dana Whitfield\nNote-takers: Sam Lee and Kim Tran\n\n"
        "Dana: Who would like to start?\nMarcus: I will.\nSL: Sorry, one moment.\nMarcus: So, my week.\n"
    )
    assert roles_of(write_file(tmp_path, "fg4.txt", text)) == [
        ("Dana", "facilitator", "header line 'Moderator - Dana Whitfield'"),
        ("Marcus", "participant", ""),
        ("SL", "observer", "header line 'Note-takers: Sam Lee and Kim Tran'"),
    ]


def test_a_role_label_that_speaks_again_is_a_turn_not_a_header(tmp_path: Path) -> None:
    text = "Interviewer: Sam\nSam: Yes?\nInterviewer: Thanks for joining. What do you do?\nSam: I run the night line.\n"
    transcript = read_transcript(write_file(tmp_path, "int2.txt", text))
    assert transcript.front_matter == ()
    assert [(t.speaker, t.text) for t in transcript.turns][:2] == [("Interviewer", "Sam"), ("Sam", "Yes?")]
    assert roles_of(transcript.path) == [
        ("Interviewer", "facilitator", "label 'Interviewer'"),
        ("Sam", "participant", ""),
    ]


def test_the_speaker_who_asks_the_questions_in_a_typed_focus_group_is_the_facilitator(tmp_path: Path) -> None:
    assert roles_of(write_file(tmp_path, "fg2.txt", FOCUS_GROUP)) == [
        ("Lee", "facilitator", "asks 4 of 5 questions"),
        ("Ana", "participant", ""),
        ("Ben", "participant", ""),
    ]


@pytest.mark.parametrize(
    ("text", "why"),
    [
        # Lee 3 of 4 (75%), Ana 2 of 3 (67%): 75% is less than twice 67%
        (
            "Lee: Hi. Why?\nAna: Why not?\nBen: Fine.\nLee: How?\nAna: When?\nLee: Where?\nAna: Here.\nLee: Ok.\n",
            "margin",
        ),
        # Lee 2 of 2: 100%, but fewer than 3 questions
        ("Lee: Why?\nAna: Because.\nBen: Fine.\nLee: How?\nAna: Slowly.\n", "too few questions"),
        # Two people: questions never decide
        ("SK: Why?\nJT: Because.\nSK: How?\nJT: Slowly.\nSK: When?\nJT: Soon.\n", "two speakers"),
    ],
)
def test_no_facilitator_is_inferred_without_a_clear_questioner(tmp_path: Path, text: str, why: str) -> None:
    roles = infer_roles(read_transcript(write_file(tmp_path, "fg5.txt", text)))
    assert {s.role for s in roles.speakers} == {"participant"}, why
    assert roles.summary().startswith("fg5: no facilitator found; "), why


@pytest.mark.parametrize(
    ("line", "role", "names"),
    [
        ("Interviewer: SK", "facilitator", ("SK",)),
        ("Facilitators: Dana, Lee and Sam", "facilitator", ("Dana", "Lee", "Sam")),
        ("Moderator \u2013 Dana Whitfield", "facilitator", ("Dana Whitfield",)),
        ("Notetaker: Sam (SL)", "observer", ("Sam (SL)",)),
        ("Participants: JT; MR", "participant", ("JT", "MR")),
    ],
)
def test_header_lines_read_as_a_role_and_names(line: str, role: str, names: tuple[str, ...]) -> None:
    header = header_names(line)
    assert header is not None
    assert (header.role, header.names) == (role, names)


@pytest.mark.parametrize(
    "line", ["Date: 3 May 2024", "Location: community centre", "Participant 3: yes", "Dana (Host): Hi"]
)
def test_other_front_matter_is_not_a_header_naming_roles(line: str) -> None:
    assert header_names(line) is None


@pytest.mark.parametrize(
    ("name", "label", "same"),
    [
        ("Sarah Kim", "SK", True),
        ("Sarah Kim (SK)", "SK", True),
        ("Dana Whitfield", "Dana", True),
        ("Dana Whitfield", "Dana W", True),
        ("Dana Whitfield", "Dana Whitfield (Host)", True),
        ("Dana", "Dan", False),
        ("Dana Whitfield", "Dina Whitfield", False),
        ("Sarah Kim", "Sk", False),
    ],
)
def test_a_header_name_finds_its_label(name: str, label: str, same: bool) -> None:
    assert names_label(name, label) is same


# --- reduce without a speakers list -----------------------------------------------------------------


def test_reduce_keeps_inferred_facilitators_out_of_the_coded_participants(tmp_path: Path) -> None:
    study = write_study(tmp_path / "study")
    result = Study(study).reduce()
    rows = phase1(study)
    facilitator = ("facilitator", "no", C.REASON_FACILITATOR)
    for sid in ("fg1-001", "fg1-005", "fg1-007", "fg1-009", "fg1-011"):
        assert rows[sid] == ("F01", *facilitator)
    assert rows["fg1-003"] == ("O01", "observer", "no", C.REASON_OBSERVER)
    assert rows["fg1-002"] == ("P01", "participant", "yes", "")
    assert rows["fg1-004"] == ("P02", "participant", "yes", "")
    for sid in ("fg2-001", "fg2-004", "fg2-006", "fg2-009"):
        assert rows[sid] == ("F02", *facilitator)
    assert rows["int1-001"] == ("F03", *facilitator)
    assert rows["int1-002"] == ("P05", "participant", "yes", "")
    assert len([sid for sid in rows if sid.startswith("int1-")]) == 4  # the header lines are no turns
    # Denominators: 5 participants, read back from the workbook as tally reads it.
    assert result.tables.participants == 5
    assert Study(study).tables().participants == 5
    # A participant's question is the facilitator's turn before it.
    header, *data = rows_of(study / "radar-tables.xlsx", C.SHEET_PHASE1)
    question = {str(r[0]): r[header.index(C.QUESTION)] for r in data}
    assert (
        question["fg1-002"]
        == "How did you first hear about the app?"  # the prompt, not the welcome (issue 12 item 11)
    )


def test_reduce_prints_the_inferred_map_on_every_run_and_the_log_names_no_one(tmp_path: Path) -> None:
    study = write_study(tmp_path / "study")
    expected = [
        f"Warning: {NOTE_LINE}`radar speakers {study} --write` and correct it:",
        "  fg1: Dana Whitfield = facilitator (asks 4 of 5 questions); "
        "Sam Lee (Note-taker) = observer (label 'Note-taker'); 2 participants",
        "  fg2: Lee = facilitator (asks 4 of 5 questions); 2 participants",
        "  int1: SK = facilitator (header line 'Interviewer: SK'); 1 participant",
    ]
    for _ in range(2):
        result = run("reduce", "--quiet", study)
        assert result.exit_code == 0, result.output
        lines = result.stderr.splitlines()
        start = lines.index(expected[0])
        assert lines[start : start + 4] == expected
    log = [row[2] for row in rows_of(study / "radar-tables.xlsx", C.SHEET_LOG) if row[0] == "Note"]
    assert log[-4:] == [
        f"{NOTE_LINE}`radar speakers {study} --write` and correct it:",
        "fg1: F01 = facilitator (asks 4 of 5 questions); O01 = observer (label 'Note-taker'); 2 participants",
        "fg2: F02 = facilitator (asks 4 of 5 questions); 2 participants",
        "int1: F03 = facilitator (named in a header line); 1 participant",
    ]
    sheet = "\n".join(str(cell) for row in rows_of(study / "radar-tables.xlsx", C.SHEET_LOG) for cell in row)
    assert "Dana" not in sheet and "SK" not in sheet


def test_a_label_the_key_already_holds_keeps_its_pseudonym_and_takes_the_inferred_role(
    tmp_path: Path,
) -> None:
    study = write_study(tmp_path / "study", **{"fg2.txt": FOCUS_GROUP})
    # An earlier run, before roles were inferred, made Lee a participant.
    write_file(
        study / ".radar", "speaker-key.csv", "group,speaker,participant_id,role\nfg2,Lee,P01,participant\n"
    )
    result = Study(study).reduce()
    rows = phase1(study)
    assert rows["fg2-001"] == ("P01", "facilitator", "no", C.REASON_FACILITATOR)
    assert rows["fg2-002"] == ("P02", "participant", "yes", "")  # Ana: the next ID
    assert result.tables.participants == 2


def test_a_speaker_who_becomes_the_facilitator_loses_the_codes_radar_suggested(tmp_path: Path) -> None:
    before = (
        "Lee: Thanks for coming. What does supervision look like for you?\n"
        "Ana: Mostly a call with my lead every fortnight.\n"
        "Ben: Mine is weekly, in person.\n"
        "Lee: I know burnout is a worry for many of you.\n"
        "Ana: It is for me.\n"
        "Lee: How do you raise a worry between sessions?\n"
        "Ben: I wait for the next session.\n"
        "Lee: Thank you.\n"
        "Ana: Nothing else.\n"
    )
    study = write_study(tmp_path / "study", **{"fg2.txt": before})
    Study(study).reduce()  # Lee asks 2 questions: too few, a participant; fg2-004 is coded Burnout
    assert phase1(study)["fg2-004"] == ("P01", "participant", "yes", "")
    assert Study(study).previous_work(Study(study).codebook()).records["fg2-004"].suggested == ("Burnout",)
    after = before.replace("Lee: Thank you.", "Lee: Anything else you would change?")
    write_file(study / "transcripts", "fg2.txt", after)
    Study(study).reduce()  # Lee now asks 3 of 4: the facilitator
    assert phase1(study)["fg2-004"] == ("P01", "facilitator", "no", C.REASON_FACILITATOR)
    assert Study(study).previous_work(Study(study).codebook()).records["fg2-004"].suggested == ()


def test_with_a_speakers_list_nothing_is_inferred(tmp_path: Path) -> None:
    study = write_study(tmp_path / "study", **{"fg2.txt": FOCUS_GROUP})
    write_file(study, "speakers.csv", "speaker,participant_id,role\nAna,P1,participant\nBen,P2,participant\n")
    result = run("reduce", "--quiet", study)
    assert result.exit_code == 0, result.output
    assert NOTE_LINE not in result.stderr
    # Lee's first turn, before the first listed speaker, is front matter (as before): fg2-003 is Lee's.
    assert phase1(study)["fg2-003"] == ("U01", "unlisted", "no", C.REASON_UNLISTED)
    lines = run("speakers", study).stdout.splitlines()
    assert lines == [
        "fg2.txt (group fg2)",
        "  Ana  P1   participant  speakers.csv",
        "  Ben  P2   participant  speakers.csv",
        "  Lee  U01  unlisted     not in speakers.csv: Keep = no",
    ]


# --- radar speakers STUDY [--write] -----------------------------------------------------------------


def test_speakers_prints_each_transcripts_labels_with_id_role_and_why(tmp_path: Path) -> None:
    study = write_study(tmp_path / "study")
    result = run("speakers", study)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "fg1.vtt (group fg1)",
        "  Dana Whitfield        F01  facilitator  asks 4 of 5 questions",
        "  Marcus Oyelaran       P01  participant",
        "  Sam Lee (Note-taker)  O01  observer     label 'Note-taker'",
        "  Priya Nair            P02  participant",
        "",
        "fg2.txt (group fg2)",
        "  Lee  F02  facilitator  asks 4 of 5 questions",
        "  Ana  P03  participant",
        "  Ben  P04  participant",
        "",
        "int1.txt (group int1)",
        "  SK  F03  facilitator  header line 'Interviewer: SK'",
        "  JT  P05  participant  header line 'Participant: JT'",
        "",
        f"No speakers.csv: these roles are inferred; write them with `radar speakers {study} --write` "
        "and correct them",
    ]
    assert not (study / "speakers.csv").exists() and not (study / ".radar").exists()  # nothing written


def test_speakers_write_makes_a_list_radar_reads_back_and_refuses_to_overwrite_it(tmp_path: Path) -> None:
    study = write_study(tmp_path / "study")
    first = run("reduce", "--quiet", study)
    assert first.exit_code == 0, first.output
    ids_before = {sid: row[0] for sid, row in phase1(study).items()}
    written = run("speakers", study, "--write")
    assert written.exit_code == 0, written.output
    path = study / "speakers.csv"
    assert written.stdout.splitlines()[-1] == (
        f"wrote {path}: correct any role or ID there, then run `radar reduce {study}`"
    )
    listed = read_speakers(path)
    assert [(s.group, s.label, s.participant_id, s.role) for s in listed.speakers] == [
        ("fg1", "Dana Whitfield", "F01", "facilitator"),
        ("fg1", "Marcus Oyelaran", "P01", "participant"),
        ("fg1", "Sam Lee (Note-taker)", "O01", "observer"),
        ("fg1", "Priya Nair", "P02", "participant"),
        ("fg2", "Lee", "F02", "facilitator"),
        ("fg2", "Ana", "P03", "participant"),
        ("fg2", "Ben", "P04", "participant"),
        ("int1", "SK", "F03", "facilitator"),
        ("int1", "JT", "P05", "participant"),
    ]
    content = path.read_bytes()
    assert content.startswith(
        b"\xef\xbb\xbfgroup,speaker,participant_id,role\n"
    )  # Excel reads the BOM as UTF-8
    again = run("speakers", study, "--write")
    assert again.exit_code == 1
    lines = [line for line in again.stderr.splitlines() if line.strip()]
    assert lines == [
        f"Error: {path}: the study has a speakers list already; correct it there, "
        "or use --force to replace it with the inferred roles"
    ]
    assert path.read_bytes() == content
    # With the list, reduce says nothing about inferred roles and every pseudonym stays as it was.
    second = run("reduce", "--quiet", study)
    assert second.exit_code == 0, second.output
    assert NOTE_LINE not in second.stderr
    assert {sid: row[0] for sid, row in phase1(study).items()} == ids_before


def test_speakers_write_force_replaces_the_list_and_keeps_a_copy(tmp_path: Path) -> None:
    study = write_study(tmp_path / "study", **{"fg2.txt": FOCUS_GROUP})
    old = b"speaker,participant_id,role\nAna,P1,participant\n"
    (study / "speakers.csv").write_bytes(old)
    result = run("speakers", study, "--write", "--force")
    assert result.exit_code == 0, result.output
    assert [(s.label, s.participant_id, s.role) for s in read_speakers(study / "speakers.csv").speakers] == [
        ("Lee", "F01", "facilitator"),
        ("Ana", "P01", "participant"),
        ("Ben", "P02", "participant"),
    ]
    copies = list((study / ".radar").glob("speakers.replaced-*.csv"))
    assert [copy.read_bytes() for copy in copies] == [old]


def test_study_roles_and_template_are_one_call_each(tmp_path: Path) -> None:
    study = Study(write_study(tmp_path / "study", **{"int1.txt": INTERVIEW}))
    roles = study.roles()
    assert roles.inferred
    assert roles.role_of("int1", "SK") == "facilitator"
    path, written = study.write_speakers_template()
    assert path == study.paths.speakers
    assert (
        written.template()
        == "group,speaker,participant_id,role\nint1,SK,F01,facilitator\nint1,JT,P01,participant\n"
    )
    assert study.roles().inferred is False


def test_speakers_on_a_folder_without_transcripts_is_one_error_line(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run("speakers", tmp_path / "empty", "--write")
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == [
        f"Error: {tmp_path / 'empty'}: there is no transcripts/ folder; "
        f"put one file per focus group or interview in {tmp_path / 'empty' / 'transcripts'}"
    ]


def test_a_refused_write_writes_nothing(tmp_path: Path) -> None:
    study = write_study(tmp_path / "study", **{"fg2.txt": FOCUS_GROUP})
    (study / "transcripts" / "fg3.doc").write_bytes(b"\xd0\xcf\x11\xe0 an old Word file")
    result = run("speakers", study, "--write")
    assert result.exit_code == 1
    assert [line for line in result.stderr.splitlines() if line.strip()] == [
        "Error: transcripts/fg3.doc: old Word .doc files are not read; open it in Word and save it as .docx"
    ]
    assert sorted(p.name for p in study.iterdir()) == ["codebook.yaml", "transcripts"]
