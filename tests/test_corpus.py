"""The transcript corpus: files in the shapes real exporters write, each with its hand-worked reading.

``tests/files/transcripts/expected-files.csv`` gives each file's shape,
encoding, turn count and speakers; ``expected-turns.csv`` every turn's
speaker, start and text. Both were written by hand from the files (see the
folder's README), never from radar's output.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from radar.transcripts import read_transcript
from radar.transcripts.labels import starts_with_time

CORPUS = Path(__file__).parent / "files" / "transcripts"


def table(name: str) -> list[dict[str, str]]:
    with (CORPUS / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


FILES = {row["file"]: row for row in table("expected-files.csv")}
TURNS: dict[str, list[tuple[str, str, str]]] = {}
for _row in table("expected-turns.csv"):
    TURNS.setdefault(_row["file"], []).append((_row["speaker"], _row["start"], _row["text"]))


def test_the_corpus_is_large_and_every_file_has_its_reading() -> None:
    on_disk = {
        p.name for p in CORPUS.iterdir() if p.suffix not in (".csv", ".md", ".py") or p.suffix == ".md"
    }
    on_disk -= {"README.md"}
    assert len(FILES) >= 40
    assert on_disk == set(FILES)
    assert set(TURNS) == set(FILES)


def same_encoding(path: Path, found: str, written: str) -> bool:
    """Whether radar's encoding is the one the file was written in, or one that reads it the same.

    A detector may name a superset (GB18030 for GB2312, cp932 for Shift-JIS) or
    a code page that agrees on every byte the file holds (cp1250 for ISO-8859-2).
    """
    if found == written or written == "docx":
        return found == written
    data = path.read_bytes()
    return data.decode(found) == data.decode(written)


@pytest.mark.parametrize("name", sorted(FILES))
def test_each_file_reads_as_worked_out_by_hand(name: str) -> None:
    expected = FILES[name]
    transcript = read_transcript(CORPUS / name)
    assert [(t.speaker, t.start, t.text) for t in transcript.turns] == TURNS[name]
    assert transcript.format == expected["shape"]
    assert same_encoding(CORPUS / name, transcript.encoding, expected["encoding"])
    assert len(transcript.turns) == int(expected["turns"])
    assert "|".join(dict.fromkeys(t.speaker for t in transcript.turns)) == expected["speakers"]
    assert transcript.words is not None and transcript.words.lost == 0
    assert not [t.text for t in transcript.turns if starts_with_time(t.text)]
