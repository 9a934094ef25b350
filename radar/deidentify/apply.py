"""Transcripts and tables masked with the study's de-identifier."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

from radar import columns as C
from radar.config import DeidentifySettings
from radar.deidentify.build import deidentifier_from
from radar.deidentify.masking import Deidentifier
from radar.speakers import SpeakerKey, SpeakerList, resolve_speaker
from radar.transcripts import Transcript

if TYPE_CHECKING:
    import pandas as pd


def mask_transcripts(
    transcripts: Sequence[Transcript],
    speakers: SpeakerList | None,
    key: SpeakerKey,
    settings: DeidentifySettings,
    ner: bool | None = None,
) -> tuple[list[Transcript], Deidentifier]:
    """The transcripts with every turn's text masked, and the de-identifier used.

    Every label is resolved first (in the order ``build_segments`` resolves
    them, so the key gives the same pseudonyms), so that names the key
    learns in this run are masked too.
    """
    for transcript in transcripts:
        for turn in transcript.turns:
            resolve_speaker(transcript.group, turn.speaker, speakers, key)
    deid = deidentifier_from(speakers, key, settings, ner)
    texts = deid.mask_all([turn.text for t in transcripts for turn in t.turns])
    masked: list[Transcript] = []
    position = 0
    for transcript in transcripts:
        turns = []
        for turn in transcript.turns:
            turns.append(dataclasses.replace(turn, text=texts[position]))
            position += 1
        front = tuple(deid.mask_all(transcript.front_matter))
        masked.append(dataclasses.replace(transcript, turns=tuple(turns), front_matter=front))
    return masked, deid


def mask_frame(
    frame: pd.DataFrame, deid: Deidentifier, columns: Sequence[str] = (C.TEXT, C.QUESTION)
) -> pd.DataFrame:
    """A copy of a table with the given text columns masked."""
    out = frame.copy()
    for column in columns:
        if column in out.columns:
            out[column] = deid.mask_all(["" if v is None else str(v) for v in out[column]])
    return out
