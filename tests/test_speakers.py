"""speakers.csv as researchers write it: IDs, duplicates, Zoom labels, Excel's files, and the errors."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from radar.errors import SpeakersError
from radar.speakers import SpeakerKey, SpeakerList, match_key, normalise_label, read_speakers

FILES = Path(__file__).parent / "files" / "speakers"


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "speakers.csv"
    path.write_bytes(text.encode(encoding))
    return path


def ids(speakers: SpeakerList) -> list[tuple[str, str, str, str]]:
    return [(s.group, s.label, s.participant_id, s.role) for s in speakers.speakers]


def error(path: Path) -> str:
    with pytest.raises(SpeakersError) as caught:
        read_speakers(path)
    return str(caught.value)


# --- 1. Facilitators and observers without an ID ---------------------------------------------------


def test_facilitators_and_observers_without_an_id_get_their_own(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "speaker,participant_id,role\n"
        "Dana Whitfield,,facilitator\n"
        "Maria Lopez,P01,participant\n"
        "Sam Ortiz,,observer\n"
        "Moderator,F1,facilitator\n"  # F1 is taken, and F01 is the same ID: Dana gets F02
        "Lee Chan,,facilitator\n"
        "Kim Tran,,observer\n",
    )
    assert ids(read_speakers(path)) == [
        ("", "Dana Whitfield", "F02", "facilitator"),
        ("", "Maria Lopez", "P01", "participant"),
        ("", "Sam Ortiz", "O01", "observer"),
        ("", "Moderator", "F1", "facilitator"),
        ("", "Lee Chan", "F03", "facilitator"),
        ("", "Kim Tran", "O02", "observer"),
    ]


def test_ids_radar_gives_have_the_speaker_keys_form() -> None:
    key = SpeakerKey()
    assert [key.assign("fg1", label, "facilitator").participant_id for label in ("A", "B")] == ["F01", "F02"]


def test_a_facilitator_without_an_id_in_each_group_is_one_person(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "speaker,participant_id,role,group\n"
        "Moderator,,facilitator,fg1\n"
        "Dana Whitfield,F1,facilitator,fg1\n"
        "Moderator,,facilitator,fg2\n"
        "Dana Whitfield,,facilitator,fg2\n",
    )
    assert ids(read_speakers(path)) == [
        ("fg1", "Moderator", "F02", "facilitator"),
        ("fg1", "Dana Whitfield", "F1", "facilitator"),
        ("fg2", "Moderator", "F02", "facilitator"),
        ("fg2", "Dana Whitfield", "F1", "facilitator"),
    ]


def test_an_empty_id_for_a_label_with_several_ids_is_an_error(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "speaker,participant_id,role,group\n"
        "Moderator,F1,facilitator,fg1\n"
        "Moderator,F2,facilitator,fg2\n"
        "Moderator,,facilitator,fg3\n",
    )
    assert error(path) == (
        "speakers.csv, row 4: facilitator 'Moderator' has no participant_id and other rows give it "
        "F1 and F2; write the ID of this row's facilitator"
    )


def test_a_participant_without_an_id_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "speaker,participant_id,role\nDana,,facilitator\nMaria Lopez,,participant\n")
    assert error(path) == (
        "speakers.csv, row 3: participant 'Maria Lopez' has no participant_id; give one such as P07 "
        "(only facilitators and observers may leave it empty)"
    )


# --- 2. Labels listed more than once ---------------------------------------------------------------


def test_one_facilitator_listed_once_per_group_without_a_group_column(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "speaker,participant_id,role\n"
        "Dana Whitfield,F1,facilitator\n"
        "P1,P01,participant\n"
        "Dana Whitfield,,facilitator\n"
        "P2,P02,participant\n"
        " dana  whitfield ,F1,Facilitator\n"
        "Sam Ortiz,,observer\n"
        "Sam Ortiz,,observer\n",
    )
    speakers = read_speakers(path)
    assert ids(speakers) == [
        ("", "Dana Whitfield", "F1", "facilitator"),
        ("", "P1", "P01", "participant"),
        ("", "P2", "P02", "participant"),
        ("", "Sam Ortiz", "O01", "observer"),
    ]
    found = speakers.lookup("fg2", "Dana Whitfield")
    assert found is not None and found.participant_id == "F1"


def test_identical_rows_are_one_speaker(tmp_path: Path) -> None:
    path = write(tmp_path, "speaker,participant_id,role,state\nP1,P01,participant,VT\nP1,P01,participant,\n")
    speakers = read_speakers(path)
    assert ids(speakers) == [("", "P1", "P01", "participant")]
    assert speakers.speakers[0].attributes == (("state", "VT"),)


def test_one_participant_label_with_two_ids_asks_for_a_group_column(tmp_path: Path) -> None:
    path = write(
        tmp_path, "speaker,participant_id,role\nP1,P01,participant\nP2,P02,participant\nP1,P03,participant\n"
    )
    assert error(path) == (
        "speakers.csv, rows 2 and 4: participant 'P1' has the IDs P01 and P03; add a group column "
        "naming each row's transcript (its file name without the extension)"
    )


def test_one_facilitator_label_with_two_ids_asks_for_a_group_column(tmp_path: Path) -> None:
    path = write(
        tmp_path, "speaker,participant_id,role\nModerator,F1,facilitator\nModerator,F2,facilitator\n"
    )
    assert error(path) == (
        "speakers.csv, rows 2 and 3: facilitator 'Moderator' has the IDs F1 and F2; add a group column "
        "naming each row's transcript (its file name without the extension)"
    )


def test_one_label_twice_in_a_group_is_an_error(tmp_path: Path) -> None:
    path = write(
        tmp_path, "speaker,participant_id,role,group\nP1,P01,participant,fg1\nP1,P03,participant,fg1\n"
    )
    assert error(path) == (
        "speakers.csv, rows 2 and 3: participant 'P1' in group fg1 has the IDs P01 and P03; "
        "keep one row per speaker in each group"
    )


def test_one_label_with_two_roles_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "speaker,participant_id,role\nSam,P01,participant\nSam,,observer\n")
    assert error(path) == (
        "speakers.csv, rows 2 and 3: speaker 'Sam' is listed as participant and as observer; add a group "
        "column naming each row's transcript (its file name without the extension)"
    )


def test_one_label_with_two_attribute_values_is_an_error(tmp_path: Path) -> None:
    path = write(
        tmp_path, "speaker,participant_id,role,state\nP1,P01,participant,VT\nP1,P01,participant,NH\n"
    )
    assert error(path) == (
        "speakers.csv, rows 2 and 3: speaker 'P1' has state 'VT' and 'NH'; keep one value, or add a group "
        "column naming each row's transcript (its file name without the extension)"
    )


def test_one_label_in_several_groups_is_one_row_each(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "speaker,participant_id,role,group\nP1,P01,participant,fg1\nP1,P03,participant,fg2\n",
    )
    speakers = read_speakers(path)
    assert [speakers.lookup(g, "P1").participant_id for g in ("fg1", "fg2")] == ["P01", "P03"]  # type: ignore[union-attr]


# --- 3. Labels as the transcripts write them -------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("Dana Whitfield", "dana whitfield"),
        ("  dana   WHITFIELD ", "dana whitfield"),
        ("Dana Whitfield (Host)", "dana whitfield"),
        ("Dana Whitfield (Co-host)", "dana whitfield"),
        ("Dana Whitfield (co-host) ", "dana whitfield"),
        ("Jordan Reyes (they/them)", "jordan reyes"),
        ("Jordan Reyes (She/Her) (Host)", "jordan reyes"),
        ("Jordan Reyes (he / they)", "jordan reyes"),
        ("Dana's iPad", "dana"),
        ("Dana\u2019s MacBook Pro", "dana"),
        ("Sam's iPhone", "sam"),
        ("Sam's Galaxy S21", "sam"),
        ("Sam's iPhone (Host)", "sam"),
        ("P1", "p1"),
        ("P01", "p1"),
        ("P001", "p1"),
        ("Participant 01", "participant 1"),
        ("P10", "p10"),
        ("P100", "p100"),
        # Not a Zoom suffix: kept.
        ("Dana (fg1)", "dana (fg1)"),
        ("Sam's notes", "sam's notes"),
        ("iPhone", "iphone"),
        ("(Host)", "(host)"),
    ],
)
def test_match_key(label: str, key: str) -> None:
    assert match_key(label) == key


def test_normalise_label_still_only_folds_case_and_spaces() -> None:
    assert normalise_label("  Dana  (Host) ") == "dana (host)"


@given(st.text(max_size=40))
def test_match_key_of_a_match_key_is_itself(label: str) -> None:
    assert match_key(match_key(label)) == match_key(label)


def zoom_study(tmp_path: Path) -> SpeakerList:
    return read_speakers(
        write(
            tmp_path,
            "speaker,participant_id,role\n"
            "Dana Whitfield,F1,facilitator\n"
            "Maria Lopez,P01,participant\n"
            "Jordan Reyes (they/them),P02,participant\n"
            "P1,P03,participant\n",
        )
    )


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Dana Whitfield (Host)", "F1"),
        ("dana whitfield", "F1"),
        ("Maria Lopez's iPhone", "P01"),
        ("Maria Lopez\u2019s iPad", "P01"),
        ("Jordan Reyes", "P02"),
        ("Jordan Reyes (they/them) (Co-host)", "P02"),
        ("P01", "P03"),
        ("P001", "P03"),
    ],
)
def test_lookup_finds_zoom_labels(tmp_path: Path, label: str, expected: str) -> None:
    found = zoom_study(tmp_path).lookup("fg1", label)
    assert found is not None and found.participant_id == expected


def test_lookup_does_not_fold_digits_when_the_list_holds_both(tmp_path: Path) -> None:
    path = write(tmp_path, "speaker,participant_id,role\nP1,P01,participant\nP01,P09,participant\n")
    speakers = read_speakers(path)
    assert [
        getattr(speakers.lookup("fg1", label), "participant_id", None) for label in ("P1", "P01", "P001")
    ] == [
        "P01",
        "P09",
        None,
    ]


def test_lookup_takes_the_label_as_written_then_the_groups_own_row(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "speaker,participant_id,role,group\n"
        "Moderator,F1,facilitator,\n"
        "Moderator,F2,facilitator,fg2\n"
        "P1,P01,participant,\n"
        "P01,P05,participant,fg2\n",
    )
    speakers = read_speakers(path)
    found = [
        getattr(speakers.lookup(group, label), "participant_id", None)
        for group, label in [
            ("fg1", "Moderator (Host)"),
            ("fg2", "Moderator (Host)"),
            ("fg2", "P1"),  # written so in a study-wide row: not folded to fg2's P01
            ("fg2", "P01"),
            ("fg1", "P01"),
        ]
    ]
    assert found == ["F1", "F2", "P01", "P05", "P01"]


def test_one_person_under_two_names(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "speaker,participant_id,role\nDana,P01,participant\nDana Whitfield,P01,participant\nSam,P02,participant\n",
    )
    speakers = read_speakers(path)
    assert [
        getattr(speakers.lookup("fg1", label), "participant_id", None) for label in ("Dana", "Dana Whitfield")
    ] == [
        "P01",
        "P01",
    ]
    assert [s.participant_id for s in speakers.participants()] == ["P01", "P02"]


# --- 4. The closest listed labels -------------------------------------------------------------------


def closest_study(tmp_path: Path) -> SpeakerList:
    return read_speakers(
        write(
            tmp_path,
            "speaker,participant_id,role,group\n"
            "Dana Whitfield,F1,facilitator,\n"
            "Dana Whitfield (Host),F1,facilitator,\n"
            "Sam Ortiz,P01,participant,\n"
            "Maria Lopez,P02,participant,fg1\n"
            "Samira Khan,P03,participant,fg2\n",
        )
    )


def test_closest_labels(tmp_path: Path) -> None:
    speakers = closest_study(tmp_path)
    assert speakers.closest("Dana W", "fg1") == ("Dana Whitfield",)
    assert speakers.closest("Sam", "fg1") == ("Sam Ortiz",)
    # Both start with "sam"; "sam ortiz" is nearer by difflib (2*3/12 against 2*3/14).
    assert speakers.closest("Sam", "fg2") == ("Sam Ortiz", "Samira Khan")
    assert speakers.closest("Sam", "fg2", n=1) == ("Sam Ortiz",)
    assert speakers.closest("mari lopez's iPad", "fg1") == ("Maria Lopez",)
    assert speakers.closest("Maria Lopez", "fg2") == ()
    assert speakers.closest("Zed", "fg1") == ()


# --- 5. Files as people hand them over ----------------------------------------------------------------


def test_european_excel_file(tmp_path: Path) -> None:
    speakers = read_speakers(FILES / "excel-semicolon-cp1252.csv")
    assert ids(speakers) == [
        ("fg1", "Renée O’Brien", "F01", "facilitator"),
        ("fg1", "Jürgen Groß", "P01", "participant"),
        ("fg1", "Zoë Müller", "P02", "participant"),
        ("fg2", "Renée O’Brien", "F01", "facilitator"),
        ("fg2", "Jürgen Groß", "P01", "participant"),
    ]
    assert speakers.attribute_names == ("bundesland",)
    assert speakers.speakers[1].attributes == (("bundesland", "Bayern"),)
    found = speakers.lookup("fg2", "Renée O'Brien (Host)")
    assert found is not None and found.participant_id == "F01"


def test_excel_unicode_text_file() -> None:
    assert ids(read_speakers(FILES / "excel-unicode-text.csv")) == [
        ("", "Dana Whitfield", "F1", "facilitator"),
        ("", "Łukasz Nowak", "P01", "participant"),
    ]


def test_bom_and_headers_as_typed(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Speaker , Participant ID,ROLE,Group,Years Experience\nDana,F1,Facilitator,fg1,9\n",
        "utf-8-sig",
    )
    speakers = read_speakers(path)
    assert ids(speakers) == [("fg1", "Dana", "F1", "facilitator")]
    assert speakers.attribute_names == ("years experience",)


def test_excels_sep_line(tmp_path: Path) -> None:
    path = write(tmp_path, "sep=;\nspeaker;participant_id;role\nDana;F1;facilitator\nP1;;participant\n")
    assert error(path) == (
        "speakers.csv, row 3: participant 'P1' has no participant_id; give one such as P07 "
        "(only facilitators and observers may leave it empty)"
    )


@pytest.mark.parametrize(
    ("written", "role"),
    [
        ("Moderator", "facilitator"),
        ("INTERVIEWER", "facilitator"),
        ("co-facilitator", "facilitator"),
        ("note-taker", "observer"),
        ("Notetaker", "observer"),
        ("note taker", "observer"),
        (" Participant ", "participant"),
    ],
)
def test_role_synonyms(tmp_path: Path, written: str, role: str) -> None:
    path = write(tmp_path, f"speaker,participant_id,role\nDana,X1,{written}\n")
    assert read_speakers(path).speakers[0].role == role


def test_an_unknown_role_is_shown_as_written(tmp_path: Path) -> None:
    path = write(tmp_path, "speaker,participant_id,role\nDana,F1,Chair\n")
    assert error(path) == (
        "speakers.csv, row 2: role 'Chair' of 'Dana' is not one of participant, facilitator, observer; "
        "write one of them (moderator and interviewer count as facilitator, note-taker as observer)"
    )


def test_random_bytes_are_one_error(tmp_path: Path) -> None:
    rng = random.Random(7)
    noise = bytes(rng.randrange(256) for _ in range(4000))
    assert error(write_bytes(tmp_path, noise)) == (
        "speakers.csv: is not a text file; save the speakers list from Excel as CSV UTF-8 (Comma delimited)"
    )


def test_a_workbook_named_csv_is_one_error(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["speaker", "participant_id", "role"])  # type: ignore[union-attr]
    path = tmp_path / "speakers.csv"
    book.save(path)
    assert error(path) == (
        "speakers.csv: is an Excel workbook, not a CSV file; in Excel choose File > Save As > "
        "CSV UTF-8 (Comma delimited)"
    )


def write_bytes(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "speakers.csv"
    path.write_bytes(data)
    return path


@given(
    st.binary(max_size=300)
    | st.text(max_size=300).map(lambda t: ("speaker,participant_id,role\n" + t).encode())
)
def test_any_bytes_read_or_give_a_speakers_error(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = write_bytes(Path(folder), data)
        try:
            read_speakers(path)
        except SpeakersError as err:
            assert str(err).startswith("speakers.csv")


def test_one_id_with_two_roles_is_an_error(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "speaker,participant_id,role\nDana,F1,facilitator\nMaria,P01,participant\nSam,F1,participant\n",
    )
    assert error(path) == (
        "speakers.csv, rows 2 and 4: participant_id 'F1' is given to 'Dana' as facilitator and to 'Sam' "
        "as participant; give each person their own ID"
    )


def test_a_column_twice_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "speaker,participant_id,Role,role\nDana,F1,facilitator,facilitator\n")
    assert error(path) == "speakers.csv: the header holds role twice; keep one role column"


# --- What was there before stays -------------------------------------------------------------------


def test_missing_column(tmp_path: Path) -> None:
    path = write(tmp_path, "speaker,role\nDana,facilitator\n")
    assert error(path) == (
        "speakers.csv: missing column participant_id; the header must hold speaker,participant_id,role "
        "(more columns are attributes)"
    )


def test_empty_file(tmp_path: Path) -> None:
    assert error(write(tmp_path, "\n\n")) == (
        "speakers.csv: the file is empty; give a header row speaker,participant_id,role"
    )


def test_empty_label(tmp_path: Path) -> None:
    path = write(tmp_path, "speaker,participant_id,role\n\n ,P01,participant\n")
    assert error(path) == (
        "speakers.csv, row 3: the speaker cell is empty; write the label as it appears in the transcript"
    )


def test_the_example_studys_list(tmp_path: Path) -> None:
    speakers = read_speakers(
        Path(__file__).resolve().parents[1] / "examples" / "digital-peer-support" / "speakers.csv"
    )
    assert len(speakers.participants()) == 59
    found = speakers.lookup("fg1-zoom", "Jordan Reyes")
    assert found is not None and found.participant_id == "P04"
