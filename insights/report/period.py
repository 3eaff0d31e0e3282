"""The period a report covers, and the one before it for comparison."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from locales import TIME_ZONE

DEFAULT_DAYS = 30


class ReportError(ValueError):
    """A report cannot be made as asked; the message says why in one line."""


@dataclass(frozen=True)
class Period:
    """Whole days from `since` to `until`, both included, in Maastricht's time zone."""

    since: date
    until: date

    @property
    def days(self) -> int:
        """How many days the period spans."""
        return (self.until - self.since).days + 1

    def previous(self) -> Period:
        """The period of the same length just before this one."""
        until = self.since - timedelta(days=1)
        return Period(until - timedelta(days=self.days - 1), until)

    def bounds(self) -> tuple[str, str]:
        """The period as stored UTC timestamps: from (included) and to (excluded)."""
        start = datetime.combine(self.since, time.min, TIME_ZONE)
        end = datetime.combine(self.until + timedelta(days=1), time.min, TIME_ZONE)
        return _stored(start), _stored(end)


def _stored(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def today() -> date:
    """Today's date in Maastricht (the machine's own clock may run on UTC)."""
    return datetime.now(TIME_ZONE).date()


def parse_period(since: str | None, until: str | None, today: date) -> Period:
    """The period from `--since` and `--until` (YYYY-MM-DD); by default the last 30 days."""
    end = _parse("--until", until) if until else today
    start = _parse("--since", since) if since else end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise ReportError(f"--since {start} is after --until {end}")
    return Period(start, end)


def _parse(option: str, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ReportError(f"{option} {value!r} is not a date; write it as YYYY-MM-DD") from None
