"""[groups] in radar.toml: each group's friendly name and type, checked, and used in every output."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from radar import charts
from radar import columns as C
from radar.cli import main
from radar.config import GroupSettings, StudyConfig, load_config
from radar.errors import StudyError
from radar.study import Study
from radar.themes import Quote

NAMED = """\
[groups.fg1]
name = "Northside carers"
type = "focus group"

[groups.fg2]
type = "Interview"
"""


def config_file(folder: Path, text: str) -> Path:
    path = folder / "radar.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def named(study_dir: Path) -> Path:
    """The standard study (fg1: P01-P03, fg2: P04-P05) with fg1 named and both typed, reduced."""
    config_file(study_dir, NAMED)
    Study(study_dir).reduce()
    return study_dir


# Reading [groups] ---------------------------------------------------------------------


def test_each_group_is_read_with_its_name_and_type(tmp_path: Path) -> None:
    config, notes = load_config(config_file(tmp_path, NAMED))
    assert notes == ()
    assert config.groups == (
        GroupSettings("fg1", "Northside carers", "focus group"),
        GroupSettings("fg2", "", "interview"),  # the type's capital is not kept
    )
    assert config.group_name("fg1") == "Northside carers"
    assert config.group_name("fg2") == "fg2"  # no name: the ID
    assert config.group_name("fg9") == "fg9"
    assert config.group_names() == {"fg1": "Northside carers"}
    assert (config.group_type("fg1"), config.group_type("fg2"), config.group_type("fg9")) == (
        "focus group",
        "interview",
        "",
    )


TYPE_FIX = 'write "focus group" or "interview", such as type = "interview"'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("groups = 5", 'radar.toml, [groups]: found 5; write one table per group, such as [groups.fg1], then name = "Northside carers"'),
        ('[groups]\nfg1 = "Northside"', """radar.toml, [groups.fg1]: found 'Northside'; write it as a table: [groups.fg1] on a line of its own, then name = "Northside carers" and type = "focus group\""""),
        ("[groups.fg1]\nname = 5", 'radar.toml, [groups.fg1] name: found 5; write text in quotes, such as name = "Northside carers"'),
        ('[groups.fg1]\ntype = "workshop"', f"radar.toml, [groups.fg1] type: found 'workshop'; {TYPE_FIX}"),
        ("[groups.fg1]\ntype = 2", f"radar.toml, [groups.fg1] type: found 2; {TYPE_FIX}"),
        ('[groups.fg1]\ntype = ["interview"]', f"radar.toml, [groups.fg1] type: found a list; {TYPE_FIX}"),
        (
            '[groups.fg1]\nname = "Carers"\n[groups.fg2]\nname = "carers"',
            "radar.toml, [groups.fg2] name: 'carers' is the name of [groups.fg1] too; give each group its own name",
        ),
    ],
)  # fmt: skip
def test_a_wrong_group_value_names_the_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(StudyError) as error:
        load_config(config_file(tmp_path, text + "\n"))
    assert str(error.value) == message
    assert error.value.key == message.split(": found")[0].split(": '")[0].removeprefix("radar.toml, ")


def test_an_unknown_key_of_a_group_is_a_note(tmp_path: Path) -> None:
    _, notes = load_config(config_file(tmp_path, '[groups.fg1]\nnmae = "Carers"\n'))
    assert notes == ("radar.toml, [groups.fg1]: unknown key 'nmae'; did you mean 'name'?",)


def test_a_group_without_a_transcript_is_a_warning_naming_the_closest(study_dir: Path) -> None:
    config_file(study_dir, '[groups.fg02]\nname = "Carers"\n[groups.zz]\ntype = "interview"\n')
    result = CliRunner().invoke(main, ["reduce", str(study_dir), "--quiet"])
    assert result.exit_code == 0, result.output
    assert (
        "Warning: radar.toml, [groups.fg02]: no transcript is group 'fg02'; did you mean [groups.fg2]?"
        in result.stderr
    )
    assert (
        "Warning: radar.toml, [groups.zz]: no transcript is group 'zz'; the groups are fg1, fg2"
        in result.stderr
    )


# The names in outputs ------------------------------------------------------------------


def test_a_quote_cites_the_groups_name() -> None:
    quote = Quote("fg1-002", "P01", "fg1", "Access", "Devices", "My laptop is ancient.")
    assert quote.citation() == "(P01, fg1)"
    assert quote.citation({"fg1": "Northside carers"}) == "(P01, Northside carers)"
    assert quote.citation({"fg2": "Southside"}) == "(P01, fg1)"
    assert (
        quote.cited({"fg1": "Northside carers"})
        == "\u201cMy laptop is ancient.\u201d (P01, Northside carers)"
    )


def citations(text: str) -> list[tuple[str, str]]:
    """The (participant, group) pairs of the quote citations in a text."""
    return re.findall(r"\u201d \((P\d+), ([^)]+)\)", text)


# fg1's participants are P01-P03 (named Northside carers), fg2's P04 and P05 (no name: the ID)
CITED_AS = {
    "P01": "Northside carers",
    "P02": "Northside carers",
    "P03": "Northside carers",
    "P04": "fg2",
    "P05": "fg2",
}


def test_the_theme_table_cites_names_and_the_coded_sheet_keeps_ids(named: Path) -> None:
    tables = Study(named).tables()
    cited = citations(" ".join(tables.combined["Exemplar quote (ID)"]))
    assert len(cited) >= 3  # at least one quote for each of the three themes
    assert all(group == CITED_AS[person] for person, group in cited)
    assert "Northside carers" in {group for _, group in cited}
    assert set(tables.phase3[C.GROUP]) == {"fg1", "fg2"}  # the Group column keeps the IDs
    assert all(sid.startswith(("fg1-", "fg2-")) for sid in tables.phase3[C.SEGMENT_ID])


def test_the_heatmap_labels_groups_by_name(named: Path) -> None:
    figure = charts.chart(Study(named), "heatmap")
    labels = [label.get_text() for label in figure.axes[0].get_xticklabels()]
    assert labels == ["Northside\ncarers", "fg2"]


def test_the_report_counts_groups_by_type_and_cites_names(named: Path, tmp_path: Path) -> None:
    out = Study(named).report(tmp_path / "report.docx")
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    assert "Groups: 1 focus group and 1 interview." in texts
    cited = citations("\n".join(texts))
    assert len(cited) >= 3 and all(group == CITED_AS[person] for person, group in cited)
    assert "Northside carers" in {group for _, group in cited}
    item = next(t for t in texts if t.startswith("29 Quotations presented"))
    example = re.search(r"as \((P\d+), ([^)]+)\)\.$", item)
    assert example is not None and CITED_AS[example[1]] == example[2]


@pytest.mark.parametrize(
    ("types", "words"),
    [
        ({}, "3 focus groups or interviews"),
        ({"a": "focus group", "b": "focus group", "c": "interview"}, "2 focus groups and 1 interview"),
        ({"a": "interview", "b": "interview", "c": "interview"}, "3 interviews"),
        ({"a": "focus group"}, "1 focus group and 2 other groups"),
        ({"a": "focus group", "b": "interview"}, "1 focus group, 1 interview and 1 other group"),
    ],
)
def test_groups_in_words(types: dict[str, str], words: str) -> None:
    from radar.report import groups_in_words

    config = StudyConfig(groups=tuple(GroupSettings(group, type=kind) for group, kind in types.items()))
    assert groups_in_words(["a", "b", "c"], config) == words
    assert groups_in_words(["a"], StudyConfig()) == "1 focus group or interview"
