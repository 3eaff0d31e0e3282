"""Reading the date and time a worker typed, as people type them, in Dutch and English."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from conversations.when import InPast, Unreadable, parse_when
from locales import TIME_ZONE

# A Monday evening in November: winter time, with summer time ahead in the spring.
NOW = datetime(2026, 11, 23, 21, 0, tzinfo=TIME_ZONE)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Numeric dates, day first.
        ("13-3 14:00", "2027-03-13T14:00:00+01:00"),
        ("13-3-2027 14:00", "2027-03-13T14:00:00+01:00"),
        ("13/3 14.00", "2027-03-13T14:00:00+01:00"),
        ("13-03-27 14:00", "2027-03-13T14:00:00+01:00"),
        ("13.3.2027 14:00", "2027-03-13T14:00:00+01:00"),
        ("1-12 9:05", "2026-12-01T09:05:00+01:00"),
        # Month names, Dutch.
        ("13 maart 14u", "2027-03-13T14:00:00+01:00"),
        ("13 maart 14u30", "2027-03-13T14:30:00+01:00"),
        ("13 mrt 14:30", "2027-03-13T14:30:00+01:00"),
        ("13 mrt. 14:30", "2027-03-13T14:30:00+01:00"),
        ("13 maart om 14 uur", "2027-03-13T14:00:00+01:00"),
        ("13 maart 14.00 uur", "2027-03-13T14:00:00+01:00"),
        ("zaterdag 13 maart 14:00", "2027-03-13T14:00:00+01:00"),
        ("13 maart 2027 14:00", "2027-03-13T14:00:00+01:00"),
        ("14:00 13 maart", "2027-03-13T14:00:00+01:00"),
        ("5 december 19u", "2026-12-05T19:00:00+01:00"),
        # ISO dates.
        ("2027-03-13 14:00", "2027-03-13T14:00:00+01:00"),
        ("2027-03-13T14:00", "2027-03-13T14:00:00+01:00"),
        ("2027-06-01 14:00", "2027-06-01T14:00:00+02:00"),
        # Days counted from today.
        ("morgen 10:00", "2026-11-24T10:00:00+01:00"),
        ("vandaag 21:30", "2026-11-23T21:30:00+01:00"),
        ("overmorgen 9.30", "2026-11-25T09:30:00+01:00"),
        ("morgen om 10 uur", "2026-11-24T10:00:00+01:00"),
        # Weekdays: the next one, today while the time is still ahead.
        ("zaterdag 10:00", "2026-11-28T10:00:00+01:00"),
        ("za 10u", "2026-11-28T10:00:00+01:00"),
        ("maandag 22:00", "2026-11-23T22:00:00+01:00"),
        ("maandag 20:00", "2026-11-30T20:00:00+01:00"),
        ("zondag a.s. 12u", "2026-11-29T12:00:00+01:00"),
        # English.
        ("tomorrow 10am", "2026-11-24T10:00:00+01:00"),
        ("tomorrow at 10 am", "2026-11-24T10:00:00+01:00"),
        ("13 march 2pm", "2027-03-13T14:00:00+01:00"),
        ("march 13 14:00", "2027-03-13T14:00:00+01:00"),
        ("March 13th, 2027 2:30pm", "2027-03-13T14:30:00+01:00"),
        ("saturday 12pm", "2026-11-28T12:00:00+01:00"),
        ("sat 12am", "2026-11-28T00:00:00+01:00"),
        # Case and spaces do not matter.
        ("  Zaterdag   13 MAART   14:00 ", "2027-03-13T14:00:00+01:00"),
        ("MORGEN 10U", "2026-11-24T10:00:00+01:00"),
    ],
)
def test_reads_the_moment(text: str, expected: str) -> None:
    assert parse_when(text, NOW).isoformat() == expected


def test_answers_in_maastricht_time_whatever_the_zone_of_now() -> None:
    now_in_utc = NOW.astimezone(UTC)
    when = parse_when("morgen 10:00", now_in_utc)
    assert when.tzinfo is TIME_ZONE
    assert when.isoformat() == "2026-11-24T10:00:00+01:00"


def test_today_is_the_day_in_maastricht_not_in_utc() -> None:
    just_after_midnight = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)  # 00:30 on the 24th
    assert parse_when("vandaag 10:00", just_after_midnight).isoformat() == (
        "2026-11-24T10:00:00+01:00"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20-9 14:00", "2027-09-20T14:00:00+02:00"),  # 64 days ago: next year is meant
        ("24-9 21:00", "2027-09-24T21:00:00+02:00"),  # exactly 60 days ago
        ("29-2 10:00", None),  # no 29 February this year nor next
    ],
)
def test_a_date_without_year_long_past_means_next_year(text: str, expected: str | None) -> None:
    if expected is None:
        with pytest.raises(Unreadable):
            parse_when(text, NOW)
    else:
        assert parse_when(text, NOW).isoformat() == expected


def test_29_february_without_year_is_the_next_one() -> None:
    now = datetime(2027, 11, 23, 21, 0, tzinfo=TIME_ZONE)
    assert parse_when("29 feb 10:00", now).isoformat() == "2028-02-29T10:00:00+01:00"


@pytest.mark.parametrize(
    "text",
    [
        "1-11 14:00",  # 22 days ago, no year: most likely a typo
        "24-9 21:01",  # just under 60 days ago
        "23-11 20:00",  # earlier today
        "vandaag 19u",
        "today 8pm",
        "2026-03-13 14:00",
        "13-3-2026 14:00",
        "13 maart 2026 14:00",
        "13-03-26 14:00",
    ],
)
def test_refuses_a_moment_in_the_past(text: str) -> None:
    with pytest.raises(InPast):
        parse_when(text, NOW)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "banaan",
        # A date without a time, or a time without a date.
        "13 maart",
        "13-3",
        "morgen",
        "zaterdag",
        "2027-03-13",
        "14:00",
        "om 14 uur",
        "10am",
        # A bare number is no time.
        "13 maart 14",
        "morgen 10",
        # Dates and times that do not exist.
        "31-2 14:00",
        "30 februari 14:00",
        "13-13 14:00",
        "0-3 14:00",
        "29-2-2027 10:00",
        "13-3 25:00",
        "13-3 24:00",
        "13-3 14:60",
        "morgen 13pm",
        "morgen 0am",
        # Two of something, or words we do not know.
        "13-3 14:00 16:00",
        "13-3 14-3 14:00",
        "zaterdag zondag 10:00",
        "13 maart 14:00 in het buurthuis",
        "volgende week 10:00",
        "13 banaan 14:00",
        "13 maart 27 14:00",
    ],
)
def test_refuses_what_it_cannot_read(text: str) -> None:
    with pytest.raises(Unreadable):
        parse_when(text, NOW)


def test_both_errors_are_value_errors() -> None:
    assert issubclass(Unreadable, ValueError) and issubclass(InPast, ValueError)
