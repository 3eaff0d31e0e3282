"""Typed choice data: one definition packs a choice into button data and unpacks it again.

As aiogram's CallbackData: a subclass names its prefix and fields; `pack` refuses data over
64 bytes (Telegram's limit, also kept on channels with room for more), `unpack` refuses
anything that is not data of its kind (forged or from an older version).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, ClassVar, Self, get_type_hints

from conversations.matching import NO_WORDS, YES_WORDS, words_in
from conversations.messages import Choice, Question
from locales import S_, SOURCE_LANGUAGE, _, current

MAX_BYTES = 64
SEPARATOR = ":"


class Unreadable(ValueError):
    """Button data that is not data of the kind asked for."""


@dataclass(frozen=True)
class ChoiceData:
    """Base of every kind of button data: `prefix:field:field…`."""

    prefix: ClassVar[str]

    def pack(self) -> str:
        """The data as the string a button carries; ValueError when it is over 64 bytes."""
        values = [_text(getattr(self, f.name)) for f in fields(self)]
        if any(SEPARATOR in value for value in values[:-1]):
            raise ValueError(f"only the last field may hold {SEPARATOR!r}: {values}")
        while values and not values[-1]:
            values.pop()  # empty fields at the end are left out: `ev:next`, not `ev:next:`
        data = SEPARATOR.join((self.prefix, *values))
        if len(data.encode("utf-8")) > MAX_BYTES:
            raise ValueError(f"button data over {MAX_BYTES} bytes: {data[:20]!r}…")
        return data

    @classmethod
    def unpack(cls, data: str) -> Self:
        """The data a button sent back; Unreadable if it is not of this kind."""
        own = fields(cls)
        prefix, _sep, rest = data.partition(SEPARATOR)
        if prefix != cls.prefix or len(data.encode("utf-8")) > MAX_BYTES:
            raise Unreadable(data[:20])
        parts = rest.split(SEPARATOR, len(own) - 1) if own and rest else []
        if len(parts) > len(own):
            raise Unreadable(data[:20])
        hints = get_type_hints(cls)
        values: dict[str, Any] = {}
        for field, part in zip(own, parts, strict=False):
            values[field.name] = _value(hints[field.name], part)
        try:
            return cls(**values)
        except TypeError as error:  # a field without a default is missing
            raise Unreadable(data[:20]) from error

    def choice(
        self, label: str, short: str = "", description: str = "", words: tuple[str, ...] = ()
    ) -> Choice:
        """A choice sending this data, with its labels."""
        return Choice(self.pack(), label, short, description, words)

    def toggle(self, label: str, on: bool, short: str = "") -> Choice:
        """A multi-select choice sending this data, ticked when `on`."""
        mark = "✅ " if on else "⬜ "
        return Choice(self.pack(), mark + label, mark + short if short else "", ticked=on)


@dataclass(frozen=True)
class Again(ChoiceData):
    """Ask the current question again, from page `page` (More…, Change)."""

    prefix: ClassVar[str] = "again"
    page: int = 0


def change() -> Choice:
    """Show a multi-select question's list again, to change what is ticked."""
    return Again().choice(_("✏️ Change"), _(S_("✏️ Change")))


def more(page: int) -> Choice:
    """Show the next page of a long list."""
    return Again(page).choice(_("More…"), _(S_("More…")))


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _value(hint: object, part: str) -> object:
    if hint is int or hint == (int | None):
        if not part and hint is not int:
            return None
        if not part.isdigit():
            raise Unreadable(part[:20])
        return int(part)
    return part


def yes_no(
    yes: ChoiceData, no: ChoiceData, labels: tuple[str, str], shorts: tuple[str, str] = ("", "")
) -> Question:
    """A yes and a no choice, each also chosen by typing a yes or no word.

    The words count in the resident's language, and in Dutch and English, which many residents
    type whatever language they chose.
    """
    languages = (current(), "nl", SOURCE_LANGUAGE)
    return Question.of(
        (
            yes.choice(labels[0], shorts[0], words=words_in(YES_WORDS, *languages)),
            no.choice(labels[1], shorts[1], words=words_in(NO_WORDS, *languages)),
        )
    )
