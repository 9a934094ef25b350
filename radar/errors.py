"""The errors radar raises for input a user can fix.

Every message names the file, sheet, row or cell at fault and says what to do.
The library never prints or exits: the CLI turns a :class:`RadarError` into one
``Error: ...`` line and exit status 1.
"""

from __future__ import annotations

from dataclasses import dataclass


class RadarError(Exception):
    """A problem with the user's input that the user can fix.

    Besides its message, an error carries where it is as fields, so callers
    and tests read the field rather than parse the text (as frictionless's
    ``CellError`` does): the file (``path``), the ``sheet``, ``cell`` and
    ``row`` of a workbook or CSV, the ``segment`` (Segment ID) and the
    settings ``key``. A field is None where it does not apply.

    Example:
        >>> error = WorkbookError("radar-tables.xlsx, sheet '1 All data', cell H7: ...",
        ...                       path="radar-tables.xlsx", sheet="1 All data", cell="H7")
        >>> error.cell, error.segment
        ('H7', None)
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        sheet: str | None = None,
        cell: str | None = None,
        row: int | None = None,
        segment: str | None = None,
        key: str | None = None,
        problems: tuple[RadarError, ...] = (),
    ) -> None:
        super().__init__(message)
        self.path = path
        self.sheet = sheet
        self.cell = cell
        self.row = row
        self.segment = segment
        self.key = key
        self.problems = problems  # every problem found, when one error stands for several


MAX_LISTED = 50  # problems listed in one error; the rest are counted


def raise_all(problems: list[RadarError]) -> None:
    """Raise the problems found in one pass as one error, so the analyst fixes them all at once.

    One problem is raised as it is. Several become one error of the first's
    type and fields, whose message lists each on its own line (at most
    :data:`MAX_LISTED`, then how many more) and whose ``problems`` hold them all.
    """
    if not problems:
        return
    first = problems[0]
    if len(problems) == 1:
        raise first
    lines = [str(p) for p in problems[:MAX_LISTED]]
    if len(problems) > MAX_LISTED:
        lines.append(f"... and {len(problems) - MAX_LISTED} more cells like these")
    raise type(first)(
        "\n".join(lines),
        path=first.path, sheet=first.sheet, cell=first.cell, row=first.row, segment=first.segment,
        key=first.key, problems=tuple(problems),
    )  # fmt: skip


@dataclass(frozen=True)
class Location:
    """Where in a workbook an error is: its text opens the message, its fields fill the error's.

    Example:
        >>> where = Location("radar-tables.xlsx", "2 Relevant", "F7", segment="fg1-004")
        >>> str(where)
        "radar-tables.xlsx, sheet '2 Relevant', cell F7 (Segment ID fg1-004)"
        >>> where.error(WorkbookError, "write yes or no").cell
        'F7'
    """

    path: str
    sheet: str | None = None
    cell: str | None = None
    segment: str | None = None
    row: int | None = None

    def __str__(self) -> str:
        text = self.path
        if self.sheet is not None:
            text += f", sheet {self.sheet!r}"
        if self.cell is not None:
            text += f", cell {self.cell}"
        if self.segment is not None:
            text += f" (Segment ID {self.segment})"
        return text

    def error(self, kind: type[RadarError], message: str) -> RadarError:
        """``kind("<where>: <message>")`` with this location's fields."""
        return kind(
            f"{self}: {message}",
            path=self.path, sheet=self.sheet, cell=self.cell, row=self.row, segment=self.segment,
        )  # fmt: skip


class TranscriptError(RadarError, ValueError):
    """A transcript could not be read or holds no speech."""


class CodebookError(RadarError, ValueError):
    """A codebook is missing, duplicated or malformed."""


class StudyError(RadarError, ValueError):
    """The study folder is not laid out as radar expects."""


class SpeakersError(RadarError, ValueError):
    """The speakers list (speakers.csv) is malformed."""


class WorkbookError(RadarError, ValueError):
    """The analyst's workbook cannot be read back or written safely."""


class RefiError(RadarError, ValueError):
    """A REFI-QDA file (.qdc, .qdpx) cannot be read, or cannot be written where asked."""


class MemberCheckError(RadarError, ValueError):
    """Member-check packets cannot be made or read as asked."""


class ChartError(RadarError, ValueError):
    """A chart cannot be drawn or saved as asked."""


class OutputExistsError(RadarError, FileExistsError):
    """A file the user named as an output exists and ``force`` was not given."""


class RadarWarning(UserWarning):
    """Something in the input a person should look at; the run went on."""
