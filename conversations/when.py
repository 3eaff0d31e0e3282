"""Reading the date and time a worker typed for an event, as people type them in a chat."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time, timedelta

from locales import TIME_ZONE

# A day and month without a year that lie this recently behind us were most likely mistyped.
RECENT_PAST = timedelta(days=60)


def _numbered(groups: tuple[str, ...], start: int) -> dict[str, int]:
    """Every name in space-separated groups, numbered by the group it stands in."""
    return {name: n for n, names in enumerate(groups, start=start) for name in names.split()}


MONTHS = _numbered(
    (
        "januari jan january",
        "februari feb february",
        "maart mrt mar march",
        "april apr",
        "mei may",
        "juni jun june",
        "juli jul july",
        "augustus aug august",
        "september sep sept",
        "oktober okt october oct",
        "november nov",
        "december dec",
    ),
    start=1,
)
WEEKDAYS = _numbered(
    (
        "maandag ma monday mon",
        "dinsdag di tuesday tue",
        "woensdag wo wednesday wed",
        "donderdag do thursday thu",
        "vrijdag vr friday fri",
        "zaterdag za saturday sat",
        "zondag zo sunday sun",
    ),
    start=0,
)
DAYS_FROM_TODAY = {"vandaag": 0, "today": 0, "morgen": 1, "tomorrow": 1, "overmorgen": 2}
FILLERS = frozenset({"om", "op", "de", "aanstaande", "a.s", "at", "on", "the", "of"})

# A clock needs minutes or a mark: a bare number could as well be a day.
_CLOCK = re.compile(r"(?P<hour>\d{1,2})(?:[:.uh](?P<minute>\d{2}))?(?P<mark>uur|u|h|am|pm)?")
_NUMERIC_DATE = re.compile(
    r"(?P<day>\d{1,2})(?P<sep>[-/.])(?P<month>\d{1,2})(?:(?P=sep)(?P<year>\d{4}|\d{2}))?"
)
_ISO_DATE = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})")
_DAY = re.compile(r"(?P<day>\d{1,2})(?:e|ste|de|st|nd|rd|th)?")
_YEAR = re.compile(r"\d{4}")


class Unreadable(ValueError):
    """The text holds no date and time we can read."""


class InPast(ValueError):
    """The date and time lie in the past."""


def parse_when(text: str, now: datetime) -> datetime:
    """The moment a worker typed, in Europe/Amsterdam; raises Unreadable or InPast."""
    now = now.astimezone(TIME_ZONE)
    clock, words = _take_clock(_words(text))
    words = _without_weekday_beside_date([w for w in words if w not in FILLERS])
    if len(words) == 1 and words[0] in DAYS_FROM_TODAY:
        today = now.date() + timedelta(days=DAYS_FROM_TODAY[words[0]])
        return _not_past(datetime.combine(today, clock, TIME_ZONE), now)
    if len(words) == 1 and words[0] in WEEKDAYS:
        return _next_weekday(WEEKDAYS[words[0]], clock, now)
    day, month, year = _calendar_date(words)
    if year is None:
        return _next_occurrence(day, month, clock, now)
    return _not_past(_moment(year, month, day, clock), now)


def _words(text: str) -> list[str]:
    """The lower-case words of a text, an hour and its mark (`14 uur`, `2 pm`) as one word."""
    text = text.lower().replace(",", " ")
    text = re.sub(r"(\d)t(\d)", r"\1 \2", text)  # 2026-03-13T14:00
    text = re.sub(r"(\d)\s+(uur|u|h|am|pm)\b", r"\1\2", text)
    return [word for word in (w.rstrip(".") for w in text.split()) if word]


def _take_clock(words: list[str]) -> tuple[time, list[str]]:
    """The one time of day among the words, and the words left."""
    clocks = [(i, clock) for i, word in enumerate(words) if (clock := _clock(word)) is not None]
    if len(clocks) != 1:
        raise Unreadable(" ".join(words))
    index, clock = clocks[0]
    return clock, words[:index] + words[index + 1 :]


def _clock(word: str) -> time | None:
    """The time of day one word gives, or None if it is no clock."""
    match = _CLOCK.fullmatch(word)
    if match is None or not (match["minute"] or match["mark"]):
        return None
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    if match["mark"] in ("am", "pm"):
        if not 1 <= hour <= 12:
            raise Unreadable(word)
        hour = hour % 12 + (12 if match["mark"] == "pm" else 0)
    if hour > 23 or minute > 59:
        raise Unreadable(word)
    return time(hour, minute)


def _without_weekday_beside_date(words: list[str]) -> list[str]:
    """The words without weekday names when more is said: the date then decides."""
    return [w for w in words if w not in WEEKDAYS] if len(words) > 1 else words


def _calendar_date(words: list[str]) -> tuple[int, int, int | None]:
    """Day, month and year (None when not given) of a date in numbers or with a month name."""
    date_read = _numeric_date(words[0]) if len(words) == 1 else _named_date(words)
    if date_read is None:
        raise Unreadable(" ".join(words))
    return date_read


def _numeric_date(word: str) -> tuple[int, int, int | None] | None:
    """Day, month and year of `13-3`, `13/3/27`, `13.3.2027` or `2027-03-13`, else None."""
    match = _NUMERIC_DATE.fullmatch(word) or _ISO_DATE.fullmatch(word)
    if match is None:
        return None
    year = match["year"]
    return int(match["day"]), int(match["month"]), _full_year(year) if year else None


def _named_date(words: list[str]) -> tuple[int, int, int | None] | None:
    """Day, month and year of `13 maart [2027]` or `march 13 [2027]`, else None."""
    if len(words) not in (2, 3):
        return None
    day_word, month_word = words[:2] if words[1] in MONTHS else words[1::-1]
    day, month = _DAY.fullmatch(day_word), MONTHS.get(month_word)
    year = words[2] if len(words) == 3 else None
    if day is None or month is None or (year is not None and not _YEAR.fullmatch(year)):
        return None
    return int(day["day"]), month, int(year) if year else None


def _full_year(year: str) -> int:
    """A year as written, with two digits meaning this century."""
    return int(year) + 2000 if len(year) == 2 else int(year)


def _moment(year: int, month: int, day: int, clock: time) -> datetime:
    """The moment at a date and time of day in Maastricht; Unreadable if there is no such date."""
    try:
        return datetime.combine(date(year, month, day), clock, TIME_ZONE)
    except ValueError as error:
        raise Unreadable(f"{day}-{month}-{year}") from error


def _next_occurrence(day: int, month: int, clock: time, now: datetime) -> datetime:
    """A day and month without a year: this year if still ahead, else next year."""
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(2000, month)[1]:
        raise Unreadable(f"{day}-{month}")
    for year in (now.year, now.year + 1):
        try:
            moment = _moment(year, month, day, clock)
        except Unreadable:
            continue  # 29 February outside a leap year
        if moment >= now:
            return moment
        if now - moment < RECENT_PAST:
            raise InPast(moment.isoformat())
    raise Unreadable(f"{day}-{month}")


def _next_weekday(weekday: int, clock: time, now: datetime) -> datetime:
    """The next such weekday at that time: today if the time is still ahead."""
    day = now.date() + timedelta(days=(weekday - now.weekday()) % 7)
    moment = datetime.combine(day, clock, TIME_ZONE)
    if moment < now:
        moment = datetime.combine(day + timedelta(days=7), clock, TIME_ZONE)
    return moment


def _not_past(moment: datetime, now: datetime) -> datetime:
    """The moment itself, or InPast if it lies before now."""
    if moment < now:
        raise InPast(moment.isoformat())
    return moment
