"""`/report` for the programme team: a short summary, and the HTML and Excel pack as files."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from conversations.messages import Document
from conversations.roles import TEAM, allowed
from conversations.routing import Router
from conversations.turn import Services, Turn
from insights.anonymise import PLACEHOLDERS
from insights.concepts import BY_ID
from insights.report.data import Report, gather
from insights.report.labels import known_neighbourhoods, neighbourhood_name
from insights.report.output import write
from insights.report.period import Period, ReportError, parse_period, today
from insights.report.translating import translate_quotes
from locales import N_, _, current, format_change, format_date, join_list, ngettext
from storage import Storage

Documents = tuple[Document, ...]

router = Router("reporting")


@router.command(
    "report",
    N_("the last 30 days as a report (add a neighbourhood, or days: 2026-11-01 2026-11-30)"),
    N_("report"),
    shown_to=TEAM,
)
async def send_report(turn: Turn) -> None:
    """The last 30 days (of one neighbourhood, when named): summary, HTML and XLSX."""
    if not await allowed(turn, TEAM, "/report"):
        return
    words = turn.event.text.lower().split()
    days = [word for word in words if word[:1].isdigit()]
    places = [word for word in words if not word[:1].isdigit()]
    neighbourhood = " ".join(places) or None
    known = known_neighbourhoods(turn.services.neighbourhoods)
    if neighbourhood is not None and neighbourhood not in known:
        turn.say(_("I don't know that neighbourhood. Try: {names}", names=join_list(known)))
        return
    given: list[str | None] = [*days, None, None]
    try:
        period = parse_period(given[0], given[1], today()) if len(days) <= 2 else None
    except ReportError:
        period = None
    if period is None:
        turn.say(_("Please write the days like this: /report nazareth 2026-11-01 2026-11-30"))
        return
    # Built in a thread of its own, over connections of its own: nobody waits for a report.
    report, documents = await asyncio.to_thread(
        _build, turn.storage, period, neighbourhood, turn.services
    )
    turn.say(_summary(report), documents=documents)


def _build(
    opened: Storage, period: Period, neighbourhood: str | None, services: Services
) -> tuple[Report, Documents]:
    """Gather the report from the database and render its files, off the event loop."""
    return asyncio.run(_gather(opened, period, neighbourhood, services))


async def _gather(
    opened: Storage, period: Period, neighbourhood: str | None, services: Services
) -> tuple[Report, Documents]:
    storage = await opened.another()
    try:
        report = await gather(storage, period, neighbourhood, lambda kind: _(PLACEHOLDERS[kind]))
        await translate_quotes(report, storage, services.translator, current())
        services.inhabitants.apply(report)
        return report, await _files(report, current())
    finally:
        await storage.close()


async def _files(report: Report, lang: str) -> Documents:
    """The HTML page and the workbook, rendered in a scratch folder and read back."""
    stem = f"wijkstem-{report.neighbourhood or 'all'}-{report.period.since}-{report.period.until}"
    found = []
    with tempfile.TemporaryDirectory() as folder:
        for fmt in ("html", "xlsx"):
            path = Path(folder) / f"{stem}.{fmt}"
            await write(report, fmt, path, lang)
            found.append(Document(path.name, path.read_bytes()))
    return tuple(found)


def _summary(report: Report) -> str:
    period = f"{format_date(report.period.since)} – {format_date(report.period.until)}"
    place = neighbourhood_name(report.neighbourhood) if report.neighbourhood else None
    lines = [
        _("Report {period}", period=period),
        *([f"{_('Neighbourhood')}: {place}"] if place else []),
        ngettext("{n} contribution", "{n} contributions", report.total),
    ]
    if report.change is not None:
        lines.append(_("{change} against the period before", change=format_change(report.change)))
    themes = [_(BY_ID[t.concept].label) for t in report.themes[:3]]
    if themes:
        lines.append(_("Biggest themes: {themes}", themes=join_list(themes)))
    lines.append(ngettext("{n} waits for review", "{n} wait for review", report.waiting_review))
    return "\n".join(lines)
