"""radar.toml as one typed record: every key checked, unknown keys noted, defaults when absent."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from radar.cli import main
from radar.config import (
    CONFIG_TEMPLATE,
    DeidentifySettings,
    GroupSettings,
    HistorySettings,
    MemberCheckSettings,
    StudyConfig,
    SuggestSettings,
    TranscriptSettings,
    load_config,
)
from radar.errors import RadarWarning, StudyError
from radar.refiqda import PROJECT_NAMESPACE, export_qdpx
from radar.study import Study, init_study

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "How is peer support supervised?"


def config_file(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "radar.toml"
    path.write_text(text, encoding="utf-8")
    return path


# Wrong types: one case per key and kind of value --------------------------------------

TITLE_FIX = 'write text in quotes, such as title = "Supervising digital peer support"'
QUESTIONS_FIX = 'write a list of strings, such as research_questions = ["How ...?"]'
CODERS_FIX = 'write a list of strings, such as coders = ["A. Rivera", "B. Chen"]'
KEEP_FIX = "write a whole number of at least 1, such as keep = 20"
NER_FIX = 'write true, false or the name of a spaCy pipeline, such as ner = "en_core_web_sm"'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title = 5", f"radar.toml, title: found 5; {TITLE_FIX}"),
        ('title = ["A", "B"]', f"radar.toml, title: found a list; {TITLE_FIX}"),
        ("title = 1979-05-27T07:32:00", f"radar.toml, title: found the date and time 1979-05-27T07:32:00; {TITLE_FIX}"),
        ("research_questions = 5", f"radar.toml, research_questions: found 5; {QUESTIONS_FIX}"),
        ("research_questions = true", f"radar.toml, research_questions: found true; {QUESTIONS_FIX}"),
        ("[research_questions]\nfirst = 'Why?'", f"radar.toml, research_questions: found a table; {QUESTIONS_FIX}"),
        ('research_questions = ["Why?", 2]', f"radar.toml, research_questions[1]: found 2; {QUESTIONS_FIX}"),
        ("coders = 2", f"radar.toml, coders: found 2; {CODERS_FIX}"),
        ("coders = {name = 'Ana'}", f"radar.toml, coders: found a table; {CODERS_FIX}"),
        ('coders = ["Ana", ["Ben"]]', f"radar.toml, coders[1]: found a list; {CODERS_FIX}"),
        ("history = 5", "radar.toml, [history]: found 5; write it as a table: [history] on a line of its own, then keep = 20"),
        ("[history]\nkeep = 0", f"radar.toml, [history] keep: found 0; {KEEP_FIX}"),
        ('[history]\nkeep = "20"', f"radar.toml, [history] keep: found '20'; {KEEP_FIX}"),
        ("[history]\nkeep = 2.5", f"radar.toml, [history] keep: found 2.5; {KEEP_FIX}"),
        ("[history]\nkeep = true", f"radar.toml, [history] keep: found true; {KEEP_FIX}"),
        ('member_check = "the team"', "radar.toml, [member_check]: found 'the team'; write it as a table: [member_check] on a line of its own, then contact, deadline and support"),
        ("[member_check]\ncontact = 5550100", 'radar.toml, [member_check] contact: found 5550100; write text in quotes, such as contact = "the study team, study@example.org"'),
        ("[member_check]\ndeadline = 2026-06-30", 'radar.toml, [member_check] deadline: found the date 2026-06-30; write text in quotes, such as deadline = "30 June 2026"'),
        ('[member_check]\nsupport = ["a line"]', 'radar.toml, [member_check] support: found a list; write text in quotes, such as support = "the support line, 0800 123 456 (free, every day)"'),
        ("[member_check]\nreturn_to = 5", 'radar.toml, [member_check] return_to: found 5; write text in quotes, such as return_to = "by email to study@example.org"'),
        ("[member_check]\nsigned = false", 'radar.toml, [member_check] signed: found false; write text in quotes, such as signed = "The study team"'),
        ("deidentify = 1", 'radar.toml, [deidentify]: found 1; write it as a table: [deidentify] on a line of its own, then places = ["Springfield"]'),
        ('[deidentify]\nnames = "Aunt Rosa"', """radar.toml, [deidentify] names: found 'Aunt Rosa'; write a list of strings, such as names = ["Aunt Rosa"]"""),
        ('[deidentify]\norganisations = ["Acme", ""]', """radar.toml, [deidentify] organisations[1]: found ''; every entry must be non-empty text in quotes, such as organisations = ["Acme Health"]"""),
        ("[deidentify]\nplaces = 3", 'radar.toml, [deidentify] places: found 3; write a list of strings, such as places = ["Springfield"]'),
        ("[deidentify]\nkeep = [1]", 'radar.toml, [deidentify] keep[0]: found 1; every entry must be non-empty text in quotes, such as keep = ["Zoom"]'),
        ("[deidentify]\nner = 1", f"radar.toml, [deidentify] ner: found 1; {NER_FIX}"),
        ('[deidentify]\nner = " "', f"radar.toml, [deidentify] ner: found ' '; {NER_FIX}"),
        ('[deidentify]\nplace = ["Springfield"]', "radar.toml, [deidentify]: unknown key 'place'; did you mean 'places'? (terms under an unknown key would not be masked)"),
        ("title = ", "radar.toml: Invalid value (at line 1, column 9); correct the file or delete it"),
    ],
)  # fmt: skip
def test_a_wrong_value_names_the_key_and_what_to_write(tmp_path: Path, text: str, message: str) -> None:
    path = config_file(tmp_path, text + "\n")
    with pytest.raises(StudyError) as error:
        load_config(path)
    assert str(error.value) == message


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "radar.toml"
    path.write_bytes('title = "Caf\u00e9"\n'.encode("cp1252"))
    with pytest.raises(StudyError, match=r"^radar\.toml: .*; correct the file or delete it$"):
        load_config(path)


def test_the_study_reports_the_error_through_the_cli(study_dir: Path) -> None:
    config_file(study_dir, "[history]\nkeep = 0\n")
    result = CliRunner().invoke(main, ["reduce", str(study_dir), "--quiet"])
    assert result.exit_code == 1
    assert result.stderr == f"Error: radar.toml, [history] keep: found 0; {KEEP_FIX}\n"
    assert not (study_dir / "radar-tables.xlsx").exists()


# What a valid file gives ---------------------------------------------------------------


def test_a_missing_file_gives_the_defaults(tmp_path: Path) -> None:
    config, notes = load_config(tmp_path / "radar.toml")
    assert notes == ()
    assert config == StudyConfig(
        title="",
        research_questions=(),
        coders=(),
        history=HistorySettings(keep=20),
        member_check=MemberCheckSettings(contact="", deadline="", support="", return_to="", signed=""),
        deidentify=DeidentifySettings(names=(), organisations=(), places=(), keep=(), ner=True),
    )
    assert config.display_title(tmp_path / "my-study") == "my-study"
    assert Study(tmp_path).config() == config


def test_every_key_read_into_its_field(tmp_path: Path) -> None:
    path = config_file(
        tmp_path,
        "\ufeff"  # a byte-order mark, as Windows editors write it
        'title = "Peer  support\\nonline"\n'
        'research_questions = ["Why?", "  ", "How?"]\n'
        'coders = ["Ana Rivera", "Ben Chen"]\n'
        "[history]\nkeep = 3\n"
        '[member_check]\ncontact = "the team"\ndeadline = "30 June 2026"\nsupport = "a line"\n'
        'return_to = "by post"\nsigned = "Ana"\n'
        '[deidentify]\nnames = ["Bobby"]\norganisations = ["Acme Health"]\nplaces = ["Springfield"]\n'
        'keep = ["Zoom"]\nner = "en_core_web_sm"\n',
    )
    config, notes = load_config(path)
    assert notes == ()
    assert config == StudyConfig(
        title="Peer  support\nonline",
        research_questions=("Why?", "How?"),  # the blank entry is left out
        coders=("Ana Rivera", "Ben Chen"),
        history=HistorySettings(keep=3),
        member_check=MemberCheckSettings("the team", "30 June 2026", "a line", "by post", "Ana"),
        deidentify=DeidentifySettings(
            ("Bobby",), ("Acme Health",), ("Springfield",), ("Zoom",), "en_core_web_sm"
        ),
    )
    assert config.display_title(tmp_path) == "Peer support online"


@pytest.mark.parametrize(
    ("text", "field", "expected"),
    [
        (f'research_questions = "{QUESTION}"', "research_questions", (QUESTION,)),
        ('coders = "Ana Rivera"', "coders", ("Ana Rivera",)),
        ('research_questions = ""', "research_questions", ()),
    ],
)
def test_one_string_is_a_list_of_one(
    tmp_path: Path, text: str, field: str, expected: tuple[str, ...]
) -> None:
    config, notes = load_config(config_file(tmp_path, text + "\n"))
    assert getattr(config, field) == expected and notes == ()


@pytest.fixture
def one_string_study(make_study: Callable[..., Path], tmp_path: Path) -> Path:
    root = make_study(tmp_path / "study")
    config_file(
        root, f'title = "Supervision study"\nresearch_questions = "{QUESTION}"\ncoders = "Ana Rivera"\n'
    )
    Study(root).reduce()
    return root


def test_the_report_shows_one_question_and_one_coder(one_string_study: Path, tmp_path: Path) -> None:
    out = Study(one_string_study).report(tmp_path / "report.md", "md")
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# Supervision study: methods and results"
    start = lines.index("Research questions:")
    assert lines[start + 1 : start + 4] == ["", f"- {QUESTION}", ""]
    assert "- H" not in lines  # not one bullet per character
    assert "- 24 Number of data coders: 1 (Ana Rivera)." in lines


def test_the_project_export_keeps_the_question(one_string_study: Path, tmp_path: Path) -> None:
    out = export_qdpx(Study(one_string_study), tmp_path / "study.qdpx")
    with zipfile.ZipFile(out) as archive:
        root = ET.fromstring(archive.read("project.qde"))
    assert root.get("name") == "Supervision study"
    description = root.find(f"{{{PROJECT_NAMESPACE}}}Description")
    assert description is not None
    assert description.text == f"Research questions:\n- {QUESTION}"


def test_the_study_sees_an_edit_at_once(tmp_path: Path) -> None:
    path = config_file(tmp_path, 'title = "A"\n')
    study = Study(tmp_path)
    assert study.config().title == "A"
    path.write_text('title = "B"\n', encoding="utf-8")  # same size, likely the same mtime
    assert study.config().title == "B"
    path.unlink()
    assert study.config() == StudyConfig()


# Unknown keys: notes, with the nearest known key -------------------------------------------


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ('reserch_questions = ["Why?"]', "radar.toml: unknown key 'reserch_questions'; did you mean 'research_questions'?"),
        ('Title = "A study"', "radar.toml: unknown key 'Title'; did you mean 'title'?"),
        ("[histroy]\nkeep = 5", "radar.toml: unknown key 'histroy'; did you mean 'history'?"),
        ('colour = "blue"', "radar.toml: unknown key 'colour'; the keys are title, research_questions, coders, history, member_check, deidentify, groups, rapid, agreement, saturation, report, suggest, surveys, transcripts"),
        ("[history]\nkeeps = 5", "radar.toml, [history]: unknown key 'keeps'; did you mean 'keep'?"),
        ('[member_check]\ndedline = "30 June"', "radar.toml, [member_check]: unknown key 'dedline'; did you mean 'deadline'?"),
    ],
)  # fmt: skip
def test_an_unknown_key_is_a_note_naming_the_nearest(tmp_path: Path, text: str, note: str) -> None:
    config, notes = load_config(config_file(tmp_path, text + "\n"))
    assert notes == (note,)
    assert config.research_questions == () and config.history.keep == 20


def test_reduce_prints_the_note(study_dir: Path) -> None:
    config_file(study_dir, f'reserch_questions = ["{QUESTION}"]\n')
    note = "radar.toml: unknown key 'reserch_questions'; did you mean 'research_questions'?"
    result = CliRunner().invoke(main, ["reduce", str(study_dir), "--quiet"])
    assert result.exit_code == 0
    assert f"Warning: {note}\n" in result.stderr
    with pytest.warns(RadarWarning, match=re.escape(note)):
        notes = Study(study_dir).reduce().notes
    assert notes[0] == note


# The files radar writes and ships load clean ---------------------------------------------------


def test_init_writes_a_file_that_loads_without_notes(tmp_path: Path) -> None:
    init_study(tmp_path / "plain")
    config, notes = load_config(tmp_path / "plain" / "radar.toml")
    assert notes == () and config == StudyConfig(title="plain")
    title = 'Say "hi" to C:\\study\tnow'
    init_study(tmp_path / "quoted", title=title)
    config, notes = load_config(tmp_path / "quoted" / "radar.toml")
    assert notes == () and config.title == title


def test_every_example_in_the_template_is_a_key_radar_reads(tmp_path: Path) -> None:
    """Uncommenting the template's example lines gives a file without notes."""
    example = re.compile(r'^(\s*)# (\[[\w.]+\]|"|\w+ = )')
    lines = [example.sub(r"\1\2", line) for line in CONFIG_TEMPLATE.format(title='"T"').splitlines()]
    config, notes = load_config(config_file(tmp_path, "\n".join(lines) + "\n"))
    assert notes == ()
    assert config == StudyConfig(
        title="T",
        research_questions=("How should digital peer support be supervised?",),
        coders=("A. Rivera", "B. Chen"),
        history=HistorySettings(keep=20),
        member_check=MemberCheckSettings(
            contact="the study team, study@example.org",
            deadline="30 June 2026",
            support="the support line, 0800 123 456 (free, every day)",
        ),
        deidentify=DeidentifySettings(
            names=("Aunt Rosa",),
            organisations=("Acme Health",),
            places=("Springfield",),
            keep=("Zoom",),
            ner=True,
            not_names=("Hope",),
            replace=(("Frank", "[husband]"),),
        ),
        groups=(GroupSettings("fg1", "Northside carers", "focus group"),),
        suggest=SuggestSettings(semantic=True, threshold=0.4),
        transcripts=TranscriptSettings(documents=("policy-brief",)),
    )


@pytest.mark.parametrize(
    "path",
    [ROOT / "examples" / "digital-peer-support" / "radar.toml", ROOT / "tests" / "files" / "membercheck" / "study" / "radar.toml"],
    ids=["example", "membercheck"],
)  # fmt: skip
def test_the_shipped_files_load_without_notes(path: Path) -> None:
    config, notes = load_config(path)
    assert notes == () and config.title and config.member_check.deadline


def test_every_command_that_reads_radar_toml_prints_its_notes_once(study_dir: Path) -> None:
    from click.testing import CliRunner

    from radar.cli import main

    (study_dir / "radar.toml").write_text('reserch_questions = ["Why?"]\n', encoding="utf-8")
    assert CliRunner().invoke(main, ["reduce", str(study_dir), "-q"]).exit_code == 0
    result = CliRunner().invoke(main, ["report", str(study_dir), "--out", str(study_dir / "report.md")])
    assert result.exit_code == 0, result.stderr
    note = "Warning: radar.toml: unknown key 'reserch_questions'; did you mean 'research_questions'?"
    assert result.stderr.splitlines().count(note) == 1
