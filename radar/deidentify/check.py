"""What ``radar deidentify --check`` shows: what masking replaces in the transcripts, and what it leaves."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from radar import columns as C
from radar.deidentify.build import deidentifier_from
from radar.deidentify.terms import KIND_MASKED, KIND_SUSPECTED
from radar.folder import Folder, transcript_files
from radar.speakers import SpeakerKey, resolve_speaker
from radar.transcripts import read_transcript

if TYPE_CHECKING:
    import pandas as pd


CHECK_COLUMNS = C.DEIDENTIFY_CHECK_COLUMNS


@dataclass(frozen=True)
class CheckResult:
    """What ``radar deidentify --check`` shows: the findings and the active safeguards."""

    findings: pd.DataFrame  # CHECK_COLUMNS
    safeguards: tuple[str, ...]

    @property
    def masked(self) -> int:
        """How many occurrences masking replaces."""
        return int(self.findings["kind"].str.startswith(KIND_MASKED).sum())

    @property
    def suspected(self) -> int:
        """How many suspected names masking leaves for review."""
        return int((self.findings["kind"] == KIND_SUSPECTED).sum())


def deidentify_check(study: Folder, ner: bool | None = None) -> CheckResult:
    """What de-identification masks in the study's transcripts, and what it leaves.

    The transcripts are read as they are (the tables hold masked text
    already); nothing is written. ``where`` is the group and the turn's
    position in its transcript, counting from 1.
    """
    import pandas as pd

    speakers = study.speakers()
    key = SpeakerKey.load(study.paths.key)  # in memory only: nothing is written
    transcripts = [
        read_transcript(path, speakers.labels_for(path.stem) if speakers else None)
        for path in transcript_files(study.paths)
    ]
    items = []
    for transcript in transcripts:
        for number, turn in enumerate(transcript.turns, start=1):
            who = resolve_speaker(transcript.group, turn.speaker, speakers, key)
            items.append((f"{transcript.group}, turn {number}", who.participant_id, turn.text))
    deid = deidentifier_from(speakers, key, study.config().deidentify, ner)
    findings = deid.check(items)
    rows = [tuple(getattr(f, c) for c in CHECK_COLUMNS) for f in findings]
    return CheckResult(pd.DataFrame(rows, columns=list(CHECK_COLUMNS)), deid.safeguards)
