"""The README documents what the code does."""

from __future__ import annotations

from pathlib import Path

from bot.cli import parser
from bot.settings import Settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_readme_table() -> None:
    for name in Settings.model_fields:
        assert f"| `WIJKSTEM_{name.upper()}` |" in README, name


def test_every_subcommand_is_in_the_readme() -> None:
    subcommands = parser()._subparsers._group_actions[0].choices
    for name in subcommands:
        assert f"wijkstem {name}" in README or f"`{name}`" in README, name
