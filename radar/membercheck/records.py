"""Member checking's records: what was sent and returned, and the names of its sheet and form."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from radar import columns as C
from radar.errors import MemberCheckError
from radar.files import write_text_atomic
from radar.folder import StudyPaths
from radar.tally import label

if TYPE_CHECKING:
    import pandas as pd


BY = ("participant", "group")


CONTENTS = ("summary", "transcript", "both")


SHEET = C.SHEET_MEMBER_CHECK


SHEET_COLUMNS = C.MEMBER_CHECK_COLUMNS


FEEDBACK_HEADER = C.FEEDBACK_HEADER


VERDICTS = ("agree", "partly", "disagree")


NO_RESPONSE = "no response"


COMMENT = "comment"


SUMMARY_COLUMNS = C.MEMBER_CHECK_SUMMARY_COLUMNS


MISSING_BOX = "What is missing?"


ADD_BOX = "Anything to add?"


CORRECT_BOX = "Anything to correct?"


BOXES = (MISSING_BOX, ADD_BOX, CORRECT_BOX)


CONFIG_TABLE = "member_check"


REQUIRED_FIELDS = ("contact", "deadline", "support")


RECORD_DIR = "member-check"


SENT_NAME = "sent.json"


IMPORTED_NAME = "imported.json"


QUOTES_PER_THEME = 2


COMMENT_JOIN = " | "


REFERENCE = "radar-member-check study={study} packet={packet}"


REFERENCE_PATTERN = re.compile(r"radar-member-check study=([0-9a-f]+) packet=(\S+)")


FOOTER_REFERENCE_PATTERN = re.compile(r"Packet reference:\s*(\S+)\s*/\s*([0-9a-f]{6,})")


def records_dir(paths: StudyPaths) -> Path:
    """Where member checking keeps its records: ``.radar/member-check``."""
    return paths.records / RECORD_DIR


def read_sent(paths: StudyPaths) -> dict[str, Any]:
    """What was sent: the study's packet fingerprint and every export round (empty if none)."""
    path = records_dir(paths) / SENT_NAME
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise MemberCheckError(
            f"{path}: cannot be read ({err}); restore it from a backup, it records which packets were sent"
        ) from err
    return data if isinstance(data, dict) else {}


def write_json(path: Path, data: Mapping[str, Any]) -> None:

    write_text_atomic(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def sent_packets(record: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Every packet ever sent, by its reference (the file stem); the latest round wins."""
    packets: dict[str, dict[str, Any]] = {}
    for round_ in record.get("rounds", []):
        for packet in round_.get("packets", []):
            packets[str(packet["packet"])] = dict(packet, time=round_.get("time", ""))
    return packets


def read_imported(paths: StudyPaths) -> dict[str, dict[str, str]]:
    path = records_dir(paths) / IMPORTED_NAME
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def theme_order(record: Mapping[str, Any]) -> list[str]:
    order: list[str] = []
    for round_ in record.get("rounds", []):
        for packet in round_.get("packets", []):
            order += [t for t in packet.get("themes", []) if t not in order]
    return order


def row_key(row: Mapping[str, str]) -> str:
    if row.get("Participant"):
        return f"participant {row['Participant']}"
    return f"group {row.get('Group', '')}"


@dataclass(frozen=True)
class ThemeSummary:
    """One theme as a packet shows it: name, plain-language summary, quotes."""

    name: str
    summary: str
    quotes: tuple[str, ...]


@dataclass(frozen=True)
class Said:
    """One turn as a packet shows it."""

    group: str
    speaker: str  # a pseudonym, or Facilitator / Observer
    question: str
    text: str


@dataclass(frozen=True)
class Recipient:
    """Who a packet is for: a participant or a group, and what they said."""

    kind: str  # participant | group
    id: str
    groups: tuple[str, ...]
    turns: tuple[Said, ...]


@dataclass(frozen=True)
class ExportResult:
    """What ``export_packets`` wrote and which safeguards were active."""

    packets: tuple[Path, ...]
    safeguards: tuple[str, ...]
    record: Path
    by: str
    content: str


@dataclass(frozen=True)
class Answer:
    """One recorded answer: a verdict on a theme, or a free-text comment (Theme empty)."""

    participant: str
    group: str
    theme: str
    verdict: str  # agree | partly | disagree | no response | comment
    comment: str
    packet: str


@dataclass(frozen=True)
class Packet:
    """A returned packet, read."""

    file: str
    reference: str
    kind: str
    id: str
    answers: tuple[Answer, ...]
    digest: str

    @property
    def key(self) -> str:
        """Who answered: ``participant P07`` or ``group fg1``."""
        return f"{self.kind} {self.id}"


@dataclass(frozen=True)
class ImportResult:
    """What ``import_packets`` read, recorded, skipped and could not read."""

    summary: pd.DataFrame  # SUMMARY_COLUMNS, over every answer recorded so far
    sent: int
    returned: int
    recorded: tuple[Answer, ...]  # the answers this import added
    problems: tuple[str, ...]  # "FILE, row N: ..." for packets left out
    skipped: tuple[str, ...]  # packets already imported
    written: tuple[Path, ...] = ()

    @property
    def response_rate(self) -> float:
        """Returned packets over sent packets (0 when none were sent)."""
        return self.returned / self.sent if self.sent else 0.0

    def response_line(self) -> str:
        """``Response: 3 of 5 packets returned (60%).``"""
        return f"Response: {self.returned} of {self.sent} packets returned ({share_percent(self.returned, self.sent)})."


def share_label(n: int, total: int) -> str:
    """``3/5, 60%`` (JMIR's decimals)."""
    return label(n, total, "jmir")


def share_percent(n: int, total: int) -> str:
    return share_label(n, total).split(", ", 1)[-1] if total else "0%"
