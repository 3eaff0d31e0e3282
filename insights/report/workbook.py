"""The Excel workbook: Summary, Contributions, Themes and Participation sheets.

XlsxWriter writes a 100,000-row workbook several times faster than openpyxl (which the tests
use to read it back). Up to STREAMED_FROM contributions it keeps the cells until the end and
writes each distinct text once (shared strings, the faster way); beyond, rows go to disk as they
are written (its constant-memory mode), so a workbook of any size fits in the same memory.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from insights.concepts import BY_ID
from insights.report.data import Report
from insights.report.labels import (
    KIND_NAMES,
    PILLAR_NAMES,
    STATUS_NAMES,
    language_label,
    neighbourhood_name,
)
from insights.report.tidy import neutralise
from locales import N_, _, current, is_right_to_left
from storage.contributions import reference

# Kept in memory, a contribution's row takes about 1.3 KB: 150,000 rows stay near 250 MB.
STREAMED_FROM = 150_000


class _Book:
    """A workbook with the few formats the sheets share."""

    def __init__(self, path: Path, streamed: bool) -> None:
        self.book = xlsxwriter.Workbook(
            str(path),
            {"constant_memory": streamed, "strings_to_formulas": False, "strings_to_urls": False},
        )
        self.bold = self.book.add_format({"bold": True})
        self.wrap = self.book.add_format({"text_wrap": True, "valign": "top"})
        self.moment = self.book.add_format({"num_format": "yyyy-mm-dd hh:mm"})

    def sheet(
        self, title: str, header: Sequence[str], widths: Sequence[int], rows: int
    ) -> Worksheet:
        """A sheet with a bold, frozen header, filters over `rows` data rows, column widths."""
        sheet = self.book.add_worksheet(_sheet_name(title))
        if is_right_to_left(current()):
            sheet.right_to_left()
        for column, width in enumerate(widths):
            sheet.set_column(column, column, width)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, rows, len(header) - 1)
        sheet.write_row(0, 0, header, self.bold)
        return sheet


def _row(sheet: Worksheet, number: int, values: Sequence[Any]) -> None:
    sheet.write_row(number, 0, [neutralise(v) if isinstance(v, str) else v for v in values])


SHEETS = {
    "summary": N_("Summary"),
    "contributions": N_("Contributions"),
    "themes": N_("Themes"),
    "participation": N_("Participation"),
    "outcomes": N_("Outcomes"),
}
# Excel's limits for a sheet's name: 31 characters, none of these.
SHEET_NAME_LENGTH = 31
NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(title: str) -> str:
    return NOT_IN_SHEET_NAMES.sub(" ", title)[:SHEET_NAME_LENGTH]


async def write(report: Report, path: Path, streamed_from: int = STREAMED_FROM) -> None:
    """Write the workbook to `path`; streamed when it has more than `streamed_from` rows."""
    book = _Book(path, streamed=report.total > streamed_from)
    _summary(book, report)
    await _contributions(book, report)
    _themes(book, report)
    _participation(book, report)
    _outcomes(book, report)
    book.book.close()


def _summary(book: _Book, report: Report) -> None:
    counts = sorted(report.counts.items(), key=lambda item: (-item[1], str(item[0])))
    header = [_("Pillar"), _("Neighbourhood"), _("Kind"), _("Contributions")]
    sheet = book.sheet(_(SHEETS["summary"]), header, [28, 18, 14, 14], len(counts))
    for number, ((pillar, neighbourhood, kind), count) in enumerate(counts, start=1):
        _row(
            sheet,
            number,
            [
                _(PILLAR_NAMES[pillar]) if pillar else _("No pillar"),
                neighbourhood_name(neighbourhood),
                _(KIND_NAMES[kind]),
                count,
            ],
        )
    period = report.period
    facts: tuple[tuple[str, Any], ...] = (
        (_("Period"), f"{period.since} – {period.until}"),
        (_("Contributions"), report.total),
        (_("Previous period"), report.previous_total),
        (_("Waiting for review"), report.waiting_review),
        (_("Hidden"), report.hidden),
    )
    facts += tuple((_(STATUS_NAMES[step]), n) for step, n in report.statuses())
    for number, (label, value) in enumerate(facts, start=len(counts) + 2):
        sheet.write(number, 0, label, book.bold)
        sheet.write(number, 1, value)


async def _contributions(book: _Book, report: Report) -> None:
    header = [
        _("Reference"),
        _("Created"),
        _("Kind"),
        _("Language"),
        _("Neighbourhood"),
        _("Pillars"),
        _("Topics"),
        _("Quote"),
        _("Offers to help"),
        _("Demo data"),
    ]
    sheet = book.sheet(
        _(SHEETS["contributions"]), header, [10, 18, 12, 14, 16, 40, 40, 80, 14, 10], report.total
    )
    yes = _("yes")
    kinds = {kind: _(name) for kind, name in KIND_NAMES.items()}
    pillars = {pillar: _(name) for pillar, name in PILLAR_NAMES.items()}
    topics = {concept: _(found.label) for concept, found in BY_ID.items()}
    write = sheet.write_string
    places = {hood: neighbourhood_name(hood) for _pillar, hood, _kind in report.counts}
    languages = {lang: language_label(lang) for lang in report.languages}
    number = 0
    async for row in report.rows():
        number += 1
        write(number, 0, row.ref)
        sheet.write_datetime(number, 1, row.created.replace(tzinfo=None), book.moment)
        write(number, 2, kinds[row.kind])
        write(number, 3, languages[row.lang])
        write(number, 4, places[row.neighbourhood])
        # Empty cells are left out: a third of the rows have no quote, some no pillar.
        if row.pillars:
            write(number, 5, ", ".join(pillars[p] for p in row.pillars))
        if row.concepts:
            write(number, 6, ", ".join(topics[c] for c in row.concepts if c in topics))
        if row.words:
            write(number, 7, neutralise(report.quote(row.words, row.found)))
        if row.offers_help:
            write(number, 8, yes)
        if row.demo:
            write(number, 9, yes)


def _themes(book: _Book, report: Report) -> None:
    themes = report.themes
    header = [_("Topic"), _("Contributions"), _("Pillars"), _("What residents said")]
    sheet = book.sheet(_(SHEETS["themes"]), header, [28, 14, 40, 100], len(themes))
    for number, theme in enumerate(themes, start=1):
        concept = BY_ID[theme.concept]
        quotes = "\n".join(
            f"“{report.quote(said.words, said.found)}” ({language_label(said.lang)}, {said.ref})"
            for said in theme.quotes
        )
        _row(
            sheet,
            number,
            [
                _(concept.label),
                theme.count,
                ", ".join(_(PILLAR_NAMES[p]) for p in concept.pillars),
            ],
        )
        sheet.write_string(number, 3, neutralise(quotes), book.wrap)


def _participation(book: _Book, report: Report) -> None:
    seen = report.participation()
    rows: list[tuple[str, str, Any]] = [
        (_("Residents"), _("All"), seen.residents),
        (_("Residents"), _("New in this period"), seen.new),
        (_("Residents"), _("Also before this period"), seen.returning),
    ]
    rows += [
        (_("Neighbourhood"), neighbourhood_name(hood), n)
        for hood, n in seen.by_neighbourhood.most_common()
    ]
    rows += [
        (_("Language"), language_label(lang), n) for lang, n in seen.by_language.most_common()
    ]
    if seen.share_not_dutch is not None:
        rows.append((_("Language"), _("Share not in Dutch"), round(seen.share_not_dutch, 3)))
    header = [_("Group"), _("Part"), _("Count")]
    sheet = book.sheet(_(SHEETS["participation"]), header, [18, 28, 12], len(rows))
    for number, row in enumerate(rows, start=1):
        _row(sheet, number, row)


def _outcomes(book: _Book, report: Report) -> None:
    header = [_("Reference"), _("Status"), _("Date"), _("What happened")]
    sheet = book.sheet(_(SHEETS["outcomes"]), header, [10, 18, 12, 100], len(report.ended))
    for number, ended in enumerate(report.ended, start=1):
        _row(
            sheet,
            number,
            [
                reference(ended.id),
                _(STATUS_NAMES[ended.step]),
                ended.at[:10],
                report.what_happened(ended),
            ],
        )
