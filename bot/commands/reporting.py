"""`wijkstem report`: the dialogue session pack as html, xlsx, csv or json."""

from __future__ import annotations

import sys
from pathlib import Path

from rich.progress import Progress

from bot.settings import Settings
from bot.wording import counted
from insights.anonymise import PLACEHOLDERS
from insights.report.data import gather
from insights.report.labels import known_neighbourhoods
from insights.report.output import write
from insights.report.period import ReportError, parse_period, today
from insights.report.reach import Inhabitants
from insights.report.translating import translate_quotes
from locales import _, available_languages, use
from storage import Storage


async def report(
    settings: Settings,
    fmt: str,
    out: Path | None,
    neighbourhood: str | None,
    since: str | None,
    until: str | None,
    lang: str,
) -> int:
    """Gather the period's contributions and write the report; a clear line on bad input."""
    try:
        period = parse_period(since, until, today())
        known = known_neighbourhoods(settings.neighbourhoods)
        if neighbourhood is not None and neighbourhood not in known:
            names = ", ".join(known)
            raise ReportError(f"--neighbourhood {neighbourhood!r} is unknown; choose from {names}")
        if lang not in available_languages():
            raise ReportError(
                f"--lang {lang!r} has no catalogue; choose from {', '.join(available_languages())}"
            )
    except ReportError as error:
        print(f"wijkstem: {error}", file=sys.stderr)
        return 2
    path = out or Path(f"wijkstem-report-{period.since}-{period.until}.{fmt}")
    storage = await Storage.open(settings.database, settings.keys)
    with Progress(transient=True) as progress:
        reading = progress.add_task("reading contributions", total=1)
        try:
            with use(lang):
                collected = await gather(
                    storage, period, neighbourhood, lambda kind: _(PLACEHOLDERS[kind])
                )
                await translate_quotes(collected, storage, settings.translator, lang)
                Inhabitants.read(settings.inhabitants).apply(collected)
            progress.update(reading, completed=1)
            writing = progress.add_task(
                f"writing {counted(collected.total, 'contribution')} as {fmt}", total=1
            )
            await write(collected, fmt, path, lang)
            progress.update(writing, completed=1)
        finally:
            await storage.close()

    print(
        f"wrote {path} ({counted(collected.total, 'contribution')},"
        f" {period.since} to {period.until})"
    )
    return 0
