"""What ``radar deidentify --check`` shows: what masking replaces in the transcripts, and what it leaves."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from radar import columns as C
from radar.deidentify.build import deidentifier_from
from radar.deidentify.terms import KIND_MASKED, KIND_REVIEWED, KIND_SUSPECTED
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
    reviewed: tuple[str, ...] = ()  # the analyst's decisions in radar.toml: not_names, replace

    @property
    def masked(self) -> int:
        """How many occurrences masking replaces."""
        return int(self.findings["kind"].str.startswith(KIND_MASKED).sum())

    @property
    def suspected(self) -> int:
        """How many suspected names masking leaves for review."""
        return int((self.findings["kind"] == KIND_SUSPECTED).sum())

    @property
    def kept_as_reviewed(self) -> int:
        """How many occurrences a rule would have found but the analyst reviewed as not a name."""
        return int((self.findings["kind"] == KIND_REVIEWED).sum())

    def masked_by_rule(self) -> dict[str, int]:
        """How many occurrences each rule masked, most first: ``{"first name": 12, "pattern: email": 1}``.

        Example:
            >>> import pandas as pd
            >>> rows = [("g", "P1", "masked (pattern: email)", "a@b.org", "[email]", "")]
            >>> CheckResult(pd.DataFrame(rows, columns=list(CHECK_COLUMNS)), ()).masked_by_rule()
            {'pattern: email': 1}
        """
        kinds = self.findings["kind"]
        masked = kinds[kinds.str.startswith(KIND_MASKED)].str.slice(len(KIND_MASKED) + 2, -1)
        counts = masked.value_counts(sort=False)
        ordered = sorted(counts.items(), key=lambda item: (-int(item[1]), str(item[0])))
        return {str(rule): int(count) for rule, count in ordered}


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
    settings = study.config().deidentify
    deid = deidentifier_from(speakers, key, settings, ner)
    findings = deid.check(items)
    rows = [tuple(getattr(f, c) for c in CHECK_COLUMNS) for f in findings]
    reviewed = tuple(f"not a name: {term}" for term in settings.not_names) + tuple(
        f"own replacement: {term} -> {replacement}" for term, replacement in settings.replace
    )
    return CheckResult(pd.DataFrame(rows, columns=list(CHECK_COLUMNS)), deid.safeguards, reviewed)
