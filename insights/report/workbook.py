"""The Excel workbook: Summary, Contributions, Themes and Participation sheets."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from insights.concepts import BY_ID
from insights.report.data import Report
from insights.report.labels import KIND_NAMES, PILLAR_NAMES, language_label, neighbourhood_name
from insights.report.tidy import neutralise
from locales import _

BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def _sheet(
    book: Workbook, title: str, header: Sequence[str], widths: Sequence[int], rows: int
) -> WriteOnlyWorksheet:
    """A sheet with a bold header, filters over `rows` data rows, and column widths."""
    sheet = book.create_sheet(title)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{rows + 1}"
    sheet.append([_cell(sheet, text, BOLD) for text in header])
    return sheet


def _cell(sheet: WriteOnlyWorksheet, value: Any, font: Font | None = None, wrap: bool = False):
    cell = WriteOnlyCell(sheet, value=neutralise(value) if isinstance(value, str) else value)
    if font is not None:
        cell.font = font
    if wrap:
        cell.alignment = WRAP
    return cell


def write(report: Report, path: Path) -> None:
    """Write the workbook to `path`."""
    book = Workbook(write_only=True)
    _summary(book, report)
    _contributions(book, report)
    _themes(book, report)
    _participation(book, report)
    book.save(path)


def _summary(book: Workbook, report: Report) -> None:
    counts = sorted(report.counts().items(), key=lambda item: (-item[1], str(item[0])))
    header = [_("Pillar"), _("Neighbourhood"), _("Kind"), _("Contributions")]
    sheet = _sheet(book, "Summary", header, [28, 18, 14, 14], len(counts))
    for (pillar, neighbourhood, kind), count in counts:
        sheet.append(
            [
                _(PILLAR_NAMES[pillar]) if pillar else _("No pillar"),
                neighbourhood_name(neighbourhood),
                _(KIND_NAMES[kind]),
                count,
            ]
        )
    period = report.period
    sheet.append([])
    for label, value in (
        (_("Period"), f"{period.since} – {period.until}"),
        (_("Contributions"), report.total),
        (_("Previous period"), report.previous_total),
        (_("Waiting for review"), report.waiting_review),
        (_("Hidden"), report.hidden),
    ):
        sheet.append([_cell(sheet, label, BOLD), value])


def _contributions(book: Workbook, report: Report) -> None:
    header = [
        _("Reference"),
        _("Created"),
        _("Kind"),
        _("Language"),
        _("Neighbourhood"),
        _("Pillars"),
        _("Topics"),
        _("Quote"),
    ]
    sheet = _sheet(book, "Contributions", header, [10, 18, 12, 14, 16, 40, 40, 80], report.total)
    for row in report.rows:
        created = _cell(sheet, row.created.replace(tzinfo=None))
        created.number_format = "yyyy-mm-dd hh:mm"
        sheet.append(
            [
                row.ref,
                created,
                _(KIND_NAMES[row.kind]),
                language_label(row.lang),
                neighbourhood_name(row.neighbourhood),
                ", ".join(_(PILLAR_NAMES[p]) for p in row.pillars),
                ", ".join(_(BY_ID[c].label) for c in row.concepts if c in BY_ID),
                _cell(sheet, row.text, wrap=True),
            ]
        )


def _themes(book: Workbook, report: Report) -> None:
    themes = report.themes()
    header = [_("Topic"), _("Contributions"), _("Pillars"), _("What residents said")]
    sheet = _sheet(book, "Themes", header, [28, 14, 40, 100], len(themes))
    for theme in themes:
        concept = BY_ID[theme.concept]
        quotes = "\n".join(
            f"“{row.text}” ({language_label(row.lang)}, {row.ref})" for row in theme.quotes
        )
        sheet.append(
            [
                _(concept.label),
                theme.count,
                ", ".join(_(PILLAR_NAMES[p]) for p in concept.pillars),
                _cell(sheet, quotes, wrap=True),
            ]
        )


def _participation(book: Workbook, report: Report) -> None:
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
    sheet = _sheet(
        book, "Participation", [_("Group"), _("Part"), _("Count")], [18, 28, 12], len(rows)
    )
    for row in rows:
        sheet.append(list(row))
