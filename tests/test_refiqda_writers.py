"""Projects as real writers make them (tests/files/refiqda/writers, built by make_writers.py).

Each expectation is worked out by hand from the fixture: the text each selection was
written from, the code tree as the writer nests it, the colours it gives.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from radar import columns as C
from radar.codebook import load_codebook
from radar.refiqda import export_qdpx, import_qdpx
from radar.study import Study

WRITERS = Path(__file__).resolve().parent / "files" / "refiqda" / "writers"


def coded(study: Path) -> set[tuple[str, str, str]]:
    phase3 = Study(study).tables().phase3
    return set(zip(phase3[C.PARTICIPANT], phase3[C.TEXT], phase3[C.CODE]))


def memos(study: Path) -> set[tuple[str, str]]:
    phase2 = Study(study).tables().phase2
    return {(text, memo) for text, memo in zip(phase2[C.TEXT], phase2[C.MEMO]) if memo}


def colours(study: Path) -> dict[str, str]:
    book = load_codebook(study / "codebook.yaml")
    found = {f"theme {theme.name}": theme.color for theme in book.themes if theme.color}
    found.update((code.name, code.color) for code in book.codes if code.color)
    return found


def record(study: Path) -> str:
    return (study / ".radar" / "imported-project.md").read_text(encoding="utf-8")


class _Imports(dict):  # type: ignore[type-arg]
    """Each writer's project imported once, when a test first asks for it."""

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        super().__init__()
        self.factory = factory

    def __missing__(self, name: str) -> tuple[Path, object]:
        study = self.factory.mktemp(name) / "study"
        self[name] = (study, import_qdpx(WRITERS / f"{name}.qdpx", study))
        return self[name]  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> _Imports:
    return _Imports(tmp_path_factory)


def test_nvivo_mac_utf16_positions_tree_colours_and_an_empty_txt(imported: dict) -> None:
    study, report = imported["nvivo-mac"]
    # Every selection on the text it was made on, though emoji come before each of them.
    assert coded(study) == {
        ("F01", "How do you get online? \U0001f600", "Access"),
        ("P01", "My phone \U0001f4f1 is my only device.", "Phones"),
        ("P01", "The data \U0001f62c runs out every week.", "Data plans"),
        ("P01", "Tired \U0001f634 and flat.", "Burnout"),
        # The article's .txt is empty: its text comes from the .docx beside it, by paragraph.
        ("document", "Data plans \U0001f4b8 run out before the month ends.", "Data plans"),
        ("document", "Supervisors see burnout \U0001f525 first.", "Burnout"),
    }
    book = load_codebook(study / "codebook.yaml")
    assert [(t.name, [c.name for c in t.codes]) for t in book.themes] == [
        ("Access", ["Access", "Devices", "Phones", "Data plans"]),
        ("Wellbeing", ["Burnout"]),
    ]
    assert book.path_of("Phones") == "Access / Devices / Phones" and book.depth() == 3
    assert colours(study) == {
        "theme Access": "#FF0000",
        "Devices": "#00FF00",
        "Phones": "#0000FF",
        "Data plans": "#FF8800",
        "theme Wellbeing": "#880088",
        "Burnout": "#00FFFF",
    }
    assert report.skipped == ()  # type: ignore[attr-defined]
    notes = report.notes  # type: ignore[attr-defined]
    assert any(n.startswith("positions in 2 source(s) were counted in UTF-16 code units") for n in notes)
    assert any(
        n.startswith("text source 'Article': its plain text is empty, so its text was read") for n in notes
    )


def test_nvivo_windows_seven_levels_bom_description_memo_and_spanning(imported: dict) -> None:
    study, report = imported["nvivo-win"]
    assert coded(study) == {
        ("P1", "My supervisor \U0001f9d1\u200d\U0001f3eb listens to my calls.", "L7"),
        ("P2", "Mine \U00010348 texts me every week.", "L3"),
        # "left early.\nEveryone" spans two paragraphs of the field notes: both carry it.
        ("document", "Two peers \U0001f465 left early.", "Notes"),
        ("document", "Everyone \U0001f634 looked tired.", "Notes"),
    }
    book = load_codebook(study / "codebook.yaml")
    assert book.depth() == 7
    assert book.path_of("L7") == "L1 / L2 / L3 / L4 / L5 / L6 / L7"
    assert len(colours(study)) == 9  # L1-L7, Method, Notes: every one its own colour
    text = record(study)
    assert "Pilot of the peer support supervision study." in text
    assert "### Focus group 1\n\nRecorded on a phone; the start is missing." in text
    assert any("1 coding(s) in documents span several paragraphs" in n for n in report.notes)  # type: ignore[attr-defined]


def test_atlas_ti_named_qde_groups_and_sets(imported: dict) -> None:
    study, _ = imported["atlasti"]
    assert coded(study) == {
        ("P01", "My laptop \U0001f4bb freezes.", "Devices"),
        ("P01", "I reuse one password \U0001f511 everywhere.", "Passwords"),
        ("P01", "Worn out.", "Burnout"),
    }
    book = load_codebook(study / "codebook.yaml")
    assert [(t.name, [c.name for c in t.codes]) for t in book.themes] == [
        ("Access", ["Devices", "Data plans"]),
        ("Privacy", ["Passwords"]),
        ("Ungrouped codes", ["Burnout"]),
    ]
    assert colours(study) == {
        "Devices": "#FF0000",
        "Data plans": "#FF8000",
        "Passwords": "#0000FF",
        "Burnout": "#00AA00",
    }
    text = record(study)
    assert "- **Later**: (empty)" in text and "- **Interviews**: Interview 2" in text


def test_maxqda_namespace_missing_media_and_description_memos(imported: dict) -> None:
    study, report = imported["maxqda"]
    assert {(text, code) for _, text, code in coded(study)} == {
        ("Mostly video calls.", "Video calls"),
        ("I have no wifi.", "Access"),
    }
    assert memos(study) == {("Mostly video calls.", "Zoom, mostly.")}
    assert report.skipped == (  # type: ignore[attr-defined]
        "text source 'Interview 4': its text is not inside the .qdpx "
        "(absolute://C:/Users/analyst/Documents/Interview 4.txt)",
        "audio source 'Interview 3 audio': radar imports text sources only",
    )
    summary = report.notes[-1]  # type: ignore[attr-defined]
    assert summary.startswith("2 thing(s) not carried over (also in .radar/audit.jsonl):\n  - text source")
    assert ".radar-import-" not in "".join(report.notes)  # type: ignore[attr-defined]
    book = load_codebook(study / "codebook.yaml")
    assert book.path_of("Video calls") == "Technology / Skills / Video calls"
    # Skills has its theme's colour, so it inherits it; the others have their own.
    assert colours(study) == {"theme Technology": "#4E79A7", "Video calls": "#59A14F", "Access": "#F28E2B"}


def test_qc_bare_paths_and_a_deep_tree(imported: dict) -> None:
    study, _ = imported["qc"]
    assert {(text, code) for _, text, code in coded(study)} == {
        ("She listens in on my calls.", "Listening in"),
        ("Every Friday.", "Feedback"),
    }
    book = load_codebook(study / "codebook.yaml")
    assert book.path_of("Listening in") == "Support / Supervision / Feedback / Calls / Listening in"
    assert book.depth() == 5 and colours(study) == {}


def test_taguette_dotted_names_are_a_hierarchy_and_documents_paragraphs(imported: dict) -> None:
    study, _ = imported["taguette"]
    book = load_codebook(study / "codebook.yaml")
    assert [(t.name, [(c.name, c.parent) for c in t.codes]) for t in book.themes] == [
        ("access", [("devices", ""), ("data plans", "")]),
        ("wellbeing", [("wellbeing", ""), ("burnout", ""), ("sleep", "burnout")]),
    ]
    assert coded(study) == {
        ("document", "Every peer I met carries an old phone.", "devices"),
        ("document", "Their data runs out by the third week.", "data plans"),
        ("document", "Nobody sleeps enough.", "sleep"),
        ("document", "Nobody sleeps enough.", "wellbeing"),
    }


def test_qualcoder_memos_annotations_cases_and_colours(imported: dict) -> None:
    study, _ = imported["qualcoder"]
    assert coded(study) == {
        ("P01", "My supervisor answers at night.", "Availability"),
        ("P02", "Mine gives me notes on each call.", "Feedback"),
    }
    assert memos(study) == {
        ("My supervisor answers at night.", "Night shifts only."),
        ("Not always quickly.", "Annotation: contradicts the first answer."),
    }
    assert "### Interview 6\n\nSecond interview of the pilot." in record(study)
    assert (study / "speakers.csv").read_text(encoding="utf-8").splitlines()[1:] == [
        "Sam,P01,participant,30-39",
        "Alex,P02,participant,40-49",
    ]
    assert colours(study) == {"Feedback": "#9CE3FF", "Availability": "#FFC0CB"}


def test_colours_and_trees_go_back_out_on_export(imported: dict, tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    study, _ = imported["nvivo-mac"]
    out = export_qdpx(study, tmp_path / "back.qdpx")
    with zipfile.ZipFile(out) as archive:
        root = ET.fromstring(archive.read("project.qde"))
    ns = "{urn:QDA-XML:project:1.0}"
    codes = root.find(f"{ns}CodeBook/{ns}Codes")
    assert codes is not None

    def tree(element: ET.Element) -> list[tuple[str, str, list]]:  # type: ignore[type-arg]
        return [(c.get("name", ""), c.get("color", ""), tree(c)) for c in element.findall(f"{ns}Code")]

    assert tree(codes) == [
        (
            "Access",
            "#FF0000",
            [
                ("Access", "#FF0000", []),
                ("Devices", "#00FF00", [("Phones", "#0000FF", [])]),
                ("Data plans", "#FF8800", []),
            ],
        ),
        ("Wellbeing", "#880088", [("Burnout", "#00FFFF", [])]),
    ]
