"""Member checking's records: what was sent and returned, and the names of its sheet and form."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
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


REFERENCE = "radar-member-check study={study} packet={packet} export={export}"


# packets written before exports were numbered carry no export number; both forms are read
REFERENCE_PATTERN = re.compile(r"radar-member-check study=([0-9a-f]+) packet=(\S+)(?: export=(\d+))?")


FOOTER_REFERENCE = "Packet reference: {packet} / {study} / export {export}"


FOOTER_REFERENCE_PATTERN = re.compile(
    r"Packet reference:\s*(\S+)\s*/\s*([0-9a-f]{6,})(?:\s*/\s*export\s+(\d+))?"
)


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


@dataclass(frozen=True)
class Export:
    """One ``radar member-check export`` run: its number, when, where to, and the packets it wrote."""

    number: int
    time: str
    folder: str  # "" for exports recorded before folders were
    by: str
    content: str
    packets: tuple[Mapping[str, Any], ...]

    @property
    def day(self) -> str:
        """The date of the export, ``2026-06-01``."""
        return self.time[:10]

    @property
    def keys(self) -> frozenset[str]:
        """Who was sent a packet: ``participant P07`` or ``group fg1``."""
        return frozenset(f"{p['kind']} {p['id']}" for p in self.packets)

    def packet(self, stem: str) -> Mapping[str, Any] | None:
        """The packet this export wrote under that reference, if any."""
        return next((p for p in self.packets if str(p["packet"]) == stem), None)

    def described(self) -> str:
        """``export 2 (2026-06-01, to /studies/packets)``."""
        where = f", to {self.folder}" if self.folder else ""
        return f"export {self.number} ({self.day}{where})"


def exports_of(record: Mapping[str, Any]) -> list[Export]:
    """Every export the record holds, oldest first, numbered 1, 2, ... (as their packets say)."""
    exports = []
    for position, round_ in enumerate(record.get("rounds", []), start=1):
        exports.append(
            Export(
                int(round_.get("export", position)),
                str(round_.get("time", "")),
                str(round_.get("folder", "")),
                str(round_.get("by", "participant")),
                str(round_.get("content", "both")),
                tuple(round_.get("packets", [])),
            )
        )
    return exports


def current_exports(exports: Sequence[Export]) -> list[Export]:
    """The exports in force: a later export of packets by the same unit (participant or group) replaces an earlier one."""
    latest: dict[str, Export] = {}
    for export in exports:
        if export.packets:
            latest[export.by] = export
    return sorted(latest.values(), key=lambda e: e.number)


def replacing(exports: Sequence[Export], export: Export) -> Export:
    """The export in force for the unit of ``export``: itself, or the later export that replaced it."""
    later = [e for e in exports if e.by == export.by and e.number >= export.number and e.packets]
    return later[-1] if later else export


def export_of(exports: Sequence[Export], stem: str, number: int | None) -> Export | None:
    """The export a returned packet belongs to: the number in its reference, or (for a packet
    written before exports were numbered) the latest export that wrote that packet."""
    if number is not None:
        found = [e for e in exports if e.number == number]
        return found[0] if found and found[0].packet(stem) is not None else None
    holding = [e for e in exports if e.packet(stem) is not None]
    return holding[-1] if holding else None


def sent_packets(record: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Every packet ever sent, by its reference (the file stem); the latest export wins."""
    packets: dict[str, dict[str, Any]] = {}
    for export in exports_of(record):
        for packet in export.packets:
            packets[str(packet["packet"])] = dict(packet, time=export.time, export=export.number)
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


def theme_order(exports: Sequence[Export]) -> list[str]:
    order: list[str] = []
    for export in exports:
        for packet in export.packets:
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
    written: bool = True  # False when the codebook gives no definition to show as the summary
    segments: tuple[str, ...] = ()  # each quote's Segment ID, for the review of what a packet holds


@dataclass(frozen=True)
class Said:
    """One turn as a packet shows it."""

    group: str
    speaker: str  # a pseudonym, or Facilitator / Observer
    question: str
    text: str
    segment: str = ""  # its Segment ID, for the review of what a packet holds


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
    number: int = 1  # the export's number, written into every packet's reference
    replaces: int | None = None  # the earlier export of the same unit this one replaces
    notes: tuple[str, ...] = ()  # what the researcher should look at before sending

    def line(self, out: str | Path) -> str:
        """``wrote 12 packet(s) to DIR as export 2 (it replaces export 1 in the response rate)``."""
        line = f"wrote {len(self.packets)} packet(s) to {out} as export {self.number}"
        if self.replaces is not None:
            line += f" (it replaces export {self.replaces} in the response rate)"
        return line


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
    export: int = 1  # the export the packet belongs to

    @property
    def key(self) -> str:
        """Who answered: ``participant P07`` or ``group fg1``."""
        return f"{self.kind} {self.id}"

    @property
    def blank(self) -> bool:
        """Nothing filled in: no mark, no comment, no box written in."""
        return all(a.verdict == NO_RESPONSE and not a.comment for a in self.answers)


@dataclass(frozen=True)
class Response:
    """Packets returned of those one export sent."""

    export: Export
    returned: int
    replaced: tuple[int, ...] = ()  # earlier exports of the same unit this one replaced

    @property
    def sent(self) -> int:
        """How many participants or groups the export sent a packet to."""
        return len(self.export.keys)

    def clause(self, first: bool) -> str:
        """``3 of 12 packets returned (25%) from export 2 (2026-06-01, to DIR, replacing export 1)``."""
        of = f"{self.returned} of {self.sent}" + (" packets returned" if first else "")
        where = self.export.described()
        if self.replaced:
            where = where[:-1] + ", replacing " + _and(f"export {n}" for n in self.replaced) + ")"
        return f"{of} ({share_percent(self.returned, self.sent)}) from {where}"


def _and(items: Iterable[str]) -> str:
    items = list(items)
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


def responses(
    exports: Sequence[Export], in_force: Iterable[Export], answered: Iterable[str]
) -> tuple[Response, ...]:
    """Returned of sent for each export in force: everyone it sent to who has answers recorded."""
    keys = set(answered)
    found = []
    for export in sorted({e.number: e for e in in_force}.values(), key=lambda e: e.number):
        replaced = tuple(
            e.number for e in exports if e.by == export.by and e.number < export.number and e.packets
        )
        found.append(Response(export, len(export.keys & keys), replaced))
    return tuple(found)


@dataclass(frozen=True)
class ImportResult:
    """What ``import_packets`` read, recorded, skipped and could not read."""

    summary: pd.DataFrame  # SUMMARY_COLUMNS, over every answer recorded so far
    sent: int
    returned: int
    recorded: tuple[Answer, ...]  # the answers this import added
    problems: tuple[str, ...]  # "FILE, row N: ..." for packets left out
    skipped: tuple[str, ...]  # packets already imported, or returned blank
    written: tuple[Path, ...] = ()
    responses: tuple[Response, ...] = ()  # per export the packets read belong to
    notes: tuple[str, ...] = ()  # packets recorded from an export that a later one replaced

    @property
    def response_rate(self) -> float:
        """Returned packets over sent packets (0 when none were sent)."""
        return self.returned / self.sent if self.sent else 0.0

    def response_line(self) -> str:
        """``Response: 3 of 12 packets returned (25%) from export 2 (2026-06-01, to DIR).``"""
        if not self.responses:
            return f"Response: {self.returned} of {self.sent} packets returned ({share_percent(self.returned, self.sent)})."
        clauses = [r.clause(first=i == 0) for i, r in enumerate(self.responses)]
        return "Response: " + "; ".join(clauses) + "."


def share_label(n: int, total: int) -> str:
    """``3/5, 60%`` (JMIR's decimals)."""
    return label(n, total, "jmir")


def share_percent(n: int, total: int) -> str:
    return share_label(n, total).split(", ", 1)[-1] if total else "0%"
