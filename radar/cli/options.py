"""What the commands share: argument and option decorators, printing tables, errors and notes."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

UNITS = ("excerpts", "participants", "groups")

if TYPE_CHECKING:  # click.ParamType is generic in click's stubs of 8.2 and later, not at run time in 8.1
    _PathParamType = click.ParamType[Path]
else:
    _PathParamType = click.ParamType


class CheckedPath(_PathParamType):
    """A path argument checked by :func:`radar.files.check_path`: a bad one is one ``Error:`` line, exit 1.

    click's own ``exists=True``/``dir_okay`` checks are usage errors (three lines, exit 2); a missing
    file is bad input like any other, so it gets the same one line as every other input error.
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.name = {"file": "file", "folder": "directory", "output": "file", "new-folder": "directory"}[kind]

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Path:
        from radar.errors import RadarError
        from radar.files import check_path

        try:
            return check_path(value, self.kind)
        except RadarError as err:
            raise click.ClickException(str(err)) from None


INPUT_FILE = CheckedPath("file")
INPUT_FOLDER = CheckedPath("folder")
OUTPUT_FILE = CheckedPath("output")
OUTPUT_FOLDER = CheckedPath("new-folder")

# STUDY is checked by the library (one Error line, exit 1), not by click (a usage error, exit 2).
study_argument = click.argument("study", type=click.Path(path_type=str))
# Where STUDY is the only argument it may be left out: the folder radar is run in.
study_here_argument = click.argument("study", required=False, default=".", type=click.Path(path_type=str))


def unit_option(help_text: str) -> Callable[[F], F]:
    """``--unit excerpts|participants|groups``, the counting unit."""
    return click.option(
        "--unit", type=click.Choice(UNITS), default="excerpts", show_default=True, help=help_text
    )


def table_or_csv_option(help_text: str) -> Callable[[F], F]:
    """``--format table|csv`` for commands that print one table."""
    return click.option(
        "--format", "fmt", type=click.Choice(["table", "csv"]), default="table", show_default=True,
        help=help_text,
    )  # fmt: skip


TABLE_FORMATS = ["table", "csv", "md", "latex", "json", "xlsx", "docx"]
table_format_option = click.option(
    "--format", "fmt", type=click.Choice(TABLE_FORMATS), default="table", show_default=True,
    help="Output format; xlsx and docx need --out.",
)  # fmt: skip
percent_option = click.option(
    "--percent", "percent_style", type=click.Choice(["jmir", "one-decimal", "integer"]),
    default="jmir", show_default=True, help="Decimals in the label (JMIR: by the size of N).",
)  # fmt: skip
out_option = click.option(
    "--out", "out", type=OUTPUT_FILE, help="Write to this file instead of printing.",
)  # fmt: skip


def emit(frame: Any, fmt: str, out: Path | None, force: bool, title: str, caption: str = "") -> None:
    """Print a table in ``fmt`` (``table`` adds the caption below it), or write it to ``out``."""
    from radar.errors import RadarError
    from radar.formats import render, write_table

    if out is not None:
        write_table(frame, out, None if fmt == "table" else fmt, title=title, force=force)  # table: by suffix
        click.echo(f"wrote {out}")
    elif fmt in ("xlsx", "docx"):
        raise RadarError(f"--format {fmt} writes a file; add --out FILE.{fmt}")
    else:
        click.echo(render(frame, fmt), nl=False)
        if fmt == "table" and caption:
            click.echo(f"\n{caption}")


def codebook_option(help_text: str) -> Callable[[F], F]:
    """``--codebook FILE`` for commands that read coders' copies."""
    return click.option(
        "--codebook", "codebook_path", type=INPUT_FILE,
        help=help_text,
    )  # fmt: skip


def force_option(help_text: str) -> Callable[[F], F]:
    """``--force``: the one overwrite rule, checked by the library (radar.files.check_overwrite)."""
    return click.option("--force", is_flag=True, help=help_text)


def reports_errors(command: F) -> F:
    """Turn a RadarError (or an OS error on a user's file) into ``Error: ...`` and exit 1."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        import warnings

        from radar.errors import RadarError, RadarWarning

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", RadarWarning)
            try:
                return command(*args, **kwargs)
            except RadarError as err:
                if err.problems:  # several problems found in one pass: one Error line each
                    *first, last = str(err).splitlines()
                    for line in first:
                        click.echo(f"Error: {line}", err=True)
                    raise click.ClickException(last) from None
                raise click.ClickException(str(err)) from None
            except PermissionError as err:
                raise click.ClickException(
                    f"{err.filename}: permission denied; close the file in other programs "
                    "or check its permissions"
                ) from None
            except OSError as err:  # an output folder that is a file, or where no file can be made
                where = err.filename or "a file radar reads or writes"
                raise click.ClickException(
                    f"{where}: {err.strerror or type(err).__name__}; give a path in a folder that exists "
                    "and can be written to, on a disk with space"
                ) from None
            finally:
                say_warnings(caught)

    return wrapper  # type: ignore[return-value]


def say_warnings(caught: list[Any]) -> None:
    """Print the library's RadarWarnings once each as ``Warning:`` lines; show any other warning as Python would."""
    import warnings

    from radar.errors import RadarWarning

    notes: list[str] = []
    for warning in caught:
        if issubclass(warning.category, RadarWarning):
            if str(warning.message) not in notes:
                notes.append(str(warning.message))
        else:
            warnings.showwarning(warning.message, warning.category, warning.filename, warning.lineno)
    say_notes(notes)


def say_notes(notes: tuple[str, ...] | list[str]) -> None:
    """Print warnings about the input on stderr."""
    for note in notes:
        click.secho(f"Warning: {note}", fg="yellow", err=True)
