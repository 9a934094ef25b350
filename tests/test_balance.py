"""Balance of voices: turns, words, the facilitator's share, the Gini index, and who carries each theme."""

from __future__ import annotations

import csv
import re
import shutil
from collections import Counter
from itertools import combinations
from pathlib import Path

import pytest
from cli_helpers import ok, run
from conftest import EXAMPLE

from radar import columns as C
from radar.balance import gini, spoken_words
from radar.evidence import explain, study_balance
from radar.folder import Folder


def test_gini_by_hand() -> None:
    # [4, 13, 29]: pairwise |differences| 9, 25, 16 -> 50 (each pair once); mean 46/3
    # G = sum over ordered pairs / (2 n² mean) = 100 / (2 x 9 x 46/3) = 100/276
    assert gini([13, 29, 4]) == pytest.approx(100 / 276)
    assert gini([5, 5, 5]) == 0.0
    assert gini([7]) == 0.0
    assert gini([0, 0, 0, 4]) == pytest.approx(3 / 4)  # one holds everything: (n - 1)/n


def test_spoken_words_leave_markers_out() -> None:
    assert spoken_words("[laughs] Fax machines. [inaudible 00:12:03]") == 2


@pytest.fixture
def reduced(study_dir: Path) -> Path:
    ok(run("reduce", study_dir, "--quiet"))
    return study_dir


def test_balance_of_the_small_study_by_hand(reduced: Path) -> None:
    balance = study_balance(Folder(reduced))
    assert balance.words_from == "transcripts"
    speakers = balance.speakers.set_index([C.GROUP, C.PARTICIPANT])
    # fg1: Moderator (F01) 2 turns, 10 + 4 = 14 words; P01 2 turns, 8 + 5 = 13; P02 2 turns,
    # (13 + 6) + 10 = 29; P03 "[crosstalk]" is not speech, "Nothing to add really." 1 turn, 4 words.
    assert speakers.loc[("fg1", "F01"), ["turns", "words"]].tolist() == [2, 14]
    assert speakers.loc[("fg1", "P01"), ["turns", "words"]].tolist() == [2, 13]
    assert speakers.loc[("fg1", "P02"), ["turns", "words"]].tolist() == [2, 29]
    assert speakers.loc[("fg1", "P03"), ["turns", "words"]].tolist() == [1, 4]
    groups = balance.groups.set_index(C.GROUP)
    fg1 = groups.loc["fg1"]
    assert (fg1["participants"], fg1["turns"], fg1["words"]) == (3, 7, 60)
    assert fg1["facilitator_turn_share"] == pytest.approx(2 / 7)
    assert fg1["facilitator_word_share"] == pytest.approx(14 / 60)
    assert fg1["gini_words"] == pytest.approx(100 / 276)  # [13, 29, 4]
    assert fg1["gini_turns"] == pytest.approx(4 / 30)  # [2, 2, 1]: ordered pairs 4, mean 5/3


def test_theme_spread_and_dominance_by_hand(reduced: Path) -> None:
    balance = study_balance(Folder(reduced))
    spread = balance.spread.set_index([C.TALLY_THEME, C.GROUP])
    # Access in fg1: P01 (fg1-002) and P02 (fg1-003): 2 of 3; one excerpt each, top share 1/2, not > 0.5.
    assert spread.loc[("Access", "fg1"), ["spread", "top_share", "dominant"]].tolist() == [
        "2 of 3",
        0.5,
        "no",
    ]
    # Access in fg2: only P04 (fg2-002): 1 of 2, share 1 > 0.5.
    assert spread.loc[("Access", "fg2"), ["spread", "top_participant", "dominant"]].tolist() == [
        "1 of 2",
        "P04",
        "yes",
    ]
    # Self-care in fg1: P02 alone.
    assert spread.loc[("Self-care", "fg1"), ["spread", "dominant"]].tolist() == ["1 of 3", "yes"]
    dominance = balance.dominance.set_index(C.TALLY_THEME)
    # Access: fg1-002 P01, fg1-003 P02, fg2-002 P04: top 1/3. Privacy: P01, P05: 1/2, not above 0.5.
    assert dominance.loc["Access", ["excerpts", "top_share", "dominant"]].tolist() == [
        3,
        pytest.approx(1 / 3),
        "no",
    ]
    assert dominance.loc["Privacy", "dominant"] == "no"
    lower = study_balance(Folder(reduced), dominant_share=0.4).dominance.set_index(C.TALLY_THEME)
    assert lower.loc["Privacy", "dominant"] == "yes" and lower.loc["Access", "dominant"] == "no"


def spread_column(result_output: str) -> dict[str, str]:
    rows = list(csv.DictReader(result_output.splitlines()))
    return {row["Theme"]: row["Spread"] for row in rows}


def test_tally_spread_by_hand_in_the_breakdown_and_the_combined_table(reduced: Path) -> None:
    # Worked out above: Access fg1 P01 + P02 of 3 who spoke, fg2 P04 of 2 (one supplies all: *);
    # Self-care fg1 P02 alone ("exhausted", *), fg2 P04 alone ("burnout is real", *).
    (reduced / "radar.toml").write_text("[deidentify]\nmin_cell = 1\n", encoding="utf-8")
    for table in (["--by-attribute", "group"], ["--combined"]):
        result = run("tally", reduced, *table, "--spread", "--format", "csv")
        ok(result)
        cells = spread_column(result.output)
        assert cells["Access"] == "fg1 2 of 3, fg2 1 of 2 *"
        assert cells["Self-care"] == "fg1 1 of 3 *, fg2 1 of 2 *"


def test_tally_spread_shows_small_counts_as_under_the_cell_size(reduced: Path) -> None:
    result = run("tally", reduced, "--by-attribute", "group", "--spread", "--format", "csv")
    ok(result)  # [deidentify] min_cell = 3 by default: 1 and 2 people single someone out
    cells = spread_column(result.output)
    assert cells["Access"] == "fg1 <3 of 3, fg2 <3 of 2 *"
    assert cells["Self-care"] == "fg1 <3 of 3 *, fg2 <3 of 2 *"
    assert cells["Privacy"] == "fg1 <3 of 3 *, fg2 <3 of 2 *"  # one voice each: P01 in fg1, P05 in fg2
    assert "P04" not in result.output and "P02" not in result.output  # the flag, never who


def test_tally_spread_needs_a_theme_table(reduced: Path) -> None:
    result = run("tally", reduced, "--spread")
    assert result.exit_code == 1 and "--spread goes with --combined or --by-attribute" in result.stderr
    assert "Traceback" not in result.output


def test_dominant_share_comes_from_radar_toml(reduced: Path) -> None:
    (reduced / "radar.toml").write_text("[report]\ndominant_share = 0.4\n", encoding="utf-8")
    assert (
        study_balance(Folder(reduced)).dominance.set_index(C.TALLY_THEME).loc["Privacy", "dominant"] == "yes"
    )


def test_explain_a_theme_by_hand(reduced: Path) -> None:
    found = explain(Folder(reduced), "access")
    # Access: fg1-002 (P01, Devices), fg1-003 (P02, Data plans), fg2-002 (P04, Devices).
    assert list(found.rows[C.SEGMENT_ID]) == ["fg1-002", "fg1-003", "fg2-002"]
    assert found.participants == ("P01", "P02", "P04") and found.groups == ("fg1", "fg2")
    # N: 7 distinct segment-theme pairs (fg2-002 counts under Access and Self-care); 5 participants; 2 groups.
    assert (found.excerpts_total, found.participants_total, found.groups_total) == (7, 5, 2)
    lines = ok(run("tally", reduced, "--explain", "Access"))
    assert lines[0].startswith("Access: 3 excerpts of N = 7")
    assert "Segment IDs: fg1-002, fg1-003, fg2-002." in lines


def test_explain_an_unknown_theme_is_one_error(reduced: Path) -> None:
    result = run("tally", reduced, "--explain", "Acess")
    assert result.exit_code == 1 and "no theme 'Acess'" in result.stderr and "Access" in result.stderr
    assert "Traceback" not in result.output


# The example study, against counts made here from its transcript file -------------------------------

OTTER_HEADER = re.compile(r"^(?P<speaker>.+?)\s{2,}\d+:\d{2}(:\d{2})?$")


def otter_counts(path: Path) -> dict[str, list[int]]:
    """Turns and words per speaker name of an Otter transcript: blocks of a header line, the text, a blank line.

    Consecutive blocks of one speaker are one turn (METHOD.md: one turn is often split over several cues).
    """
    counts: dict[str, list[int]] = {}
    previous = None
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        header, *text = block.strip().splitlines()
        if header.startswith("Transcribed by"):
            continue  # Otter's footer
        found = OTTER_HEADER.match(header)
        assert found, header
        words = len(re.findall(r"[^\W_]+", re.sub(r"\[[^\]]*\]", " ", " ".join(text))))
        entry = counts.setdefault(found["speaker"], [0, 0])
        entry[0] += 1 if words and found["speaker"] != previous else 0
        entry[1] += words
        previous = found["speaker"]
    return counts


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    study = tmp_path_factory.mktemp("example") / "study"
    shutil.copytree(EXAMPLE, study)
    ok(run("reduce", study, "--quiet"))
    return study


def test_example_balance_equals_counts_from_the_transcript(example: Path) -> None:
    with (example / "speakers.csv").open(encoding="utf-8") as handle:
        ids = {row["speaker"]: row["participant_id"] for row in csv.DictReader(handle)}
    raw = otter_counts(example / "transcripts" / "fg3-otter.txt")
    balance = study_balance(Folder(example))
    ours = balance.speakers[balance.speakers[C.GROUP] == "fg3-otter"].set_index(C.PARTICIPANT)
    assert {ids[name]: counts for name, counts in raw.items()} == {
        who: [int(t), int(w)] for who, t, w in zip(ours.index, ours["turns"], ours["words"])
    }
    facilitator = next(name for name in raw if ids[name].startswith("F"))
    total_words = sum(w for _, w in raw.values())
    group = balance.groups.set_index(C.GROUP).loc["fg3-otter"]
    assert group["words"] == total_words
    assert group["facilitator_word_share"] == pytest.approx(raw[facilitator][1] / total_words)
    people = [w for name, (_, w) in raw.items() if name != facilitator]
    mean_difference = sum(abs(a - b) for a, b in combinations(people, 2)) * 2 / len(people) ** 2
    assert group["gini_words"] == pytest.approx(mean_difference / (2 * sum(people) / len(people)))
    assert group["participants"] == len(people) == 15
    assert Counter(ours["Role"])["facilitator"] == 1


# Every transcript of the example, each read here by its own plain rule -------------------------------

WORDS = re.compile(r"[^\W_]+")


def _words(text: str) -> int:
    return len(WORDS.findall(re.sub(r"\[[^\]]*\]", " ", text)))


def vtt_units(path: Path) -> list[tuple[str, str]]:
    """(speaker, text) per cue: Teams' ``<v Name>text</v>`` or Zoom's ``Name: text`` after the timing line."""
    units = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n")[1:]:
        lines = block.strip().splitlines()
        timing = next(i for i, line in enumerate(lines) if "-->" in line)
        text = " ".join(lines[timing + 1 :])
        voice = re.fullmatch(r"<v ([^>]+)>(.*)</v>", text)
        speaker, said = (voice[1], voice[2]) if voice else text.split(": ", 1)
        units.append((speaker, said))
    return units


def docx_units(path: Path, speakers: set[str]) -> list[tuple[str, str]]:
    """(speaker, text) per paragraph ``Name: text`` of a listed speaker; the lines before the first are front matter."""
    import docx

    units: list[tuple[str, str]] = []
    for paragraph in docx.Document(str(path)).paragraphs:
        label, _, said = paragraph.text.partition(": ")
        if label in speakers:
            units.append((label, said))
        elif units and paragraph.text.strip():
            units[-1] = (units[-1][0], units[-1][1] + " " + paragraph.text)
    return units


def otter_units(path: Path) -> list[tuple[str, str]]:
    units = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        header, *text = block.strip().splitlines()
        if not header.startswith("Transcribed by"):
            found = OTTER_HEADER.match(header)
            assert found, header
            units.append((found["speaker"], " ".join(text)))
    return units


def counts_by_hand(units: list[tuple[str, str]], roles: dict[str, tuple[str, str]]) -> dict[str, list[int]]:
    """Turns and words per participant ID: consecutive units of one speaker are one turn; observers left out."""
    turns: list[tuple[str, int]] = []
    for speaker, text in units:
        if turns and turns[-1][0] == speaker:
            turns[-1] = (speaker, turns[-1][1] + _words(text))
        else:
            turns.append((speaker, _words(text)))
    counts: dict[str, list[int]] = {}
    for speaker, words in turns:
        pid, role = roles[speaker]
        if role != "observer" and words:
            entry = counts.setdefault(pid, [0, 0])
            entry[0] += 1
            entry[1] += words
    return counts


def test_every_example_transcripts_balance_equals_counts_made_from_its_file(example: Path) -> None:
    with (example / "speakers.csv").open(encoding="utf-8") as handle:
        listed = list(csv.DictReader(handle))
    balance = study_balance(Folder(example))
    folder = example / "transcripts"
    checked = []
    for path in sorted(folder.iterdir()):
        group = path.stem
        roles = {r["speaker"]: (r["participant_id"], r["role"]) for r in listed if r["group"] == group}
        if path.suffix == ".vtt":
            units = vtt_units(path)
        elif path.suffix == ".docx":
            units = docx_units(path, set(roles))
        else:
            units = otter_units(path)
        expected = counts_by_hand(units, roles)
        ours = balance.speakers[balance.speakers[C.GROUP] == group]
        assert {
            str(p): [int(t), int(w)] for p, t, w in zip(ours[C.PARTICIPANT], ours["turns"], ours["words"])
        } == (expected), group
        row = balance.groups.set_index(C.GROUP).loc[group]
        facilitators = {pid for pid, role in roles.values() if role == "facilitator"}
        people = [w for pid, (_, w) in expected.items() if pid not in facilitators]
        total = sum(w for _, w in expected.values())
        assert row["words"] == total, group
        assert row["participants"] == len(people), group
        share = sum(w for pid, (_, w) in expected.items() if pid in facilitators) / total
        assert row["facilitator_word_share"] == pytest.approx(share), group
        mean_difference = sum(abs(a - b) for a, b in combinations(people, 2)) * 2 / len(people) ** 2
        assert row["gini_words"] == pytest.approx(mean_difference / (2 * sum(people) / len(people))), group
        checked.append(group)
    assert checked == ["fg1-zoom", "fg2-typed", "fg3-otter", "fg4-teams"]


def test_balance_chart_has_a_panel_per_group(example: Path, tmp_path: Path) -> None:
    from matplotlib.image import imread

    out = tmp_path / "balance.png"
    assert ok(run("chart", example, "balance", "--out", out)) == [f"wrote {out}"]
    assert imread(out).shape[0] > 1000
    from radar.charts import chart

    assert len(chart(Folder(example), "balance").axes) == 4


def test_the_reports_spread_table_hides_small_counts(reduced: Path) -> None:
    # The report leaves the team: Access's 2 of 3 in fg1 and 1 of 2 in fg2 (worked above) are <3.
    result = run("report", reduced, "--out", reduced / "report.md")
    ok(result)
    text = (reduced / "report.md").read_text(encoding="utf-8")
    table = text[text.index("Participants who voiced each theme") - 2000 :]
    access = next(line for line in table.splitlines() if line.startswith("| Access"))
    assert access.split("|")[2:4] == [" &lt;3 of 3 ", " &lt;3 of 2 \\* "]  # Markdown-escaped
    assert "1 of 2" not in text and "2 of 3" not in text
