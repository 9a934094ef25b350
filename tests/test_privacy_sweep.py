"""Done means for issue 15: no planted identifier in any output radar writes.

A synthetic study of two focus groups carries 30 planted identifiers of every kind issue 15 names:
third parties nobody listed, names that are also common words or months, listed names opening a
sentence, surnames alone, spelling variants, emails, phone numbers, street addresses and ZIP codes, a
transcript named after a participant, an email column in speakers.csv, and one participant from
Vermont (a cell of one). Every output is written, every zip unpacked, and every part searched for each
identifier, case- and accent-insensitively: none may be found unless `radar deidentify --check` puts
it on the review list. Small cells must show as "<3".
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from radar.cli import main
from radar.config import DeidentifySettings
from radar.deidentify import deidentifier_from
from radar.speakers import Speaker, SpeakerList

CODEBOOK = """\
title: Sweep codebook
themes:
  - name: Access
    definition: Getting online.
    codes:
      - name: Devices
        keywords: [laptop, tablet]
  - name: Caring
    definition: Looking after family.
    codes:
      - name: Care work
        keywords: [care, caring, appointments]
  - name: Privacy
    definition: Keeping things private.
    codes:
      - name: Passwords
        keywords: [password, private]
  - name: Transport
    definition: Getting to places.
    codes:
      - name: Buses
        keywords: [bus]
"""

# Listed speakers: Maria Lopez, Will Turner, Margaret Hale (fg1); Anne-Marie Dubois, José Núñez,
# Kim Novak (fg2). Only Maria lives in Vermont.
SPEAKERS = (
    "speaker,participant_id,role,group,state,email\n"
    "Moderator,F1,facilitator,,,\n"
    "Maria Lopez,P01,participant,fg1,VT,maria.lopez@example.org\n"
    "Will Turner,P02,participant,fg1,NH,will.turner@example.org\n"
    "Margaret Hale,P03,participant,fg1,NH,\n"
    "Anne-Marie Dubois,P04,participant,fg2,NH,\n"
    "José Núñez,P05,participant,fg2,ME,\n"
    "Kim Novak,P06,participant,fg2,ME,\n"
)

FG1 = """\
Moderator: What gets in the way of joining a group online?
Maria Lopez: My laptop is old. My neighbour Rosa Delgado told me to try the library, and she lends me her tablet.
Will Turner: I am caring for my husband Frank, so I join from the car park between appointments.
Margaret Hale: Will said the same last week. Caring for my wife, June, takes most of my day and my laptop is hers.
Moderator: And keeping things private?
Maria Lopez: Margaret and I both write every password down. Ms Lopez, the nurse calls me, and I keep it private.
Will Turner: My daughter Priyanka Raman set my password for me; you can reach her at priyanka.raman@example.net.
Margaret Hale: Call me on 617-555-0143 or (802) 555-0177 if the tablet breaks, I am at 12 Elm Street, Burlington, VT 05401.
Maria Lopez: The bus is late; i told will and margaret, and Margaret's son knows. My mother is 93 and nurse Kelly visits.
Will Turner: Gregory asked me why my sister, Beatriz, was born on 3 March 1950; she posts at facebook.com/beatriz.turner.
"""

FG2 = """\
Moderator: What gets in the way of joining a group online?
Anne-Marie Dubois: My laptop is fine. Anne Marie is what my care team calls me, and my son Mateo Ferreira helps.
José Núñez: My tablet was a gift from Dr Okonkwo, who looks after my care since Jose Nunez became a patient.
Kim Novak: I use my phone. Anne Marie's tablet is nicer; write to kim.novak@example.com or 555-212-3344.
Moderator: And keeping things private?
José Núñez: My password is on a note at 48 Oak Avenue, the flat my friend Tobias Lindqvist rents me.
Kim Novak: I keep appointments private; Nunez told me about the care line.
José Núñez: Mrs. Dubois and Jose went to see Núñez's cousin; my number is +1 802 555 0123, ZIP 05401-1234.
"""

# (kind, what to search for). A needle that is an ordinary English word alone ("Will", "June",
# "Frank") carries the context that makes it a name, so an unrelated "will" or "June" elsewhere
# does not count. Matching ignores case and accents and wants whole words.
PLANTED: tuple[tuple[str, str], ...] = (
    ("unlisted third party", "Rosa Delgado"),
    ("unlisted third party", "Delgado"),
    ("unlisted third party", "Priyanka"),
    ("unlisted third party", "Raman"),
    ("unlisted third party", "Mateo Ferreira"),
    ("unlisted third party", "Ferreira"),
    ("unlisted third party", "Okonkwo"),
    ("unlisted third party", "Tobias"),
    ("unlisted third party", "Lindqvist"),
    ("common-word name", "husband Frank"),
    ("common-word name", "wife, June"),
    ("name opening a sentence", "Will said"),
    ("name opening a sentence", "Margaret and I"),
    ("lower case or possessive", "told will"),
    ("lower case or possessive", "and margaret"),
    ("lower case or possessive", "Margaret's"),
    ("variant", "and Jose went"),
    ("unlisted third party", "nurse Kelly"),
    ("unlisted third party", "Gregory"),
    ("unlisted third party", "Beatriz"),
    ("surname alone", "Ms Lopez"),
    ("surname alone", "Mrs. Dubois"),
    ("surname alone", "Nunez's"),
    ("surname alone", "Nunez told"),
    ("variant", "Anne Marie"),
    ("variant", "Anne-Marie"),
    ("variant", "Jose Nunez"),
    ("variant", "Dubois"),
    ("listed name", "Maria Lopez"),
    ("listed name", "Margaret Hale"),
    ("listed name", "Will Turner"),
    ("listed name", "Kim Novak"),
    ("email", "priyanka.raman@example.net"),
    ("email", "kim.novak@example.com"),
    ("email", "maria.lopez@example.org"),
    ("email", "will.turner@example.org"),
    ("phone", "617-555-0143"),
    ("phone", "555-0177"),
    ("phone", "555-212-3344"),
    ("phone", "802 555 0123"),
    ("address", "12 Elm Street"),
    ("address", "48 Oak Avenue"),
    ("address", "05401"),
    ("address", "Burlington"),
    ("address", "05401-1234"),
    ("address", "beatriz.turner"),
    ("date of birth or age over 89", "3 March 1950"),
    ("date of birth or age over 89", "is 93"),
    ("name in a file stem", "maria-lopez"),
)


def fold(text: str) -> str:
    """Lower case without accents, and with the XML/HTML escapes of our outputs undone."""
    text = text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&#x27;", "'")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def pattern(needle: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w@.]){re.escape(fold(needle))}(?![\w@-])")


def invoke(*args: object) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def ok(*args: object) -> str:
    code, out, err = invoke(*args)
    assert code == 0, (args, err)
    return out


def parts(path: Path) -> dict[str, str]:
    """Every text a file holds: a zip's every member (xlsx, docx, qdpx), a PDF's text, or the file."""
    data = path.read_bytes()
    if data[:2] == b"PK":
        with zipfile.ZipFile(path) as archive:
            return {
                f"{path.name}!{name}": archive.read(name).decode("utf-8", "replace")
                for name in archive.namelist()
            }
    if data[:4] == b"%PDF":
        text = subprocess.run(
            ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
        ).stdout
        return {path.name: text}
    return {path.name: data.decode("utf-8", "replace")}


def write_study(root: Path) -> Path:
    (root / "transcripts").mkdir(parents=True)
    (root / "transcripts" / "interview-maria-lopez.txt").write_text(FG1, encoding="utf-8")
    (root / "transcripts" / "fg2.txt").write_text(FG2, encoding="utf-8")
    (root / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    (root / "speakers.csv").write_text(SPEAKERS, encoding="utf-8")
    (root / "radar.toml").write_text(
        'title = "Sweep"\n'
        'research_questions = ["What gets in the way of joining online?"]\n'
        "[member_check]\n"
        'contact = "the study team, study@example.org"\n'
        'deadline = "30 June 2026"\n'
        'support = "the support line"\n'
        "[[rapid.domains]]\n"
        'name = "Barriers"\n'
        "[[rapid.domains]]\n"
        'name = "Privacy"\n',
        encoding="utf-8",
    )
    return root


def write_every_output(root: Path, out: Path) -> dict[str, str]:
    """Run every command that writes an output that leaves the team; return {part: text}."""
    out.mkdir()
    texts: dict[str, str] = {}
    ok("reduce", root)
    printed: dict[str, str] = {}
    printed["tally.text"] = ok("tally", root, "--format", "text")
    for fmt in ("table", "csv", "md", "latex", "json"):
        printed[f"tally.{fmt}"] = ok("tally", root, "--format", fmt)
        printed[f"tally-combined.{fmt}"] = ok("tally", root, "--combined", "--format", fmt)
        printed[f"tally-state.{fmt}"] = ok("tally", root, "--by-attribute", "state", "--format", fmt)
        printed[f"tally-people.{fmt}"] = ok("tally", root, "--unit", "participants", "--format", fmt)
    for fmt in ("csv", "md"):
        printed[f"tally-state-participants.{fmt}"] = ok(
            "tally", root, "--by-attribute", "state", "--unit", "participants", "--format", fmt
        )
        printed[f"tally-codes.{fmt}"] = ok("tally", root, "--by", "code", "--format", fmt)
    for fmt in ("xlsx", "docx"):
        ok("tally", root, "--format", fmt, "--out", out / f"tally.{fmt}")
        ok("tally", root, "--combined", "--format", fmt, "--out", out / f"combined.{fmt}")
        ok("tally", root, "--by-attribute", "state", "--format", fmt, "--out", out / f"state.{fmt}")
        ok("tally", root, "--unit", "participants", "--format", fmt, "--out", out / f"people.{fmt}")
    ok("report", root, "--out", out / "report.docx")
    ok("report", root, "--out", out / "report.md")
    chart_formats = ("svg", "pdf") if shutil.which("pdftotext") else ("svg",)
    for kind in ("themes", "heatmap", "cooccurrence", "flow", "saturation", "balance"):
        for fmt in chart_formats:
            ok("chart", root, kind, "--out", out / f"{kind}.{fmt}")
    ok("chart", root, "themes", "--unit", "participants", "--out", out / "themes-participants.svg")
    ok("chart", root, "heatmap", "--unit", "participants", "--out", out / "heatmap-participants.svg")
    ok("quotes", root, "--out", out / "quotes.docx")
    ok("member-check", "export", root, "--out", out / "packets", "--accept-review")
    ok("member-check", "export", root, "--out", out / "group-packets", "--by", "group", "--accept-review")
    ok("export", "qdpx", root, out / "study.qdpx")
    ok("codebook", "convert", root / "codebook.yaml", out / "codebook.qdc")
    ok("rapid", "template", root, "--out", out / "rapid.xlsx")
    ok("rapid", "matrix", root, "--template", out / "rapid.xlsx", "--out", out / "matrix.xlsx")
    ok("rapid", "matrix", root, "--template", out / "rapid.xlsx", "--out", out / "matrix.docx")
    ok("characteristics", root, "--format", "csv")
    files = [root / "radar-tables.xlsx", *sorted(p for p in out.rglob("*") if p.is_file())]
    files += sorted(root.glob("radar-report.*"))
    for path in files:
        texts.update(parts(path))
    texts.update(printed)
    return texts


def review_list(root: Path) -> list[str]:
    """The words `radar deidentify --check` suspects and leaves for the analyst to review."""
    rows = csv.DictReader(io.StringIO(ok("deidentify", root, "--check", "--format", "csv")))
    return [fold(row["found"]) for row in rows if row["kind"].startswith("suspected")]


def on_review_list(needle: str, reviewed: list[str]) -> bool:
    return any(pattern(word).search(fold(needle)) for word in reviewed)


@pytest.fixture(scope="module")
def swept(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = write_study(tmp_path_factory.mktemp("sweep") / "study")
    code, _, err = invoke("reduce", root)
    assert code == 1 and "interview-maria-lopez.txt holds 'Maria Lopez'" in err  # refused first
    assert not (root / "radar-tables.xlsx").exists()
    (root / "transcripts" / "interview-maria-lopez.txt").rename(root / "transcripts" / "fg1.txt")
    return root, write_every_output(root, tmp_path_factory.mktemp("outputs") / "out")


def test_there_are_at_least_twenty_planted_identifiers_of_every_kind() -> None:
    kinds = {kind for kind, _ in PLANTED}
    assert len(PLANTED) >= 20 and len(kinds) == 12
    every = fold(FG1 + FG2 + SPEAKERS + "interview-maria-lopez.txt")
    assert [n for _, n in PLANTED if not pattern(n).search(every)] == []


@pytest.mark.slow
def test_no_planted_identifier_is_in_any_output(swept: tuple[Path, dict[str, str]]) -> None:
    root, texts = swept
    folded = {part: fold(text) for part, text in texts.items()}
    assert len(folded) > 100  # every output was written and unpacked
    reviewed = review_list(root)
    found = {
        needle: sorted(part for part, text in folded.items() if pattern(needle).search(text))
        for _, needle in PLANTED
    }
    leaks = {n: where[:4] for n, where in found.items() if where and not on_review_list(n, reviewed)}
    assert leaks == {}


@pytest.mark.slow
def test_the_one_participant_from_vermont_is_shown_as_less_than_three(
    swept: tuple[Path, dict[str, str]],
) -> None:
    root, _ = swept
    # VT = P01 alone; ME = P05 P06; NH = P02 P03 P04. Every cell of ME and VT is below 3.
    rows = list(
        csv.reader(
            io.StringIO(
                ok("tally", root, "--by-attribute", "state", "--unit", "participants", "--format", "csv")
            )
        )
    )
    assert rows[0] == ["Theme", "ME", "NH", "VT", "All"]
    for row in rows[1:]:
        assert row[1].endswith("/<3") and row[3].endswith("/<3"), row
    # Transport: "bus" is said by Maria (P01) alone: 1 of 6 participants, 1 of 2 groups.
    assert rows[-1] == ["Transport", "0/<3", "0/3, 0%", "<3/<3", "<3/6"]
    people = list(csv.reader(io.StringIO(ok("tally", root, "--unit", "participants", "--format", "csv"))))
    assert people[-1] == ["Transport", "<3", "6", "", "<3/6"]
    groups = list(csv.reader(io.StringIO(ok("tally", root, "--unit", "groups", "--format", "csv"))))
    assert groups[-1] == ["Transport", "<3", "2", "", "<3/2"]
    assert groups[1] == ["Access", "2", "2", "100.0", "2/2, 100%"]  # all of the groups singles no one out
    text = ok("tally", root, "--unit", "participants", "--format", "text")
    assert "Transport (<3/6)" in text and "1/6" not in text
    table = list(csv.reader(io.StringIO(ok("characteristics", root, "--format", "csv"))))
    # ME = P05 P06 (2), NH = P02 P03 P04 (3 of 6 = 50%), VT = P01 (1); the email column is not shown.
    assert table == [
        ["Characteristic", "Value", "Participants (N = 6)"],
        ["state, n (%)", "ME", "<3"],
        ["", "NH", "3 (50%)"],
        ["", "VT", "<3"],
    ]


# ------------------------------------------------------------------ what the sweep found leaking, one by one

LISTED = SpeakerList(
    (
        Speaker("Will Turner", "P02", "participant"),
        Speaker("José Núñez", "P05", "participant"),
    )
)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        # a listed first name that is also a word, in lower case right after told/asked: a name
        ("The bus is late; i told will and the driver.", "The bus is late; i told [P02] and the driver."),
        ("I asked will twice.", "I asked [P02] twice."),
        ("I will ask, and will said yes.", "I will ask, and will said yes."),  # the word stays
        # a listed surname alone, accented, possessive, before a kinship word
        ("We went to see Núñez's cousin.", "We went to see [P05]'s cousin."),
        ("The Nunez's plan was late.", "The Nunez's plan was late."),  # no kinship word: not a name here
        # a town that is also a first name, after in / near / outside: a place, not a person
        ("We live in Florence now.", "We live in [place] now."),
        ("I grew up near Marion, then outside Tyler.", "I grew up near [place], then outside [place]."),
        ("I asked Florence about it.", "I asked [name 1] about it."),
        # an age over 89 said plainly of a person
        ("My mother is 93 and nurse visits.", "My mother is [age 90+] and nurse visits."),
        ("She's ninety-one now.", "She's [age 90+] now."),
        ("He was 90 when he moved.", "He was [age 90+] when he moved."),
        ("She is 95 percent sure.", "She is 95 percent sure."),
        ("He is 93 minutes away.", "He is 93 minutes away."),
        ("The room is 93 degrees, my mother is 89.", "The room is 93 degrees, my mother is 89."),
    ],
)
def test_what_leaked_is_masked_and_nothing_near_it(text: str, masked: str) -> None:
    deidentifier = deidentifier_from(LISTED, None, DeidentifySettings(ner=False, pseudonym_style="[{id}]"))
    assert deidentifier.mask(text) == masked
