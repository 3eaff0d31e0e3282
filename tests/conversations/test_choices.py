"""Typed choice data: packed once, unpacked the same, over 64 bytes refused, forgeries caught."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pytest

from conversations.choices import ChoiceData, Unreadable
from conversations.invitations import Rsvp
from conversations.onboarding import Consent
from conversations.planning import Ev


@dataclass(frozen=True)
class Note(ChoiceData):
    prefix: ClassVar[str] = "note"
    words: str


def test_data_packs_and_unpacks_to_the_same() -> None:
    assert Rsvp(12, "going").pack() == "rsvp:12:going"
    assert Rsvp.unpack("rsvp:12:going") == Rsvp(12, "going")
    assert Consent.unpack(Consent("ar", "yes").pack()) == Consent("ar", "yes")


def test_empty_fields_at_the_end_are_left_out_and_come_back() -> None:
    assert Ev("next").pack() == "ev:next"
    assert Ev.unpack("ev:next") == Ev("next", "")


def test_data_over_64_bytes_is_refused_before_any_button_carries_it() -> None:
    assert len(Note("a" * 59).pack()) == 64
    with pytest.raises(ValueError, match="64 bytes"):
        Note("a" * 60).pack()
    with pytest.raises(ValueError, match="64 bytes"):
        Note("ئ" * 30).pack()  # 60 bytes of Arabic letters, as Telegram counts


@pytest.mark.parametrize(
    "forged",
    ["rsvp:abc:going", "rsvp:12", "rsvp", "hood:12:going", "rsvp:" + "9" * 70, "rsvp:-1:going"],
)
def test_forged_or_foreign_data_is_unreadable(forged: str) -> None:
    with pytest.raises(Unreadable):
        Rsvp.unpack(forged)


def test_only_the_last_field_may_hold_the_separator() -> None:
    assert Note.unpack("note:a:b") == Note("a:b")
    with pytest.raises(ValueError):
        Consent("a:b", "yes").pack()
