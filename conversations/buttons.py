"""Button rows shared by several flows."""

from __future__ import annotations

from collections.abc import Iterable

from conversations.labels import KIND_LABELS
from conversations.messages import Button
from locales import _, available_languages, language_name


def in_rows(buttons: Iterable[Button], per_row: int) -> tuple[tuple[Button, ...], ...]:
    """Buttons laid out `per_row` to a row."""
    listed = list(buttons)
    return tuple(tuple(listed[i : i + per_row]) for i in range(0, len(listed), per_row))


def language_rows(first: str | None = None) -> tuple[tuple[Button, ...], ...]:
    """One button per language, each named in its own language; `first` (the likely one) first."""
    languages = sorted(available_languages(), key=lambda lang: lang != first)
    return in_rows((Button(language_name(lang), f"lang:{lang}") for lang in languages), 2)


def kind_rows(prefix: str = "kind") -> tuple[tuple[Button, ...], ...]:
    """Concern, idea, initiative: one button each."""
    return tuple((Button(_(label), f"{prefix}:{kind}"),) for kind, label in KIND_LABELS.items())


def menu_rows() -> tuple[tuple[Button, ...], ...]:
    """The main menu: share something, or look at what you shared."""
    return (
        *kind_rows(),
        (Button(_("📋 My messages"), "menu:mine"), Button(_("🌐 Language"), "menu:language")),
        (Button(_("❓ Help"), "menu:help"),),
    )


def yes_no(prefix: str, yes: str, no: str) -> tuple[Button, ...]:
    """A yes and a no button whose data is `prefix:yes` and `prefix:no`."""
    return (Button(yes, f"{prefix}:yes"), Button(no, f"{prefix}:no"))
