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


def commands(group: click.Group, context: click.Context) -> list[tuple[str, click.Command, click.Context]]:
    """Every command under a group with its context, depth first, in --help order."""
    found: list[tuple[str, click.Command, click.Context]] = []
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        if command is None or command.hidden:
            continue
        child = click.Context(command, info_name=name, parent=context)
        found.append((child.command_path, command, child))
        if isinstance(command, click.Group):
            found += commands(command, child)
    return found


def root_context() -> click.Context:
    """The context of ``radar`` itself, as the terminal would make it (80 columns)."""
    from radar.cli import main

    settings = {**main.context_settings, "terminal_width": 80, "max_content_width": 80}
    return click.Context(main, info_name="radar", **settings)


def reference() -> str:
    """The whole reference as Markdown."""
    root = root_context()
    lines = [
        "# radar command reference",
        "",
        "Generated from the commands' own `--help` by `docs/make_cli_reference.py`; do not edit by hand.",
        "",
    ]
    assert isinstance(root.command, click.Group)
    for path, command, context in [("radar", root.command, root), *commands(root.command, root)]:
        lines += [f"## `{path}`", "", "```", command.get_help(context).rstrip(), "```", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    TARGET.write_text(reference(), encoding="utf-8")
    sys.stdout.write(f"wrote {TARGET}\n")
