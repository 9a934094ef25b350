"""Documentation that stays true: the CLI reference and the README follow the commands."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from radar.cli import main

ROOT = Path(__file__).resolve().parents[1]


def load_generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "make_cli_reference", ROOT / "docs" / "make_cli_reference.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_cli_reference_is_up_to_date() -> None:
    generator = load_generator()
    written = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert written == generator.reference(), "run `python docs/make_cli_reference.py` and commit docs/cli.md"


def test_every_command_has_help_and_is_documented() -> None:
    generator = load_generator()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    reference = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for path, command, _ in generator.commands(main, generator.root_context()):
        assert (command.help or "").strip(), f"{path} has no help text"
        assert f"`{path}`" in reference, path
        if path.count(" ") == 1:  # every top-level command is in the README's table
            assert re.search(rf"`{re.escape(path)}\b", readme), f"{path} is not in the README"
