"""The command line's English: a count with its noun in the right number."""

from __future__ import annotations


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """`1 contribution`, `2 contributions` (or the plural given, such as `people`)."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"
