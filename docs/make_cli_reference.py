"""Write docs/cli.md from the commands' own --help, so the reference never drifts.

Run ``python docs/make_cli_reference.py``; ``tests/test_docs.py`` fails when the
file differs from what this script would write.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

HERE = Path(__file__).resolve().parent
TARGET = HERE / "cli.md"


def commands(group: click.Group, prefix: str) -> list[tuple[str, click.Command]]:
    """Every command under a group, depth first, in the order --help lists them."""
    found: list[tuple[str, click.Command]] = []
    context = click.Context(group, info_name=prefix)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        if command is None or command.hidden:
            continue
        full = f"{prefix} {name}"
        found.append((full, command))
        if isinstance(command, click.Group):
            found += commands(command, full)
    return found


def help_text(path: str, command: click.Command) -> str:
    """The --help page of a command, as the terminal shows it (80 columns)."""
    parts = path.split()
    context = click.Context(command, info_name=" ".join(parts), terminal_width=80, max_content_width=80)
    return command.get_help(context)


def reference() -> str:
    """The whole reference as Markdown."""
    from radar.cli import main

    lines = [
        "# radar command reference",
        "",
        "Generated from the commands' own `--help` by `docs/make_cli_reference.py`; do not edit by hand.",
        "",
    ]
    for path, command in [("radar", main), *commands(main, "radar")]:
        lines += [f"## `{path}`", "", "```", help_text(path, command).rstrip(), "```", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    TARGET.write_text(reference(), encoding="utf-8")
    sys.stdout.write(f"wrote {TARGET}\n")
